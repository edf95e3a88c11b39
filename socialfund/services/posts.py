"""Forum posts in the store: import a file (all or nothing), list sources, load posts.

Parsing and every rule about the file itself (formats, encodings, columns, codes, times,
limits) live in ``socialfund.io.posts_file``; this module adds the store side:

* Duplicates (same ``hashing.post_content_hash`` of code, UTC time and text) are skipped,
  within the file and against the store.
* All or nothing, in bounded memory: the file is read in chunks (``io.posts_file.PostsStream``)
  and each chunk's new rows are inserted as it comes, all in ONE write transaction; on any
  ``ValidationError`` (a bad row anywhere) it rolls back and the store is unchanged. The
  page's upload is capped at ``MAX_IMPORT_BYTES`` (``import_posts``); the command line streams
  a file of any size (``import_posts_file``).
* ``partial=True``: the rows that resolve are inserted (in one transaction, as above) and
  the others come back as a report CSV (line, column, reason, then the row as written).
* Posts are about the store's own instruments (``market.registry.stored_universe``: codes
  and names), so a store without the demo takes posts about what was imported into it.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, BinaryIO

import pandas as pd
from sqlalchemy import func, select

from socialfund.core.hashing import text_hash
from socialfund.core.timeutil import utcnow
from socialfund.core.errors import ValidationError
from socialfund.io.posts_file import (MAX_IMPORT_BYTES, MAX_SOURCE_CHARS, PostRow, PostsStream, Progress,
                                      check_source_name, file_label, unresolved_report)
from socialfund.market.registry import stored_universe
from socialfund.store import schema, sentiment_sums
from socialfund.store.discussion import aggregate_clause, moderation_mark
from socialfund.store.engine import Store, insert_ignore, rows_frame


@dataclass(frozen=True)
class ImportResult:
    """What an import did: rows inserted, duplicates skipped, warnings to show."""

    imported: int
    duplicates: int
    warnings: list[str] = field(default_factory=list)
    source: str = ""
    unresolved: int = 0                 # rows left out by a partial import
    report_csv: bytes | None = None     # those rows (``io.posts_file.unresolved_report``), None when none

    def summary(self) -> str:
        tail = f", unresolved {self.unresolved}" if self.unresolved else ""
        return f"imported {self.imported}, duplicates skipped {self.duplicates}{tail}"


def import_posts(store: Store, data: bytes, name: str, *, source: str | None = None,
                 now_utc: datetime | None = None, year: int | None = None, partial: bool = False,
                 progress: Progress | None = None) -> ImportResult:
    """Validate ``data`` (the page's upload: at most ``MAX_IMPORT_BYTES``) and insert its new
    posts in ONE write transaction; ``import_posts_file`` without the cap.

    On any ``ValidationError`` the store is unchanged. ``source`` labels the rows
    (default ``import:<file label>``); ``demo`` is reserved. ``year`` completes list-page
    month-days; ``partial`` imports the rows that resolve and reports the others;
    ``progress(bytes read, bytes in all)`` is called after each chunk."""
    label = file_label(name)
    if len(data) > MAX_IMPORT_BYTES:
        raise ValidationError(f"file is {len(data) / 1e6:.1f} MB; the limit is {MAX_IMPORT_BYTES // 2**20} MB",
                              file=label)
    return import_posts_file(store, io.BytesIO(data), label, source=source, now_utc=now_utc, year=year,
                             partial=partial, progress=progress)


def import_posts_file(store: Store, fh: BinaryIO, name: str, *, source: str | None = None,
                      now_utc: datetime | None = None, year: int | None = None, partial: bool = False,
                      progress: Progress | None = None, chunk_rows: int | None = None) -> ImportResult:
    """Stream a posts file of any size (an open, seekable binary file) into the store in bounded
    memory: ``io.posts_file.PostsStream`` validates ``chunk_rows`` (default ``CHUNK_ROWS``) rows at a time and each
    chunk's new rows are inserted as they come, all inside ONE write transaction, so a bad row
    anywhere (even the last) rolls the whole file back and the store is unchanged."""
    label = file_label(name)
    source = check_source_name(source if source is not None else f"import:{label}"[:MAX_SOURCE_CHARS])
    universe = stored_universe(store)
    stream = PostsStream(fh, label, [i.code for i in universe], now_utc=now_utc,
                         names={i.code: (i.name_zh, i.name_en) for i in universe}, year=year, partial=partial,
                         chunk_rows=chunk_rows)
    imported_at = utcnow()
    imported = duplicates = 0
    with store.write() as conn:
        for chunk in stream.chunks(progress):
            unique: dict[str, PostRow] = {}
            for row in chunk:
                unique.setdefault(row["content_hash"], row)
            hashes = list(unique)
            existing: set[str] = set()      # in the store, or earlier in this file (same transaction)
            for i in range(0, len(hashes), 500):
                existing.update(r[0] for r in conn.execute(
                    select(schema.posts.c.content_hash).where(schema.posts.c.content_hash.in_(hashes[i:i + 500]))))
            new: list[dict[str, Any]] = [{**row, "source": source, "imported_at": imported_at,
                                          "text_hash": text_hash(row["text"])}
                                         for h, row in unique.items() if h not in existing]
            insert_ignore(conn, schema.posts, new)
            # the stored sums follow in the same transaction (a rolled-back import leaves them too)
            sentiment_sums.apply_posts(conn, [sentiment_sums.PostFacts(
                r["code"], source, r["published_at"], r["reads"], r["text_hash"], None) for r in new], 1)
            imported += len(new)
            duplicates += len(chunk) - len(new)
    parsed = stream.parsed()
    return ImportResult(imported=imported, duplicates=duplicates, warnings=parsed.warnings, source=source,
                        unresolved=len(parsed.unresolved),
                        report_csv=unresolved_report(parsed) if parsed.unresolved else None)


# ---------------------------------------------------------------------------
# Reading posts
# ---------------------------------------------------------------------------

POST_COLUMNS = ["id", "code", "text", "author", "published_at", "reads", "comments", "url", "source", "text_hash"]


def post_sources(store: Store) -> dict[str, int]:
    """Post count per source (``demo`` and each import's source name), from the stored sums."""
    with store.read() as conn:
        return sentiment_sums.source_counts(conn)


def posts_fingerprint(store: Store, sources: Sequence[str] | None = None) -> tuple[int, int]:
    """(count, max id + latest moderation id) of the aggregate posts of ``sources``: changes
    whenever posts are imported or written, and whenever one is hidden, shown or deleted
    (both ids only grow, so their sum moves on every such event)."""
    p = schema.posts
    q = select(func.count(), func.coalesce(func.max(p.c.id), 0)).where(aggregate_clause(p))
    if sources is not None:
        q = q.where(p.c.source.in_(list(sources)))
    with store.read() as conn:
        n, top = conn.execute(q).one()
        mark = moderation_mark(conn)
    return int(n), int(top) + mark


def load_posts(store: Store, codes: Sequence[str] | None = None, sources: Sequence[str] | None = None) -> pd.DataFrame:
    """Posts as a frame (``published_at`` naive UTC), oldest first, with their stored ``text_hash``.
    Only posts that may enter aggregates (``store.discussion.aggregate_clause``)."""
    p = schema.posts
    q = select(*[p.c[c] for c in POST_COLUMNS]).where(aggregate_clause(p)).order_by(p.c.published_at, p.c.id)
    if codes is not None:
        q = q.where(p.c.code.in_(list(codes)))
    if sources is not None:
        q = q.where(p.c.source.in_(list(sources)))
    with store.read() as conn:
        rows = conn.execute(q).all()
    df = rows_frame(rows, POST_COLUMNS)
    df["published_at"] = pd.to_datetime(df["published_at"])
    return df


def posts_per_fund(store: Store, sources: Sequence[str] | None = None) -> pd.Series:
    """Post count per fund code of ``sources`` (all when None), most posts first (ties by code),
    from the stored sums (no post is read)."""
    with store.read() as conn:
        rows = sentiment_sums.fund_counts(conn, sources)
    return pd.Series([n for _, n in rows], index=pd.Index([c for c, _ in rows], name="code"),
                     name="count", dtype="int64")
