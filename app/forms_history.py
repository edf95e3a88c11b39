"""The rebalance-history import on the my-portfolios page: upload ``date,code,weight``
(``socialfund.io.history_file``) → preview → ``services.portfolio_crud.import_history``
(one backdated version per date). The same as ``python -m socialfund portfolio import-history``."""

from __future__ import annotations

import streamlit as st

from socialfund.core.errors import SocialFundError
from socialfund.io.history_file import read_history_csv
from socialfund.services import access, portfolio_crud

from app import errors, resources, session
from app.forms_my_portfolios import SELECTED_KEY, flash, new_picker
from app.forms_weights import Choices


def history_import_form(user_id: int, offer: Choices) -> None:
    tr = session.tr
    with st.expander(tr("mp.hist_import")):
        st.caption(tr("mp.history_help"))
        upload = st.file_uploader(tr("mp.history_upload"), type=["csv", "txt"], key="history_upload")
        if upload is None:
            return
        try:
            history = read_history_csv(upload.getvalue(), upload.name, list(offer.known))
        except SocialFundError as exc:
            st.error(tr("error.generic", msg=errors.message(exc, session.lang())))
            return
        st.caption(tr("mp.history_read", n=len(history), first=history[0].day, last=history[-1].day))
        name = st.text_input(tr("mp.name"), key="history_name", max_chars=access.MAX_NAME)
        public = st.checkbox(tr("mp.history_public"), key="history_public")
        if st.button(tr("mp.history_create"), key="history_create", type="primary"):
            try:
                pid = portfolio_crud.import_history(resources.store(), user_id, name, history,
                                                    visibility="public" if public else "private")
            except SocialFundError as exc:
                st.error(tr("error.generic", msg=errors.message(exc, session.lang())))
            else:
                st.session_state[SELECTED_KEY] = pid
                new_picker()
                flash(tr("mp.history_created", id=pid, n=len(history)))
                st.rerun()
