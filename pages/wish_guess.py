""""Guess my wish": ``/?wish=TOKEN`` (hidden page, reached by link, no sign-in needed). The
friend picks one of four candidates, sees the answer, and may leave a name, a message and a
SIMULATED tip (no money moves). A revoked, expired or unknown link shows one message and
nothing else. The friend sees only their own answer and the public progress."""

from __future__ import annotations

import streamlit as st

from app import chrome, errors, navigation, resources, session
from socialfund.core.errors import NotFoundError
from socialfund.services import wishes
from socialfund.wishes.guess import TIP_PRESETS_FEN
from socialfund.wishes.money import yuan_text

navigation.require_router()

RESULT = "_guess_result"   # session state: token → the friend's own GuessResult


def render(token: str) -> None:
    tr = session.tr
    try:
        page = wishes.open_guess(resources.store(), token)
    except NotFoundError:
        st.error(tr("guess.invalid"))
        st.page_link(navigation.HOME.path, label=tr("guess.home"), icon="🏠")
        return
    st.title(f"🎁 {tr('guess.title')}")
    if page.is_demo:
        chrome.demo_badge()
    results = st.session_state.setdefault(RESULT, {})
    result = results.get(token)
    if result is None:
        if page.closed:
            st.info(tr("guess.closed"))
        else:
            st.subheader(tr("guess.ask", owner=chrome.plain(page.owner_name)))
            labels = [f"{emoji} {title}".strip() for title, emoji in page.candidates]
            pick = st.radio(tr("guess.pick"), list(range(len(labels))), format_func=lambda i: labels[i], index=None)
            if st.button(tr("guess.submit"), type="primary", disabled=pick is None):
                with errors.errors_shown():
                    user = session.current_user()
                    results[token] = wishes.submit_guess(resources.store(), user.id, token, int(pick))
                    st.rerun()
    else:
        if result.correct:
            st.success(tr("guess.right", emoji=result.emoji, title=chrome.plain(result.title)))
        else:
            st.warning(tr("guess.wrong", emoji=result.emoji, title=chrome.plain(result.title)))
        if result.receipt:
            st.caption(tr("guess.tip_intro"))
            presets = [0, *TIP_PRESETS_FEN, -1]
            with st.form("guess_tip"):
                name = st.text_input(tr("guess.name"), max_chars=32)
                message = st.text_input(tr("guess.message"), max_chars=140)
                choice = st.radio(tr("guess.tip"), presets, horizontal=True, format_func=lambda f: (
                    tr("guess.tip.none") if f == 0 else tr("guess.tip.own") if f < 0 else f"¥{yuan_text(f)}"))
                own = st.text_input(tr("guess.tip.own_amount"))
                send = st.form_submit_button(tr("guess.send"), type="primary")
            if send:
                tip = own if choice == -1 else (yuan_text(choice, grouping=False) if choice else 0)
                with errors.errors_shown():
                    results[token] = wishes.tip_guess(resources.store(), token, result.receipt, name=name,
                                                      message=message, tip=tip)
                    st.rerun()
        else:
            if result.tip_fen:
                st.success(tr("guess.sent", amount=yuan_text(result.tip_fen)))
            st.info(tr("guess.thanks"))
        page = wishes.open_guess(resources.store(), token)
    st.caption(tr("guess.progress", pct=f"{page.progress:.0%}"))
    st.progress(page.progress)
    st.caption(tr("wish.simulated"))
    st.warning(tr("wish.risk"))


render(str(st.query_params.get(navigation.WISH_PARAM, "")))
