"""Alert rules, events and webhook deliveries in the store (``schema.alert_rules``,
``alert_events``, ``user_webhooks``, ``webhook_deliveries``). Permission checks and the
rules' logic live in ``services.alerts``; this module only reads and writes rows.

Idempotence: an event's ``dedup_key`` is UNIQUE and events are inserted with
``insert_ignore``, so inserting the same candidate twice (a second ``alerts run`` over the
same data, or two runs at once) stores it once; ``insert_events`` reports only the new ones.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Connection, func, insert, select, update
from sqlalchemy.engine import RowMapping

from socialfund.store import schema
from socialfund.store.engine import insert_ignore, insert_returning_id

EVENT_COLUMNS = ("id", "rule_id", "user_id", "dedup_key", "rule", "subject", "session", "value", "detail_json",
                 "created_at", "read_at")


def add_rule(conn: Connection, *, user_id: int, rule: str, fund_code: str | None, portfolio_id: int | None,
             threshold: float | None, at: datetime) -> int:
    return insert_returning_id(conn, insert(schema.alert_rules).values(
        user_id=int(user_id), rule=rule, fund_code=fund_code, portfolio_id=portfolio_id, threshold=threshold,
        created_at=at))


def delete_rule(conn: Connection, user_id: int, rule_id: int, at: datetime) -> int:
    r = schema.alert_rules
    return int(conn.execute(update(r).where(r.c.id == int(rule_id), r.c.user_id == int(user_id),
                                            r.c.deleted_at.is_(None)).values(deleted_at=at)).rowcount)


def active_rules(conn: Connection, user_id: int | None = None) -> list[RowMapping]:
    """Rules not deleted (of one user, or everybody's), oldest first."""
    r = schema.alert_rules
    q = select(r).where(r.c.deleted_at.is_(None)).order_by(r.c.id)
    if user_id is not None:
        q = q.where(r.c.user_id == int(user_id))
    return list(conn.execute(q).mappings())


def insert_events(conn: Connection, candidates: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    """Insert candidate events (dicts of the event columns, ``detail`` a dict); returns those
    stored now (with their ``id``), skipping any whose ``dedup_key`` is already stored."""
    if not candidates:
        return []
    e = schema.alert_events
    keys = [c["dedup_key"] for c in candidates]
    seen: set[str] = set()
    for i in range(0, len(keys), 500):
        seen.update(r[0] for r in conn.execute(select(e.c.dedup_key).where(e.c.dedup_key.in_(keys[i:i + 500]))))
    fresh: dict[str, dict[str, Any]] = {}
    for c in candidates:
        if c["dedup_key"] not in seen:
            fresh.setdefault(c["dedup_key"], c)
    rows = [{"rule_id": c["rule_id"], "user_id": c["user_id"], "dedup_key": c["dedup_key"], "rule": c["rule"],
             "subject": c["subject"], "session": c.get("session"), "value": c.get("value"),
             "detail_json": json.dumps(c.get("detail", {}), ensure_ascii=False, sort_keys=True, default=str),
             "created_at": c["created_at"]} for c in fresh.values()]
    insert_ignore(conn, e, rows)
    if not rows:
        return []
    got = {r["dedup_key"]: r for r in conn.execute(select(e).where(e.c.dedup_key.in_(list(fresh)))).mappings()}
    return [dict(got[k]) for k in fresh if k in got]


def events(conn: Connection, user_id: int, *, unread_only: bool = False, limit: int = 200) -> list[RowMapping]:
    e = schema.alert_events
    q = select(e).where(e.c.user_id == int(user_id)).order_by(e.c.id.desc()).limit(limit)
    if unread_only:
        q = q.where(e.c.read_at.is_(None))
    return list(conn.execute(q).mappings())


def unread_count(conn: Connection, user_id: int) -> int:
    e = schema.alert_events
    return int(conn.execute(select(func.count()).select_from(e)
                            .where(e.c.user_id == int(user_id), e.c.read_at.is_(None))).scalar_one())


def mark_read(conn: Connection, user_id: int, event_ids: Sequence[int] | None, at: datetime) -> int:
    e = schema.alert_events
    q = update(e).where(e.c.user_id == int(user_id), e.c.read_at.is_(None))
    if event_ids is not None:
        q = q.where(e.c.id.in_([int(i) for i in event_ids]))
    return int(conn.execute(q.values(read_at=at)).rowcount)


# --------------------------------------------------------------------------- webhooks

def webhook_url(conn: Connection, user_id: int) -> str | None:
    w = schema.user_webhooks
    row = conn.execute(select(w.c.url).where(w.c.user_id == int(user_id))).first()
    return None if row is None else str(row[0])


def set_webhook(conn: Connection, user_id: int, url: str | None, at: datetime) -> None:
    w = schema.user_webhooks
    conn.execute(w.delete().where(w.c.user_id == int(user_id)))
    if url:
        conn.execute(insert(w).values(user_id=int(user_id), url=url, created_at=at))


def queue_deliveries(conn: Connection, new_events: Sequence[dict[str, Any]], at: datetime) -> int:
    """One delivery row per new event of a user with a webhook (UNIQUE per event)."""
    urls: dict[int, str | None] = {}
    rows = []
    for ev in new_events:
        uid = int(ev["user_id"])
        if uid not in urls:
            urls[uid] = webhook_url(conn, uid)
        if urls[uid]:
            rows.append({"event_id": int(ev["id"]), "user_id": uid, "url": urls[uid], "attempts": 0,
                         "next_attempt_at": at, "created_at": at})
    insert_ignore(conn, schema.webhook_deliveries, rows)
    return len(rows)


def claim_due(conn: Connection, now: datetime, lease: timedelta, max_attempts: int,
              limit: int = 100) -> list[dict[str, Any]]:
    """Due, undelivered deliveries with attempts left, claimed: attempts + 1 and
    ``next_attempt_at`` = now + ``lease`` (so no other sender picks them meanwhile). Call in a
    write transaction. Each comes back with its event's row as ``event``."""
    d, e = schema.webhook_deliveries, schema.alert_events
    rows = list(conn.execute(select(d).where(d.c.delivered_at.is_(None), d.c.next_attempt_at <= now,
                                             d.c.attempts < max_attempts).order_by(d.c.id).limit(limit)).mappings())
    out = []
    for row in rows:
        claimed = conn.execute(update(d).where(d.c.id == row["id"], d.c.delivered_at.is_(None),
                                               d.c.attempts == row["attempts"])
                               .values(attempts=row["attempts"] + 1, next_attempt_at=now + lease)).rowcount
        if not claimed:
            continue
        event = conn.execute(select(e).where(e.c.id == row["event_id"])).mappings().one()
        out.append({**dict(row), "attempts": row["attempts"] + 1, "event": dict(event)})
    return out


def finish_delivery(conn: Connection, delivery_id: int, *, delivered_at: datetime | None,
                    next_attempt_at: datetime | None, error: str | None) -> None:
    d = schema.webhook_deliveries
    values: dict[str, Any] = {"last_error": (error or None) and error[:200]}
    if delivered_at is not None:
        values["delivered_at"] = delivered_at
    if next_attempt_at is not None:
        values["next_attempt_at"] = next_attempt_at
    conn.execute(update(d).where(d.c.id == int(delivery_id)).values(**values))


def deliveries(conn: Connection, user_id: int | None = None) -> list[RowMapping]:
    d = schema.webhook_deliveries
    q = select(d).order_by(d.c.id)
    if user_id is not None:
        q = q.where(d.c.user_id == int(user_id))
    return list(conn.execute(q).mappings())
