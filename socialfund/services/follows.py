"""Following public portfolios, and the feed of their rebalances.

Only public portfolios can be followed; the feed shows only portfolios the actor may still
see in lists (public, or their own), so a portfolio made private leaves every feed at once.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime

import pandas as pd
from sqlalchemy import Connection, delete, insert, select

from socialfund.core.errors import PermissionDenied
from socialfund.core.timeutil import utcnow
from socialfund.services.access import Actor, viewable_row
from socialfund.services.portfolio_crud import visible_portfolios
from socialfund.store import Store, community, schema


@dataclass(frozen=True)
class FeedItem:
    """One rebalance of a followed portfolio: the changes and the note."""

    portfolio_id: int
    portfolio_name: str
    owner_name: str
    version: int
    placed_at: pd.Timestamp
    note: str
    changes: tuple[tuple[str, int, int], ...] = field(default_factory=tuple)  # (code, prev_bp, new_bp)


def follow(store: Store, actor: Actor, portfolio_id: int, *, now: datetime | None = None) -> None:
    """Follow a public portfolio (idempotent)."""
    if actor is None:
        raise PermissionDenied("sign in to follow a portfolio")
    at = now or utcnow()

    def write(conn: Connection) -> None:
        row = viewable_row(conn, actor, portfolio_id)
        if row["visibility"] != "public":
            raise PermissionDenied(f"only public portfolios can be followed (portfolio {row['id']} is "
                                   f"{row['visibility']})")
        f = schema.follows
        exists = conn.execute(select(f.c.user_id).where(f.c.user_id == actor, f.c.portfolio_id == row["id"])).first()
        if exists is None:
            conn.execute(insert(f).values(user_id=actor, portfolio_id=row["id"], since=at))

    store.retrying(write)


def unfollow(store: Store, actor: Actor, portfolio_id: int, *, now: datetime | None = None) -> None:
    """Stop following (idempotent; allowed even if the portfolio became private or was deleted).
    The follow moves to ``ended_follows`` with its end, so follower counts as of earlier
    dates (``community.portfolio_meta``) keep it."""
    if actor is None:
        raise PermissionDenied("sign in to unfollow a portfolio")
    at = now or utcnow()
    f = schema.follows

    def write(conn: Connection) -> None:
        mine = (f.c.user_id == actor) & (f.c.portfolio_id == int(portfolio_id))
        row = conn.execute(select(f.c.since).where(mine)).first()
        if row is None:
            return
        conn.execute(insert(schema.ended_follows).values(user_id=actor, portfolio_id=int(portfolio_id),
                                                         since=row.since, ended_at=at))
        conn.execute(delete(f).where(mine))

    store.retrying(write)


def is_following(store: Store, actor: Actor, portfolio_id: int) -> bool:
    """Does the actor follow this portfolio? (Never, for an anonymous visitor.)"""
    if actor is None:
        return False
    f = schema.follows
    with store.read() as conn:
        return conn.execute(select(f.c.user_id).where(f.c.user_id == actor,
                                                      f.c.portfolio_id == int(portfolio_id))).first() is not None


def followed_portfolios(store: Store, actor: Actor) -> pd.DataFrame:
    """Portfolio meta rows the actor follows and may still see in lists (public or own)."""
    if actor is None:
        return community.portfolio_meta(store, []).iloc[0:0]
    f = schema.follows
    with store.read() as conn:
        ids = [r[0] for r in conn.execute(select(f.c.portfolio_id).where(f.c.user_id == actor))]
    visible = visible_portfolios(store, actor, community.portfolio_meta(store, ids))
    return visible


def feed(store: Store, actor: Actor, limit: int = 50) -> list[FeedItem]:
    """Rebalances of the portfolios the actor follows, newest first. Only portfolios the
    actor may see in lists (public, or their own): never someone else's private one, even
    if it was public when followed. The first version counts as the opening position."""
    followed = followed_portfolios(store, actor)
    if followed.empty:
        return []
    ids = [int(i) for i in followed["portfolio_id"]]
    names = dict(zip(followed["portfolio_id"], followed["name"]))
    owners = dict(zip(followed["portfolio_id"], followed["owner_name"]))
    items: list[FeedItem] = []
    for pid, versions in community.versions_by_portfolio(store, ids).items():
        prev: Mapping[str, int] = {}
        for v in sorted(versions, key=lambda x: x.version):
            changes = tuple((c, prev.get(c, 0), v.weights_bp.get(c, 0)) for c in sorted(set(prev) | set(v.weights_bp))
                            if prev.get(c, 0) != v.weights_bp.get(c, 0))
            items.append(FeedItem(pid, names[pid], owners[pid], v.version, v.placed_at, v.note, changes))
            prev = v.weights_bp
    items.sort(key=lambda it: (it.placed_at, it.portfolio_id, it.version), reverse=True)
    return items[:limit]
