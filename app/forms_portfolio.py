"""The inputs of the portfolio page: which portfolio (``?portfolio=ID``, the last one opened
or the picker, kept in the URL), which benchmark, and the paper-copy form, whose last run is
kept in session state (``COPY_KEY``) as plain values for that portfolio."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

import streamlit as st
from streamlit.delta_generator import DeltaGenerator

from socialfund.copying import DELAY_SESSIONS_MAX, DELAY_SESSIONS_MIN, FEE_BPS_MAX, FEE_BPS_MIN, STOP_LOSS_MAX, CopyParams
from socialfund.core.errors import NotFoundError
from socialfund.market.instruments import Instrument
from socialfund.services.portfolio_crud import deleted_from_record
from socialfund.services.portfolio_data import pickable_portfolios, visible_meta
from socialfund.services.report import PortfolioReport
from socialfund.view.portfolio_tables import benchmark_choices

from app import navigation, resources, session
from app.form_rules import Bound, DateBound, Form, stale_notice

PORTFOLIO_PARAM = "portfolio"     # query parameter: the portfolio open
PORTFOLIO_KEY = "portfolio_id"    # session state: the portfolio open (set by the leaderboard too)
PICK_KEY = "pf_pick"
COPY_KEY = "pf_copy"              # session state: the last paper-copy run (plain values)
PAPER_COPY_KEY = "pf_open_copy"   # session state: open on the paper-copy tab (the leaderboard's 模拟跟投)


def _picked() -> None:
    st.session_state[PORTFOLIO_KEY] = int(st.session_state[PICK_KEY])
    st.query_params[PORTFOLIO_PARAM] = str(st.session_state[PICK_KEY])


def _labels(viewer_id: int | None) -> dict[int, str]:
    """Picker labels of the portfolios the viewer may pick, plus the one asked for by link
    (unlisted portfolios are not listed); an unknown or hidden one says "not found"."""
    tr = session.tr
    choices = pickable_portfolios(resources.store(), viewer_id)
    labels = {int(r.portfolio_id): f"{r.name} · {r.owner_name} (id {r.portfolio_id})" for r in choices.itertuples()}
    raw = st.query_params.get(PORTFOLIO_PARAM) or st.session_state.get(PORTFOLIO_KEY)
    if raw is not None:
        try:
            requested = int(raw)
            meta = visible_meta(resources.store(), requested, viewer_id)
            labels.setdefault(requested, f"{meta['name']} · {meta['owner_name']} (id {requested})")
        except (ValueError, NotFoundError):
            deleted = deleted_from_record(resources.store(), raw)
            if deleted is not None:   # a public one its owner deleted: kept in the record, say so
                st.info(tr("pf.deleted", id=raw, day=deleted.isoformat()))
            else:
                st.error(tr("pf.not_found", id=raw))
            # an unknown id says so and shows nothing else: never another portfolio (finding 12)
            st.session_state.pop(PORTFOLIO_KEY, None)
            st.caption(tr("pf.not_found_only"))
            _links_to_open_one()
            st.stop()
        else:
            st.session_state[PICK_KEY] = requested
            return labels
    if labels and st.session_state.get(PICK_KEY) not in labels:
        st.session_state[PICK_KEY] = next(iter(labels))
    return labels


def _links_to_open_one() -> None:
    """The places the notice names, as links: the leaderboard and one's own portfolios
    (finding 12: a message that mentions an action links to it)."""
    st.page_link(navigation.LEADERBOARD.path, label=session.tr("link.leaderboard"), icon="🏆")
    st.page_link(navigation.MY_PORTFOLIOS.path, label=session.tr("menu.my_portfolios"), icon="🗂️")


def pick_portfolio(column: DeltaGenerator, viewer_id: int | None) -> int:
    """The portfolio to show (stops the page with a notice when there is none)."""
    labels = _labels(viewer_id)
    if not labels:
        st.info(session.tr("pf.none"))
        _links_to_open_one()
        st.stop()
    pid = int(column.selectbox(session.tr("pf.pick"), list(labels), format_func=lambda i: labels[i], key=PICK_KEY,
                               on_change=_picked, placeholder=session.tr("ui.choose_one")))
    st.session_state[PORTFOLIO_KEY] = pid
    st.query_params[PORTFOLIO_PARAM] = str(pid)
    return pid


def opening_tab() -> str | None:
    """The paper-copy tab when the leaderboard's 模拟跟投 opened this page, else the first."""
    return session.tr("pf.tab.copy") if st.session_state.pop(PAPER_COPY_KEY, False) else None


def pick_benchmark(column: DeltaGenerator, universe: list[Instrument], names: Mapping[str, str]) -> str:
    codes, default = benchmark_choices(universe)
    return str(column.selectbox(session.tr("pf.benchmark"), codes, index=default,
                                format_func=lambda c: f"{names.get(c, c)} ({c})", key="pf_bench",
                                placeholder=session.tr("ui.choose_one")))


def copy_form(report: PortfolioReport, pid: int) -> dict[str, Any] | None:
    """The paper-copy form (``app.form_rules``: every field checked by ``CopyParams``' own
    bounds beside it, Run disabled until all are valid). Returns the settings of the last
    run for this portfolio, or None when there is none or the inputs changed since (then
    it says "inputs changed — run again" instead of showing the old figures)."""
    tr = session.tr
    first_day = report.nav.index[0].date() if not report.nav.empty else report.as_of
    latest = report.as_of - dt.timedelta(days=1)
    earliest = min(first_day, latest)
    default_start = max(earliest, report.as_of - dt.timedelta(days=365))
    form = Form(f"pf_copy_{pid}")
    with st.container(border=True):
        a1, a2, a3 = st.columns(3)
        amount = form.number(a1, tr("pf.c.amount"), "pf_c_amount", 100_000, Bound(lo=0, lo_open=True, whole=True),
                             step=10_000)
        start = form.date(a2, tr("pf.c.start"), "pf_c_start", default_start,
                          DateBound(earliest, latest, tr("form.date_why.copy")))
        fee = form.number(a3, tr("pf.c.fee"), "pf_c_fee", 10, Bound(FEE_BPS_MIN, FEE_BPS_MAX, whole=True), step=1)
        b1, b2, b3 = st.columns(3)
        delay = form.number(b1, tr("pf.c.delay"), "pf_c_delay", 1,
                            Bound(DELAY_SESSIONS_MIN, DELAY_SESSIONS_MAX, whole=True), step=1)
        floor = form.number(b2, tr("pf.c.min_position"), "pf_c_floor", 1_000, Bound(lo=0, whole=True), step=500)
        # in percent; 0 = no stop
        stop_pct = form.number(b3, tr("pf.c.stop"), "pf_c_stop", 40, Bound(0, round(STOP_LOSS_MAX * 100), whole=True),
                               step=5)
        values = dict(pid=pid, amount=str(int(amount)), start=start, fee_bps=int(fee), delay=int(delay),
                      floor=str(int(floor)), stop=(int(stop_pct) / 100) if stop_pct else None)
        form.library_check(lambda: copy_params(values))
        run = form.button(tr("pf.c.run"), key="pf_c_run")
    if run:
        form.remember()
        st.session_state[COPY_KEY] = values
    params: dict[str, Any] | None = st.session_state.get(COPY_KEY)
    if not params or params["pid"] != pid or form.last_run() is None:
        st.caption(tr("pf.c.run_first"))
        return None
    if form.stale() or not form.valid:
        stale_notice()
        return None
    return params


def copy_params(values: Mapping[str, Any]) -> CopyParams:
    """The form's plain values as ``CopyParams`` (raises ``ValidationError`` when out of bounds)."""
    return CopyParams(Decimal(values["amount"]), values["start"], values["fee_bps"], values["delay"],
                      Decimal(values["floor"]), values["stop"])
