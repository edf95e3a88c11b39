"""Draw a discussion thread (``socialfund.services.discussion``): the post box with its
看多/看空 self-tag, posts newest first with their replies, likes, report, and hide / unhide /
approve / delete where the library allows them (the buttons only appear where the view says
``can_…``; the library checks again on every action).

Pages call ONE function at their bottom: ``fund_thread(codes, names)`` (Sentiment: the
chosen funds) or ``portfolio_thread(pid)`` (Portfolio: the open portfolio). Nothing here is
cached: a thread is read fresh on every run, so a post appears at once for its author.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import streamlit as st

from socialfund.core.errors import NotFoundError
from socialfund.core.timeutil import from_utc_naive
from socialfund.services import discussion
from socialfund.services.access import can_view
from socialfund.social import threads

from app import errors, resources, session

TAG_KEYS = {None: "disc.tag_none", "bull": "disc.tag_bull", "bear": "disc.tag_bear"}
TAG_BADGES = {"bull": "🟥", "bear": "🟩"}     # red up, green down: the Chinese market's colours
STATUS_KEYS = {"held": "disc.status_held", "hidden": "disc.status_hidden"}


def fund_thread(codes: Sequence[str], names: Mapping[str, str]) -> None:
    """The discussion of one of ``codes`` (a picker when there are several)."""
    if not codes:
        return
    tr = session.tr
    st.divider()
    st.subheader(tr("disc.title"))
    code = codes[0] if len(codes) == 1 else st.selectbox(
        tr("disc.fund_pick"), list(codes), format_func=lambda c: f"{c} {names.get(c, '')}".strip(), key="disc-fund",
        placeholder=tr("ui.choose_one"))
    st.caption(tr("disc.fund_intro", fund=f"{code} {names.get(code, '')}"))
    _thread(code, None, f"f-{code}", names)


def portfolio_thread(portfolio_id: int | None) -> None:
    """The discussion of a portfolio (nothing for someone who may not view it)."""
    if portfolio_id is None:
        return
    st.divider()
    st.subheader(session.tr("disc.title"))
    st.caption(session.tr("disc.portfolio_intro"))
    _thread(None, int(portfolio_id), f"p-{portfolio_id}", resources.instrument_names(session.lang()))


def _thread(fund: str | None, portfolio: int | None, key: str, names: Mapping[str, str]) -> None:
    tr = session.tr
    user = session.current_user()
    store = resources.store()
    if portfolio is not None and not can_view(store, user.id, portfolio):
        return
    if user.id is None:
        st.info(tr("disc.sign_in"))
    else:
        _post_box(fund, portfolio, key)     # before the read: a new post shows at once
        if discussion.is_editor(store, user.id):
            _moderation_summary()
    try:
        posts = discussion.thread(store, user.id, fund=fund, portfolio=portfolio)
    except NotFoundError:
        return
    if not posts:
        st.caption(tr("disc.empty"))
    for post in posts:
        with st.container(border=True):
            _draw_post(post, names)
            for reply in post.replies:
                with st.container(border=False):
                    st.markdown("↳")
                    _draw_post(reply, names)


def _post_box(fund: str | None, portfolio: int | None, key: str) -> None:
    tr = session.tr
    with st.form(f"disc-new-{key}", clear_on_submit=True):
        text = st.text_area(tr("disc.text", n=threads.MAX_POST_CHARS), max_chars=threads.MAX_POST_CHARS,
                            key=f"disc-text-{key}")
        bound = session.translator(session.lang())   # format_func may run outside the script run
        tag = st.radio(tr("disc.tag"), list(TAG_KEYS), format_func=lambda t: bound(TAG_KEYS[t]), horizontal=True,
                       key=f"disc-tag-{key}")
        sent = st.form_submit_button(tr("disc.submit"))
    if sent:
        with errors.errors_shown():
            view = discussion.post(resources.store(), session.current_user().id, text, fund=fund,
                                   portfolio=portfolio, tag=tag)
            _say_posted(view)


def _say_posted(view: discussion.PostView) -> None:
    if view.status == "held":
        st.warning(session.tr("disc.held_notice", words=view.held_reason or ""))
    else:
        st.success(session.tr("disc.posted"))


def _moderation_summary() -> None:
    store, uid = resources.store(), session.current_user().id
    with errors.errors_shown():
        held = discussion.held(store, uid)
        reports = discussion.reports(store, uid)
        st.caption(session.tr("disc.moderation", held=len(held), reports=len(reports)))


def _draw_post(post: discussion.PostView, names: Mapping[str, str]) -> None:
    tr = session.tr
    when = from_utc_naive(post.created_at).strftime("%Y-%m-%d %H:%M")
    badges = []
    if post.tag:
        badges.append(f"{TAG_BADGES[post.tag]} **{tr(TAG_KEYS[post.tag])}**")
    if post.status in STATUS_KEYS:
        badges.append(f"⚠️ {tr(STATUS_KEYS[post.status])}")
    if post.is_demo:
        badges.append(f"`{tr('disc.demo')}`")
    if post.reports:
        badges.append(tr("disc.reports_count", n=post.reports))
    st.caption(" · ".join([tr("disc.meta", author=post.author_name, time=when), *badges]))
    st.text(post.text)   # user text is shown as text, never as markdown or HTML
    if post.cashtags:
        st.caption(tr("disc.links", funds=", ".join(f"{c} {names.get(c, '')}".strip() for c in post.cashtags)))
    _actions(post)


def _actions(post: discussion.PostView) -> None:
    tr = session.tr
    store, uid = resources.store(), session.current_user().id
    k = f"disc-{post.id}"
    cols = st.columns(6)
    acted = False
    with errors.errors_shown():
        if post.can_like and cols[0].button(tr("disc.unlike" if post.liked else "disc.likes", n=post.likes),
                                            key=f"{k}-like"):
            discussion.like(store, uid, post.id, on=not post.liked)
            acted = True
        elif not post.can_like:
            cols[0].caption(tr("disc.likes", n=post.likes))
        if post.can_hide and cols[1].button(tr("disc.hide"), key=f"{k}-hide"):
            discussion.hide(store, uid, post.id)
            acted = True
        if post.can_unhide and cols[1].button(tr("disc.unhide"), key=f"{k}-unhide"):
            discussion.unhide(store, uid, post.id)
            acted = True
        if post.can_approve and cols[2].button(tr("disc.approve"), key=f"{k}-approve"):
            discussion.approve(store, uid, post.id)
            acted = True
        if post.can_delete and cols[3].button(tr("disc.delete"), key=f"{k}-delete"):
            discussion.delete(store, uid, post.id)
            acted = True
        if post.can_report:
            with cols[4].popover(tr("disc.report")):
                reason = st.text_input(tr("disc.report_reason"), max_chars=threads.MAX_REASON_CHARS, key=f"{k}-why")
                if st.button(tr("disc.report_submit"), key=f"{k}-report"):
                    discussion.report(store, uid, post.id, reason)
                    st.success(tr("disc.reported"))
        if post.can_reply:
            with cols[5].popover(tr("disc.reply")):
                with st.form(f"{k}-reply-form", clear_on_submit=True):
                    text = st.text_area(tr("disc.reply_text"), max_chars=threads.MAX_POST_CHARS, key=f"{k}-reply")
                    bound = session.translator(session.lang())
                    tag = st.radio(tr("disc.tag"), list(TAG_KEYS), format_func=lambda t: bound(TAG_KEYS[t]),
                                   horizontal=True, key=f"{k}-reply-tag")
                    if st.form_submit_button(tr("disc.reply_submit")):
                        _say_posted(discussion.reply(store, uid, post.id, text, tag=tag))
                        acted = True
    if acted:
        st.rerun()
