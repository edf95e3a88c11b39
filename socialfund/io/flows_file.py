"""The cash-flows file: a real-money portfolio's deposits, withdrawals, buys, sells and dividends.

Rows ``date,code,amount`` with an optional ``type`` column (Chinese headers ``日期,代码,金额,类型``
too). Amounts are in yuan with at most two decimals (``1,000``, ``¥500.5``, ``13.14元``), read
as integer fen (``Decimal``, never a float). ``type`` is one of ``buy``, ``sell``, ``deposit``,
``withdraw``, ``dividend`` (or 买入/申购, 卖出/赎回, 存入/转入, 取出/转出, 分红). Without a type
the sign says it: on ``CASH`` (or 现金) a positive amount is a deposit and a negative one a
withdrawal; on an instrument, positive is a buy and negative a sell. With a type, a sell or a
withdrawal may be written negative; a buy, deposit or dividend may not. Deposits and
withdrawals are on ``CASH`` (a blank code is ``CASH``); the other kinds name an instrument.

Read through the one CSV reader (``io.csvrows``: UTF-8, BOM or GBK; RFC 4180), codes through
the one resolver (``core.codes.CodeResolver``), dates through the one date parser
(``io.dates``). Every error is a ``ValidationError`` naming the file, line and column;
nothing is partly read. What the flows mean (units, versions, returns) is ``core.flows``.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from decimal import Decimal, InvalidOperation

from socialfund.core.codes import CodeResolver
from socialfund.core.errors import ValidationError
from socialfund.core.flows import CASH_KINDS, Flow
from socialfund.core.weights import CASH, MISSING_TEXT
from socialfund.io.csvrows import read_csv
from socialfund.io.dates import DateError, settle_day_first
from socialfund.io.history_file import parse_history_date

#: Files above this size are refused before parsing (bytes).
MAX_FILE_BYTES = 5_000_000
#: Rows above this count are refused (years of monthly saving fit easily).
MAX_ROWS = 20_000
#: The largest amount of one row: 1,000,000,000 yuan, in fen.
MAX_FEN = 1_000_000_000 * 100
#: Header aliases → the column they mean.
HEADER_ALIASES = {"date": "date", "日期": "date", "交易日期": "date", "成交日期": "date",
                  "code": "code", "代码": "code", "基金代码": "code", "证券代码": "code",
                  "amount": "amount", "金额": "amount", "发生金额": "amount", "成交金额": "amount",
                  "type": "type", "kind": "type", "类型": "type", "操作": "type", "交易类型": "type"}
FLOW_COLUMNS = ("date", "code", "amount")
#: ``type`` cell aliases → the flow kind.
TYPE_ALIASES = {"buy": "buy", "买入": "buy", "申购": "buy", "认购": "buy", "定投": "buy",
                "sell": "sell", "卖出": "sell", "赎回": "sell",
                "deposit": "deposit", "存入": "deposit", "转入": "deposit", "入金": "deposit",
                "withdraw": "withdraw", "withdrawal": "withdraw", "取出": "withdraw", "转出": "withdraw",
                "出金": "withdraw",
                "dividend": "dividend", "分红": "dividend", "现金分红": "dividend", "红利": "dividend"}
CASH_ALIASES = frozenset({"cash", "现金"})
_OUTWARD = frozenset({"sell", "withdraw"})


def parse_amount_fen(raw: str, *, file: str, line: int, column: str = "amount") -> int:
    """A signed amount in yuan (at most two decimals) as integer fen; ``ValidationError`` naming
    the file, line and column otherwise."""
    text = unicodedata.normalize("NFKC", raw).strip().replace(",", "").replace(" ", "")
    text = text.replace("¥", "").replace("元", "")
    if not text or text.lower() in MISSING_TEXT:
        raise ValidationError("amount is blank: give an amount in yuan, e.g. 1000 or 13.14", file=file, line=line,
                              column=column)
    try:
        amount = Decimal(text)
    except InvalidOperation:
        raise ValidationError(f"amount is not a number of yuan: {raw.strip()[:40]!r}", file=file, line=line,
                              column=column) from None
    if not amount.is_finite():
        raise ValidationError(f"amount is not a finite number: {raw.strip()[:40]!r}", file=file, line=line,
                              column=column)
    if amount != amount.quantize(Decimal("0.01")):
        raise ValidationError(f"amount has more than two decimals (the smallest unit is one fen, 0.01 yuan): {text}",
                              file=file, line=line, column=column)
    fen = int(amount * 100)
    if abs(fen) > MAX_FEN:
        raise ValidationError(f"amount is too large: {text} yuan (at most {MAX_FEN // 100:,} yuan a row)",
                              file=file, line=line, column=column)
    if fen == 0:
        raise ValidationError("amount is zero: a flow moves money", file=file, line=line, column=column)
    return fen


def _kind(raw_type: str, code: str, fen: int, *, file: str, line: int) -> str:
    typed = unicodedata.normalize("NFKC", raw_type).strip().lower()
    if not typed or typed in MISSING_TEXT:
        if code == CASH:
            return "deposit" if fen > 0 else "withdraw"
        return "buy" if fen > 0 else "sell"
    kind = TYPE_ALIASES.get(typed)
    if kind is None:
        raise ValidationError(f"unknown type {raw_type.strip()[:20]!r}: use buy, sell, deposit, withdraw or dividend",
                              file=file, line=line, column="type")
    if fen < 0 and kind not in _OUTWARD:
        raise ValidationError(f"a {kind} must have a positive amount (only a sell or a withdrawal may be negative)",
                              file=file, line=line, column="amount")
    if (kind in CASH_KINDS) != (code == CASH):
        need = "the code CASH (or 现金)" if kind in CASH_KINDS else "an instrument code, not CASH"
        raise ValidationError(f"a {kind} needs {need}", file=file, line=line, column="code")
    return kind


def read_flows_csv(data: bytes, file: str, known_codes: Sequence[str]) -> list[Flow]:
    """Parse a ``date,code,amount[,type]`` flows file (see the module docstring) into flows in
    file order. ``file`` labels messages only. Raises ``ValidationError``."""
    table = read_csv(data, file, max_bytes=MAX_FILE_BYTES)
    columns = {HEADER_ALIASES.get(unicodedata.normalize("NFKC", h).strip().lower()): h for h in table.header}
    missing = [c for c in FLOW_COLUMNS if c not in columns]
    if missing:
        raise ValidationError(f"missing column(s) {', '.join(missing)}: a flows file has date,code,amount[,type] "
                              f"(or 日期,代码,金额[,类型]); found {','.join(table.header) or 'nothing'}",
                              file=file, line=1, column=missing[0])
    if len(table) > MAX_ROWS:
        raise ValidationError(f"more than {MAX_ROWS:,} rows", file=file, line=table.rows[MAX_ROWS].line)
    resolver = CodeResolver([*known_codes, CASH])
    try:
        day_first = settle_day_first((row.line, row[columns["date"]]) for row in table)
    except DateError as exc:
        raise ValidationError(str(exc), file=file, line=exc.line, column="date", key="error.date",
                              args={"kind": exc.kind}) from None
    out: list[Flow] = []
    for row in table:
        day = parse_history_date(row[columns["date"]], file=file, line=row.line, day_first=day_first)
        raw_code = unicodedata.normalize("NFKC", row[columns["code"]]).strip()
        if not raw_code or raw_code.lower() in MISSING_TEXT or raw_code.lower() in CASH_ALIASES:
            code = CASH
        else:
            found = resolver.match(raw_code)
            if found.code is None:
                raise ValidationError(found.reason + " — import its prices first (python -m socialfund prices import)"
                                      if found.kind == "unknown" else found.reason,
                                      file=file, line=row.line, column="code")
            code = found.code
        fen = parse_amount_fen(row[columns["amount"]], file=file, line=row.line)
        kind = _kind(row.get(columns["type"]) if "type" in columns else "", code, fen, file=file, line=row.line)
        out.append(Flow(day, code, kind, abs(fen), row.line))
    if not out:
        raise ValidationError("the file has a header but no rows", file=file, line=2)
    return out
