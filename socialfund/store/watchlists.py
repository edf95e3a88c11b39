"""Watchlists in the store: the funds each user follows (``schema.watchlist``).
Permission checks live in ``services.watchlist``."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Connection, delete, select

from socialfund.store import schema
from socialfund.store.engine import insert_ignore


def add(conn: Connection, user_id: int, code: str, at: datetime) -> None:
    """Follow ``code`` (idempotent: a second add keeps the first ``since``)."""
    insert_ignore(conn, schema.watchlist, [{"user_id": int(user_id), "code": code, "since": at}])


def remove(conn: Connection, user_id: int, code: str) -> None:
    w = schema.watchlist
    conn.execute(delete(w).where(w.c.user_id == int(user_id), w.c.code == code))


def codes(conn: Connection, user_id: int) -> list[str]:
    """The user's watched fund codes, in the order they were added (ties by code)."""
    w = schema.watchlist
    return [str(r[0]) for r in conn.execute(select(w.c.code).where(w.c.user_id == int(user_id))
                                             .order_by(w.c.since, w.c.code))]
