"""Exchange session calendars (exchange-calendars): which dates are trading sessions of an
instrument's market (``Instrument.calendar``: XSHG for China, XNYS for the US, …).

Outside the range a calendar knows (before ``CALENDAR_START``, or after the last year whose
holidays exchange-calendars records, e.g. XSHG ends with 2026 in release 4.13), and for a
calendar name it does not know, every weekday counts as a session: an approximation, said
so by ``is_known``."""

from __future__ import annotations

from typing import Any

import pandas as pd

#: One start for every calendar, so exchange-calendars builds (and keeps) one object per
#: name: building one takes up to a second, and XSHG opened on 1990-12-19.
CALENDAR_START = "1991-01-01"

#: The calendar of an instrument whose calendar is not stated (as ``market.sessions`` does).
DEFAULT_CALENDAR = "XSHG"

#: Calendars whose close dated d comes after the Shanghai close of d (New York's 16:00 is
#: 04:00/05:00 Beijing the next day): at a Shanghai session d their latest known close is
#: the one dated strictly before d (``market.sessions``).
CLOSES_AFTER_SHANGHAI = frozenset({"XNYS"})


def _exchange(name: str) -> Any:
    import exchange_calendars as xcals   # slow to import: only when sessions are asked for

    try:
        return xcals.get_calendar(name, start=CALENDAR_START)   # exchange-calendars caches it by name+start
    except xcals.errors.InvalidCalendarName:
        return None


def is_known(name: str) -> bool:
    """Whether exchange-calendars knows ``name`` (else weekdays stand in for sessions)."""
    return _exchange(name) is not None


def sessions_between(name: str, start: pd.Timestamp, end: pd.Timestamp) -> pd.DatetimeIndex:
    """The sessions of calendar ``name`` from ``start`` to ``end`` (both inclusive), naive
    midnight timestamps; weekdays where the calendar has no record (module docstring)."""
    start, end = pd.Timestamp(start).normalize(), pd.Timestamp(end).normalize()
    if end < start:
        return pd.DatetimeIndex([], name="date")
    calendar = _exchange(name)
    if calendar is None:
        return pd.DatetimeIndex(pd.bdate_range(start, end), name="date")
    first, last = calendar.first_session, calendar.last_session
    parts = []
    if start < first:
        parts.append(pd.bdate_range(start, min(end, first - pd.Timedelta(days=1))))
    if end >= first and start <= last:
        parts.append(calendar.sessions_in_range(max(start, first), min(end, last)))
    if end > last:
        parts.append(pd.bdate_range(max(start, last + pd.Timedelta(days=1)), end))
    out = pd.DatetimeIndex(parts[0] if len(parts) == 1 else parts[0].append(parts[1:]))
    return pd.DatetimeIndex(out.tz_localize(None) if out.tz is not None else out, name="date")


def on_sessions(name: str, dates: pd.DatetimeIndex) -> pd.Series:
    """For each date, whether it is a session of calendar ``name`` (index: ``dates``)."""
    dates = pd.DatetimeIndex(dates)
    if len(dates) == 0:
        return pd.Series([], index=dates, dtype=bool)
    sessions = sessions_between(name, dates.min(), dates.max())
    return pd.Series(dates.normalize().isin(sessions), index=dates)
