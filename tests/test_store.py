"""The store: schema, pragmas, idempotent demo load."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError

from socialfund.store import open_store, schema
from socialfund.store.demo import load_demo, table_counts
from socialfund.core.timeutil import utcnow

REPO = Path(__file__).resolve().parent.parent


def test_sqlite_pragmas_wal_and_foreign_keys(tmp_path: Path) -> None:
    store = open_store(f"sqlite:///{tmp_path / 'a.db'}")
    with store.read() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
    with pytest.raises(IntegrityError):
        with store.write() as conn:
            conn.execute(schema.portfolios.insert().values(owner_id=999, name="x", created_at=utcnow()))


def test_write_rolls_back_on_error(tmp_path: Path) -> None:
    store = open_store(f"sqlite:///{tmp_path / 'a.db'}")
    with pytest.raises(RuntimeError):
        with store.write() as conn:
            conn.execute(schema.meta.insert().values(key="k", value="v"))
            raise RuntimeError("boom")
    with store.read() as conn:
        assert conn.execute(text("SELECT COUNT(*) FROM meta WHERE key = 'k'")).scalar() == 0


def test_load_demo_twice_gives_the_same_rows(tmp_path: Path) -> None:
    store = open_store(f"sqlite:///{tmp_path / 'demo.db'}")
    first = load_demo(store)
    second = load_demo(store)
    assert first == second
    assert first["instruments"] >= 30 and first["posts"] >= 15_000 and first["portfolios"] >= 250
    with store.read() as conn:
        assert conn.execute(text("SELECT COUNT(*) FROM prices WHERE source != 'synthetic-demo'")).scalar() == 0
        assert conn.execute(text("SELECT COUNT(*) FROM portfolios WHERE is_demo = 0")).scalar() == 0
        bad = conn.execute(text("SELECT version_id, SUM(weight_bp) s FROM portfolio_weights "
                                "GROUP BY version_id HAVING s != 10000")).all()
        assert bad == []


def test_init_demo_command_is_idempotent(tmp_path: Path) -> None:
    env = {**os.environ, "SOCIALFUND_DATA_DIR": str(tmp_path)}
    outs = [subprocess.run([sys.executable, "-m", "socialfund", "init-demo"], cwd=REPO, env=env,
                           capture_output=True, text=True, timeout=300) for _ in range(2)]
    assert [o.returncode for o in outs] == [0, 0], outs[0].stderr
    assert outs[0].stdout == outs[1].stdout and "demo data loaded" in outs[0].stdout
    again = subprocess.run([sys.executable, "-m", "socialfund", "init-demo", "--if-missing"], cwd=REPO, env=env,
                           capture_output=True, text=True, timeout=120)
    assert again.returncode == 0 and "already loaded" in again.stdout
    assert table_counts(open_store(f"sqlite:///{tmp_path / 'socialfund.db'}"))["posts"] > 0


def test_every_demo_copy_points_at_an_existing_version(demo_store) -> None:  # type: ignore[no-untyped-def]
    with demo_store.read() as conn:
        orphans = conn.execute(text(
            "SELECT COUNT(*) FROM copies c LEFT JOIN portfolio_versions v ON v.id = c.version_id "
            "WHERE v.id IS NULL OR v.portfolio_id != c.portfolio_id")).scalar()
        total = conn.execute(text("SELECT COUNT(*) FROM copies")).scalar()
    assert total > 0 and orphans == 0


def test_a_database_from_an_earlier_release_gains_new_nullable_columns(tmp_path: Path) -> None:
    """A table made before a nullable column joined the schema gets it on open (rows kept)."""
    import sqlite3

    from sqlalchemy import Column, MetaData, String, Table

    from socialfund.store import engine as store_engine

    db = tmp_path / "old.db"
    con = sqlite3.connect(db)
    con.execute("CREATE TABLE meta (key VARCHAR(64) PRIMARY KEY)")   # 'value' missing, as if from an old release
    con.execute("INSERT INTO meta (key) VALUES ('kept')")
    con.commit()
    con.close()
    with pytest.raises(Exception, match="meta.value"):   # NOT NULL value: cannot be added to stored rows
        open_store(f"sqlite:///{db}")
    extra = MetaData()
    Table("meta", extra, Column("key", String(64), primary_key=True), Column("note", String(16), nullable=True))
    original = store_engine.metadata
    store_engine.metadata = extra
    try:
        store = open_store(f"sqlite:///{db}")
    finally:
        store_engine.metadata = original
    with store.read() as conn:
        assert conn.execute(text("SELECT key, note FROM meta")).all() == [("kept", None)]
