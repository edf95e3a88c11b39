"""Watchlists: the funds a signed-in user follows (portfolios are followed in
``services.follows``). A signed-out visitor has no watchlist (``PermissionDenied`` on
changes, an empty list on reads); a code must be one of the store's instruments
(``ValidationError`` naming it, nothing stored)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select

from socialfund.core.errors import PermissionDenied, ValidationError
from socialfund.core.timeutil import utcnow
from socialfund.services.access import Actor
from socialfund.store import Store, schema
from socialfund.store import watchlists as db


def _known_code(store: Store, code: str) -> str:
    text = str(code or "").strip()
    i = schema.instruments
    with store.read() as conn:
        found = conn.execute(select(i.c.code).where(i.c.code == text)).first()
    if found is None:
        raise ValidationError(f"fund {code!r} is not in the universe")
    return text


def add(store: Store, actor: Actor, code: str, *, now: datetime | None = None) -> None:
    """Follow fund ``code`` (idempotent)."""
    if actor is None:
        raise PermissionDenied("sign in to follow a fund")
    fund = _known_code(store, code)
    at = now or utcnow()
    store.retrying(lambda conn: db.add(conn, actor, fund, at))


def remove(store: Store, actor: Actor, code: str) -> None:
    """Stop following fund ``code`` (idempotent)."""
    if actor is None:
        raise PermissionDenied("sign in to change your watchlist")
    store.retrying(lambda conn: db.remove(conn, actor, str(code).strip()))


def codes(store: Store, actor: Actor) -> list[str]:
    """The actor's watched funds, oldest first ([] when signed out)."""
    if actor is None:
        return []
    with store.read() as conn:
        return db.codes(conn, actor)
