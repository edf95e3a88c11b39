"""Numbers for the home page overview."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
from sqlalchemy import func, select

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
        def count(table, *where) -> int:  # type: ignore[no-untyped-def]
            return int(conn.execute(select(func.count()).select_from(table).where(*where)).scalar_one())
        p = schema.portfolios
        return CommunitySize(
            users=count(schema.users),
            portfolios=count(p, p.c.deleted_at.is_(None)),
            public_portfolios=count(p, p.c.deleted_at.is_(None), p.c.visibility == "public"),
            posts=count(schema.posts),
            demo_posts=count(schema.posts, schema.posts.c.source == "demo"),
        )


# The instrument that stands for each asset class on the home page (the best-known ETF).
PREFERRED_REPRESENTATIVES = ("510300.SS", "159915.SZ", "512880.SS", "511010.SS", "518880.SS", "513100.SS")


def representatives(categories: dict[str, str], closes: pd.DataFrame) -> dict[str, str]:
    """One instrument per category: the preferred one if present, else the first with prices."""
    chosen: dict[str, str] = {}
    ordered = [c for c in PREFERRED_REPRESENTATIVES if c in categories] + list(categories)
    for code in ordered:
        category = categories[code]
        if category not in chosen.values() and code in closes.columns and closes[code].notna().any():
            chosen[code] = category
    return chosen


def trailing_return(closes: pd.DataFrame, sessions: int = 252) -> pd.Series:
    """Simple return over the last ``sessions`` rows of each column (NaN when too short)."""
    out = {}
    for code in closes.columns:
        s = closes[code].dropna()
        out[code] = s.iloc[-1] / s.iloc[-sessions - 1] - 1 if len(s) > sessions else float("nan")
    return pd.Series(out, dtype=float)
