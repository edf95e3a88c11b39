"""The Sentiment page's shared caches. Posts have no owner (every user sees the same
posts), so these caches are shared by all sessions; each is keyed on what its result is
computed from, passed in by the page from ``app.cache_keys``, so a change in the store
misses at once.

=========================  ==============  ===============================================  ================
function                   cache           key                                              bound
=========================  ==============  ===============================================  ================
``sources(...)``           st.cache_data   ``posts_key()`` (all sources)                    ttl 10 min, 8
``fund_counts(...)``       st.cache_data   sources, ``posts_key(sources)``                  ttl 10 min, 16
``unscored(...)``          st.cache_data   codes, sources, scorer version,                  ttl 10 min, 64
                                           ``posts_key(sources)``, ``scores_key(version)``
``history(...)``           st.cache_data   codes, sources, scorer version,                  ttl 10 min, 16
                                           ``posts_key(sources)`` (closes: derived, unhashed)
``window_posts(...)``      st.cache_data   as ``history`` + the window's start and end      ttl 10 min, 16
``keyword_table(...)``     st.cache_data   the window's posts (hashed), period, method      ttl 10 min, 16
``figures(...)``           st.cache_resource  the history's key + window + language          ttl 10 min, 64
=========================  ==============  ===============================================  ================

``unscored`` replaces a process-wide "fully scored" set: its answer can only change when a
post is imported (``posts_key``) or a score is stored (``scores_key``), so a cached answer is
never stale. Measured on the demo's 20 000 posts: the uncached count takes ~30 ms for two
funds (~90 ms for all of them); a warm run pays ``scores_key`` (one COUNT, ~2 ms) and a hit.

``figures`` keeps plotly figures in st.cache_resource (no copy per hit): they are READ-ONLY,
``st.plotly_chart`` and the exports only read them (``to_dict``, ``to_html``, PNG).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date

import pandas as pd
import streamlit as st
from plotly.graph_objects import Figure

from socialfund.demo.universe import BY_CODE as DEMO_INSTRUMENTS
from socialfund.services import posts, scores, sentiment_view
from socialfund.services.sentiment_view import History, Sources
from socialfund.social import aggregate, selection
from socialfund.view.charts import localise
from socialfund.view.charts.sentiment import fund_panel, weekly_heatmap
from socialfund.view.i18n import t

from app import resources

FORUM_ALIASES = {code: inst.aliases for code, inst in DEMO_INSTRUMENTS.items()}  # how forum users call funds
PANEL_LABELS = ("sentiment", "smooth", "price", "bullishness", "posts")


@st.cache_data(ttl=600, max_entries=8, show_spinner=False)
def sources(posts_key: tuple[int, int]) -> Sources:
    """Every post source with its count, and the default selection (key: ``posts_key()``)."""
    return sentiment_view.sources(resources.store())


@st.cache_data(ttl=600, max_entries=16, show_spinner=False)
def fund_counts(sources: tuple[str, ...], posts_key: tuple[int, int]) -> pd.Series:
    """Posts per fund code of ``sources``, most first (key: ``posts_key(sources)``)."""
    return posts.posts_per_fund(resources.store(), list(sources))


@st.cache_data(ttl=600, max_entries=64, show_spinner=False)
def unscored(codes: tuple[str, ...], sources: tuple[str, ...], version: str, posts_key: tuple[int, int],
             scores_key: int) -> int:
    """How many distinct texts of the selection have no score of ``version`` yet (keys:
    ``posts_key(sources)``, ``scores_key(version)``)."""
    return scores.unscored_count(resources.store(), version, list(codes), list(sources))


@st.cache_data(ttl=600, max_entries=16, show_spinner=False)
def history(codes: tuple[str, ...], sources: tuple[str, ...], version: str, posts_key: tuple[int, int],
            _closes: pd.DataFrame) -> History:
    """The selection's per-session aggregates, whole history, from the stored sums (``_closes``
    is not hashed: it is the closes of ``codes``, named by the key)."""
    return sentiment_view.history(resources.store(), resources.universe(), _closes, version, codes, sources)


@st.cache_data(ttl=600, max_entries=16, show_spinner=False)
def window_posts(codes: tuple[str, ...], sources: tuple[str, ...], version: str, posts_key: tuple[int, int],
                 start: date, end: date, _closes: pd.DataFrame) -> pd.DataFrame:
    """The selection's scored posts counted for a session in [start, end], with ``session``
    (a bounded read; ``_closes`` as in ``history``)."""
    return sentiment_view.window_posts(resources.store(), resources.universe(), _closes, version, codes, sources,
                                       start, end)


@st.cache_data(ttl=600, max_entries=16, show_spinner=False)
def keyword_table(posts: pd.DataFrame, freq: str, method: str) -> pd.DataFrame:
    """Keywords per period of ``posts`` (columns ``code, text, reads, session``)."""
    return selection.keyword_table(posts, resources.universe(), FORUM_ALIASES, freq, method)


@st.cache_resource(ttl=600, max_entries=64, show_spinner=False)
def figures(codes: tuple[str, ...], sources: tuple[str, ...], version: str, posts_key: tuple[int, int],
            start: date, end: date, lang: str, _win: selection.Window, _closes: pd.DataFrame,
            _names: dict[str, str]) -> Mapping[str, Figure]:
    """The fund panels (by code) and the heat map (``"heatmap"``) of one selection and
    window (~60 ms of plotly per run). The key names everything the unhashed ``_``
    arguments are derived from. READ-ONLY: shared by every session."""
    labels = {k: t(f"sent.{k}", lang) for k in PANEL_LABELS}
    figs: dict[str, Figure] = {}
    for code in codes:
        close = _closes[code] if code in _closes.columns else None
        figs[code] = localise(fund_panel(_win.daily[_win.daily["code"] == code], close, labels=labels,
                                         title=f"{_names.get(code, code)} · {start} – {end}"), lang)
    figs["heatmap"] = weekly_heatmap(aggregate.weekly_table(_win.posts), _names, title=t("sent.heatmap_title", lang),
                                     colorbar_title=t("sent.sentiment", lang))
    return figs
