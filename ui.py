"""The one glue module between Streamlit and the socialfund library.

It holds: page set-up (title, language switch carried across pages, demo label, risk
notice), cached factories (store, market data, scorer: all bounded), the current user,
and the single place that turns library errors into ``st.error``. Pages import this and
the library; the library never imports this.
"""

from __future__ import annotations

import gc
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager

import pandas as pd
import streamlit as st

from socialfund.core.config import REPO_ROOT, Settings, load_settings
from socialfund.core.errors import ConfigError, SocialFundError
from socialfund.view.i18n import t

LANG_KEY = "lang"             # the language, carried across pages
_LANG_WIDGET = "_lang_widget"  # the widget's own key (widget state resets on page change)


def lang() -> str:
    if LANG_KEY not in st.session_state:
        st.session_state[LANG_KEY] = settings().language
    return st.session_state[LANG_KEY]


def tr(key: str, **fmt: object) -> str:
    """Translate ``key`` into the current language."""
    return t(key, lang(), **fmt)


@st.cache_resource(show_spinner=False)
def _settings_cached() -> Settings:
    return load_settings()


def settings() -> Settings:
    try:
        return _settings_cached()
    except ConfigError as exc:
        st.error(f"配置错误 / Configuration error: {exc}")
        st.stop()
        raise


@st.cache_resource(show_spinner="正在准备数据库 / preparing the database…")
def _store():  # type: ignore[no-untyped-def]
    from socialfund.store import open_store
    from socialfund.store.demo import ensure_demo

    store = open_store(settings().database_url)
    ensure_demo(store)
    return store


def store():  # type: ignore[no-untyped-def]
    with errors_shown(stop=True):
        return _store()


@st.cache_resource(show_spinner=False)
def _provider():  # type: ignore[no-untyped-def]
    from socialfund.market.providers import get_provider

    return get_provider(settings(), _store() if settings().market_provider == "yfinance" else None)


def provider():  # type: ignore[no-untyped-def]
    with errors_shown(stop=True):
        return _provider()


@st.cache_data(ttl=3600, max_entries=8, show_spinner=False)
def _closes(codes: tuple[str, ...] | None) -> tuple[pd.DataFrame, dict[str, str], list[str]]:
    data = _provider().closes(list(codes) if codes is not None else None)
    return data.closes, data.sources, data.notices


def closes(codes: list[str] | None = None) -> pd.DataFrame:
    """Adjusted closes (sessions × codes) from the configured provider; notices shown once."""
    with errors_shown(stop=True):
        frame, sources, notices = _closes(tuple(codes) if codes is not None else None)
    for notice in notices:
        st.warning(notice)
    st.session_state["_price_sources"] = sources
    return frame


def universe():  # type: ignore[no-untyped-def]
    return provider().universe()


def instrument_names() -> dict[str, str]:
    return {i.code: i.name(lang()) for i in universe()}


def plain(text: object) -> str:
    """User text (names, descriptions, notes) shown through markdown, escaped so it reads as
    typed: no formatting, no links. (HTML is never rendered: no ``unsafe_allow_html``.)"""
    return "".join("\\" + ch if ch in "\\`*_{}[]()#+-.!|<>~$:" else ch for ch in str(text))


def demo_badge() -> None:
    """The visible demo label; call on every page that shows demo data."""
    st.warning(f"**{tr('demo.badge')}** · {tr('demo.explain')}", icon="🧪")


def risk_notice() -> None:
    st.caption(f"⚠️ {t('risk.notice', 'zh')}  \n{t('risk.notice', 'en')}" if lang() == "zh"
               else f"⚠️ {t('risk.notice', 'en')}  \n{t('risk.notice', 'zh')}")


def is_demo_market() -> bool:
    return settings().market_provider == "demo"


_freeze_lock = threading.Lock()
_frozen_at_modules = 0  # len(sys.modules) when the heap was last frozen


def _freeze_long_lived_heap() -> None:
    """Move the long-lived heap (imported modules, their functions and classes) out of the
    cyclic garbage collector's reach, once per growth of ``sys.modules``.

    Why: Streamlit runs ``gc.collect(2)`` after EVERY script run (``runner.postScriptGC``).
    A full collection walks every gc-tracked object: about 190 000 once pandas, plotly,
    sklearn and jieba are imported — measured 60-70 ms per page run, and about half the
    server's CPU under ``benchmarks/load.py`` (py-spy). ``gc.freeze()`` puts the objects alive
    now into a permanent generation that collections skip; measured after it: 0.3-2 ms.
    Reference counting still frees frozen objects; only a reference CYCLE that was alive at
    freeze time and dies later is never reclaimed, so we freeze rarely: when new modules were
    imported since the last freeze (a handful of times per process, all early), never per run.
    """
    global _frozen_at_modules
    if len(sys.modules) <= _frozen_at_modules:
        return
    with _freeze_lock:
        if len(sys.modules) > _frozen_at_modules:
            gc.collect()   # free the garbage that exists now, so it is not frozen
            gc.freeze()
            _frozen_at_modules = len(sys.modules)


def page_setup(title_key: str, icon: str = "📈", *, wide: bool = True) -> str:
    """Every page starts here: config, language switch in the sidebar, returns the language."""
    _freeze_long_lived_heap()
    st.set_page_config(page_title=f"{t(title_key, 'zh')} · socialfund", page_icon=icon,
                       layout="wide" if wide else "centered")
    current = lang()
    options = ["zh", "en"]
    choice = st.sidebar.radio(t("lang.label", current), options, index=options.index(current),
                              format_func=lambda c: "中文" if c == "zh" else "English", horizontal=True,
                              key=_LANG_WIDGET)
    if choice != current:
        st.session_state[LANG_KEY] = choice
        st.rerun()
    _sidebar_identity()
    return current


def _sidebar_menu() -> None:
    """The page menu with translated names (Streamlit's own menu shows file names)."""
    from streamlit.errors import StreamlitAPIException

    try:
        st.sidebar.page_link("dashboard.py", label=tr("menu.home"), icon="🏠")
        for path, icon, key in PAGE_LINKS:
            st.sidebar.page_link(path, label=tr("menu." + key.split(".", 1)[1]), icon=icon)
    except StreamlitAPIException:
        # A page run on its own (AppTest.from_file("pages/...")) has no multipage app
        # around it, so its links cannot resolve; the menu is navigation only.
        pass
    st.sidebar.divider()


class User:
    """The acting user: ``id`` in the store (``None`` for an anonymous visitor), a stable
    ``key`` and a display name. Pass ``id`` as the ``actor`` of the ``socialfund.services`` calls."""

    def __init__(self, id: int | None, key: str, display_name: str, signed_in: bool) -> None:
        self.id, self.key, self.display_name, self.signed_in = id, key, display_name, signed_in


ANONYMOUS_KEY = "anonymous"


def current_user() -> User:
    """Who is acting. Without ``[auth]`` in ``.streamlit/secrets.toml``: the single local
    owner ('local:owner'; single-machine mode). With it: the OIDC user keyed on issuer +
    subject ('oidc:<iss>|<sub>'), or an anonymous visitor (id ``None``) until they log in.
    Authentication only: what a user may do is decided by ``socialfund.services.access``."""
    from socialfund.store.users import get_or_create_user

    if _oidc_configured():
        if not getattr(st.user, "is_logged_in", False):
            return User(None, ANONYMOUS_KEY, tr("auth.anonymous"), False)
        issuer = str(st.user.get("iss", ""))
        subject = str(st.user.get("sub", ""))
        name = str(st.user.get("name") or st.user.get("email") or subject)
        key = f"oidc:{issuer}|{subject}"
    else:
        key, name = "local:owner", tr("user.local")
    uid = st.session_state.get(("_uid", key))
    if uid is None:
        uid = get_or_create_user(store(), key, name)
        st.session_state[("_uid", key)] = uid
    return User(uid, key, name, True)


def _oidc_configured() -> bool:
    """True when ``.streamlit/secrets.toml`` has an ``[auth]`` section (OIDC via st.login)."""
    try:
        return "auth" in st.secrets
    except Exception:  # noqa: BLE001 - no secrets file at all
        return False


def _sidebar_identity() -> None:
    """Who is acting, in the sidebar; with OIDC configured, the log-in / log-out button."""
    _sidebar_menu()
    user = current_user()
    if not _oidc_configured():
        st.sidebar.caption(user.display_name)
        return
    if user.signed_in:
        st.sidebar.caption(tr("user.signed_in_as", name=user.display_name))
        if st.sidebar.button(tr("user.logout"), key="_logout"):
            st.logout()
    else:
        st.sidebar.caption(user.display_name)
        if st.sidebar.button(tr("user.login"), key="_login", type="primary"):
            st.login()


@contextmanager
def errors_shown(stop: bool = False) -> Iterator[None]:
    """Turn library errors into one clear ``st.error`` line (and stop the page if asked)."""
    try:
        yield
    except ConfigError as exc:
        st.error(t("error.config", lang(), msg=exc))
        st.stop()
    except SocialFundError as exc:
        st.error(t("error.generic", lang(), msg=exc))
        if stop:
            st.stop()


# Pages listed on the home page, in order: (path, icon, i18n key of the label).
# A page appears here only once it exists (no placeholders).
_PLANNED_PAGES = [
    ("pages/1_Leaderboard.py", "🏆", "nav.leaderboard"),
    ("pages/2_Portfolio.py", "📊", "nav.portfolio"),
    ("pages/3_Sentiment.py", "💬", "nav.sentiment"),
    ("pages/4_Fund_Ideas.py", "💡", "nav.ideas"),
    ("pages/5_My_Portfolios.py", "🗂️", "nav.my_portfolios"),
]
PAGE_LINKS: list[tuple[str, str, str]] = [
    entry for entry in _PLANNED_PAGES if (REPO_ROOT / entry[0]).exists()]
