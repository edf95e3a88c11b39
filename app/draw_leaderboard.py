"""What the leaderboard page draws: the screening figures, the ranked table (a row click or
the picker opens that portfolio's page), the Sharpe-by-rank chart with the luck line, the
portfolios left out for missing prices, and the published rules with their formulas."""

from __future__ import annotations

from typing import Any

import pandas as pd
import streamlit as st

from socialfund.core import ranking_rules
from socialfund.core.sessions import MAX_CARRY_SESSIONS
from socialfund.services import leaderboard
from socialfund.view.charts.leaderboard import sharpe_by_rank
from socialfund.view.price_gaps import unpriced_text

from app import forms_portfolio, navigation, session

#: The table's columns, in order ("closed" is added when closed portfolios are included).
COLUMNS: tuple[str, ...] = ("rank", "name", "owner", "style", "dsr", "psr", "sharpe", "luck_sharpe", "total_return",
                            "max_drawdown", "volatility", "calmar", "risk_class", "sessions", "followers", "copiers")


def _column_config(rf: float) -> dict[str, Any]:
    tr = session.tr
    rf_text = f"{rf:.2%}"
    cc = st.column_config
    return {
        "rank": cc.NumberColumn(tr("lb.col.rank"), format="%d", width="small"),
        "name": cc.TextColumn(tr("lb.col.name")),
        "owner": cc.TextColumn(tr("lb.col.owner")),
        "style": cc.TextColumn(tr("lb.col.style")),
        "dsr": cc.ProgressColumn(tr("lb.col.dsr"), help=tr("lb.help.dsr"), format="%.3f", min_value=0.0,
                                 max_value=1.0),
        "psr": cc.NumberColumn(tr("lb.col.psr"), help=tr("lb.help.psr"), format="%.3f"),
        "sharpe": cc.NumberColumn(tr("lb.col.sharpe"), help=tr("lb.help.sharpe", rf=rf_text), format="%.2f"),
        "luck_sharpe": cc.NumberColumn(tr("lb.col.luck_sharpe"), help=tr("lb.help.luck_sharpe"), format="%.2f"),
        "total_return": cc.NumberColumn(tr("lb.col.total_return"), help=tr("lb.help.total_return"), format="percent"),
        "max_drawdown": cc.NumberColumn(tr("lb.col.max_drawdown"), help=tr("lb.help.max_drawdown"), format="percent"),
        "volatility": cc.NumberColumn(tr("lb.col.volatility"), help=tr("lb.help.volatility"), format="percent"),
        "calmar": cc.NumberColumn(tr("lb.col.calmar"), help=tr("lb.help.calmar"), format="%.2f"),
        "risk_class": cc.NumberColumn(tr("lb.col.risk_class"), help=tr("lb.help.risk_class"), format="%d"),
        "sessions": cc.NumberColumn(tr("lb.col.sessions"), help=tr("lb.help.sessions"), format="%d"),
        "followers": cc.NumberColumn(tr("lb.col.followers"), help=tr("lb.help.popularity"), format="%d"),
        "copiers": cc.NumberColumn(tr("lb.col.copiers"), help=tr("lb.help.popularity"), format="%d"),
        "closed": cc.CheckboxColumn(tr("lb.col.closed")),
        "status": cc.TextColumn(tr("lb.col.status")),
    }


def figures(summary: ranking_rules.ScreenSummary, shown: int, rf: float, sort_label: str) -> None:
    """N screened, eligible, shown, the best Sharpe by luck alone; data date and rules."""
    tr = session.tr
    m1, m2, m3, m4 = st.columns(4)
    m1.metric(tr("lb.screened"), summary.n_screened, help=tr("lb.screened_help"))
    m2.metric(tr("lb.eligible"), summary.n_eligible)
    m3.metric(tr("lb.shown"), shown)
    m4.metric(tr("lb.luck_sharpe"), f"{summary.expected_best_sharpe:.2f}", help=tr("lb.luck_help"))
    st.caption(tr("lb.as_of", as_of=summary.as_of.isoformat(), rf=f"{rf:.2%}", version=summary.rules_version))
    st.caption(tr("lb.sort_note", label=sort_label))


def _open(pid: int) -> None:
    st.session_state[forms_portfolio.PORTFOLIO_KEY] = int(pid)
    st.switch_page(navigation.PORTFOLIO.path)


def ranked(table: pd.DataFrame, summary: ranking_rules.ScreenSummary, include_closed: bool, rf: float) -> None:
    """The ranked table, the picker that opens a portfolio, and the Sharpe-by-rank chart."""
    tr = session.tr
    view = table.rename(columns={"owner_name": "owner"})
    view.attrs = {}  # the screen summary is shown above; Arrow cannot serialise it
    # a deleted public portfolio stays in the record, closed on its deletion day: say so
    view["status"] = ["" if pd.isna(day) else tr("lb.deleted_on", day=day.isoformat()) for day in view["deleted_on"]]
    columns = [*COLUMNS, "closed", "status"] if include_closed else list(COLUMNS)
    event = st.dataframe(view[columns], hide_index=True, width="stretch", column_config=_column_config(rf),
                         on_select="rerun", selection_mode="single-row", key="lb_table", height=420)
    st.caption(tr("lb.popularity"))
    if include_closed:
        st.caption(tr("lb.deleted_note"))
    selected = getattr(getattr(event, "selection", None), "rows", None)
    if selected:
        _open(int(view.iloc[selected[0]]["portfolio_id"]))

    o1, o2 = st.columns([4, 1], vertical_alignment="bottom")
    labels = {int(r.portfolio_id): f"#{r.rank} {r.name} (id {r.portfolio_id})" for r in table.itertuples()}
    pick = o1.selectbox(tr("lb.pick"), list(labels), format_func=lambda pid: labels[pid], key="lb_pick")
    if o2.button(tr("lb.open"), key="lb_open", type="primary", width="stretch"):
        _open(int(pick))

    fig = sharpe_by_rank(table, title=tr("lb.chart_title"), luck_label=tr("lb.chart_luck"),
                         x_label=tr("lb.chart_x"), y_label=tr("lb.chart_y"))
    st.plotly_chart(fig, width="stretch")
    st.caption(tr("lb.chart_note", n=summary.n_screened, z=summary.luck_z))


def excluded(rows: list[dict[str, Any]]) -> None:
    """The public portfolios left out of the ranking (a holding without usable prices), with
    the reason in words; nothing when there are none."""
    if not rows:
        return
    tr = session.tr
    st.warning(tr("lb.excluded.title", n=len(rows)))
    st.caption(tr("lb.excluded.note", n=MAX_CARRY_SESSIONS))
    lang = session.lang()
    view = pd.DataFrame({tr("lb.excluded.col.id"): [int(r["portfolio_id"]) for r in rows],
                         tr("lb.excluded.col.name"): [str(r["name"]) for r in rows],
                         tr("lb.excluded.col.reason"): [unpriced_text(r, lang) for r in rows]})
    st.dataframe(view, hide_index=True, width="stretch", key="lb_excluded")


def rules(published: ranking_rules.LeaderboardRules, version: str, rf: float, lang: str) -> None:
    """The published rules: the four gates, the rules in words, the formulas and the
    metric definitions that differ from empyrical's."""
    tr = session.tr
    with st.expander(tr("lb.rules"), expanded=False):
        st.markdown(f"**{tr('lb.gates')}** ({version})")
        st.markdown("\n".join([
            f"1. {tr('lb.gate.public')}",
            f"2. {tr('lb.gate.track', n=published.min_sessions)}",
            f"3. {tr('lb.gate.window')}",
            f"4. {tr('lb.gate.active', n=published.max_days_since_rebalance)}",
        ]))
        st.write(leaderboard.rules_description(published, lang))
        st.markdown(f"**{tr('lb.formulas')}**")
        st.markdown(tr("lb.formula.text", rf=f"{rf:.2%}"))
        st.markdown(f"**{tr('lb.definitions')}**")
        st.markdown(tr("lb.definitions.text"))
