"""Watchlist: the funds the signed-in user follows, with price change, sentiment level and
shift, post volume, idea rank and the bull/bear meter (thin page: app.draw_watchlist)."""

from __future__ import annotations

from app import draw_watchlist, navigation

navigation.require_router()

draw_watchlist.page()
