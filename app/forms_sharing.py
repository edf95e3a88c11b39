"""The sharing sections of the my-portfolios page, each widgets → services → draw: a
portfolio's snapshots (the form, the new share link shown once, the list with PNG cards and
revoke) via ``services.snapshots``; the follows tab (followed portfolios, the rebalance feed)
via ``services.follows``."""

from __future__ import annotations

from collections.abc import Mapping

import streamlit as st

from socialfund.core.timeutil import utcnow
from socialfund.services import access, follows, snapshots
from socialfund.services.portfolio_crud import PortfolioInfo
from socialfund.view import cards
from socialfund.view.portfolio_tables import STAMP, changes_text

from app import chrome, errors, forms_portfolio, navigation, resources, session
from app.form_rules import Bound, Form
from app.forms_my_portfolios import flash, local_time
from app.share_links import snapshot_link

NEW_LINK_KEY = "_mp_new_link"   # session state: (portfolio id, link or None) of the snapshot just made


def _new_link(pid: int) -> None:
    """The share link of the snapshot just created, shown once, then forgotten."""
    tr = session.tr
    new_link = st.session_state.pop(NEW_LINK_KEY, None)
    if new_link and new_link[0] == pid:
        if new_link[1]:
            st.success(tr("mp.snap_created"))
            st.code(new_link[1], language=None)
        else:
            st.success(tr("mp.snap_private"))


def _snapshot_form(info: PortfolioInfo, user_id: int) -> None:
    """Title, visibility, amounts, expiry → a snapshot. Through ``app.form_rules``: the amount
    and the expiry are checked by the service's own bounds under each field, and Create stays
    disabled until they are valid (a refused value never leaves an old "created" message up)."""
    tr = session.tr
    pid = info.id
    form = Form(f"snap_{pid}")
    with st.container(border=True):
        title = st.text_input(tr("mp.snap_title"), value=info.name, max_chars=access.MAX_NAME, key=f"snap_title_{pid}")
        visibility = st.radio(tr("mp.snap_vis"), snapshots.SNAPSHOT_VISIBILITIES, index=1, horizontal=True,
                              format_func=lambda v: tr(f"mp.snap_vis.{v}"), key=f"snap_vis_{pid}")
        weights_only = st.checkbox(tr("mp.weights_only"), value=True, key=f"snap_wo_{pid}")
        c1, c2 = st.columns(2)
        amount = form.number(c1, tr("mp.amount"), f"snap_amount_{pid}", 100_000.0, Bound(lo=0), step=10_000.0)
        days = form.number(c2, tr("mp.expires"), f"snap_days_{pid}", 30,
                           Bound(0, snapshots.MAX_EXPIRY_DAYS, whole=True), step=1)
        submitted = form.button(tr("mp.snap_create"), key=f"snap_create_{pid}")
    if submitted:
        codes = info.priced_codes
        with errors.errors_shown():
            created = snapshots.create_snapshot_from_form(
                resources.store(), user_id, pid, resources.session_closes(tuple(codes)) if codes else None, title=title,
                visibility=visibility, weights_only=weights_only, amount_cny=float(amount),
                expires_in_days=int(days), is_demo_data=resources.is_demo_market(),
                risk_free=resources.settings().risk_free)
            st.session_state[NEW_LINK_KEY] = (pid, snapshot_link(created.token) if created.token else None)
            st.rerun()


def _snapshot_list(pid: int, user_id: int, lang: str) -> None:
    tr = session.tr
    store = resources.store()
    st.markdown(f"**{tr('mp.snap_list')}**")
    snaps = snapshots.list_snapshots(store, user_id, pid)
    if not snaps:
        st.caption(tr("mp.snap_none"))
    now = utcnow()
    for snap in snaps:
        state = snap.status(now)
        c1, c2, c3 = st.columns([6, 2, 2])
        c1.write(tr("mp.snap_row", id=snap.id, title=chrome.plain(snap.title), version=snap.version,
                    created=local_time(snap.created_at), visibility=tr(f"mp.snap_vis.{snap.visibility}"),
                    status=tr(f"mp.snap_status.{state}")))

        def _card(sid: int = snap.id, actor: int = user_id, card_lang: str = lang) -> bytes:
            # runs on click, in another thread: library calls only
            snap_view = snapshots.get_snapshot(store, actor, sid)
            return cards.card_png(snap_view.payload, card_lang, title=snap_view.title)

        c2.download_button(tr("mp.card"), _card, file_name=f"snapshot-{snap.id}.png", mime="image/png",
                           key=f"card_{snap.id}")
        if state == "active" and snap.has_link:
            if c3.button(tr("mp.revoke"), key=f"revoke_{snap.id}"):
                with errors.errors_shown():
                    snapshots.revoke_snapshot(store, user_id, snap.id)
                    flash(tr("mp.revoked_ok"))
                    st.rerun()


def snapshots_section(info: PortfolioInfo, user_id: int, lang: str) -> None:
    """Snapshots and share links of one of the owner's portfolios."""
    st.subheader(session.tr("mp.snapshots"))
    _new_link(info.id)
    _snapshot_form(info, user_id)
    _snapshot_list(info.id, user_id, lang)


def follows_tab(user_id: int, names: Mapping[str, str]) -> None:
    """The portfolios one follows (each linked, with unfollow) and the feed of their
    rebalances, each item linked to its portfolio; "follow one from the leaderboard" links
    to the leaderboard, whose rows have a follow button (finding 12)."""
    tr = session.tr
    store = resources.store()
    st.subheader(tr("mp.follows"))
    followed = follows.followed_portfolios(store, user_id)
    if followed.empty:
        st.caption(tr("mp.follows_none"))
        st.page_link(navigation.LEADERBOARD.path, label=tr("link.leaderboard"), icon="🏆")
    for row in followed.itertuples():
        c1, c2 = st.columns([6, 1], vertical_alignment="center")
        c1.page_link(navigation.PORTFOLIO.path, label=chrome.plain(f"{row.name} · {row.owner_name} (#{row.portfolio_id})"),
                     icon="📊", query_params={forms_portfolio.PORTFOLIO_PARAM: str(int(row.portfolio_id))})
        if c2.button(tr("mp.unfollow"), key=f"unfollow_{row.portfolio_id}"):
            with errors.errors_shown():
                follows.unfollow(store, user_id, int(row.portfolio_id))
                st.rerun()
    st.subheader(tr("mp.feed"))
    items = follows.feed(store, user_id, limit=30)
    if not items:
        st.caption(tr("mp.feed_none"))
    for item in items:
        with st.container(border=True):
            st.page_link(navigation.PORTFOLIO.path, icon="📊",
                         label=tr("mp.feed_item", name=chrome.plain(item.portfolio_name),
                                  owner=chrome.plain(item.owner_name), version=item.version,
                                  placed=item.placed_at.strftime(STAMP)),
                         query_params={forms_portfolio.PORTFOLIO_PARAM: str(int(item.portfolio_id))})
            if item.note:
                st.caption(chrome.plain(item.note))
            changes = changes_text(item.changes, names)
            st.caption(chrome.plain(changes if item.version > 1 else f"{tr('mp.feed_first')}: {changes}"))
