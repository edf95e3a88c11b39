"""Fund sentiment for marketers: mood, volume, bullishness, shifts, top posts and keywords
per fund and trading session (thin page: widgets → socialfund.services.posts → charts)."""

from __future__ import annotations

from datetime import timedelta

import pandas as pd
import streamlit as st

from app import chrome, errors, navigation, resources, session
from socialfund.demo.universe import BY_CODE as DEMO_INSTRUMENTS
from socialfund.core.sources import DEMO_POST_SOURCE
from socialfund.io import posts_file
from socialfund.services import posts as P
from socialfund.services import scores
from socialfund.social import aggregate
from socialfund.social import keywords
from socialfund.view.charts.sentiment import compare_lines, fund_panel, weekly_heatmap
from socialfund.view.charts import figure_png
from socialfund.io.exports import to_safe_csv
from socialfund.view.i18n import t

navigation.require_router()

lang = session.lang()


def tr(key: str, **fmt: object) -> str:
    # bound to this run's language (format_func callbacks may run outside the script run)
    return t(key, lang, **fmt)


st.title(tr("sent.title"))
st.caption(tr("sent.intro"))
store = resources.store()
DEFAULT_FUNDS = ("510300.SS", "161725.SZ")
SCORERS = ("finance", "snownlp")
FORUM_ALIASES = {code: inst.aliases for code, inst in DEMO_INSTRUMENTS.items()}  # how forum users call funds


@st.cache_data(ttl=600, max_entries=8, show_spinner=False)
def _sources(fingerprint: tuple[int, int]) -> dict[str, int]:
    return P.post_sources(store)


@st.cache_data(ttl=600, max_entries=16, show_spinner=False)
def _codes_with_posts(sources: tuple[str, ...], fingerprint: tuple[int, int]) -> pd.Series:
    posts = P.load_posts(store, None, list(sources))
    return posts["code"].value_counts()


@st.cache_data(ttl=600, max_entries=16, show_spinner=False)
def _aggregates(codes: tuple[str, ...], sources: tuple[str, ...], version: str, fingerprint: tuple[int, int],
                _closes: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(posts with scores and sessions, per-fund per-session aggregates), whole history."""
    posts = scores.scored_posts(store, version, list(codes), list(sources))
    sessions = aggregate.sessions_from_closes(_closes)
    calendars = {i.code: i.calendar for i in resources.universe()}
    tagged = aggregate.with_sessions(posts, sessions, calendars)
    return tagged, aggregate.daily_sentiment(posts, sessions, calendars)


@st.cache_data(ttl=600, max_entries=16, show_spinner=False)
def _keywords(tagged: pd.DataFrame, freq: str, method: str) -> pd.DataFrame:
    stop_words = keywords.fund_stop_words(resources.universe(), FORUM_ALIASES)
    return keywords.keywords_by_period(tagged, freq=freq, method=method, stop_words=stop_words)


@st.cache_resource(show_spinner=False)
def _fully_scored() -> set[tuple]:
    """(store url, codes, sources, scorer version, posts fingerprint) whose posts all have a cached score.
    score_posts loads and hashes every selected post to find the unscored ones (measured
    ~20 ms a run); once a selection is fully scored it stays so until posts are imported
    (the fingerprint changes) or the scorer changes (the version changes), so skip it then.
    Posts are shared by all users (no owner), so one process-wide set is fine."""
    return set()


@st.cache_resource(ttl=600, max_entries=64, show_spinner=False)
def _figures(codes: tuple[str, ...], sources: tuple[str, ...], version: str, fingerprint: tuple[int, int],
             start, end, lang: str, _win: pd.DataFrame, _win_posts: pd.DataFrame,  # type: ignore[no-untyped-def]
             _closes: pd.DataFrame, _names: dict[str, str]) -> dict[str, object]:
    """The fund panels and the heat map for one selection and window (~60 ms of plotly per
    run). The key names everything the unhashed ``_`` arguments are derived from. Kept in
    st.cache_resource (no copy per hit): st.plotly_chart only reads a figure (to_dict)."""
    labels = {k: t(f"sent.{k}", lang) for k in ("sentiment", "smooth", "price", "bullishness", "posts")}
    figs: dict[str, object] = {}
    for code in codes:
        close = _closes[code] if code in _closes.columns else None
        figs[code] = fund_panel(_win[_win["code"] == code], close, labels=labels,
                                title=f"{_names.get(code, code)} · {start} – {end}")
    figs["heatmap"] = weekly_heatmap(aggregate.weekly_table(_win_posts), _names, title=t("sent.heatmap_title", lang),
                                     colorbar_title=t("sent.sentiment", lang))
    return figs


# --- sources and scorer (sidebar) --------------------------------------------------------
all_fp = P.posts_fingerprint(store)
sources_count = _sources(all_fp)
real_sources = [s for s in sources_count if s != DEMO_POST_SOURCE]
default_sources = real_sources or [s for s in sources_count if s == DEMO_POST_SOURCE]
sources = st.sidebar.multiselect(
    tr("sent.sources"), list(sources_count), default=default_sources, help=tr("sent.sources_help"),
    placeholder=tr("ui.choose"), format_func=lambda s: tr("sent.source_option", source=s, n=f"{sources_count[s]:,}"))
spec = st.sidebar.selectbox(tr("sent.scorer"), SCORERS,
                            format_func=lambda s: tr(f"sent.scorer_{s}"))
with errors.errors_shown(stop=True):
    scorer = resources.scorer(spec)
st.sidebar.caption(tr("sent.scorer_version", version=scorer.version))

if not sources:
    st.info(tr("sent.no_sources"))
    st.stop()
if DEMO_POST_SOURCE in sources:
    chrome.demo_badge()
if DEMO_POST_SOURCE in sources and len(sources) > 1:
    st.warning(tr("sent.mixed"))

# --- funds and dates ---------------------------------------------------------------------
src_key = tuple(sorted(sources))
fp = P.posts_fingerprint(store, list(src_key))
counts = _codes_with_posts(src_key, fp)
names = resources.instrument_names(lang)
options = list(counts.index)
default_funds = [c for c in DEFAULT_FUNDS if c in options] or options[:2]
codes = st.multiselect(tr("sent.funds"), options, default=default_funds, placeholder=tr("ui.choose"),
                       format_func=lambda c: f"{names.get(c, c)} ({c}, {counts[c]:,})")
if not codes:
    st.info(tr("sent.no_funds"))
    st.stop()
codes_key = tuple(codes)  # the user's order: panels appear as picked

# score what is not cached yet (a second visit costs nothing: scores live in the store)
bar = None


def _progress(done: int, total: int) -> None:
    global bar
    if total == 0:
        return
    if bar is None:
        bar = st.progress(0.0, text=tr("sent.scoring", total=f"{total:,}"))
    bar.progress(done / total, text=tr("sent.scoring", total=f"{total:,}"))


scored_key = (store.url, codes_key, src_key, scorer.version, fp)  # the url: a process may switch stores
if scored_key not in _fully_scored():
    n_new = scores.score_posts(store, scorer, list(codes_key), list(src_key), progress=_progress)
    _fully_scored().add(scored_key)
    if bar is not None:
        bar.empty()
        st.toast(tr("sent.scored_now", n=f"{n_new:,}"))

closes = resources.closes(list(codes_key))
tagged, daily = _aggregates(codes_key, src_key, scorer.version, fp, closes)
price_sources = sorted(set(st.session_state.get(resources.PRICE_SOURCES_KEY, {}).values())) or ["—"]
if daily.empty:
    st.info(tr("sent.no_posts"))
    st.stop()

first, last = daily["session"].min().date(), daily["session"].max().date()
picked = st.date_input(tr("sent.range"), value=(max(first, last - timedelta(days=182)), last),
                       min_value=first, max_value=last)
start, end = (picked if isinstance(picked, tuple) and len(picked) == 2 else (first, last))
lo, hi = pd.Timestamp(start), pd.Timestamp(end)
win = daily[(daily["session"] >= lo) & (daily["session"] <= hi)]
win_posts = tagged[(tagged["session"] >= lo) & (tagged["session"] <= hi)]
st.caption(tr("sent.source_label", sources=", ".join(src_key), n=f"{len(win_posts):,}",
              prices=", ".join(price_sources)))
if win.empty or win_posts.empty:
    st.info(tr("sent.no_posts"))
    st.stop()

cached_figs = _figures(codes_key, src_key, scorer.version, fp, start, end, lang, win, win_posts, closes, names)
tabs = st.tabs([tr(k) for k in ("sent.tab_funds", "sent.tab_compare", "sent.tab_heatmap", "sent.tab_alerts",
                                "sent.tab_posts", "sent.tab_keywords", "sent.tab_export", "sent.tab_import")],
               key=f"sent-tabs-{lang}")  # a key keeps the open tab across reruns (e.g. after an upload)
figures: dict[str, object] = {}

with tabs[0]:
    for code in codes_key:
        d = win[win["code"] == code]
        p = win_posts[(win_posts["code"] == code) & win_posts["score"].notna()]
        st.subheader(f"{names.get(code, code)} ({code})")
        n_bull, n_bear = int((p["label"] == "pos").sum()), int((p["label"] == "neg").sum())
        latest_z = d["z"].dropna()
        c1, c2, c3, c4, c5 = st.columns(5)
        c1.metric(tr("sent.m_mean"), f"{p['score'].mean():.2f}" if len(p) else "—")
        c2.metric(tr("sent.m_bull"), f"{aggregate.bullishness(n_bull, n_bear):+.2f}")
        c3.metric(tr("sent.m_share"), f"{n_bull / len(p):.0%}" if len(p) else "—")
        c4.metric(tr("sent.m_posts"), f"{int(d['n_posts'].sum()):,}")
        c5.metric(tr("sent.m_z"), f"{latest_z.iloc[-1]:+.2f}" if len(latest_z) else "—")
        fig = cached_figs[code]
        figures[code] = fig
        st.plotly_chart(fig, width="stretch", key=f"panel-{code}")
    st.caption(tr("sent.formula"))
    st.caption(tr("sent.window_formula"))

with tabs[1]:
    metric = st.radio(tr("sent.compare_metric"), ("mean_score", "reads_weighted", "bullishness", "n_posts"),
                      format_func=lambda m: tr(f"sent.metric_{m}"), horizontal=True)
    fig = compare_lines(win, names, value=metric, title=tr("sent.compare_title"), y_title=tr(f"sent.metric_{metric}"))
    figures["compare"] = fig
    st.plotly_chart(fig, width="stretch", key="compare")
    st.caption(tr("sent.compare_note"))

with tabs[2]:
    fig = cached_figs["heatmap"]
    figures["heatmap"] = fig
    st.plotly_chart(fig, width="stretch", key="heatmap")
    st.caption(tr("sent.heatmap_note"))

with tabs[3]:
    alerts = aggregate.shift_alerts(win)
    st.caption(tr("sent.alerts_note"))
    if alerts.empty:
        st.info(tr("sent.no_alerts"))
    else:
        st.dataframe(pd.DataFrame({
            tr("sent.col.session"): alerts["session"].dt.date,
            tr("sent.col.fund"): [f"{names.get(c, c)} ({c})" for c in alerts["code"]],
            tr("sent.col.mean_score"): alerts["mean_score"].round(3),
            tr("sent.col.n_posts"): alerts["n_posts"],
            tr("sent.col.z"): alerts["z"].round(2),
            tr("sent.col.alert"): [tr(f"sent.alert_{a}") for a in alerts["alert"]],
        }), hide_index=True, width="stretch")


def _posts_table(frame: pd.DataFrame) -> pd.DataFrame:
    return pd.DataFrame({
        tr("sent.col.published"): aggregate.shanghai_time(frame["published_at"]).dt.strftime("%Y-%m-%d %H:%M"),
        tr("sent.col.fund"): [names.get(c, c) for c in frame["code"]],
        tr("sent.col.score"): frame["score"].round(3),
        tr("sent.col.reads"): frame["reads"],
        tr("sent.col.author"): frame["author"],
        tr("sent.col.text"): frame["text"].str.slice(0, 500),
    })


with tabs[4]:
    st.caption(tr("sent.posts_note"))
    st.markdown(f"**{tr('sent.top_pos')}**")
    st.dataframe(_posts_table(aggregate.top_posts(win_posts, positive=True)), hide_index=True, width="stretch")
    st.markdown(f"**{tr('sent.top_neg')}**")
    st.dataframe(_posts_table(aggregate.top_posts(win_posts, positive=False)), hide_index=True, width="stretch")

with tabs[5]:
    k1, k2 = st.columns(2)
    freq = k1.radio(tr("sent.kw_period"), ("W", "M"), index=1, horizontal=True,
                    format_func=lambda f: tr("sent.kw_week") if f == "W" else tr("sent.kw_month"))
    method = k2.radio(tr("sent.kw_method"), ("tfidf", "textrank"), horizontal=True,
                      format_func=lambda m: "TF-IDF" if m == "tfidf" else "TextRank")
    kw = _keywords(win_posts[["code", "text", "reads", "session"]], freq, method)
    if not kw.empty:
        grouped = kw.groupby("period").agg(keywords=("keyword", " · ".join), n=("n_posts", "first"))
        st.dataframe(pd.DataFrame({
            tr("sent.col.period"): grouped.index.date,
            tr("sent.col.n_posts"): grouped["n"].values,
            tr("sent.col.keywords"): grouped["keywords"].values,
        }).iloc[::-1], hide_index=True, width="stretch")
    st.caption(tr("sent.kw_note"))

with tabs[6]:
    # the data's provenance travels with the file (demo data stays labelled as demo)
    export = win.assign(name=[names.get(c, c) for c in win["code"]], session=win["session"].dt.date,
                        scorer=scorer.version, post_source=", ".join(sources),
                        price_source=", ".join(price_sources))
    st.download_button(tr("sent.export_csv"), to_safe_csv(export), file_name=f"sentiment_{start}_{end}.csv",
                       mime="text/csv", on_click="ignore", key="export-csv")
    st.caption(tr("sent.export_note"))
    chart_labels = {k: names.get(k, k) for k in codes_key} | {"compare": tr("sent.tab_compare"),
                                                                "heatmap": tr("sent.tab_heatmap")}
    chart = st.selectbox(tr("sent.export_chart"), list(figures), format_func=lambda k: chart_labels.get(k, k))
    chosen_fig = figures[chart]
    st.download_button(tr("sent.export_html"), lambda: chosen_fig.to_html(include_plotlyjs=True, full_html=True),
                       file_name=f"sentiment_{chart}.html", mime="text/html", on_click="ignore", key="export-html")
    if st.button(tr("sent.export_png"), key="export-png-make"):
        with st.spinner(tr("sent.export_png_busy")), errors.errors_shown():
            st.session_state["sent_png"] = (chart, figure_png(chosen_fig))
    png = st.session_state.get("sent_png")
    if png and png[0] == chart:
        st.download_button(tr("sent.export_png_download"), png[1], file_name=f"sentiment_{chart}.png",
                           mime="image/png", on_click="ignore", key="export-png")
    st.caption(tr("sent.export_png_note"))

with tabs[7]:
    st.caption(tr("sent.import_help", mb=posts_file.MAX_IMPORT_BYTES // 2**20))
    upload = st.file_uploader(tr("sent.upload"), type=["csv", "json", "jsonl", "txt"], key="posts-upload")
    source_name = st.text_input(tr("sent.source_name"), value="my-posts", max_chars=64)
    if upload is not None and st.button(tr("sent.import_button"), key="posts-import"):
        if upload.size > posts_file.MAX_IMPORT_BYTES:
            st.error(tr("sent.too_big", mb=upload.size / 1e6, cap=posts_file.MAX_IMPORT_BYTES // 2**20))
        else:
            with errors.errors_shown():
                result = P.import_posts(store, upload.getvalue(), upload.name, source=source_name)
                st.success(tr("sent.import_ok", imported=f"{result.imported:,}",
                              duplicates=f"{result.duplicates:,}", source=result.source))
                for warning in result.warnings:
                    st.info(warning)
