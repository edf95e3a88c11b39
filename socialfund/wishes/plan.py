"""The saving plan of a wish: an initial amount on the start day, then a fixed amount every
day, week or month until the target date (fen throughout).

Dates: ``day`` = every calendar day after the start; ``week`` = every 7 days; ``month`` =
the same day of each following month (the 31st becomes the month's last day). The start
day's deposit is the initial amount only.
"""

from __future__ import annotations

import calendar
import datetime as dt

from socialfund.core.errors import ValidationError

FREQUENCIES = ("day", "week", "month")
#: The longest plan: 10 years (a wish is small and near; longer is refused).
MAX_PLAN_DAYS = 3660


def check_frequency(every: str) -> str:
    if every not in FREQUENCIES:
        raise ValidationError(f"saving frequency must be one of {', '.join(FREQUENCIES)}, got {every!r}")
    return every


def _add_months(day: dt.date, months: int) -> dt.date:
    month0 = day.month - 1 + months
    year, month = day.year + month0 // 12, month0 % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def deposit_dates(start: dt.date, end: dt.date, every: str) -> list[dt.date]:
    """The recurring deposit dates after ``start`` up to and including ``end``."""
    check_frequency(every)
    out: list[dt.date] = []
    k = 1
    while True:
        if every == "day":
            day = start + dt.timedelta(days=k)
        elif every == "week":
            day = start + dt.timedelta(days=7 * k)
        else:
            day = _add_months(start, k)
        if day > end:
            return out
        out.append(day)
        k += 1


def planned_principal(start: dt.date, every: str, amount_fen: int, initial_fen: int, on: dt.date) -> int:
    """Fen the plan has put in by the end of day ``on`` (initial + recurring deposits)."""
    if on < start:
        return 0
    return int(initial_fen) + int(amount_fen) * len(deposit_dates(start, on, every))
