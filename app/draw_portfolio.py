"""What the portfolio page draws from a ``PortfolioReport`` and paper-copy results: the
header (owner, activity, risk class, popularity, follow button), the performance tab (NAV
vs benchmark, drawdown, every metric with its formula), the holdings tab (targets, drifted
weights, rebalances), a copy's result (returns, chart, where the gap comes from, save) and
the viewer's saved copies replayed."""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import asdict
from typing import Any

import pandas as pd
import streamlit as st

from socialfund.copying import CopyParams, CopyResult
from socialfund.core.errors import NotFoundError, SocialFundError
from socialfund.market.fx import BASE_CURRENCY, fx_code
from socialfund.services import copies, follows
from socialfund.services.report import STALE_AFTER_DAYS, PortfolioReport
from socialfund.view.charts.portfolio import copy_vs_leader, drawdown_area, holdings_pie, nav_vs_benchmark, rebalance_bars
from socialfund.view import formats
from socialfund.view.charts import with_demo_label
from socialfund.view.formats import PCT_COLUMN_FORMAT
from socialfund.view.i18n import t
from socialfund.view.price_gaps import unpriced_text
from socialfund.view.rank_words import rank_words
from socialfund.view.portfolio_tables import first_fill_day, gap_percents, rebalance_table, target_weights

from app import cached_portfolios, chrome, errors, resources, session
from app.cache_keys import nav_key
from app.session import User

#: The metric grid of the performance tab: rows of (figure, how it is shown). Four to a row,
#: so no label or value is cut off at 1280 px (finding 10: "最长水下期 407 个交…").
METRIC_ROWS: tuple[tuple[tuple[str, str], ...], ...] = (
    (("total_return", "pct"), ("cagr", "pct"), ("volatility", "pct0"), ("max_drawdown", "pct")),
    (("sharpe", "num"), ("sortino", "num"), ("calmar", "num"), ("psr", "num")),
    (("benchmark_return", "pct"), ("alpha", "pct"), ("beta", "num"), ("information_ratio", "num")),
    (("tracking_error", "pct0"), ("pct_positive_weeks", "pct0"), ("annualised_turnover", "pct0"),
     ("max_drawdown_duration", "sessions")),
    (("hhi", "num"),),
)
METRICS_PER_ROW = 4
SAVED_COPIES_SHOWN = 20
PERCENT = PCT_COLUMN_FORMAT   # table columns in percent points (formats.percent_points), one precision


def metric_text(value: float | None, kind: str) -> str:
    """A figure as shown: signed percent (``pct``), percent (``pct0``), a count of sessions
    (the unit is in the label), or 2 decimals."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "—"
    if kind == "pct":
        return formats.percent(value, signed=True)
    if kind == "pct0":
        return formats.percent(value)
    if kind == "sessions":
        return f"{int(value):,}"
    return f"{value:.2f}"


def chart(fig: Any, key: str | None = None) -> None:
    """A portfolio chart, labelled as demo when the page's data is (the label travels with
    the chart's PNG download from its toolbar: finding 8)."""
    from app import navigation   # the page table (imported here: navigation is edited often)

    if resources.demo_parts().among(navigation.PORTFOLIO.shows):
        fig = with_demo_label(fig, session.tr("export.demo_label"))
    st.plotly_chart(fig, width="stretch", key=key)


def _follow_button(meta: Mapping[str, Any], user: User, pid: int) -> None:
    tr = session.tr
    if meta["visibility"] == "public" and user.signed_in:
        store = resources.store()
        following = follows.is_following(store, user.id, pid)
        if st.button(tr("pf.unfollow") if following else tr("pf.follow"), key="pf_follow"):
            with errors.errors_shown():
                (follows.unfollow if following else follows.follow)(store, user.id, pid)
                cached_portfolios.forget_reports()
                st.rerun()
    else:
        st.caption(tr("pf.follow_public_only"))


def header(report: PortfolioReport, user: User, pid: int) -> None:
    tr = session.tr
    meta = report.meta
    st.subheader(chrome.plain(meta["name"]))
    created = meta["created_on"].isoformat() if pd.notna(meta["created_on"]) else "—"
    st.caption(tr("pf.owner", owner=chrome.plain(meta["owner_name"]), style=meta["style"] or "—",
                  visibility=tr(f"pf.vis.{meta['visibility']}"), created=created))
    if meta.get("description"):
        st.write(chrome.plain(meta["description"]))
    if not report.status.ok:   # a holding without usable prices: say why, the page still works
        reason = unpriced_text(asdict(report.status), session.lang())
        st.warning(tr("pf.excluded", reason=reason, last=report.nav.index[-1].date().isoformat())
                   if len(report.nav) else tr("pf.excluded_no_nav", reason=reason))
    if pd.notna(meta["closed_on"]):
        st.info(tr("pf.closed", day=meta["closed_on"].isoformat()))
    elif report.stale:
        st.warning(tr("pf.stale", days=report.days_since_activity, limit=STALE_AFTER_DAYS))
    else:
        st.caption(tr("pf.active", days=report.days_since_activity))

    h1, h2, h3, h4 = st.columns([2, 1, 1, 1])
    if isinstance(report.risk_class, int):
        h1.metric(tr("pf.risk_class"), f"{report.risk_class} / 7", help=tr("pf.srri_explain"))
    else:
        h1.metric(tr("pf.risk_class_na"), "—", help=tr("pf.srri_explain"))
    h2.metric(tr("pf.followers"), int(meta["followers"]), help=tr("pf.popularity_note"))
    h3.metric(tr("pf.copiers"), int(meta["copiers"]), help=tr("pf.popularity_note"))
    with h4:
        _follow_button(meta, user, pid)
    st.caption(tr("pf.popularity_note"))
    why_rank(pid, report.risk_free)


def currency_note(report: PortfolioReport) -> str:
    """The portfolio's currency, and which of its holdings are converted from which currency."""
    currencies = {i.code: i.currency for i in resources.universe()}
    held = sorted(set(report.deltas["code"]) | set(report.target_bp))   # every code it ever held
    legs = [f"{c} ({currencies[c]} → CNY, {fx_code(currencies[c])})" for c in held
            if currencies.get(c) and currencies[c] != BASE_CURRENCY]
    return session.tr("pf.currency_fx", legs=", ".join(legs)) if legs else session.tr("pf.currency")


def performance(report: PortfolioReport, names: Mapping[str, str], benchmark: str, rf: float) -> None:
    tr = session.tr
    bench_label = f"{names.get(benchmark, benchmark)} ({benchmark})"
    chart(nav_vs_benchmark(report.nav, report.benchmark_nav, title=tr("pf.nav_title"), nav_label=tr("pf.nav"),
                           benchmark_label=bench_label))
    st.caption(tr("pf.nav_note", as_of=report.as_of.isoformat()))
    st.caption(currency_note(report))
    chart(drawdown_area(report.drawdown, title=tr("pf.dd_title"), label=tr("pf.dd")))
    f = report.figures
    st.markdown(f"**{tr('pf.metrics', n=int(f['sessions']), rf=f'{rf:.2%}')}**")
    for row in METRIC_ROWS:
        cols = st.columns(METRICS_PER_ROW)
        for col, (key, kind) in zip(cols, row):
            col.metric(tr(f"pf.m.{key}"), metric_text(f[key], kind), help=tr(f"pf.h.{key}", rf=f"{rf:.2%}")
                       if key == "sharpe" else tr(f"pf.h.{key}"))
    st.caption(tr("pf.srri_explain"))


def holdings(report: PortfolioReport, names: Mapping[str, str]) -> None:
    tr = session.tr
    c1, c2 = st.columns(2)   # the weights table wide enough for its headers (finding 10)
    with c1:
        chart(holdings_pie(report.holdings, names, title=tr("pf.holdings_title")))
    day = report.current_placed_at.strftime("%Y-%m-%d")
    c2.markdown(f"**{tr('pf.target_title', v=report.current_version, day=day)}**")
    weights = formats.percent_points(target_weights(report.target_bp, report.holdings, names),
                                     ("target", "weight")).rename(columns={
        "code": tr("pf.col.code"), "name": tr("pf.col.name"), "target": tr("pf.col.target"),
        "weight": tr("pf.col.weight")})
    c2.dataframe(weights, hide_index=True, width="stretch", column_config={
        tr("pf.col.target"): st.column_config.NumberColumn(format=PERCENT),
        tr("pf.col.weight"): st.column_config.NumberColumn(format=PERCENT)})
    chart(rebalance_bars(report.deltas, names, title=tr("pf.rebal_title"), y_label=tr("pf.rebal_y")))
    table = formats.percent_points(rebalance_table(report.deltas, names), ("prev", "new", "delta")).rename(columns={
        "version": tr("pf.col.version"), "placed_at": tr("pf.col.placed_at"), "code": tr("pf.col.code"),
        "name": tr("pf.col.name"), "prev": tr("pf.col.prev"), "new": tr("pf.col.new"), "delta": tr("pf.col.delta")})
    st.dataframe(table, hide_index=True, width="stretch", height=320, column_config={
        tr(k): st.column_config.NumberColumn(format=PERCENT) for k in ("pf.col.prev", "pf.col.new", "pf.col.delta")})


def copy_warnings(result: CopyResult, params: CopyParams) -> None:
    """What makes a copy's figures misleading, said above them (finding 7): a first fill
    after the data (nothing copied yet), every position below the minimum (all cash), or
    some positions skipped."""
    tr = session.tr
    if first_fill_day(result, params.delay_sessions) is None:
        as_of = result.equity.index[-1].date().isoformat() if len(result.equity) else "—"
        st.warning(tr("pf.c.warn_pending", start=params.start.isoformat(), delay=params.delay_sessions, as_of=as_of),
                   icon="⏳")
        return
    skipped = result.skipped_positions
    if not skipped:
        return
    floor = formats.money(params.min_position, 0)
    never_invested = bool(len(result.equity)) and float(result.equity.max()) == float(result.equity.min()) \
        and result.fees_paid == 0
    if never_invested:
        st.warning(tr("pf.c.warn_all_cash", amount=formats.money(params.amount, 0), floor=floor), icon="⚠️")
    else:
        st.warning(tr("pf.c.warn_skipped", n=len({(s.code, s.version) for s in skipped}), floor=floor), icon="⚠️")


def why_rank(pid: int, rf: float) -> None:
    """The portfolio's place on the default leaderboard (1Y, deflated Sharpe) in words."""
    tr, lang = session.tr, session.lang()
    window = "1Y"
    try:
        table = cached_portfolios.leaderboard(window, "dsr", True, rf)
    except SocialFundError:   # the ranking itself failed: the page shows the portfolio all the same
        return
    rows = table.loc[table["portfolio_id"] == int(pid)]
    window_text = t(f"lb.window.{window}", lang)
    if rows.empty:
        st.caption(tr("rank.portfolio_unranked", window=window_text))
        return
    row = rows.iloc[0]
    words = rank_words(row.to_dict(), table.attrs["screen_summary"].n_screened, lang)
    st.info(tr("rank.portfolio", window=window_text, rank=int(row["rank"]), words=words), icon="🎲")


def copy_outcome(result: CopyResult, params: CopyParams, user: User, pid: int) -> None:
    """A paper copy's returns, chart, gap attribution, first fill, and the save button."""
    tr = session.tr
    copy_warnings(result, params)
    k1, k2, k3, k4 = st.columns(4)
    k1.metric(tr("pf.c.leader_return"), formats.percent(result.leader_return, signed=True))
    k2.metric(tr("pf.c.copier_return"), formats.percent(result.copier_return, signed=True),
              delta=formats.percent(result.copier_return - result.leader_return, signed=True), delta_color="off")
    k3.metric(tr("pf.c.fees_paid"), formats.money(result.fees_paid))
    k4.metric(tr("pf.c.final_equity"), formats.money(result.final_equity))
    chart(copy_vs_leader(result.equity, result.leader_nav, float(params.amount), title=tr("pf.c.chart"),
                         copier_label=tr("pf.c.copier"), leader_label=tr("pf.c.leader"),
                         stopped_on=result.stopped_on, stop_label=tr("pf.c.stop_label")))
    st.markdown(f"**{tr('pf.c.gap_title')}**")
    if result.gap is not None:
        st.write(tr("pf.c.gap_text", **gap_percents(result.gap)))
    first_fill = first_fill_day(result, params.delay_sessions)
    st.caption(" · ".join([
        tr("pf.c.entry", day=first_fill.isoformat() if first_fill else "—"),
        tr("pf.c.skipped", n=len(result.skipped_positions)),
        tr("pf.c.stopped", day=result.stopped_on.isoformat())
        if result.stopped_out and result.stopped_on is not None else tr("pf.c.not_stopped"),
    ]))
    if user.signed_in and user.id is not None:
        if st.button(tr("pf.c.save"), key="pf_c_save"):
            with errors.errors_shown():
                copy_id = copies.save_copy(resources.store(), user.id, pid, params)
                st.success(tr("pf.c.saved", id=copy_id))
    else:
        st.caption(tr("pf.c.save_signin"))


def _replayed(saved: copies.SavedCopy, viewer_id: int | None, key: str) -> dict[str, Any]:
    tr = session.tr
    p = saved.params
    status, leader_ret, copier_ret = "", float("nan"), float("nan")
    try:
        res = cached_portfolios.copy_result(saved.portfolio_id, viewer_id, p, key)
        leader_ret, copier_ret = res.leader_return, res.copier_return
        status = tr("pf.c.stopped", day=res.stopped_on.isoformat()) if res.stopped_out and res.stopped_on is not None else ""
    except NotFoundError:
        status = tr("pf.c.unavailable")
    except SocialFundError as exc:
        status = str(exc)
    return {tr("pf.c.col.portfolio"): f"{saved.portfolio_name} (id {saved.portfolio_id})",
            tr("pf.c.col.start"): p.start.isoformat(), tr("pf.c.col.amount"): formats.money(p.amount),
            tr("pf.c.col.fee"): p.fee_bps, tr("pf.c.col.delay"): p.delay_sessions,
            tr("pf.c.col.stop"): None if p.stop_loss is None else p.stop_loss * 100,
            tr("pf.c.leader_return"): leader_ret * 100, tr("pf.c.copier_return"): copier_ret * 100,
            tr("pf.c.col.status"): status}


def saved_copies(user: User) -> None:
    """The viewer's latest saved copies, each replayed on today's data."""
    tr = session.tr
    st.markdown(f"**{tr('pf.c.mine')}**")
    mine = copies.list_copies(resources.store(), user.id)[:SAVED_COPIES_SHOWN] if user.id is not None else []
    if not mine:
        st.caption(tr("pf.c.mine_empty"))
        return
    key = nav_key()
    rows = [_replayed(saved, user.id, key) for saved in mine]
    st.dataframe(pd.DataFrame(rows), hide_index=True, width="stretch", column_config={
        tr("pf.c.leader_return"): st.column_config.NumberColumn(format=PERCENT),
        tr("pf.c.copier_return"): st.column_config.NumberColumn(format=PERCENT),
        tr("pf.c.col.stop"): st.column_config.NumberColumn(format=PERCENT)})   # amount: formats.money text
