"""One portfolio: NAV vs benchmark, drawdown, holdings, rebalances, every metric, and the
paper copy simulator. Open with ``?portfolio=ID`` or from the leaderboard."""

from __future__ import annotations

import datetime as dt
import math
from decimal import Decimal

import pandas as pd
import streamlit as st

from app import chrome, errors, navigation, resources, session
from socialfund.copying import (DELAY_SESSIONS_MAX, DELAY_SESSIONS_MIN, FEE_BPS_MAX, FEE_BPS_MIN, STOP_LOSS_MAX,
                                CopyParams, CopyResult)
from socialfund.market import sessions as market_sessions
from socialfund.services import copies
from socialfund.services import follows
from socialfund.services.portfolio_data import pickable_portfolios, visible_meta
from socialfund.services.report import STALE_AFTER_DAYS, NoNavYet, PortfolioReport, portfolio_report
from socialfund.view.charts.portfolio import copy_vs_leader, drawdown_area, holdings_pie, nav_vs_benchmark, rebalance_bars
from socialfund.core.errors import NotFoundError, SocialFundError

navigation.require_router()

lang = session.lang()
tr = session.tr
st.title(tr("pf.title"))

user = session.current_user()
store, provider = resources.store(), resources.provider()
rf = resources.settings().risk_free
names = resources.instrument_names(lang)


@st.cache_data(ttl=600, max_entries=64, show_spinner=False)
def _report(pid: int, benchmark: str, viewer_id: int | None, rf: float) -> PortfolioReport:
    # viewer_id is part of the key: an owner's private portfolio is never served to anyone else.
    return portfolio_report(resources.store(), resources.provider(), pid, benchmark, rf, viewer_id=viewer_id)


@st.cache_data(ttl=600, max_entries=64, show_spinner=False)
def _copy(pid: int, viewer_id: int | None, amount: str, start: dt.date, fee_bps: int, delay: int, floor: str,
          stop: float | None) -> CopyResult:
    params = CopyParams(Decimal(amount), start, fee_bps, delay, Decimal(floor), stop)
    return copies.copy_simulation(resources.store(), resources.provider(), pid, params, viewer_id=viewer_id)


def _fmt(value: float, kind: str) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "—"
    if kind == "pct":
        return f"{value:+.2%}"
    if kind == "pct0":
        return f"{value:.2%}"
    if kind == "sessions":
        return tr("pf.sessions", n=int(value))
    return f"{value:.2f}"


# ---------------------------------------------------------------- which portfolio
choices = pickable_portfolios(store, user.id)
labels = {int(r.portfolio_id): f"{r.name} · {r.owner_name} (id {r.portfolio_id})" for r in choices.itertuples()}
raw = st.query_params.get("portfolio") or st.session_state.get("portfolio_id")
requested: int | None = None
if raw is not None:
    try:
        requested = int(raw)
        meta = visible_meta(store, requested, user.id)
        labels.setdefault(requested, f"{meta['name']} · {meta['owner_name']} (id {requested})")  # unlisted by link
    except (ValueError, NotFoundError):
        st.error(tr("pf.not_found", id=raw))
        requested = None
if not labels:
    st.info(tr("pf.none"))
    st.stop()
options = list(labels)
if requested is not None:
    st.session_state["pf_pick"] = requested
elif st.session_state.get("pf_pick") not in labels:
    st.session_state["pf_pick"] = options[0]


def _picked() -> None:
    st.session_state["portfolio_id"] = int(st.session_state["pf_pick"])
    st.query_params["portfolio"] = str(st.session_state["pf_pick"])


p1, p2 = st.columns([3, 1])
pid = int(p1.selectbox(tr("pf.pick"), options, format_func=lambda i: labels[i], key="pf_pick", on_change=_picked))
st.session_state["portfolio_id"] = pid
st.query_params["portfolio"] = str(pid)

universe = resources.universe()
bench_codes = [i.code for i in universe if i.kind == "index"] + [c for c in ("SPY", "QQQ") if c in names]
default_bench = bench_codes.index(market_sessions.DEFAULT_BENCHMARK) if market_sessions.DEFAULT_BENCHMARK in bench_codes else 0
benchmark = p2.selectbox(tr("pf.benchmark"), bench_codes, index=default_bench,
                         format_func=lambda c: f"{names.get(c, c)} ({c})", key="pf_bench")

no_nav_yet = None
with errors.errors_shown(stop=True), st.spinner():
    try:
        report = _report(pid, benchmark, user.id, rf)
    except NoNavYet as missing:  # a new portfolio: say so, not an error
        no_nav_yet = missing
if no_nav_yet is not None:
    st.info(tr("pf.no_nav_yet", as_of=no_nav_yet.as_of.isoformat()), icon="⏳")
    st.stop()
meta = report.meta

# ---------------------------------------------------------------- header
st.subheader(chrome.plain(meta["name"]))
created = meta["created_on"].isoformat() if pd.notna(meta["created_on"]) else "—"
st.caption(tr("pf.owner", owner=chrome.plain(meta["owner_name"]), style=meta["style"] or "—",
              visibility=tr(f"pf.vis.{meta['visibility']}"), created=created))
if meta.get("description"):
    st.write(chrome.plain(meta["description"]))
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
    if meta["visibility"] == "public" and user.signed_in:
        following = follows.is_following(store, user.id, pid)
        if st.button(tr("pf.unfollow") if following else tr("pf.follow"), key="pf_follow"):
            with errors.errors_shown():
                (follows.unfollow if following else follows.follow)(store, user.id, pid)
                _report.clear()
                st.rerun()
    else:
        st.caption(tr("pf.follow_public_only"))
st.caption(tr("pf.popularity_note"))

tab_perf, tab_hold, tab_copy = st.tabs([tr("pf.tab.performance"), tr("pf.tab.holdings"), tr("pf.tab.copy")])

# ---------------------------------------------------------------- performance
with tab_perf:
    bench_label = f"{names.get(benchmark, benchmark)} ({benchmark})"
    st.plotly_chart(nav_vs_benchmark(report.nav, report.benchmark_nav, title=tr("pf.nav_title"), nav_label=tr("pf.nav"),
                                     benchmark_label=bench_label), width="stretch")
    st.caption(tr("pf.nav_note", as_of=report.as_of.isoformat()))
    st.plotly_chart(drawdown_area(report.drawdown, title=tr("pf.dd_title"), label=tr("pf.dd")), width="stretch")
    f = report.figures
    st.markdown(f"**{tr('pf.metrics', n=int(f['sessions']), rf=f'{rf:.2%}')}**")
    rows = [
        [("total_return", "pct"), ("cagr", "pct"), ("volatility", "pct0"), ("max_drawdown", "pct"),
         ("max_drawdown_duration", "sessions")],
        [("sharpe", "num"), ("sortino", "num"), ("calmar", "num"), ("psr", "num"), ("pct_positive_weeks", "pct0")],
        [("benchmark_return", "pct"), ("beta", "num"), ("alpha", "pct"), ("tracking_error", "pct0"),
         ("information_ratio", "num")],
        [("hhi", "num"), ("annualised_turnover", "pct0")],
    ]
    for row in rows:
        cols = st.columns(5)
        for col, (key, kind) in zip(cols, row):
            col.metric(tr(f"pf.m.{key}"), _fmt(f[key], kind), help=tr(f"pf.h.{key}", rf=f"{rf:.2%}")
                       if key == "sharpe" else tr(f"pf.h.{key}"))
    st.caption(tr("pf.srri_explain"))

# ---------------------------------------------------------------- holdings and rebalances
with tab_hold:
    c1, c2 = st.columns([3, 2])
    c1.plotly_chart(holdings_pie(report.holdings, names, title=tr("pf.holdings_title")), width="stretch")
    day = report.current_placed_at.strftime("%Y-%m-%d")
    c2.markdown(f"**{tr('pf.target_title', v=report.current_version, day=day)}**")
    weights = pd.DataFrame({
        tr("pf.col.code"): list(report.target_bp),
        tr("pf.col.name"): [names.get(c, c) for c in report.target_bp],
        tr("pf.col.target"): [bp / 10_000 for bp in report.target_bp.values()],
        tr("pf.col.weight"): [report.holdings.get(c, 0.0) for c in report.target_bp],
    })
    c2.dataframe(weights, hide_index=True, width="stretch", column_config={
        tr("pf.col.target"): st.column_config.NumberColumn(format="percent"),
        tr("pf.col.weight"): st.column_config.NumberColumn(format="percent")})
    deltas = report.deltas
    st.plotly_chart(rebalance_bars(deltas, names, title=tr("pf.rebal_title"), y_label=tr("pf.rebal_y")),
                    width="stretch")
    shown = deltas.sort_values(["placed_at", "code"], ascending=[False, True])
    table = pd.DataFrame({
        tr("pf.col.version"): shown["version"],
        tr("pf.col.placed_at"): shown["placed_at"].dt.strftime("%Y-%m-%d %H:%M"),
        tr("pf.col.code"): shown["code"],
        tr("pf.col.name"): [names.get(c, c) for c in shown["code"]],
        tr("pf.col.prev"): shown["prev_bp"] / 10_000,
        tr("pf.col.new"): shown["new_bp"] / 10_000,
        tr("pf.col.delta"): shown["delta_bp"] / 10_000,
    })
    st.dataframe(table, hide_index=True, width="stretch", height=320, column_config={
        tr(k): st.column_config.NumberColumn(format="percent") for k in ("pf.col.prev", "pf.col.new", "pf.col.delta")})

# ---------------------------------------------------------------- paper copy
with tab_copy:
    st.write(tr("pf.copy_intro"))
    st.warning(tr("pf.hypothetical"))
    first_day = report.nav.index[0].date() if not report.nav.empty else report.as_of
    earliest = min(first_day, report.as_of - dt.timedelta(days=1))
    default_start = max(earliest, report.as_of - dt.timedelta(days=365))
    with st.form("pf_copy_form"):
        a1, a2, a3 = st.columns(3)
        amount = a1.number_input(tr("pf.c.amount"), min_value=1_000, max_value=100_000_000, value=100_000, step=10_000,
                                 key="pf_c_amount")
        start = a2.date_input(tr("pf.c.start"), value=default_start, min_value=earliest,
                              max_value=report.as_of - dt.timedelta(days=1), key="pf_c_start")
        fee = a3.number_input(tr("pf.c.fee"), min_value=FEE_BPS_MIN, max_value=FEE_BPS_MAX, value=10, step=1,
                              key="pf_c_fee")
        b1, b2, b3 = st.columns(3)
        delay = b1.number_input(tr("pf.c.delay"), min_value=DELAY_SESSIONS_MIN, max_value=DELAY_SESSIONS_MAX, value=1,
                                step=1, key="pf_c_delay")
        floor = b2.number_input(tr("pf.c.min_position"), min_value=0, max_value=1_000_000, value=1_000, step=500,
                                key="pf_c_floor")
        # in percent; 0 = no stop
        stop_pct = b3.number_input(tr("pf.c.stop"), min_value=0, max_value=round(STOP_LOSS_MAX * 100), value=40, step=5,
                                   key="pf_c_stop")
        run = st.form_submit_button(tr("pf.c.run"), type="primary")
    if run:
        st.session_state["pf_copy"] = dict(pid=pid, amount=str(int(amount)), start=start, fee_bps=int(fee),
                                           delay=int(delay), floor=str(int(floor)),
                                           stop=(int(stop_pct) / 100) if stop_pct else None)
    params = st.session_state.get("pf_copy")
    if params and params["pid"] == pid:
        result = None
        with errors.errors_shown():
            result = _copy(pid, user.id, params["amount"], params["start"], params["fee_bps"], params["delay"],
                           params["floor"], params["stop"])
        if result is not None:
            g = result.gap
            k1, k2, k3, k4 = st.columns(4)
            k1.metric(tr("pf.c.leader_return"), f"{result.leader_return:+.2%}")
            k2.metric(tr("pf.c.copier_return"), f"{result.copier_return:+.2%}",
                      delta=f"{result.copier_return - result.leader_return:+.2%}", delta_color="off")
            k3.metric(tr("pf.c.fees_paid"), f"¥{result.fees_paid:,.2f}")
            k4.metric(tr("pf.c.final_equity"), f"¥{result.final_equity:,.2f}")
            st.plotly_chart(copy_vs_leader(result.equity, result.leader_nav, float(params["amount"]), title=tr("pf.c.chart"),
                                           copier_label=tr("pf.c.copier"), leader_label=tr("pf.c.leader"),
                                           stopped_on=result.stopped_on, stop_label=tr("pf.c.stop_label")),
                            width="stretch")
            st.markdown(f"**{tr('pf.c.gap_title')}**")
            pp = lambda v: f"{v:+.2%}"  # noqa: E731 - a local formatter
            st.write(tr("pf.c.gap_text", leader=pp(g.leader_return), copier=pp(g.copier_return), gap=pp(g.gap),
                        delay=pp(g.delay), skipped=pp(g.skipped_positions), fees=pp(g.fees), stop=pp(g.stop_loss),
                        other=pp(g.other)))
            # the copier's first fill is `delay` sessions after the window start (entry_session);
            # an order falling after the data is still pending
            fill_at = params["delay"]
            first_fill = (result.equity.index[fill_at].date().isoformat()
                          if result.entry_session and fill_at < len(result.equity) else "—")
            st.caption(" · ".join([
                tr("pf.c.entry", day=first_fill),
                tr("pf.c.skipped", n=len(result.skipped_positions)),
                tr("pf.c.stopped", day=result.stopped_on.isoformat()) if result.stopped_out else tr("pf.c.not_stopped"),
            ]))
            if user.signed_in:
                if st.button(tr("pf.c.save"), key="pf_c_save"):
                    with errors.errors_shown():
                        copy_id = copies.save_copy(store, user.id, pid, CopyParams(
                            Decimal(params["amount"]), params["start"], params["fee_bps"], params["delay"],
                            Decimal(params["floor"]), params["stop"]))
                        st.success(tr("pf.c.saved", id=copy_id))
            else:
                st.caption(tr("pf.c.save_signin"))

    st.markdown(f"**{tr('pf.c.mine')}**")
    mine = copies.list_copies(store, user.id)[:20]
    if not mine:
        st.caption(tr("pf.c.mine_empty"))
    else:
        rows = []
        for saved in mine:
            p = saved.params
            status, leader_ret, copier_ret = "", float("nan"), float("nan")
            try:
                res = _copy(saved.portfolio_id, user.id, str(p.amount), p.start, p.fee_bps, p.delay_sessions,
                            str(p.min_position), p.stop_loss)
                leader_ret, copier_ret = res.leader_return, res.copier_return
                status = tr("pf.c.stopped", day=res.stopped_on.isoformat()) if res.stopped_out else ""
            except NotFoundError:
                status = tr("pf.c.unavailable")
            except SocialFundError as exc:
                status = str(exc)
            rows.append({tr("pf.c.col.portfolio"): f"{saved.portfolio_name} (id {saved.portfolio_id})",
                         tr("pf.c.col.start"): p.start.isoformat(), tr("pf.c.col.amount"): float(p.amount),
                         tr("pf.c.col.fee"): p.fee_bps, tr("pf.c.col.delay"): p.delay_sessions,
                         tr("pf.c.col.stop"): p.stop_loss, tr("pf.c.leader_return"): leader_ret,
                         tr("pf.c.copier_return"): copier_ret, tr("pf.c.col.status"): status})
        st.dataframe(pd.DataFrame(rows), hide_index=True, width="stretch", column_config={
            tr("pf.c.leader_return"): st.column_config.NumberColumn(format="percent"),
            tr("pf.c.copier_return"): st.column_config.NumberColumn(format="percent"),
            tr("pf.c.col.stop"): st.column_config.NumberColumn(format="percent"),
            tr("pf.c.col.amount"): st.column_config.NumberColumn(format="¥%.0f")})
