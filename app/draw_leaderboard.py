"""What the leaderboard page draws: the screening figures, whether any portfolio beats the
luck line, the ranked table with "why this rank" in words (a row click or the picker, both
keyed on the rows shown, picks a portfolio; its row actions open, paper-copy or follow it), the Sharpe-by-rank chart with the luck line, the
portfolios left out for missing prices, and the published rules with their formulas."""

from __future__ import annotations

import hashlib
from typing import Any

import pandas as pd
import streamlit as st

from socialfund.core import ranking_rules
from socialfund.core.sessions import MAX_CARRY_SESSIONS
from socialfund.services import follows, leaderboard
from socialfund.view import formats, rank_words
from socialfund.view.formats import PCT_COLUMN_FORMAT
from socialfund.view.charts.leaderboard import sharpe_by_rank
from socialfund.view.price_gaps import unpriced_text

from app import cached_portfolios, chrome, errors, forms_portfolio, navigation, resources, session
from app.session import User

#: The table's columns, in order ("closed" is added when closed portfolios are included): the
#: ranking figures and drawdown and risk class fit at 1280 px without scrolling sideways
#: (finding 10); the secondary figures are shown in the picked row's panel (``SECONDARY``).
COLUMNS: tuple[str, ...] = ("rank", "name", "dsr", "sharpe", "luck_sharpe", "total_return", "max_drawdown",
                            "risk_class", "owner")
#: Columns of fractions, shown in percent points with one precision.
PERCENT_COLUMNS = ("total_return", "max_drawdown", "volatility")
#: The picked row's other figures, in its panel: (column, how it is shown).
SECONDARY: tuple[tuple[str, str], ...] = (("style", "text"), ("psr", "num3"), ("volatility", "pct"),
                                          ("calmar", "num2"), ("sessions", "int"), ("followers", "int"),
                                          ("copiers", "int"))


def _column_config(rf: float) -> dict[str, Any]:
    tr = session.tr
    rf_text = f"{rf:.2%}"
    cc = st.column_config
    return {
        "rank": cc.NumberColumn(tr("lb.col.rank"), format="%d", width=40),
        "name": cc.TextColumn(tr("lb.col.name"), width=140),
        "owner": cc.TextColumn(tr("lb.col.owner"), width=90),
        "style": cc.TextColumn(tr("lb.col.style")),
        "dsr": cc.ProgressColumn(tr("lb.col.dsr"), help=tr("lb.help.dsr"), format="%.3f", min_value=0.0,
                                 max_value=1.0, width=120),
        "psr": cc.NumberColumn(tr("lb.col.psr"), help=tr("lb.help.psr"), format="%.3f"),
        "sharpe": cc.NumberColumn(tr("lb.col.sharpe"), help=tr("lb.help.sharpe", rf=rf_text), format="%.2f",
                                   width=95),
        "luck_sharpe": cc.NumberColumn(tr("lb.col.luck_sharpe"), help=tr("lb.help.luck_sharpe"), format="%.2f",
                                        width=105),
        "total_return": cc.NumberColumn(tr("lb.col.total_return"), help=tr("lb.help.total_return"),
                                        format=PCT_COLUMN_FORMAT, width=85),
        "max_drawdown": cc.NumberColumn(tr("lb.col.max_drawdown"), help=tr("lb.help.max_drawdown"),
                                        format=PCT_COLUMN_FORMAT, width=95),
        "volatility": cc.NumberColumn(tr("lb.col.volatility"), help=tr("lb.help.volatility"), format=PCT_COLUMN_FORMAT),
        "calmar": cc.NumberColumn(tr("lb.col.calmar"), help=tr("lb.help.calmar"), format="%.2f"),
        "risk_class": cc.NumberColumn(tr("lb.col.risk_class"), help=tr("lb.help.risk_class"), format="%d",
                                      width=75),
        "sessions": cc.NumberColumn(tr("lb.col.sessions"), help=tr("lb.help.sessions"), format="%d"),
        "followers": cc.NumberColumn(tr("lb.col.followers"), help=tr("lb.help.popularity"), format="%d"),
        "copiers": cc.NumberColumn(tr("lb.col.copiers"), help=tr("lb.help.popularity"), format="%d"),
        "closed": cc.CheckboxColumn(tr("lb.col.closed")),
        "status": cc.TextColumn(tr("lb.col.status")),
        "why": cc.TextColumn(tr("lb.why_col"), width="medium"),
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


def open_params(pid: int) -> dict[str, str]:
    """The portfolio page's query parameters for ``pid``, language kept: set in the same call
    as the page switch, so opening a portfolio is ONE browser history entry and Back returns
    to the leaderboard in one press (finding 10; a switch followed by a rewrite of
    ``?portfolio=`` pushed two)."""
    params = {forms_portfolio.PORTFOLIO_PARAM: str(int(pid))}
    lang = st.query_params.get(session.LANG_PARAM)
    if lang:
        params[session.LANG_PARAM] = lang
    return params


def _open(pid: int, copy: bool = False) -> None:
    st.session_state[forms_portfolio.PORTFOLIO_KEY] = int(pid)
    st.session_state[forms_portfolio.PAPER_COPY_KEY] = copy
    st.switch_page(navigation.PORTFOLIO.path, query_params=open_params(pid))


def secondary_text(row: dict[str, Any]) -> str:
    """The picked row's figures that are not table columns, one line ("·"-separated)."""
    tr = session.tr
    parts = []
    for key, kind in SECONDARY:
        value = row.get(key)
        if value is None or (not isinstance(value, str) and pd.isna(value)):
            shown = "—"
        elif kind == "text":
            shown = str(value) or "—"
        elif kind == "pct":
            shown = formats.percent(float(value))
        elif kind == "num3":
            shown = f"{float(value):.3f}"
        elif kind == "num2":
            shown = f"{float(value):.2f}"
        else:
            shown = f"{int(value):,}"
        parts.append(f"{tr(f'lb.col.{key}')} {shown}")
    return " · ".join(parts)


def view_fingerprint(ids: list[int]) -> str:
    """A short name of the rows in their order: the table's selection and the picker are
    keyed on it, so a new window, sort or filter never keeps a row index or a pick that
    meant another portfolio (finding 2)."""
    return hashlib.sha1(",".join(map(str, ids)).encode()).hexdigest()[:10]


def luck_notice(table: pd.DataFrame, summary: ranking_rules.ScreenSummary) -> None:
    """Above the table: whether any listed portfolio beats its luck line (finding 13)."""
    tr = session.tr
    k = rank_words.cleared(table)
    if k == 0:
        st.warning(tr("lb.none_clear", n=summary.n_screened), icon="🎲")
    else:
        st.caption(tr("lb.some_clear", k=k, n=len(table)))


def _row_follow(pid: int, name: str, user: User) -> None:
    tr = session.tr
    if not user.signed_in or user.id is None:
        st.caption(tr("lb.row_follow_signin"))
        return
    store = resources.store()
    following = follows.is_following(store, user.id, pid)
    if st.button(tr("lb.row_unfollow") if following else tr("lb.row_follow"), key=f"lb_follow_{pid}",
                 width="stretch"):
        with errors.errors_shown():
            (follows.unfollow if following else follows.follow)(store, user.id, pid)
            cached_portfolios.forget_reports()
            st.session_state[_FOLLOW_FLASH] = tr("lb.row_unfollowed" if following else "lb.row_followed", name=name)
            st.rerun()


_FOLLOW_FLASH = "_lb_follow_flash"


def row_actions(view: pd.DataFrame, words: list[str], fingerprint: str, user: User) -> None:
    """The picked row (a click in the table or the picker, both keyed on the view): its
    rank in words, and open / paper copy / follow for exactly that portfolio."""
    tr = session.tr
    ids = [int(i) for i in view["portfolio_id"]]
    by_id = {pid: (r, w) for pid, r, w in zip(ids, view.to_dict("records"), words)}
    labels = {pid: tr("lb.row_title", rank=int(r["rank"]), name=r["name"], id=pid) for pid, (r, _) in by_id.items()}
    pick = st.selectbox(tr("lb.pick"), ids, format_func=lambda pid: labels[pid], key=f"lb_pick_{fingerprint}",
                        placeholder=tr("ui.choose_one"))
    row, why = by_id[int(pick)]
    with st.container(border=True):
        st.markdown(f"**{chrome.plain(labels[int(pick)])}**")
        st.write(why)
        st.caption(chrome.plain(secondary_text(row)))
        flash = st.session_state.pop(_FOLLOW_FLASH, None)
        if flash:
            st.success(flash)
            st.page_link(navigation.MY_PORTFOLIOS.path, label=tr("lb.follows_link"), icon="🗂️")
        a1, a2, a3 = st.columns(3)
        if a1.button(tr("lb.row_open"), key="lb_open", type="primary", width="stretch"):
            _open(int(pick))
        if a2.button(tr("lb.row_copy"), key="lb_copy", width="stretch"):
            _open(int(pick), copy=True)
        with a3:
            _row_follow(int(pick), str(row["name"]), user)


def ranked(table: pd.DataFrame, summary: ranking_rules.ScreenSummary, include_closed: bool, rf: float,
           user: User, sort_label: str) -> None:
    """The luck notice, the ranked table with "why this rank" on every row, the screening
    figures, the row actions and the Sharpe-by-rank chart."""
    tr = session.tr
    view = table.rename(columns={"owner_name": "owner"}).reset_index(drop=True)
    view.attrs = {}  # the screen summary is shown above; Arrow cannot serialise it
    # a deleted public portfolio stays in the record, closed on its deletion day: say so
    view["status"] = ["" if pd.isna(day) else tr("lb.deleted_on", day=day.isoformat()) for day in view["deleted_on"]]
    words = rank_words.table_words(view, summary.n_screened, session.lang())
    view["why"] = words
    columns = [*COLUMNS, "why", "closed", "status"] if include_closed else [*COLUMNS, "why"]
    ids = [int(i) for i in view["portfolio_id"]]
    fingerprint = view_fingerprint(ids)
    table_key, pick_key = f"lb_table_{fingerprint}", f"lb_pick_{fingerprint}"

    def _row_clicked() -> None:
        rows = st.session_state[table_key]["selection"]["rows"]
        if rows:
            st.session_state[pick_key] = ids[rows[0]]

    luck_notice(view, summary)
    shown = formats.percent_points(view[columns], PERCENT_COLUMNS)   # one precision: PCT_COLUMN_FORMAT
    st.dataframe(shown, hide_index=True, width="stretch", column_config=_column_config(rf),
                 on_select=_row_clicked, selection_mode="single-row", key=table_key, height=420)
    st.caption(tr("lb.select_hint"))   # below the table: on a phone the table starts above the fold
    figures(summary, len(view), rf, sort_label)
    st.caption(tr("lb.popularity"))
    if include_closed:
        st.caption(tr("lb.deleted_note"))
    row_actions(view, words, fingerprint, user)

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
