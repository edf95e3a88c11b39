"""What the router draws around every page: the language switch and the identity box in
the sidebar, the demo label, the risk notice; and ``plain()``, the one escaper for user text
shown through markdown."""

from __future__ import annotations

from collections.abc import Sequence

import streamlit as st

from socialfund.core.config import LANGUAGES
from socialfund.view.i18n import t

from app import session

LANG_WIDGET = "_lang_widget"  # the switch's own widget key (its state is not the language)


def plain(text: object) -> str:
    """User text (names, descriptions, notes) shown through markdown, escaped so it reads as
    typed: no formatting, no links. (HTML is never rendered: no ``unsafe_allow_html``.)"""
    return "".join("\\" + ch if ch in "\\`*_{}[]()#+-.!|<>~$:" else ch for ch in str(text))


def demo_badge(parts: Sequence[str] = ()) -> None:
    """The visible demo label. The router draws it naming the datasets of the page that are
    demo (``services.datasets``: prices, community, posts); a page whose own data is demo,
    such as demo posts or a demo snapshot, draws it itself (``parts`` empty: generic text)."""
    tr = session.tr
    which = f" ({' · '.join(tr(f'demo.part.{p}') for p in parts)})" if parts else ""
    st.warning(f"**{tr('demo.badge')}**{which} · {tr('demo.explain_parts' if parts else 'demo.explain')}", icon="🧪")


def risk_notice() -> None:
    """The risk notice in both languages, the session's first."""
    first, second = ("zh", "en") if session.lang() == "zh" else ("en", "zh")
    st.caption(f"⚠️ {t('risk.notice', first)}  \n{t('risk.notice', second)}")


def language_switch() -> None:
    """The language radio in the sidebar; a change is kept in the session and reruns."""
    current = session.lang()
    options = list(LANGUAGES)
    choice = st.sidebar.radio(t("lang.label", current), options, index=options.index(current),
                              format_func=lambda c: "中文" if c == "zh" else "English", horizontal=True,
                              key=LANG_WIDGET)
    if choice != current:
        session.set_lang(choice)
        st.rerun()


def sidebar_identity() -> None:
    """Who is acting, in the sidebar; with OIDC configured, the log-in / log-out button."""
    st.sidebar.divider()
    user = session.current_user()
    if not session.oidc_configured():
        st.sidebar.caption(user.display_name)
        return
    if user.signed_in:
        st.sidebar.caption(session.tr("user.signed_in_as", name=user.display_name))
        if st.sidebar.button(session.tr("user.logout"), key="_logout"):
            st.logout()
    else:
        st.sidebar.caption(user.display_name)
        if st.sidebar.button(session.tr("user.login"), key="_login", type="primary"):
            st.login()
