"""Reading a posts file (CSV / JSON / JSONL): bytes in, validated rows out. No store.

``parse_posts(data, name, codes)`` checks a whole file and returns the rows ready to
insert (``socialfund.services.posts.import_posts`` writes them, all or nothing).

* Input is bytes plus a *label* (the file name, only ever shown in messages, never opened).
* Read in bounded memory by ``PostsStream`` (chunks of ``CHUNK_ROWS`` rows / ``CHUNK_CHARS``
  characters, passes over the open file), any size; ``parse_posts`` (the page's upload) refuses
  more than ``MAX_IMPORT_BYTES`` (20 MB) before parsing. Refused either way: compressed data
  (gzip, zip, bz2, xz, zstd, 7z: a "zip bomb" is never expanded); images / PDF.
* Encoding (``io.textio.decode_bytes``): UTF-8 (a BOM is dropped), else GB18030 (superset
  of GBK); UTF-16, Big5-looking text, random bytes and NUL bytes are "unsupported encoding".
* Format by content, not by name: ``[`` → a JSON list of objects; ``{`` → JSON Lines
  (one object per line; a multi-line object is "a JSON object, not a list"); else CSV,
  read by ``io.csvrows.iter_csv`` (the one CSV row reader: RFC 4180 quoting, blank rows
  skipped, physical line numbers).
* Columns / keys, in Chinese or English (``COLUMN_ALIASES``): ``text`` (内容/正文/content; a
  标题/title column is the text when there is none, and is put before it when both are there)
  and ``published_at`` (发帖时间/时间/time/发布时间/created_at) required; ``code``
  (代码/股票代码/基金代码/symbol), ``name`` (名称/基金名称), ``author``, ``reads``, ``comments``,
  ``url`` optional; other columns are ignored with a warning; two cells meaning one column
  are refused.
* The instrument (``io.post_codes.PostCodes``, over the store's instruments passed in as
  codes and names): the code cell through the one code resolver, with the forum spellings of
  where a code is listed (``sh000001``/``000001.SH``/``上证指数`` is the SSE Composite
  ``000001.SS``, never the fund ``000001``); else the name cell; else the cashtags of the text
  (``$贵州茅台(SH600519)$``, ``$510300$``, ``#510300#``).
* ``published_at``: read by the one date parser (``io.dates``: ISO, ``2015/07/07 10:08:52``,
  ``20150707``, ``2015年7月7日``, epoch seconds or milliseconds, ``NN/NN/YYYY`` only when the
  column settles the order, month-days with ``year``). With an offset it is converted; without
  one it is taken as Asia/Shanghai (UTC+8) and a warning says so; a date without a time is
  taken as 23:59:59 Shanghai (after the close, so it can only count for a later session).
  Unreadable, ambiguous, impossible and future times (beyond ``FUTURE_TOLERANCE``) are rejected.
* A bad row rejects the file (line and column named) unless ``partial``: then it is returned
  as ``Unresolved`` and ``unresolved_report`` writes those rows as a CSV to fix and re-import.
* ``text`` is kept verbatim (HTML, ``=HYPERLINK(..)``, ``+1+1`` stay text; exports
  neutralise formulas, pages show text only). A text over ``MAX_POST_CHARS`` characters is
  cut to its first ``MAX_POST_CHARS`` characters, with a warning.
* Every row gets its ``hashing.post_content_hash`` (code, UTC time, text): the store skips
  duplicates by it.
"""

from __future__ import annotations

import io
import json
import math
import re
import unicodedata
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import BinaryIO, TextIO, TypedDict

import pandas as pd

from socialfund.core.sources import DEMO_POST_SOURCE, DISCUSSION_SOURCE
from socialfund.core.errors import ValidationError
from socialfund.core.hashing import post_content_hash
from socialfund.core.timeutil import SHANGHAI, to_utc_naive, utcnow
from socialfund.io.csvrows import iter_csv
from socialfund.io.dates import DateError, parse_when, settle_day_first
from socialfund.io.exports import to_safe_csv
from socialfund.io.post_codes import CASHTAG_STYLES, PostCodes
from socialfund.io.textio import sniff_encoding

MAX_IMPORT_BYTES = 20 * 1024 * 1024
CHUNK_ROWS = 20_000             # rows validated and inserted at a time by a streamed import,
CHUNK_CHARS = 4_000_000         # or fewer when their texts reach 4 million characters (bounded memory)
MAX_POST_CHARS = 10_000          # longer texts are cut to their first 10,000 characters
MAX_AUTHOR_CHARS = 128           # posts.author is String(128)
MAX_URL_CHARS = 2_048
MAX_SOURCE_CHARS = 64            # posts.source is String(64)
FUTURE_TOLERANCE = timedelta(minutes=5)   # clock skew allowed for "now"
EARLIEST_POST = datetime(1990, 1, 1)      # before the Shanghai exchange opened: a typo

REQUIRED_COLUMNS = ("text", "published_at")     # and code, name or cashtags in the text
OPTIONAL_COLUMNS = ("code", "name", "title", "author", "reads", "comments", "url")
#: Header cells and JSON keys of real exports (股吧, 雪球, spreadsheets) → the column they mean
#: (compared after NFKC, stripping and lower-casing).
COLUMN_ALIASES: dict[str, str] = {
    **{k: "code" for k in ("code", "代码", "股票代码", "基金代码", "证券代码", "symbol")},
    **{k: "name" for k in ("name", "名称", "基金名称", "股票名称", "证券名称", "简称", "基金简称", "股票简称")},
    **{k: "text" for k in ("text", "content", "内容", "正文", "帖子内容")},
    **{k: "title" for k in ("title", "标题", "帖子标题")},
    **{k: "published_at" for k in ("published_at", "发帖时间", "时间", "time", "发布时间", "发表时间", "created_at",
                                   "datetime")},
    **{k: "author" for k in ("author", "作者", "用户名", "昵称", "发帖人")},
    **{k: "reads" for k in ("reads", "阅读", "阅读数", "阅读量", "浏览", "浏览量", "read_count", "view_count")},
    **{k: "comments" for k in ("comments", "评论", "评论数", "回复", "回复数", "reply_count", "comment_count")},
    **{k: "url" for k in ("url", "链接", "网址", "link")},
}
COLUMNS_HELP = ("text (内容/正文/content; or 标题/title) and published_at (发帖时间/时间/time/发布时间), with code "
                "(代码/股票代码/基金代码), name (名称/基金名称) or cashtags in the text")
REPORT_COLUMNS = ("line", "column", "reason")
MISSING_MARKERS = frozenset({"", "n/a", "na", "nan", "null", "none", "-", "—"})

#: One record of a file: its 1-based line and its fields (CSV cells are text, JSON values anything).
Record = tuple[int, Mapping[str, object]]


_ROW_ERROR_KEYS = {"published_at": "error.date", "code": "error.post_code", "name": "error.post_code",
                   "text": "error.post_code"}
"""The i18n key of a rejected row's message, by the column that failed (``core.errors``)."""


class PostRow(TypedDict):
    """One validated post, ready to insert (``published_at`` naive UTC)."""

    content_hash: str
    code: str
    text: str
    author: str | None
    published_at: datetime
    reads: int | None
    comments: int | None
    url: str | None


@dataclass(frozen=True)
class Unresolved:
    """A row left out by a partial import: its line, the column at fault, why, and its cells
    as written (original column names), so the report can be fixed and imported again."""

    line: int
    column: str
    reason: str
    cells: dict[str, str]


@dataclass
class ParsedPosts:
    """A validated file: its rows (file order, duplicates included), warnings to show, and
    (partial parse only) the rows it could not read, with the file's columns for the report."""

    rows: list[PostRow]
    warnings: list[str]
    unresolved: list[Unresolved] = field(default_factory=list)
    columns: list[str] = field(default_factory=list)


def file_label(name: str | None) -> str:
    """A printable label for a user's file name: its last path part, control characters
    removed, at most 120 characters. Only ever shown, never used to open anything."""
    raw = str(name or "upload")
    last = re.split(r"[\\/]", raw)[-1] or raw
    clean = "".join(ch for ch in last if unicodedata.category(ch)[0] != "C")
    return (clean or "upload")[:120]


def check_source_name(source: str) -> str:
    """The ``--source`` label: 1-64 printable characters, not the reserved ``demo``,
    ``discussion`` or ``demo:…``."""
    clean = (source or "").strip()
    if not clean or len(clean) > MAX_SOURCE_CHARS or any(unicodedata.category(ch)[0] == "C" for ch in clean):
        raise ValidationError(f"source name must be 1-{MAX_SOURCE_CHARS} printable characters, got {source!r}")
    if clean.lower() == DEMO_POST_SOURCE:
        raise ValidationError("source name 'demo' is reserved for the demo posts; choose another name")
    if clean.lower() == DISCUSSION_SOURCE or clean.lower().startswith(DEMO_POST_SOURCE + ":"):
        raise ValidationError(f"source name {clean!r} is reserved for posts written in the app; choose another name")
    return clean


def _detect_format(text: str) -> str:
    stripped = text.lstrip()
    if stripped.startswith("["):
        return "json"
    if stripped.startswith("{"):
        return "jsonl"
    return "csv"


def _records_csv(text: str, label: str) -> tuple[list[str], Iterator[Record]]:
    """Header and records of a CSV, read by the one CSV row reader (``io.csvrows``)."""
    header, rows = iter_csv(text, label)
    return header, ((row.line, row.cells) for row in rows)


def _records_json(text: str, label: str) -> tuple[list[str], list[Record]]:
    """A JSON list of flat objects, parsed element by element so each has a line number."""
    decoder = json.JSONDecoder()
    pos = text.index("[") + 1
    n = len(text)
    out: list[Record] = []
    line = text.count("\n", 0, pos) + 1
    last = pos

    def skip_ws(p: int) -> int:
        while p < n and text[p] in " \t\r\n":
            p += 1
        return p

    pos = skip_ws(pos)
    if pos < n and text[pos] == "]":
        pos += 1
    else:
        while True:
            line += text.count("\n", last, pos)
            last = pos
            try:
                obj, end = decoder.raw_decode(text, pos)
            except json.JSONDecodeError as exc:
                raise ValidationError(f"invalid JSON: {exc.msg}", file=label, line=exc.lineno,
                                      column=exc.colno) from None
            except RecursionError:
                raise ValidationError("JSON nested too deeply (a post is one flat object)", file=label,
                                      line=line) from None
            if not isinstance(obj, dict):
                raise ValidationError(f"each element must be an object with code, text, published_at; "
                                      f"found {type(obj).__name__}", file=label, line=line)
            out.append((line, obj))
            pos = skip_ws(end)
            if pos < n and text[pos] == ",":
                pos = skip_ws(pos + 1)
                continue
            if pos < n and text[pos] == "]":
                pos += 1
                break
            raise ValidationError("invalid JSON: expected ',' or ']' after an element", file=label,
                                  line=text.count("\n", 0, pos) + 1)
    if text[pos:].strip():
        raise ValidationError("invalid JSON: extra data after the closing ']'", file=label,
                              line=text.count("\n", 0, pos) + 1)
    return _json_header(out), out


def _records_jsonl(text: str, label: str) -> tuple[list[str], list[Record]]:
    lines = text.splitlines()
    nonblank = [(i, ln) for i, ln in enumerate(lines, start=1) if ln.strip()]
    if nonblank and not nonblank[0][1].rstrip().endswith("}") and len(nonblank) > 1:
        # a pretty-printed object spanning lines: say what it is, not "bad JSONL line 1"
        try:
            whole = json.loads(text)
        except (json.JSONDecodeError, RecursionError):
            whole = None
        if isinstance(whole, dict):
            raise ValidationError("a JSON object, not a list of posts: expected [ {...}, {...} ] or one "
                                  "object per line (JSONL)", file=label, line=1)
    out = list(_jsonl_lines(nonblank, label))
    if len(out) == 1 and not any(_canonical(k) in REQUIRED_COLUMNS for k in out[0][1]):
        raise ValidationError("a JSON object, not a list of posts: expected [ {...}, {...} ] or one "
                              "object per line (JSONL)", file=label, line=out[0][0])
    return _json_header(out), out


def _jsonl_lines(lines: Iterable[tuple[int, str]], label: str) -> Iterator[Record]:
    """The records of JSON Lines (``(line number, line)`` pairs; blank lines skipped)."""
    for lineno, ln in lines:
        if not ln.strip():
            continue
        try:
            obj = json.loads(ln)
        except json.JSONDecodeError as exc:
            raise ValidationError(f"invalid JSON on this line: {exc.msg}", file=label, line=lineno,
                                  column=exc.colno) from None
        except RecursionError:
            raise ValidationError("JSON nested too deeply (a post is one flat object)", file=label,
                                  line=lineno) from None
        if not isinstance(obj, dict):
            raise ValidationError(f"each line must be one JSON object; found {type(obj).__name__}",
                                  file=label, line=lineno)
        yield lineno, obj


def _json_header(records: Iterable[Record]) -> list[str]:
    keys: dict[str, None] = {}
    for _, obj in records:
        for k in obj:
            keys.setdefault(str(k).strip().lower(), None)
    return list(keys)


_READERS: dict[str, Callable[[str, str], tuple[list[str], Iterable[Record]]]] = {
    "csv": _records_csv, "json": _records_json, "jsonl": _records_jsonl}


def parse_published_at(raw: str, now_utc: datetime, *, year: int | None = None,
                       day_first: bool | None = None) -> tuple[datetime, str | None]:
    """A post's time, read by the one date parser (``io.dates.parse_when``, epoch seconds and
    milliseconds allowed) → (naive UTC, note). ``note`` is 'naive' or 'date-only' when an
    assumption was made. ``year`` completes list-page month-days (``07-07 10:08``);
    ``day_first`` is the column's settled ``NN/NN/YYYY`` order. Raises ``ValueError`` with the reason."""
    try:
        when = parse_when(raw, what="published_at", year=year, day_first=day_first, epoch=True)
    except DateError as exc:
        raise ValueError(str(exc)) from None
    note = None
    parsed = when.as_datetime()
    if when.clock is None:
        parsed = parsed.replace(hour=23, minute=59, second=59)
        note = "date-only"
    elif when.offset is None:
        note = "naive"
    utc = to_utc_naive(parsed, naive_zone=SHANGHAI)
    if utc > now_utc + FUTURE_TOLERANCE:
        raise ValueError(f"published_at {raw!r} is in the future")
    if utc < EARLIEST_POST:
        raise ValueError(f"published_at {raw!r} is before 1990: a typo?")
    return utc, note


def _text_value(value: object, column: str) -> str:
    if value is None:
        return ""
    if isinstance(value, (dict, list)):
        raise ValueError(f"{column} must be a plain value, found a nested JSON {type(value).__name__}")
    if isinstance(value, bool):
        raise ValueError(f"{column} must be text, found a boolean")
    if isinstance(value, float):
        raise ValueError(f"{column} must be text, found the number {value!r}")
    return str(value)


def _count_value(value: object, column: str) -> int | None:
    if value is None:
        return None
    if isinstance(value, (dict, list)):
        raise ValueError(f"{column} must be a plain number, found a nested JSON {type(value).__name__}")
    if isinstance(value, bool):
        raise ValueError(f"{column} must be a whole number, found a boolean")
    if isinstance(value, (int, float)):
        number = float(value)
    else:
        s = str(value).strip()
        if s.lower() in MISSING_MARKERS:
            return None
        try:
            number = float(s)
        except ValueError:
            raise ValueError(f"{column} {s!r} is not a whole number") from None
    if not math.isfinite(number) or number != int(number) or number < 0:
        raise ValueError(f"{column} {value!r} must be a whole number >= 0")
    if number > 2**62:
        raise ValueError(f"{column} {value!r} is too large")
    return int(number)


def _canonical(key: object) -> str | None:
    return COLUMN_ALIASES.get(unicodedata.normalize("NFKC", str(key)).strip().lower())


def _columns(header: list[str], label: str, fmt: str) -> tuple[dict[str, str], list[str]]:
    """(column meant → header cell, header cells ignored); two cells meaning one column are refused."""
    columns: dict[str, str] = {}
    extra: list[str] = []
    for cell in header:
        meant = _canonical(cell)
        if meant is None:
            extra.append(cell)
        elif meant in columns:
            raise ValidationError(f"{columns[meant]!r} and {cell!r} both mean {meant}: keep one of them",
                                  file=label, line=1 if fmt == "csv" else None, column=cell)
        else:
            columns[meant] = cell
    if "text" not in columns and "title" in columns:
        columns["text"] = ""          # titles only (a 股吧 list page): the title is the text
    missing = [c for c in REQUIRED_COLUMNS if c not in columns]
    if missing:
        noun = "column" if fmt == "csv" else "key"
        raise ValidationError(f"missing {noun}{'s' if len(missing) > 1 else ''} {', '.join(missing)} "
                              f"(need {COLUMNS_HELP})", file=label, line=1 if fmt == "csv" else None)
    return columns, extra


def _cell_text(value: object) -> str:
    """A record's value as the report writes it."""
    if value is None:
        return ""
    if isinstance(value, (dict, list)):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


def _time_value(value: object) -> str:
    """published_at as text; a JSON number is epoch seconds or milliseconds (雪球's created_at)."""
    if isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value):
        return repr(value) if isinstance(value, float) and value != int(value) else str(int(value))
    return _text_value(value, "published_at")


class _RowParser:
    """The checks of one record (code, text, time, counts), with the counts the warnings report."""

    def __init__(self, columns: dict[str, str], label: str, resolver: PostCodes, now_utc: datetime,
                 year: int | None, day_first: bool | None, partial: bool) -> None:
        self.columns, self.label, self.resolver = columns, label, resolver
        self.now_utc, self.year, self.day_first, self.partial = now_utc, year, day_first, partial
        self.unresolved: list[Unresolved] = []
        self.counts = {"completed": 0, "name": 0, "cashtag": 0, "naive": 0, "date-only": 0, "capped": 0}

    def parse(self, line: int, record: Mapping[str, object]) -> PostRow | None:
        """One record → its row; a bad record raises (or, ``partial``, is kept in ``unresolved``)."""
        columns, counts = self.columns, self.counts
        rec = {meant: record[cell] for meant, cell in columns.items() if cell and cell in record}
        column = "code"
        try:
            missing_here = [c for c in REQUIRED_COLUMNS if c not in rec and not (c == "text" and "title" in rec)]
            if missing_here:
                column = missing_here[0]
                raise ValueError(f"missing {column}")
            column = "text"
            title = _text_value(rec.get("title"), "title").strip()
            body = _text_value(rec.get("text"), "text")
            text_value = body
            if title:          # 股吧 exports have 标题 (and sometimes 内容): the post is both
                text_value = title if not body.strip() else body if body.startswith(title) else f"{title}\n{body}"
            if len(text_value) > MAX_POST_CHARS:
                text_value = text_value[:MAX_POST_CHARS]
                counts["capped"] += 1
            column = "code"
            raw_code = _text_value(rec.get("code"), "code")
            column = "name"
            raw_name = _text_value(rec.get("name"), "name")
            column = "code" if raw_code.strip() else "name" if raw_name.strip() else "text"   # what was used
            found = self.resolver.row(raw_code, raw_name, text_value)
            if found.code is None:
                raise ValueError(found.reason)
            counts[found.how] = counts.get(found.how, 0) + 1
            column = "published_at"
            published, note = parse_published_at(_time_value(rec["published_at"]), self.now_utc, year=self.year,
                                                  day_first=self.day_first)
            if note:
                counts[note] += 1
            column = "author"
            author = _text_value(rec.get("author"), "author").strip()[:MAX_AUTHOR_CHARS] or None
            column = "reads"
            reads = _count_value(rec.get("reads"), "reads")
            column = "comments"
            comments = _count_value(rec.get("comments"), "comments")
            column = "url"
            url = _text_value(rec.get("url"), "url").strip()[:MAX_URL_CHARS] or None
        except ValueError as exc:
            where = columns.get(column) or column       # the file's own header cell (发帖时间, not published_at)
            if not self.partial:
                raise ValidationError(str(exc), file=self.label, line=line, column=where,
                                      key=_ROW_ERROR_KEYS.get(column, "error.row"), args={"value": str(exc)}) from None
            self.unresolved.append(Unresolved(line, where, str(exc),
                                              {str(k): _cell_text(v) for k, v in record.items()}))
            return None
        return {"content_hash": post_content_hash(found.code, published.isoformat(), text_value),
                "code": found.code, "text": text_value, "author": author, "published_at": published,
                "reads": reads, "comments": comments, "url": url}

    def warnings(self) -> list[str]:
        counts = self.counts
        warnings: list[str] = []
        if counts["naive"]:
            warnings.append(f"{counts['naive']} timestamps had no UTC offset: taken as Asia/Shanghai time (UTC+8)")
        if counts["date-only"]:
            warnings.append(f"{counts['date-only']} timestamps had a date but no time: taken as 23:59:59 "
                            "Asia/Shanghai, so they count for the next trading session")
        if counts["capped"]:
            warnings.append(f"{counts['capped']} posts longer than {MAX_POST_CHARS:,} characters were cut to their "
                            f"first {MAX_POST_CHARS:,} characters")
        if counts["completed"]:
            warnings.append(f"{counts['completed']} codes were completed with their exchange suffix "
                            f"(e.g. 510300 → 510300.SS)")
        if counts["name"]:
            warnings.append(f"{counts['name']} posts were matched to their instrument by name")
        if counts["cashtag"]:
            warnings.append(f"{counts['cashtag']} posts were matched to their instrument by the cashtag in their "
                            f"text ({CASHTAG_STYLES})")
        return warnings


#: Progress callback of a streamed import: (bytes read, bytes in all).
Progress = Callable[[int, int], None]


class PostsStream:
    """A posts file read in bounded memory: ``chunks()`` yields the validated rows ``chunk_rows``
    at a time (fewer when their texts reach ``CHUNK_CHARS`` characters), in file order, and raises ``ValidationError`` at the first bad row (unless
    ``partial``). The file is read in passes over the open binary file (header, the
    day/month order of the times, then the rows), never held whole, except a JSON list
    (``[ {...}, ... ]``: read whole; write big files as CSV or JSONL) and a file that fits in
    the ``sample_bytes`` read to decide its encoding (``io.textio.sniff_encoding``, the rules
    of ``decode_bytes``). After ``chunks()``: ``warnings``, ``unresolved``, ``header``."""

    def __init__(self, fh: BinaryIO, name: str, codes: Iterable[str], *, now_utc: datetime | None = None,
                 names: Mapping[str, Iterable[str]] | None = None, year: int | None = None,
                 partial: bool = False, chunk_rows: int | None = None, sample_bytes: int = MAX_IMPORT_BYTES) -> None:
        self.fh, self.label, self.chunk_rows = fh, file_label(name), chunk_rows or CHUNK_ROWS
        fh.seek(0, io.SEEK_END)
        self.total = fh.tell()
        fh.seek(0)
        sample = fh.read(sample_bytes + 1)
        complete = len(sample) <= sample_bytes
        self.encoding, sample_text = sniff_encoding(sample[:sample_bytes], self.label, complete=complete)
        del sample
        if complete and not sample_text.strip():
            raise ValidationError("the file is empty", file=self.label)
        self._text = sample_text if complete else None
        self.fmt = _detect_format(sample_text)
        del sample_text
        header = self._header()
        self.header = [str(h) for h in header]
        self.columns, extra = _columns(header, self.label, self.fmt)
        self._extra = extra
        time_key = self.columns["published_at"]
        try:
            day_first = settle_day_first(((line, _cell_text(rec.get(time_key))) for line, rec in self._records()),
                                         what="published_at")
        except DateError as exc:
            raise ValidationError(str(exc), file=self.label, line=exc.line, column=time_key, key="error.date",
                                  args={"kind": exc.kind}) from None
        self._parser = _RowParser(self.columns, self.label, PostCodes(codes, names), now_utc or utcnow(), year,
                                  day_first, partial)
        self.warnings: list[str] = []
        self.unresolved: list[Unresolved] = self._parser.unresolved

    def _header(self) -> list[str]:
        if self._text is not None:
            return list(_READERS[self.fmt](self._text, self.label)[0])
        if self.fmt == "csv":
            with self._open() as stream:
                return iter_csv(stream, self.label)[0]
        return _json_header(self._records())

    @contextmanager
    def _open(self) -> Iterator[TextIO]:
        """The file as text from its start; bytes the sniffed codec cannot read are an encoding error."""
        self.fh.seek(0)
        stream = io.TextIOWrapper(self.fh, encoding=self.encoding, newline="")
        try:
            yield stream
        except UnicodeDecodeError:
            raise ValidationError(f"unsupported encoding: the file starts as {self.encoding.removesuffix('-sig')} "
                                  "but later bytes are not", file=self.label) from None
        finally:
            stream.detach()

    def _records(self, done: list[int] | None = None) -> Iterator[Record]:
        """The records, keys stripped and lower-cased; ``done[0]`` tracks the bytes read."""
        if self._text is not None:
            text = self._text
            lines = text.count("\n") + 1
            for line, rec in _READERS[self.fmt](text, self.label)[1]:
                if done is not None:
                    done[0] = self.total * min(line, lines) // lines
                yield line, {str(k).strip().lower(): v for k, v in rec.items()}
            return
        with self._open() as stream:
            if self.fmt == "csv":
                records: Iterable[Record] = ((row.line, row.cells) for row in iter_csv(stream, self.label)[1])
            elif self.fmt == "jsonl":
                records = _jsonl_lines(enumerate(stream, start=1), self.label)
            else:
                records = _records_json(stream.read(), self.label)[1]
            for line, rec in records:
                if done is not None:
                    done[0] = self.fh.tell()
                yield line, {str(k).strip().lower(): v for k, v in rec.items()}

    def chunks(self, progress: Progress | None = None) -> Iterator[list[PostRow]]:
        """The validated rows, ``chunk_rows`` at a time; ``progress(bytes read, bytes in all)``
        after each chunk."""
        done = [0]
        chunk: list[PostRow] = []
        seen = chars = 0
        for line, record in self._records(done):
            row = self._parser.parse(line, record)
            if row is None:
                continue
            chunk.append(row)
            chars += len(row["text"])
            if len(chunk) >= self.chunk_rows or chars >= CHUNK_CHARS:
                seen += len(chunk)
                yield chunk
                chunk, chars = [], 0
                if progress is not None:
                    progress(done[0], self.total)
        seen += len(chunk)
        if not seen and not self.unresolved:
            raise ValidationError("the file has a header but no posts" if self.fmt == "csv" else
                                  "the file holds no posts", file=self.label)
        if chunk:
            yield chunk
        if progress is not None:
            progress(self.total, self.total)
        extra = self._extra
        self.warnings = ([f"ignored extra column{'s' if len(extra) > 1 else ''}: {', '.join(extra)}"] if extra
                         else []) + self._parser.warnings()

    def parsed(self, rows: list[PostRow] | None = None) -> ParsedPosts:
        """What was read, as ``parse_posts`` returns it (``rows`` given, else none kept)."""
        return ParsedPosts(rows or [], self.warnings, self.unresolved, self.header)


def parse_posts(data: bytes, name: str, codes: Iterable[str], *, now_utc: datetime | None = None,
                names: Mapping[str, Iterable[str]] | None = None, year: int | None = None,
                partial: bool = False) -> ParsedPosts:
    """Validate a whole posts file (bytes, at most ``MAX_IMPORT_BYTES``: the page's upload) →
    rows ready to insert. Nothing is written.

    ``codes`` and ``names`` (code → its names) are the instruments posts may be about;
    ``year`` completes list-page month-days (``07-07 10:08``). Without ``partial`` any bad
    row raises ``ValidationError`` naming the file, the line and the column; with it, bad
    rows are returned in ``unresolved`` and the others kept. Problems of the file itself
    (size, encoding, columns, no rows, mixed day/month orders) always raise. The same checks
    as ``PostsStream``, which reads a file of any size in chunks."""
    label = file_label(name)
    if len(data) > MAX_IMPORT_BYTES:
        raise ValidationError(f"file is {len(data) / 1e6:.1f} MB; the limit is {MAX_IMPORT_BYTES // 2**20} MB",
                              file=label)
    stream = PostsStream(io.BytesIO(data), label, codes, now_utc=now_utc, names=names, year=year, partial=partial)
    rows = [row for chunk in stream.chunks() for row in chunk]
    return stream.parsed(rows)


def unresolved_report(parsed: ParsedPosts) -> bytes:
    """The unresolved rows as a CSV (UTF-8 with BOM, formula-safe): ``line, column, reason``,
    then the file's own columns, so the rows can be fixed and imported again (the report
    columns are then ignored as extra columns)."""
    own = [c for c in parsed.columns if c not in REPORT_COLUMNS]
    frame = pd.DataFrame([{"line": u.line, "column": u.column, "reason": u.reason,
                           **{c: u.cells.get(c, "") for c in own}} for u in parsed.unresolved],
                         columns=[*REPORT_COLUMNS, *own])
    return to_safe_csv(frame)
