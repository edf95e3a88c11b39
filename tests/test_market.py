"""Market data providers: demo, CSV (validated) and yfinance (faked at yfinance.download)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from socialfund.core.errors import ConfigError, ValidationError
from socialfund.core.sources import DEMO_PRICE_SOURCE
from socialfund.io.prices_file import read_prices_csv
from socialfund.market.instruments import Instrument
from socialfund.market.providers import CsvProvider, DemoProvider, YFinanceProvider, yahoo_close_table
from socialfund.market.sessions import align_to_sessions
from socialfund.store import open_store
from socialfund.store import schema


def yf_frame(symbols: list[str], dates: list[str], closes: dict[str, list[float]]) -> pd.DataFrame:
    """A frame in yfinance 1.7's real shape: MultiIndex columns (Price, Ticker), tz-naive 'Date' index."""
    idx = pd.DatetimeIndex(pd.to_datetime(dates), name="Date")
    cols, data = [], []
    for field in ("Close", "High", "Low", "Open", "Volume"):
        for sym in symbols:
            cols.append((field, sym))
            base = np.array(closes[sym], dtype=float)
            data.append(base if field != "Volume" else np.full(len(dates), 1e6))
    frame = pd.DataFrame(np.column_stack(data), index=idx,
                         columns=pd.MultiIndex.from_tuples(cols, names=["Price", "Ticker"]))
    return frame


UNIVERSE = [
    Instrument("510300.SS", "沪深300ETF", "CSI 300 ETF", "etf", "SSE", "CNY", "510300.SS", "broad", "XSHG"),
    Instrument("SPY", "标普500ETF", "SPDR S&P 500", "etf", "US", "USD", "SPY", "overseas", "XNYS"),
    Instrument("110022", "易方达消费行业", "E Fund Consumer", "fund", "OTC", "CNY", None, "sector", "XSHG"),
]


def test_demo_provider_reads_committed_prices_all_marked_demo() -> None:
    data = DemoProvider().closes(["510300.SS", "SPY"])
    assert set(data.sources.values()) == {DEMO_PRICE_SOURCE}
    assert data.is_demo
    assert np.nanmin(data.closes.to_numpy()) > 0
    # US and CN calendars differ: aligned as a union with holes, never filled
    assert data.closes["510300.SS"].isna().any() and data.closes["SPY"].isna().any()


def test_yahoo_close_table_handles_the_real_multiindex_shape_and_drops_all_nan() -> None:
    frame = yf_frame(["510300.SS", "SPY"], ["2024-01-02", "2024-01-03"],
                     {"510300.SS": [3.5, 3.6], "SPY": [np.nan, np.nan]})
    table = yahoo_close_table(frame, ["510300.SS", "SPY"])
    assert list(table.columns) == ["510300.SS"]
    assert table["510300.SS"].tolist() == [3.5, 3.6]
    assert yahoo_close_table(pd.DataFrame(), ["SPY"]).empty


def test_yfinance_provider_caches_and_falls_back_visibly(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import yfinance

    store = open_store(f"sqlite:///{tmp_path / 'yf.db'}")
    calls: list[tuple[list[str], dict]] = []

    def fake_download(tickers, **kwargs):  # type: ignore[no-untyped-def]
        calls.append((list(tickers), kwargs))
        return yf_frame(["510300.SS", "SPY"], ["2024-01-02", "2024-01-03"],
                        {"510300.SS": [3.5, 3.6], "SPY": [470.0, 472.5]})

    monkeypatch.setattr(yfinance, "download", fake_download)
    provider = YFinanceProvider(store, universe=UNIVERSE, fallback=None)
    data = provider.closes(["510300.SS", "SPY", "110022"], date(2024, 1, 1), date(2024, 1, 5))
    assert calls and calls[0][0] == ["510300.SS", "SPY"]            # batched, one call
    assert calls[0][1]["auto_adjust"] is True                        # explicit
    assert data.sources == {"510300.SS": "yfinance", "SPY": "yfinance"}
    assert any("110022" in n for n in data.notices)                  # no Yahoo symbol: said, not faked
    with store.read() as conn:
        rows = conn.execute(schema.prices.select().where(schema.prices.c.source == "yfinance")).all()
    assert len(rows) == 4 and all(r.fetched_at is not None for r in rows)

    # Offline now: yfinance returns an empty frame (it does not raise). Cached Yahoo data is used, with a notice.
    monkeypatch.setattr(yfinance, "download", lambda tickers, **kw: pd.DataFrame())
    offline = provider.closes(["510300.SS", "SPY"], date(2024, 1, 1), date(2024, 1, 5))
    assert offline.closes["SPY"].tolist() == [470.0, 472.5]
    assert set(offline.sources.values()) == {"yfinance (cached)"}
    assert any("cached" in n for n in offline.notices)


def test_yfinance_failure_falls_back_to_labelled_demo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import yfinance

    def broken(tickers, **kw):  # type: ignore[no-untyped-def]
        raise AttributeError("'NoneType' object has no attribute 'get'")  # what yfinance raises offline

    monkeypatch.setattr(yfinance, "download", broken)
    store = open_store(f"sqlite:///{tmp_path / 'yf.db'}")
    data = YFinanceProvider(store, universe=UNIVERSE, fallback=DemoProvider()).closes(
        ["510300.SS"], date(2024, 1, 1), date(2024, 3, 1))
    assert data.sources == {"510300.SS": DEMO_PRICE_SOURCE}
    assert any("DEMO" in n for n in data.notices) and any("yfinance failed" in n for n in data.notices)
    with store.read() as conn:  # a failed fetch is never cached
        assert conn.execute(schema.prices.select()).first() is None


def test_align_never_forward_fills() -> None:
    frame = pd.DataFrame({"A": [1.0, 2.0]}, index=pd.to_datetime(["2024-01-02", "2024-01-04"]))
    out = align_to_sessions(frame, pd.to_datetime(["2024-01-02", "2024-01-03", "2024-01-04"]), {"A": "XSHG"})
    assert np.isnan(out.loc["2024-01-03", "A"])


@pytest.mark.parametrize("content, fragment", [
    ("", "empty"),
    ("date,close\n2024-01-02,1\n", "no code"),       # one instrument, and p.csv names no code
    ("date,code,close\n", "no rows"),
    ("date,code,close\n02/01/2024,A,1\n", "line 2, column date"),
    ("date,code,close\n2024-01-02,A,abc\n", "line 2, column close"),
    ("date,code,close\n2024-01-02,A,0\n", "positive finite"),
    ("date,code,close\n2024-01-02,A,nan\n", "positive finite"),
    ("date,code,close\n2024-01-02,A,inf\n", "positive finite"),
    ("date,code,close\n2024-01-02,A,1\n2024-01-02,A,2\n", "duplicate row"),
    ("date,code,close\n2024-01-02,A\n", "expected 3 fields"),
])
def test_csv_provider_rejects_bad_files_naming_the_place(tmp_path: Path, content: str, fragment: str) -> None:
    path = tmp_path / "p.csv"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(ValidationError, match=fragment) as err:
        CsvProvider(path)
    assert str(path) in str(err.value)


def test_csv_provider_reads_gbk_and_keeps_codes_as_text(tmp_path: Path) -> None:
    path = tmp_path / "p.csv"
    path.write_bytes("date,code,close\n2024-01-02,000001,1.5\n2024-01-03,000001,1.6\n".encode("gb18030"))
    long = read_prices_csv(path)
    provider = CsvProvider(path)
    assert long["code"].tolist() == ["000001", "000001"] and provider.warnings == []
    data = provider.closes()
    assert list(data.closes.columns) == ["000001"] and data.sources == {"000001": "csv:p.csv"}


def test_csv_provider_flags_one_day_jumps(tmp_path: Path) -> None:
    path = tmp_path / "p.csv"
    path.write_text("date,code,close\n2024-01-02,A,10\n2024-01-03,A,4\n", encoding="utf-8")
    warnings = CsvProvider(path).warnings
    assert len(warnings) == 1 and "2024-01-03" in warnings[0]
    assert CsvProvider(path).closes().notices == warnings   # shown with every result


@pytest.mark.parametrize("closes, flagged", [
    ([10.0, 5.1], True),     # a 2-for-1 split on an up day (−49 %)
    ([10.0, 5.0], True),     # a 2-for-1 split
    ([10.0, 15.0], True),    # +50 %
    ([10.0, 7.0], False),    # −30 %: a crash, not a split
    ([10.0, 11.0], False),   # +10 %: limit-up
])
def test_split_like_jumps_are_flagged_symmetrically(tmp_path: Path, closes: list[float], flagged: bool) -> None:
    path = tmp_path / "p.csv"
    path.write_text("date,code,close\n" + "".join(f"2024-01-0{2 + i},A,{c}\n" for i, c in enumerate(closes)),
                    encoding="utf-8")
    assert bool(CsvProvider(path).warnings) is flagged


def test_prices_file_reads_quoted_fields_and_ignores_extra_columns(tmp_path: Path) -> None:
    path = tmp_path / "p.csv"
    path.write_text('date,code,close,name\n2024-01-02,510300.SS,3.5,"name, with comma"\n'
                    '2024-01-03,"510300.SS","3.6","say ""hi"""\n', encoding="utf-8")
    long = read_prices_csv(path)
    assert long.to_dict("records") == [{"date": date(2024, 1, 2), "code": "510300.SS", "close": 3.5},
                                       {"date": date(2024, 1, 3), "code": "510300.SS", "close": 3.6}]
    assert CsvProvider(path).closes().closes["510300.SS"].tolist() == [3.5, 3.6]


def test_prices_file_line_numbers_count_physical_lines(tmp_path: Path) -> None:
    path = tmp_path / "p.csv"
    path.write_text('date,code,close,note\n2024-01-02,A,3.5,"two\nlines"\n2024-01-03,A,-1,x\n', encoding="utf-8")
    with pytest.raises(ValidationError, match="line 4, column close"):
        read_prices_csv(path)


def test_unreadable_prices_file_is_a_config_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="cannot read prices file"):
        read_prices_csv(tmp_path / "missing.csv")


def test_register_instruments_adds_only_unknown_codes_and_never_overwrites() -> None:
    from dataclasses import replace

    from socialfund.market.instruments import load_universe
    from socialfund.market.registry import register_instruments, stored_universe
    from socialfund.store import open_store

    store = open_store("sqlite://")
    demo = load_universe()
    assert register_instruments(store, demo[:3]) == 3
    renamed = replace(demo[0], name_zh="改名")
    assert register_instruments(store, [renamed, *demo[3:5]]) == 2
    stored = {i.code: i for i in stored_universe(store)}
    assert len(stored) == 5 and stored[demo[0].code].name_zh == demo[0].name_zh


def test_session_axis_without_benchmark_prices_is_the_xshg_calendar() -> None:
    """A store of one's own fund NAVs only (no 000300.SS): the axis is XSHG's sessions over
    the quoted span, holidays excluded (2015 Spring Festival: Feb 18-24 closed), not an error."""
    from socialfund.market.sessions import cn_sessions

    days = pd.DatetimeIndex(["2015-02-13", "2015-02-16", "2015-02-17", "2015-02-25", "2015-02-26"])
    closes = pd.DataFrame({"110022": [1.0, 1.01, 1.02, 1.03, 1.04]}, index=days)
    axis = cn_sessions(closes)
    assert list(axis.strftime("%m-%d")) == ["02-13", "02-16", "02-17", "02-25", "02-26"]
    with pytest.raises(ValidationError, match="no prices at all"):
        cn_sessions(closes.iloc[:0])


def test_us_close_is_carried_across_us_holidays_but_not_past_the_carry_limit() -> None:
    """Finding 5: a US series that stopped quoting was carried forward for 21 months. At a
    Shanghai session d the last US close dated before d is used for at most
    MAX_CARRY_SESSIONS sessions after the first that could know it; then NaN."""
    from socialfund.core.sessions import MAX_CARRY_SESSIONS
    from socialfund.market.sessions import align_to_sessions

    sessions = pd.bdate_range("2026-01-05", periods=20)
    us = pd.Series([100.0, 101.0, 102.0], index=pd.DatetimeIndex(["2026-01-02", "2026-01-05", "2026-01-06"]))
    aligned = align_to_sessions(pd.DataFrame({"SPY": us}), pd.DatetimeIndex(sessions), {"SPY": "XNYS"})["SPY"]
    assert aligned.iloc[0] == 100.0 and aligned.iloc[1] == 101.0 and aligned.iloc[2] == 102.0   # d-1 closes
    carried = aligned.iloc[2:2 + 1 + MAX_CARRY_SESSIONS]
    assert (carried == 102.0).all()
    assert aligned.iloc[3 + MAX_CARRY_SESSIONS:].isna().all()
