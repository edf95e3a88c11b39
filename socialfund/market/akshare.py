"""Chinese fund, ETF, LOF and index prices through akshare (天天基金 / 东方财富), cached in the store.

Which akshare function serves which instrument (by ``Instrument.kind``):

- ``fund`` (open-end fund, 6-digit code): ``fund_open_fund_info_em(symbol, indicator="累计净值走势")``
  is the close: the cumulative NAV (unit NAV plus the dividends paid so far), so a dividend is not a
  loss. The unit NAV (``"单位净值走势"``) is never used as the close; it is fetched with the
  ``"分红送配详情"`` and ``"拆分详情"`` records only to explain the days the unit NAV drops by more than
  the cumulative NAV (``explain_unit_nav_drops``). A split the cumulative NAV did not absorb is
  back-adjusted with its ratio, with a notice.
- ``etf`` / ``lof``: ``fund_etf_hist_em`` / ``fund_lof_hist_em(symbol, period="daily", adjust="hfq")``:
  back-adjusted (后复权) closes, so distributions and splits do not show as drops.
- ``index``: ``index_zh_a_hist(symbol, period="daily")`` closes.
- the fund list: ``fund_name_em()`` (every public fund: code, name, type, pinyin), cached in the
  ``fund_directory`` table, so a fund can be found by code or name and registered in the universe.

Calls are made one at a time with ``AKSHARE_PAUSE_SECONDS`` between the start of one and the next
(the clock and sleep are injectable for tests). Every series is cached in ``prices`` with
``source = AKSHARE_SOURCE`` and its fetch time; a series whose fetch fails keeps its cached rows and
the result says so. Instruments akshare does not quote (US ETFs) get a notice, never demo prices.
"""

from __future__ import annotations

import math
import re
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any, Literal

import numpy as np
import pandas as pd
from sqlalchemy import delete, func, select

from socialfund.core.codes import BARE_DIGITS, CodeResolver
from socialfund.core.errors import NotFoundError, ProviderError, ValidationError
from socialfund.core.sources import AKSHARE_SOURCE
from socialfund.core.timeutil import utcnow
from socialfund.market.instruments import Instrument
from socialfund.market.registry import register_instruments, stored_universe
from socialfund.market.pricedata import PriceData, long_to_wide
from socialfund.market.search import search_instruments
from socialfund.store import Store, insert_ignore, rows_frame, schema

#: Seconds from the start of one akshare call to the start of the next: 天天基金 and 东方财富
#: throttle or block clients that fire requests back to back.
AKSHARE_PAUSE_SECONDS = 1.0
#: ``closes`` refetches a cached series fetched longer ago than this (NAVs are published daily).
SERIES_MAX_AGE = timedelta(hours=12)
#: The fund list changes slowly (new funds): refetched when older than this.
DIRECTORY_MAX_AGE = timedelta(days=7)
#: CNY per unit. On an ordinary day unit and cumulative NAV move by the same amount (cumulative =
#: unit + dividends paid); both are quoted to 4 decimals, so a larger gap means a payout or a split.
DISTRIBUTION_GAP = 0.001
#: A cumulative-NAV move within 5 % of 1 / split ratio on a split date is a split it did not absorb.
SPLIT_MATCH = 0.05
#: akshare's ``start_date`` / ``end_date`` for "the whole history".
WHOLE_HISTORY_START = "19700101"

#: ``progress(done, total, code)`` after each instrument of a refresh (the CLI prints it; a page
#: can drive ``st.progress(done / total)``).
Progress = Callable[[int, int, str], None]
Clock = Callable[[], float]
Sleep = Callable[[float], None]

EXCHANGE_HISTORY = {"etf": "fund_etf_hist_em", "lof": "fund_lof_hist_em"}
SERVED_KINDS = ("fund", "etf", "lof", "index")
SERVED_MARKETS = ("SSE", "SZSE", "OTC")


def serves(instrument: Instrument) -> bool:
    """Whether akshare quotes this instrument (Chinese funds, ETFs, LOFs and indices in CNY)."""
    return (instrument.kind in SERVED_KINDS and instrument.market in SERVED_MARKETS
            and instrument.currency == "CNY")


def symbol_of(code: str) -> str:
    """akshare's symbol: the 6 exchange digits (``510300.SS`` → ``510300``)."""
    return code.split(".")[0]


class RateLimiter:
    """Spaces calls ``pause`` seconds apart (start to start); the first call never waits."""

    def __init__(self, pause: float = AKSHARE_PAUSE_SECONDS, clock: Clock = time.monotonic,
                 sleep: Sleep = time.sleep) -> None:
        self.pause = pause
        self._clock = clock
        self._sleep = sleep
        self._last_start: float | None = None

    def call(self, fn: Callable[..., Any], **kwargs: Any) -> Any:
        if self._last_start is not None:
            wait = self.pause - (self._clock() - self._last_start)
            if wait > 0:
                self._sleep(wait)
        self._last_start = self._clock()
        return fn(**kwargs)


# ---- parsing akshare's frames (pure) ----------------------------------------------------------


def _columns(frame: pd.DataFrame, needed: tuple[str, ...], what: str) -> None:
    missing = [c for c in needed if c not in frame.columns]
    if missing:
        raise ProviderError(f"akshare {what} has no column {', '.join(missing)} "
                            f"(columns: {', '.join(map(str, frame.columns))}); was akshare upgraded?")


def dated_series(frame: pd.DataFrame, date_column: str, value_column: str, what: str) -> pd.Series:
    """The positive values of ``value_column`` by ``date_column`` (dates as akshare returns them:
    ``datetime.date`` objects or ``YYYY-MM-DD`` text), sorted, one value per date."""
    _columns(frame, (date_column, value_column), what)
    values = pd.to_numeric(frame[value_column], errors="coerce").to_numpy(dtype=float)
    index = pd.DatetimeIndex(pd.to_datetime(frame[date_column], errors="coerce"), name="date")
    keep = np.asarray(index.notna()) & (values > 0)   # NaN compares False: unreadable values go too
    series = pd.Series(values[keep], index=index[keep]).sort_index()
    unique: pd.Series = series[~series.index.duplicated(keep="last")]
    return unique


@dataclass(frozen=True)
class Distribution:
    """One 分红 (cash per unit) or 拆分 (new units per old unit) record of an open-end fund."""

    code: str
    ex_date: date
    kind: Literal["dividend", "split"]
    cash_per_unit: float | None
    split_ratio: float | None
    text: str

    def describe(self) -> str:
        label = "dividend" if self.kind == "dividend" else "split"
        return f"{label} {self.text} on {self.ex_date}"


_CASH = re.compile(r"每\s*(\d*)\s*份派现金\s*([\d.]+)\s*元")
_RATIO = re.compile(r"^\s*([\d.]+)\s*[:：]\s*([\d.]+)\s*$")


def _day(text: object) -> date | None:
    stamp = pd.to_datetime(str(text), errors="coerce")
    return None if pd.isna(stamp) else stamp.date()


def parse_dividends(code: str, frame: pd.DataFrame | None) -> list[Distribution]:
    """``分红送配详情`` rows (年份, 权益登记日, 除息日, 每份分红 ``每份派现金0.0300元`` or
    ``每10份派现金1.420元``, 分红发放日) → dividends by ex-date; unreadable rows are skipped."""
    if frame is None or frame.empty:
        return []
    _columns(frame, ("除息日", "每份分红"), "分红送配详情")
    out = []
    for ex, text in zip(frame["除息日"], frame["每份分红"]):
        match, day = _CASH.search(str(text)), _day(ex)
        if match is None or day is None:
            continue
        units = int(match.group(1) or 1)
        out.append(Distribution(code, day, "dividend", float(match.group(2)) / units, None, str(text)))
    return out


def parse_splits(code: str, frame: pd.DataFrame | None) -> list[Distribution]:
    """``拆分详情`` rows (年份, 拆分折算日, 拆分类型, 拆分折算比例 ``1:1.0107``) → splits; the ratio
    is new units per old unit. Unreadable rows (``暂未披露``) are skipped."""
    if frame is None or frame.empty:
        return []
    _columns(frame, ("拆分折算日", "拆分折算比例"), "拆分详情")
    kinds = frame["拆分类型"] if "拆分类型" in frame.columns else [""] * len(frame)
    out = []
    for day_text, ratio_text, kind in zip(frame["拆分折算日"], frame["拆分折算比例"], kinds):
        match, day = _RATIO.match(str(ratio_text)), _day(day_text)
        if match is None or day is None or float(match.group(1)) <= 0 or float(match.group(2)) <= 0:
            continue
        ratio = float(match.group(2)) / float(match.group(1))
        out.append(Distribution(code, day, "split", None, ratio, f"{kind} {ratio_text}".strip()))
    return out


@dataclass(frozen=True)
class UnitNavDrop:
    """A day the unit NAV fell by more than the cumulative NAV moved (by more than
    ``DISTRIBUTION_GAP`` per unit); ``record`` is the 分红/拆分 record that explains it, if any."""

    code: str
    day: date
    unit_change: float
    cumulative_change: float
    record: Distribution | None

    @property
    def explained(self) -> bool:
        return self.record is not None

    def notice(self) -> str:
        head = (f"{self.code}: unit NAV {self.unit_change:+.1%} on {self.day} "
                f"(cumulative NAV, the close used, {self.cumulative_change:+.1%})")
        if self.record is not None:
            return f"{head}: the {self.record.describe()}, not a loss"
        return f"{head}: no 分红/拆分 record explains the drop (data error?)"


def explain_unit_nav_drops(code: str, unit: pd.Series, cumulative: pd.Series,
                           records: list[Distribution]) -> list[UnitNavDrop]:
    """Each date where unit NAV fell more than cumulative NAV (Δunit − Δcumulative <
    −``DISTRIBUTION_GAP``), matched with a record whose ex-date falls after the previous NAV
    date and on or before it."""
    both = pd.concat({"unit": unit, "cum": cumulative}, axis=1, join="inner").dropna().sort_index()
    gap = (both["unit"].diff() - both["cum"].diff()).to_numpy()
    ordered = sorted(records, key=lambda r: (r.ex_date, r.kind))
    out = []
    for i in np.flatnonzero(gap < -DISTRIBUTION_GAP).tolist():   # the first gap is NaN: never flagged
        before, day = both.index[i - 1].date(), both.index[i].date()
        record = next((r for r in ordered if before < r.ex_date <= day), None)
        out.append(UnitNavDrop(code, day, float(both["unit"].iloc[i] / both["unit"].iloc[i - 1] - 1),
                               float(both["cum"].iloc[i] / both["cum"].iloc[i - 1] - 1), record))
    return out


def absorb_unreflected_splits(code: str, cumulative: pd.Series,
                              splits: list[Distribution]) -> tuple[pd.Series, list[str]]:
    """Back-adjust the cumulative NAV across a split it fell with (a move within ``SPLIT_MATCH``
    of 1 / ratio on the split date): earlier values are divided by the ratio. One notice each."""
    series = cumulative.copy()
    notices = []
    for split in sorted(splits, key=lambda s: s.ex_date):
        ratio = split.split_ratio
        if ratio is None or ratio == 1:
            continue
        at = series.index.searchsorted(pd.Timestamp(split.ex_date))
        if at == 0 or at >= len(series):
            continue
        move = float(series.iloc[at] / series.iloc[at - 1])
        if abs(math.log(move * ratio)) < math.log(1 + SPLIT_MATCH):
            series.iloc[:at] = series.iloc[:at] / ratio
            notices.append(f"{code}: cumulative NAV fell {move - 1:+.1%} with the {split.describe()}: "
                           f"earlier values divided by {ratio:g} so the split is not counted as a loss")
    return series, notices


@dataclass
class FundSeries:
    """An open-end fund's close (cumulative NAV), its records and what they explain."""

    closes: pd.Series
    records: list[Distribution]
    drops: list[UnitNavDrop]
    notices: list[str] = field(default_factory=list)


def open_fund_series(code: str, cumulative: pd.DataFrame, unit: pd.DataFrame | None,
                     records: list[Distribution]) -> FundSeries:
    """Build a fund's close from akshare's ``累计净值走势`` frame; the ``单位净值走势`` frame (``None``
    where that call failed) and the 分红/拆分 records only explain unit-NAV drops."""
    published = (pd.Series(dtype=float) if cumulative.empty   # akshare's answer for a fund without one
                 else dated_series(cumulative, "净值日期", "累计净值", f"累计净值走势 of {code}"))
    if published.empty:
        raise ProviderError(f"akshare has no 累计净值 for {code} (a money-market fund quotes only 7日年化)")
    closes, notices = absorb_unreflected_splits(code, published, [r for r in records if r.kind == "split"])
    drops: list[UnitNavDrop] = []
    if unit is not None and not unit.empty:   # drops compare with the cumulative NAV as published
        unit_nav = dated_series(unit, "净值日期", "单位净值", f"单位净值走势 of {code}")
        drops = explain_unit_nav_drops(code, unit_nav, published, records)
    return FundSeries(closes, records, drops, notices)


def drop_notices(drops: list[UnitNavDrop]) -> list[str]:
    """Every unexplained drop, and one line counting the explained ones (latest shown)."""
    unexplained = [d.notice() for d in drops if not d.explained]
    explained = [d for d in drops if d.explained]
    if explained:
        latest = max(explained, key=lambda d: d.day)
        assert latest.record is not None
        unexplained.append(f"{latest.code}: {len(explained)} unit-NAV drop(s) explained by 分红/拆分 records, "
                           f"not losses (latest: {latest.unit_change:+.1%} on {latest.day}, "
                           f"the {latest.record.describe()})")
    return unexplained


# ---- the fund list ----------------------------------------------------------------------------


@dataclass(frozen=True)
class FundListing:
    """One fund of ``fund_name_em``. ``name_en`` is the pinyin abbreviation, so that the one
    instrument search (``market.search``) finds a fund by code, Chinese name or pinyin."""

    code: str
    name_zh: str
    fund_type: str
    pinyin: str

    @property
    def name_en(self) -> str:
        return self.pinyin


def parse_fund_list(frame: pd.DataFrame) -> list[FundListing]:
    """``fund_name_em`` rows (基金代码, 拼音缩写, 基金简称, 基金类型, 拼音全称) with 6-digit codes."""
    _columns(frame, ("基金代码", "拼音缩写", "基金简称", "基金类型"), "fund_name_em")
    out = {}
    for code, pinyin, name, kind in zip(frame["基金代码"], frame["拼音缩写"], frame["基金简称"], frame["基金类型"]):
        code = str(code).strip()
        if len(code) == BARE_DIGITS and code.isdigit():
            out[code] = FundListing(code, str(name).strip(), str(kind or "").strip(), str(pinyin or "").strip())
    return list(out.values())


def instrument_for(listing: FundListing) -> Instrument:
    """The universe entry of a listed fund: an ETF (name with ``ETF``, not a 联接 feeder) trades on
    its exchange (``5xxxxx`` → ``.SS``, else ``.SZ``); every other fund (LOFs included) by its NAV."""
    if listing.fund_type.startswith("货币"):
        raise ValidationError(f"{listing.code} ({listing.name_zh}) is a money-market fund: "
                              "akshare quotes only its 7-day yield, no NAV series")
    category = ("bond" if "债" in listing.fund_type else "overseas" if "QDII" in listing.fund_type
                else "gold" if "黄金" in listing.name_zh else "other")
    if "ETF" in listing.name_zh.upper() and "联接" not in listing.name_zh and listing.code[0] in "15":
        shanghai = listing.code.startswith("5")
        code = listing.code + (".SS" if shanghai else ".SZ")
        return Instrument(code, listing.name_zh, listing.name_zh, "etf", "SSE" if shanghai else "SZSE", "CNY",
                          code, category, "XSHG")
    return Instrument(listing.code, listing.name_zh, listing.name_zh, "fund", "OTC", "CNY", None, category, "XSHG")


# ---- the provider -----------------------------------------------------------------------------


@dataclass
class RefreshResult:
    """What a refresh did: series stored (code → rows), failures (code → reason; their cached
    rows are kept), instruments skipped (code → why akshare does not serve them), notices."""

    refreshed: dict[str, int] = field(default_factory=dict)
    failed: dict[str, str] = field(default_factory=dict)
    skipped: dict[str, str] = field(default_factory=dict)
    drops: list[UnitNavDrop] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)


@dataclass
class FundSearch:
    """Funds of the list that match a query, with the list's fetch time and any notice."""

    funds: list[FundListing]
    listed: int
    fetched_at: datetime | None
    notices: list[str] = field(default_factory=list)


class AkshareProvider:
    """akshare prices with a store cache and a visible fallback to it (module docstring)."""

    name = "akshare"

    def __init__(self, store: Store, *, pause: float = AKSHARE_PAUSE_SECONDS, clock: Clock | None = None,
                 sleep: Sleep | None = None, max_age: timedelta = SERIES_MAX_AGE,
                 progress: Progress | None = None, today: Callable[[], date] = date.today) -> None:
        self.store = store
        self.max_age = max_age
        self.progress = progress
        # looked up now, not at import: a test may replace time.sleep
        self._limiter = RateLimiter(pause, clock or time.monotonic, sleep or time.sleep)
        self._today = today

    def universe(self) -> list[Instrument]:
        return stored_universe(self.store)

    # -- akshare calls

    def _call(self, function: str, **kwargs: Any) -> pd.DataFrame:
        """One rate-limited call of an akshare function; any failure is a ``ProviderError``."""
        import akshare  # slow to import and only needed when akshare is really asked

        described = f"{function}({', '.join(f'{k}={v!r}' for k, v in kwargs.items())})"
        try:
            frame = self._limiter.call(getattr(akshare, function), **kwargs)
        except Exception as exc:  # noqa: BLE001 - akshare raises requests, JSON, KeyError...: all mean "no data"
            raise ProviderError(f"akshare {described} failed: {type(exc).__name__}: {exc}") from None
        if not isinstance(frame, pd.DataFrame):
            raise ProviderError(f"akshare {described} returned {type(frame).__name__}, not a table")
        return frame

    def _fetch(self, instrument: Instrument) -> tuple[pd.Series, list[Distribution] | None, list[UnitNavDrop],
                                                      list[str]]:
        """The instrument's closes; for an open-end fund also its fetched 分红/拆分 records (``None``
        when they could not be fetched: the cached ones then explain the drops and are kept)."""
        symbol = symbol_of(instrument.code)
        end = self._today().strftime("%Y%m%d")
        if instrument.kind == "fund":
            info = "fund_open_fund_info_em"
            cumulative = self._call(info, symbol=symbol, indicator="累计净值走势")
            notices: list[str] = []
            unit: pd.DataFrame | None = None
            fetched: list[Distribution] | None = None
            try:   # the close is right without these; they only explain unit-NAV drops
                unit = self._call(info, symbol=symbol, indicator="单位净值走势")
                fetched = (parse_dividends(instrument.code, self._call(info, symbol=symbol, indicator="分红送配详情"))
                           + parse_splits(instrument.code, self._call(info, symbol=symbol, indicator="拆分详情")))
            except ProviderError as exc:
                notices.append(f"{instrument.code}: " + ("unit-NAV drops not explained" if unit is None else
                                                          "using the cached 分红/拆分 records") + f" ({exc})")
            records = fetched if fetched is not None else self.distributions([instrument.code])
            fund = open_fund_series(instrument.code, cumulative, unit, records)
            return fund.closes, fetched, fund.drops, notices + fund.notices + drop_notices(fund.drops)
        if instrument.kind in EXCHANGE_HISTORY:
            frame = self._call(EXCHANGE_HISTORY[instrument.kind], symbol=symbol, period="daily",
                               start_date=WHOLE_HISTORY_START, end_date=end, adjust="hfq")
        else:
            frame = self._call("index_zh_a_hist", symbol=symbol, period="daily",
                               start_date=WHOLE_HISTORY_START, end_date=end)
        closes = pd.Series(dtype=float) if frame.empty else dated_series(frame, "日期", "收盘",
                                                                         f"history of {instrument.code}")
        if closes.empty:
            raise ProviderError(f"akshare returned no prices for {instrument.code} ({instrument.kind} {symbol})")
        return closes, [], [], []

    # -- the cache

    def _store(self, code: str, closes: pd.Series, records: list[Distribution] | None, now: datetime) -> None:
        """Replace the code's cached akshare series, and its records unless ``None`` (one transaction)."""
        prices, dists = schema.prices, schema.fund_distributions
        rows = [{"code": code, "date": d, "source": AKSHARE_SOURCE, "close": float(v), "fetched_at": now}
                for d, v in zip(pd.DatetimeIndex(closes.index).date, closes.to_numpy(dtype=float))]
        with self.store.write() as conn:
            conn.execute(delete(prices).where(prices.c.code == code, prices.c.source == AKSHARE_SOURCE))
            insert_ignore(conn, prices, rows)
            if records is None:
                return
            unique = {(r.ex_date, r.kind): r for r in records}
            conn.execute(delete(dists).where(dists.c.code == code))
            insert_ignore(conn, dists, [{"code": code, "ex_date": r.ex_date, "kind": r.kind,
                                         "cash_per_unit": r.cash_per_unit, "split_ratio": r.split_ratio,
                                         "text": r.text[:64], "fetched_at": now} for r in unique.values()])

    def fetched_at(self, codes: list[str]) -> dict[str, datetime]:
        """When each code's cached akshare series was fetched (codes with none are absent)."""
        p = schema.prices
        with self.store.read() as conn:
            rows = conn.execute(select(p.c.code, func.max(p.c.fetched_at))
                                .where(p.c.source == AKSHARE_SOURCE, p.c.code.in_(codes))
                                .group_by(p.c.code)).all()
        return {code: at for code, at in rows if at is not None}

    def distributions(self, codes: list[str]) -> list[Distribution]:
        """The cached 分红/拆分 records of these codes, by code and ex-date."""
        d = schema.fund_distributions
        with self.store.read() as conn:
            rows = conn.execute(select(d.c.code, d.c.ex_date, d.c.kind, d.c.cash_per_unit, d.c.split_ratio, d.c.text)
                                .where(d.c.code.in_(codes)).order_by(d.c.code, d.c.ex_date)).all()
        return [Distribution(*row) for row in rows]

    # -- refresh and read

    def refresh(self, codes: list[str] | None = None, progress: Progress | None = None) -> RefreshResult:
        """Fetch and cache each code's whole series (default: every instrument akshare serves).
        A failure keeps the code's cached rows and says so; ``progress`` is called after each code."""
        by_code = {i.code: i for i in self.universe()}
        codes = list(codes) if codes is not None else [c for c, i in by_code.items() if serves(i)]
        unknown = [c for c in codes if c not in by_code]
        if unknown:
            raise NotFoundError(f"not in the instrument universe: {', '.join(unknown)} "
                                "(resolve_codes registers funds from the fund list)")
        progress = progress or self.progress
        result = RefreshResult()
        for done, code in enumerate(codes, start=1):
            instrument = by_code[code]
            if not serves(instrument):
                result.skipped[code] = f"akshare does not quote {instrument.kind} on {instrument.market}"
            else:
                try:
                    closes, records, drops, notices = self._fetch(instrument)
                except ProviderError as exc:
                    result.failed[code] = str(exc)
                else:
                    self._store(code, closes, records, utcnow())
                    result.refreshed[code] = len(closes)
                    result.drops += drops
                    result.notices += notices
            if progress is not None:
                progress(done, len(codes), code)
        if result.failed:
            cached = self.fetched_at(list(result.failed))
            for code, reason in result.failed.items():
                if code in cached:
                    result.notices.append(f"{reason}: showing cached akshare prices of {code} "
                                          f"fetched {cached[code]:%Y-%m-%d %H:%M} UTC")
                else:
                    result.notices.append(f"{reason}: no price data for {code} (nothing cached)")
        result.notices += [f"no akshare prices for {c}: {why}" for c, why in result.skipped.items()]
        return result

    def closes(self, codes: list[str] | None = None, start: date | None = None,
               end: date | None = None) -> PriceData:
        """Cached akshare closes; series missing from the cache or older than ``max_age`` are
        refreshed first (a failed refresh shows the cached rows, with a notice)."""
        by_code = {i.code: i for i in self.universe()}
        codes = list(codes) if codes is not None else [c for c, i in by_code.items() if serves(i)]
        known = [c for c in codes if c in by_code]
        notices = [f"no akshare prices for {c}: not in the instrument universe" for c in codes if c not in by_code]
        fetched = self.fetched_at(known)
        now = utcnow()
        stale = [c for c in known if c not in fetched or now - fetched[c] >= self.max_age]
        failed: dict[str, str] = {}
        if stale:
            result = self.refresh(stale)
            notices += result.notices
            failed = result.failed
        p = schema.prices
        query = select(p.c.date, p.c.code, p.c.close).where(p.c.source == AKSHARE_SOURCE, p.c.code.in_(known))
        if start is not None:
            query = query.where(p.c.date >= start)
        if end is not None:
            query = query.where(p.c.date <= end)
        with self.store.read() as conn:
            rows = conn.execute(query).all()
        wide = long_to_wide(rows_frame(rows, ["date", "code", "close"])) if rows else pd.DataFrame()
        wide = wide.reindex(columns=[c for c in codes if c in wide.columns])
        sources = {c: AKSHARE_SOURCE + (" (cached)" if c in failed else "") for c in wide.columns}
        return PriceData(wide, sources, notices)

    # -- the fund list and the universe

    def _directory(self, refresh: bool = False) -> tuple[list[FundListing], datetime | None, list[str]]:
        """The cached fund list, fetched first when empty, older than ``DIRECTORY_MAX_AGE`` or
        asked; a failed fetch falls back to the cached list with a notice."""
        t = schema.fund_directory
        with self.store.read() as conn:
            rows = conn.execute(select(t.c.code, t.c.name, t.c.fund_type, t.c.pinyin, t.c.fetched_at)
                                .order_by(t.c.code)).all()
        cached = [FundListing(*row[:4]) for row in rows]
        fetched_at = min((row[4] for row in rows), default=None)
        if not refresh and fetched_at is not None and utcnow() - fetched_at <= DIRECTORY_MAX_AGE:
            return cached, fetched_at, []
        try:
            listings = parse_fund_list(self._call("fund_name_em"))
            if not listings:
                raise ProviderError("akshare fund_name_em returned no funds")
        except ProviderError as exc:
            if not cached:
                raise ProviderError(f"{exc}; and no fund list is cached") from None
            stale = f"{exc}: searching the fund list cached {fetched_at:%Y-%m-%d %H:%M} UTC"
            return cached, fetched_at, [stale]
        now = utcnow()
        with self.store.write() as conn:
            conn.execute(delete(t))
            insert_ignore(conn, t, [{"code": f.code, "name": f.name_zh[:128], "fund_type": f.fund_type[:32],
                                     "pinyin": f.pinyin[:64], "fetched_at": now} for f in listings])
        return listings, now, []

    def search_funds(self, query: str, limit: int = 20, refresh: bool = False) -> FundSearch:
        """Funds whose code, name or pinyin abbreviation matches ``query`` (best first)."""
        listings, fetched_at, notices = self._directory(refresh)
        return FundSearch(search_instruments(listings, query, limit), len(listings), fetched_at, notices)

    def resolve_codes(self, typed: Iterable[str]) -> list[str]:
        """Universe codes for what a user typed; a fund code the universe lacks is looked up in
        the fund list and registered. Every code is checked before anything is registered: an
        ambiguous or unknown code raises and the universe is unchanged."""
        resolver = CodeResolver(i.code for i in self.universe())
        out: list[str] = []
        new: dict[str, Instrument] = {}
        listed: dict[str, FundListing] | None = None
        for raw in typed:
            match = resolver.match(raw)
            if match.code is not None:
                out.append(match.code)
                continue
            bare = symbol_of(match.typed)
            if match.kind in ("empty", "ambiguous", "short") or not (bare.isdigit() and len(bare) == BARE_DIGITS):
                raise ValidationError(match.reason)
            if listed is None:
                listed = {f.code: f for f in self._directory()[0]}
            if bare not in listed:
                raise NotFoundError(f"unknown code {match.typed!r}: not in the instrument universe nor in "
                                    f"天天基金's fund list ({len(listed)} funds, fund_name_em); "
                                    "find it with `python -m socialfund market funds QUERY`")
            instrument = instrument_for(listed[bare])
            new[instrument.code] = instrument
            out.append(instrument.code)
        if new:
            register_instruments(self.store, list(new.values()))
        return out
