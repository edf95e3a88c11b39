"""The one money formatter and the one percent formatter of everything shown (issue 14,
finding 11: no "¥100000" or "123456.78", no "3.9%" beside "3.71%").

- Money: ``money(x)`` → ``¥123,456.78`` (yuan, thousands separators, two decimals; whole
  yuan with ``decimals=0``). Exact: ``Decimal`` and fen integers (``money_fen``) are never
  passed through float.
- Percent: ``percent(0.0371)`` → ``3.71%``, always ``PCT_DECIMALS`` decimals (signed with
  ``signed=True``). A table column of fractions is shown with ``percent_points`` (×100) and
  ``PCT_COLUMN_FORMAT`` (``"%.2f%%"``): Streamlit's own ``"percent"`` preset drops trailing
  zeros ("3.9%" beside "3.71%"), so it is not used.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from decimal import ROUND_HALF_UP, Decimal

import pandas as pd

PCT_DECIMALS = 2
PCT_COLUMN_FORMAT = f"%.{PCT_DECIMALS}f%%"   # sprintf: a column already in percent points
CURRENCY_SIGN = "¥"


def _missing(value: object) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def money(value: Decimal | int | float | None, decimals: int = 2) -> str:
    """Yuan as shown: ``¥1,234.56``, ``-¥1,234.56``; "—" when missing. Rounded half up."""
    if _missing(value):
        return "—"
    exact = value if isinstance(value, Decimal) else Decimal(str(value))
    quantum = Decimal(1).scaleb(-decimals)
    rounded = exact.quantize(quantum, rounding=ROUND_HALF_UP)
    sign = "-" if rounded < 0 else ""
    return f"{sign}{CURRENCY_SIGN}{abs(rounded):,.{decimals}f}"


def money_fen(fen: int, decimals: int = 2) -> str:
    """Fen (integer hundredths of a yuan) as ``money``."""
    return money(Decimal(int(fen)).scaleb(-2), decimals)


def percent(fraction: float | None, signed: bool = False, decimals: int = PCT_DECIMALS) -> str:
    """A fraction as a percent: ``0.0371`` → ``3.71%`` (``+3.71%`` signed); "—" when missing."""
    if fraction is None or _missing(fraction):
        return "—"
    value = float(fraction)
    return f"{value:+.{decimals}%}" if signed else f"{value:.{decimals}%}"


def percent_of_points(points: float | Decimal, signed: bool = False) -> str:
    """A value already in percent points (``3.71`` → ``3.71%``)."""
    return f"{float(points):+.{PCT_DECIMALS}f}%" if signed else f"{float(points):.{PCT_DECIMALS}f}%"


def percent_points(frame: pd.DataFrame, columns: Iterable[str]) -> pd.DataFrame:
    """A copy of ``frame`` with its fraction ``columns`` in percent points (×100), for a table
    column shown with ``PCT_COLUMN_FORMAT``."""
    out = frame.copy()
    for column in columns:
        if column in out.columns:
            out[column] = pd.to_numeric(out[column], errors="coerce") * 100
    return out
