"""Leaderboard: public portfolios ranked by the versioned rules (deflated Sharpe by default)."""

from __future__ import annotations

import datetime as dt

import streamlit as st

from app import errors, navigation, resources, session
from socialfund.store import community
from socialfund.services import leaderboard
from socialfund.view.charts.leaderboard import sharpe_by_rank
from socialfund.view.i18n import t

navigation.require_router()

lang = session.lang()
tr = session.tr


@st.cache_data(ttl=600, max_entries=16, show_spinner=False)
def _inputs(as_of: dt.date | None, fingerprint: str) -> leaderboard.CommunityNav:
    # Public portfolios only (leaderboard.community_nav filters), so one shared cache is fine;
    # the community fingerprint in the key drops it the moment a portfolio turns private.
    return leaderboard.community_nav(resources.store(), resources.provider(), as_of)


@st.cache_data(ttl=600, max_entries=16, show_spinner=False)
def _table(window: str, as_of: dt.date | None, sort_by: str, include_closed: bool, rf: float,  # type: ignore[no-untyped-def]
           fingerprint: str):
    return leaderboard.leaderboard_table(resources.store(), resources.provider(), window, sort_by=sort_by,
                                         include_closed=include_closed, rf=rf, inputs=_inputs(as_of, fingerprint))


st.title(tr("lb.title"))
st.write(tr("lb.intro"))

rf = resources.settings().risk_free
rules = leaderboard.leaderboard_rules(rf)
c1, c2 = st.columns([3, 2])
window = c1.radio(tr("lb.window"), leaderboard.WINDOWS, index=leaderboard.WINDOWS.index("1Y"), horizontal=True,
                  format_func=lambda w: t(f"lb.window.{w}", lang), key="lb_window")


def _sort_label(key: str) -> str:
    return t(f"lb.sort.{key}", lang)


sort_by = c2.selectbox(tr("lb.sort"), list(leaderboard.SORT_KEYS), index=0, format_func=_sort_label, key="lb_sort")

with st.sidebar:
    st.subheader(tr("lb.filters"))
    include_closed = st.toggle(tr("lb.include_closed"), value=False, help=tr("lb.include_closed_help"),
                               key="lb_closed")
    risk_classes = st.multiselect(tr("lb.risk_class"), list(range(1, 8)), default=[], key="lb_risk",
                                  placeholder=tr("lb.all"))
    min_track = st.number_input(tr("lb.min_track"), min_value=0, max_value=2000, value=0, step=20, key="lb_track")
    st.caption(tr("lb.filter_note"))

with errors.errors_shown(stop=True), st.spinner():
    full = _table(window, None, sort_by, include_closed, rf, community.community_fingerprint(resources.store()))
summary = full.attrs["screen_summary"]
styles = sorted(full["style"].dropna().unique())
with st.sidebar:
    chosen_styles = st.multiselect(tr("lb.style"), styles, default=[], key="lb_styles",
                                    placeholder=tr("lb.all"))

table = full
if risk_classes:
    table = table.loc[table["risk_class"].isin(risk_classes)]
if chosen_styles:
    table = table.loc[table["style"].isin(chosen_styles)]
if min_track:
    table = table.loc[table["track_sessions"] >= int(min_track)]

m1, m2, m3, m4 = st.columns(4)
m1.metric(tr("lb.screened"), summary.n_screened, help=tr("lb.screened_help"))
m2.metric(tr("lb.eligible"), summary.n_eligible)
m3.metric(tr("lb.shown"), len(table))
m4.metric(tr("lb.luck_sharpe"), f"{summary.expected_best_sharpe:.2f}", help=tr("lb.luck_help"))
st.caption(tr("lb.as_of", as_of=summary.as_of.isoformat(), rf=f"{rf:.2%}", version=summary.rules_version))
st.caption(tr("lb.sort_note", label=_sort_label(sort_by)))

if table.empty:
    st.info(tr("lb.empty"))
else:
    view = table.rename(columns={"owner_name": "owner"})
    view.attrs = {}  # the screen summary is shown above; Arrow cannot serialise it
    columns = ["rank", "name", "owner", "style", "dsr", "psr", "sharpe", "total_return", "max_drawdown",
               "volatility", "calmar", "risk_class", "sessions", "followers", "copiers"]
    if include_closed:
        columns.append("closed")
    rf_text = f"{rf:.2%}"
    cc = st.column_config
    config = {
        "rank": cc.NumberColumn(tr("lb.col.rank"), format="%d", width="small"),
        "name": cc.TextColumn(tr("lb.col.name")),
        "owner": cc.TextColumn(tr("lb.col.owner")),
        "style": cc.TextColumn(tr("lb.col.style")),
        "dsr": cc.ProgressColumn(tr("lb.col.dsr"), help=tr("lb.help.dsr"), format="%.3f", min_value=0.0,
                                 max_value=1.0),
        "psr": cc.NumberColumn(tr("lb.col.psr"), help=tr("lb.help.psr"), format="%.3f"),
        "sharpe": cc.NumberColumn(tr("lb.col.sharpe"), help=tr("lb.help.sharpe", rf=rf_text), format="%.2f"),
        "total_return": cc.NumberColumn(tr("lb.col.total_return"), help=tr("lb.help.total_return"), format="percent"),
        "max_drawdown": cc.NumberColumn(tr("lb.col.max_drawdown"), help=tr("lb.help.max_drawdown"), format="percent"),
        "volatility": cc.NumberColumn(tr("lb.col.volatility"), help=tr("lb.help.volatility"), format="percent"),
        "calmar": cc.NumberColumn(tr("lb.col.calmar"), help=tr("lb.help.calmar"), format="%.2f"),
        "risk_class": cc.NumberColumn(tr("lb.col.risk_class"), help=tr("lb.help.risk_class"), format="%d"),
        "sessions": cc.NumberColumn(tr("lb.col.sessions"), help=tr("lb.help.sessions"), format="%d"),
        "followers": cc.NumberColumn(tr("lb.col.followers"), help=tr("lb.help.popularity"), format="%d"),
        "copiers": cc.NumberColumn(tr("lb.col.copiers"), help=tr("lb.help.popularity"), format="%d"),
        "closed": cc.CheckboxColumn(tr("lb.col.closed")),
    }
    event = st.dataframe(view[columns], hide_index=True, width="stretch", column_config=config,
                         on_select="rerun", selection_mode="single-row", key="lb_table", height=420)
    st.caption(tr("lb.popularity"))
    selected = getattr(getattr(event, "selection", None), "rows", None)
    if selected:
        st.session_state["portfolio_id"] = int(view.iloc[selected[0]]["portfolio_id"])
        st.switch_page("pages/2_Portfolio.py")

    o1, o2 = st.columns([4, 1], vertical_alignment="bottom")
    labels = {int(r.portfolio_id): f"#{r.rank} {r.name} (id {r.portfolio_id})" for r in table.itertuples()}
    pick = o1.selectbox(tr("lb.pick"), list(labels), format_func=lambda pid: labels[pid], key="lb_pick")
    if o2.button(tr("lb.open"), key="lb_open", type="primary", width="stretch"):
        st.session_state["portfolio_id"] = int(pick)
        st.switch_page("pages/2_Portfolio.py")

    fig = sharpe_by_rank(table, summary.expected_best_sharpe, title=tr("lb.chart_title"), luck_label=tr("lb.chart_luck"),
                         x_label=tr("lb.chart_x"), y_label=tr("lb.chart_y"))
    st.plotly_chart(fig, width="stretch")
    st.caption(tr("lb.chart_note", n=summary.n_screened, luck=summary.expected_best_sharpe))

with st.expander(tr("lb.rules"), expanded=False):
    st.markdown(f"**{tr('lb.gates')}** ({summary.rules_version})")
    st.markdown("\n".join([
        f"1. {tr('lb.gate.public')}",
        f"2. {tr('lb.gate.track', n=rules.min_sessions)}",
        f"3. {tr('lb.gate.window')}",
        f"4. {tr('lb.gate.active', n=rules.max_days_since_rebalance)}",
    ]))
    st.write(leaderboard.rules_description(rules, lang))
    st.markdown(f"**{tr('lb.formulas')}**")
    st.markdown(tr("lb.formula.text", rf=f"{rf:.2%}"))
