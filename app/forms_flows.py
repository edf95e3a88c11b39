"""The cash-flows import on the my-portfolios page: upload ``date,code,amount[,type]``
(``socialfund.io.flows_file``) → what was read → ``services.flows.import_flows`` (units at each
session's close, one version per trading session). The same as ``python -m socialfund
portfolio import-flows``; the amounts are shown to the owner only (the portfolio page's
real-money panel, ``app.draw_money``)."""

from __future__ import annotations

import streamlit as st

from socialfund.core.errors import SocialFundError
from socialfund.core.flows import Flow
from socialfund.io.flows_file import read_flows_csv
from socialfund.services import access, flows

from app import resources, session
from app.forms_my_portfolios import SELECTED_KEY, flash, new_picker
from app.forms_weights import Choices


def _read(offer: Choices) -> list[Flow] | None:
    """The uploaded file's flows, None before an upload or after a refused one (shown)."""
    upload = st.file_uploader(session.tr("mp.flows_upload"), type=["csv", "txt"], key="flows_upload")
    if upload is not None:
        try:
            return read_flows_csv(upload.getvalue(), upload.name, list(offer.known))
        except SocialFundError as exc:
            st.error(session.tr("error.generic", msg=exc))
    return None


def _create(user_id: int, name: str, parsed: list[Flow]) -> None:
    try:
        done = flows.import_flows(resources.store(), resources.provider(), user_id, name, parsed)
    except SocialFundError as exc:
        st.error(session.tr("error.generic", msg=exc))
        return
    st.session_state[SELECTED_KEY] = done.portfolio_id
    new_picker()
    flash(session.tr("mp.flows_created", id=done.portfolio_id, n=len(parsed), versions=len(done.book.versions)))
    st.rerun()


def flows_import_form(user_id: int, offer: Choices) -> None:
    """The expander: upload, what was read, a name, create (errors in the user's language)."""
    tr = session.tr
    with st.expander(tr("mp.flows_import")):
        st.caption(tr("mp.flows_help"))
        parsed = _read(offer)
        if not parsed:
            return
        days = sorted(f.day for f in parsed)
        st.caption(tr("mp.flows_read", n=len(parsed), first=days[0], last=days[-1]))
        name = st.text_input(tr("mp.name"), key="flows_name", max_chars=access.MAX_NAME)
        if st.button(tr("mp.flows_create"), key="flows_create", type="primary"):
            _create(user_id, name, parsed)
