"""Price files as people actually have them: sniff the format, read the closes.

``sniff_prices(raw, name, code=None)`` decodes the bytes with the one decoder
(``io.textio``: UTF-8, UTF-8 with BOM, GBK/GB18030), reads rows with the one CSV reader
(``io.csvrows``), recognises one of ``PRICE_FORMATS`` from the header and returns a
``PriceImport``: a long frame ``date, code, close`` sorted by code and date, where a NaN
close is a gap (a blank pre-listing cell, a suspension row), plus names, dividend records
and warnings saying what was assumed. Pure: no store, no network, codes NOT resolved
(``'000300`` becomes ``000300``, ``600519.SH`` stays as written).

Which close is used
-------------------
* ``eastmoney_nav`` (天天基金 open-end fund NAV): never 单位净值 alone (a cash dividend drops
  it). With a 日增长率 column the close is a total-return level chained from the first
  单位净值: ``close_t = close_{t-1} × (1 + 日增长率_t / 100)``. The export rounds 日增长率 to
  0.01 percentage points, so each day carries at most ±0.005 pp of rounding. A day without
  日增长率 takes ``(累计净值_t − 累计净值_{t-1}) / 单位净值_{t-1}`` (exact for cash dividends),
  or the 单位净值 ratio when that day has no 分红送配 record. Without 日增长率 the close is
  累计净值 (dividends added back, not reinvested). Which one was used is in ``warnings``.
* ``yfinance``: ``Adj Close`` when the file has it, else ``Close`` (adjusted by yfinance's
  default ``auto_adjust=True``). ``alphavantage``: ``adjusted_close`` / ``5. adjusted close``
  when present, else ``close`` / ``4. close``. Everything else: the close column as written
  (A-share exports are unadjusted unless downloaded adjusted; ``market.quality`` flags
  split-like jumps).

Gaps and rejections
-------------------
A close cell that is empty, ``-``, ``--``, ``—`` or ``停牌`` is a gap, and so is a close of 0
on a row whose volume is 0 (NetEase writes suspended days that way). Anything else that is
not a positive finite number is refused. Refusals are ``ValidationError`` naming the file,
the format it was read as (or the formats expected), the line and the column.
"""

from __future__ import annotations

import csv
import io
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any
from datetime import date
from pathlib import PurePath

import numpy as np
import pandas as pd

from socialfund.core.errors import ValidationError
from socialfund.io.csvrows import CsvRow, iter_csv
from socialfund.io.dates import DateError, looks_like_date, parse_day, settle_day_first
from socialfund.io.textio import decode_bytes

PRICE_FORMATS: dict[str, str] = {
    "long": "date,code,close: one row per code and day (extra columns such as name are kept or ignored)",
    "wide": "date plus one column per code (a closes table, e.g. DataFrame.to_csv())",
    "single": "one instrument: date,close (the code from a code column, --code or the file name)",
    "eastmoney_nav": "天天基金 fund NAV export: 净值日期,单位净值,累计净值,日增长率,… (akshare: 净值日期,单位净值,日增长率)",
    "ohlc": "daily bars from NetEase/akshare/efinance/tushare or any date,open,high,low,close file "
            "(日期,股票代码,名称,收盘价,… / 日期,开盘,收盘,最高,最低,… / ts_code,trade_date,…,close)",
    "yfinance": "yfinance CSV: yf.download(...).to_csv() (Price/Ticker/Date header rows) or "
                "Date,Open,High,Low,Close,Adj Close,Volume",
    "alphavantage": "Alpha Vantage: timestamp,open,high,low,close[,adjusted_close] or date,1. open,…,4. close",
    "investing": "investing.com history: 日期,收盘,开盘,高,低,交易量,涨跌幅 (2024年1月2日, 3,456.78) or "
                 "Date,Price,Open,High,Low,Vol.,Change %",
}


@dataclass(frozen=True)
class PriceImport:
    """What ``sniff_prices`` read from one file (see the module docstring)."""

    file: str                    # the name given
    format: str                  # one of PRICE_FORMATS ids
    frame: pd.DataFrame          # date (datetime.date), code (str, as written), close (float; NaN = gap)
    names: dict[str, str]        # code -> instrument name where the file has one
    gaps: int                    # rows kept as gaps (blank / suspension)
    warnings: tuple[str, ...]    # what was assumed
    dividends: pd.DataFrame      # code, date, text (分红送配 / dividend / split records; else empty)


# --------------------------------------------------------------------------- header vocabulary

def _key(cell: str) -> str:
    """A header cell as compared: lower case, no spaces/underscores, no trailing unit in brackets."""
    k = re.sub(r"[\s_]+", "", cell.replace("\ufeff", "").strip().lower())
    return re.sub(r"[(（][^()（）]*[)）]$", "", k)


_ALIASES: dict[str, frozenset[str]] = {
    "date": frozenset({"date", "日期", "交易日期", "tradedate", "timestamp", "datetime", "时间", "净值日期", "fsrq"}),
    "code": frozenset({"code", "代码", "股票代码", "证券代码", "基金代码", "指数代码", "tscode", "symbol", "ticker"}),
    "name": frozenset({"name", "名称", "股票名称", "证券名称", "基金名称", "指数名称", "简称", "证券简称", "基金简称"}),
    "close": frozenset({"close", "收盘", "收盘价", "收盘点位", "price", "4.close"}),
    "adj_close": frozenset({"adjclose", "adjustedclose", "5.adjustedclose"}),
    "open": frozenset({"open", "开盘", "开盘价", "今开", "1.open"}),
    "high": frozenset({"high", "最高", "最高价", "高", "2.high"}),
    "low": frozenset({"low", "最低", "最低价", "低", "3.low"}),
    "volume": frozenset({"volume", "vol", "vol.", "成交量", "交易量", "5.volume", "6.volume"}),
    "unit_nav": frozenset({"单位净值", "dwjz"}),
    "acc_nav": frozenset({"累计净值", "ljjz"}),
    "growth": frozenset({"日增长率", "jzzzl"}),
    "fund_dividend": frozenset({"分红送配", "fhsp"}),
    "dividend_amount": frozenset({"dividends", "dividendamount", "7.dividendamount"}),
    "split": frozenset({"stocksplits", "splitcoefficient", "8.splitcoefficient"}),
    "mmf": frozenset({"每万份收益", "7日年化收益率", "七日年化收益率", "万份收益"}),
}
_INVESTING_MARKS = frozenset({"高", "低", "交易量", "change%", "vol."})
_YF_FIELDS = frozenset({"Adj Close", "Close", "High", "Low", "Open", "Volume", "Dividends", "Stock Splits",
                        "Capital Gains", "Repaired?"})
_CODE_COLUMNS_TEXT = "股票代码/代码/code/ts_code/symbol"
_GAP_MARKERS = frozenset({"", "-", "--", "---", "—", "——", "停牌"})
_MAX_HEADER_SCAN = 4
#: Files longer than this (characters) try the vectorised reader first (``_fast_read``); tests set it to 0.
_FAST_MIN_CHARS = 200_000


def _roles(header: Sequence[str]) -> dict[str, int]:
    """Role → column index for every header cell that is a known field (first one wins)."""
    found: dict[str, int] = {}
    for i, cell in enumerate(header):
        k = _key(cell)
        for role, names in _ALIASES.items():
            if k in names and role not in found:
                found[role] = i
    return found


# --------------------------------------------------------------------------- layout

@dataclass
class _Layout:
    """How the rows of one recognised file are read."""

    format: str
    header: list[str]                      # original header labels (for messages), one per column
    header_lines: int                      # physical lines the header takes
    date_col: int
    series: list[tuple[int, str | None]]   # (close column, code from the header or None = row/file code)
    code_col: int | None = None
    name_col: int | None = None
    volume_cols: dict[int, int] = field(default_factory=dict)    # close column → its volume column
    event_cols: list[tuple[int, str]] = field(default_factory=list)   # (column, kind) dividend/split amounts
    warnings: list[str] = field(default_factory=list)


def _head(text: str, n: int) -> list[list[str]]:
    """The first ``n`` CSV records (header sniffing only; rows are read by ``csvrows``)."""
    reader = csv.reader(io.StringIO(text[:65536], newline=""))
    out: list[list[str]] = []
    try:
        for cells in reader:
            out.append([c.replace("\ufeff", "").strip() for c in cells])
            if len(out) == n:
                break
    except csv.Error:
        pass
    return out


def _expected() -> str:
    return "; ".join(f"{fid} ({desc})" for fid, desc in PRICE_FORMATS.items())


def _refuse_header(name: str, header: Sequence[str], why: str) -> ValidationError:
    shown = ','.join(header)
    return ValidationError(f"{why}; the header has: {shown}. Expected one of: {_expected()}",
                           file=name, line=1, key="error.price_header",
                           args={"header": shown[:200], "why": why, "expected": _expected()})


def _yfinance_layout(head: list[list[str]], name: str) -> _Layout | None:
    """``yf.download(...).to_csv()``: Price/Ticker rows (either order), then an optional Date row."""
    if len(head) < 2 or len(head[0]) < 2 or len(head[0]) != len(head[1]):
        return None
    first, second = head[0], head[1]
    if first[0] not in ("Price", "Ticker", "") or second[0] not in ("Price", "Ticker", ""):
        return None
    if all(c in _YF_FIELDS for c in first[1:]):
        fields, tickers = first, second
    elif all(c in _YF_FIELDS for c in second[1:]):
        fields, tickers = second, first
    else:
        return None
    if not all(tickers[1:]):
        raise ValidationError("yfinance header: a Ticker cell is empty", file=name, line=1)
    lines = 2
    if len(head) > 2 and head[2] and head[2][0] in ("Date", "Datetime", "") and not any(head[2][1:]):
        lines = 3
    header = [f"{f} {t}".strip() for f, t in zip(fields, tickers)]
    header[0] = "Date"
    by_ticker: dict[str, dict[str, int]] = {}
    for i in range(1, len(fields)):
        by_ticker.setdefault(tickers[i], {})[fields[i]] = i
    series: list[tuple[int, str | None]] = []
    volumes: dict[int, int] = {}
    used_adj = []
    for ticker, cols in by_ticker.items():
        col = cols.get("Adj Close", cols.get("Close"))
        if col is None:
            raise ValidationError(f"yfinance header: no Close or Adj Close column for {ticker}", file=name, line=1)
        if "Adj Close" in cols:
            used_adj.append(ticker)
        series.append((col, ticker))
        if "Volume" in cols:
            volumes[col] = cols["Volume"]
    layout = _Layout("yfinance", header, lines, 0, series, volume_cols=volumes)
    layout.warnings.append("close: Adj Close" if used_adj else
                           "close: Close (adjusted by yfinance's default auto_adjust=True; a download with "
                           "auto_adjust=False leaves dividends out)")
    return layout


def _detect(head: list[list[str]], name: str) -> _Layout:
    """Recognise the format from the first rows (see PRICE_FORMATS)."""
    if not head or not any(head[0]):
        raise ValidationError(f"the file is empty (no header row). Expected one of: {_expected()}", file=name)
    yf = _yfinance_layout(head, name)
    if yf is not None:
        return yf
    header = list(head[0])
    roles = _roles(header)
    keys = {_key(c) for c in header}
    if "date" not in roles and header[0] == "" and len(head) > 1 and head[1] and looks_like_date(head[1][0]):
        roles["date"] = 0          # DataFrame.to_csv() with an unnamed date index
    if "mmf" in roles:
        raise _refuse_header(name, header, "a money-market fund export (每万份收益, 7日年化收益率) has no NAV "
                                           "price to import")
    if "date" not in roles:
        raise _refuse_header(name, header, "no date column (date/日期/净值日期/trade_date/timestamp/Date) "
                                           "was recognised")
    d = roles["date"]
    ohlc = any(r in roles for r in ("open", "high", "low"))

    def single_series(fmt: str, close_role: str = "close") -> _Layout:
        col = roles[close_role]
        layout = _Layout(fmt, header, 1, d, [(col, None)], code_col=roles.get("code"), name_col=roles.get("name"))
        if "volume" in roles:
            layout.volume_cols[col] = roles["volume"]
        for role in ("dividend_amount", "split"):
            if role in roles:
                layout.event_cols.append((roles[role], role))
        return layout

    if any(r in roles for r in ("unit_nav", "acc_nav", "growth")):
        return _Layout("eastmoney_nav", header, 1, d, [], code_col=roles.get("code"), name_col=roles.get("name"))
    if keys & _INVESTING_MARKS and "close" in roles:
        return single_series("investing")
    if "timestamp" in keys or any(re.match(r"^\d{1,2}\.[a-z]+$", k) for k in keys) or "adjustedclose" in keys:
        if "close" not in roles and "adj_close" not in roles:
            raise _refuse_header(name, header, "Alpha Vantage file without a close column")
        use_adj = "adj_close" in roles
        layout = single_series("alphavantage", "adj_close" if use_adj else "close")
        layout.warnings.append(f"close: {header[roles['adj_close']]} (adjusted for dividends and splits)" if use_adj
                               else f"close: {header[roles['close']]} as written (not adjusted for dividends or "
                                    f"splits)")
        return layout
    if "adj_close" in roles or ({"Dividends", "Stock Splits"} <= set(header)):
        use_adj = "adj_close" in roles
        if not use_adj and "close" not in roles:
            raise _refuse_header(name, header, "yfinance file without a Close column")
        layout = single_series("yfinance", "adj_close" if use_adj else "close")
        layout.warnings.append("close: Adj Close" if use_adj else
                               "close: Close (Ticker.history() adjusts it for dividends and splits by default)")
        return layout
    if "close" in roles:
        if ohlc:
            return single_series("ohlc")
        if "code" in roles:
            return single_series("long")
        return single_series("single")
    known = {r for r in roles if r not in ("date", "name")}
    if known:
        raise _refuse_header(name, header, f"no close column (close/收盘/收盘价/Close/Price) next to "
                                           f"{', '.join(header[roles[r]] for r in sorted(known))}")
    others = [i for i in range(len(header)) if i != d and i != roles.get("name")]
    if not others:
        raise _refuse_header(name, header, "only a date column: no close or code columns")
    for i in others:
        if not header[i]:
            raise ValidationError(f"wide file (date + one column per code): header cell {i + 1} is empty, "
                                  f"expected a code", file=name, line=1, column=i + 1)
    return _Layout("wide", header, 1, d, [(i, _clean_code(header[i])) for i in others])


# --------------------------------------------------------------------------- cells

class _Dates:
    """One file's date column, read by the one date parser (``io.dates``): the ``NN/NN/YYYY``
    order is settled over the whole column first (a value with a part above 12 proves it); a
    column proving both orders, or an ``NN/NN/YYYY`` value nothing settles, is refused."""

    def __init__(self, cells: Sequence[tuple[int, str]], name: str, column: str) -> None:
        self.name, self.column = name, column
        try:
            self.day_first = settle_day_first(cells)
        except DateError as exc:
            raise ValidationError(str(exc), file=name, line=exc.line, column=column, key="error.date", args={"kind": exc.kind}) from None

    def parse(self, cell: str, line: int, fmt: str) -> date:
        try:
            return parse_day(cell, day_first=self.day_first)
        except DateError as exc:
            raise ValidationError(f"{fmt}: {exc}", file=self.name, line=line, column=self.column, key="error.date", args={"kind": exc.kind}) from None


_THOUSANDS = re.compile(r"^[+-]?\d{1,3}(,\d{3})+(\.\d+)?$")


def _number(cell: str) -> float | None:
    """A decimal cell (thousands separators allowed) or None when it is not a number."""
    s = cell.strip()
    if _THOUSANDS.match(s):
        s = s.replace(",", "")
    try:
        return float(s)
    except ValueError:
        return None


def _volume(cell: str) -> float | None:
    """A volume cell: ``12345``, ``1,234``, ``12.34K/M/B`` (investing.com); None when absent."""
    s = cell.strip().replace(",", "")
    scale = {"K": 1e3, "M": 1e6, "B": 1e9}.get(s[-1:].upper(), 1.0) if s else 1.0
    if scale != 1.0:
        s = s[:-1]
    try:
        return float(s) * scale
    except ValueError:
        return None


def _percent(cell: str) -> float | None:
    """``0.52%`` or ``0.52`` → 0.52 (percent); None for an empty or ``--`` cell."""
    s = cell.strip().rstrip("%").strip()
    if s in _GAP_MARKERS:
        return None
    try:
        return float(s)
    except ValueError:
        return float("nan")


def _clean_code(raw: str) -> str:
    """A code as written minus the spreadsheet quirks: surrounding spaces, a leading ``'``, ``="…"``."""
    s = raw.strip()
    m = re.match(r'^="(.*)"$', s)
    if m:
        s = m.group(1)
    return s.lstrip("'").strip()


_STEM_CODE = re.compile(r"^((?:sh|sz|bj)?\d{6}(?:\.(?:ss|sz|sh|bj))?|[A-Z]{1,5}(?:\.[A-Z]{1,2})?)(?:[_\- ].*)?$",
                        re.IGNORECASE)


def code_from_file_name(name: str) -> str | None:
    """The code a file name spells (``510300.csv``, ``510300.SS.csv``, ``sh510300.csv``,
    ``000300_daily.csv``, ``SPY.csv``), or None. Letters-only stems must be upper case, so
    ``prices.csv`` is not read as a ticker."""
    base = PurePath(name.replace("\\", "/")).name
    stem = re.sub(r"\.(csv|txt)$", "", base, flags=re.IGNORECASE)
    m = _STEM_CODE.match(stem)
    if not m:
        return None
    code = m.group(1)
    if not any(ch.isdigit() for ch in code) and not code.isupper():
        return None
    return code


# --------------------------------------------------------------------------- rows

@dataclass
class _Collected:
    records: list[tuple[str, date, float, int]] = field(default_factory=list)   # code, day, close, line
    names: dict[str, tuple[date, str]] = field(default_factory=dict)
    dividends: list[tuple[str, date, str]] = field(default_factory=list)
    gaps: int = 0
    suspensions: int = 0


def _rows(text: str, layout: _Layout, name: str) -> list[CsvRow]:
    """The data rows, read by ``csvrows`` with the header replaced by positional names (blank
    lines keep the physical line numbers of a multi-line header)."""
    pos = 0
    for _ in range(layout.header_lines):
        nl = text.find("\n", pos)
        pos = len(text) if nl < 0 else nl + 1
    columns = [f"c{i}" for i in range(len(layout.header))]
    body = ",".join(columns) + "\n" * layout.header_lines + text[pos:]
    _, rows = iter_csv(body, name, lower=False)
    return list(rows)


def _cell(row: CsvRow, col: int) -> str:
    return row.get(f"c{col}").strip()


def _close(row: CsvRow, col: int, layout: _Layout, name: str) -> tuple[float, bool]:
    """The close in ``col`` and whether the row is a suspension: a positive finite price, or
    NaN for a gap marker / a suspended day (close 0 on volume 0, as NetEase writes it)."""
    s = _cell(row, col)
    label = layout.header[col] or f"column {col + 1}"
    if s in _GAP_MARKERS:
        return math.nan, False
    value = _number(s)
    if value is None:
        raise ValidationError(f"{layout.format}: close {s!r} in {label} is not a number (a gap is empty, "
                              f"'--' or '停牌')", file=name, line=row.line, column=label)
    if value == 0 and col in layout.volume_cols and _volume(_cell(row, layout.volume_cols[col])) == 0:
        return math.nan, True
    if not math.isfinite(value) or value <= 0:
        raise ValidationError(f"{layout.format}: close {s!r} in {label} must be a positive finite price",
                              file=name, line=row.line, column=label)
    return value, False


def _fixed_code(layout: _Layout, name: str, code: str | None) -> str:
    if code is not None and _clean_code(code):
        return _clean_code(code)
    from_name = code_from_file_name(name)
    if from_name:
        return from_name
    raise ValidationError(f"{layout.format}: one instrument per file but no code: the file has no code column "
                          f"({_CODE_COLUMNS_TEXT}) and its name is not a code (like 510300.csv or "
                          f"510300.SS.csv): pass --code", file=name)


_INVESTING_FOOTER = re.compile(r'\n"?(?:最高|Highest)\s*[:：][^\n]*\s*$', re.IGNORECASE)


def _drop_investing_footer(text: str, layout: _Layout) -> str:
    """investing.com's old summary line (``"Highest: …","Lowest: …",…`` / ``最高: …``) after the last day."""
    m = _INVESTING_FOOTER.search(text)
    if not m:
        return text
    layout.warnings.append("investing.com summary line (最高/Highest …) after the last day skipped")
    return text[:m.start() + 1]


def _collect_bars(rows: list[CsvRow], layout: _Layout, name: str, code: str | None) -> _Collected:
    out = _Collected()
    fixed: str | None = None
    if layout.code_col is None and any(c is None for _, c in layout.series):
        fixed = _fixed_code(layout, name, code)
    elif code is not None:
        where = layout.header[layout.code_col] if layout.code_col is not None else "the header"
        layout.warnings.append(f"code {code!r} ignored: the file names its codes ({where})")
    dates = _Dates([(r.line, _cell(r, layout.date_col)) for r in rows], name,
                   layout.header[layout.date_col] or str(layout.date_col + 1))
    cleaned: dict[str, str] = {}     # code as written -> cleaned (a file repeats a few codes many times)
    for row in rows:
        day = dates.parse(_cell(row, layout.date_col), row.line, layout.format)
        row_code = fixed
        if layout.code_col is not None:
            written = row.get(f"c{layout.code_col}")
            row_code = cleaned.get(written)
            if row_code is None:
                row_code = cleaned[written] = _clean_code(written)
            if not row_code:
                raise ValidationError(f"{layout.format}: code is empty", file=name, line=row.line,
                                      column=layout.header[layout.code_col])
        for col, header_code in layout.series:
            c = header_code or row_code
            assert c is not None
            value, suspended = _close(row, col, layout, name)
            if math.isnan(value):
                out.gaps += 1
                out.suspensions += suspended
            out.records.append((c, day, value, row.line))
        if layout.name_col is not None and row_code is not None:
            nm = _cell(row, layout.name_col)
            if nm and (row_code not in out.names or out.names[row_code][0] < day):
                out.names[row_code] = (day, nm)
        for col, kind in layout.event_cols:
            amount = _number(_cell(row, col))
            if amount is not None and amount != 0 and not (kind == "split" and amount == 1):
                assert row_code is not None
                what = "split" if kind == "split" else "dividend"
                out.dividends.append((row_code, day, f"{what} {_cell(row, col)} ({layout.header[col]})"))
    if out.suspensions:
        layout.warnings.append(f"{out.suspensions} suspension rows (close 0 on volume 0) kept as gaps")
    return out


def _collect_nav(rows: list[CsvRow], layout: _Layout, name: str, code: str | None) -> _Collected:
    """天天基金 NAV rows → a total-return close (see the module docstring)."""
    roles = _roles(layout.header)
    unit_col, acc_col, growth_col = roles.get("unit_nav"), roles.get("acc_nav"), roles.get("growth")
    div_col = roles.get("fund_dividend")
    fmt = layout.format
    if growth_col is None and acc_col is None:
        raise _refuse_header(name, layout.header, f"{fmt}: 单位净值 alone drops every dividend: the file needs "
                                                  f"日增长率 or 累计净值 as well")
    if growth_col is not None and unit_col is None and acc_col is None:
        raise _refuse_header(name, layout.header, f"{fmt}: 日增长率 without 单位净值 or 累计净值 has no level "
                                                  f"to start from")
    if layout.code_col is not None:
        codes = {_clean_code(r.get(f"c{layout.code_col}")) for r in rows}
        if len(codes) != 1 or "" in codes:
            raise ValidationError(f"{fmt}: a NAV export holds one fund; the code column has "
                                  f"{', '.join(sorted(codes)) or 'nothing'}", file=name,
                                  column=layout.header[layout.code_col])
        fund = codes.pop()
    else:
        fund = _fixed_code(layout, name, code)
    dates = _Dates([(r.line, _cell(r, layout.date_col)) for r in rows], name, layout.header[layout.date_col])

    def nav(row: CsvRow, col: int | None) -> float | None:
        if col is None:
            return None
        s = _cell(row, col)
        if s in _GAP_MARKERS:
            return None
        value = _number(s)
        if value is None or not math.isfinite(value) or value <= 0:
            raise ValidationError(f"{fmt}: {layout.header[col]} {s!r} must be a positive finite NAV", file=name,
                                  line=row.line, column=layout.header[col])
        return value

    parsed = []
    seen: dict[date, int] = {}
    for row in rows:
        day = dates.parse(_cell(row, layout.date_col), row.line, fmt)
        if day in seen:
            raise ValidationError(f"{fmt}: duplicate row for {fund} on {day} (first at line {seen[day]})",
                                  file=name, line=row.line)
        seen[day] = row.line
        growth = _percent(_cell(row, growth_col)) if growth_col is not None else None
        if growth is not None and (not math.isfinite(growth) or growth <= -100):
            raise ValidationError(f"{fmt}: 日增长率 {_cell(row, growth_col or 0)!r} is not a percentage above "
                                  f"-100", file=name, line=row.line, column=layout.header[growth_col or 0])
        text = _cell(row, div_col) if div_col is not None else ""
        parsed.append((day, row.line, nav(row, unit_col), nav(row, acc_col), growth, text))
    parsed.sort()
    out = _Collected()
    level: float | None = None
    anchor: tuple[date, str] | None = None
    prev: tuple[float | None, float | None] = (None, None)
    filled = 0
    for day, line, unit, acc, growth, text in parsed:
        if text and text not in _GAP_MARKERS:
            out.dividends.append((fund, day, text))
        if growth_col is None:
            close = acc if acc is not None else math.nan
        elif unit is None and acc is None:
            close = math.nan
        elif level is None:
            level = unit if unit is not None else acc
            anchor = (day, f"单位净值 {unit}" if unit is not None else f"累计净值 {acc}")
            close = level if level is not None else math.nan
        else:
            if growth is None:
                growth = _fill_growth(prev, unit, acc, text, fmt, name, line)
                filled += 1
            level *= 1 + growth / 100
            close = level
        if math.isnan(close):
            out.gaps += 1
        else:
            prev = (unit, acc)
        out.records.append((fund, day, close, line))
    _nav_warnings(layout, fund, growth_col is None, anchor, filled, len(out.dividends))
    return out


def _nav_warnings(layout: _Layout, fund: str, no_growth: bool, anchor: tuple[date, str] | None, filled: int,
                  dividends: int) -> None:
    """Say which close a NAV export gave (the same words from both readers)."""
    if no_growth:
        layout.warnings.append(f"{fund}: close = 累计净值 (no 日增长率 column; 累计净值 adds dividends back "
                               f"without reinvesting them, so long-run returns are slightly understated)")
    elif anchor is not None:
        layout.warnings.append(f"{fund}: close = total return chained from 日增长率, starting at {anchor[1]} "
                               f"on {anchor[0]} (单位净值 alone would drop the dividends)")
    if filled:
        layout.warnings.append(f"{fund}: {filled} days without 日增长率 took the 累计净值 change (or the 单位净值 "
                               f"ratio on a day without 分红送配)")
    if dividends:
        layout.warnings.append(f"{fund}: {dividends} dividend records (分红送配)")


def _fill_growth(prev: tuple[float | None, float | None], unit: float | None, acc: float | None, text: str,
                 fmt: str, name: str, line: int) -> float:
    """A missing 日增长率 (percent): the 累计净值 change over the previous 单位净值 (exact for a cash
    dividend, not for a split), or the 单位净值 ratio on a day without any 分红送配 record."""
    prev_unit, prev_acc = prev
    record = bool(text) and text not in _GAP_MARKERS
    split = record and ("拆分" in text or "折算" in text)
    if prev_unit is not None and prev_acc is not None and acc is not None and not split:
        return (acc - prev_acc) / prev_unit * 100
    if prev_unit is not None and unit is not None and not record:
        return (unit / prev_unit - 1) * 100
    raise ValidationError(f"{fmt}: 日增长率 is missing and the return cannot be computed from the NAVs "
                          f"(a split or dividend day, or no previous NAV)", file=name, line=line, column="日增长率")


# --------------------------------------------------------------------------- fast path

_ISO_DAY = r"\d{4}-\d{2}-\d{2}"


@dataclass
class _Fast:
    frame: pd.DataFrame
    names: dict[str, tuple[date, str]]
    dividends: list[tuple[str, date, str]]
    gaps: int


def _fast_table(text: str, layout: _Layout, numeric: Sequence[int]) -> pd.DataFrame | None:
    """The data rows as a frame (columns = positions): the ``numeric`` columns as floats with
    NaN for gap markers, the others as strings. None when the C parser and the row reader
    could disagree (any quote character; a row with another number of fields than the header,
    which the row reader refuses with its line and the C parser would pad) or when a numeric
    cell is not a plain decimal (the row-wise rules decide: thousands separators, ``nan``, …)."""
    body = text.split("\n", layout.header_lines)[-1]
    commas = len(layout.header) - 1
    if '"' in body:
        return None
    numeric = list(dict.fromkeys(numeric))
    options: dict[str, Any] = {
        "dtype": {i: str for i in range(len(layout.header)) if i not in numeric},
        "na_values": {i: sorted(_GAP_MARKERS) for i in numeric},
        "float_precision": "round_trip",      # the same doubles as float(cell)
    }
    try:
        table = pd.read_csv(io.StringIO(body), header=None, engine="c", skip_blank_lines=True, index_col=False,
                            keep_default_na=False, **options)
    except (ValueError, pd.errors.ParserError):
        return None
    # the C parser refuses a row with more fields than the first and pads one with fewer: every
    # row has exactly the header's fields when none has more and the commas add up (blank and
    # whitespace-only lines are skipped by both readers)
    if table.empty or table.shape[1] != len(layout.header) or body.count(",") != commas * len(table):
        return None
    for i in numeric:
        values = table[i]
        if not pd.api.types.is_numeric_dtype(values.dtype):
            return None
        finite = values.dropna()
        if (finite <= 0).any() or np.isinf(finite).any():
            return None
        table[i] = values.astype(float)
    return table


def _fast_dates(cells: pd.Series) -> pd.Series | None:
    """ISO ``YYYY-MM-DD`` cells → ``datetime.date`` objects; None for any other style."""
    if not cells.str.fullmatch(_ISO_DAY).all():
        return None
    parsed = pd.to_datetime(cells, format="%Y-%m-%d", errors="coerce")
    if parsed.isna().any():
        return None
    return pd.Series(parsed.dt.date, index=cells.index)


def _fast_bars(text: str, layout: _Layout, name: str, code: str | None) -> _Fast | None:
    """``_collect_bars`` for the plain case, vectorised: ISO dates, decimal closes, no volume
    suspension rule, no event columns. None whenever the row-wise path must decide."""
    if layout.event_cols or layout.format in ("investing", "yfinance", "alphavantage"):
        return None
    table = _fast_table(text, layout, [col for col, _ in layout.series])
    if table is None:
        return None
    days = _fast_dates(table[layout.date_col])
    if days is None:
        return None
    has_row_code = True
    if layout.code_col is None and any(c is None for _, c in layout.series):
        row_codes = pd.Series(_fixed_code(layout, name, code), index=table.index)
    elif layout.code_col is not None:
        if code is not None:
            layout.warnings.append(f"code {code!r} ignored: the file names its codes ({layout.header[layout.code_col]})")
        written = table[layout.code_col]
        row_codes = written.map({w: _clean_code(w) for w in written.unique()})
        if (row_codes == "").any():
            return None
    else:
        row_codes, has_row_code = pd.Series("", index=table.index), False
        if code is not None:
            layout.warnings.append(f"code {code!r} ignored: the file names its codes (the header)")
    parts = []
    for col, header_code in layout.series:
        closes = table[col]          # positive where quoted: a 0-close suspension row takes the row-wise path
        parts.append(pd.DataFrame({"date": days, "code": header_code or row_codes, "close": closes}))
    frame = pd.concat(parts, ignore_index=True)
    names: dict[str, tuple[date, str]] = {}
    if layout.name_col is not None and has_row_code:
        named = pd.DataFrame({"code": row_codes, "date": days, "name": table[layout.name_col].str.strip()})
        named = named[named["name"] != ""]
        # the name on each code's latest day, first row of that day (as the row-wise path keeps it)
        latest = named.sort_values("date", kind="stable").groupby("code", sort=True).tail(1)
        first_on_day = named.merge(latest[["code", "date"]], on=["code", "date"]).groupby("code").head(1)
        names = {str(c): (d, str(n)) for c, d, n in
                 zip(first_on_day["code"], first_on_day["date"], first_on_day["name"])}
    return _Fast(frame, names, [], int(frame["close"].isna().sum()))


def _fast_nav(text: str, layout: _Layout, name: str, code: str | None) -> _Fast | None:
    """``_collect_nav`` vectorised for exports whose every NAV row has its 日增长率 (or that have
    no 日增长率 column): the chained level is the same running product, in the same order."""
    roles = _roles(layout.header)
    unit_col, acc_col, growth_col = roles.get("unit_nav"), roles.get("acc_nav"), roles.get("growth")
    div_col = roles.get("fund_dividend")
    if (growth_col is None and acc_col is None) or (growth_col is not None and unit_col is None and acc_col is None):
        return None                  # refused by the row-wise path, with its message
    table = _fast_table(text, layout, [c for c in (unit_col, acc_col) if c is not None])
    if table is None:
        return None
    if layout.code_col is not None:
        codes = set(table[layout.code_col].map(_clean_code).unique())
        if len(codes) != 1 or "" in codes:
            return None
        fund = codes.pop()
    else:
        fund = _fixed_code(layout, name, code)
    days = _fast_dates(table[layout.date_col])
    if days is None or days.duplicated().any():
        return None
    missing = pd.Series(math.nan, index=table.index)
    unit = table[unit_col] if unit_col is not None else missing
    acc = table[acc_col] if acc_col is not None else missing
    order = days.sort_values(kind="stable").index
    days, unit, acc = days[order], unit[order], acc[order]
    texts = table[div_col].str.strip()[order] if div_col is not None else pd.Series("", index=order)
    records = ~texts.isin(_GAP_MARKERS)
    dividends = [(fund, d, t) for d, t in zip(days[records], texts[records])]
    if growth_col is None:
        close = acc.to_numpy(dtype=float)
        anchor = None
    else:
        g = table[growth_col].str.strip().str.rstrip("%").str.strip()[order]
        gap = g.isin(_GAP_MARKERS)
        growth = pd.to_numeric(g.where(~gap, "nan"), errors="coerce")
        if (growth.isna() & ~gap).any() or (growth <= -100).any() or np.isinf(growth).any():
            return None
        valid = (unit.notna() | acc.notna()).to_numpy()
        if not valid.any():
            return None
        first = int(np.argmax(valid))
        later = valid.copy()
        later[: first + 1] = False
        if growth.to_numpy()[later].size and np.isnan(growth.to_numpy()[later]).any():
            return None              # a day without 日增长率: the row-wise path fills it from the NAVs
        start = unit.iloc[first] if not math.isnan(unit.iloc[first]) else acc.iloc[first]
        anchor = (days.iloc[first], f"单位净值 {float(unit.iloc[first])}" if not math.isnan(unit.iloc[first])
                  else f"累计净值 {float(acc.iloc[first])}")
        close = np.full(len(days), math.nan)
        close[later | (np.arange(len(days)) == first)] = np.cumprod(
            np.concatenate([[float(start)], 1 + growth.to_numpy(dtype=float)[later] / 100]))
    frame = pd.DataFrame({"date": days.to_numpy(), "code": fund, "close": close})
    _nav_warnings(layout, fund, growth_col is None, anchor, 0, len(dividends))
    return _Fast(frame, {}, dividends, int(np.isnan(close).sum()))


def _fast_read(text: str, layout: _Layout, name: str, code: str | None) -> _Fast | None:
    """The vectorised reader for large plain files (same result as the row-wise path, which
    runs instead whenever a cell needs its rules or a message needs a line number)."""
    if layout.format == "eastmoney_nav":
        return _fast_nav(text, layout, name, code)
    return _fast_bars(text, layout, name, code)


# --------------------------------------------------------------------------- entry point

def sniff_prices(raw: bytes, name: str, code: str | None = None) -> PriceImport:
    """Recognise and read one price file (see the module docstring and ``PRICE_FORMATS``).

    ``name`` labels messages and, for one-instrument files without a code column, gives the
    code when its stem looks like one; an explicit ``code`` wins over the file name (a code
    column wins over both). Raises ``ValidationError`` naming the file, the format(s) and the line.
    """
    text = decode_bytes(raw, name)
    layout = _detect(_head(text, _MAX_HEADER_SCAN), name)
    if layout.format == "investing":
        text = _drop_investing_footer(text, layout)
    fast = _fast_read(text, layout, name, code) if len(text) > _FAST_MIN_CHARS else None
    if fast is not None and fast.frame.duplicated(["code", "date"]).any():
        fast = None      # the row-wise path names the duplicate's lines
    if fast is not None:
        frame, names, dividends_found, gaps = fast.frame, fast.names, fast.dividends, fast.gaps
    else:
        rows = _rows(text, layout, name)
        if not rows:
            raise ValidationError(f"{layout.format}: the file has a header but no rows", file=name)
        got = _collect_nav(rows, layout, name, code) if layout.format == "eastmoney_nav" else \
            _collect_bars(rows, layout, name, code)
        seen: dict[tuple[str, date], int] = {}
        for c, day, _, line in got.records:
            if (c, day) in seen:
                raise ValidationError(f"{layout.format}: duplicate row for {c} on {day} (first at line "
                                      f"{seen[(c, day)]})", file=name, line=line)
            seen[(c, day)] = line
        frame = pd.DataFrame([(d, c, v) for c, d, v, _ in got.records], columns=["date", "code", "close"])
        names, dividends_found, gaps = got.names, got.dividends, got.gaps
    frame["close"] = frame["close"].astype(float)
    if not frame["close"].notna().any():
        raise ValidationError(f"{layout.format}: no prices: every close is empty or a gap", file=name)
    frame = frame.sort_values(["code", "date"], kind="stable").reset_index(drop=True)
    empty = sorted(set(frame["code"].unique()) - set(frame.loc[frame["close"].notna(), "code"].unique()))
    if empty:
        layout.warnings.append(f"no prices for {', '.join(empty)} (only gaps)")
    dividends = pd.DataFrame(sorted(dividends_found, key=lambda r: (r[0], r[1])), columns=["code", "date", "text"])
    return PriceImport(file=name, format=layout.format, frame=frame,
                       names={c: n for c, (_, n) in sorted(names.items())}, gaps=gaps,
                       warnings=tuple(layout.warnings), dividends=dividends)

