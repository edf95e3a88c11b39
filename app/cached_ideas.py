"""The Fund ideas page's shared caches. Fund ideas read public portfolios only, so one
cache serves every session; each function takes the keys its result is computed from
(``app.cache_keys.community_key()`` and ``market_key()``, passed in by the page), so the
moment a portfolio turns private, a version or a post arrives, the caches miss.

========================  =================  ===============================================  ===========
function                  cache              key                                              bound
========================  =================  ===============================================  ===========
``features(...)``         st.cache_data      community key, market key                        30 min, 2
``scores(...)``           st.cache_data      + method, weights                                30 min, 32
``ranked(...)``           st.cache_data      + decision session, language                     30 min, 64
``evidence_figures(...)`` st.cache_resource  scores' key + language                          30 min, 32
``rank_figure(...)``      st.cache_resource  ranked's key                                     30 min, 64
``detail_figure(...)``    st.cache_resource  ranked's key + fund code                         30 min, 64
========================  =================  ===============================================  ===========

Per-run work is cached too (measured ~0.1 s of a warm run: ranked_list and five plotly
figures). Figures live in st.cache_resource (no pickle copy per hit) and are READ-ONLY:
``st.plotly_chart`` only reads them (``to_dict``) and nothing mutates one after building it.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st
from plotly.graph_objects import Figure

from socialfund.ideas import display
from socialfund.ideas import features as ideas_features
from socialfund.ideas import ranking as ideas_ranking
from socialfund.ideas import scoring as ideas_scoring
from socialfund.ideas.evidence import Evidence, evidence
from socialfund.services.ideas import load_inputs
from socialfund.view.charts import localise
from socialfund.view.charts.ideas import contributions_bar, fund_detail, ic_bars, sparkline, spread_curve
from socialfund.view.i18n import t
from socialfund.view.ideas_text import with_why

from app import resources

Weights = tuple[tuple[str, float], ...]   # sorted (feature, weight) pairs; () for the model


@st.cache_data(ttl=1800, max_entries=2, show_spinner=False)
def features(community_key: str, market_key: str) -> tuple[ideas_features.FeatureSet, pd.DataFrame, pd.DataFrame]:
    """(features of every fund and session, the funds, the closes) of the public community."""
    inputs = load_inputs(resources.store(), resources.provider())
    return ideas_features.build_features(inputs), inputs.funds, inputs.closes


@st.cache_data(ttl=1800, max_entries=32, show_spinner=False)
def scores(community_key: str, market_key: str, method: str, weights: Weights) -> tuple[ideas_scoring.Scores, Evidence]:
    fs = features(community_key, market_key)[0]
    result = ideas_scoring.run_scores(fs, method, dict(weights) if method == "composite" else None)
    return result, evidence(fs, result)


@st.cache_data(ttl=1800, max_entries=64, show_spinner=False)
def ranked(community_key: str, market_key: str, method: str, weights: Weights,
           session: pd.Timestamp, lang: str) -> pd.DataFrame:
    """The ranked list at ``session`` with the reasons in ``lang``."""
    fs = features(community_key, market_key)[0]
    return with_why(ideas_ranking.ranked_list(fs, scores(community_key, market_key, method, weights)[0],
                                              session.date()), lang)


@st.cache_resource(ttl=1800, max_entries=32, show_spinner=False)
def evidence_figures(community_key: str, market_key: str, method: str, weights: Weights,
                     lang: str) -> tuple[Figure, Figure]:
    """(rank-IC bars, quintile spread curve). READ-ONLY."""
    ev = scores(community_key, market_key, method, weights)[1]
    return (localise(ic_bars(ev.ic, ev.ic_dates, t("ideas.evidence.ic_title", lang)), lang),
            localise(spread_curve(ev.spread_curve, t("ideas.evidence.curve_title", lang)), lang))


@st.cache_resource(ttl=1800, max_entries=64, show_spinner=False)
def rank_figure(community_key: str, market_key: str, method: str, weights: Weights,
                session: pd.Timestamp, lang: str) -> tuple[list[list[float]], Figure | None]:
    """(a sparkline per scored fund of the ranking, the contributions bar or None). READ-ONLY."""
    _, funds, closes = features(community_key, market_key)
    table = ranked(community_key, market_key, method, weights, session, lang)
    names = display.fund_names(funds, lang)
    history = closes.loc[closes.index < session]
    scored = table[table["rank"].notna()]
    sparks = [sparkline(history[c]) if c in history else [] for c in scored["code"]]
    top_n = min(display.TOP_CONTRIBUTIONS, len(scored))
    fig = None
    if top_n:
        labels = {f: t(f"ideas.feature.{f}", lang) for f in ideas_features.FEATURES}
        fig = contributions_bar(scored.head(top_n), ideas_features.FEATURES, labels, names,
                                t("ideas.contrib_title", lang, n=top_n))
    return sparks, fig


@st.cache_resource(ttl=1800, max_entries=64, show_spinner=False)
def detail_figure(community_key: str, market_key: str, method: str, weights: Weights,
                  session: pd.Timestamp, code: str, lang: str) -> Figure:
    """One fund's price, sentiment, crowd share and rank up to ``session``. READ-ONLY."""
    fs = features(community_key, market_key)[0]
    h = display.fund_history(fs, scores(community_key, market_key, method, weights)[0], code, session)
    return localise(fund_detail(h.price, h.sentiment, h.crowd, h.rank, {
        "price": t("ideas.detail.price", lang), "sentiment": t("ideas.detail.sentiment", lang),
        "crowd": t("ideas.detail.crowd", lang), "rank": t("ideas.col.rank", lang)}), lang)
