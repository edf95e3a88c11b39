"""Safe exports for spreadsheets: CSV in UTF-8 with a BOM, formula injection neutralised.

Why a BOM: Excel on Chinese Windows opens a BOM-less UTF-8 CSV as GBK and shows mojibake;
with the BOM it reads UTF-8, and UTF-8 (unlike GBK) also carries emoji.

Formula injection (OWASP "CSV Injection"): a spreadsheet runs a cell that starts with
``=``, ``+``, ``-`` or ``@`` (and tab / CR / NUL tricks) as a formula, whatever the CSV
quoting. Every *text* cell starting with one of those characters gets a leading ``'``
(shown by spreadsheets as plain text). Decision for numbers: cells of a numeric column
(int / float / bool dtypes) are written as numbers without the prefix, so ``-0.25`` stays
a negative number a spreadsheet can sum: a value produced by our own arithmetic is a
number, never a formula. A *string* such as ``"-2+3"`` or ``"-5"`` (user text) is
prefixed, exactly as OWASP recommends. Column names are treated like text cells.
"""

from __future__ import annotations

import math
from typing import Any

import pandas as pd

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r", "\x00")
"""A text cell starting with one of these is exported with a leading apostrophe."""


def _guarded(text: str) -> bool:
    """True when a text needs the apostrophe: it starts with a trigger, or it already looks
    like a guarded cell (``'=``), so that ``unescape_cell`` gives back exactly what was sent."""
    return text.startswith(FORMULA_TRIGGERS) or (text.startswith("'") and text[1:].startswith(FORMULA_TRIGGERS))


def safe_cell(value: Any) -> Any:
    """One cell: strings starting with a formula trigger get a ``'`` prefix; others unchanged."""
    if isinstance(value, str) and _guarded(value):
        return "'" + value
    return value


def unescape_cell(cell: str) -> str:
    """The inverse of ``safe_cell`` for text read back from our own export: ``'=x`` → ``=x``."""
    return cell[1:] if cell.startswith("'") and _guarded(cell[1:]) else cell


def _safe_text_cell(value: Any) -> Any:
    """A cell of a non-numeric column: missing stays empty, everything else is text-checked."""
    if value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NaT:
        return value
    if isinstance(value, (pd.Timestamp,)):
        return value.isoformat()
    return safe_cell(value if isinstance(value, str) else str(value))


def sanitise_frame(df: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``df`` with every text cell and column name made formula-safe.

    Numeric and boolean columns are left as numbers (see the module docstring);
    datetime columns are written as ISO 8601 by pandas and cannot start with a trigger."""
    out = df.copy()
    for col in out.columns:
        dtype = out[col].dtype
        if (pd.api.types.is_numeric_dtype(dtype) or pd.api.types.is_bool_dtype(dtype)
                or pd.api.types.is_datetime64_any_dtype(dtype)):
            continue
        out[col] = out[col].map(_safe_text_cell).astype(object)
    out.columns = [safe_cell(str(c)) for c in out.columns]
    return out


def to_safe_csv(df: pd.DataFrame, *, index: bool = False) -> bytes:
    """``df`` as CSV bytes: UTF-8 with BOM, CRLF line ends (RFC 4180), formula-safe cells."""
    safe = sanitise_frame(df.reset_index() if index else df)
    text = safe.to_csv(index=False, lineterminator="\r\n")
    return text.encode("utf-8-sig")


def with_headers(df: pd.DataFrame, labels: dict[str, str]) -> pd.DataFrame:
    """``df`` with its columns renamed to ``labels`` (translated headers for people); columns
    without a label keep their field name. The machine-readable export is ``df`` itself."""
    return df.rename(columns={c: labels[c] for c in df.columns if c in labels})
