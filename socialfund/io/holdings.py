"""Holdings entered as percentages: the one weight parser, and the holdings CSV file.

**Weights are percent.** ``35``, ``35%``, ``35.5`` and ``35.5 %`` all mean 35 (.5) percent of
the portfolio. Full-width characters (``３５％``) are normalised with Unicode NFKC first.
Rejected, with a message saying why: a comma decimal (``0,35`` — ambiguous between 0.35 %
and a thousands separator), blank / ``N/A`` / ``NaN`` / ``-``, negative numbers, anything
that is not a plain decimal number. A row of exactly 0 % is dropped (it holds nothing).

**Totals.** The weights must add up to 100 % (a rounding slack of ``SUM_TOLERANCE_PCT``
percentage points is accepted, e.g. 3 × 33.333 %). Anything else (70 %, 130 %, or
fractions such as 0.35 + 0.65 = 1 %) raises ``WeightsSumError``: it is never rescaled
silently; callers offer ``normalise_percent`` as an explicit choice. Accepted weights
become integer basis points summing to exactly 10,000 via
``core.weights.normalise_to_bp`` (largest remainder) and ``core.weights.validate_weights_bp``.

**The CSV file** (``read_holdings_csv`` / ``holdings_csv_bytes``): header ``code,weight``
(optional ``name`` column kept for readability; other columns are ignored with a
warning). Decoded as UTF-8 (BOM or not), else GB18030/GBK, else "unsupported encoding"
— never guessed into mojibake. Codes are text (``000001`` stays ``000001``), matched to
the known universe exactly, then case-insensitively, then by the bare exchange code
(``510300`` → ``510300.SS``) when that is unambiguous. A duplicated code is rejected
(never summed); every error names the file, line and column. Export is UTF-8 with BOM
and formula-safe (``socialfund.io.exports.to_safe_csv``).
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

import pandas as pd

from socialfund.io.exports import unescape_cell
from socialfund.io.textio import decode_bytes
from socialfund.core.codes import CodeResolver
from socialfund.core.errors import ValidationError
from socialfund.core.weights import CASH, FULL_BP, normalise_to_bp, validate_weights_bp

#: Percentage points of slack around 100 % accepted as rounding (3 × 33.333 % = 99.999 %).
SUM_TOLERANCE_PCT = Decimal("0.01")
#: Files above this size are refused before parsing (bytes).
MAX_FILE_BYTES = 1_000_000
#: Rows above this count are refused (a portfolio, not a price history).
MAX_ROWS = 500
_MISSING = {"", "n/a", "na", "nan", "none", "null", "-", "--", "—"}
_NUMBER = re.compile(r"^\+?(\d+(\.\d*)?|\.\d+)$")


class WeightsSumError(ValidationError):
    """The weights do not add up to 100 %; ``total_pct`` says what they add up to."""

    def __init__(self, total_pct: Decimal, *, file: str | None = None) -> None:
        self.total_pct = total_pct
        super().__init__(f"weights add up to {format_pct(total_pct)}%, not 100%: fix them or choose "
                         f"'normalise' to rescale them to 100%", file=file)


def format_pct(value: Decimal | float) -> str:
    """A percentage without trailing zeros: 35 → '35', 12.50 → '12.5'."""
    text = f"{Decimal(str(value)):f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def parse_percent(raw: object, *, file: str | None = None, line: int | None = None,
                  column: str | None = None) -> Decimal:
    """The one weight parser: text or a number in **percent** → ``Decimal`` percent (>= 0).

    See the module docstring for what is accepted and rejected."""
    where = {"file": file, "line": line, "column": column}
    if isinstance(raw, bool):
        raise ValidationError(f"weight {raw!r} is not a number", **where)
    if isinstance(raw, (int, Decimal)):
        value = Decimal(raw)
    elif isinstance(raw, float):
        value = Decimal(repr(raw))  # the shortest decimal that round-trips: 0.1 stays 0.1
    elif raw is None:
        raise ValidationError("weight is blank", **where)
    else:
        text = unicodedata.normalize("NFKC", str(raw)).strip()
        if text.lower() in _MISSING:
            raise ValidationError(f"weight is missing ({text or 'blank'}): enter a percentage such as 35", **where)
        if text.endswith("%"):
            text = text[:-1].strip()
        if "," in text:
            raise ValidationError(f"weight {raw!s} uses a comma: write percentages with a dot, e.g. 35 or 35.5",
                                  **where)
        if text.startswith("-"):
            raise ValidationError(f"weight {raw!s} is negative", **where)
        if not _NUMBER.match(text):
            raise ValidationError(f"weight {raw!s} is not a percentage (expected e.g. 35 or 35%)", **where)
        value = Decimal(text)
    if not value.is_finite():
        raise ValidationError(f"weight {raw!s} is not a finite number", **where)
    if value < 0:
        raise ValidationError(f"weight {raw!s} is negative", **where)
    if value > 100:
        raise ValidationError(f"weight {raw!s}% is more than 100%", **where)
    return value


def _pairs(weights: Mapping[str, object] | Iterable[tuple[str, object]]) -> list[tuple[str, object]]:
    return list(weights.items()) if isinstance(weights, Mapping) else [tuple(p) for p in weights]  # type: ignore[misc]


def check_percent_weights(weights: Mapping[str, object] | Iterable[tuple[str, object]],
                          known_codes: Iterable[str] | None = None) -> dict[str, Decimal]:
    """Parse and check (code, percent) pairs, *without* the total check: codes non-empty,
    no duplicates, known (``CASH`` always allowed), percentages parsed by ``parse_percent``.
    Zero rows are dropped. Returns code → Decimal percent, in input order."""
    known = None if known_codes is None else set(known_codes)
    out: dict[str, Decimal] = {}
    unknown: list[str] = []
    for code, raw in _pairs(weights):
        code = unicodedata.normalize("NFKC", str(code or "")).strip()
        if not code:
            raise ValidationError("a row has no code")
        if code in out or any(c == code for c in unknown):
            raise ValidationError(f"duplicate code {code}: list each instrument once (rows are never summed)")
        pct = parse_percent(raw, column=code)
        if known is not None and code != CASH and code not in known:
            unknown.append(code)
            continue
        if pct > 0:
            out[code] = pct
    if unknown:
        raise ValidationError(f"unknown code(s): {', '.join(unknown)}")
    if not out:
        raise ValidationError("no holdings: enter at least one weight above 0%")
    return out


def percent_total(weights_pct: Mapping[str, Decimal]) -> Decimal:
    return sum(weights_pct.values(), Decimal(0))


def percent_to_bp(weights: Mapping[str, object] | Iterable[tuple[str, object]],
                  known_codes: Iterable[str] | None = None, *, file: str | None = None) -> dict[str, int]:
    """Percent weights → integer basis points summing to exactly 10,000.

    ``WeightsSumError`` when they do not add up to 100 % (± ``SUM_TOLERANCE_PCT``);
    ``ValidationError`` for everything ``check_percent_weights`` rejects."""
    known = None if known_codes is None else list(known_codes)
    pct = check_percent_weights(weights, known)
    total = percent_total(pct)
    if abs(total - 100) > SUM_TOLERANCE_PCT:
        raise WeightsSumError(total, file=file)
    bp = normalise_to_bp(pct)
    return validate_weights_bp(bp, known)


def normalise_percent(weights: Mapping[str, object] | Iterable[tuple[str, object]],
                      known_codes: Iterable[str] | None = None) -> dict[str, Decimal]:
    """The explicit 'normalise' action: rescale to exactly 100 % (in 0.01 % steps, largest
    remainder), keeping proportions. Returns code → Decimal percent with two decimals."""
    pct = check_percent_weights(weights, known_codes)
    return {code: (Decimal(bp) / 100).quantize(Decimal("0.01")) for code, bp in normalise_to_bp(pct).items()}


def bp_to_percent(weights_bp: Mapping[str, int]) -> dict[str, Decimal]:
    """Basis points → Decimal percent (2 decimals): 3550 → 35.50."""
    return {code: (Decimal(int(bp)) / 100).quantize(Decimal("0.01")) for code, bp in weights_bp.items()}


# --------------------------------------------------------------------------- CSV

@dataclass(frozen=True)
class HoldingsFile:
    """A parsed holdings file: weights in basis points (sum 10,000), names as written,
    and warnings to show (ignored columns, codes read as another code)."""

    weights_bp: dict[str, int]
    weights_pct: dict[str, Decimal]
    names: dict[str, str] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)


def decode_text(data: bytes, file: str) -> str:
    """UTF-8 (with or without BOM), else GB18030/GBK, else refuse: ``textio.decode_bytes``."""
    return decode_bytes(data, file)


def read_holdings_csv(data: bytes, file: str, known_codes: Sequence[str]) -> HoldingsFile:
    """Parse a ``code,weight`` holdings file (see the module docstring). ``file`` is only a
    label for messages, never opened. Raises ``ValidationError`` (file, line, column)."""
    if len(data) > MAX_FILE_BYTES:
        raise ValidationError(f"file is larger than {MAX_FILE_BYTES // 1000} kB: a holdings file is a few lines",
                              file=file)
    text = decode_text(data, file)
    if not text.strip():
        raise ValidationError("the file is empty: expected a header code,weight", file=file, line=1)
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = next(reader)
    except csv.Error as exc:
        raise ValidationError(f"not a CSV file ({exc})", file=file, line=1) from None
    columns = [unicodedata.normalize("NFKC", h).strip().lower() for h in header]
    for required in ("code", "weight"):
        if required not in columns:
            raise ValidationError(f"missing column '{required}' (the header must contain code,weight; "
                                  f"found {','.join(columns) or 'nothing'})", file=file, line=1, column=required)
    if len(set(columns)) != len(columns):
        raise ValidationError("a column name appears twice in the header", file=file, line=1)
    warnings = []
    ignored = [c for c in columns if c not in ("code", "weight", "name")]
    if ignored:
        warnings.append(f"{file}: ignored column(s) {', '.join(ignored)}")
    i_code, i_weight = columns.index("code"), columns.index("weight")
    i_name = columns.index("name") if "name" in columns else None
    pct: dict[str, Decimal] = {}
    names: dict[str, str] = {}
    first_line: dict[str, int] = {}
    unknown: list[tuple[int, str]] = []
    resolver = CodeResolver([*known_codes, CASH])
    rows = 0
    try:
        for row in reader:
            line = reader.line_num
            if not row or all(not cell.strip() for cell in row):
                continue
            rows += 1
            if rows > MAX_ROWS:
                raise ValidationError(f"more than {MAX_ROWS} holdings", file=file, line=line)
            if len(row) != len(columns):
                raise ValidationError(f"expected {len(columns)} fields like the header, found {len(row)}",
                                      file=file, line=line)
            raw_code = unicodedata.normalize("NFKC", row[i_code]).strip()
            if not raw_code or raw_code.lower() in _MISSING:
                raise ValidationError("code is blank", file=file, line=line, column="code")
            found = resolver.match(raw_code)
            weight = parse_percent(row[i_weight], file=file, line=line, column="weight")
            if found.code is None:
                unknown.append((line, raw_code if found.kind == "unknown" else found.reason))
                continue
            code = found.code
            if found.note:
                warnings.append(f"{file}, line {line}: {found.note}")
            if code in first_line:
                raise ValidationError(f"duplicate code {code} (first on line {first_line[code]}): list each "
                                      f"instrument once, rows are never summed", file=file, line=line, column="code")
            first_line[code] = line
            if weight > 0:
                pct[code] = weight
            if i_name is not None and row[i_name].strip():
                names[code] = unescape_cell(row[i_name].strip())
    except csv.Error as exc:
        raise ValidationError(f"malformed CSV ({exc})", file=file, line=reader.line_num) from None
    if unknown:
        listed = "; ".join(f"line {ln}: {what}" for ln, what in unknown)
        raise ValidationError(f"unknown code(s), not in the instrument universe — {listed}", file=file,
                              line=unknown[0][0], column="code")
    if not rows:
        raise ValidationError("the file has a header but no holdings", file=file, line=2)
    if not pct:
        raise ValidationError("every weight is 0%: nothing is held", file=file)
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
    from socialfund.io.exports import to_safe_csv

    validate_weights_bp(weights_bp)
    assert sum(weights_bp.values()) == FULL_BP
    return to_safe_csv(holdings_frame(weights_bp, names))
