"""Which posts count: the one filter every reader of ``posts`` that feeds a shared surface
applies, and the rule the stored sums (``store.sentiment_sums``) are kept by. Its own module
(schema only) so that the sums, the discussion and the engine's migration can all use it."""

from __future__ import annotations

from sqlalchemy import ColumnElement, Table, or_, select

from socialfund.store import schema


def aggregate_clause(posts: Table | None = None) -> ColumnElement[bool]:
    """WHERE clause on ``posts`` (default ``schema.posts``): only posts that may enter an
    aggregate or a public surface — imported posts, and visible written posts of fund threads."""
    p = posts if posts is not None else schema.posts
    d = schema.discussion_posts
    excluded = select(d.c.post_id).where(or_(d.c.status != "visible", d.c.portfolio_id.is_not(None)))
    return p.c.id.not_in(excluded.scalar_subquery())


def counts(status: str, portfolio_id: int | None) -> bool:
    """Whether a written post with this status and thread enters aggregates (as ``aggregate_clause``)."""
    return status == "visible" and portfolio_id is None
