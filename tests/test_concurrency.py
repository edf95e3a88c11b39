"""Concurrency on both backends (the README's "Reliability and security": Concurrency):

* 16 processes × 200 read-modify-write transactions (SELECT value → +1 → UPDATE on
  ``counters``) through ``Store.retrying``: the final count is exactly 3,200 and no worker
  sees an error — on SQLite (BEGIN IMMEDIATE) and on a real PostgreSQL server
  (SERIALIZABLE + retry on 40001/40P01).
* 32 threads × 500 single-row insert transactions: 16,000 rows.
* Negative control: the naive set-up (plain SQLAlchemy sqlite engine, pysqlite's default
  transaction handling, no BEGIN IMMEDIATE) LOSES updates under the same load — proof that
  the first test can fail.
* A paper copy taken while the owner rebalances 20 times points at exactly one committed
  version (``socialfund.services.copies.record_copy`` against ``portfolio_crud.rebalance``).
"""

from __future__ import annotations

import itertools
import json
import os
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import func, insert, select

from pgserver import fresh_pg_database, pg_url  # noqa: F401
from socialfund.services import portfolio_crud
from socialfund.services.copies import record_copy
from socialfund.store import Store, open_store, schema
from socialfund.core.timeutil import utcnow

REPO = Path(__file__).resolve().parent.parent
PROCESSES, INCREMENTS = 16, 200
THREADS, INSERTS = 32, 500
REBALANCES = 20
_db_numbers = itertools.count()

# One worker process: wait for the start signal (so all 16 contend at once), then run
# INCREMENTS read-modify-write transactions. mode 'store' = socialfund's Store.retrying;
# mode 'naive' = a plain SQLAlchemy engine with pysqlite's default transaction handling.
WORKER = r"""
import json, os, sys, time
from sqlalchemy import create_engine, select, update
from socialfund.store import Store, schema

url, mode, n, start_file = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
c = schema.counters
errors = 0
calls = [0]  # bump() runs once per attempt: calls - done = transactions re-run after a conflict

def bump(conn):
    calls[0] += 1
    value = conn.execute(select(c.c.value).where(c.c.name == "rmw")).scalar_one()
    conn.execute(update(c).where(c.c.name == "rmw").values(value=value + 1))

if mode == "store":
    store = Store(url)
    run = lambda: store.retrying(bump)
else:
    engine = create_engine(url, connect_args={"timeout": 5})
    def run():
        with engine.begin() as conn:
            bump(conn)

while not os.path.exists(start_file):
    time.sleep(0.005)
done = 0
for _ in range(n):
    try:
        run()
        done += 1
    except Exception as exc:  # counted and reported: the test asserts there are none
        errors += 1
        last = repr(exc)[:300]
print(json.dumps({"done": done, "errors": errors, "attempts": calls[0], "last": last if errors else None}))
"""


def _backend_url(backend: str, request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if backend == "sqlite":
        return f"sqlite:///{tmp_path / 'concurrency.db'}"
    return fresh_pg_database(request.getfixturevalue("pg_url"), f"conc_{os.getpid()}_{next(_db_numbers)}")


@pytest.fixture(params=["sqlite", "postgresql"])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Store]:
    st = open_store(_backend_url(request.param, request, tmp_path))
    yield st
    st.dispose()


def _counter(store: Store) -> int:
    with store.read() as conn:
        return int(conn.execute(select(schema.counters.c.value).where(schema.counters.c.name == "rmw")).scalar_one())


def run_rmw_processes(url: str, mode: str, tmp_path: Path) -> list[dict]:
    """Start PROCESSES workers, release them together, return their JSON reports."""
    start_file = tmp_path / f"go-{mode}"
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    procs = [subprocess.Popen([sys.executable, "-c", WORKER, url, mode, str(INCREMENTS), str(start_file)],
                              cwd=REPO, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
             for _ in range(PROCESSES)]
    time.sleep(1.0)  # let them import; the ones still importing join a moment later
    start_file.touch()
    reports = []
    for p in procs:
        out, err = p.communicate(timeout=240)
        assert p.returncode == 0, err[-2000:]
        reports.append(json.loads(out.strip().splitlines()[-1]))
    return reports


def test_read_modify_write_processes_lose_nothing(store: Store, tmp_path: Path) -> None:
    with store.write() as conn:
        conn.execute(insert(schema.counters).values(name="rmw", value=0))
    started = time.monotonic()
    reports = run_rmw_processes(store.url, "store", tmp_path)
    elapsed = time.monotonic() - started
    errors = sum(r["errors"] for r in reports)
    final = _counter(store)
    retried = sum(r["attempts"] for r in reports) - sum(r["done"] for r in reports)
    print(f"\n[{store.dialect}] {PROCESSES}x{INCREMENTS} read-modify-write: final {final}, "
          f"lost {PROCESSES * INCREMENTS - final}, errors {errors}, retried {retried}, {elapsed:.1f}s")
    assert errors == 0, [r["last"] for r in reports if r["errors"]][:3]
    assert sum(r["done"] for r in reports) == PROCESSES * INCREMENTS
    assert final == PROCESSES * INCREMENTS


def test_naive_sqlite_setup_loses_updates(tmp_path: Path) -> None:
    """Negative control: without BEGIN IMMEDIATE the SELECT runs outside any transaction
    (pysqlite begins only before the UPDATE), so concurrent increments overwrite each other."""
    url = f"sqlite:///{tmp_path / 'naive.db'}"
    store = open_store(url)  # creates the schema and switches the file to WAL, as in production
    with store.write() as conn:
        conn.execute(insert(schema.counters).values(name="rmw", value=0))
    store.dispose()
    reports = run_rmw_processes(url, "naive", tmp_path)
    committed = sum(r["done"] for r in reports)
    final = _counter(open_store(url))
    lost = committed - final
    print(f"\n[naive sqlite] {committed} increments reported committed, final {final}, lost {lost}, "
          f"errors {sum(r['errors'] for r in reports)}")
    assert lost > 0


def test_threads_insert_every_row(store: Store) -> None:
    errors: list[BaseException] = []
    barrier = threading.Barrier(THREADS)

    def worker(t: int) -> None:
        try:
            barrier.wait()
            for i in range(INSERTS):
                def write(conn, i=i):  # type: ignore[no-untyped-def]
                    conn.execute(insert(schema.counters).values(name=f"t{t}-{i}", value=i))
                store.retrying(write)
        except BaseException as exc:  # noqa: BLE001 - collected and asserted below
            errors.append(exc)

    threads = [threading.Thread(target=worker, args=(t,)) for t in range(THREADS)]
    started = time.monotonic()
    for th in threads:
        th.start()
    for th in threads:
        th.join(timeout=300)
    elapsed = time.monotonic() - started
    assert not errors, errors[:3]
    with store.read() as conn:
        rows = conn.execute(select(func.count()).select_from(schema.counters)).scalar()
        distinct_values = conn.execute(select(func.count(schema.counters.c.value.distinct()))).scalar()
    print(f"\n[{store.dialect}] {THREADS}x{INSERTS} inserts: {rows} rows in {elapsed:.1f}s")
    assert rows == THREADS * INSERTS
    assert distinct_values == INSERTS


def _make_users_and_universe(store: Store) -> tuple[int, int, list[str]]:
    codes = [f"51030{i}.SS" for i in range(5)]
    with store.write() as conn:
        conn.execute(insert(schema.instruments), [
            {"code": c, "name_zh": f"测试{i}", "name_en": f"Test {i}", "kind": "etf", "market": "SSE",
             "currency": "CNY", "yahoo": c, "category": "broad", "calendar": "XSHG"} for i, c in enumerate(codes)])
        owner = conn.execute(insert(schema.users).values(key="local:owner", handle="owner", display_name="组合主人",
                                                         is_demo=False, created_at=utcnow())).inserted_primary_key[0]
        copier = conn.execute(insert(schema.users).values(key="local:copier", handle="copier",
                                                          display_name="跟投者", is_demo=False,
                                                          created_at=utcnow())).inserted_primary_key[0]
    return int(owner), int(copier), codes


def _weights_for(version: int, codes: list[str]) -> dict[str, str]:
    """A distinct, full (100 %) allocation per version number, so a copy can be matched to one."""
    first = 10 + (version * 3) % 60  # 10..69 %
    rest = 100 - first
    return {codes[version % len(codes)]: str(first), "CASH": str(rest)}


def test_copy_during_rebalances_equals_one_committed_version(store: Store) -> None:
    owner, copier, codes = _make_users_and_universe(store)
    pid = portfolio_crud.create_portfolio(store, owner, "压力测试", _weights_for(1, codes), visibility="public")
    stop = threading.Event()
    copies: dict[int, list[int]] = {n: [] for n in range(3)}   # copier thread → its copy ids, in order
    seen_weights: list[dict[str, int]] = []
    errors: list[BaseException] = []

    def copy_loop(n: int) -> None:
        try:
            while not stop.is_set():
                copies[n].append(record_copy(store, copier, pid, amount_cny="10000"))
                seen_weights.append(portfolio_crud.get_portfolio(store, copier, pid).current_weights)
        except BaseException as exc:  # noqa: BLE001
            errors.append(exc)

    readers = [threading.Thread(target=copy_loop, args=(n,)) for n in range(3)]
    for th in readers:
        th.start()
    try:
        for n in range(2, REBALANCES + 2):
            assert portfolio_crud.rebalance(store, owner, pid, _weights_for(n, codes), note=f"第{n}次调仓") == n
            time.sleep(0.01)
    finally:
        stop.set()
        for th in readers:
            th.join(timeout=60)
    assert not errors, errors[:3]

    info = portfolio_crud.get_portfolio(store, owner, pid)
    assert len(info.versions) == REBALANCES + 1
    committed = {vid: dict(v.weights_bp) for vid, v in zip(info.version_ids, info.versions)}
    expected = {vid: {c: int(float(p) * 100) for c, p in _weights_for(v.version, codes).items()}
                for vid, v in zip(info.version_ids, info.versions)}
    assert committed == expected  # every version stored whole
    c = schema.copies
    with store.read() as conn:
        rows = conn.execute(select(c.c.id, c.c.version_id).where(c.c.portfolio_id == pid).order_by(c.c.id)).all()
    assert len(rows) == sum(len(v) for v in copies.values()) >= 3
    number_of = {}
    for cid, version_id in rows:
        assert version_id in committed, f"copy points at version id {version_id}, which is not a committed version"
        assert sum(committed[version_id].values()) == 10_000
        number_of[cid] = info.versions[info.version_ids.index(version_id)].version
    # copies never go back in time: a copy that starts after another one committed sees at
    # least that one's version (per thread; ids across threads are not commit order on
    # PostgreSQL, where the id is drawn when the row is inserted)
    for ids in copies.values():
        seq = [number_of[c] for c in ids]
        assert seq == sorted(seq), seq
    version_numbers = sorted(number_of.values())
    # a copy taken after the last rebalance returned sees the last version
    final = record_copy(store, copier, pid, amount_cny="1")
    with store.read() as conn:
        assert conn.execute(select(c.c.version_id).where(c.c.id == final)).scalar() == info.version_ids[-1]
    # and every read of the current weights is one whole committed version, never a mix
    valid = [dict(w) for w in committed.values()]
    assert seen_weights and all(w in valid for w in seen_weights)
    print(f"\n[{store.dialect}] {len(rows)} copies during {REBALANCES} rebalances, versions "
          f"{version_numbers[0]}..{version_numbers[-1]}")
