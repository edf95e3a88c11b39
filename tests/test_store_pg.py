"""The store unit tests (schema, foreign keys, rollback, idempotent demo load, retrying)
run against BOTH backends: SQLite and a real PostgreSQL server started by the test run."""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import func, inspect, select
from sqlalchemy.exc import IntegrityError

from pgserver import fresh_pg_database, pg_url  # noqa: F401
from socialfund.store import Store, open_store, schema
from socialfund.store.demo import load_demo, table_counts
from socialfund.store.engine import insert_ignore
from socialfund.core.timeutil import utcnow

_db_numbers = itertools.count()


@pytest.fixture(params=["sqlite", "postgresql"])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Store]:
    """An EMPTY store with the schema created, on each backend."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'a.db'}"
    else:
        base = request.getfixturevalue("pg_url")
        url = fresh_pg_database(base, f"store_{next(_db_numbers)}")
    st = open_store(url)
    yield st
    st.dispose()


def test_backend_is_the_one_asked_for(store: Store) -> None:
    with store.read() as conn:
        if store.dialect == "sqlite":
            assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
            assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        else:
            assert store.dialect == "postgresql"
            assert conn.exec_driver_sql("SHOW server_version_num").scalar() is not None


def test_schema_has_every_table(store: Store) -> None:
    with store.read() as conn:
        tables = set(inspect(conn).get_table_names())
    assert set(schema.metadata.tables) <= tables


def test_postgresql_write_transactions_are_serializable(store: Store) -> None:
    with store.write() as conn:
        level = conn.exec_driver_sql("SHOW transaction_isolation").scalar() if store.dialect == "postgresql" \
            else "serializable"  # SQLite is serializable by construction (one writer)
    assert level == "serializable"


def test_foreign_keys_are_enforced(store: Store) -> None:
    with pytest.raises(IntegrityError):
        with store.write() as conn:
            conn.execute(schema.portfolios.insert().values(owner_id=999, name="x", created_at=utcnow()))
    with store.read() as conn:
        assert conn.execute(select(func.count()).select_from(schema.portfolios)).scalar() == 0


def test_write_rolls_back_on_error(store: Store) -> None:
    with pytest.raises(RuntimeError):
        with store.write() as conn:
            conn.execute(schema.meta.insert().values(key="k", value="v"))
            raise RuntimeError("boom")
    with store.read() as conn:
        assert conn.execute(select(func.count()).select_from(schema.meta).where(schema.meta.c.key == "k")).scalar() == 0


def test_autoincrement_ids_after_explicit_ids(store: Store) -> None:
    """The demo load inserts explicit ids; a later insert without an id must not collide
    (on PostgreSQL that needs the sequence moved past the explicit ids)."""
    load_demo(store)
    with store.write() as conn:
        uid = conn.execute(schema.users.insert().values(key="local:new", handle="new", display_name="新用户",
                                                        is_demo=False, created_at=utcnow())).inserted_primary_key[0]
        pid = conn.execute(schema.portfolios.insert().values(owner_id=uid, name="新组合", created_at=utcnow())
                           ).inserted_primary_key[0]
        vid = conn.execute(schema.portfolio_versions.insert().values(portfolio_id=pid, version=1,
                                                                     placed_at=utcnow())).inserted_primary_key[0]
    with store.read() as conn:
        assert conn.execute(select(func.max(schema.users.c.id))).scalar() == uid
        assert conn.execute(select(func.max(schema.portfolios.c.id))).scalar() == pid
        assert conn.execute(select(func.max(schema.portfolio_versions.c.id))).scalar() == vid


def test_insert_ignore_skips_existing_keys(store: Store) -> None:
    with store.write() as conn:
        insert_ignore(conn, schema.meta, [{"key": "a", "value": "1"}, {"key": "b", "value": "2"}])
        insert_ignore(conn, schema.meta, [{"key": "a", "value": "changed"}, {"key": "c", "value": "3"}])
    with store.read() as conn:
        rows = dict(conn.execute(select(schema.meta.c.key, schema.meta.c.value)
                                 .where(schema.meta.c.key.in_(["a", "b", "c"]))).all())
    assert rows == {"a": "1", "b": "2", "c": "3"}


def test_load_demo_twice_gives_the_same_rows(store: Store) -> None:
    first = load_demo(store)
    second = load_demo(store)
    assert first == second == table_counts(store)
    assert first["instruments"] >= 30 and first["posts"] >= 15_000 and first["portfolios"] >= 250
    w = schema.portfolio_weights
    with store.read() as conn:
        assert conn.execute(select(func.count()).select_from(schema.prices)
                            .where(schema.prices.c.source != "synthetic-demo")).scalar() == 0
        assert conn.execute(select(func.count()).select_from(schema.portfolios)
                            .where(schema.portfolios.c.is_demo.is_(False))).scalar() == 0
        bad = conn.execute(select(w.c.version_id).group_by(w.c.version_id)
                           .having(func.sum(w.c.weight_bp) != 10_000)).all()
    assert bad == []


def test_retrying_returns_the_function_result(store: Store) -> None:
    def write(conn):  # type: ignore[no-untyped-def]
        conn.execute(schema.counters.insert().values(name="c", value=41))
        return conn.execute(select(schema.counters.c.value)).scalar() + 1

    assert store.retrying(write) == 42


def test_sentiment_sums_follow_imports_posts_moderation_and_scores(store: Store) -> None:
    """The stored sums are upserted with each backend's ON CONFLICT and equal a recomputation."""
    from datetime import datetime

    from socialfund.services import discussion as ds
    from socialfund.services import posts as posts_service
    from socialfund.services import scores
    from socialfund.store.users import get_or_create_user
    from test_sentiment_sums import HEADER, NOW, RULES, FakeScorer, assert_sums_match, seed

    seed(store)
    user = get_or_create_user(store, "local:a", "a")
    editor = get_or_create_user(store, "local:e", "e")
    ds.grant_editor(store, editor)
    posts_service.import_posts(store, (HEADER + "510300.SS,利好,2026-01-05T03:00:00+00:00,u,5,0,\n"
                                       "510300.SS,利好,2026-01-05T09:00:00+00:00,u,,0,\n"
                                       "159915.SZ,大跌,2026-01-06T03:00:00+00:00,u,2,0,\n").encode(), "f.csv",
                               source="a", now_utc=NOW)
    kept = ds.post(store, user, "利好 说", fund="510300.SS", tag="bull", rules=RULES, now=datetime(2026, 1, 7, 2))
    gone = ds.post(store, user, "大跌 说", fund="510300.SS", tag="bear", rules=RULES, now=datetime(2026, 1, 7, 3))
    scores.score_posts(store, FakeScorer("v1"))  # type: ignore[arg-type]
    ds.hide(store, editor, kept.id, rules=RULES, now=datetime(2026, 1, 8))
    scores.score_posts(store, FakeScorer("v2"))  # type: ignore[arg-type]
    ds.unhide(store, editor, kept.id, rules=RULES, now=datetime(2026, 1, 8, 1))
    ds.delete(store, user, gone.id, rules=RULES, now=datetime(2026, 1, 8, 2))
    assert_sums_match(store)
    assert posts_service.posts_per_fund(store).to_dict() == {"510300.SS": 3, "159915.SZ": 1}
