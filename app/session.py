"""Who is acting and in which language, for one browser session.

The language lives in ``st.session_state[LANG_KEY]`` (so it is kept across pages: widget
state is not) and, when it is not the configured default, in the URL as ``?lang=en`` (so a
reload, which starts a new Streamlit session, comes back in the same language). The user
is the single local owner, or with ``[auth]`` in ``.streamlit/secrets.toml`` the OIDC user
(or an anonymous visitor until they log in). Authentication only: what a user may do is
decided by ``socialfund.services.sharing``.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass

import streamlit as st

from socialfund.core.config import LANGUAGES
from socialfund.store.users import get_or_create_user
from socialfund.view.i18n import t

from app import resources

LANG_KEY = "lang"      # session state: the language, carried across pages
LANG_PARAM = "lang"    # query parameter: the language, carried across reloads
ANONYMOUS_KEY = "anonymous"
LOCAL_OWNER_KEY = "local:owner"


def lang() -> str:
    """The session's language: chosen in the sidebar, else ``?lang=`` of the first URL,
    else the configured default (``SOCIALFUND_LANG``)."""
    if LANG_KEY not in st.session_state:
        asked = st.query_params.get(LANG_PARAM)
        st.session_state[LANG_KEY] = asked if asked in LANGUAGES else resources.settings().language
    current: str = st.session_state[LANG_KEY]
    return current


def set_lang(code: str) -> None:
    st.session_state[LANG_KEY] = code


def keep_lang_in_url() -> None:
    """Write the language into the URL when it is not the default (remove it when it is);
    the router calls this on every run, since changing page clears the query parameters."""
    current, default = lang(), resources.settings().language
    if current != default and st.query_params.get(LANG_PARAM) != current:
        st.query_params[LANG_PARAM] = current
    elif current == default and LANG_PARAM in st.query_params:
        del st.query_params[LANG_PARAM]


def tr(key: str, **fmt: object) -> str:
    """Translate ``key`` into the session's language."""
    return t(key, lang(), **fmt)


def translator(language: str) -> Callable[..., str]:
    """``tr`` bound to one language: for widget ``format_func`` callbacks, which Streamlit
    may call outside the script run that drew the widget (where ``lang()`` is not readable)."""
    def bound(key: str, **fmt: object) -> str:
        return t(key, language, **fmt)
    return bound


@dataclass(frozen=True)
class User:
    """The acting user: ``id`` in the store (``None`` for an anonymous visitor), a stable
    ``key`` and a display name. Pass ``id`` as the ``actor`` of ``socialfund.services.sharing``."""

    id: int | None
    key: str
    display_name: str
    signed_in: bool


def oidc_configured() -> bool:
    """True when ``.streamlit/secrets.toml`` has an ``[auth]`` section (OIDC via st.login)."""
    try:
        return "auth" in st.secrets
    except Exception:  # noqa: BLE001 - no secrets file at all
        return False


def local_user() -> tuple[str, str]:
    """(key, display name) of single-machine mode's user: the local owner ('local:owner'), or
    with ``SOCIALFUND_LOCAL_USER=NAME`` 'local:NAME' (several processes on one store, each
    serving its own local user: tests of two users, a shared family machine)."""
    name = os.environ.get("SOCIALFUND_LOCAL_USER", "").strip()
    if not name or name == "owner":
        return LOCAL_OWNER_KEY, tr("user.local")
    return f"local:{name}", name


def current_user() -> User:
    """Who is acting. Without ``[auth]``: the single local owner ('local:owner';
    single-machine mode). With it: the OIDC user keyed on issuer + subject
    ('oidc:<iss>|<sub>'), or an anonymous visitor (id ``None``) until they log in."""
    if oidc_configured():
        if not getattr(st.user, "is_logged_in", False):
            return User(None, ANONYMOUS_KEY, tr("auth.anonymous"), False)
        issuer = str(st.user.get("iss", ""))
        subject = str(st.user.get("sub", ""))
        name = str(st.user.get("name") or st.user.get("email") or subject)
        key = f"oidc:{issuer}|{subject}"
    else:
        key, name = local_user()
    uid_key = f"_uid:{key}"  # session state: the store id of this user, looked up once per session
    uid = st.session_state.get(uid_key)
    if uid is None:
        uid = get_or_create_user(resources.store(), key, name)
        st.session_state[uid_key] = uid
    return User(int(uid), key, name, True)
