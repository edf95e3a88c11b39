"""The one glue module between Streamlit and the socialfund library.

It holds: page set-up (title, language switch carried across pages, demo label, risk
notice), cached factories (store, market data, scorer: all bounded), the current user,
and the single place that turns library errors into ``st.error``. Pages import this and
the library; the library never imports this.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import pandas as pd
import streamlit as st

from socialfund.config import REPO_ROOT, Settings, load_settings
from socialfund.errors import ConfigError, SocialFundError
from socialfund.i18n import t

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
    from socialfund.market import get_provider

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


def demo_badge() -> None:
    """The visible demo label; call on every page that shows demo data."""
    st.warning(f"**{tr('demo.badge')}** · {tr('demo.explain')}", icon="🧪")


def risk_notice() -> None:
    st.caption(f"⚠️ {t('risk.notice', 'zh')}  \n{t('risk.notice', 'en')}" if lang() == "zh"
               else f"⚠️ {t('risk.notice', 'en')}  \n{t('risk.notice', 'zh')}")


def is_demo_market() -> bool:
    return settings().market_provider == "demo"


def page_setup(title_key: str, icon: str = "📈", *, wide: bool = True) -> str:
    """Every page starts here: config, language switch in the sidebar, returns the language."""
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
    user = current_user()
    st.sidebar.caption(user.display_name)
    return current


class User:
    """The acting user: ``id`` in the store, a stable ``key`` and a display name."""

    def __init__(self, id: int, key: str, display_name: str, signed_in: bool) -> None:
        self.id, self.key, self.display_name, self.signed_in = id, key, display_name, signed_in


def current_user() -> User:
    """Who is acting. With ``[auth]`` in secrets: the OIDC user (issuer + subject), else the local owner."""
    from socialfund.users import get_or_create_user

    oidc = _oidc_configured()
    if oidc and getattr(st.user, "is_logged_in", False):
        issuer = str(st.user.get("iss", ""))
        subject = str(st.user.get("sub", ""))
        name = str(st.user.get("name") or st.user.get("email") or subject)
        key = f"oidc:{issuer}|{subject}"
        signed_in = True
    else:
        key, name, signed_in = "local:owner", tr("user.local"), not oidc
    uid = st.session_state.get(("_uid", key))
    if uid is None:
        uid = get_or_create_user(store(), key, name)
        st.session_state[("_uid", key)] = uid
    return User(uid, key, name, signed_in)


def _oidc_configured() -> bool:
    try:
        return "auth" in st.secrets
    except Exception:  # noqa: BLE001 - no secrets file at all
        return False


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
