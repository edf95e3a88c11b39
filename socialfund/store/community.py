"""Reading the community from the store in bulk: portfolio metadata and version histories.

These loaders return every portfolio regardless of visibility; they are for the library's
own aggregate computations. Whatever reaches a user goes through a visibility filter
(``public_only``) or the permission checks in ``socialfund.services.access``.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import datetime

import pandas as pd
from sqlalchemy import Connection, func, select

from socialfund.core.models import PortfolioVersion
from socialfund.store import Store, schema
from socialfund.core.timeutil import SHANGHAI

META_COLUMNS = ["portfolio_id", "owner_id", "owner_name", "name", "description", "style", "visibility", "is_demo",
                "created_on", "closed_on", "deleted_on", "last_rebalance_at", "confirmed_at", "followers", "copiers",
                "versions"]


def _local_ts(values: pd.Series) -> pd.Series:
    """Naive UTC datetimes from the store → tz-aware Asia/Shanghai timestamps."""
    return pd.to_datetime(values).dt.tz_localize("UTC").dt.tz_convert(SHANGHAI)


def portfolio_meta(store: Store, ids: Iterable[int] | None = None) -> pd.DataFrame:
    """One row per portfolio (deleted ones included, flagged by ``deleted_on``), with counts of
    followers, copiers and versions and the time of the last rebalance."""
    p, v, f, c, u = (schema.portfolios, schema.portfolio_versions, schema.follows, schema.copies, schema.users)
    followers = select(f.c.portfolio_id, func.count().label("n")).group_by(f.c.portfolio_id).subquery()
    copiers = select(c.c.portfolio_id, func.count(func.distinct(c.c.user_id)).label("n")).group_by(
        c.c.portfolio_id).subquery()
    versions = select(v.c.portfolio_id, func.count().label("n"), func.max(v.c.placed_at).label("last")).group_by(
        v.c.portfolio_id).subquery()
    query = (select(p.c.id, p.c.owner_id, u.c.display_name, p.c.name, p.c.description, p.c.style, p.c.visibility,
                    p.c.is_demo, p.c.created_at, p.c.closed_at, p.c.deleted_at, versions.c.last, p.c.confirmed_at,
                    func.coalesce(followers.c.n, 0), func.coalesce(copiers.c.n, 0), func.coalesce(versions.c.n, 0))
             .join(u, u.c.id == p.c.owner_id)
             .outerjoin(followers, followers.c.portfolio_id == p.c.id)
             .outerjoin(copiers, copiers.c.portfolio_id == p.c.id)
             .outerjoin(versions, versions.c.portfolio_id == p.c.id)
             .order_by(p.c.id))
    if ids is not None:
        query = query.where(p.c.id.in_(list(ids)))
    with store.read() as conn:
        rows = conn.execute(query).all()
    df = pd.DataFrame(rows, columns=META_COLUMNS)
    for col in ("created_on", "closed_on", "deleted_on"):
        df[col] = _local_ts(df[col]).dt.date
    for col in ("last_rebalance_at", "confirmed_at"):
        df[col] = _local_ts(df[col])
    for col in ("followers", "copiers", "versions"):
        df[col] = df[col].astype(int)
    df["is_demo"] = df["is_demo"].astype(bool)
    return df


def community_fingerprint(store: Store) -> str:
    """A cache key that changes whenever anything a shared (all-users) cache may hold could
    change: any portfolio's visibility, deletion, closing or confirmation, any new version,
    any new post. Pages key their shared caches on it, so a portfolio made private leaves
    the leaderboard and fund ideas at once, not when a TTL runs out."""
    import hashlib

    p, v, posts = schema.portfolios, schema.portfolio_versions, schema.posts
    with store.read() as conn:
        rows = conn.execute(select(p.c.id, p.c.visibility, p.c.deleted_at, p.c.closed_at, p.c.confirmed_at)
                            .order_by(p.c.id)).all()
        versions = conn.execute(select(func.count(), func.max(v.c.id))).one()
        post_counts = conn.execute(select(func.count(), func.max(posts.c.id))).one()
    digest = hashlib.sha256(repr((rows, tuple(versions), tuple(post_counts))).encode("utf-8"))
    return digest.hexdigest()[:32]


def public_only(meta: pd.DataFrame) -> pd.DataFrame:
    """The rows any visitor may see in lists: public and not deleted."""
    return meta[(meta["visibility"] == "public") & meta["deleted_on"].isna()]


def versions_with_ids(conn: Connection, ids: Iterable[int] | None = None) -> dict[int, list[tuple[int, PortfolioVersion]]]:
    """Every version (with weights) of the given portfolios (all when ``ids`` is None), oldest
    first, each with its ``portfolio_versions.id``: portfolio id → [(version row id, version)].
    Reads on an open connection, so it can share a transaction with other reads."""
    v, w = schema.portfolio_versions, schema.portfolio_weights
    query = (select(v.c.portfolio_id, v.c.id, v.c.version, v.c.placed_at, v.c.note, w.c.code, w.c.weight_bp)
             .join(w, w.c.version_id == v.c.id).order_by(v.c.portfolio_id, v.c.version, w.c.code))
    if ids is not None:
        query = query.where(v.c.portfolio_id.in_(list(ids)))
    grouped: dict[tuple[int, int], tuple[int, datetime, str, dict[str, int]]] = {}
    for pid, vid, version, placed_at, note, code, bp in conn.execute(query).all():
        entry = grouped.setdefault((int(pid), int(version)), (int(vid), placed_at, note or "", {}))
        entry[3][code] = int(bp)
    out: dict[int, list[tuple[int, PortfolioVersion]]] = defaultdict(list)
    for (pid, version), (vid, placed_at, note, weights) in grouped.items():
        placed = pd.Timestamp(placed_at).tz_localize("UTC")
        out[pid].append((vid, PortfolioVersion(version, placed, weights, note)))
    return dict(out)


def versions_by_portfolio(store: Store, ids: Iterable[int] | None = None) -> dict[int, list[PortfolioVersion]]:
    """Every version (with weights) of the given portfolios, oldest first (``versions_with_ids``
    without the row ids)."""
    with store.read() as conn:
        return {pid: [version for _, version in pairs] for pid, pairs in versions_with_ids(conn, ids).items()}
