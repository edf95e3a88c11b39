"""The sentiment score cache: every post text scored once per scorer version.

Scores are keyed by (text hash, scorer version), so an identical text posted twice is
scored once, and changing the scorer (a new rules version, another model) scores again
without touching the old scores.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import pandas as pd
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, func, insert, select

from socialfund.sentiment import Scorer
from socialfund.services.posts import POST_COLUMNS
from socialfund.store import schema, sentiment_sums
from socialfund.store.discussion import aggregate_clause
from socialfund.store.engine import INSERT_CHUNK, Store, raw_rows, rows_frame


def _unscored_query(version: str, codes: Sequence[str] | None, sources: Sequence[str] | None) -> Any:
    """The selected counted posts whose stored ``text_hash`` has no score of ``version`` (an
    anti-join on the score table's primary key: nothing is read when everything is scored)."""
    p, s = schema.posts, schema.post_scores
    cached = select(s.c.text_hash).where(s.c.text_hash == p.c.text_hash, s.c.scorer_version == version)
    q = select(p.c.text_hash, p.c.text).where(aggregate_clause(p), ~cached.exists())
    if codes is not None:
        q = q.where(p.c.code.in_(list(codes)))
    if sources is not None:
        q = q.where(p.c.source.in_(list(sources)))
    return q


def _unscored_texts(store: Store, version: str, codes: Sequence[str] | None,
                    sources: Sequence[str] | None) -> dict[str, str]:
    """text hash -> text of the selected posts' distinct texts with no cached score for
    ``version``, oldest post first."""
    p = schema.posts
    with store.read() as conn:
        rows = raw_rows(conn, _unscored_query(version, codes, sources).order_by(p.c.published_at, p.c.id))
    todo: dict[str, str] = {}
    for h, t in rows:
        todo.setdefault(str(h), str(t))
    return todo


def unscored_count(store: Store, version: str, codes: Sequence[str] | None = None,
                   sources: Sequence[str] | None = None) -> int:
    """How many distinct texts of the selected posts have no cached score for ``version``
    (0: ``score_posts`` would not call the scorer). One indexed anti-join: cache it on
    ``scores_fingerprint`` and the posts' fingerprint, which change whenever the answer can."""
    q = _unscored_query(version, codes, sources).subquery()
    with store.read() as conn:
        return int(conn.execute(select(func.count(func.distinct(q.c.text_hash)))).scalar_one())


def scores_fingerprint(store: Store, version: str) -> int:
    """How many texts have a cached score for ``version`` (one COUNT): it grows whenever
    ``score_posts`` stores a score, so an ``unscored_count`` cached on it never goes stale."""
    s = schema.post_scores
    with store.read() as conn:
        return int(conn.execute(select(func.count()).select_from(s).where(s.c.scorer_version == version)).scalar_one())


def score_posts(store: Store, scorer: Scorer, codes: Sequence[str] | None = None,
                sources: Sequence[str] | None = None, *,
                progress: Callable[[int, int], None] | None = None, batch_size: int = 2_000) -> int:
    """Score the texts of the selected posts that have no cached score for
    ``scorer.version`` and store the results in ``post_scores``. Returns how many texts
    were scored now (0 when everything was cached: the scorer is not called at all).

    ``progress(done, total)`` is called after each batch (for a progress bar). Each batch
    is its own transaction: this is a cache, so a half-finished run keeps what it did."""
    todo = _unscored_texts(store, scorer.version, codes, sources)
    total = len(todo)
    if progress is not None:
        progress(0, total)
    items = list(todo.items())
    for start in range(0, total, batch_size):
        chunk = items[start:start + batch_size]
        results = scorer.score_many([t for _, t in chunk])
        rows = [{"text_hash": h, "scorer_version": scorer.version, "score": r.score, "label": r.label,
                 "confidence": r.confidence, "reason": r.reason} for (h, _), r in zip(chunk, results)]
        store.retrying(lambda conn: store_scores(conn, scorer.version, rows))
        if progress is not None:
            progress(min(start + batch_size, total), total)
    return total


def store_scores(conn: Connection, version: str, rows: Sequence[dict[str, Any]]) -> int:
    """Insert the score rows of ``version`` not stored yet (one executemany per 2,000) and add
    them to the stored sums, in the caller's write transaction; returns how many were new.
    Rows another run stored first are left out of both, so no score counts twice."""
    s = schema.post_scores
    hashes = [str(r["text_hash"]) for r in rows]
    present: set[str] = set()
    for i in range(0, len(hashes), 500):
        present.update(str(h) for (h,) in conn.execute(select(s.c.text_hash).where(
            s.c.scorer_version == version, s.c.text_hash.in_(hashes[i:i + 500]))))
    new = list({str(r["text_hash"]): r for r in rows if str(r["text_hash"]) not in present}.values())
    for i in range(0, len(new), INSERT_CHUNK):
        conn.execute(insert(s), new[i:i + INSERT_CHUNK])
    sentiment_sums.apply_scores(conn, version, {str(r["text_hash"]): (r["score"], r["label"]) for r in new})
    return len(new)


SCORED_COLUMNS = [*POST_COLUMNS, "score", "label", "confidence", "reason"]


def scored_posts(store: Store, version: str, codes: Sequence[str] | None = None,
                 sources: Sequence[str] | None = None, *, published_from: datetime | None = None,
                 published_to: datetime | None = None) -> pd.DataFrame:
    """The counted posts (as ``load_posts``) with the cached scores of ``version`` (NaN where not
    scored), joined in SQL on the stored text hash; optionally only those published in
    [``published_from``, ``published_to``) (the ``code, published_at`` index bounds the read)."""
    p, s = schema.posts, schema.post_scores
    q = (select(*[p.c[c] for c in POST_COLUMNS], s.c.score, s.c.label, s.c.confidence, s.c.reason)
         .outerjoin(s, (s.c.text_hash == p.c.text_hash) & (s.c.scorer_version == version))
         .where(aggregate_clause(p)).order_by(p.c.published_at, p.c.id))
    if codes is not None:
        q = q.where(p.c.code.in_(list(codes)))
    if sources is not None:
        q = q.where(p.c.source.in_(list(sources)))
    if published_from is not None:
        q = q.where(p.c.published_at >= published_from)
    if published_to is not None:
        q = q.where(p.c.published_at < published_to)
    with store.read() as conn:
        rows = conn.execute(q).all()
    out = rows_frame(rows, SCORED_COLUMNS)
    out["published_at"] = pd.to_datetime(out["published_at"])
    out["score"] = pd.to_numeric(out["score"], errors="coerce").astype(float)
    return out
