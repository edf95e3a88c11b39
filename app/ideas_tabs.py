"""The Fund ideas page's drawing: the sidebar controls (method, as-of date, preset and
weights) and one function per tab (ranking, fund detail, evidence, method). Each takes
``tr`` bound to the run's language (``format_func`` callbacks may run outside the script
run) and what the page has prepared from ``app.cached_ideas``."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass

import pandas as pd
import streamlit as st
from plotly.graph_objects import Figure

from socialfund.core.sessions import MAX_CARRY_SESSIONS
from socialfund.core.sources import DEMO_PRICE_SOURCE
from socialfund.ideas import display
from socialfund.ideas import features as ideas_features
from socialfund.ideas import scoring as ideas_scoring
from socialfund.ideas.evidence import Evidence
from socialfund.ideas.features import FeatureSet
from socialfund.io.exports import to_safe_csv, with_headers
from socialfund.view.i18n import keys as i18n_keys

from app import resources

Tr = Callable[..., str]
PRESET_KEY = "ideas_preset"      # widget / session state: the chosen weight preset
WEIGHT_KEY = "ideas_w_{}"        # widget / session state: one feature's weight


def reason_text(tr: Tr, reason: str) -> str:
    """Why a fund has no score, in words when the reason has a translation."""
    key = f"ideas.reason.{reason}"
    if key in i18n_keys():
        return tr(key)
    since = ideas_features.stale_since(reason)
    if since is not None:
        return tr("ideas.reason.no_price_since", since=since, n=MAX_CARRY_SESSIONS)
    return reason


@dataclass(frozen=True)
class Controls:
    method: str
    as_of: dt.date
    weights: dict[str, float]   # {} for the model

    @property
    def weight_key(self) -> tuple[tuple[str, float], ...]:
        return tuple(sorted(self.weights.items()))


def _apply_preset() -> None:
    for f, v in ideas_scoring.preset_weights(st.session_state[PRESET_KEY]).items():
        st.session_state[WEIGHT_KEY.format(f)] = float(v)


def controls(tr: Tr, fs: FeatureSet) -> Controls:
    """The sidebar: method, as-of date and, for the composite, preset and weights."""
    # Widget state is dropped while a widget is not shown (e.g. in model mode): restore it.
    st.session_state.setdefault(PRESET_KEY, ideas_scoring.DEFAULT_PRESET)
    for f, v in ideas_scoring.preset_weights(st.session_state[PRESET_KEY]).items():
        st.session_state.setdefault(WEIGHT_KEY.format(f), float(v))
    with st.sidebar:
        method = st.radio(tr("ideas.method"), ideas_scoring.METHODS, format_func=lambda m: tr(f"ideas.method.{m}"),
                          key="ideas_method")
        last = fs.sessions[-1].date()
        picked = st.date_input(tr("ideas.as_of"), value=last, min_value=fs.sessions[0].date(), max_value=last,
                               help=tr("ideas.as_of_help"), key="ideas_as_of")
        as_of = picked if isinstance(picked, dt.date) else last
        if method != "composite":
            st.caption(tr("ideas.method_desc.model"))
            return Controls(method, as_of, {})
        st.selectbox(tr("ideas.preset"), list(ideas_scoring.PRESETS), format_func=lambda p: tr(f"ideas.preset.{p}"),
                     key=PRESET_KEY, on_change=_apply_preset, placeholder=tr("ui.choose_one"))
        st.caption(tr(f"ideas.preset_desc.{st.session_state[PRESET_KEY]}"))
        with st.expander(tr("ideas.weights"), expanded=True):
            st.caption(tr("ideas.weights_help"))
            for f in ideas_features.FEATURES:
                st.slider(tr(f"ideas.feature.{f}"), -2.0, 2.0, step=0.25, key=WEIGHT_KEY.format(f))
        weights = {f: float(st.session_state[WEIGHT_KEY.format(f)]) for f in ideas_features.FEATURES}
        if weights != ideas_scoring.preset_weights(st.session_state[PRESET_KEY]):
            st.caption(f"✏️ {tr('ideas.preset.custom')}")
    return Controls(method, as_of, weights)


def _ranked_table(tr: Tr, view: pd.DataFrame) -> None:
    st.dataframe(view, hide_index=True, width="stretch", key="ideas_table", column_config={
        tr("ideas.col.trend"): st.column_config.LineChartColumn(tr("ideas.col.trend"), width="small",
                                                              color="auto-inverse"),  # own direction: red up
        tr("ideas.col.score"): st.column_config.NumberColumn(format="%+.3f"),
        tr("ideas.col.rank_change"): st.column_config.NumberColumn(format="%+d"),
    })


def ranking_tab(tr: Tr, table: pd.DataFrame, names: Mapping[str, str], categories: Mapping[str, str],
                sparks: list[list[float]], contrib_fig: Figure | None, method: str, session: pd.Timestamp) -> None:
    scored = table[table["rank"].notna()]
    unscored = table[table["rank"].isna()]
    if scored.empty:
        # finding 9 (issue 14): an as-of date that yields nothing says why, not an empty table
        reasons = pd.Series([reason_text(tr, r) for r in unscored["reason"]]).value_counts()
        top = "; ".join(f"{why} ({n})" for why, n in reasons.head(3).items())
        st.warning(tr("ideas.as_of_nothing", session=session.date(), n=len(unscored), reasons=top or "—"))
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
    if not scored.empty:
        _ranked_table(tr, view)
    if len(unscored):
        with st.expander(f"{tr('ideas.unscored')} ({len(unscored)})", expanded=scored.empty):
            st.dataframe(pd.DataFrame({
                tr("ideas.col.fund"): [names.get(c, c) for c in unscored["code"]],
                tr("ideas.col.code"): unscored["code"],
                tr("ideas.col.reason"): [reason_text(tr, r) for r in unscored["reason"]],
            }), hide_index=True, width="stretch")
    if contrib_fig is not None:
        st.plotly_chart(contrib_fig, width="stretch")
    # the data's provenance travels with the file (demo data stays labelled as demo)
    source = (f"{DEMO_PRICE_SOURCE} (演示数据 / demo data)" if resources.is_demo_market()
              else resources.settings().market_provider)
    export = display.export_frame(table, names, [reason_text(tr, r) if r else "" for r in table["reason"]], source)
    e1, e2 = st.columns(2)
    e1.download_button(tr("ideas.export"), to_safe_csv(with_headers(export, export_labels(tr))),
                       file_name=f"fund_ideas_{method}_{session.date()}.csv", mime="text/csv", on_click="ignore",
                       key="ideas-export")
    e2.download_button(tr("export.headers.machine"), to_safe_csv(export),
                       file_name=f"fund_ideas_{method}_{session.date()}.fields.csv", mime="text/csv",
                       on_click="ignore", key="ideas-export-fields")


#: The export's own columns and their header key (features' contributions are ``c_<feature>``).
EXPORT_HEADER_KEYS = {"session": "ideas.export.session", "rank": "ideas.col.rank", "code": "ideas.col.code",
                      "name": "ideas.col.fund", "score": "ideas.col.score", "rank_change": "ideas.col.rank_change",
                      "why": "ideas.col.why", "reason": "ideas.col.reason", "data_source": "ideas.export.source"}


def export_labels(tr: Tr) -> dict[str, str]:
    """The readable export's headers (issue 14, finding 8: translated, as the sentiment
    export's); the machine-readable variant keeps the field names."""
    labels = {field: tr(key) for field, key in EXPORT_HEADER_KEYS.items()}
    labels |= {f"c_{f}": tr("ideas.export.contribution", feature=tr(f"ideas.feature.{f}"))
               for f in ideas_features.FEATURES}
    return labels


def detail_tab(tr: Tr, table: pd.DataFrame, names: Mapping[str, str],
               figure: Callable[[str], Figure]) -> None:
    """Pick a fund: its rank and reasons, and ``figure(code)``, its history chart."""
    code = st.selectbox(tr("ideas.pick_fund"), list(table["code"]), format_func=lambda c: f"{names.get(c, c)} ({c})",
                        key="ideas_fund", placeholder=tr("ui.choose_one"))
    row = table.set_index("code").loc[code]
    if pd.isna(row["rank"]):
        st.warning(tr("ideas.detail.no_data", reason=reason_text(tr, row["reason"])))
    else:
        st.markdown(f"**#{int(row['rank'])}** · {tr('ideas.col.score')} {row['score']:+.3f} · {row['why']}")
    st.plotly_chart(figure(code), width="stretch")


def _fmt(x: float | None, spec: str) -> str:
    return "—" if x is None or pd.isna(x) else format(x, spec)


def evidence_tab(tr: Tr, ev: Evidence, verdict: str, method: str, figures: tuple[Figure, Figure]) -> None:
    (st.success if ev.verdict == "edge" else st.warning)(verdict)
    m = st.columns(6)
    m[0].metric(tr("ideas.evidence.metric.ic"), _fmt(ev.mean_ic, "+.3f"))
    m[1].metric(tr("ideas.evidence.metric.t"), _fmt(ev.ic_tstat, "+.2f"))
    m[2].metric(tr("ideas.evidence.metric.hit"), _fmt(ev.hit_rate, ".2%"))
    m[3].metric(tr("ideas.evidence.metric.spread"), _fmt(ev.quintile_spread, "+.2%"),
                help=tr("ideas.evidence.metric.spread_help"))
    m[4].metric(tr("ideas.evidence.metric.turnover"), _fmt(ev.top_turnover, ".2%"))
    m[5].metric(tr("ideas.evidence.metric.n"), f"{ev.n_dates}")
    if method == "composite":
        st.caption(tr("ideas.evidence.weights_note"))
    ic_fig, curve_fig = figures
    st.plotly_chart(ic_fig, width="stretch")
    st.plotly_chart(curve_fig, width="stretch")
    st.caption(tr("ideas.evidence.how", nw=_fmt(ev.nw_tstat, "+.2f")))


def method_tab(tr: Tr, method: str, scores: ideas_scoring.Scores) -> None:
    st.markdown(tr("ideas.method_text"))
    if method == "model" and len(scores.models):
        coef = scores.models.rename(columns=lambda c: tr(f"ideas.feature.{c}"))
        coef.index = coef.index.date
        st.dataframe(coef.round(4), width="stretch")
