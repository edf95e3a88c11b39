"""What every stage of the demo generator shares: the demo window as dates, one
numpy legacy ``RandomState`` per stage derived from the single seed, exchange sessions
in the window and China wall-clock timestamps.
"""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd

from socialfund.demo import DEMO_END, DEMO_START

START = date.fromisoformat(DEMO_START)
END = date.fromisoformat(DEMO_END)


def stage_rng(seed: int, stage: int) -> np.random.RandomState:
    """The legacy RandomState of one generation stage (stages stay independent, so
    changing posts never reshuffles prices)."""
    return np.random.RandomState((seed * 7919 + stage) % (2 ** 32))


def sessions(calendar: str) -> pd.DatetimeIndex:
    """Trading sessions of an exchange calendar (``XSHG``/``XNYS``) in the demo window."""
    import exchange_calendars as xcals

    days: pd.DatetimeIndex = xcals.get_calendar(calendar).sessions_in_range(DEMO_START, DEMO_END)
    return days


def iso_at(day: date, seconds: int) -> str:
    """``YYYY-MM-DDTHH:MM:SS+08:00`` for a China wall-clock time ``seconds`` after midnight."""
    hh, rest = divmod(int(seconds), 3600)
    mm, ss = divmod(rest, 60)
    return f"{day.isoformat()}T{hh:02d}:{mm:02d}:{ss:02d}+08:00"
