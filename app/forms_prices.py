"""The price-file upload on the home page: upload → ``services.prices_import.import_price_file``
(format sniffed, codes resolved, new instruments registered, one transaction) → a one-line
result. The same as ``python -m socialfund prices import FILE [--code CODE]``."""

from __future__ import annotations

import streamlit as st

from socialfund.core.errors import SocialFundError
from socialfund.services.prices_import import import_price_file
from socialfund.view.quality_text import report_lines

from app import errors, resources, session

RESULT_KEY = "prices_import_result"   # session state: the last import's messages, shown after the rerun


def prices_upload_form() -> None:
    """The upload expander (open while the store has no prices yet)."""
    tr = session.tr
    shown = st.session_state.pop(RESULT_KEY, None)
    with st.expander(tr("prices.upload_title"), expanded=shown is not None):
        if shown is not None:
            done, notices = shown
            st.success(done)
            for notice in notices:
                st.warning(tr("prices.notice", msg=notice))
        st.caption(tr("prices.upload_help"))
        upload = st.file_uploader(tr("prices.upload"), type=["csv", "txt"], key="prices_upload")
        code = st.text_input(tr("prices.code"), key="prices_code", help=tr("prices.code_help"))
        if upload is None or not st.button(tr("prices.import"), key="prices_import", type="primary"):
            return
        try:
            bar = st.progress(0.0)
            result = import_price_file(resources.store(), upload.getvalue(), upload.name, code=code.strip() or None,
                                       progress=lambda done, total: bar.progress(min(done / total, 1.0)))
            bar.empty()
        except SocialFundError as exc:
            st.error(tr("error.generic", msg=errors.message(exc, session.lang())))
            return
        st.session_state[RESULT_KEY] = (
            tr("prices.imported", rows=result.rows, codes=len(result.codes), first=result.first, last=result.last,
               format=result.format, source=result.source, registered=len(result.registered), gaps=result.gaps,
               non_sessions=result.non_sessions_dropped),
            [*report_lines(result.quality, session.lang()), *result.warnings])
        st.rerun()   # the page again, on the prices just stored (its caches are keyed on them)
