"""The discussion's rows: written posts (a ``posts`` row plus its ``discussion_posts`` side
row), cashtags, likes, reports, moderation log and roles. SQL only; every rule (who may do
what, limits, blocked words) is ``services.discussion``'s.

``aggregate_clause`` is THE one filter every reader of ``posts`` that feeds a shared
surface applies (sources, fingerprints, loading for scores/aggregates/keywords/top posts/
ideas, per-fund counts): a post leaves every aggregate when its discussion row is not
``visible`` (held, hidden, deleted) or it belongs to a portfolio's thread (portfolio
threads are never on a public surface; a private portfolio's least of all).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from functools import cache

from sqlalchemy import Connection, and_, bindparam, case, delete, func, insert, select, update
from sqlalchemy.engine import RowMapping

from socialfund.core.sources import DEMO_DISCUSSION_SOURCE, DISCUSSION_SOURCE
from socialfund.store import schema
from socialfund.core.hashing import text_hash
from socialfund.store import sentiment_sums
from socialfund.store.counted import aggregate_clause, counts
from socialfund.store.engine import Store, insert_ignore

DEMO_DISCUSSION_FILE = "discussion.csv"
DEMO_DISCUSSION_KEY = "demo_discussion_loaded"
__all__ = ["aggregate_clause"]   # re-exported: defined in ``store.counted``
STATUSES = ("visible", "held", "hidden", "deleted")
#: ``posts.code`` of a post in a portfolio's thread (it is about no single fund).
PORTFOLIO_CODE_PREFIX = "portfolio:"


def moderation_mark(conn: Connection) -> int:
    """The id of the latest moderation action (0 when none): grows with every hide/approve/delete."""
    m = schema.post_moderation
    return int(conn.execute(select(func.coalesce(func.max(m.c.id), 0))).scalar_one())


def written_hash(author_id: int, code: str, published_iso: str, text: str) -> str:
    """``posts.content_hash`` of a written post: its author is part of its identity (two
    people may write the same words at the same moment; imported posts have no author id)."""
    return hashlib.sha256(f"discussion\x1f{author_id}\x1f{code}\x1f{published_iso}\x1f{text}"
                          .encode("utf-8")).hexdigest()


def insert_written(conn: Connection, *, author_id: int, author_label: str, code: str, text: str,
                   published_at: datetime, fund_code: str | None, portfolio_id: int | None,
                   parent_id: int | None, self_tag: str | None, status: str, held_reason: str | None,
                   cashtags: Sequence[str], source: str = DISCUSSION_SOURCE, is_demo: bool = False) -> int:
    """Insert one written post (posts row, side row, cashtags) in the caller's transaction;
    returns the post id."""
    post_id = _inserted_id(conn.execute(_statements()["insert_post"], {
        "content_hash": written_hash(author_id, code, published_at.isoformat(), text), "code": code, "text": text,
        "author": author_label[:128], "published_at": published_at, "reads": None, "comments": None, "url": None,
        "source": source, "imported_at": published_at, "text_hash": text_hash(text)}).inserted_primary_key)
    conn.execute(_statements()["insert_side"], {
        "post_id": post_id, "author_id": author_id, "fund_code": fund_code, "portfolio_id": portfolio_id,
        "parent_id": parent_id, "self_tag": self_tag, "status": status, "held_reason": held_reason,
        "hidden_by": None, "status_at": published_at, "is_demo": is_demo, "created_at": published_at})
    if cashtags:
        conn.execute(insert(schema.post_cashtags), [{"post_id": post_id, "code": c} for c in cashtags])
    if counts(status, portfolio_id):
        sentiment_sums.apply_posts(conn, [sentiment_sums.PostFacts(code, source, published_at, None, text_hash(text),
                                                                   self_tag)], 1)
    return post_id


def recent_counts(conn: Connection, author_id: int, now: datetime, minute: timedelta, day: timedelta) -> tuple[int, int]:
    """How many posts ``author_id`` wrote in (now − minute, now] and (now − day, now], any
    status (deleting frees no slot), in one statement."""
    row = conn.execute(_statements()["recent"], {"author": author_id, "now": now, "minute_start": now - minute,
                                                  "day_start": now - day}).one()
    return int(row[0] or 0), int(row[1] or 0)


def _post_query() -> Any:
    d, p, u = schema.discussion_posts, schema.posts, schema.users
    likes = (select(func.count()).select_from(schema.post_likes)
             .where(schema.post_likes.c.post_id == d.c.post_id).scalar_subquery())
    reports = (select(func.count()).select_from(schema.post_reports)
               .where(schema.post_reports.c.post_id == d.c.post_id).scalar_subquery())
    return (select(d, p.c.text, p.c.code, u.c.display_name.label("author_name"),
                   likes.label("likes"), reports.label("reports"))
            .join(p, p.c.id == d.c.post_id).join(u, u.c.id == d.c.author_id))


def post_row(conn: Connection, post_id: int) -> RowMapping | None:
    """One written post with its text, code, author name, like and report counts."""
    return conn.execute(_statements()["post_by_id"], {"post_id": int(post_id)}).mappings().first()


def thread_rows(conn: Connection, *, fund_code: str | None = None, portfolio_id: int | None = None,
                statuses: Iterable[str] = STATUSES, limit: int | None = None) -> list[RowMapping]:
    """The posts of one thread (top-level posts and their replies), oldest first."""
    d = schema.discussion_posts
    q = _post_query().where(d.c.status.in_(list(statuses)))
    q = q.where(d.c.fund_code == fund_code) if fund_code is not None else q.where(d.c.portfolio_id == portfolio_id)
    q = q.order_by(d.c.created_at, d.c.post_id)
    if limit is not None:
        q = q.limit(limit)
    return list(conn.execute(q).mappings().all())


def cashtags_of(conn: Connection, post_ids: Sequence[int]) -> dict[int, list[str]]:
    c = schema.post_cashtags
    out: dict[int, list[str]] = {}
    for i in range(0, len(post_ids), 500):
        for pid, code in conn.execute(select(c.c.post_id, c.c.code).where(c.c.post_id.in_(list(post_ids[i:i + 500])))
                                      .order_by(c.c.post_id, c.c.code)):
            out.setdefault(int(pid), []).append(str(code))
    return out


def liked_by(conn: Connection, user_id: int, post_ids: Sequence[int]) -> set[int]:
    lk = schema.post_likes
    out: set[int] = set()
    for i in range(0, len(post_ids), 500):
        out.update(int(r[0]) for r in conn.execute(select(lk.c.post_id).where(
            lk.c.user_id == user_id, lk.c.post_id.in_(list(post_ids[i:i + 500])))))
    return out


def set_like(conn: Connection, post_id: int, user_id: int, on: bool, now: datetime) -> None:
    lk = schema.post_likes
    if on:
        insert_ignore(conn, lk, [{"post_id": post_id, "user_id": user_id, "created_at": now}])
    else:
        conn.execute(delete(lk).where(lk.c.post_id == post_id, lk.c.user_id == user_id))


def add_report(conn: Connection, post_id: int, user_id: int, reason: str, now: datetime) -> None:
    insert_ignore(conn, schema.post_reports, [{"post_id": post_id, "user_id": user_id, "reason": reason,
                                               "created_at": now}])


def report_rows(conn: Connection) -> list[RowMapping]:
    """Every report with its post's status and thread, newest first."""
    r, d, u = schema.post_reports, schema.discussion_posts, schema.users
    return list(conn.execute(
        select(r.c.id, r.c.post_id, r.c.reason, r.c.created_at, u.c.display_name.label("reporter"),
               d.c.status, d.c.fund_code, d.c.portfolio_id)
        .join(d, d.c.post_id == r.c.post_id).join(u, u.c.id == r.c.user_id)
        .order_by(r.c.created_at.desc(), r.c.id.desc())).mappings().all())


def set_status(conn: Connection, post_id: int, status: str, *, actor_id: int, action: str, now: datetime) -> None:
    """Change a post's status and log the action (``hidden_by`` names who hid it)."""
    d = schema.discussion_posts
    before = conn.execute(select(d.c.status, d.c.portfolio_id).where(d.c.post_id == post_id)).first()
    conn.execute(update(d).where(d.c.post_id == post_id).values(
        status=status, status_at=now, hidden_by=actor_id if status == "hidden" else None))
    if before is not None:   # the stored sums follow a post into and out of the aggregates
        was, now_counts = counts(str(before[0]), before[1]), counts(status, before[1])
        if was != now_counts:
            sentiment_sums.apply_posts(conn, sentiment_sums.facts_of(conn, [post_id]), 1 if now_counts else -1)
    conn.execute(insert(schema.post_moderation).values(post_id=post_id, actor_id=actor_id, action=action, at=now))


def roles_of(conn: Connection, user_id: int) -> set[str]:
    return {str(x[0]) for x in conn.execute(_statements()["roles"], {"user_id": user_id})}


def instrument_codes(conn: Connection) -> list[str]:
    """Every instrument code in the store."""
    return [str(r[0]) for r in conn.execute(_statements()["codes"])]


def user_facts(conn: Connection, user_id: int) -> tuple[str, str, set[str]]:
    """(display name, key, roles) of a user, in one statement."""
    rows = conn.execute(_statements()["user_facts"], {"user_id": user_id}).all()
    if not rows:
        raise LookupError(f"user {user_id} does not exist")
    return str(rows[0][0]), str(rows[0][1]), {str(r[2]) for r in rows if r[2] is not None}


def _inserted_id(key: Any) -> int:
    if key is None or key[0] is None:
        raise RuntimeError("INSERT returned no primary key")
    return int(key[0])


@cache
def _statements() -> dict[str, Any]:
    """The statements run once per post, built once (SQLAlchemy then reuses their compiled
    form: building a statement costs more than running it on SQLite)."""
    d, u = schema.discussion_posts, schema.users
    return {
        "insert_post": insert(schema.posts),
        "insert_side": insert(d),
        "recent": select(func.sum(case((d.c.created_at > bindparam("minute_start"), 1), else_=0)), func.count())
        .where(d.c.author_id == bindparam("author"), d.c.created_at > bindparam("day_start"),
               d.c.created_at <= bindparam("now")),
        "post_by_id": _post_query().where(d.c.post_id == bindparam("post_id")),
        "roles": select(schema.user_roles.c.role).where(schema.user_roles.c.user_id == bindparam("user_id")),
        "codes": select(schema.instruments.c.code),
        "user_facts": select(u.c.display_name, u.c.key, schema.user_roles.c.role)
        .outerjoin(schema.user_roles, schema.user_roles.c.user_id == u.c.id).where(u.c.id == bindparam("user_id")),
    }


def grant_role(conn: Connection, user_id: int, role: str, now: datetime) -> None:
    insert_ignore(conn, schema.user_roles, [{"user_id": user_id, "role": role, "granted_at": now}])


def revoke_role(conn: Connection, user_id: int, role: str) -> None:
    r = schema.user_roles
    conn.execute(delete(r).where(and_(r.c.user_id == user_id, r.c.role == role)))


# --------------------------------------------------------------------------- demo discussion

def load_demo_discussion(store: Store, data_dir: Path) -> int:
    """Load ``data/discussion.csv`` (written by ``demo.discussion``) once; returns the posts
    added (0 when it was loaded before or the file is missing). Rows: ``post_key, parent_key,
    author_id, code, published_at (ISO with zone), self_tag, likes, cashtags, text``; ids are assigned
    here, so loading never collides with posts already in the store."""
    import csv

    from socialfund.core.timeutil import to_utc_naive, utcnow

    path = data_dir / DEMO_DISCUSSION_FILE
    if not path.exists():
        return 0
    with path.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    with store.read() as conn:
        if conn.execute(select(schema.meta.c.key).where(schema.meta.c.key == DEMO_DISCUSSION_KEY)).first():
            return 0
    added = 0
    with store.write() as conn:
        if conn.execute(select(schema.meta.c.key).where(schema.meta.c.key == DEMO_DISCUSSION_KEY)).first():
            return 0
        users = {int(r[0]): str(r[1]) for r in conn.execute(select(schema.users.c.id, schema.users.c.display_name)
                                                             .where(schema.users.c.is_demo.is_(True)))}
        ids: dict[str, int] = {}
        for r in rows:
            author = int(r["author_id"])
            if author not in users:
                continue
            published = to_utc_naive(datetime.fromisoformat(r["published_at"]))
            parent = ids.get(r["parent_key"]) if r["parent_key"] else None
            post_id = insert_written(
                conn, author_id=author, author_label=users[author], code=r["code"], text=r["text"],
                published_at=published, fund_code=r["code"], portfolio_id=None, parent_id=parent,
                self_tag=r["self_tag"] or None, status="visible", held_reason=None,
                cashtags=[c for c in r["cashtags"].split() if c != r["code"]],
                source=DEMO_DISCUSSION_SOURCE, is_demo=True)
            ids[r["post_key"]] = post_id
            likers = sorted(users)[:int(r["likes"] or 0)]
            insert_ignore(conn, schema.post_likes, [{"post_id": post_id, "user_id": u, "created_at": published}
                                                    for u in likers if u != author])
            added += 1
        insert_ignore(conn, schema.meta, [{"key": DEMO_DISCUSSION_KEY, "value": utcnow().isoformat()}])
    return added
