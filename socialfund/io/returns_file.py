"""Reading a daily return series file (``date,return``, the ``metrics`` command's input)
through ``csvrows.read_csv`` (UTF-8 or GBK, RFC 4180 quoting)."""

from __future__ import annotations

import datetime as dt
import math
from pathlib import Path

import pandas as pd

from socialfund.core.errors import ValidationError
from socialfund.io.csvrows import read_csv
from socialfund.io.textio import decode_bytes

RETURNS_HEADER = ["date", "return"]


def read_returns_csv(path: str | Path) -> pd.Series:
    """``date,return`` rows → a float Series named ``return`` on a DatetimeIndex.

    Dates are ISO (``YYYY-MM-DD``) and strictly increasing; a return is a daily simple
    return (0.01 = +1 %), finite and above −1; an empty cell is a missing day (NaN). The
    header must be exactly ``date,return``. Anything else: ``ValidationError`` with file,
    line and column."""
    name = str(path)
    try:
        raw = Path(path).read_bytes()
    except OSError as exc:
        raise ValidationError(f"cannot read returns file ({exc.strerror})", file=name) from None
    text = decode_bytes(raw, name)
    if not text:
        raise ValidationError("empty file: expected header date,return", file=name, line=1)
    table = read_csv(text, name, lower=False)
    if table.header != RETURNS_HEADER:
        raise ValidationError(f"header must be date,return, got {','.join(table.header)}", file=name, line=1)
    dates: list[dt.date] = []
    values: list[float] = []
    previous: dt.date | None = None
    for row in table:
        line = row.line
        text_date, text_value = row["date"].strip(), row["return"].strip()
        try:
            day = dt.date.fromisoformat(text_date)
        except ValueError:
            raise ValidationError(f"not an ISO date (YYYY-MM-DD): {text_date!r}", file=name, line=line,
                                  column="date") from None
        if previous is not None and day <= previous:
            raise ValidationError(f"date {day} is not after the previous row's {previous}", file=name,
                                  line=line, column="date")
        if text_value == "":
            value = math.nan
        else:
            try:
                value = float(text_value)
            except ValueError:
                raise ValidationError(f"not a number: {text_value!r}", file=name, line=line,
                                      column="return") from None
            if not math.isfinite(value) or value <= -1:
                raise ValidationError(f"a daily return must be finite and above -1, got {text_value}",
                                      file=name, line=line, column="return")
        previous = day
        dates.append(day)
        values.append(value)
    if not dates:
        raise ValidationError("no return rows after the header", file=name, line=2)
    return pd.Series(values, index=pd.DatetimeIndex(dates), name="return", dtype=float)
