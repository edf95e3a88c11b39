"""The sentiment score cache: every post text scored once per scorer version.

Scores are keyed by (text hash, scorer version), so an identical text posted twice is
scored once, and changing the scorer (a new rules version, another model) scores again
without touching the old scores.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import pandas as pd
from sqlalchemy import select

from socialfund.sentiment import Scorer
from socialfund.services.posts import load_posts
from socialfund.store import schema
from socialfund.store.engine import Store, insert_ignore


def _cached_hashes(store: Store, version: str) -> set[str]:
    s = schema.post_scores
    with store.read() as conn:
        return {r[0] for r in conn.execute(select(s.c.text_hash).where(s.c.scorer_version == version))}


def score_posts(store: Store, scorer: Scorer, codes: Sequence[str] | None = None,
                sources: Sequence[str] | None = None, *,
                progress: Callable[[int, int], None] | None = None, batch_size: int = 2_000) -> int:
    """Score the texts of the selected posts that have no cached score for
    ``scorer.version`` and store the results in ``post_scores``. Returns how many texts
    were scored now (0 when everything was cached: the scorer is not called at all).

    ``progress(done, total)`` is called after each batch (for a progress bar). Each batch
    is its own transaction: this is a cache, so a half-finished run keeps what it did."""
    posts = load_posts(store, codes, sources)
    cached = _cached_hashes(store, scorer.version)
    todo: dict[str, str] = {}
    for h, t in zip(posts["text_hash"], posts["text"]):
        if h not in cached and h not in todo:
            todo[h] = t
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
    scores = pd.DataFrame(rows, columns=["text_hash", "score", "label", "confidence", "reason"])
    out = posts.merge(scores, on="text_hash", how="left")
    out["score"] = out["score"].astype(float)
    return out
