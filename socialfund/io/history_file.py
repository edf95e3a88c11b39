"""The rebalance-history file: a real portfolio's past, one block of weights per date.

Rows ``date,code,weight`` (Chinese headers ``日期,代码,权重`` too), weights in percent as in
a holdings file (``35`` or ``35%``). All rows of one date are that day's target weights;
each date's block must add up to 100 % (``CASH`` allowed). This is how the rebalance
history of a 雪球 组合 or of one's own account comes in (``python -m socialfund portfolio
import-history``, and the My Portfolios page).

Read through the one CSV reader (``io.csvrows``: UTF-8, BOM or GBK; RFC 4180), codes
through the one resolver (``core.codes.CodeResolver``: ``510300`` → ``510300.SS``,
``.SH`` → ``.SS`` …), weights through ``core.weights`` (basis points, exact). Dates are
read by the one date parser (``io.dates``: ISO ``YYYY-MM-DD``, ``YYYY/MM/DD``, ``YYYYMMDD``,
``2023年1月3日`` …; ``NN/NN/YYYY`` only when the column settles the order). Every error names the file,
line and column; nothing is partly read.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from socialfund.core.codes import CodeResolver
from socialfund.core.errors import ValidationError
from socialfund.core.weights import CASH, MISSING_TEXT, WeightsSumError, parse_percent, percent_to_bp
from socialfund.io.csvrows import read_csv
from socialfund.io.dates import DateError, parse_day, settle_day_first

#: Files above this size are refused before parsing (bytes): years of monthly rebalances fit easily.
MAX_FILE_BYTES = 5_000_000
#: Header aliases → the column they mean.
HEADER_ALIASES = {"date": "date", "日期": "date", "调仓日期": "date",
                  "code": "code", "代码": "code", "基金代码": "code",
                  "weight": "weight", "权重": "weight", "比例": "weight", "仓位": "weight"}
HISTORY_COLUMNS = ("date", "code", "weight")


@dataclass(frozen=True)
class Rebalance:
    """One date's target weights (basis points summing to 10,000), with the line it starts on."""

    day: date
    weights_bp: dict[str, int]
    line: int


def parse_history_date(raw: str, *, file: str, line: int, day_first: bool | None = None) -> date:
    """A rebalance date, read by the one date parser (``io.dates.parse_day``: ISO, ``YYYY/MM/DD``,
    ``YYYYMMDD``, ``2023年1月3日`` …; ``day_first`` is the column's settled ``NN/NN/YYYY`` order);
    anything else is refused naming the file, line and column."""
    try:
        return parse_day(raw, day_first=day_first)
    except DateError as exc:
        raise ValidationError(str(exc), file=file, line=line, column="date", key="error.date", args={"kind": exc.kind}) from None


def read_history_csv(data: bytes, file: str, known_codes: Sequence[str]) -> list[Rebalance]:
    """Parse a ``date,code,weight`` history (see the module docstring) into rebalances in
    date order. ``file`` labels messages only. Raises ``ValidationError``."""
    table = read_csv(data, file, max_bytes=MAX_FILE_BYTES)
    columns = {HEADER_ALIASES.get(unicodedata.normalize("NFKC", h).strip().lower()): h for h in table.header}
    missing = [c for c in HISTORY_COLUMNS if c not in columns]
    if missing:
        raise ValidationError(f"missing column(s) {', '.join(missing)}: a history file has date,code,weight "
                              f"(or 日期,代码,权重); found {','.join(table.header) or 'nothing'}",
                              file=file, line=1, column=missing[0], key="error.missing_column",
                              args={"column": ", ".join(missing), "expected": "date,code,weight（日期,代码,权重）"})
    resolver = CodeResolver([*known_codes, CASH])
    try:
        day_first = settle_day_first((row.line, row[columns["date"]]) for row in table)
    except DateError as exc:
        raise ValidationError(str(exc), file=file, line=exc.line, column="date", key="error.date", args={"kind": exc.kind}) from None
    blocks: dict[date, list[tuple[str, Decimal]]] = {}
    first_line: dict[date, int] = {}
    seen: dict[tuple[date, str], int] = {}
    for row in table:
        day = parse_history_date(row[columns["date"]], file=file, line=row.line, day_first=day_first)
        raw_code = row[columns["code"]].strip()
        if not raw_code or raw_code.lower() in MISSING_TEXT:
            raise ValidationError("code is blank", file=file, line=row.line, column="code", key="error.code_blank")
        found = resolver.match(raw_code)
        if found.code is None:
            raise ValidationError(found.reason + " — import its prices first (python -m socialfund prices import)"
                                  if found.kind == "unknown" else found.reason,
                                  file=file, line=row.line, column="code", key="error.unknown_codes" if found.kind == "unknown" else None,
                                  args={"codes": raw_code})
        if (day, found.code) in seen:
            raise ValidationError(f"{found.code} appears twice on {day} (first on line {seen[day, found.code]})",
                                  file=file, line=row.line, column="code")
        seen[day, found.code] = row.line
        weight = parse_percent(row[columns["weight"]], file=file, line=row.line, column="weight")
        blocks.setdefault(day, []).append((found.code, weight))
        first_line.setdefault(day, row.line)
    if not blocks:
        raise ValidationError("the file has a header but no rows", file=file, line=2, key="error.no_rows")
    out = []
    for day in sorted(blocks):
        where = f"{file}, the block of {day} (from line {first_line[day]})"
        try:
            bp = percent_to_bp([(c, w) for c, w in blocks[day] if w > 0], list(known_codes), file=where)
        except WeightsSumError as exc:
            raise ValidationError(f"weights on {day} add up to {exc.total_pct.normalize():f}%, not 100%: "
                                  "each date's block must add up to 100%", file=file, line=first_line[day],
                                  column="weight", key="error.block_sum",
                                  args={"day": day.isoformat(), "pct": f"{exc.total_pct.normalize():f}"}) from None
        out.append(Rebalance(day, bp, first_line[day]))
    return out
