"""Load the committed demo universe (``data/*.csv``) into the store, idempotently.

Loading twice leaves the same rows: every insert is "insert, ignore if the key exists".
Demo rows are flagged (``is_demo``, ``source='synthetic-demo'`` / ``'demo'``) so that the
app can label them and never mix them silently with real data.
"""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from typing import Any, cast

import pandas as pd
from sqlalchemy import Connection, delete, func, insert, select, text

from socialfund.core.config import DEMO_DATA_DIR
from socialfund.core.errors import ConfigError
from socialfund.core.hashing import post_content_hash, text_hash
from socialfund.core.sources import DEMO_POST_SOURCE, DEMO_PRICE_SOURCE
from socialfund.store import schema, sentiment_sums
from socialfund.store.discussion import load_demo_discussion
from socialfund.store.engine import Store, insert_ignore
from socialfund.core.timeutil import to_utc_naive, utcnow

DEMO_LOADED_KEY = "demo_loaded"
#: Set by ``python -m socialfund init``: this store holds the user's own data only, and
#: ``ensure_demo`` never loads the demo into it (``init-demo`` still can, explicitly).
DEMO_DECLINED_KEY = "demo_declined"


def _read(data_dir: Path, name: str) -> pd.DataFrame:
    path = data_dir / name
    if not path.exists():
        raise ConfigError(f"demo data file {path} is missing; run: python -m socialfund.demo.generate")
    # codes are text ('000001' must stay '000001'), so read everything as strings first
    return pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")


def _date(value: str) -> date | None:
    return date.fromisoformat(value) if value else None


def _dt(value: str) -> datetime | None:
    if not value:
        return None
    if len(value) == 10:  # a bare date: midnight Shanghai
        value = value + "T00:00:00+08:00"
    return to_utc_naive(datetime.fromisoformat(value))


def _records(df: pd.DataFrame) -> list[dict[str, Any]]:
    # the column labels are the CSV header's strings (``_read``), so the keys are str
    return cast("list[dict[str, Any]]", df.to_dict("records"))


def load_demo(store: Store, data_dir: Path = DEMO_DATA_DIR) -> dict[str, int]:
    """Load (or top up) the demo universe; returns row counts per table after loading."""
    universe = _read(data_dir, "universe.csv")
    prices = _read(data_dir, "prices.csv")
    users = _read(data_dir, "users.csv")
    portfolios = _read(data_dir, "portfolios.csv")
    versions = _read(data_dir, "portfolio_versions.csv")
    weights = _read(data_dir, "portfolio_weights.csv")
    follows = _read(data_dir, "follows.csv")
    copies = _read(data_dir, "copies.csv")
    posts = _read(data_dir, "posts.csv")
    now = utcnow()

    def write(conn: Connection) -> None:
        insert_ignore(conn, schema.instruments, [
            {**r, "yahoo": r["yahoo"] or None} for r in _records(universe)])
        insert_ignore(conn, schema.prices, [
            {"code": r["code"], "date": date.fromisoformat(r["date"]), "source": DEMO_PRICE_SOURCE,
             "close": float(r["close"]), "fetched_at": None} for r in _records(prices)])
        insert_ignore(conn, schema.users, [
            {"id": int(r["user_id"]), "key": f"demo:{int(r['user_id'])}", "handle": r["handle"],
             "display_name": r["display_name"], "is_demo": True, "created_at": _dt(r["joined_on"])}
            for r in _records(users)])
        insert_ignore(conn, schema.portfolios, [
            {"id": int(r["portfolio_id"]), "owner_id": int(r["owner_id"]), "name": r["name"],
             "description": r["description"], "style": r["style"], "visibility": r["visibility"],
             "is_demo": True, "created_at": _dt(r["created_on"]), "closed_at": _dt(r["closed_on"]),
             "deleted_at": None, "confirmed_at": None} for r in _records(portfolios)])
        # each demo portfolio's visibility is dated from its creation (one history row; the
        # demo never changes one), so as-of readers see it exactly as the live lists do
        demo_ids = [int(r["portfolio_id"]) for r in _records(portfolios)]
        h = schema.portfolio_visibility_changes
        dated = {int(pid) for (pid,) in conn.execute(select(h.c.portfolio_id).where(h.c.portfolio_id.in_(demo_ids)))}
        missing = [{"portfolio_id": int(r["portfolio_id"]), "changed_at": _dt(r["created_on"]),
                    "visibility": r["visibility"]} for r in _records(portfolios) if int(r["portfolio_id"]) not in dated]
        if missing:   # the history table has its own ids: "insert, ignore" cannot make loading idempotent
            conn.execute(insert(h), missing)
        # Version ids are the row order of the sorted file: deterministic across loads.
        version_rows = []
        version_id = {}
        for i, r in enumerate(_records(versions), start=1):
            key = (int(r["portfolio_id"]), int(r["version"]))
            version_id[key] = i
            version_rows.append({"id": i, "portfolio_id": key[0], "version": key[1],
                                 "placed_at": _dt(r["placed_at"]), "note": r["note"]})
        insert_ignore(conn, schema.portfolio_versions, version_rows)
        insert_ignore(conn, schema.portfolio_weights, [
            {"version_id": version_id[(int(r["portfolio_id"]), int(r["version"]))], "code": r["code"],
             "weight_bp": int(r["weight_bp"])} for r in _records(weights)])
        insert_ignore(conn, schema.follows, [
            {"user_id": int(r["user_id"]), "portfolio_id": int(r["portfolio_id"]), "since": _dt(r["since"])}
            for r in _records(follows)])
        # A copy points at the leader version in force when it started (the last placed by the
        # end of that Shanghai day), or the first version for a copy started before any.
        placed: dict[int, list[tuple[datetime, int]]] = {}
        for row in version_rows:
            placed.setdefault(row["portfolio_id"], []).append((row["placed_at"], row["id"]))

        def version_in_force(pid: int, started_on: str) -> int:
            history = sorted(placed[pid])
            day_end = _dt(started_on + "T23:59:59+08:00")
            in_force = [vid for at, vid in history if day_end is not None and at <= day_end]
            return in_force[-1] if in_force else history[0][1]

        insert_ignore(conn, schema.copies, [
            {"id": int(r["copy_id"]), "user_id": int(r["user_id"]), "portfolio_id": int(r["portfolio_id"]),
             "version_id": version_in_force(int(r["portfolio_id"]), r["started_on"]),
             "started_on": _date(r["started_on"]),
             "amount_fen": round(float(r["amount_cny"]) * 100), "fee_bps": int(r["fee_bps"]),
             "delay_sessions": int(r["delay_sessions"]),
             "min_position_fen": round(float(r["min_position_cny"]) * 100),
             "stop_loss_pct": float(r["stop_loss_pct"]) if r["stop_loss_pct"] else None,
             # recorded when it started (the demo's story), so copier counts as of a date hold
             "is_demo": True, "created_at": _dt(r["started_on"])} for r in _records(copies)])
        post_rows = []
        for r in _records(posts):
            published = _dt(r["published_at"])
            assert published is not None
            post_rows.append({
                "content_hash": post_content_hash(r["code"], published.isoformat(), r["text"]),
                "code": r["code"], "text": r["text"], "author": r["author"] or None,
                "published_at": published, "reads": int(r["reads"]) if r["reads"] else None,
                "comments": int(r["comments"]) if r["comments"] else None, "url": None,
                "source": DEMO_POST_SOURCE, "imported_at": now, "text_hash": text_hash(r["text"])})
        known: set[str] = set()   # loading again inserts no post twice, and must not count one twice either
        hashes = [row["content_hash"] for row in post_rows]
        for i in range(0, len(hashes), 500):
            known.update(h for (h,) in conn.execute(select(schema.posts.c.content_hash)
                                                    .where(schema.posts.c.content_hash.in_(hashes[i:i + 500]))))
        post_rows = list({row["content_hash"]: row for row in reversed(post_rows)
                          if row["content_hash"] not in known}.values())[::-1]   # the first of each, in order
        insert_ignore(conn, schema.posts, post_rows)
        sentiment_sums.apply_posts(conn, [sentiment_sums.PostFacts(
            row["code"], DEMO_POST_SOURCE, row["published_at"], row["reads"], row["text_hash"], None)
            for row in post_rows], 1)
        insert_ignore(conn, schema.meta, [{"key": DEMO_LOADED_KEY, "value": now.isoformat()}])
        if conn.dialect.name == "postgresql":
            # explicit ids do not advance PostgreSQL sequences; move them past the demo ids
            for table in (schema.users, schema.portfolios, schema.portfolio_versions, schema.copies):
                conn.execute(text(
                    f"SELECT setval(pg_get_serial_sequence('{table.name}', 'id'), "
                    f"GREATEST((SELECT COALESCE(MAX(id), 0) FROM {table.name}), 1))"))

    store.create_schema()
    with store.write() as conn:
        write(conn)
    load_demo_discussion(store, data_dir)
    return table_counts(store)


def table_counts(store: Store) -> dict[str, int]:
    with store.read() as conn:
        return {t.name: int(conn.execute(select(func.count()).select_from(t)).scalar_one())
                for t in schema.metadata.sorted_tables}


def demo_loaded(store: Store) -> bool:
    with store.read() as conn:
        return conn.execute(select(schema.meta.c.value).where(
            schema.meta.c.key == DEMO_LOADED_KEY)).first() is not None


def demo_declined(store: Store) -> bool:
    with store.read() as conn:
        return conn.execute(select(schema.meta.c.value).where(
            schema.meta.c.key == DEMO_DECLINED_KEY)).first() is not None


def decline_demo(store: Store) -> None:
    """Mark the store as the user's own: ``ensure_demo`` will not load the demo into it."""
    with store.write() as conn:
        insert_ignore(conn, schema.meta, [{"key": DEMO_DECLINED_KEY, "value": utcnow().isoformat()}])


def allow_demo(store: Store) -> None:
    """Undo ``decline_demo``: the demo was asked for explicitly (``init-demo``)."""
    with store.write() as conn:
        conn.execute(delete(schema.meta).where(schema.meta.c.key == DEMO_DECLINED_KEY))


def ensure_demo(store: Store, data_dir: Path = DEMO_DATA_DIR) -> bool:
    """Load the demo data if it is not there yet and the store was not made without it
    (``decline_demo``); True when it loaded now."""
    store.create_schema()
    if demo_declined(store):
        return False
    loaded = not demo_loaded(store)
    if loaded:
        load_demo(store, data_dir)
    else:
        # a demo store loaded before the discussion existed gets it once; a store without the
        # demo is left exactly as it is (a command that fails must change nothing stored)
        load_demo_discussion(store, data_dir)
    return loaded


