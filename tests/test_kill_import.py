"""Kill mid-import (the README's "Reliability and security": All-or-nothing imports): ``python -m socialfund posts import`` of a large
generated file (120,000 posts) is killed with SIGKILL while it is writing; the store then
holds all of the file's rows or none. Importing the same file again is idempotent: the
second complete import adds 0 (content hash). On SQLite and on PostgreSQL."""

from __future__ import annotations

import itertools
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sqlalchemy import func, insert, select, text

from pgserver import fresh_pg_database, pg_url  # noqa: F401
from socialfund.store import Store, open_store, schema

REPO = Path(__file__).resolve().parent.parent
ROWS = 120_000  # ~7 MB; big enough that the insert takes seconds, small enough for CI
_db_numbers = itertools.count()


def write_posts_file(path: Path, rows: int = ROWS) -> None:
    """A valid posts CSV with ``rows`` distinct posts (about 60 bytes each; 120,000 ≈ 7 MB, under the 20 MB cap)."""
    with path.open("w", encoding="utf-8", newline="") as fh:
        fh.write("code,text,published_at\n")
        for i in range(rows):
            fh.write(f"510300.SS,帖子{i} 看好后市,2024-{1 + i % 12:02d}-{1 + i % 28:02d}T"
                     f"{i % 24:02d}:{i % 60:02d}:{(i // 60) % 60:02d}+08:00\n")


def _count(store: Store) -> int:
    with store.read() as conn:
        return int(conn.execute(select(func.count()).select_from(schema.posts)).scalar_one())


def _start_import(url: str, posts_file: Path, data_dir: Path) -> subprocess.Popen:
    env = {**os.environ, "SOCIALFUND_DATABASE_URL": url, "SOCIALFUND_DATA_DIR": str(data_dir)}
    return subprocess.Popen([sys.executable, "-m", "socialfund", "posts", "import", str(posts_file)],
                            cwd=REPO, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def _writing_sqlite(db: Path) -> bool:
    """The import's write transaction is under way: its uncommitted pages spill into the WAL."""
    wal = db.with_name(db.name + "-wal")
    return wal.exists() and wal.stat().st_size > 4_000_000


def _writing_pg(store: Store, db_name: str):  # type: ignore[no-untyped-def]
    def check() -> bool:
        with store.engine.connect() as conn:
            # a backend of this database that holds a transaction id has written something
            return bool(conn.execute(text(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = :d AND backend_xid IS NOT NULL "
                "AND pid <> pg_backend_pid()"), {"d": db_name}).scalar())
    return check


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_killed_import_leaves_all_or_nothing_and_reimport_is_idempotent(
        backend: str, request: pytest.FixtureRequest, tmp_path: Path) -> None:
    if backend == "sqlite":
        db = tmp_path / "kill.db"
        url = f"sqlite:///{db}"
    else:
        db_name = f"kill_{next(_db_numbers)}"
        url = fresh_pg_database(request.getfixturevalue("pg_url"), db_name)
    store = open_store(url)
    with store.write() as conn:
        conn.execute(insert(schema.instruments).values(
            code="510300.SS", name_zh="沪深300ETF", name_en="CSI 300 ETF", kind="etf", market="SSE",
            currency="CNY", yahoo="510300.SS", category="broad", calendar="XSHG"))
    posts_file = tmp_path / "posts.csv"
    write_posts_file(posts_file)
    writing = (lambda: _writing_sqlite(db)) if backend == "sqlite" else _writing_pg(store, db_name)

    proc = _start_import(url, posts_file, tmp_path)
    deadline = time.monotonic() + 120
    while not writing():
        assert proc.poll() is None, f"the import finished before it could be killed mid-write: {proc.communicate()}"
        assert time.monotonic() < deadline, "the import never started writing"
        time.sleep(0.01)
    time.sleep(0.3)  # well inside the insert (it takes seconds)
    assert proc.poll() is None, "the import finished before it could be killed mid-write"
    proc.send_signal(signal.SIGKILL)
    proc.communicate(timeout=30)
    assert proc.returncode == -signal.SIGKILL

    after_kill = _count(store)
    print(f"\n[{backend}] killed mid-write: {after_kill} of {ROWS} rows in the store")
    assert after_kill in (0, ROWS), f"a killed import left {after_kill} of {ROWS} rows"

    full = _start_import(url, posts_file, tmp_path)
    out, err = full.communicate(timeout=300)
    assert full.returncode == 0, err
    assert f"imported {ROWS - after_kill}, duplicates skipped {after_kill}" in out
    assert _count(store) == ROWS

    again = _start_import(url, posts_file, tmp_path)
    out, err = again.communicate(timeout=300)
    assert again.returncode == 0, err
    assert f"imported 0, duplicates skipped {ROWS}" in out
    assert _count(store) == ROWS
    store.dispose()
