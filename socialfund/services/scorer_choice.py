"""Which scorer produces the scores the product shows: adaptation on by default.

``choose_scorer(store, base)``: when the store holds at least ``ADAPT_MIN_TEXTS`` (2,000)
distinct post texts and the base scorer can adapt (``finance``), the scorer is ``finance``
adapted to that corpus without labels (``scorers.adapted.adapt_cached``): versioned by the
corpus hash (the score cache keys on the version, so a new import means a new version
and fresh scores), its weights cached in ``cache_dir`` (the data dir's ``scorers/``).
Otherwise the base scorer as it is. ``ScorerChoice`` says which, for the page to show.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select

from socialfund.scorers.adapted import ADAPT_MIN_TEXTS, adapt_cached, corpus_hash
from socialfund.sentiment import Scorer
from socialfund.store import schema
from socialfund.store.engine import Store


@dataclass(frozen=True)
class ScorerChoice:
    """The scorer to use, and what it is: ``adapted`` (to ``n_texts`` texts whose hash is
    ``corpus``) or the base scorer (``corpus`` None; ``n_texts`` the corpus size seen)."""

    scorer: Scorer
    adapted: bool
    corpus: str | None
    n_texts: int
    min_texts: int = ADAPT_MIN_TEXTS


def corpus_texts(store: Store) -> list[str]:
    """Every distinct post text in the store, oldest post first (the adaptation corpus)."""
    p = schema.posts
    with store.read() as conn:
        rows = conn.execute(select(p.c.text).order_by(p.c.published_at, p.c.id))
        return list(dict.fromkeys(r[0] for r in rows if isinstance(r[0], str)))


def scorer_cache_dir(data_dir: str | Path) -> str:
    """Where adapted scorers are cached: ``DATA_DIR/scorers``."""
    return str(Path(data_dir) / "scorers")


def choose_scorer(store: Store, base: Scorer, *, cache_dir: str | None, adapt: bool = True,
                  min_texts: int = ADAPT_MIN_TEXTS) -> ScorerChoice:
    """``base`` adapted to the store's posts when ``adapt``, ``base`` can adapt and the
    store holds >= ``min_texts`` distinct texts; else ``base``. See the module docstring."""
    if not adapt or getattr(base, "adapt", None) is None:
        return ScorerChoice(base, False, None, 0, min_texts)
    texts = corpus_texts(store)
    if len(texts) < min_texts:
        return ScorerChoice(base, False, None, len(texts), min_texts)
    made: Scorer = adapt_cached(base, texts, cache_dir, min_texts=min_texts)  # type: ignore[type-var]
    adapted = made is not base
    return ScorerChoice(made, adapted, corpus_hash(texts) if adapted else None, len(texts), min_texts)
