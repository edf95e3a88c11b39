"""Fund sentiment for marketers: mood, volume, bullishness, shifts, top posts and keywords
per fund and trading session (thin page: widgets → app.cached_sentiment → app.sentiment_tabs)."""

from __future__ import annotations

import streamlit as st

from app import cache_keys, cached_scorer, cached_sentiment, chrome, errors, navigation, resources, session
from app import sentiment_tabs as tabs_ui
from app import draw_discussion, draw_meter
from socialfund.core.sources import DEMO_POST_SOURCE
from socialfund.services import scores
from socialfund.social import selection

navigation.require_router()

lang = session.lang()
SCORERS = ("finance", "snownlp")

tr = session.translator(lang)  # format_func callbacks may run outside this script run


st.title(tr("sent.title"))
st.caption(tr("sent.intro"))
loading = tabs_ui.Loading(tr)  # words at once, a bar while the cold load runs (issue 14 finding 9)

# --- sources and scorer (sidebar) --------------------------------------------------------
available = cached_sentiment.sources(cache_keys.posts_key())
sources = st.sidebar.multiselect(
    tr("sent.sources"), list(available.counts), default=available.default, help=tr("sent.sources_help"),
    placeholder=tr("ui.choose"), select_all=False,
    format_func=lambda s: tr("sent.source_option", source=s, n=f"{available.counts[s]:,}"))
spec = st.sidebar.selectbox(tr("sent.scorer"), SCORERS, format_func=lambda s: tr(f"sent.scorer_{s}"),
                             placeholder=tr("ui.choose_one"))
with errors.errors_shown(stop=True):  # finance adapts to the store's posts (>= 2,000) by default
    scorer_choice = cached_scorer.choice(spec, cache_keys.posts_key())
    scorer = scorer_choice.scorer
st.sidebar.caption(tr("sent.scorer_version", version=scorer.version))
st.sidebar.caption(cached_scorer.caption(scorer_choice, lang))

if not sources:
    loading.done()
    st.info(tr("sent.no_sources"))
    st.stop()
if DEMO_POST_SOURCE in sources:
    chrome.demo_badge()
if DEMO_POST_SOURCE in sources and len(sources) > 1:
    st.warning(tr("sent.mixed"))

# --- funds --------------------------------------------------------------------------------
src_key = tuple(sorted(sources))
posts_key = cache_keys.posts_key(src_key)
counts = cached_sentiment.fund_counts(src_key, posts_key)
names = resources.instrument_names(lang)
options = list(counts.index)
codes = st.multiselect(tr("sent.funds"), options, default=selection.default_funds(options),
                       placeholder=tr("ui.choose"), filter_mode="contains", select_all=False,  # finding 6
                       key="sent_funds", format_func=lambda c: f"{names.get(c, c)} ({c}, {counts[c]:,})")
if not codes:
    loading.done()
    st.info(tr("sent.no_funds"))
    st.stop()
codes_key = tuple(codes)  # the user's order: panels appear as picked

# score what is not cached yet (a second visit costs nothing: scores live in the store)
if cached_sentiment.unscored(codes_key, src_key, scorer.version, posts_key, cache_keys.scores_key(scorer.version)):
    progress = tabs_ui.ScoringProgress(tr)
    n_new = scores.score_posts(resources.store(), scorer, list(codes_key), list(src_key), progress=progress)
    progress.finish(n_new)

# --- history and dates --------------------------------------------------------------------
closes = resources.closes(list(codes_key))
loading.step(0.5)
hist = cached_sentiment.history(codes_key, src_key, scorer.version, posts_key, closes)
price_sources = sorted(set(st.session_state.get(resources.PRICE_SOURCES_KEY, {}).values())) or ["—"]
if hist.daily.empty:
    loading.done()
    st.info(tr("sent.no_posts"))
    st.stop()

first, last = hist.daily["session"].min().date(), hist.daily["session"].max().date()
picked = st.date_input(tr("sent.range"), value=selection.default_range(first, last),
                       min_value=first, max_value=last)
start, end = (picked if isinstance(picked, tuple) and len(picked) == 2 else (first, last))
win = selection.window(hist.daily, cached_sentiment.window_posts(codes_key, src_key, scorer.version, posts_key,
                                                                 start, end, closes), start, end)
st.caption(tr("sent.source_label", sources=", ".join(src_key), n=f"{len(win.posts):,}",
              prices=", ".join(price_sources)))
if win.empty:
    loading.done()
    st.info(tr("sent.no_posts"))
    st.stop()

# --- tabs -----------------------------------------------------------------------------------
loading.step(0.8)
cached_figs = cached_sentiment.figures(codes_key, src_key, scorer.version, posts_key, start, end, lang,
                                       win, closes, names)
loading.done()
tabs = st.tabs([tr(k) for k in tabs_ui.TAB_KEYS],
               key=f"sent-tabs-{lang}")  # a key keeps the open tab across reruns (e.g. after an upload)
with tabs[0]:
    figures = tabs_ui.funds_tab(tr, win, codes_key, names, cached_figs)
with tabs[1]:
    figures["compare"] = tabs_ui.compare_tab(tr, win, names)
with tabs[2]:
    figures["heatmap"] = tabs_ui.heatmap_tab(tr, cached_figs)
with tabs[3]:
    tabs_ui.alerts_tab(tr, win, names)
with tabs[4]:
    tabs_ui.posts_tab(tr, win, names)
with tabs[5]:
    tabs_ui.keywords_tab(tr, win)
with tabs[6]:
    # the data's provenance travels with the file (demo data stays labelled as demo)
    tabs_ui.export_tab(tr, win, names, codes_key, scorer.version, sources, price_sources, start, end, figures,
                       closes, is_demo=DEMO_POST_SOURCE in sources or resources.is_demo_market())
with tabs[7]:
    tabs_ui.import_tab(tr)

draw_meter.meters(codes_key, names, scorer, closes)  # self-tags beside the model (app/draw_meter.py)
draw_discussion.fund_thread(codes_key, names)  # the chosen funds' discussion (app/draw_discussion.py)
