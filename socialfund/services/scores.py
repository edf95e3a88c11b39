"""The sentiment score cache: every post text scored once per scorer version.

Scores are keyed by (text hash, scorer version), so an identical text posted twice is
scored once, and changing the scorer (a new rules version, another model) scores again
without touching the old scores.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import pandas as pd
from sqlalchemy import func, select

from socialfund.core.hashing import text_hash
from socialfund.sentiment import Scorer
from socialfund.services.posts import load_posts
from socialfund.store import schema
from socialfund.store.discussion import aggregate_clause
from socialfund.store.engine import Store, insert_ignore, rows_frame


def _cached_hashes(store: Store, version: str) -> set[str]:
    s = schema.post_scores
    with store.read() as conn:
        return {r[0] for r in conn.execute(select(s.c.text_hash).where(s.c.scorer_version == version))}


def _unscored_texts(store: Store, version: str, codes: Sequence[str] | None,
                    sources: Sequence[str] | None) -> dict[str, str]:
    """text hash -> text of the selected posts' distinct texts with no cached score for
    ``version``, oldest post first (only the texts are read: no frame is built)."""
    p = schema.posts
    q = select(p.c.text).where(aggregate_clause(p)).order_by(p.c.published_at, p.c.id)
    if codes is not None:
        q = q.where(p.c.code.in_(list(codes)))
    if sources is not None:
        q = q.where(p.c.source.in_(list(sources)))
    with store.read() as conn:
        texts = dict.fromkeys(r[0] for r in conn.execute(q))
    cached = _cached_hashes(store, version)
    todo: dict[str, str] = {}
    for text in texts:
        h = text_hash(text)
        if h not in cached:
            todo.setdefault(h, text)
    return todo


def unscored_count(store: Store, version: str, codes: Sequence[str] | None = None,
                   sources: Sequence[str] | None = None) -> int:
    """How many distinct texts of the selected posts have no cached score for ``version``
    (0: ``score_posts`` would not call the scorer). Exact, and costs a read of the texts
    and of the version's cached hashes: cache it on ``scores_fingerprint`` and the posts'
    fingerprint, which change whenever the answer can."""
    return len(_unscored_texts(store, version, codes, sources))


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
        store.retrying(lambda conn: insert_ignore(conn, schema.post_scores, rows))
        if progress is not None:
            progress(min(start + batch_size, total), total)
    return total


def scored_posts(store: Store, version: str, codes: Sequence[str] | None = None,
                 sources: Sequence[str] | None = None) -> pd.DataFrame:
    """``load_posts`` joined with the cached scores of ``version`` (NaN where not scored)."""
    posts = load_posts(store, codes, sources)
    s = schema.post_scores
    with store.read() as conn:
        rows = conn.execute(select(s.c.text_hash, s.c.score, s.c.label, s.c.confidence, s.c.reason)
                            .where(s.c.scorer_version == version)).all()
    scores = rows_frame(rows, ["text_hash", "score", "label", "confidence", "reason"])
    out = posts.merge(scores, on="text_hash", how="left")
    out["score"] = out["score"].astype(float)
    return out
