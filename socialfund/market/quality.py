"""Price quality as a result: per series, what is known about its dates and moves, never
silently used.

``check_series`` reports, for one instrument's closes on its own exchange calendar
(``market.calendars``):

* **first / last**: the dates of its first and last valid price (on or before ``as_of``);
* **staleness**: sessions of its calendar after its last price up to ``as_of`` (for a
  calendar that closes after Shanghai, XNYS, up to the session *before* ``as_of``: that
  close is the latest anyone in Shanghai can know, see ``market.sessions``). A series
  carried forward at every session shows here, not as a flat line;
* **gaps**: sessions between first and last without a price (blank or missing rows);
* **non-sessions**: rows dated on a day its market was closed (e.g. 2015-01-01), dropped
  by ``market.sessions.drop_non_sessions`` before the session axis is built, counted here;
* **jumps**: a close whose ratio r to the previous *valid* close (a gap may lie between,
  so a gap then a jump is caught) has ``|ln r| ≥ ln MAX_ONE_DAY_RATIO``, with the
  suspicion: a 100× unit error, a k-for-1 split, or a data error;
* **dividends**: where per-unit cash dividends are given, a unit-NAV drop on the ex-date
  of at least half the cash is explained by the dividend (reported with the total-return
  move ``(close + cash) / previous − 1``); a jump so explained is not a jump.

``check_prices`` does that for every column of a provider's closes (one place for every
provider: ``market.sessions.quality_report``). Results are plain data; words live in
``socialfund.view.quality_text`` (zh and en).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
import datetime as dt
from decimal import Decimal
from typing import Any

import numpy as np
import pandas as pd

from socialfund.market.calendars import CLOSES_AFTER_SHANGHAI, DEFAULT_CALENDAR, is_known, sessions_between

# A one-day price ratio beyond 1.5x either way (≥ +50 % or ≤ −33 %) is flagged as a split or data
# error, not silently used: symmetric in log terms, so a 2-for-1 split (−50 %) is flagged even on a
# day the market rose. No fund or ETF moves that much in a day (A-share limits are ±10 %/±20 %).
MAX_ONE_DAY_RATIO = 1.5
_LOG_LIMIT = math.log(MAX_ONE_DAY_RATIO)

#: A ratio within 5 % of k (or 1/k) for one of these k reads as a k-for-1 split (or reverse split).
SPLIT_FACTORS = (1.5, *range(2, 51))
_SPLIT_TOLERANCE = 0.05
#: A ratio between 100/1.5 and 100×1.5 (either way) reads as prices written in the wrong unit
#: (fen for yuan, pence for pounds: Yahoo's 100× errors).
_UNIT_ERROR_LOG10_BAND = math.log10(MAX_ONE_DAY_RATIO)

#: What a jump is suspected to be.
SUSPICIONS = ("unit_100x", "split", "data_error")
#: The kinds of issue a series can have; ``dividend`` is information (an explained drop), the rest warnings.
ISSUE_KINDS = ("no_prices", "calendar", "stale", "gaps", "non_sessions", "jump", "dividend")
INFO_KINDS = frozenset({"dividend"})

#: Per-unit cash dividends by code: ``{code: [(ex-date, cash per unit), …]}`` (the optional
#: input of ``check_prices``; a provider with dividend records supplies it).
Dividends = Mapping[str, Sequence[tuple[dt.date, Decimal | float]]]


@dataclass(frozen=True)
class PriceMove:
    """A close and the previous VALID close (``previous_date``: maybe sessions before)."""

    date: dt.date
    previous_date: dt.date
    previous: float
    close: float

    @property
    def change(self) -> float:
        return self.close / self.previous - 1


@dataclass(frozen=True)
class Jump(PriceMove):
    """A move too large to be real, and what it is suspected to be (``SUSPICIONS``)."""

    suspicion: str


@dataclass(frozen=True)
class DividendDrop(PriceMove):
    """A unit-NAV drop (``change``) on an ex-date, explained by ``cash`` per unit."""

    cash: Decimal

    @property
    def total_return(self) -> float:
        """The move with the cash added back: ``(close + cash) / previous − 1``."""
        return (self.close + float(self.cash)) / self.previous - 1


@dataclass(frozen=True)
class Issue:
    """One thing to say about a series: ``kind`` (``ISSUE_KINDS``) and its figures."""

    code: str
    kind: str
    params: Mapping[str, Any] = field(default_factory=dict)

    @property
    def is_warning(self) -> bool:
        return self.kind not in INFO_KINDS


@dataclass(frozen=True)
class SeriesQuality:
    """The quality of one series (see the module docstring for each field)."""

    code: str
    calendar: str
    calendar_known: bool
    as_of: dt.date | None
    first: dt.date | None
    last: dt.date | None
    rows: int                                   # valid prices on sessions
    stale_sessions: int
    gap_dates: tuple[dt.date, ...]
    longest_gap: int                            # sessions in the longest run of gaps
    non_session_dates: tuple[dt.date, ...]
    jumps: tuple[Jump, ...]
    dividends: tuple[DividendDrop, ...]

    @property
    def gaps(self) -> int:
        return len(self.gap_dates)

    @property
    def non_sessions_dropped(self) -> int:
        return len(self.non_session_dates)

    def issues(self) -> list[Issue]:
        out: list[Issue] = []
        c = self.code
        if not self.calendar_known:
            out.append(Issue(c, "calendar", {"calendar": self.calendar}))
        if self.last is None:
            out.append(Issue(c, "no_prices", {}))
        if self.stale_sessions > 0:
            out.append(Issue(c, "stale", {"sessions": self.stale_sessions, "last": self.last,
                                          "as_of": self.as_of, "calendar": self.calendar}))
        if self.gap_dates:
            out.append(Issue(c, "gaps", {"count": self.gaps, "longest": self.longest_gap,
                                         "first": self.gap_dates[0], "calendar": self.calendar}))
        if self.non_session_dates:
            out.append(Issue(c, "non_sessions", {"count": self.non_sessions_dropped,
                                                 "first": self.non_session_dates[0], "calendar": self.calendar}))
        out += [Issue(c, "jump", {"date": j.date, "previous_date": j.previous_date, "change": j.change,
                                  "suspicion": j.suspicion}) for j in self.jumps]
        out += [Issue(c, "dividend", {"date": d.date, "change": d.change, "cash": d.cash,
                                      "total_return": d.total_return}) for d in self.dividends]
        return out

    @property
    def ok(self) -> bool:
        return not any(i.is_warning for i in self.issues())

    def to_record(self) -> dict[str, Any]:
        """JSON-ready (dates ISO, changes as fractions rounded to 1e-6, cash as text)."""
        def iso(d: dt.date | None) -> str | None:
            return None if d is None else d.isoformat()

        return {
            "code": self.code, "calendar": self.calendar, "first": iso(self.first), "last": iso(self.last),
            "rows": self.rows, "stale_sessions": self.stale_sessions,
            "gaps": self.gaps, "longest_gap": self.longest_gap, "gap_dates": [iso(d) for d in self.gap_dates],
            "non_sessions_dropped": self.non_sessions_dropped,
            "non_session_dates": [iso(d) for d in self.non_session_dates],
            "jumps": [{"date": iso(j.date), "previous_date": iso(j.previous_date), "change": round(j.change, 6),
                       "suspicion": j.suspicion} for j in self.jumps],
            "dividends": [{"date": iso(d.date), "cash": str(d.cash), "unit_change": round(d.change, 6),
                           "total_return": round(d.total_return, 6)} for d in self.dividends],
            "ok": self.ok,
        }


@dataclass(frozen=True)
class QualityReport:
    """Every series' quality, plus the provider's own notices (fallbacks to cache or demo)."""

    as_of: dt.date | None
    series: tuple[SeriesQuality, ...]
    notices: tuple[str, ...] = ()

    def issues(self) -> list[Issue]:
        return [i for s in self.series for i in s.issues()]

    @property
    def flagged(self) -> list[SeriesQuality]:
        """The series with at least one warning."""
        return [s for s in self.series if not s.ok]

    @property
    def ok(self) -> bool:
        return not self.flagged and not self.notices


def suspicion(ratio: float) -> str:
    """What a too-large move of ``ratio`` (close / previous close) most likely is."""
    big = max(ratio, 1 / ratio)
    if abs(math.log10(big) - 2) <= _UNIT_ERROR_LOG10_BAND:
        return "unit_100x"
    if any(abs(big / k - 1) <= _SPLIT_TOLERANCE for k in SPLIT_FACTORS):
        return "split"
    return "data_error"


def _days(index: pd.Index) -> np.ndarray:
    """Dates as ``datetime64[D]`` (time of day and time zone dropped)."""
    stamps = pd.DatetimeIndex(pd.to_datetime(index))
    return (stamps.tz_localize(None) if stamps.tz is not None else stamps).to_numpy().astype("datetime64[D]")


def _valid(days: np.ndarray, values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The positive finite closes, sorted by date."""
    keep = np.isfinite(values) & (values > 0)
    days, values = days[keep], values[keep]
    order = np.argsort(days, kind="stable")
    return days[order], values[order]


def _jump_positions(values: np.ndarray) -> np.ndarray:
    """Positions i ≥ 1 where ``values[i] / values[i-1]`` is beyond the limit either way."""
    if len(values) < 2:
        return np.array([], dtype=int)
    moves = np.abs(np.log(values[1:] / values[:-1]))
    return np.flatnonzero(moves >= _LOG_LIMIT - 1e-12) + 1


def _longest_run(positions: np.ndarray) -> int:
    """The longest run of consecutive integers in sorted ``positions``."""
    if len(positions) == 0:
        return 0
    breaks = np.flatnonzero(np.diff(positions) != 1)
    bounds = np.concatenate(([-1], breaks, [len(positions) - 1]))
    return int(np.diff(bounds).max())


def _date(day: np.datetime64) -> dt.date:
    value: dt.date = day.astype("datetime64[D]").astype(object)
    return value


def _dividend_drops(days: np.ndarray, values: np.ndarray,
                    dividends: Iterable[tuple[dt.date, Decimal | float]]) -> list[DividendDrop]:
    """The ex-dates (moved to the first price on or after them) whose unit-NAV drop is at
    least half the cash: explained by the dividend. Cash on one price date is summed."""
    cash_at: dict[int, Decimal] = {}
    for day, cash in dividends:
        i = int(np.searchsorted(days, np.datetime64(day, "D"), side="left"))
        if 1 <= i < len(days):
            cash_at[i] = cash_at.get(i, Decimal(0)) + Decimal(str(cash))
    out = []
    for i, cash in sorted(cash_at.items()):
        previous, close = float(values[i - 1]), float(values[i])
        if cash > 0 and close / previous - 1 <= -(float(cash) / previous) / 2:
            out.append(DividendDrop(_date(days[i]), _date(days[i - 1]), previous, close, cash))
    return out


def _check(code: str, days: np.ndarray, values: np.ndarray, calendar: str, sessions: np.ndarray,
           as_of: dt.date | None, dividends: Iterable[tuple[dt.date, Decimal | float]]) -> SeriesQuality:
    """``check_series`` on arrays: ``days`` (datetime64[D]) and ``values`` of one series,
    ``sessions`` the calendar's sorted sessions covering its dates and ``as_of``."""
    days, values = _valid(days, values)
    if as_of is not None:
        before = days <= np.datetime64(as_of, "D")
        days, values = days[before], values[before]
    pos = np.searchsorted(sessions, days)
    on = (pos < len(sessions)) & (sessions[np.minimum(pos, len(sessions) - 1)] == days)
    non_sessions = tuple(_date(d) for d in days[~on])
    days, values, pos = days[on], values[on], pos[on]
    known = is_known(calendar)
    if len(days) == 0:
        return SeriesQuality(code, calendar, known, as_of, None, None, 0, 0, (), 0, non_sessions, (), ())
    present = np.zeros(pos[-1] - pos[0] + 1, dtype=bool)
    present[pos - pos[0]] = True
    missing = np.flatnonzero(~present) + pos[0]   # session positions between first and last without a price
    reference = np.datetime64(as_of, "D") if as_of is not None else days[-1]
    if calendar in CLOSES_AFTER_SHANGHAI and as_of is not None:
        reference = reference - np.timedelta64(1, "D")   # its close dated as_of is not known yet at as_of
    stale = max(0, int(np.searchsorted(sessions, reference, side="right")) - int(pos[-1]) - 1)
    drops = _dividend_drops(days, values, dividends)
    explained = {d.date: float(d.cash) for d in drops}
    jumps = []
    for i in _jump_positions(values):
        day, previous, close = _date(days[i]), float(values[i - 1]), float(values[i])
        cash = explained.get(day)
        if cash is not None and abs(math.log((close + cash) / previous)) < _LOG_LIMIT:
            continue   # the drop is the dividend paid out
        jumps.append(Jump(day, _date(days[i - 1]), previous, close, suspicion(close / previous)))
    return SeriesQuality(code, calendar, known, as_of, _date(days[0]), _date(days[-1]), len(days), stale,
                         tuple(_date(sessions[i]) for i in missing), _longest_run(missing),
                         non_sessions, tuple(jumps), tuple(drops))


def _sessions(calendar: str, days: np.ndarray, as_of: dt.date | None) -> np.ndarray:
    """The sessions of ``calendar`` (datetime64[D]) from the first of ``days`` through the
    later of their last and ``as_of``."""
    if len(days) == 0:
        return np.array([], dtype="datetime64[D]")
    end = max(days.max(), np.datetime64(as_of, "D")) if as_of is not None else days.max()
    return sessions_between(calendar, pd.Timestamp(days.min()), pd.Timestamp(end)).to_numpy().astype("datetime64[D]")


def check_series(closes: pd.Series, calendar: str = DEFAULT_CALENDAR, as_of: dt.date | None = None,
                 dividends: Iterable[tuple[dt.date, Decimal | float]] = ()) -> SeriesQuality:
    """The quality of one series (``closes.name`` is its code; NaN = no price) on its
    calendar, read up to ``as_of`` (default: its last price). See the module docstring."""
    days = _days(closes.index)
    values = pd.to_numeric(closes, errors="coerce").to_numpy(dtype=float)
    return _check(str(closes.name), days, values, calendar, _sessions(calendar, days, as_of), as_of, dividends)


def check_prices(closes: pd.DataFrame, calendars: Mapping[str, str], as_of: dt.date | None = None,
                 dividends: Dividends | None = None, notices: Sequence[str] = ()) -> QualityReport:
    """``check_series`` for every column of a closes table (dates × codes), each on its
    calendar (``calendars``: code → calendar name, default XSHG), all up to one ``as_of``
    (default: the latest date with any price, so staleness is relative to the freshest series)."""
    if as_of is None:
        dated = closes.dropna(how="all").index
        as_of = None if len(dated) == 0 else pd.Timestamp(dated.max()).date()
    dividends = dividends or {}
    days = _days(closes.index)
    values = closes.apply(pd.to_numeric, errors="coerce").to_numpy(dtype=float)
    sessions: dict[str, np.ndarray] = {}   # one session array per calendar, over the whole table
    series = []
    for j, code in enumerate(closes.columns):
        calendar = calendars.get(code, DEFAULT_CALENDAR)
        if calendar not in sessions:
            sessions[calendar] = _sessions(calendar, days, as_of)
        series.append(_check(str(code), days, values[:, j], calendar, sessions[calendar], as_of,
                             dividends.get(code, ())))
    return QualityReport(as_of, tuple(series), tuple(notices))


def jump_warnings(wide: pd.DataFrame) -> list[str]:
    """One warning per (code, date) whose close-to-previous-valid-close ratio r has
    ``|ln r| ≥ ln MAX_ONE_DAY_RATIO`` (wide: dates × codes of closes; NaN = no price, so a
    gap then a jump is still caught)."""
    out = []
    all_days = _days(wide.index)
    for code in wide.columns:
        days, values = _valid(all_days, pd.to_numeric(wide[code], errors="coerce").to_numpy(dtype=float))
        for i in _jump_positions(values):
            change = float(values[i] / values[i - 1] - 1)
            out.append(f"{code}: move of {change:+.0%} on {_date(days[i])} from the close of "
                       f"{_date(days[i - 1])} (split or data error?)")
    return out
