"""The share link of a snapshot: ``<app root>/?snapshot=TOKEN&lang=LANG``, built from the URL
the browser has open (``st.context.url``), whichever page that is. The link carries the
sharer's language (issue 14 finding 4: an English owner's link opened in Chinese); the
recipient's own switch still changes it. The router (``app.navigation.follow_share_link``)
sends such a link to the snapshot page, language kept."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import streamlit as st

from socialfund.core.config import LANGUAGES

from app import navigation, session


def app_root(page_url: str) -> str:
    """The app's root URL from the URL of one of its pages (query and page path dropped)."""
    base = page_url.split("?")[0].rstrip("/")
    for spec in navigation.PAGES:
        path = spec.url_path
        if path and base.endswith(path):
            return base[: -len(path)]
    return base


def _lang_of(page_url: str) -> str | None:
    asked = parse_qs(urlsplit(page_url).query).get(session.LANG_PARAM, [None])[0]
    return asked if asked in LANGUAGES else None


def snapshot_link(token: str, page_url: str | None = None, lang: str | None = None) -> str:
    """The share link of the snapshot with ``token``, from ``page_url`` (default: the
    browser's current URL; empty when unknown, which gives a relative link), in ``lang``
    (default: the ``?lang=`` of ``page_url``, or the session's language for the current URL)."""
    url = page_url if page_url is not None else (st.context.url or "")
    if lang is None:
        lang = _lang_of(url) if page_url is not None else session.lang()
    tail = f"&{session.LANG_PARAM}={lang}" if lang in LANGUAGES else ""
    return f"{app_root(url)}/?{navigation.SNAPSHOT_PARAM}={token}{tail}"


def wish_link(token: str, page_url: str | None = None, lang: str | None = None) -> str:
    """The "guess my wish" link with ``token`` (``/?wish=TOKEN``; language as ``snapshot_link``)."""
    url = page_url if page_url is not None else (st.context.url or "")
    if lang is None:
        lang = _lang_of(url) if page_url is not None else session.lang()
    tail = f"&{session.LANG_PARAM}={lang}" if lang in LANGUAGES else ""
    return f"{app_root(url)}/?{navigation.WISH_PARAM}={token}{tail}"
