"""Prices on one explicit trading-session axis (XSHG), read only up to an as-of date.

Price alignment (decided here, shown in the app):

* **Session axis.** XSHG sessions, taken from the quoted dates of the CN benchmark
  (``000300.SS`` by default). Every portfolio NAV lives on that axis.
* **CN instruments** (calendar XSHG) are reindexed onto it; a missing quote stays NaN
  (suspension), never filled here.
* **US instruments** (calendar XNYS) close at 16:00 New York = 04:00/05:00 Beijing
  the *next* day, after the Shanghai close of the same date. At a Shanghai session dated
  d the last US close anyone could know is therefore the last XNYS close dated
  **strictly before d** ("as of" alignment). That value is used at the Shanghai sessions
  that follow it, also across US holidays (it is then older, but it is still the latest
  known price), for at most ``core.sessions.MAX_CARRY_SESSIONS`` sessions after the first:
  a US series that stops quoting becomes NaN on the axis after that (the NAV's own carry
  limit then excludes what holds it, and ``market.quality`` names it stale), never a price
  carried for months. Nothing from the future, no hole at a fill session. Prices stay in
  the instrument's own currency here; ``session_prices`` converts them (``market.fx``).
* **Rows on non-sessions** (a 2015-01-01 holiday row, a weekend date) are dropped by
  ``drop_non_sessions``, each on its own instrument's calendar (``market.calendars``), before
  the axis is built: a holiday never becomes a session. ``quality_report`` counts them, with
  the rest of ``market.quality``'s checks, on what the provider returned, whichever it is.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping

import numpy as np
import pandas as pd

from socialfund.core.errors import ValidationError
from socialfund.core.sessions import MAX_CARRY_SESSIONS
from socialfund.market.calendars import CLOSES_AFTER_SHANGHAI, DEFAULT_CALENDAR, on_sessions, sessions_between
from socialfund.market.fx import foreign_currencies, fx_code, to_base_currency
from socialfund.market.instruments import Instrument
from socialfund.market.pricedata import PriceData
from socialfund.market.providers import PriceProvider
from socialfund.market.quality import Dividends, QualityReport, check_prices

DEFAULT_BENCHMARK = "000300.SS"


def cn_sessions(closes: pd.DataFrame, benchmark: str = DEFAULT_BENCHMARK) -> pd.DatetimeIndex:
    """The XSHG session axis: dates on which the CN benchmark has a close; without any
    benchmark price (a store of one's own fund NAVs only), the XSHG calendar's sessions from
    the first to the last date any series is quoted (``market.calendars``)."""
    if benchmark in closes.columns and closes[benchmark].notna().any():
        return pd.DatetimeIndex(closes[benchmark].dropna().index, name="date")
    quoted = closes.dropna(how="all").index
    if len(quoted) == 0:
        raise ValidationError(f"no prices at all (not even for the session benchmark {benchmark}); "
                              f"cannot build the XSHG session list")
    return sessions_between(DEFAULT_CALENDAR, quoted.min(), quoted.max())


def align_to_sessions(closes: pd.DataFrame, sessions: pd.DatetimeIndex,
                      calendars: Mapping[str, str]) -> pd.DataFrame:
    """Closes on the Shanghai session axis (see the module docstring).

    XSHG codes: plain reindex (NaN stays NaN). XNYS codes: at session d, the last close
    dated strictly before d (NaN before the first one, and NaN once it is more than
    ``MAX_CARRY_SESSIONS`` sessions past the first session after it). Codes with an unknown
    calendar are treated as XSHG."""
    sessions = pd.DatetimeIndex(sessions)
    out = pd.DataFrame(index=sessions, columns=list(closes.columns), dtype=float)
    for code in closes.columns:
        if calendars.get(code, DEFAULT_CALENDAR) in CLOSES_AFTER_SHANGHAI:
            quoted = closes[code].dropna()
            pos = np.searchsorted(quoted.index.values, sessions.values, side="left") - 1
            values = np.where(pos >= 0, quoted.to_numpy(dtype=float)[np.maximum(pos, 0)], np.nan)
            # sessions since the first one that could know the close used: 0 = fresh
            first_knowing = np.searchsorted(sessions.values, quoted.index.values[np.maximum(pos, 0)], side="right")
            carried = np.arange(len(sessions)) - first_knowing
            out[code] = np.where(carried <= MAX_CARRY_SESSIONS, values, np.nan)
        else:
            out[code] = closes[code].reindex(sessions).to_numpy(dtype=float)
    out.index.name = "date"
    return out


def drop_non_sessions(closes: pd.DataFrame, calendars: Mapping[str, str]) -> tuple[pd.DataFrame, dict[str, int]]:
    """``closes`` (dates × codes) without the prices dated on a non-session of their code's
    calendar (default XSHG), and dates left with no price at all; plus how many prices were
    dropped per code (codes with none dropped are left out)."""
    if closes.empty:
        return closes, {}
    dates = pd.DatetimeIndex(closes.index)
    masks: dict[str, np.ndarray] = {}   # one session mask per calendar
    kept = closes.copy()
    dropped: dict[str, int] = {}
    for code in closes.columns:
        calendar = calendars.get(code, DEFAULT_CALENDAR)
        if calendar not in masks:
            masks[calendar] = on_sessions(calendar, dates).to_numpy()
        off = ~masks[calendar] & closes[code].notna().to_numpy()
        if off.any():
            kept.loc[off, code] = np.nan
            dropped[code] = int(off.sum())
    return (kept.dropna(how="all") if dropped else kept), dropped


def quality_report(data: PriceData, universe: Iterable[Instrument], as_of: dt.date | None = None,
                   dividends: Dividends | None = None) -> QualityReport:
    """``market.quality.check_prices`` on what a provider returned (its closes, each code on
    its instrument's calendar), with the provider's notices: the one place every provider's
    prices are checked (``market check``, the app's data-quality panel)."""
    calendars = {i.code: i.calendar for i in universe}
    return check_prices(data.closes, calendars, as_of, dividends, data.notices)


def session_prices(provider: PriceProvider, codes: Iterable[str] | None = None, as_of: dt.date | None = None,
                   benchmark: str = DEFAULT_BENCHMARK) -> pd.DataFrame:
    """Aligned closes (XSHG sessions × codes) up to ``as_of`` (inclusive; default: all).

    Only prices dated on or before ``as_of`` are read, so nothing computed from the
    result can look ahead."""
    universe = provider.universe()
    currencies = {i.code: i.currency for i in universe}
    wanted = None if codes is None else sorted(set(codes) | {benchmark})
    # FX series are price series (market.fx): asked for in the same request as the prices
    fx_codes = [fx_code(c) for c in foreign_currencies(wanted or list(currencies), currencies)]
    if fx_codes:
        wanted = sorted(set(wanted or currencies) | set(fx_codes))
    closes = provider.closes(wanted).closes
    if as_of is not None:
        closes = closes.loc[closes.index <= pd.Timestamp(as_of)]
    rates = closes.reindex(columns=fx_codes)
    closes = closes.drop(columns=fx_codes, errors="ignore")
    calendars = {i.code: i.calendar for i in universe}
    closes, _ = drop_non_sessions(closes, calendars)   # counted by quality_report, shown by the pages
    aligned = align_to_sessions(closes, cn_sessions(closes, benchmark), calendars)
    return to_base_currency(aligned, currencies, rates) if fx_codes else aligned
