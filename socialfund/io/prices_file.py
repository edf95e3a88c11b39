"""Reading a user's prices file (``date,code,close``, the csv market provider's input),
validated row by row through ``csvrows.read_csv`` (UTF-8 or GBK, RFC 4180 quoting)."""

from __future__ import annotations

import math
from datetime import date
from pathlib import Path

import pandas as pd

from socialfund.core.errors import ConfigError, ValidationError
from socialfund.io.csvrows import read_csv

PRICE_COLUMNS = ("date", "code", "close")


def read_prices_csv(path: str | Path) -> pd.DataFrame:
    """Read and validate a ``date,code,close`` file into a long frame (columns ``date``
    as ``datetime.date``, ``code`` as text, ``close`` as float), in file order.

    Rejected (``ValidationError`` naming file, line and column): missing columns, a row with
    another number of fields than the header, an encoding other than UTF-8/GB18030,
    unparseable or non-ISO dates, an empty code, a close that is not a positive finite
    number, a duplicated (date, code), a header without rows. Other columns are ignored.
    An unreadable file is a ``ConfigError`` (the path comes from the configuration).
    """
    name = str(path)
    try:
        raw = Path(path).read_bytes()
    except OSError as exc:
        raise ConfigError(f"cannot read prices file {name}: {exc.strerror}") from None
    table = read_csv(raw, name, required=PRICE_COLUMNS)
    rows = []
    seen: set[tuple[str, str]] = set()
    for row in table:
        lineno = row.line
        d, code, close = (row[c].strip() for c in PRICE_COLUMNS)
        try:
            day = date.fromisoformat(d)
        except ValueError:
            raise ValidationError(f"date {d!r} is not an ISO date (YYYY-MM-DD)", file=name, line=lineno,
                                  column="date") from None
        if not code:
            raise ValidationError("code is empty", file=name, line=lineno, column="code")
        try:
            value = float(close)
        except ValueError:
            raise ValidationError(f"close {close!r} is not a number", file=name, line=lineno, column="close") from None
        if not math.isfinite(value) or value <= 0:
            raise ValidationError(f"close {close!r} must be a positive finite price", file=name, line=lineno,
                                  column="close")
        if (d, code) in seen:
            raise ValidationError(f"duplicate row for {code} on {d}", file=name, line=lineno)
        seen.add((d, code))
        rows.append((day, code, value))
    if not rows:
        raise ValidationError("the file has a header but no prices", file=name)
    return pd.DataFrame(rows, columns=list(PRICE_COLUMNS))
