"""Reading the community from the store in bulk: portfolio metadata and version histories.

These loaders return every portfolio regardless of visibility; they are for the library's
own aggregate computations. Whatever reaches a user goes through a visibility filter
(``public_only``) or the permission checks in ``socialfund.services.access``.

As of a date (issue 18.3): ``portfolio_meta(store, as_of=D)`` is the one reader of what was
true at the end of Shanghai day D — visibility (the dated ``portfolio_visibility_changes``),
closing, deletion, followers (``ended_follows`` keeps unfollowed ones), copiers, versions
and confirmations — and ``public_spans`` gives the days each portfolio was public. The
leaderboard, fund ideas' crowd features and copy state read these, so nothing dated after D
changes what is computed as of D.
"""

from __future__ import annotations

from collections import defaultdict
import datetime as dt
from collections.abc import Iterable, Sequence
from datetime import datetime

import numpy as np
import pandas as pd
from sqlalchemy import Connection, String, func, select, type_coerce

from socialfund.core.models import PortfolioVersion, VersionArrays
from socialfund.store import Store, raw_columns, raw_rows, rows_frame, schema
from socialfund.core.timeutil import SHANGHAI, from_utc_naive, to_utc_naive

META_COLUMNS = ["portfolio_id", "owner_id", "owner_name", "name", "description", "style", "visibility", "is_demo",
                "created_on", "closed_on", "deleted_on", "last_rebalance_at", "confirmed_at", "followers", "copiers",
                "versions", "last_version_id"]
SPAN_COLUMNS = ["portfolio_id", "public_from", "public_until"]


def _local_ts(values: pd.Series) -> pd.Series:
    """Naive UTC datetimes from the store → tz-aware Asia/Shanghai timestamps."""
    return pd.to_datetime(values).dt.tz_localize("UTC").dt.tz_convert(SHANGHAI)


def _local_day(value: datetime) -> dt.date:
    """The Shanghai calendar day of a naive UTC time."""
    return from_utc_naive(value).date()


def day_end_utc(as_of: dt.date) -> datetime:
    """The first instant after Shanghai day ``as_of``, as naive UTC: what was stored before
    it is what was true "as of" that day."""
    return to_utc_naive(datetime.combine(as_of + dt.timedelta(days=1), dt.time(0)))


def _visibility_days(conn: Connection, ids: Sequence[int] | None) -> dict[int, list[tuple[dt.date, str]]]:
    """portfolio id → [(Shanghai day, visibility at the end of that day)] for the days its
    visibility was set (created or changed), oldest first; the last change of a day wins."""
    h = schema.portfolio_visibility_changes
    query = select(h.c.portfolio_id, h.c.changed_at, h.c.visibility).order_by(h.c.portfolio_id, h.c.changed_at, h.c.id)
    if ids is not None:
        query = query.where(h.c.portfolio_id.in_(list(ids)))
    days: dict[int, dict[dt.date, str]] = defaultdict(dict)
    for pid, at, visibility in conn.execute(query).all():
        days[int(pid)][_local_day(at)] = str(visibility)   # ordered by time: the day's last one stays
    return {pid: sorted(by_day.items()) for pid, by_day in days.items()}


def visibility_on(history: Sequence[tuple[dt.date, str]] | None, current: str, as_of: dt.date | None) -> str:
    """A portfolio's visibility at the end of Shanghai day ``as_of`` from its dated history
    (``_visibility_days``). The rule: the last change made by that day; before its first
    row (created later) it was listed nowhere ("private"); a portfolio with no history at
    all (stored before histories were kept) has its ``current`` visibility at every date,
    the only value known. ``as_of`` None: ``current``."""
    if as_of is None or not history:
        return current
    known = [visibility for day, visibility in history if day <= as_of]
    return known[-1] if known else "private"


def portfolio_meta(store: Store, ids: Iterable[int] | None = None, *, as_of: dt.date | None = None) -> pd.DataFrame:
    """One row per portfolio (deleted ones included, flagged by ``deleted_on``), with counts of
    followers, copiers and versions and the time of the last rebalance — as they were at the
    end of Shanghai day ``as_of`` (None: now). As of a date: ``visibility`` from the dated
    history (``visibility_on``); ``closed_on``/``deleted_on`` only when that happened by then;
    ``followers`` = follows begun by then and not ended by then (``ended_follows``);
    ``copiers`` = users with a copy started and recorded by then; ``versions``,
    ``last_version_id`` (the newest ``portfolio_versions.id``, 0 without any) and
    ``last_rebalance_at`` from versions placed by then; ``confirmed_at`` the last
    confirmation by then. Name, description and style are the current ones (not dated).
    Versions are only ever inserted, so ``(versions, last_version_id)`` identifies the
    set of a portfolio's versions (the key of its cached NAV, ``services.nav_artefact``)."""
    p, v, f, ef, c, u = (schema.portfolios, schema.portfolio_versions, schema.follows, schema.ended_follows,
                         schema.copies, schema.users)
    cutoff = None if as_of is None else day_end_utc(as_of)
    follow_q = select(f.c.portfolio_id)
    copy_q = select(c.c.portfolio_id, c.c.user_id)
    version_q = select(v.c.portfolio_id, v.c.placed_at, v.c.id)
    follow_rows = follow_q.subquery()
    if cutoff is not None:
        copy_q = copy_q.where(c.c.created_at < cutoff, c.c.started_on <= as_of)
        version_q = version_q.where(v.c.placed_at < cutoff)
        # a follow ended after the day still counted that day
        ended_after = select(ef.c.portfolio_id).where(ef.c.since < cutoff, ef.c.ended_at >= cutoff)
        follow_rows = follow_q.where(f.c.since < cutoff).union_all(ended_after).subquery()
    followers = select(follow_rows.c.portfolio_id, func.count().label("n")).group_by(
        follow_rows.c.portfolio_id).subquery()
    copy_rows = copy_q.subquery()
    copiers = select(copy_rows.c.portfolio_id, func.count(func.distinct(copy_rows.c.user_id)).label("n")).group_by(
        copy_rows.c.portfolio_id).subquery()
    version_rows = version_q.subquery()
    versions = select(version_rows.c.portfolio_id, func.count().label("n"),
                      func.max(version_rows.c.placed_at).label("last"),
                      func.max(version_rows.c.id).label("last_id")).group_by(version_rows.c.portfolio_id).subquery()
    query = (select(p.c.id, p.c.owner_id, u.c.display_name, p.c.name, p.c.description, p.c.style, p.c.visibility,
                    p.c.is_demo, p.c.created_at, p.c.closed_at, p.c.deleted_at, versions.c.last, p.c.confirmed_at,
                    func.coalesce(followers.c.n, 0), func.coalesce(copiers.c.n, 0), func.coalesce(versions.c.n, 0),
                    func.coalesce(versions.c.last_id, 0))
             .join(u, u.c.id == p.c.owner_id)
             .outerjoin(followers, followers.c.portfolio_id == p.c.id)
             .outerjoin(copiers, copiers.c.portfolio_id == p.c.id)
             .outerjoin(versions, versions.c.portfolio_id == p.c.id)
             .order_by(p.c.id))
    id_list = None if ids is None else [int(i) for i in ids]
    if id_list is not None:
        query = query.where(p.c.id.in_(id_list))
    with store.read() as conn:
        rows = raw_rows(conn, query)   # plain tuples: times come as the driver gives them, parsed below
        history = _visibility_days(conn, id_list) if as_of is not None else {}
        confirmations = _last_confirmations(conn, id_list, cutoff) if cutoff is not None else {}
    df = rows_frame(rows, META_COLUMNS)
    for col in ("created_on", "closed_on", "deleted_on", "last_rebalance_at", "confirmed_at"):
        df[col] = pd.to_datetime(pd.Series(df[col], dtype=object), format="mixed")   # naive UTC, NaT for none
    if cutoff is not None:
        df["visibility"] = [visibility_on(history.get(int(pid)), current, as_of)
                            for pid, current in zip(df["portfolio_id"], df["visibility"])]
        for col in ("closed_on", "deleted_on"):
            df[col] = df[col].where(df[col] < pd.Timestamp(cutoff))
        df["confirmed_at"] = pd.to_datetime(pd.Series([confirmations.get(int(pid)) for pid in df["portfolio_id"]],
                                                      dtype=object), format="mixed")
    for col in ("created_on", "closed_on", "deleted_on"):
        df[col] = _local_ts(df[col]).dt.date
    for col in ("last_rebalance_at", "confirmed_at"):
        df[col] = _local_ts(df[col])
    for col in ("followers", "copiers", "versions", "last_version_id"):
        df[col] = df[col].astype(int)
    df["is_demo"] = df["is_demo"].astype(bool)
    return df


def _last_confirmations(conn: Connection, ids: Sequence[int] | None, cutoff: datetime) -> dict[int, datetime]:
    """portfolio id → its last confirmation before ``cutoff`` (the dated rows, and the
    ``portfolios.confirmed_at`` column for confirmations stored before they were dated)."""
    out: dict[int, datetime] = {}
    for pid, at in _confirmation_rows(conn, ids):
        if at < cutoff and (int(pid) not in out or at > out[int(pid)]):
            out[int(pid)] = at
    return out


def _confirmation_rows(conn: Connection, ids: Sequence[int] | None) -> list[tuple[int, datetime]]:
    p, cf = schema.portfolios, schema.portfolio_confirmations
    dated = select(cf.c.portfolio_id, cf.c.confirmed_at)
    latest = select(p.c.id, p.c.confirmed_at).where(p.c.confirmed_at.is_not(None))
    if ids is not None:
        dated = dated.where(cf.c.portfolio_id.in_(list(ids)))
        latest = latest.where(p.c.id.in_(list(ids)))
    return [(int(pid), at) for query in (dated, latest) for pid, at in conn.execute(query).all()]


def activity(store: Store, ids: Iterable[int] | None = None) -> pd.DataFrame:
    """Every rebalance placement and every "still current" confirmation of the given
    portfolios (all when None): columns ``portfolio_id, at`` (tz-aware UTC). The leaderboard's
    activity gate reads these up to its as-of date (``ranking_rules.screen_table``), so a
    confirmation made later never hides an earlier one."""
    v = schema.portfolio_versions
    id_list = None if ids is None else [int(i) for i in ids]
    placed = select(v.c.portfolio_id, type_coerce(v.c.placed_at, String))   # parsed below in one call
    if id_list is not None and len(id_list) <= _IN_LIST_MAX:
        placed = placed.where(v.c.portfolio_id.in_(id_list))
    with store.read() as conn:
        rows = raw_rows(conn, placed)
        confirmed = _confirmation_rows(conn, id_list)
    if id_list is not None and len(id_list) > _IN_LIST_MAX:
        wanted = set(id_list)
        rows = [r for r in rows if int(r[0]) in wanted]
    pids = [int(r[0]) for r in rows] + [pid for pid, _ in confirmed]
    ats = pd.to_datetime(pd.Series([r[1] for r in rows] + [at for _, at in confirmed], dtype=object),
                         format="mixed")
    return _activity_frame(np.asarray(pids, dtype=np.int64), ats)


def activity_with_placements(store: Store, portfolio_ids: np.ndarray, placed_ns: np.ndarray) -> pd.DataFrame:
    """``activity`` of ``portfolio_ids`` with their placements given (UTC nanoseconds, one
    or more per portfolio, e.g. the last one by an as-of date from ``VersionArrays``) instead
    of read again; their confirmations are read. The leaderboard gate only needs the last
    placement by its as-of date, so passing that one gives the same gate as every placement."""
    id_list = [int(i) for i in np.unique(portfolio_ids)]
    with store.read() as conn:
        confirmed = _confirmation_rows(conn, id_list if len(id_list) <= _IN_LIST_MAX else None)
    wanted = set(id_list)
    confirmed = [(pid, at) for pid, at in confirmed if pid in wanted]
    placed = pd.Series(pd.DatetimeIndex(np.asarray(placed_ns, dtype=np.int64).astype("datetime64[ns]")))
    ats = pd.concat([placed, pd.Series(pd.to_datetime(pd.Series([at for _, at in confirmed], dtype=object),
                                                      format="mixed")).astype("datetime64[ns]")],
                    ignore_index=True) if confirmed else placed
    pids = np.concatenate([np.asarray(portfolio_ids, dtype=np.int64),
                           np.asarray([pid for pid, _ in confirmed], dtype=np.int64)])
    return _activity_frame(pids, ats)


def _activity_frame(pids: np.ndarray, ats: pd.Series) -> pd.DataFrame:
    out = pd.DataFrame({"portfolio_id": pids, "at": ats.to_numpy()})
    out = out.drop_duplicates().sort_values(["portfolio_id", "at"], kind="mergesort").reset_index(drop=True)
    out["at"] = out["at"].dt.tz_localize("UTC")
    return out


def public_spans(store: Store, ids: Iterable[int] | None = None) -> pd.DataFrame:
    """When each portfolio was public: rows ``portfolio_id, public_from, public_until``
    (Shanghai days; public at the end of every day d with from ≤ d < until; until None =
    still public), by the rule of ``visibility_on``. A portfolio without a dated history is
    public throughout when it is public now (from its creation day). Deletion does not end
    a span: a deleted public portfolio stays in the record as closed on its deletion day."""
    p = schema.portfolios
    id_list = None if ids is None else [int(i) for i in ids]
    query = select(p.c.id, p.c.visibility, p.c.created_at).order_by(p.c.id)
    if id_list is not None:
        query = query.where(p.c.id.in_(id_list))
    with store.read() as conn:
        rows = conn.execute(query).all()
        history = _visibility_days(conn, id_list)
    spans: list[tuple[int, dt.date, dt.date | None]] = []
    for pid, current, created_at in rows:
        days = history.get(int(pid)) or [(_local_day(created_at), str(current))]
        start: dt.date | None = None
        for day, visibility in days:
            if visibility == "public" and start is None:
                start = day
            elif visibility != "public" and start is not None:
                spans.append((int(pid), start, day))
                start = None
        if start is not None:
            spans.append((int(pid), start, None))
    return pd.DataFrame(spans, columns=SPAN_COLUMNS)


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
        moderated = conn.execute(select(func.max(schema.post_moderation.c.id))).scalar()
    digest = hashlib.sha256(repr((rows, tuple(versions), tuple(post_counts), moderated)).encode("utf-8"))
    return digest.hexdigest()[:32]


def closed_or_deleted(closed_on: dt.date | None, deleted_on: dt.date | None) -> dt.date | None:
    """The day a portfolio's record ends: its close, or its deletion if earlier (a deleted
    public portfolio stays in rankings' records as closed on its deletion day)."""
    closed = None if closed_on is None or pd.isna(closed_on) else closed_on
    deleted = None if deleted_on is None or pd.isna(deleted_on) else deleted_on
    if closed is None or (deleted is not None and deleted < closed):
        return deleted
    return closed


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


#: above this many ids, read every version and keep the wanted ones in NumPy (an IN list
#: that long is slow to build and passes SQLite's parameter limit)
_IN_LIST_MAX = 500


def version_arrays(store: Store, ids: Iterable[int] | None = None, *,
                   placed_before: datetime | None = None) -> VersionArrays:
    """Every version (with weights) of the given portfolios (all when None) as
    ``core.models.VersionArrays``: two queries read as plain tuples straight into NumPy
    (no object per version, placement times parsed in one vectorised call).
    ``placed_before``: only versions placed before this naive UTC time (``day_end_utc``
    of an as-of date). Portfolios without such versions are left out; the rest keep the
    order of ``ids`` (ascending id when None)."""
    v, w = schema.portfolio_versions, schema.portfolio_weights
    id_list = None if ids is None else [int(i) for i in ids]
    # placed_at read as the driver gives it (text on SQLite), parsed below in one call
    vq = select(v.c.id, v.c.portfolio_id, v.c.version, type_coerce(v.c.placed_at, String))
    # weights of versions not read (placed later, other portfolios) are dropped below by
    # their version row (``row_of``): only a short id list is worth a join in SQL
    wq = select(w.c.version_id, w.c.code, w.c.weight_bp)
    if placed_before is not None:
        vq = vq.where(v.c.placed_at < placed_before)
    if id_list is not None and len(id_list) <= _IN_LIST_MAX:
        vq = vq.where(v.c.portfolio_id.in_(id_list))
        wq = wq.join(v, v.c.id == w.c.version_id).where(v.c.portfolio_id.in_(id_list))
    with store.read() as conn:
        vid, pid, version, placed = raw_columns(conn, vq, 4)
        w_vid, w_code_s, w_bp = raw_columns(conn, wq, 3)
    vid_a, pid_a, ver_a = (np.fromiter(x, dtype=np.int64, count=len(vid)) for x in (vid, pid, version))
    ns = pd.to_datetime(pd.Series(placed, dtype=object), format="mixed").dt.as_unit("ns")
    ns_a = ns.to_numpy(dtype="datetime64[ns]").view(np.int64) if len(placed) else np.zeros(0, np.int64)
    wanted = np.asarray(sorted(set(id_list)) if id_list is not None else np.unique(pid_a), dtype=np.int64)
    take = np.isin(pid_a, wanted)
    vid_a, pid_a, ver_a, ns_a = vid_a[take], pid_a[take], ver_a[take], ns_a[take]
    # portfolios in the order asked for, versions by placement then number
    present = np.unique(pid_a)
    present_set = set(present.tolist())
    order_ids = ([i for i in dict.fromkeys(id_list) if i in present_set] if id_list is not None
                 else present.tolist())
    # rank of each version's portfolio in that order (ascending ids: searchsorted)
    ranks = np.argsort(np.asarray(order_ids, dtype=np.int64), kind="stable")
    sorted_ids = np.asarray(order_ids, dtype=np.int64)[ranks]
    p_rank = ranks[np.searchsorted(sorted_ids, pid_a)].astype(np.int64) if len(pid_a) else np.zeros(0, np.int64)
    order = np.lexsort((ver_a, ns_a, p_rank))
    vid_a, ver_a, ns_a, p_rank = vid_a[order], ver_a[order], ns_a[order], p_rank[order]
    # weights: version row of each, ordered by (row, code)
    # codes by hashing (pd.factorize), then renumbered in sorted order
    first_seen, uniq = pd.factorize(pd.Series(w_code_s, dtype=object))
    uniq_s = np.asarray([str(c) for c in uniq], dtype=object)
    by_name = np.argsort(uniq_s, kind="stable")
    renumber = np.empty(len(uniq_s), dtype=np.int64)
    renumber[by_name] = np.arange(len(uniq_s))
    codes, w_code = uniq_s[by_name], renumber[first_seen] if len(first_seen) else np.zeros(0, np.int64)
    row_of = np.full(int(vid_a.max()) + 1 if len(vid_a) else 1, -1, dtype=np.int64)
    row_of[vid_a] = np.arange(len(vid_a))
    w_vid_a = np.fromiter(w_vid, dtype=np.int64, count=len(w_vid))
    w_row = row_of[np.minimum(w_vid_a, len(row_of) - 1)] if len(w_vid_a) else np.zeros(0, np.int64)
    w_row = np.where(w_vid_a < len(row_of), w_row, -1)
    use = w_row >= 0
    w_row, w_code, w_bp_a = w_row[use], w_code.astype(np.int64)[use], np.fromiter(w_bp, dtype=np.int64, count=len(w_vid))[use]
    used, w_code = np.unique(w_code, return_inverse=True)   # only the codes these versions hold
    codes, w_code = codes[used], w_code.astype(np.int64).reshape(-1)
    w_order = np.lexsort((w_code, w_row))
    w_row, w_code, w_bp_a = w_row[w_order], w_code[w_order], w_bp_a[w_order]
    return VersionArrays(
        portfolio_ids=np.asarray(order_ids, dtype=np.int64),
        version_offsets=np.searchsorted(p_rank, np.arange(len(order_ids) + 1)).astype(np.int64),
        version=ver_a, placed_ns=ns_a,
        weight_offsets=np.searchsorted(w_row, np.arange(len(vid_a) + 1)).astype(np.int64),
        weight_code=w_code, weight_bp=w_bp_a, codes=tuple(str(c) for c in codes))
