"""The akshare provider, through akshare's public functions patched with recorded frames in
their real shapes (tests/fixtures/akshare/README.md: akshare 1.19.5 columns and dtypes)."""

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import akshare
import pandas as pd
import pytest

from socialfund.core.config import load_settings
from socialfund.core.errors import ConfigError, NotFoundError, ProviderError, ValidationError
from socialfund.core.sources import AKSHARE_SOURCE
from socialfund.market.akshare import (
    AKSHARE_PAUSE_SECONDS,
    AkshareProvider,
    RateLimiter,
    explain_unit_nav_drops,
    open_fund_series,
)
from socialfund.market.instruments import Instrument
from socialfund.market.registry import register_instruments, stored_universe
from socialfund.market.providers import get_provider
from socialfund.store import Store, open_store, schema

FIXTURES = Path(__file__).parent / "fixtures" / "akshare"
NUMBERS = ("累计净值", "单位净值", "日增长率", "开盘", "收盘", "最高", "最低", "成交量", "成交额",
           "振幅", "涨跌幅", "涨跌额", "换手率")

FUND = Instrument("110022", "易方达消费行业股票", "E Fund Consumer", "fund", "OTC", "CNY", None, "sector", "XSHG")
SPLIT_FUND = Instrument("163406", "兴全合润混合(LOF)", "Aegon Herun", "fund", "OTC", "CNY", None, "broad", "XSHG")
ETF = Instrument("510300.SS", "华泰柏瑞沪深300ETF", "CSI 300 ETF", "etf", "SSE", "CNY", "510300.SS", "broad", "XSHG")
LOF = Instrument("161725.SZ", "招商中证白酒指数(LOF)A", "Baijiu LOF", "lof", "SZSE", "CNY", "161725.SZ", "sector", "XSHG")
INDEX = Instrument("000300.SS", "沪深300指数", "CSI 300 Index", "index", "SSE", "CNY", "000300.SS", "index", "XSHG")
US = Instrument("SPY", "SPDR标普500ETF", "SPDR S&P 500", "etf", "US", "USD", "SPY", "overseas", "XNYS")


def frame(name: str) -> pd.DataFrame:
    """A fixture with akshare's dtypes: read as text, then converted as akshare's code converts."""
    path = FIXTURES / f"{name}.csv"
    if not path.exists():   # akshare returns an empty frame for 暂无分红信息! / 暂无拆分信息!
        return pd.DataFrame()
    df = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")
    if "净值日期" in df.columns:
        df["净值日期"] = pd.to_datetime(df["净值日期"], errors="coerce").dt.date
    for column in NUMBERS:
        if column in df.columns:
            df[column] = pd.to_numeric(df[column], errors="coerce")
    return df


class FakeAkshare:
    """akshare's public functions answering from the fixtures; records every call."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, dict[str, Any]]] = []
        self.broken: set[Any] = set()   # symbols, indicators or functions that raise, as akshare does offline

    def _record(self, name: str, kwargs: dict[str, Any]) -> None:
        self.calls.append((name, kwargs))
        if {kwargs.get("symbol"), kwargs.get("indicator"), name} & self.broken:
            raise ConnectionError("HTTPSConnectionPool(host='fund.eastmoney.com'): Max retries exceeded")

    def fund_open_fund_info_em(self, symbol: str = "710001", indicator: str = "单位净值走势",
                               period: str = "成立来") -> pd.DataFrame:
        self._record("fund_open_fund_info_em", {"symbol": symbol, "indicator": indicator})
        return frame(f"fund_open_fund_info_em_{symbol}_{indicator}")

    def _hist(self, name: str, symbol: str, suffix: str, **kwargs: Any) -> pd.DataFrame:
        self._record(name, {"symbol": symbol, **kwargs})
        return frame(f"{name}_{symbol}{suffix}") if kwargs.get("adjust", "hfq") == "hfq" else pd.DataFrame()

    def fund_etf_hist_em(self, symbol: str = "159707", period: str = "daily", start_date: str = "19700101",
                         end_date: str = "20500101", adjust: str = "") -> pd.DataFrame:
        return self._hist("fund_etf_hist_em", symbol, "_hfq", period=period, start_date=start_date,
                          end_date=end_date, adjust=adjust)

    def fund_lof_hist_em(self, symbol: str = "166009", period: str = "daily", start_date: str = "19700101",
                         end_date: str = "20500101", adjust: str = "") -> pd.DataFrame:
        return self._hist("fund_lof_hist_em", symbol, "_hfq", period=period, start_date=start_date,
                          end_date=end_date, adjust=adjust)

    def index_zh_a_hist(self, symbol: str = "000859", period: str = "daily", start_date: str = "19700101",
                        end_date: str = "22220101") -> pd.DataFrame:
        self._record("index_zh_a_hist", {"symbol": symbol, "period": period})
        return frame(f"index_zh_a_hist_{symbol}")

    def fund_name_em(self) -> pd.DataFrame:
        self._record("fund_name_em", {})
        return frame("fund_name_em")

    def install(self, monkeypatch: pytest.MonkeyPatch) -> FakeAkshare:
        for name in ("fund_open_fund_info_em", "fund_etf_hist_em", "fund_lof_hist_em", "index_zh_a_hist",
                     "fund_name_em"):
            monkeypatch.setattr(akshare, name, getattr(self, name))
        return self


class FakeClock:
    """A clock that only moves when slept on (plus ``step`` per call made)."""

    def __init__(self) -> None:
        self.now = 0.0
        self.sleeps: list[float] = []

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds


@pytest.fixture
def fake(monkeypatch: pytest.MonkeyPatch) -> FakeAkshare:
    return FakeAkshare().install(monkeypatch)


def store_with(*instruments: Instrument) -> Store:
    store = open_store("sqlite://")
    register_instruments(store, list(instruments))
    return store


def provider(store: Store, clock: FakeClock | None = None, **kwargs: Any) -> AkshareProvider:
    clock = clock or FakeClock()
    return AkshareProvider(store, clock=clock, sleep=clock.sleep, today=lambda: date(2024, 3, 8), **kwargs)


def cached(store: Store, code: str) -> list[tuple[date, float]]:
    p = schema.prices
    with store.read() as conn:
        return [tuple(r) for r in conn.execute(p.select().with_only_columns(p.c.date, p.c.close)
                                               .where(p.c.code == code, p.c.source == AKSHARE_SOURCE)
                                               .order_by(p.c.date))]


def test_open_end_fund_close_is_the_cumulative_nav_not_the_unit_nav(fake: FakeAkshare) -> None:
    store = store_with(FUND)
    data = provider(store).closes(["110022"])
    cumulative = frame("fund_open_fund_info_em_110022_累计净值走势")
    unit = frame("fund_open_fund_info_em_110022_单位净值走势")
    assert list(data.closes["110022"]) == list(cumulative["累计净值"])
    assert list(data.closes["110022"]) != list(unit["单位净值"])
    assert data.sources == {"110022": AKSHARE_SOURCE}
    # the dividend day is a small gain in the close, not the unit NAV's −9.1 %
    assert data.closes["110022"].pct_change().min() > -0.01
    assert {kw["indicator"] for name, kw in fake.calls if name == "fund_open_fund_info_em"} == {
        "累计净值走势", "单位净值走势", "分红送配详情", "拆分详情"}
    # cached with its fetch time
    p = schema.prices
    with store.read() as conn:
        rows = conn.execute(p.select().where(p.c.code == "110022")).mappings().all()
    assert len(rows) == 8 and all(r["source"] == AKSHARE_SOURCE and r["fetched_at"] is not None for r in rows)


def test_a_dividend_record_explains_the_unit_nav_drop(fake: FakeAkshare) -> None:
    store = store_with(FUND)
    result = provider(store).refresh(["110022"])
    assert [(d.day, d.explained) for d in result.drops] == [(date(2024, 1, 15), True)]
    drop = result.drops[0]
    assert drop.record is not None and drop.record.cash_per_unit == pytest.approx(0.1584)
    assert drop.unit_change == pytest.approx(1.5130 / 1.6650 - 1)
    assert "not a loss" in drop.notice() and "每份派现金0.1584元" in drop.notice()
    assert any("1 unit-NAV drop(s) explained" in n and "-9.1% on 2024-01-15" in n for n in result.notices)
    # the records are cached for the quality checks; 每10份 is read per unit
    records = {r.ex_date: r.cash_per_unit for r in provider(store).distributions(["110022"])}
    assert records == {date(2024, 1, 15): pytest.approx(0.1584), date(2021, 6, 10): pytest.approx(0.05)}


def test_records_that_cannot_be_fetched_are_taken_from_the_cache_and_kept(fake: FakeAkshare) -> None:
    store = store_with(FUND)
    provider(store).refresh(["110022"])
    fake.broken.add("分红送配详情")
    again = provider(store).refresh(["110022"])
    assert again.refreshed == {"110022": 8}
    assert [d.explained for d in again.drops] == [True]            # explained by the cached record
    assert any("using the cached 分红/拆分 records" in n for n in again.notices)
    assert len(provider(store).distributions(["110022"])) == 2     # not wiped by the failed fetch


def test_a_unit_nav_drop_without_a_record_is_named_unexplained() -> None:
    cumulative = frame("fund_open_fund_info_em_110022_累计净值走势")
    unit = frame("fund_open_fund_info_em_110022_单位净值走势")
    fund = open_fund_series("110022", cumulative, unit, [])
    assert [(d.day, d.explained) for d in fund.drops] == [(date(2024, 1, 15), False)]
    assert "no 分红/拆分 record explains" in fund.drops[0].notice()


def test_a_fund_without_cumulative_nav_is_a_clear_provider_error() -> None:
    with pytest.raises(ProviderError, match="no 累计净值 for 000009.*money-market"):
        open_fund_series("000009", pd.DataFrame(), None, [])   # akshare's empty answer


def test_an_ordinary_day_is_no_drop_even_when_unit_and_cumulative_returns_differ() -> None:
    # cumulative = unit + 2.10 of past dividends: the same −0.05 move is −3 % of the unit NAV but
    # −1.4 % of the cumulative NAV; it is the market, not a payout
    days = pd.DatetimeIndex(["2024-01-08", "2024-01-09"])
    unit = pd.Series([1.65, 1.60], index=days)
    assert explain_unit_nav_drops("110022", unit, unit + 2.10, []) == []


def test_a_split_the_cumulative_nav_fell_with_is_back_adjusted(fake: FakeAkshare) -> None:
    store = store_with(SPLIT_FUND)
    data = provider(store).closes(["163406"])
    moves = data.closes["163406"].pct_change().dropna()
    assert moves.abs().max() < 0.02          # no −75 % day
    assert data.closes["163406"].iloc[-1] == pytest.approx(1.02)   # the latest value is as published
    assert any("divided by 3.98" in n for n in data.notices)


def test_etfs_and_lofs_are_fetched_back_adjusted_hfq(fake: FakeAkshare) -> None:
    store = store_with(ETF, LOF)
    data = provider(store).closes(["510300.SS", "161725.SZ"])
    calls = {name: kw for name, kw in fake.calls}
    assert calls["fund_etf_hist_em"]["adjust"] == "hfq" and calls["fund_etf_hist_em"]["symbol"] == "510300"
    assert calls["fund_lof_hist_em"]["adjust"] == "hfq" and calls["fund_lof_hist_em"]["symbol"] == "161725"
    assert calls["fund_etf_hist_em"]["end_date"] == "20240308"
    assert data.closes["510300.SS"].dropna().tolist() == frame("fund_etf_hist_em_510300_hfq")["收盘"].tolist()
    assert data.closes["161725.SZ"].dropna().iloc[-1] == pytest.approx(2.070)


def test_indices_come_from_index_zh_a_hist(fake: FakeAkshare) -> None:
    store = store_with(INDEX)
    data = provider(store).closes(["000300.SS"], start=date(2024, 1, 9))
    assert [name for name, _ in fake.calls] == ["index_zh_a_hist"]
    assert fake.calls[0][1]["symbol"] == "000300"
    assert data.closes["000300.SS"].tolist() == [3394.32, 3360.98]   # sliced from start
    assert list(data.closes.index.date) == [date(2024, 1, 9), date(2024, 1, 10)]


def test_a_failed_fetch_falls_back_to_the_cache_with_a_notice(fake: FakeAkshare) -> None:
    store = store_with(ETF)
    provider(store).refresh(["510300.SS"])
    before = cached(store, "510300.SS")
    fake.broken.add("510300")
    stale = provider(store, max_age=timedelta(0))     # everything is stale: closes() tries akshare first
    data = stale.closes(["510300.SS"])
    assert data.sources == {"510300.SS": AKSHARE_SOURCE + " (cached)"}
    assert data.closes["510300.SS"].tolist() == [c for _, c in before]
    assert any("failed: ConnectionError" in n and "showing cached akshare prices of 510300.SS" in n
               for n in data.notices)
    assert cached(store, "510300.SS") == before      # the failure deleted nothing


def test_a_failed_fetch_with_nothing_cached_says_so_and_the_rest_still_load(fake: FakeAkshare) -> None:
    store = store_with(ETF, INDEX, US)
    fake.broken.add("510300")
    data = provider(store).closes()
    assert list(data.closes.columns) == ["000300.SS"]     # US is not quoted by akshare, never faked
    assert any("no price data for 510300.SS (nothing cached)" in n for n in data.notices)
    assert not any(name for name, kw in fake.calls if kw.get("symbol") == "SPY")


def test_fresh_cache_is_served_without_calling_akshare(fake: FakeAkshare) -> None:
    store = store_with(ETF)
    provider(store).refresh(["510300.SS"])
    fake.calls.clear()
    data = provider(store).closes(["510300.SS"])
    assert fake.calls == [] and data.sources == {"510300.SS": AKSHARE_SOURCE}


def test_progress_is_called_once_per_instrument_with_counts(fake: FakeAkshare) -> None:
    store = store_with(FUND, ETF, INDEX, US)
    seen: list[tuple[int, int, str]] = []
    result = provider(store).refresh(progress=lambda done, total, code: seen.append((done, total, code)))
    assert seen == [(1, 3, "000300.SS"), (2, 3, "110022"), (3, 3, "510300.SS")]   # by default: what akshare quotes
    assert set(result.refreshed) == {"000300.SS", "110022", "510300.SS"}
    seen.clear()
    asked = provider(store).refresh(["SPY", "000300.SS"], progress=lambda *a: seen.append(a))
    assert seen == [(1, 2, "SPY"), (2, 2, "000300.SS")]
    assert asked.skipped == {"SPY": "akshare does not quote etf on US"} and list(asked.refreshed) == ["000300.SS"]


def test_rate_limit_pauses_between_calls_never_before_the_first(fake: FakeAkshare) -> None:
    store = store_with(FUND, ETF)
    clock = FakeClock()
    provider(store, clock).refresh()
    calls = len(fake.calls)
    assert calls == 5                                  # 4 for the fund, 1 for the ETF
    assert clock.sleeps == [AKSHARE_PAUSE_SECONDS] * (calls - 1)


def test_rate_limiter_waits_only_the_rest_of_the_pause() -> None:
    clock = FakeClock()
    limiter = RateLimiter(2.0, clock, clock.sleep)
    limiter.call(lambda: None)
    clock.now += 0.5                                   # the call itself took half a second
    limiter.call(lambda: None)
    clock.now += 3.0                                   # long enough: no wait
    limiter.call(lambda: None)
    assert clock.sleeps == [1.5]


def test_fund_search_by_code_by_name_and_by_pinyin(fake: FakeAkshare) -> None:
    store = store_with()
    ak = provider(store)
    assert [f.code for f in ak.search_funds("110022").funds] == ["110022"]
    assert [f.name_zh for f in ak.search_funds("消费").funds] == ["易方达消费行业股票"]
    assert {f.code for f in ak.search_funds("300ETF").funds} == {"007339", "510300"}
    assert [f.code for f in ak.search_funds("hxczhh").funds] == ["000001"]
    # the list is cached: four searches, one fetch
    assert [name for name, _ in fake.calls] == ["fund_name_em"]
    with store.read() as conn:
        assert len(conn.execute(schema.fund_directory.select()).all()) == 7


def test_a_fund_from_the_list_is_registered_and_refreshed(fake: FakeAkshare) -> None:
    store = store_with(ETF)
    ak = provider(store)
    codes = ak.resolve_codes(["110022", "510300", "１５９９１５"])   # full-width digits too
    assert codes == ["110022", "510300.SS", "159915.SZ"]
    universe = {i.code: i for i in stored_universe(store)}
    assert universe["110022"].kind == "fund" and universe["110022"].name_zh == "易方达消费行业股票"
    assert universe["159915.SZ"].kind == "etf" and universe["159915.SZ"].market == "SZSE"
    assert ak.refresh(["110022"]).refreshed == {"110022": 8}


def test_an_unknown_code_is_a_clear_error_and_registers_nothing(fake: FakeAkshare) -> None:
    store = store_with(ETF)
    ak = provider(store)
    with pytest.raises(NotFoundError, match=r"unknown code '999999'.*fund list \(7 funds.*market funds"):
        ak.resolve_codes(["110022", "999999"])
    assert [i.code for i in stored_universe(store)] == ["510300.SS"]     # 110022 not registered either
    with pytest.raises(ValidationError, match="money-market fund"):
        ak.resolve_codes(["000009"])
    with pytest.raises(NotFoundError, match="not in the instrument universe: 999999"):
        ak.refresh(["999999"])


def test_the_fund_list_unreachable_and_uncached_is_a_provider_error(fake: FakeAkshare) -> None:
    fake.broken.add("fund_name_em")
    with pytest.raises(ProviderError, match="fund_name_em.*no fund list is cached"):
        provider(store_with()).search_funds("消费")


def test_get_provider_builds_the_akshare_provider_with_the_store() -> None:
    settings = load_settings({"SOCIALFUND_MARKET_PROVIDER": "akshare"})
    store = store_with(ETF)
    built = get_provider(settings, store)
    assert isinstance(built, AkshareProvider) and [i.code for i in built.universe()] == ["510300.SS"]
    with pytest.raises(ConfigError, match="akshare provider needs the store"):
        get_provider(settings, None)


def test_cli_refresh_and_funds(fake: FakeAkshare, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                               capsys: pytest.CaptureFixture[str]) -> None:
    from socialfund.cli import main

    monkeypatch.setenv("SOCIALFUND_DATABASE_URL", f"sqlite:///{tmp_path / 'cli.db'}")
    monkeypatch.setenv("SOCIALFUND_DEMO", "0")
    slept: list[float] = []
    monkeypatch.setattr("time.sleep", slept.append)   # the CLI's provider sleeps with time.sleep
    assert main(["market", "funds", "易方达", "--json"]) == 0
    found = json.loads(capsys.readouterr().out)
    assert {f["code"] for f in found["funds"]} == {"000009", "007339", "110022", "159915"}
    assert main(["market", "refresh", "--codes", "110022", "000300", "--json"]) == 2   # 000300: not a fund
    assert "unknown code '000300'" in capsys.readouterr().err
    assert main(["market", "refresh", "--codes", "110022", "--json"]) == 0
    out = capsys.readouterr()
    assert json.loads(out.out)["refreshed"] == {"110022": 8}
    assert "[1/1] 110022" in out.err
    assert slept and all(0 < s <= AKSHARE_PAUSE_SECONDS for s in slept)   # paused between the 4 calls
