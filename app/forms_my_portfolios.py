"""The owner's sections of the my-portfolios page, each widgets → ``services.portfolio_crud``
→ draw: create a portfolio (with a CSV upload), pick one of one's own, its summary, holdings
and history, the actions (visibility, confirm, close, delete) and the rebalance editor. A
change reruns the page with a one-line flash message (``flash`` / ``show_flash``)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime

import streamlit as st

from socialfund.core.errors import SocialFundError
from socialfund.core.timeutil import from_utc_naive
from socialfund.core.weights import CASH, bp_to_percent
from socialfund.io.holdings import holdings_csv_bytes, read_holdings_csv
from socialfund.services import access, portfolio_crud
from socialfund.services.portfolio_crud import PortfolioInfo
from socialfund.view import formats
from socialfund.view.portfolio_tables import STAMP, holdings_percent, version_history

from app import chrome, errors, resources, session
from app.forms_weights import Choices, forget_editor, reset_editor, show_weights_error, weights_editor

FLASH_KEY = "_mp_flash"          # session state: the message shown once after a change
SELECTED_KEY = "mp_selected"     # session state: the portfolio picked
PICK_GEN_KEY = "mp_pick_gen"     # session state: the picker widget's generation


def local_time(ts: datetime | None) -> str:
    """A naive-UTC store time as Shanghai wall-clock text."""
    return from_utc_naive(ts).strftime(STAMP) if ts is not None else "—"


def visibility_labels() -> dict[str, str]:
    return {v: session.tr(f"mp.vis.{v}") for v in access.VISIBILITIES}


def flash(message: str) -> None:
    st.session_state[FLASH_KEY] = message


def show_flash() -> None:
    message = st.session_state.pop(FLASH_KEY, None)
    if message:
        st.success(message)


def new_picker() -> None:
    """A fresh picker widget on the next run, so it opens on ``mp_selected``: a kept widget
    would keep showing (and returning) the portfolio picked before a create or delete."""
    st.session_state[PICK_GEN_KEY] = st.session_state.get(PICK_GEN_KEY, 0) + 1


def _csv_upload(offer: Choices) -> None:
    tr = session.tr
    with st.expander(tr("mp.csv")):
        st.caption(tr("mp.csv_help"))
        upload = st.file_uploader(tr("mp.upload"), type=["csv", "txt"], key="new_upload")
        if upload is not None:
            try:
                parsed = read_holdings_csv(upload.getvalue(), upload.name, list(offer.known))
            except SocialFundError as exc:
                st.error(tr("error.generic", msg=errors.message(exc, session.lang())))
            else:
                for warning in parsed.warnings:
                    st.warning(warning)
                st.caption(tr("mp.loaded", n=len(parsed.weights_pct)))
                if st.button(tr("mp.use_upload"), key="new_use_upload"):
                    reset_editor("new", [(c, float(p)) for c, p in parsed.weights_pct.items()])


def create_form(user_id: int, offer: Choices) -> None:
    """Name, description, visibility, weights (typed or uploaded) and note → a new portfolio."""
    tr = session.tr
    labels = visibility_labels()
    name = st.text_input(tr("mp.name"), key="new_name", max_chars=access.MAX_NAME)
    description = st.text_area(tr("mp.description"), key="new_desc", max_chars=access.MAX_DESCRIPTION, height=80)
    visibility = st.radio(tr("mp.visibility"), access.VISIBILITIES, index=2, format_func=labels.get,
                          key="new_vis", horizontal=True)
    _csv_upload(offer)
    rows = weights_editor("new", {}, offer)
    note = st.text_input(tr("mp.note"), key="new_note", max_chars=access.MAX_NOTE)
    if st.button(tr("mp.create"), key="new_create", type="primary"):
        try:
            pid = portfolio_crud.create_portfolio(resources.store(), user_id, name, rows or [],
                                                  description=description, visibility=visibility, note=note)
        except SocialFundError as exc:
            show_weights_error(exc)
        else:
            forget_editor("new")
            st.session_state[SELECTED_KEY] = pid
            new_picker()
            flash(tr("mp.created", id=pid))
            st.rerun()


def pick(mine: Sequence[PortfolioInfo]) -> PortfolioInfo:
    """The picker over one's own portfolios (opening on the last one picked)."""
    by_id = {p.id: p for p in mine}
    ids = list(by_id)
    selected = st.session_state.get(SELECTED_KEY)
    pid = st.selectbox(session.tr("mp.pick"), ids, index=ids.index(selected) if selected in ids else 0,
                       format_func=lambda i: f"{by_id[i].name} (#{i})",
                       key=f"mp_pick_{st.session_state.get(PICK_GEN_KEY, 0)}", placeholder=session.tr("ui.choose_one"))
    st.session_state[SELECTED_KEY] = pid
    return by_id[pid]


def summary(info: PortfolioInfo) -> None:
    tr = session.tr
    current = info.current
    status = tr("mp.status.closed") if info.closed_at else tr("mp.status.open")
    st.subheader(chrome.plain(info.name))
    if info.description:
        st.write(chrome.plain(info.description))
    st.caption(tr("mp.summary", id=info.id, visibility=visibility_labels()[info.visibility], status=status,
                  version=current.version if current else 0,
                  placed=current.placed_at.strftime(STAMP) if current else "—"))
    if info.confirmed_at:
        st.caption(tr("mp.confirmed", at=local_time(info.confirmed_at)))


def holdings_and_history(info: PortfolioInfo, names: Mapping[str, str]) -> None:
    """The current holdings (with the CSV export) beside the version history."""
    tr = session.tr
    left, right = st.columns([3, 2])
    with left:
        st.markdown(f"**{tr('mp.holdings')}**")
        table = holdings_percent(info.current_weights, names).rename(
            columns={"code": tr("col.code"), "name": tr("col.name"), "weight": tr("mp.col.weight")})
        st.dataframe(table, hide_index=True, width="stretch",
                     column_config={tr("mp.col.weight"): st.column_config.NumberColumn(format=formats.PCT_COLUMN_FORMAT)})
        csv_names = {c: n for c, n in names.items() if c != CASH}
        st.download_button(tr("mp.export"), holdings_csv_bytes(info.current_weights, csv_names),
                           file_name=f"portfolio-{info.id}-holdings.csv", mime="text/csv", key="mp_export")
    with right:
        st.markdown(f"**{tr('mp.history')}**")
        st.dataframe(version_history(info.versions).rename(columns={
            "version": tr("mp.col.version"), "placed": tr("mp.col.placed"), "note": tr("mp.col.note")}),
            hide_index=True, width="stretch")


def actions(info: PortfolioInfo, user_id: int) -> None:
    """Visibility, confirm, close and (ticked) delete."""
    tr = session.tr
    store, pid = resources.store(), info.id
    labels = visibility_labels()
    with st.expander(tr("mp.actions"), expanded=False):
        new_vis = st.radio(tr("mp.visibility"), access.VISIBILITIES, index=access.VISIBILITIES.index(info.visibility),
                           format_func=labels.get, key=f"vis_{pid}", horizontal=True)
        if new_vis != info.visibility:
            with errors.errors_shown():
                portfolio_crud.set_visibility(store, user_id, pid, new_vis)
                st.rerun()
        c1, c2 = st.columns(2)
        if c1.button(tr("mp.confirm"), key=f"confirm_{pid}", disabled=info.closed_at is not None):
            with errors.errors_shown():
                portfolio_crud.confirm(store, user_id, pid)
                flash(tr("mp.confirmed_ok"))
                st.rerun()
        if c2.button(tr("mp.close"), key=f"close_{pid}", disabled=info.closed_at is not None):
            with errors.errors_shown():
                portfolio_crud.close(store, user_id, pid)
                flash(tr("mp.closed_ok"))
                st.rerun()
        sure = st.checkbox(tr("mp.delete_confirm"), key=f"sure_{pid}")
        if st.button(tr("mp.delete"), key=f"delete_{pid}", disabled=not sure):
            with errors.errors_shown():
                portfolio_crud.delete_portfolio(store, user_id, pid)
                st.session_state.pop(SELECTED_KEY, None)
                new_picker()
                flash(tr("mp.deleted_ok"))
                st.rerun()


def rebalance(info: PortfolioInfo, user_id: int, offer: Choices) -> None:
    """The weights editor on the current version, and its save as the next version."""
    tr = session.tr
    current = info.current
    with st.expander(tr("mp.rebalance")):
        prefix = f"rb_{info.id}_{current.version if current else 0}"
        rows = weights_editor(prefix, dict(bp_to_percent(info.current_weights)), offer)
        note = st.text_input(tr("mp.note"), key=f"{prefix}_note", max_chars=access.MAX_NOTE)
        if st.button(tr("mp.rebalance_save"), key=f"{prefix}_save", type="primary"):
            try:
                number = portfolio_crud.rebalance(resources.store(), user_id, info.id, rows or [], note)
            except SocialFundError as exc:
                show_weights_error(exc)
            else:
                forget_editor(prefix)
                flash(tr("mp.rebalanced", version=number))
                st.rerun()
