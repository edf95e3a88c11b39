"""socialfund's entry point (``streamlit run dashboard.py``): the ``st.navigation`` router.

Every run: tune the process (once per growth of its modules), settle the session's
language, build the translated menu from ``app.navigation`` (one page per script in
``pages/``), route a share link ``/?snapshot=TOKEN`` to the snapshot page, then draw the
chrome ONCE for whichever page is open — page config, language switch, identity box, demo
label, data-quality panel (on pages that show prices), risk notice — and run the page inside
it. The risk notice is drawn before the page runs but placed below it, so a page that stops
early (``st.stop()``) still shows it."""

from __future__ import annotations

import streamlit as st

from socialfund.view.i18n import t

from app import chrome, draw_quality, errors, navigation, resources, runtime, session

runtime.tune_process()
lang = session.lang()
pages = navigation.build(lang)
page = st.navigation([p for _, p in pages], position="sidebar")
spec = next(s for s, p in pages if p is page)
navigation.follow_share_link(spec, pages)
session.keep_lang_in_url()

st.set_page_config(page_title=f"{t(spec.tab_key, 'zh')} · socialfund", page_icon=spec.icon, layout="wide")
chrome.language_switch()
with errors.errors_shown(stop=True):
    chrome.sidebar_identity()
    demo = resources.demo_parts().among(spec.shows)
    if demo:
        chrome.demo_badge(demo)
with errors.errors_shown():   # a quality check that fails says so in one line; the page still runs
    draw_quality.page_panel(spec.shows)
body = st.container()
chrome.risk_notice()
with body, errors.errors_shown(stop=True), navigation.routing():
    page.run()
