"""The holdings CSV file: reading a ``code,weight`` file into basis-point weights, and
writing one back.

**Reading** (``read_holdings_csv``): header ``code,weight`` (optional ``name`` column kept
for readability; other columns are ignored with a warning). Rows come from the one CSV
reader, ``socialfund.io.csvrows`` (decoded by ``io.textio``: UTF-8 with or without BOM,
else GB18030/GBK, else "unsupported encoding" — never guessed into mojibake; RFC 4180
quoting; a row with another number of fields than the header is refused). Codes are text
(``000001`` stays ``000001``), matched to the known universe exactly, then
case-insensitively, then by the bare exchange code (``510300`` → ``510300.SS``) when that
is unambiguous. A duplicated code is rejected (never summed); every error names the file,
line and column. Weights are percent, parsed and checked by ``socialfund.core.weights``
(``parse_percent``, ``percent_to_bp``: they must add up to 100 %).

**Writing** (``holdings_csv_bytes``): UTF-8 with BOM and formula-safe
(``socialfund.io.exports.to_safe_csv``).
"""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

import pandas as pd

from socialfund.core.codes import CodeResolver
from socialfund.core.errors import ValidationError
from socialfund.core.weights import CASH, FULL_BP, MISSING_TEXT, parse_percent, percent_to_bp, validate_weights_bp
from socialfund.io.csvrows import iter_csv
from socialfund.io.exports import to_safe_csv, unescape_cell
from socialfund.io.textio import decode_bytes

#: Files above this size are refused before parsing (bytes).
MAX_FILE_BYTES = 1_000_000
#: Rows above this count are refused (a portfolio, not a price history).
MAX_ROWS = 500


# --------------------------------------------------------------------------- CSV

@dataclass(frozen=True)
class HoldingsFile:
    """A parsed holdings file: weights in basis points (sum 10,000), names as written,
    and warnings to show (ignored columns, codes read as another code)."""

    weights_bp: dict[str, int]
    weights_pct: dict[str, Decimal]
    names: dict[str, str] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)


def read_holdings_csv(data: bytes, file: str, known_codes: Sequence[str]) -> HoldingsFile:
    """Parse a ``code,weight`` holdings file (see the module docstring). ``file`` is only a
    label for messages, never opened. Raises ``ValidationError`` (file, line, column)."""
    if len(data) > MAX_FILE_BYTES:
        raise ValidationError(f"file is larger than {MAX_FILE_BYTES // 1000} kB: a holdings file is a few lines",
                              file=file)
    text = decode_bytes(data, file)
    if not text.strip():
        raise ValidationError("the file is empty: expected a header code,weight", file=file, line=1,
                              key="error.file_empty", args={"expected": "code,weight"})
    header, rows = iter_csv(text, file)
    # header cells as read, and as matched here (full-width letters count: ｃｏｄｅ is code)
    columns = [unicodedata.normalize("NFKC", h).strip().lower() for h in header]
    for required in ("code", "weight"):
        if required not in columns:
            raise ValidationError(f"missing column '{required}' (the header must contain code,weight; "
                                  f"found {','.join(columns) or 'nothing'})", file=file, line=1, column=required,
                                  key="error.missing_column", args={"column": required, "expected": "code,weight"})
    if len(set(columns)) != len(columns):
        raise ValidationError("a column name appears twice in the header", file=file, line=1)
    warnings: list[str] = []
    ignored = [c for c in columns if c not in ("code", "weight", "name")]
    if ignored:
        warnings.append(f"{file}: ignored column(s) {', '.join(ignored)}")
    h_code, h_weight = header[columns.index("code")], header[columns.index("weight")]
    h_name = header[columns.index("name")] if "name" in columns else None
    pct: dict[str, Decimal] = {}
    names: dict[str, str] = {}
    first_line: dict[str, int] = {}
    unknown: list[tuple[int, str]] = []
    unknown_raw: list[str] = []
    resolver = CodeResolver([*known_codes, CASH])
    count = 0
    for row in rows:
        line = row.line
        count += 1
        if count > MAX_ROWS:
            raise ValidationError(f"more than {MAX_ROWS} holdings", file=file, line=line)
        raw_code = unicodedata.normalize("NFKC", row[h_code]).strip()
        if not raw_code or raw_code.lower() in MISSING_TEXT:
            raise ValidationError("code is blank", file=file, line=line, column="code", key="error.code_blank")
        found = resolver.match(raw_code)
        weight = parse_percent(row[h_weight], file=file, line=line, column="weight")
        if found.code is None:
            unknown.append((line, raw_code if found.kind == "unknown" else found.reason))
            unknown_raw.append(raw_code)
            continue
        code = found.code
        if found.note:
            warnings.append(f"{file}, line {line}: {found.note}")
        if code in first_line:
            raise ValidationError(f"duplicate code {code} (first on line {first_line[code]}): list each "
                                  f"instrument once, rows are never summed", file=file, line=line, column="code",
                                  key="error.duplicate_code", args={"code": code, "first": first_line[code]})
        first_line[code] = line
        if weight > 0:
            pct[code] = weight
        if h_name is not None and row[h_name].strip():
            names[code] = unescape_cell(row[h_name].strip())
    if unknown:
        listed = "; ".join(f"line {ln}: {what}" for ln, what in unknown)
        raise ValidationError(f"unknown code(s), not in the instrument universe — {listed}", file=file,
                              line=unknown[0][0], column="code", key="error.unknown_codes",
                              args={"codes": ", ".join(unknown_raw)})
    if not count:
        raise ValidationError("the file has a header but no holdings", file=file, line=2, key="error.no_rows")
    if not pct:
        raise ValidationError("every weight is 0%: nothing is held", file=file, key="error.no_holdings")
    bp = percent_to_bp(pct, list(known_codes), file=file)
    return HoldingsFile(bp, pct, names, warnings)


def holdings_frame(weights_bp: Mapping[str, int], names: Mapping[str, str] | None = None) -> pd.DataFrame:
    """The export table: code, weight (percent, 2 decimals as text such as '35.5'), name;
    largest weight first."""
    names = names or {}
    ordered = sorted(weights_bp.items(), key=lambda kv: (-kv[1], kv[0]))
    return pd.DataFrame({
        "code": [c for c, _ in ordered],
        # percent as a number: exact for integer basis points (2 decimals)
        "weight": [float(Decimal(bp) / 100) for _, bp in ordered],
        "name": [names.get(c, "") for c, _ in ordered],
    })


def holdings_csv_bytes(weights_bp: Mapping[str, int], names: Mapping[str, str] | None = None) -> bytes:
    """Holdings as CSV bytes: UTF-8 with BOM, formula-safe (``exports.to_safe_csv``)."""
    validate_weights_bp(weights_bp)
    assert sum(weights_bp.values()) == FULL_BP
    return to_safe_csv(holdings_frame(weights_bp, names))
