"""The share link of a snapshot: ``<app root>/?snapshot=TOKEN``, built from the URL the
browser has open (``st.context.url``), whichever page that is. The router
(``app.navigation.follow_share_link``) sends such a link to the snapshot page."""

from __future__ import annotations

import streamlit as st

from app import navigation


def app_root(page_url: str) -> str:
    """The app's root URL from the URL of one of its pages (query and page path dropped)."""
    base = page_url.split("?")[0].rstrip("/")
    for spec in navigation.PAGES:
        path = spec.url_path
        if path and base.endswith(path):
            return base[: -len(path)]
    return base


def snapshot_link(token: str, page_url: str | None = None) -> str:
    """The share link of the snapshot with ``token``, from ``page_url`` (default: the
    browser's current URL; empty when unknown, which gives a relative link)."""
    url = page_url if page_url is not None else (st.context.url or "")
    return f"{app_root(url)}/?{navigation.SNAPSHOT_PARAM}={token}"


def wish_link(token: str, page_url: str | None = None) -> str:
    """The "guess my wish" link with ``token`` (``/?wish=TOKEN``; as ``snapshot_link``)."""
    url = page_url if page_url is not None else (st.context.url or "")
    return f"{app_root(url)}/?{navigation.WISH_PARAM}={token}"
