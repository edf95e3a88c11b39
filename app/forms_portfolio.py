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

from app import resources, session

PORTFOLIO_PARAM = "portfolio"     # query parameter: the portfolio open
PORTFOLIO_KEY = "portfolio_id"    # session state: the portfolio open (set by the leaderboard too)
PICK_KEY = "pf_pick"
COPY_KEY = "pf_copy"              # session state: the last paper-copy run (plain values)


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
        else:
            st.session_state[PICK_KEY] = requested
            return labels
    if labels and st.session_state.get(PICK_KEY) not in labels:
        st.session_state[PICK_KEY] = next(iter(labels))
    return labels


def pick_portfolio(column: DeltaGenerator, viewer_id: int | None) -> int:
    """The portfolio to show (stops the page with a notice when there is none)."""
    labels = _labels(viewer_id)
    if not labels:
        st.info(session.tr("pf.none"))
        st.stop()
    pid = int(column.selectbox(session.tr("pf.pick"), list(labels), format_func=lambda i: labels[i], key=PICK_KEY,
                               on_change=_picked))
    st.session_state[PORTFOLIO_KEY] = pid
    st.query_params[PORTFOLIO_PARAM] = str(pid)
    return pid


def pick_benchmark(column: DeltaGenerator, universe: list[Instrument], names: Mapping[str, str]) -> str:
    codes, default = benchmark_choices(universe)
    return str(column.selectbox(session.tr("pf.benchmark"), codes, index=default,
                                format_func=lambda c: f"{names.get(c, c)} ({c})", key="pf_bench"))


def copy_form(report: PortfolioReport, pid: int) -> dict[str, Any] | None:
    """The paper-copy form; returns the settings of the last run for this portfolio."""
    tr = session.tr
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
        st.session_state[COPY_KEY] = dict(pid=pid, amount=str(int(amount)), start=start, fee_bps=int(fee),
                                          delay=int(delay), floor=str(int(floor)),
                                          stop=(int(stop_pct) / 100) if stop_pct else None)
    params: dict[str, Any] | None = st.session_state.get(COPY_KEY)
    return params if params and params["pid"] == pid else None


def copy_params(values: Mapping[str, Any]) -> CopyParams:
    """The form's plain values as ``CopyParams`` (raises ``ValidationError`` when out of bounds)."""
    return CopyParams(Decimal(values["amount"]), values["start"], values["fee_bps"], values["delay"],
                      Decimal(values["floor"]), values["stop"])
