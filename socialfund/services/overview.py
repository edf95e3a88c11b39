"""Numbers for the home page overview: the community's size, counted in the store."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, Table, func, select

from socialfund.core.sources import DEMO_POST_SOURCE
from socialfund.store.discussion import aggregate_clause
from socialfund.store import Store, schema


@dataclass(frozen=True)
class CommunitySize:
    users: int
    portfolios: int
    public_portfolios: int
    posts: int
    demo_posts: int


def community_size(store: Store) -> CommunitySize:
    """Counts of users, portfolios (all / public, deleted excluded) and posts."""
    with store.read() as conn:
        def count(table: Table, *where: ColumnElement[Any]) -> int:
            return int(conn.execute(select(func.count()).select_from(table).where(*where)).scalar_one())
        p = schema.portfolios
        return CommunitySize(
            users=count(schema.users),
            portfolios=count(p, p.c.deleted_at.is_(None)),
            public_portfolios=count(p, p.c.deleted_at.is_(None), p.c.visibility == "public"),
            posts=count(schema.posts, aggregate_clause()),
            demo_posts=count(schema.posts, schema.posts.c.source == DEMO_POST_SOURCE),
        )
