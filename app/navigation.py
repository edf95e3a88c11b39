"""The page table: one entry per script in ``pages/``, in menu order, and what the
router (``dashboard.py``) builds ``st.navigation`` from.

A page's URL is its file name without the number prefix (``pages/1_Leaderboard.py`` →
``/Leaderboard``; the default page is ``/``): bookmarks and share links rely on it, so the
table never sets ``url_path``. The menu shows the translated title (``menu_key``); the home
page lists the pages that have a ``link_key``. A share link ``/?snapshot=TOKEN`` lands on
the home page's URL and is routed to the read-only snapshot page, token kept.

Every page script starts with ``require_router()``. Why: with a ``pages/`` folder beside
the entry point (the layout the project is built on), Streamlit 1.67 starts each fresh
server process, and every AppTest run, in its old auto-discovered multipage mode, which runs
a page script directly (no router, no chrome, no risk notice) until the router has run once
in the process. A page run that way flips Streamlit to ``st.navigation`` mode and reruns, so
the router draws it (checked in a real browser on a fresh server and in AppTest).
"""

from __future__ import annotations

import contextvars
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import PurePosixPath

import streamlit as st
from streamlit.navigation.page import StreamlitPage
from sqlalchemy.exc import SQLAlchemyError
from streamlit.runtime.pages_manager import PagesManager

from socialfund.core.errors import SocialFundError
from socialfund.services import alert_rules
from socialfund.services.datasets import DATASETS
from socialfund.view.i18n import t

from app import resources, session

SNAPSHOT_PARAM = "snapshot"  # ?snapshot=TOKEN: the share link of a snapshot
WISH_PARAM = "wish"          # ?wish=TOKEN: a "guess my wish" link

# True while the router runs a page, in that script run's own context (not shared state).
_ROUTED: contextvars.ContextVar[bool] = contextvars.ContextVar("socialfund_routed", default=False)


@contextmanager
def routing() -> Iterator[None]:
    """The router wraps ``page.run()`` in this, so pages can tell they run inside it."""
    token = _ROUTED.set(True)
    try:
        yield
    finally:
        _ROUTED.reset(token)


def require_router() -> None:
    """First line of every page: run the page through the router, never on its own
    (see the module docstring for why a page can be started without it)."""
    if not _ROUTED.get():
        PagesManager.uses_pages_directory = False   # what st.navigation itself sets
        st.rerun()


@dataclass(frozen=True)
class PageSpec:
    path: str          # the script, relative to dashboard.py
    menu_key: str      # i18n key of its title in the menu
    tab_key: str       # i18n key of the browser tab's title (shown in Chinese, as always)
    icon: str
    link_key: str = ""          # i18n key of its link on the home page ("" = not listed there)
    # the datasets it shows (services.datasets.DATASETS): the router labels those that are demo
    shows: tuple[str, ...] = ("prices", "community")
    default: bool = False       # served at /
    hidden: bool = False        # not in the menu (reached by link)

    @property
    def url_path(self) -> str:
        """The page's URL path, as Streamlit derives it from the file name without the
        number prefix (``pages/5_My_Portfolios.py`` → ``/My_Portfolios``; default page → ``""``)."""
        if self.default:
            return ""
        stem = PurePosixPath(self.path).stem
        head, _, rest = stem.partition("_")
        return "/" + (rest if head.isdigit() and rest else stem)


HOME = PageSpec("pages/0_Home.py", "menu.home", "app.title", "🏠", default=True, shows=DATASETS)
LEADERBOARD = PageSpec("pages/1_Leaderboard.py", "menu.leaderboard", "lb.title", "🏆", "nav.leaderboard")
PORTFOLIO = PageSpec("pages/2_Portfolio.py", "menu.portfolio", "pf.title", "📊", "nav.portfolio")
# Sentiment labels the posts it shows itself (they depend on the source picked there).
SENTIMENT = PageSpec("pages/3_Sentiment.py", "menu.sentiment", "sent.title", "💬", "nav.sentiment",
                     shows=("prices",))
IDEAS = PageSpec("pages/4_Fund_Ideas.py", "menu.ideas", "ideas.title", "💡", "nav.ideas", shows=DATASETS)
MY_PORTFOLIOS = PageSpec("pages/5_My_Portfolios.py", "menu.my_portfolios", "mp.title", "🗂️",
                         "nav.my_portfolios", shows=("prices",))
# A snapshot is frozen data: its own payload says whether it was made from demo data.
SNAPSHOT = PageSpec("pages/snapshot.py", "snap.title", "snap.title", "📸", shows=(), hidden=True)

# Wishes label their own demo funding (a wish funded by the demo money-market fund says so).
WISHES = PageSpec("pages/8_Wishes.py", "menu.wishes", "wish.title", "🌟", "nav.wishes", shows=())
WISH_GUESS = PageSpec("pages/wish_guess.py", "guess.title", "guess.title", "🎁", shows=(), hidden=True)

# The inbox shows no market data; its menu title carries the unread count (``_title``).
INBOX = PageSpec("pages/10_Inbox.py", "menu.inbox", "inbox.title", "🔔", shows=())

PAGES: tuple[PageSpec, ...] = (HOME, LEADERBOARD, PORTFOLIO, SENTIMENT, IDEAS, MY_PORTFOLIOS, WISHES, SNAPSHOT,
                               WISH_GUESS)
# issue 12: the funds a user follows (prices, sentiment, posts, idea ranks: every dataset may be demo)
WATCHLIST = PageSpec("pages/9_Watchlist.py", "menu.watchlist", "wl.title", "⭐", "nav.watchlist", shows=DATASETS)
PAGES += (WATCHLIST, INBOX)
LINKED: tuple[PageSpec, ...] = tuple(p for p in PAGES if p.link_key)


def build(lang: str) -> list[tuple[PageSpec, StreamlitPage]]:
    """One ``st.Page`` per entry, titled in ``lang`` (built on every run: titles follow the
    language switch; st.Page objects are cheap and belong to the run)."""
    return [(spec, st.Page(spec.path, title=_title(spec, lang), icon=spec.icon, default=spec.default,
                           visibility="hidden" if spec.hidden else "visible"))
            for spec in PAGES]


def _title(spec: PageSpec, lang: str) -> str:
    """The menu title; the inbox's with the signed-in user's unread count ('消息 (3)')."""
    if spec is INBOX:
        try:
            uid = session.current_user().id
            n = alert_rules.unread_count(resources.store(), uid) if uid is not None else 0
        except (SocialFundError, SQLAlchemyError):   # the menu never breaks the app; the page says why
            n = 0
        return t("menu.inbox_unread", lang, n=n) if n else t("menu.inbox", lang)
    return t(spec.menu_key, lang)


def follow_share_link(current: PageSpec, pages: list[tuple[PageSpec, StreamlitPage]]) -> None:
    """``/?snapshot=TOKEN`` (``/?wish=TOKEN``) opens the home page's URL: switch to the snapshot
    (guess-my-wish) page, token and language (``?lang=``, which the link carries:
    ``app.share_links``) kept."""
    for param, spec_to in ((SNAPSHOT_PARAM, SNAPSHOT), (WISH_PARAM, WISH_GUESS)):
        token = st.query_params.get(param)
        if token and current is HOME:
            target = next(page for spec, page in pages if spec is spec_to)
            kept = {param: token}
            lang = st.query_params.get("lang")   # app.session.LANG_PARAM (session imports this module's peers)
            if lang:
                kept["lang"] = lang
            st.switch_page(target, query_params=kept)
