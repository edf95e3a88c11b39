"""消息 Inbox: the events the user's alert rules raised (newest first, unread marked, links to
the fund / portfolio / post), the rules themselves (add, remove) and the optional webhook URL.

Thin page: widgets → ``socialfund.services.alert_rules`` (which enforces every check) → draw,
section by section in ``app.draw_inbox``. The acting user is ``session.current_user().id``.
"""

from __future__ import annotations

import streamlit as st

from app import draw_inbox, navigation, session

navigation.require_router()

lang = session.lang()
st.title(f"🔔 {session.tr('inbox.title')}")
st.caption(session.tr("inbox.intro"))

user = session.current_user()
if user.id is None:
    st.info(session.tr("inbox.sign_in"))
    st.stop()

draw_inbox.show_flash()
tab_events, tab_rules = st.tabs([session.tr("inbox.tab.events"), session.tr("inbox.tab.rules")])
with tab_events:
    draw_inbox.events(user.id, lang)
with tab_rules:
    draw_inbox.rules(user.id, lang)
    draw_inbox.webhook(user.id)
