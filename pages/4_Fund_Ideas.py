"""Fund ideas: funds ranked by market data, sentiment and crowd positioning, with the
out-of-sample evidence (thin page: widgets → socialfund.ideas → charts)."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import streamlit as st

from app import errors, navigation, resources
from app import session as app_session  # (``session`` below is a trading session)
from socialfund.core.sources import DEMO_PRICE_SOURCE
from socialfund.ideas import features as ideas_features
from socialfund.ideas import ranking as ideas_ranking
from socialfund.ideas import scoring as ideas_scoring
from socialfund.ideas.evidence import Evidence, evidence
from socialfund.services.ideas import load_inputs
from socialfund.store import community
from socialfund.view.charts.ideas import contributions_bar, fund_detail, ic_bars, sparkline, spread_curve
from socialfund.io.exports import to_safe_csv
from socialfund.view.i18n import keys as i18n_keys
from socialfund.view.i18n import t
from socialfund.view.ideas_text import verdict_text, with_why

navigation.require_router()

lang = app_session.lang()


def tr(key: str, **fmt: object) -> str:
    # bound to this run's language (format_func callbacks may run outside the script run)
    return t(key, lang, **fmt)


def reason_text(reason: str) -> str:
    key = f"ideas.reason.{reason}"
    return tr(key) if key in i18n_keys() else reason


st.title(tr("ideas.title"))
st.caption(tr("ideas.intro"))
st.info(tr("ideas.not_advice"), icon="💡")

store = resources.store()
provider = resources.provider()


@st.cache_data(ttl=1800, max_entries=2, show_spinner=False)
def _features(fingerprint: str, market: str) -> tuple[ideas_features.FeatureSet, pd.DataFrame, pd.DataFrame]:
    """Features of every fund and session (public portfolios only, so one shared cache)."""
    inputs = load_inputs(store, provider)
    return ideas_features.build_features(inputs), inputs.funds, inputs.closes


@st.cache_data(ttl=1800, max_entries=32, show_spinner=False)
def _scores(fingerprint: str, market: str, method: str,
            weights: tuple[tuple[str, float], ...]) -> tuple[ideas_scoring.Scores, Evidence]:
    fs = _features(fingerprint, market)[0]
    scores = ideas_scoring.run_scores(fs, method, dict(weights) if method == "composite" else None)
    return scores, evidence(fs, scores)


# Per-run work cached too (measured ~0.1 s of a warm run: ranked_list and five plotly figures).
# Same keys as _scores plus what the output depends on (session, language, fund), so the
# fingerprint still drops them the moment a portfolio turns private. Figures go in
# st.cache_resource (no pickle copy per hit): st.plotly_chart only reads them (to_dict),
# and this page never mutates a figure after building it.
@st.cache_data(ttl=1800, max_entries=64, show_spinner=False)
def _ranked(fingerprint: str, market: str, method: str, weights: tuple[tuple[str, float], ...],
            session: pd.Timestamp, lang: str) -> pd.DataFrame:
    fs = _features(fingerprint, market)[0]
    return with_why(ideas_ranking.ranked_list(fs, _scores(fingerprint, market, method, weights)[0], session.date()), lang)


@st.cache_resource(ttl=1800, max_entries=32, show_spinner=False)
def _evidence_figures(fingerprint: str, market: str, method: str, weights: tuple[tuple[str, float], ...],
                      lang: str):  # type: ignore[no-untyped-def]
    ev = _scores(fingerprint, market, method, weights)[1]
    return (ic_bars(ev.ic, ev.ic_dates, t("ideas.evidence.ic_title", lang)),
            spread_curve(ev.spread_curve, t("ideas.evidence.curve_title", lang)))


@st.cache_resource(ttl=1800, max_entries=64, show_spinner=False)
def _rank_figure(fingerprint: str, market: str, method: str, weights: tuple[tuple[str, float], ...],
                 session: pd.Timestamp, lang: str):  # type: ignore[no-untyped-def]
    """(ranking rows with sparklines, the contributions bar or None) for one session."""
    fs, funds, closes = _features(fingerprint, market)
    table = _ranked(fingerprint, market, method, weights, session, lang)
    names = {r["code"]: (r["name_zh"] if lang == "zh" else r["name_en"]) for r in funds.to_dict("records")}
    history = closes.loc[closes.index < session]
    scored = table[table["rank"].notna()]
    sparks = [sparkline(history[c]) if c in history else [] for c in scored["code"]]
    top_n = min(10, len(scored))
    fig = None
    if top_n:
        labels = {f: t(f"ideas.feature.{f}", lang) for f in ideas_features.FEATURES}
        fig = contributions_bar(scored.head(top_n), ideas_features.FEATURES, labels, names,
                                t("ideas.contrib_title", lang, n=top_n))
    return sparks, fig


@st.cache_resource(ttl=1800, max_entries=64, show_spinner=False)
def _detail_figure(fingerprint: str, market: str, method: str, weights: tuple[tuple[str, float], ...],
                   session: pd.Timestamp, code: str, lang: str):  # type: ignore[no-untyped-def]
    fs = _features(fingerprint, market)[0]
    scores = _scores(fingerprint, market, method, weights)[0]
    f = fs.features.xs(code, level="code")
    f = f[f.index <= session]
    rank = (scores.table.xs(code, level="code")["rank"] if code in scores.table.index.get_level_values("code")
            else pd.Series(dtype=float))
    return fund_detail(f["price"], f["sent_level"], f["crowd_share"], rank[rank.index <= session], {
        "price": t("ideas.detail.price", lang), "sentiment": t("ideas.detail.sentiment", lang),
        "crowd": t("ideas.detail.crowd", lang), "rank": t("ideas.col.rank", lang)})


fingerprint = community.community_fingerprint(store)
market = resources.settings().market_provider
with errors.errors_shown(stop=True), st.spinner(tr("ideas.spinner")):
    fs, funds, closes = _features(fingerprint, market)

# --- controls (sidebar) -----------------------------------------------------------------
PRESETS = list(ideas_scoring.PRESETS)


def _apply_preset() -> None:
    for f, v in ideas_scoring.preset_weights(st.session_state["ideas_preset"]).items():
        st.session_state[f"ideas_w_{f}"] = float(v)


# Widget state is dropped while a widget is not shown (e.g. in model mode): restore it.
st.session_state.setdefault("ideas_preset", ideas_scoring.DEFAULT_PRESET)
for _f, _v in ideas_scoring.preset_weights(st.session_state["ideas_preset"]).items():
    st.session_state.setdefault(f"ideas_w_{_f}", float(_v))

with st.sidebar:
    method = st.radio(tr("ideas.method"), ideas_scoring.METHODS, format_func=lambda m: tr(f"ideas.method.{m}"),
                      key="ideas_method")
    last = fs.sessions[-1].date()
    picked = st.date_input(tr("ideas.as_of"), value=last, min_value=fs.sessions[0].date(), max_value=last,
                           help=tr("ideas.as_of_help"), key="ideas_as_of")
    as_of = picked if isinstance(picked, dt.date) else last
    if method == "composite":
        st.selectbox(tr("ideas.preset"), PRESETS, format_func=lambda p: tr(f"ideas.preset.{p}"),
                     key="ideas_preset", on_change=_apply_preset)
        st.caption(tr(f"ideas.preset_desc.{st.session_state['ideas_preset']}"))
        with st.expander(tr("ideas.weights"), expanded=True):
            st.caption(tr("ideas.weights_help"))
            for f in ideas_features.FEATURES:
                st.slider(tr(f"ideas.feature.{f}"), -2.0, 2.0, step=0.25, key=f"ideas_w_{f}")
        weights = {f: float(st.session_state[f"ideas_w_{f}"]) for f in ideas_features.FEATURES}
        if weights != ideas_scoring.preset_weights(st.session_state["ideas_preset"]):
            st.caption(f"✏️ {tr('ideas.preset.custom')}")
    else:
        weights = {}
        st.caption(tr("ideas.method_desc.model"))

weight_key = tuple(sorted(weights.items()))
with errors.errors_shown(stop=True), st.spinner(tr("ideas.spinner")):
    scores, ev = _scores(fingerprint, market, method, weight_key)
    session = ideas_ranking.resolve_session(fs, as_of)
    table = _ranked(fingerprint, market, method, weight_key, session, lang)
    sparks, contrib_fig = _rank_figure(fingerprint, market, method, weight_key, session, lang)

pos = fs.sessions.get_loc(session)
data_day = fs.sessions[pos - 1].date() if pos > 0 else session.date()
provisional = " " + tr("ideas.provisional") if session > fs.last_close else ""
st.caption(tr("ideas.as_of_caption", session=session.date(), data=data_day) + provisional)

names = {r["code"]: (r["name_zh"] if lang == "zh" else r["name_en"]) for r in funds.to_dict("records")}
categories = dict(zip(funds["code"], funds["category"]))

tab_rank, tab_detail, tab_ev, tab_method = st.tabs(
    [tr("ideas.tab.ranking"), tr("ideas.tab.detail"), tr("ideas.tab.evidence"), tr("ideas.tab.method")])

with tab_rank:
    scored = table[table["rank"].notna()]
    view = pd.DataFrame({
        tr("ideas.col.rank"): scored["rank"].astype(int),
        tr("ideas.col.fund"): [names.get(c, c) for c in scored["code"]],
        tr("ideas.col.code"): scored["code"],
        tr("ideas.col.category"): [tr(f"category.{categories.get(c, 'other')}") for c in scored["code"]],
        tr("ideas.col.score"): scored["score"].round(3),
        tr("ideas.col.rank_change"): scored["rank_change"],
        tr("ideas.col.trend"): sparks,
        tr("ideas.col.why"): scored["why"],
    })
    st.dataframe(view, hide_index=True, width="stretch", key="ideas_table", column_config={
        tr("ideas.col.trend"): st.column_config.LineChartColumn(tr("ideas.col.trend"), width="small"),
        tr("ideas.col.score"): st.column_config.NumberColumn(format="%+.3f"),
        tr("ideas.col.rank_change"): st.column_config.NumberColumn(format="%+d"),
    })
    unscored = table[table["rank"].isna()]
    if len(unscored):
        with st.expander(f"{tr('ideas.unscored')} ({len(unscored)})"):
            st.dataframe(pd.DataFrame({
                tr("ideas.col.fund"): [names.get(c, c) for c in unscored["code"]],
                tr("ideas.col.code"): unscored["code"],
                tr("ideas.col.reason"): [reason_text(r) for r in unscored["reason"]],
            }), hide_index=True, width="stretch")
    if contrib_fig is not None:
        st.plotly_chart(contrib_fig, width="stretch")
    export = table.assign(name=[names.get(c, c) for c in table["code"]],
                          reason=[reason_text(r) if r else "" for r in table["reason"]])
    export = export[["session", "rank", "code", "name", "score", "rank_change", "why", "reason",
                     *[f"c_{f}" for f in ideas_features.FEATURES]]]
    # the data's provenance travels with the file (demo data stays labelled as demo)
    export = export.assign(data_source=f"{DEMO_PRICE_SOURCE} (演示数据 / demo data)" if resources.is_demo_market()
                           else resources.settings().market_provider)
    st.download_button(tr("ideas.export"), to_safe_csv(export.assign(session=export["session"].dt.date.astype(str))),
                       file_name=f"fund_ideas_{method}_{session.date()}.csv", mime="text/csv")

with tab_detail:
    codes = list(table["code"])
    code = st.selectbox(tr("ideas.pick_fund"), codes, format_func=lambda c: f"{names.get(c, c)} ({c})",
                        key="ideas_fund")
    row = table.set_index("code").loc[code]
    if pd.isna(row["rank"]):
        st.warning(tr("ideas.detail.no_data", reason=reason_text(row["reason"])))
    else:
        st.markdown(f"**#{int(row['rank'])}** · {tr('ideas.col.score')} {row['score']:+.3f} · {row['why']}")
    st.plotly_chart(_detail_figure(fingerprint, market, method, weight_key, session, code, lang), width="stretch")

with tab_ev:
    verdict = verdict_text(ev, lang, is_demo=resources.is_demo_market() or fs.is_demo)
    (st.success if ev.verdict == "edge" else st.warning)(verdict)
    m = st.columns(6)

    def _fmt(x: float, spec: str) -> str:
        return "—" if x is None or pd.isna(x) else format(x, spec)

    m[0].metric(tr("ideas.evidence.metric.ic"), _fmt(ev.mean_ic, "+.3f"))
    m[1].metric(tr("ideas.evidence.metric.t"), _fmt(ev.ic_tstat, "+.2f"))
    m[2].metric(tr("ideas.evidence.metric.hit"), _fmt(ev.hit_rate, ".0%"))
    m[3].metric(tr("ideas.evidence.metric.spread"), _fmt(ev.quintile_spread, "+.2%"),
                help=tr("ideas.evidence.metric.spread_help"))
    m[4].metric(tr("ideas.evidence.metric.turnover"), _fmt(ev.top_turnover, ".0%"))
    m[5].metric(tr("ideas.evidence.metric.n"), f"{ev.n_dates}")
    if method == "composite":
        st.caption(tr("ideas.evidence.weights_note"))
    ic_fig, curve_fig = _evidence_figures(fingerprint, market, method, weight_key, lang)
    st.plotly_chart(ic_fig, width="stretch")
    st.plotly_chart(curve_fig, width="stretch")
    st.caption(tr("ideas.evidence.how", nw=_fmt(ev.nw_tstat, "+.2f")))

with tab_method:
    st.markdown(tr("ideas.method_text"))
    if method == "model" and len(scores.models):
        coef = scores.models.rename(columns=lambda c: tr(f"ideas.feature.{c}"))
        coef.index = coef.index.date
        st.dataframe(coef.round(4), width="stretch")
