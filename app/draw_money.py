"""The owner's real-money panel on the portfolio page: XIRR beside TWR, the net invested
amount, the value and the gain in yuan, each with its formula, period and units
(``services.flows.money_view``; ``None`` — nothing drawn — for anyone but the owner, or a
portfolio not imported from cash flows). Called with one line from pages/2_Portfolio.py."""

from __future__ import annotations

import datetime as dt

import streamlit as st

from socialfund.services import flows
from socialfund.wishes.money import yuan_text

from app import errors, resources, session
from app.cache_keys import nav_key
from app.session import User


@st.cache_data(ttl=600, max_entries=32, show_spinner=False)
def _money(pid: int, viewer_id: int | None, key: str) -> flows.MoneyView | None:
    # keyed on the viewer: the figures are the owner's only
    return flows.money_view(resources.store(), resources.provider(), viewer_id, pid)


def _pct(value: float | None) -> str:
    return "—" if value is None else f"{value:+.2%}"


def money(pid: int, user: User) -> None:
    """Draw the panel when ``user`` owns ``pid`` and it has cash flows; nothing otherwise."""
    if not user.signed_in or user.id is None:
        return
    view = None
    with errors.errors_shown():
        view = _money(int(pid), user.id, nav_key())
    if view is None:
        return
    tr = session.tr
    fig = view.figures
    st.subheader(tr("money.title"))
    st.caption(tr("money.owner_only"))
    c1, c2, c3, c4, c5 = st.columns(5)
    c1.metric(tr("money.xirr"), _pct(fig.xirr) if fig.xirr is not None else tr("money.xirr_none"),
              help=tr("money.xirr_help"))
    c2.metric(tr("money.twr"), _pct(fig.twr), help=tr("money.twr_help", annual=_pct(fig.twr_annual)))
    c3.metric(tr("money.invested"), yuan_text(fig.invested_fen),
              help=tr("money.invested_help", deposits=yuan_text(fig.deposits_fen),
                      withdrawals=yuan_text(fig.withdrawals_fen)))
    c4.metric(tr("money.value"), yuan_text(fig.value_fen), help=tr("money.value_help", day=_iso(fig.as_of)))
    c5.metric(tr("money.gain"), ("+" if fig.gain_fen > 0 else "") + yuan_text(fig.gain_fen),
              help=tr("money.gain_help", dividends=yuan_text(fig.dividends_fen)))
    st.caption(tr("money.period", start=_iso(fig.start), end=_iso(fig.as_of), flows=view.flows))
    if fig.xirr is None and fig.xirr_note:
        st.caption(tr("money.xirr_note", why=fig.xirr_note))


def _iso(day: dt.date) -> str:
    return day.isoformat()
