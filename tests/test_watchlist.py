"""Watchlist service: signed-in users follow funds of the universe; signed-out visitors
cannot; an unknown code is refused with nothing stored."""

from __future__ import annotations

import pytest

from datetime import datetime

from socialfund.core.errors import PermissionDenied, ValidationError
from socialfund.services import watchlist
from socialfund.store import Store, schema
from socialfund.store.users import get_or_create_user


def _store(tmp_path) -> Store:  # type: ignore[no-untyped-def]
    store = Store(f"sqlite:///{tmp_path / 'w.db'}")
    store.create_schema()
    with store.write() as conn:
        conn.execute(schema.instruments.insert(), [
            {"code": c, "name_zh": c, "name_en": c, "kind": "etf", "market": "SSE", "currency": "CNY",
             "yahoo": None, "category": "equity", "calendar": "XSHG"} for c in ("510300", "510500")])
    return store


def test_follow_unfollow_and_refusals(tmp_path) -> None:  # type: ignore[no-untyped-def]
    store = _store(tmp_path)
    me = get_or_create_user(store, "local:owner", "owner")
    other = get_or_create_user(store, "local:other", "other")
    watchlist.add(store, me, "510500", now=datetime(2026, 1, 5, 9))
    watchlist.add(store, me, " 510300 ", now=datetime(2026, 1, 5, 10))
    watchlist.add(store, me, "510500", now=datetime(2026, 1, 5, 11))
    assert watchlist.codes(store, me) == ["510500", "510300"]
    assert watchlist.codes(store, other) == [] and watchlist.codes(store, None) == []
    with pytest.raises(ValidationError, match="999999"):
        watchlist.add(store, me, "999999")
    with pytest.raises(PermissionDenied):
        watchlist.add(store, None, "510300")
    with pytest.raises(PermissionDenied):
        watchlist.remove(store, None, "510300")
    watchlist.remove(store, me, "510500")
    assert watchlist.codes(store, me) == ["510300"]
