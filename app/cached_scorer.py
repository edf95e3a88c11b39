"""The Sentiment page's scorer: adaptation on by default (``services.scorer_choice``).

``choice(spec, posts_key)`` is in st.cache_resource keyed on the scorer spec and
``cache_keys.posts_key()`` (all posts: a new import changes the corpus, hence the adapted
scorer and its version); the adapted weights are also cached on disk in
``DATA_DIR/scorers`` per corpus hash, so a restart does not fit again. Bound: 4 entries.
"""

from __future__ import annotations

import streamlit as st

from socialfund.services.scorer_choice import ScorerChoice, choose_scorer, scorer_cache_dir
from socialfund.view.i18n import t

from app import resources


@st.cache_resource(ttl=3600, max_entries=4, show_spinner=False)
def choice(spec: str, posts_key: tuple[int, int]) -> ScorerChoice:
    """The scorer of ``spec`` for the store's posts (key: ``posts_key()``)."""
    return choose_scorer(resources.store(), resources.scorer(spec),
                         cache_dir=scorer_cache_dir(resources.settings().data_dir))


def caption(made: ScorerChoice, lang: str) -> str:
    """Which scorer produces the page's scores, in ``lang`` (the version is its own caption)."""
    if made.adapted:
        return t("sent.scorer_adapted", lang, name=made.scorer.name, n=f"{made.n_texts:,}", corpus=made.corpus)
    return t("sent.scorer_not_adapted", lang, name=made.scorer.name, n=f"{made.n_texts:,}",
             min=f"{made.min_texts:,}")
