"""Forum posts: import (CSV / JSON / JSONL), the sentiment score cache, and per-fund
aggregation per trading session with no look-ahead.

Import rules (``parse_posts`` / ``import_posts``)
-------------------------------------------------
* Input is bytes plus a *label* (the file name, only ever shown in messages, never opened).
* Refused before parsing: more than ``MAX_IMPORT_BYTES`` (20 MB); compressed data
  (gzip, zip, bz2, xz, zstd, 7z: a "zip bomb" is never expanded); images / PDF.
* Encoding: UTF-8 (a BOM is dropped), else GB18030 (superset of GBK); UTF-16, Big5-looking
  text, random bytes and NUL bytes are "unsupported encoding".
* Format by content, not by name: ``[`` → a JSON list of objects; ``{`` → JSON Lines
  (one object per line; a multi-line object is "a JSON object, not a list"); else CSV.
* Columns / keys: ``code``, ``text``, ``published_at`` required; ``author``, ``reads``,
  ``comments``, ``url`` optional; other columns are ignored with a warning.
* ``code``: a universe code (``510300.SS``, ``110022``), or a bare 6-digit exchange code
  that maps to exactly one ``.SS`` / ``.SZ`` code. Unknown codes are rejected.
* ``published_at``: ISO 8601. With an offset it is converted; without one it is taken
  as Asia/Shanghai (UTC+8) and a warning says so; a date without a time is taken as
  23:59:59 Shanghai (after the close, so it can only count for a later session).
  Non-ISO, impossible and future times (beyond ``FUTURE_TOLERANCE``) are rejected.
* ``text`` is stored verbatim (HTML, ``=HYPERLINK(..)``, ``+1+1`` stay text; exports
  neutralise formulas, pages show text only). A text over ``MAX_POST_CHARS`` characters is
  cut to its first ``MAX_POST_CHARS`` characters, with a warning.
* Duplicates (same ``hashing.post_content_hash`` of code, UTC time and text) are skipped,
  within the file and against the store. All or nothing: every row is validated first,
  then all new rows are inserted in ONE write transaction.
"""

from __future__ import annotations

import csv
import io
import json
import math
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

import pandas as pd
from sqlalchemy import func, select

from socialfund.core.errors import ValidationError
from socialfund.io.textio import decode_bytes
from socialfund.core.hashing import post_content_hash, text_hash
from socialfund.core.sources import DEMO_POST_SOURCE
from socialfund.store import schema
from socialfund.store.engine import insert_ignore
from socialfund.store.engine import Store
from socialfund.core.timeutil import SHANGHAI, to_utc_naive, utcnow

MAX_IMPORT_BYTES = 20 * 1024 * 1024
MAX_POST_CHARS = 10_000          # longer texts are cut to their first 10,000 characters
MAX_AUTHOR_CHARS = 128           # posts.author is String(128)
MAX_URL_CHARS = 2_048
MAX_SOURCE_CHARS = 64            # posts.source is String(64)
FUTURE_TOLERANCE = timedelta(minutes=5)   # clock skew allowed for "now"
EARLIEST_POST = datetime(1990, 1, 1)      # before the Shanghai exchange opened: a typo

REQUIRED_COLUMNS = ("code", "text", "published_at")
OPTIONAL_COLUMNS = ("author", "reads", "comments", "url")
MISSING_MARKERS = frozenset({"", "n/a", "na", "nan", "null", "none", "-", "—"})

if csv.field_size_limit() < MAX_IMPORT_BYTES:
    # the csv module refuses fields over 128 KiB by default; our own cap is the file size
    csv.field_size_limit(MAX_IMPORT_BYTES)


# ---------------------------------------------------------------------------
# Import
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class ImportResult:
    """What an import did: rows inserted, duplicates skipped, warnings to show."""

    imported: int
    duplicates: int
    warnings: list[str] = field(default_factory=list)
    source: str = ""

    def summary(self) -> str:
        return f"imported {self.imported}, duplicates skipped {self.duplicates}"


@dataclass
class ParsedPosts:
    rows: list[dict[str, Any]]
    warnings: list[str]


def file_label(name: str | None) -> str:
    """A printable label for a user's file name: its last path part, control characters
    removed, at most 120 characters. Only ever shown, never used to open anything."""
    raw = str(name or "upload")
    last = re.split(r"[\\/]", raw)[-1] or raw
    clean = "".join(ch for ch in last if unicodedata.category(ch)[0] != "C")
    return (clean or "upload")[:120]


def check_source_name(source: str) -> str:
    """The ``--source`` label: 1-64 printable characters, not the reserved ``demo``."""
    clean = (source or "").strip()
    if not clean or len(clean) > MAX_SOURCE_CHARS or any(unicodedata.category(ch)[0] == "C" for ch in clean):
        raise ValidationError(f"source name must be 1-{MAX_SOURCE_CHARS} printable characters, got {source!r}")
    if clean.lower() == DEMO_POST_SOURCE:
        raise ValidationError("source name 'demo' is reserved for the demo posts; choose another name")
    return clean


def _detect_format(text: str) -> str:
    stripped = text.lstrip()
    if stripped.startswith("["):
        return "json"
    if stripped.startswith("{"):
        return "jsonl"
    return "csv"


def _records_csv(text: str, label: str) -> tuple[list[str], Iterable[tuple[int, dict[str, Any]]]]:
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = next(reader)
    except StopIteration:
        raise ValidationError("the file is empty", file=label) from None
    except csv.Error as exc:
        raise ValidationError(f"unreadable CSV header: {exc}", file=label, line=1) from None
    header = [h.replace("\ufeff", "").strip().lower() for h in header]
    if not any(header):
        raise ValidationError("the file is empty (no header row)", file=label, line=1)
    seen: set[str] = set()
    for i, h in enumerate(header, start=1):
        if not h:
            raise ValidationError(f"header cell {i} is empty", file=label, line=1, column=i)
        if h in seen:
            raise ValidationError(f"column {h!r} appears twice in the header", file=label, line=1, column=h)
        seen.add(h)

    def rows() -> Iterable[tuple[int, dict[str, Any]]]:
        start = reader.line_num + 1
        while True:
            try:
                cells = next(reader)
            except StopIteration:
                return
            except csv.Error as exc:
                raise ValidationError(f"malformed CSV: {exc}", file=label, line=start) from None
            line = start
            start = reader.line_num + 1
            if not cells or (len(cells) == 1 and not cells[0].strip()):
                continue  # blank line
            if len(cells) != len(header):
                raise ValidationError(f"expected {len(header)} fields (as in the header), found {len(cells)}",
                                      file=label, line=line)
            yield line, dict(zip(header, cells))

    return header, rows()


def _records_json(text: str, label: str) -> tuple[list[str], list[tuple[int, dict[str, Any]]]]:
    """A JSON list of flat objects, parsed element by element so each has a line number."""
    decoder = json.JSONDecoder()
    pos = text.index("[") + 1
    n = len(text)
    out: list[tuple[int, dict[str, Any]]] = []
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


def _records_jsonl(text: str, label: str) -> tuple[list[str], list[tuple[int, dict[str, Any]]]]:
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
    out: list[tuple[int, dict[str, Any]]] = []
    for lineno, ln in nonblank:
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
        out.append((lineno, obj))
    if len(out) == 1 and not any(k in out[0][1] for k in REQUIRED_COLUMNS):
        raise ValidationError("a JSON object, not a list of posts: expected [ {...}, {...} ] or one "
                              "object per line (JSONL)", file=label, line=out[0][0])
    return _json_header(out), out


def _json_header(records: list[tuple[int, dict[str, Any]]]) -> list[str]:
    keys: dict[str, None] = {}
    for _, obj in records:
        for k in obj:
            keys.setdefault(str(k).strip().lower(), None)
    return list(keys)


class CodeResolver:
    """Resolve user-typed fund codes against the universe.

    Exact codes match (case-insensitive: ``510300.ss`` → ``510300.SS``); a bare 6-digit
    code maps to the one ``.SS``/``.SZ`` code it abbreviates (``510300`` → ``510300.SS``),
    and is rejected when it is ambiguous. Codes of fewer than 6 digits are rejected with a
    hint: a spreadsheet probably read ``000001`` as the number 1."""

    def __init__(self, codes: Iterable[str]) -> None:
        self.codes = {c.upper(): c for c in codes}
        self.by_short: dict[str, list[str]] = {}
        for c in self.codes.values():
            short, dot, _ = c.partition(".")
            if dot and short.isdigit() and len(short) == 6:
                self.by_short.setdefault(short, []).append(c)

    def resolve(self, raw: str) -> str:
        """The universe code for ``raw``; raises ``ValueError`` with the reason."""
        code = raw.strip()
        if not code:
            raise ValueError("code is empty")
        hit = self.codes.get(code.upper())
        if hit is not None:
            return hit
        if code.isdigit() and len(code) == 6:
            matches = self.by_short.get(code, [])
            if len(matches) == 1:
                return matches[0]
            if len(matches) > 1:
                raise ValueError(f"code {code!r} is ambiguous ({', '.join(sorted(matches))}): add the suffix")
        if code.isdigit() and len(code) < 6:
            raise ValueError(f"unknown code {code!r}: fund codes have 6 digits "
                             f"(did a spreadsheet turn {code.zfill(6)!r} into a number?)")
        raise ValueError(f"unknown code {code!r} (not in the fund universe)")


_ISO_SHAPE = re.compile(r"^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?)?(Z|[+-]\d{2}:?\d{2})?$")


def parse_published_at(raw: str, now_utc: datetime) -> tuple[datetime, str | None]:
    """ISO 8601 text → (naive UTC, note). ``note`` is 'naive' or 'date-only' when an
    assumption was made. Raises ``ValueError`` with the reason."""
    value = raw.strip()
    if not _ISO_SHAPE.match(value):
        raise ValueError(f"published_at {raw!r} is not ISO 8601 (use e.g. 2024-05-06T14:30:00+08:00)")
    note = None
    if len(value) == 10:
        value += "T23:59:59"
        note = "date-only"
    try:
        parsed = datetime.fromisoformat(value.replace(" ", "T", 1))
    except ValueError:
        raise ValueError(f"published_at {raw!r} is an impossible date or time") from None
    if parsed.tzinfo is None and note is None:
        note = "naive"
    utc = to_utc_naive(parsed, naive_zone=SHANGHAI)
    if utc > now_utc + FUTURE_TOLERANCE:
        raise ValueError(f"published_at {raw!r} is in the future")
    if utc < EARLIEST_POST:
        raise ValueError(f"published_at {raw!r} is before 1990: a typo?")
    return utc, note


def _text_value(value: Any, column: str) -> str:
    if value is None:
        return ""
    if isinstance(value, (dict, list)):
        raise ValueError(f"{column} must be a plain value, found a nested JSON {type(value).__name__}")
    if isinstance(value, bool):
        raise ValueError(f"{column} must be text, found a boolean")
    if isinstance(value, float):
        raise ValueError(f"{column} must be text, found the number {value!r}")
    return str(value)


def _count_value(value: Any, column: str) -> int | None:
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


def parse_posts(data: bytes, name: str, codes: Iterable[str], *, now_utc: datetime | None = None) -> ParsedPosts:
    """Validate a whole posts file (bytes) → rows ready to insert, or raise ``ValidationError``
    naming the file, the line and the column. Nothing is written."""
    label = file_label(name)
    if len(data) > MAX_IMPORT_BYTES:
        raise ValidationError(f"file is {len(data) / 1e6:.1f} MB; the limit is {MAX_IMPORT_BYTES // 2**20} MB",
                              file=label)
    now_utc = now_utc or utcnow()
    text = decode_bytes(data, label)
    if not text.strip():
        raise ValidationError("the file is empty", file=label)
    fmt = _detect_format(text)
    header, records = {"csv": _records_csv, "json": _records_json, "jsonl": _records_jsonl}[fmt](text, label)
    missing = [c for c in REQUIRED_COLUMNS if c not in header]
    if missing:
        noun = "column" if fmt == "csv" else "key"
        raise ValidationError(f"missing {noun}{'s' if len(missing) > 1 else ''} {', '.join(missing)} "
                              f"(need code, text, published_at)", file=label, line=1 if fmt == "csv" else None)
    extra = [h for h in header if h not in REQUIRED_COLUMNS + OPTIONAL_COLUMNS]
    warnings: list[str] = []
    if extra:
        warnings.append(f"ignored extra column{'s' if len(extra) > 1 else ''}: {', '.join(extra)}")
    resolver = CodeResolver(codes)
    rows: list[dict[str, Any]] = []
    n_naive = n_date_only = n_capped = n_mapped = 0
    for line, record in records:
        rec = {str(k).strip().lower(): v for k, v in record.items()}
        column = "code"
        try:
            missing_here = [c for c in REQUIRED_COLUMNS if c not in rec]
            if missing_here:
                column = missing_here[0]
                raise ValueError(f"missing {column}")
            raw_code = _text_value(rec["code"], "code")
            code = resolver.resolve(raw_code)
            n_mapped += code != raw_code.strip()
            column = "text"
            text_value = _text_value(rec["text"], "text")
            if len(text_value) > MAX_POST_CHARS:
                text_value = text_value[:MAX_POST_CHARS]
                n_capped += 1
            column = "published_at"
            published, note = parse_published_at(_text_value(rec["published_at"], "published_at"), now_utc)
            n_naive += note == "naive"
            n_date_only += note == "date-only"
            column = "author"
            author = _text_value(rec.get("author"), "author").strip()[:MAX_AUTHOR_CHARS] or None
            column = "reads"
            reads = _count_value(rec.get("reads"), "reads")
            column = "comments"
            comments = _count_value(rec.get("comments"), "comments")
            column = "url"
            url = _text_value(rec.get("url"), "url").strip()[:MAX_URL_CHARS] or None
        except ValueError as exc:
            raise ValidationError(str(exc), file=label, line=line, column=column) from None
        rows.append({"content_hash": post_content_hash(code, published.isoformat(), text_value),
                     "code": code, "text": text_value, "author": author, "published_at": published,
                     "reads": reads, "comments": comments, "url": url})
    if not rows:
        raise ValidationError("the file has a header but no posts" if fmt == "csv" else "the file holds no posts",
                              file=label)
    if n_naive:
        warnings.append(f"{n_naive} timestamps had no UTC offset: taken as Asia/Shanghai time (UTC+8)")
    if n_date_only:
        warnings.append(f"{n_date_only} timestamps had a date but no time: taken as 23:59:59 Asia/Shanghai, "
                        "so they count for the next trading session")
    if n_capped:
        warnings.append(f"{n_capped} posts longer than {MAX_POST_CHARS:,} characters were cut to their first "
                        f"{MAX_POST_CHARS:,} characters")
    if n_mapped:
        warnings.append(f"{n_mapped} codes were completed with their exchange suffix (e.g. 510300 → 510300.SS)")
    return ParsedPosts(rows, warnings)


def universe_codes(store: Store) -> list[str]:
    with store.read() as conn:
        return [r[0] for r in conn.execute(select(schema.instruments.c.code))]


def import_posts(store: Store, data: bytes, name: str, *, source: str | None = None,
                 now_utc: datetime | None = None) -> ImportResult:
    """Validate ``data`` completely, then insert its new posts in ONE write transaction.

    On any ``ValidationError`` the store is unchanged. ``source`` labels the rows
    (default ``import:<file label>``); ``demo`` is reserved."""
    label = file_label(name)
    source = check_source_name(source if source is not None else f"import:{label}"[:MAX_SOURCE_CHARS])
    parsed = parse_posts(data, label, universe_codes(store), now_utc=now_utc)
    unique: dict[str, dict[str, Any]] = {}
    for row in parsed.rows:
        unique.setdefault(row["content_hash"], row)
    in_file_dupes = len(parsed.rows) - len(unique)
    imported_at = utcnow()
    with store.write() as conn:
        hashes = list(unique)
        existing: set[str] = set()
        for i in range(0, len(hashes), 500):
            existing.update(r[0] for r in conn.execute(
                select(schema.posts.c.content_hash).where(schema.posts.c.content_hash.in_(hashes[i:i + 500]))))
        new = [{**row, "source": source, "imported_at": imported_at}
               for h, row in unique.items() if h not in existing]
        insert_ignore(conn, schema.posts, new)
    return ImportResult(imported=len(new), duplicates=in_file_dupes + len(existing),
                        warnings=parsed.warnings, source=source)


# ---------------------------------------------------------------------------
# Reading posts
# ---------------------------------------------------------------------------

POST_COLUMNS = ["id", "code", "text", "author", "published_at", "reads", "comments", "url", "source"]


def post_sources(store: Store) -> dict[str, int]:
    """Post count per source (``demo`` and each import's source name)."""
    p = schema.posts
    with store.read() as conn:
        rows = conn.execute(select(p.c.source, func.count()).group_by(p.c.source)).all()
    return {str(s): int(n) for s, n in sorted(rows)}


def posts_fingerprint(store: Store, sources: Sequence[str] | None = None) -> tuple[int, int]:
    """(count, max id) of the posts of ``sources``: changes whenever posts are imported."""
    p = schema.posts
    q = select(func.count(), func.coalesce(func.max(p.c.id), 0))
    if sources is not None:
        q = q.where(p.c.source.in_(list(sources)))
    with store.read() as conn:
        n, top = conn.execute(q).one()
    return int(n), int(top)


def load_posts(store: Store, codes: Sequence[str] | None = None, sources: Sequence[str] | None = None) -> pd.DataFrame:
    """Posts as a frame (``published_at`` naive UTC), oldest first, plus ``text_hash``."""
    p = schema.posts
    q = select(*[p.c[c] for c in POST_COLUMNS]).order_by(p.c.published_at, p.c.id)
    if codes is not None:
        q = q.where(p.c.code.in_(list(codes)))
    if sources is not None:
        q = q.where(p.c.source.in_(list(sources)))
    with store.read() as conn:
        rows = conn.execute(q).all()
    df = pd.DataFrame(rows, columns=POST_COLUMNS)
    df["published_at"] = pd.to_datetime(df["published_at"])
    df["text_hash"] = [text_hash(t) for t in df["text"]]
    return df
