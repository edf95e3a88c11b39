"""Fund ideas: funds ranked by market data, sentiment and crowd positioning, with the
out-of-sample evidence (thin page: widgets → app.cached_ideas → app.ideas_tabs)."""

from __future__ import annotations

import streamlit as st

from app import cache_keys, cached_ideas, errors, navigation, resources
from app import ideas_tabs as tabs_ui
from app import session as app_session  # (``session`` below is a trading session)
from socialfund.ideas import display
from socialfund.ideas import ranking as ideas_ranking
from socialfund.view.ideas_text import verdict_text

navigation.require_router()

lang = app_session.lang()

tr = app_session.translator(lang)  # format_func callbacks may run outside this script run


st.title(tr("ideas.title"))
st.caption(tr("ideas.intro"))
st.info(tr("ideas.not_advice"), icon="💡")

loading = st.progress(0.0, text=tr("loading.ideas"))  # words at once, a bar for the cold load (finding 9)
community = cache_keys.community_key()
market = cache_keys.market_key()
with errors.errors_shown(stop=True):
    fs, funds, _ = cached_ideas.features(community, market)
loading.progress(0.4, text=tr("loading.ideas"))

picked = tabs_ui.controls(tr, fs)
method, weight_key = picked.method, picked.weight_key
with errors.errors_shown(stop=True):
    scores, ev = cached_ideas.scores(community, market, method, weight_key)
    loading.progress(0.7, text=tr("loading.ideas"))
    session = ideas_ranking.resolve_session(fs, picked.as_of)
    table = cached_ideas.ranked(community, market, method, weight_key, session, lang)
    sparks, contrib_fig = cached_ideas.rank_figure(community, market, method, weight_key, session, lang)
loading.empty()

provisional = " " + tr("ideas.provisional") if display.is_provisional(fs, session) else ""
st.caption(tr("ideas.as_of_caption", session=session.date(), data=display.data_day(fs, session)) + provisional)

names = display.fund_names(funds, lang)
tab_rank, tab_detail, tab_ev, tab_method = st.tabs(
    [tr("ideas.tab.ranking"), tr("ideas.tab.detail"), tr("ideas.tab.evidence"), tr("ideas.tab.method")])

with tab_rank:
    tabs_ui.ranking_tab(tr, table, names, display.fund_categories(funds), sparks, contrib_fig, method, session)
with tab_detail:
    tabs_ui.detail_tab(tr, table, names, lambda code: cached_ideas.detail_figure(
        community, market, method, weight_key, session, code, lang))
with tab_ev:
    verdict = verdict_text(ev, lang, is_demo=resources.is_demo_market() or fs.is_demo)
    tabs_ui.evidence_tab(tr, ev, verdict, method, cached_ideas.evidence_figures(community, market, method,
                                                                               weight_key, lang))
with tab_method:
    tabs_ui.method_tab(tr, method, scores)
