"""The Sentiment page's drawing: the scoring progress bar and one function per tab (fund
panels, comparison, heat map, alerts, top posts, keywords, export, import). Each takes
``tr`` bound to the run's language (``format_func`` callbacks may run outside the script
run) and what the page has prepared; nothing here reads the store except the import."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import date

import pandas as pd
import streamlit as st
from streamlit.delta_generator import DeltaGenerator
from plotly.graph_objects import Figure

from socialfund.io import posts_file
from socialfund.io.exports import to_safe_csv, with_headers
from socialfund.services import posts as P
from socialfund.social import aggregate, selection
from socialfund.view.charts import figure_png, localise, with_demo_label
from socialfund.view.charts.sentiment import compare_lines

from app import cached_sentiment, chrome, draw_explain, errors, resources, session

Tr = Callable[..., str]
TAB_KEYS = ("sent.tab_funds", "sent.tab_compare", "sent.tab_heatmap", "sent.tab_alerts",
            "sent.tab_posts", "sent.tab_keywords", "sent.tab_export", "sent.tab_import")
COMPARE_METRICS = ("mean_score", "reads_weighted", "bullishness", "n_posts")
PNG_KEY = "sent_png"  # session state: (chart, PNG bytes) of the last chart made into a PNG


class Loading:
    """The page's loading bar: drawn with words as the page opens, moved on by ``step`` and
    removed by ``done`` (a page that stops early leaves it cleared by Streamlit's rerun)."""

    def __init__(self, tr: Tr) -> None:
        self.tr = tr
        self.bar = st.progress(0.0, text=tr("loading.sentiment"))

    def step(self, fraction: float) -> None:
        self.bar.progress(fraction, text=self.tr("loading.sentiment"))

    def done(self) -> None:
        self.bar.empty()


class ScoringProgress:
    """``progress(done, total)`` for ``score_posts``: the bar appears only when there is work."""

    def __init__(self, tr: Tr) -> None:
        self.tr = tr
        self.bar: DeltaGenerator | None = None

    def __call__(self, done: int, total: int) -> None:
        if total == 0:
            return
        if self.bar is None:
            self.bar = st.progress(0.0, text=self.tr("sent.scoring", total=f"{total:,}"))
        self.bar.progress(done / total, text=self.tr("sent.scoring", total=f"{total:,}"))

    def finish(self, n_new: int) -> None:
        if self.bar is not None:
            self.bar.empty()
            st.toast(self.tr("sent.scored_now", n=f"{n_new:,}"))


def _metric(value: float | None, spec: str) -> str:
    return "—" if value is None else format(value, spec)


def funds_tab(tr: Tr, win: selection.Window, codes: Sequence[str], names: Mapping[str, str],
              figs: Mapping[str, Figure]) -> dict[str, Figure]:
    """Per fund: its headline figures and its panel; returns the panels shown, by code."""
    shown: dict[str, Figure] = {}
    for code in codes:
        s = selection.fund_summary(win, code)
        st.subheader(f"{names.get(code, code)} ({code})")
        c1, c2, c3, c4, c5 = st.columns(5)
        c1.metric(tr("sent.m_mean"), _metric(s.mean_score, ".2f"))
        c2.metric(tr("sent.m_bull"), f"{s.bullishness:+.2f}")
        c3.metric(tr("sent.m_share"), _metric(s.bull_share, ".0%"))
        c4.metric(tr("sent.m_posts"), f"{s.n_posts:,}")
        c5.metric(tr("sent.m_z"), _metric(s.latest_z, "+.2f"))
        shown[code] = figs[code]
        st.plotly_chart(figs[code], width="stretch", key=f"panel-{code}")
    st.caption(tr("sent.formula"))
    st.caption(tr("sent.window_formula"))
    return shown


def compare_tab(tr: Tr, win: selection.Window, names: dict[str, str]) -> Figure:
    metric = st.radio(tr("sent.compare_metric"), COMPARE_METRICS,
                      format_func=lambda m: tr(f"sent.metric_{m}"), horizontal=True)
    fig = localise(compare_lines(win.daily, names, value=metric, title=tr("sent.compare_title"),
                                 y_title=tr(f"sent.metric_{metric}")), session.lang())
    st.plotly_chart(fig, width="stretch", key="compare")
    st.caption(tr("sent.compare_note"))
    return fig


def heatmap_tab(tr: Tr, figs: Mapping[str, Figure]) -> Figure:
    st.plotly_chart(figs["heatmap"], width="stretch", key="heatmap")
    st.caption(tr("sent.heatmap_note"))
    return figs["heatmap"]


def alerts_tab(tr: Tr, win: selection.Window, names: Mapping[str, str]) -> None:
    alerts = aggregate.shift_alerts(win.daily)
    st.caption(tr("sent.alerts_note"))
    if alerts.empty:
        st.info(tr("sent.no_alerts"))
        return
    st.dataframe(pd.DataFrame({
        tr("sent.col.session"): alerts["session"].dt.date,
        tr("sent.col.fund"): [f"{names.get(c, c)} ({c})" for c in alerts["code"]],
        tr("sent.col.mean_score"): alerts["mean_score"].round(3),
        tr("sent.col.n_posts"): alerts["n_posts"],
        tr("sent.col.z"): alerts["z"].round(2),
        tr("sent.col.alert"): [tr(f"sent.alert_{a}") for a in alerts["alert"]],
    }), hide_index=True, width="stretch")


def _posts_table(tr: Tr, frame: pd.DataFrame, names: Mapping[str, str]) -> pd.DataFrame:
    return pd.DataFrame({
        tr("sent.col.published"): aggregate.shanghai_time(frame["published_at"]).dt.strftime("%Y-%m-%d %H:%M"),
        tr("sent.col.fund"): [names.get(c, c) for c in frame["code"]],
        tr("sent.col.score"): frame["score"].round(3),
        tr("sent.col.reads"): frame["reads"],
        tr("sent.col.author"): frame["author"],
        tr("sent.col.text"): frame["text"].str.slice(0, 500),
    })


def post_cards(tr: Tr, frame: pd.DataFrame, names: Mapping[str, str]) -> None:
    """Posts as cards: one line of who, when, which fund, score and reads, then the whole text
    (finding 10: a grid cell cut the text off)."""
    table = _posts_table(tr, frame, names)
    head = [tr("sent.col.published"), tr("sent.col.fund"), tr("sent.col.author")]
    for row in table.to_dict("records"):
        with st.container(border=True):
            line = " · ".join(str(row[c]) for c in head)
            reads = pd.to_numeric(row[tr("sent.col.reads")], errors="coerce")
            st.caption(f"{chrome.plain(line)} · {tr('sent.col.score')} {row[tr('sent.col.score')]:+.3f} · "
                       f"{tr('sent.col.reads')} {'—' if pd.isna(reads) else f'{int(reads):,}'}")
            st.markdown(chrome.plain(row[tr("sent.col.text")]))


def posts_tab(tr: Tr, win: selection.Window, names: Mapping[str, str]) -> None:
    st.caption(tr("sent.posts_note"))
    left, right = st.columns(2)
    with left:
        st.markdown(f"**{tr('sent.top_pos')}**")
        post_cards(tr, aggregate.top_posts(win.posts, positive=True), names)
    with right:
        st.markdown(f"**{tr('sent.top_neg')}**")
        post_cards(tr, aggregate.top_posts(win.posts, positive=False), names)
    draw_explain.explain_top_posts(tr, win.posts)


def keywords_tab(tr: Tr, win: selection.Window) -> None:
    k1, k2 = st.columns(2)
    freq = k1.radio(tr("sent.kw_period"), ("W", "M"), index=1, horizontal=True,
                    format_func=lambda f: tr("sent.kw_week") if f == "W" else tr("sent.kw_month"))
    method = k2.radio(tr("sent.kw_method"), ("tfidf", "textrank"), horizontal=True,
                      format_func=lambda m: "TF-IDF" if m == "tfidf" else "TextRank")
    rows = cached_sentiment.keyword_table(win.posts[["code", "text", "reads", "session"]], freq, method)
    if not rows.empty:
        st.dataframe(pd.DataFrame({
            tr("sent.col.period"): rows["period"].values,
            tr("sent.col.n_posts"): rows["n_posts"].values,
            tr("sent.col.keywords"): rows["keywords"].values,
        }), hide_index=True, width="stretch")
    st.caption(tr("sent.kw_note"))


EXPORT_FIELDS = ("session", "code", "name", "close", "mean_score", "reads_weighted", "bullishness", "n_posts",
                 "n_bull", "n_bear", "z", "scorer", "post_source", "price_source")
"""Translated (``sent.field.<name>``) in the readable export; other columns keep their field name."""


def export_frame(win: selection.Window, names: Mapping[str, str], version: str, sources: Sequence[str],
                 price_sources: Sequence[str], closes: pd.DataFrame | None) -> pd.DataFrame:
    """The window's rows with the adjusted close of the fund on that session beside them."""
    export = selection.export_frame(win.daily, names, version, sources, price_sources)
    if closes is not None and len(closes.columns):
        long = closes.rename_axis("session").reset_index().melt("session", var_name="code", value_name="close")
        long["session"] = pd.to_datetime(long["session"]).dt.date
        export = export.merge(long, on=["session", "code"], how="left")
    first = [c for c in EXPORT_FIELDS if c in export.columns]
    return export[first + [c for c in export.columns if c not in first]]


def export_tab(tr: Tr, win: selection.Window, names: Mapping[str, str], codes: Sequence[str], version: str,
               sources: Sequence[str], price_sources: Sequence[str], start: date, end: date,
               figures: Mapping[str, Figure], closes: pd.DataFrame | None = None, is_demo: bool = False) -> None:
    """The window as CSV (with its provenance and the price beside the sentiment: readable
    headers, or field names for machines), the posts behind the charts, and any chart shown as
    HTML or PNG (labelled as demo when its data is)."""
    export = export_frame(win, names, version, sources, price_sources, closes)
    labels = {c: tr(f"sent.field.{c}") for c in EXPORT_FIELDS}
    c1, c2 = st.columns(2)
    c1.download_button(tr("sent.export_csv"), to_safe_csv(with_headers(export, labels)),
                       file_name=f"sentiment_{start}_{end}.csv", mime="text/csv", on_click="ignore", key="export-csv")
    c2.download_button(tr("export.headers.machine"), to_safe_csv(export), file_name=f"sentiment_{start}_{end}.fields.csv",
                       mime="text/csv", on_click="ignore", key="export-csv-fields")
    st.caption(tr("sent.export_note"))
    st.download_button(tr("export.posts_csv"), to_safe_csv(_posts_table(tr, win.posts, names)),
                       file_name=f"sentiment_posts_{start}_{end}.csv", mime="text/csv", on_click="ignore",
                       key="export-posts")
    chart_labels = {k: names.get(k, k) for k in codes} | {"compare": tr("sent.tab_compare"),
                                                          "heatmap": tr("sent.tab_heatmap")}
    chart = st.selectbox(tr("sent.export_chart"), list(figures), format_func=lambda k: chart_labels.get(k, k),
                         placeholder=tr("ui.choose_one"))
    chosen_fig = with_demo_label(figures[chart], tr("export.demo_label")) if is_demo else figures[chart]
    st.download_button(tr("sent.export_html"), lambda: chosen_fig.to_html(include_plotlyjs=True, full_html=True),
                       file_name=f"sentiment_{chart}.html", mime="text/html", on_click="ignore", key="export-html")
    if st.button(tr("sent.export_png"), key="export-png-make"):
        with st.spinner(tr("sent.export_png_busy")), errors.errors_shown():
            st.session_state[PNG_KEY] = (chart, figure_png(chosen_fig))
    png = st.session_state.get(PNG_KEY)
    if png and png[0] == chart:
        st.download_button(tr("sent.export_png_download"), png[1], file_name=f"sentiment_{chart}.png",
                           mime="image/png", on_click="ignore", key="export-png")
    st.caption(tr("sent.export_png_note"))


def import_tab(tr: Tr) -> None:
    """Upload a posts file into a named source: all or nothing, or with "partial" the rows that
    resolve and a report of the others (``services.posts.import_posts``)."""
    st.caption(tr("sent.import_help", mb=posts_file.MAX_IMPORT_BYTES // 2**20))
    upload = st.file_uploader(tr("sent.upload"), type=["csv", "json", "jsonl", "txt"], key="posts-upload")
    source_name = st.text_input(tr("sent.source_name"), value="my-posts", max_chars=64)
    c1, c2 = st.columns(2)
    year = c1.number_input(tr("sent.import_year"), min_value=1990, max_value=2100, value=None, step=1,
                           help=tr("sent.import_year_help"), key="posts-year")
    partial = c2.checkbox(tr("sent.import_partial"), help=tr("sent.import_partial_help"), key="posts-partial")
    if upload is None or not st.button(tr("sent.import_button"), key="posts-import"):
        return
    if upload.size > posts_file.MAX_IMPORT_BYTES:
        st.error(tr("sent.too_big", mb=upload.size / 1e6, cap=posts_file.MAX_IMPORT_BYTES // 2**20))
        return
    with errors.errors_shown():
        bar = st.progress(0.0)
        result = P.import_posts(resources.store(), upload.getvalue(), upload.name, source=source_name,
                                year=int(year) if year is not None else None, partial=partial,
                                progress=lambda done, total: bar.progress(min(done / total, 1.0) if total else 1.0))
        bar.empty()
        st.success(tr("sent.import_ok", imported=f"{result.imported:,}",
                      duplicates=f"{result.duplicates:,}", source=result.source))
        if result.report_csv is not None:
            st.warning(tr("sent.import_unresolved", n=f"{result.unresolved:,}"))
            st.download_button(tr("sent.import_report"), result.report_csv,
                               file_name=f"{posts_file.file_label(upload.name)}.unresolved.csv", mime="text/csv",
                               on_click="ignore", key="posts-report")
        for warning in result.warnings:
            st.info(warning)
