"""The one date parser of the io layer: every date or time cell of a user's file (prices,
rebalance histories, posts) is read here, so a style accepted in one file is accepted in all.

Styles (the cell is NFKC-normalised first, so full-width ``２０１５年７月７日`` reads too):

* ISO and year-first: ``2015-07-07``, ``2015/07/07 10:08:52``, ``2015.7.7``,
  ``2015-07-07T10:08:52.5+08:00`` (an offset ``Z``, ``UTC``, ``+08``, ``+0800`` or ``+08:00``);
* compact: ``20150707``, ``201507071008``, ``20150707100852``;
* Chinese: ``2015年7月7日``, ``2015年07月07日 10:08``;
* English month names: ``Jul 7, 2015``, ``July 07 2015``, ``7 Jul 2015``;
* day and month as numbers, ``07/07/2015`` or ``13.07.2015 10:08``: read only when the order is
  certain: the value itself shows it (a part above 12, or both parts equal), or the caller passes
  ``day_first`` settled over the whole column by ``settle_day_first``; otherwise refused as
  ambiguous, the message naming both readings;
* epoch seconds (9 or 10 digits, fraction allowed) and epoch milliseconds (13 digits, as 雪球
  writes ``created_at``), only where the caller allows them (``epoch=True``): they are UTC
  instants;
* a month and day without a year, as list pages show them (``07-07 10:08``, ``7月7日 10:08``):
  read only with ``year`` (``--year``), else refused naming the option.

Relative times (``今天 10:08``, ``5分钟前``) and two-digit years are refused: they cannot be
dated without guessing. Every refusal is a ``DateError`` (a ``ValueError``) whose message
names the value and what would be accepted; callers add the file, line and column.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone
from typing import Literal

#: Which style a value was read as.
Style = Literal["ymd", "compact", "cjk", "english", "day_month", "epoch", "epoch_ms", "month_day"]
#: Why a value was refused.
ErrorKind = Literal["empty", "unknown", "impossible", "ambiguous", "mixed", "no_year", "relative", "epoch"]

#: The styles, as messages list them (``YYYY-MM-DD`` first: it is never ambiguous).
DATE_STYLES = "YYYY-MM-DD, YYYY/MM/DD, YYYYMMDD, 2024年1月2日 or Jan 02, 2024 (a time may follow)"

_MONTH_NAMES = ("january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
                "november", "december")

_CLOCK = (r"(?P<h>\d{1,2}):(?P<mi>\d{2})(?::(?P<s>\d{2})(?:\.(?P<f>\d{1,9}))?)?"
          r"(?:\s*(?P<tz>Z|UTC|GMT|[+-]\d{2}(?::?\d{2})?))?")
_AFTER_DATE = rf"(?:(?:T|\s+){_CLOCK})?"        # a time after a date: 'T' or spaces between
_AFTER_CJK = rf"(?:\s*T?\s*{_CLOCK})?"           # 2015年7月7日10:08 needs no space
_FORMS: tuple[tuple[Style, re.Pattern[str]], ...] = (
    ("ymd", re.compile(rf"(?P<y>\d{{4}})[-/.](?P<m>\d{{1,2}})[-/.](?P<d>\d{{1,2}}){_AFTER_DATE}")),
    ("compact", re.compile(r"(?P<y>\d{4})(?P<m>\d{2})(?P<d>\d{2})(?:T?(?P<h>\d{2})(?P<mi>\d{2})(?P<s>\d{2})?)?")),
    ("cjk", re.compile(rf"(?P<y>\d{{4}})\s*年\s*(?P<m>\d{{1,2}})\s*月\s*(?P<d>\d{{1,2}})\s*[日号]?{_AFTER_CJK}")),
    ("english", re.compile(rf"(?P<mon>[A-Za-z]{{3,9}})\.?\s+(?P<d>\d{{1,2}})(?:st|nd|rd|th)?,?\s+(?P<y>\d{{4}})"
                           rf"{_AFTER_DATE}")),
    ("english", re.compile(rf"(?P<d>\d{{1,2}})\s+(?P<mon>[A-Za-z]{{3,9}})\.?,?\s+(?P<y>\d{{4}}){_AFTER_DATE}")),
    ("day_month", re.compile(rf"(?P<a>\d{{1,2}})[-/.](?P<b>\d{{1,2}})[-/.](?P<y>\d{{4}}){_AFTER_DATE}")),
    ("month_day", re.compile(rf"(?P<m>\d{{1,2}})-(?P<d>\d{{1,2}}){_AFTER_DATE}")),
    ("month_day", re.compile(rf"(?P<m>\d{{1,2}})\s*月\s*(?P<d>\d{{1,2}})\s*[日号]{_AFTER_CJK}")),
)
_EPOCH = re.compile(r"(?P<sec>\d{9,10})(?:\.(?P<frac>\d{1,9}))?")
_EPOCH_MS = re.compile(r"\d{13}")
_RELATIVE = re.compile(r"今天|昨天|前天|刚刚|分钟前|小时前|天前|秒前|ago|yesterday|today", re.IGNORECASE)
_TWO_DIGIT_YEAR = re.compile(r"\d{1,2}[-/.]\d{1,2}[-/.]\d{2}(?:\s.*)?")


class DateError(ValueError):
    """A date cell that cannot be read; ``str()`` is one line naming the value and the options.
    ``line`` is set when the refusal concerns another line than the one being read (a column
    that mixes day/month orders names the line that proved the second order)."""

    def __init__(self, message: str, kind: ErrorKind, line: int | None = None) -> None:
        super().__init__(message)
        self.kind: ErrorKind = kind
        self.line = line


@dataclass(frozen=True)
class When:
    """A date cell as read: its calendar day, its wall-clock time (None when none was written),
    its UTC offset (None when none was written: the caller decides the zone) and its style.
    Epoch values are UTC: ``day``/``clock`` are the UTC date and time, ``offset`` zero."""

    day: date
    clock: time | None
    offset: timedelta | None
    style: Style

    def as_datetime(self) -> datetime:
        """The date and time (00:00 when no time was written), aware when an offset was written."""
        tz = timezone(self.offset) if self.offset is not None else None
        return datetime.combine(self.day, self.clock or time(0), tzinfo=tz)


def normalise_cell(raw: str) -> str:
    """NFKC (full-width digits, ``：`` → ``:``) and surrounding whitespace removed."""
    return unicodedata.normalize("NFKC", raw).strip()


def looks_like_date(cell: str) -> bool:
    """Whether ``cell`` has the shape of a dated value (used to sniff an unnamed date column)."""
    s = normalise_cell(cell)
    return any(pattern.fullmatch(s) for style, pattern in _FORMS if style != "month_day")


def _day_month_parts(value: str) -> tuple[int, int, int] | None:
    for style, pattern in _FORMS:
        if style == "day_month":
            m = pattern.fullmatch(value)
            if m:
                return int(m["a"]), int(m["b"]), int(m["y"])
    return None


def settle_day_first(cells: Iterable[tuple[int, str]], what: str = "date") -> bool | None:
    """The day/month order of a column's ``NN/NN/YYYY`` values (``cells`` = (line, text)):
    True when some value has a first part above 12 (day first), False when some value has a
    second part above 12 (month first), None when no value shows it. A column that shows
    both orders is refused (``DateError`` with the line of the value that showed the second)."""
    proof: dict[bool, int] = {}
    for line, cell in cells:
        parts = _day_month_parts(normalise_cell(cell))
        if parts is None:
            continue
        a, b, _ = parts
        if a > 12 >= b:
            proof.setdefault(True, line)
        elif b > 12 >= a:
            proof.setdefault(False, line)
        if len(proof) == 2:
            raise DateError(f"{what}s mix day/month orders (day first at line {proof[True]}, month first at line "
                            f"{proof[False]}): write dates as YYYY-MM-DD", "mixed", line=max(proof.values()))
    return next(iter(proof)) if proof else None


def _clock(m: re.Match[str], value: str, what: str) -> tuple[time | None, timedelta | None]:
    groups = m.groupdict()
    if groups.get("h") is None:
        return None, None
    frac = (groups.get("f") or "")[:6].ljust(6, "0")
    try:
        clock = time(int(groups["h"]), int(groups["mi"]), int(groups.get("s") or 0), int(frac))
    except ValueError:
        raise _impossible(value, what) from None
    tz = groups.get("tz")
    if tz is None:
        return clock, None
    if tz in ("Z", "UTC", "GMT"):
        return clock, timedelta(0)
    sign = -1 if tz[0] == "-" else 1
    digits = tz[1:].replace(":", "")
    hours, minutes = int(digits[:2]), int(digits[2:] or 0)
    if hours > 14 or minutes > 59:
        raise _impossible(value, what)
    return clock, sign * timedelta(hours=hours, minutes=minutes)


def _impossible(value: str, what: str) -> DateError:
    return DateError(f"{what} {value!r} is impossible: not a real calendar day or time", "impossible")


def _month(name: str) -> int | None:
    low = name.lower()
    for i, full in enumerate(_MONTH_NAMES, start=1):
        if full.startswith(low) and len(low) >= 3 or (low == "sept" and i == 9):
            return i
    return None


def _day_month(a: int, b: int, y: int, value: str, what: str, day_first: bool | None) -> tuple[int, int]:
    """(day, month) of ``a/b/y``, or ``DateError`` naming both readings when the order is open."""
    if a > 12 and b > 12:
        raise _impossible(value, what)
    if a > 12 >= b or a == b:
        return a, b
    if b > 12 >= a:
        return b, a
    if day_first is not None:
        return (a, b) if day_first else (b, a)
    readings = []
    for day, month, order in ((a, b, "day/month"), (b, a, "month/day")):
        try:
            readings.append(f"{date(y, month, day).isoformat()} ({order})")
        except ValueError:
            pass
    if not readings:
        raise _impossible(value, what)
    raise DateError(f"{what} {value!r} is not a date I can read: ambiguous, {' or '.join(readings)}, and no other date "
                    f"in the file settles the order. It is not ISO 8601: write YYYY-MM-DD", "ambiguous")


def parse_when(raw: str, *, what: str = "date", year: int | None = None, day_first: bool | None = None,
               epoch: bool = False) -> When:
    """Read one date or date-time cell (see the module docstring), or raise ``DateError``.

    ``what`` names the column in messages; ``year`` completes month-day values (``--year``);
    ``day_first`` is the column's settled ``NN/NN/YYYY`` order; ``epoch`` allows epoch seconds
    and milliseconds."""
    value = normalise_cell(raw)
    if not value:
        raise DateError(f"{what} is empty", "empty")
    if _EPOCH.fullmatch(value) or _EPOCH_MS.fullmatch(value):
        if not epoch:
            raise DateError(f"{what} {value!r} looks like epoch seconds, which this file cannot hold: write "
                            f"{DATE_STYLES}", "epoch")
        return _from_epoch(value)
    for style, pattern in _FORMS:
        m = pattern.fullmatch(value)
        if m is None:
            continue
        groups = m.groupdict()
        if style == "day_month":
            y = int(groups["y"])
            d, mo = _day_month(int(groups["a"]), int(groups["b"]), y, value, what, day_first)
        elif style == "english":
            month = _month(groups["mon"])
            if month is None:
                continue
            y, mo, d = int(groups["y"]), month, int(groups["d"])
        elif style == "month_day":
            if year is None:
                raise DateError(f"{what} {value!r} has no year (a list page's month-day): give the year "
                                f"(--year), or write YYYY-MM-DD", "no_year")
            y, mo, d = year, int(groups["m"]), int(groups["d"])
        else:
            y, mo, d = int(groups["y"]), int(groups["m"]), int(groups["d"])
        try:
            day = date(y, mo, d)
        except ValueError:
            raise _impossible(value, what) from None
        clock, offset = _clock(m, value, what)
        return When(day, clock, offset, style)
    refused = f"{what} {value!r} is not a date (expected {DATE_STYLES})"
    if _RELATIVE.search(value):
        raise DateError(f"{refused}: it is a relative time, as a list page shows it; export absolute times",
                        "relative")
    if _TWO_DIGIT_YEAR.fullmatch(value):
        raise DateError(f"{refused}: its year has two digits; write the full year", "unknown")
    raise DateError(refused, "unknown")


def _from_epoch(value: str) -> When:
    if len(value) == 13:
        seconds, micros = divmod(int(value), 1000)
        micros *= 1000
        style: Style = "epoch_ms"
    else:
        whole, _, frac = value.partition(".")
        seconds, micros, style = int(whole), int(frac[:6].ljust(6, "0")), "epoch"
    instant = datetime(1970, 1, 1) + timedelta(seconds=seconds, microseconds=micros)
    return When(instant.date(), instant.time(), timedelta(0), style)


def parse_day(raw: str, *, what: str = "date", year: int | None = None, day_first: bool | None = None) -> date:
    """The calendar day of a date cell, as written (a time or offset after it is ignored)."""
    return parse_when(raw, what=what, year=year, day_first=day_first).day
