"""The no-look-ahead rule for posts, in one place: the local day from which a post can count.

A post published before its market's close (15:00 Asia/Shanghai on XSHG, 16:00 New York on
XNYS) counts from that local day; at or after the close, from the next day. That day is not
yet a session: ``social.aggregate.sessions_for_days`` moves it onto the fund's own session
calendar (the first session on or after it), so a post is always counted for the first
session it could act on. The split lets the store keep per-day sums that do not depend on the
price calendar (``store.sentiment_sums``): prices imported later move days onto sessions at
read time without touching the sums.
"""

from __future__ import annotations

from datetime import time
from typing import Any
from zoneinfo import ZoneInfo

import numpy as np
import pandas as pd

from socialfund.core.timeutil import SHANGHAI

# Calendar → (zone, close time). A post at or after the close counts for the NEXT session.
CALENDAR_CLOSE: dict[str, tuple[ZoneInfo, time]] = {
    "XSHG": (SHANGHAI, time(15, 0)),
    "XNYS": (ZoneInfo("America/New_York"), time(16, 0)),
}


def counts_from_days(published_utc: Any, calendar: str = "XSHG") -> np.ndarray:
    """The local day (``datetime64[ns]`` at midnight) each post counts from, for naive-UTC
    publication times (a Series, an array or a list) on ``calendar`` (unknown: XSHG)."""
    zone, close = CALENDAR_CLOSE.get(calendar, CALENDAR_CLOSE["XSHG"])
    utc = pd.DatetimeIndex(pd.to_datetime(np.asarray(published_utc, dtype="datetime64[ns]")))
    local = utc.tz_localize("UTC").tz_convert(zone).tz_localize(None)
    day = local.normalize()
    after_close = (local - day) >= pd.Timedelta(hours=close.hour, minutes=close.minute)
    return np.asarray((day + pd.to_timedelta(np.asarray(after_close, dtype=int), unit="D")).values)
