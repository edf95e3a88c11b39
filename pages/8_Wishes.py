"""小心愿 Wishes: create a wish with its saving plan, see its progress and projection, record
deposits (by hand or CSV), share a "guess my wish" link, see friends' guesses and simulated
tips, download the wish card, close it.

Thin page: widgets → ``socialfund.services.wishes`` (which enforces the permissions) → draw,
section by section in ``app.forms_wishes``. The acting user is ``session.current_user().id``.
"""

from __future__ import annotations

import streamlit as st

from app import forms_wishes, navigation, resources, session
from socialfund.services import wishes

navigation.require_router()

lang = session.lang()
st.title(f"🌟 {session.tr('wish.title')}")
st.caption(session.tr("wish.intro"))

user = session.current_user()
if user.id is None:
    st.info(session.tr("wish.sign_in"))
    st.stop()

forms_wishes.show_flash()
tab_mine, tab_new = st.tabs([session.tr("wish.tab.mine"), session.tr("wish.tab.create")])

with tab_new:
    forms_wishes.create_form(user.id, lang)

with tab_mine:
    mine = wishes.my_wishes(resources.store(), user.id)
    if not mine:
        st.info(session.tr("wish.none"))
    else:
        ids = [w.id for w in mine]
        picked = st.session_state.get("wish_pick")
        wish_id = st.selectbox(session.tr("wish.pick"), ids, index=ids.index(picked) if picked in ids else 0,
                               format_func=lambda i: next(f"#{w.id} {w.emoji} {w.title}" for w in mine if w.id == i),
                               placeholder=session.tr("ui.choose_one"))
        w = next(w for w in mine if w.id == wish_id)
        forms_wishes.progress(w, lang)
        p = forms_wishes.projection(w, user.id, lang)
        forms_wishes.deposits(w, user.id)
        forms_wishes.sharing(w, user.id)
        forms_wishes.guesses(w)
        forms_wishes.card_and_close(w, p, user.id, lang)
