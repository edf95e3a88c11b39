"""Engine set-up and transactions.

SQLite: WAL, ``foreign_keys=ON`` on every connection, and write transactions opened with
``BEGIN IMMEDIATE`` so concurrent read-modify-write cannot lose updates (Python's sqlite3
otherwise starts no transaction on SELECT, and a deferred read that upgrades to a write
fails at once with "database is locked", skipping busy_timeout). PostgreSQL: write
transactions run SERIALIZABLE and ``Store.retrying`` re-runs them on serialization
failures (SQLSTATE 40001) and deadlocks (40P01).
"""

from __future__ import annotations

import random
import sqlite3
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from collections.abc import Sequence
from typing import Any, TypeVar

import pandas as pd
from sqlalchemy import Connection, Engine, Insert, Table, create_engine, event, inspect, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, DBAPIError, OperationalError
from sqlalchemy.pool import ConnectionPoolEntry

from socialfund.core.errors import ConfigError
from socialfund.store import sentiment_sums
from socialfund.store.schema import metadata

T = TypeVar("T")

_WRITE = "socialfund_write"
SQLITE_BUSY_TIMEOUT_MS = 30_000
RETRYABLE_SQLSTATES = {"40001", "40P01"}
INSERT_CHUNK = 2_000


def redact_url(url: str) -> str:
    """The URL as it may be shown: the password hidden."""
    try:
        return make_url(url).render_as_string(hide_password=True)
    except ArgumentError:
        return "<unparseable URL>"


def _make_engine(url: str) -> Engine:
    try:
        parsed = make_url(url)
    except ArgumentError:
        raise ConfigError(f"SOCIALFUND_DATABASE_URL is not a database URL: {url!r}") from None
    backend = parsed.get_backend_name()
    if backend == "sqlite":
        database = parsed.database or ""
        if database and database != ":memory:":
            Path(database).expanduser().parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, connect_args={"timeout": SQLITE_BUSY_TIMEOUT_MS / 1000,
                                                  "check_same_thread": False})

        @event.listens_for(engine, "connect")
        def _on_connect(dbapi_conn: sqlite3.Connection, _record: ConnectionPoolEntry) -> None:
            # Take transaction control away from pysqlite; we emit BEGIN ourselves.
            dbapi_conn.isolation_level = None
            cur = dbapi_conn.cursor()
            cur.execute("PRAGMA foreign_keys=ON")
            cur.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
            if database and database != ":memory:":
                cur.execute("PRAGMA journal_mode=WAL")
                cur.execute("PRAGMA synchronous=NORMAL")
            cur.close()

        @event.listens_for(engine, "begin")
        def _on_begin(conn: Connection) -> None:
            mode = "IMMEDIATE" if conn.get_execution_options().get(_WRITE) else "DEFERRED"
            conn.exec_driver_sql(f"BEGIN {mode}")

        return engine
    if backend == "postgresql":
        if parsed.drivername == "postgresql":  # plain URL: use psycopg 3, which we install
            url = parsed.set(drivername="postgresql+psycopg").render_as_string(hide_password=False)
        return create_engine(url, pool_pre_ping=True, pool_size=10, max_overflow=20)
    raise ConfigError(f"SOCIALFUND_DATABASE_URL uses {backend!r}; socialfund supports sqlite and postgresql")


def rows_frame(rows: Sequence[Any], columns: Sequence[str]) -> pd.DataFrame:
    """A DataFrame of query result rows, built by columns: with pandas 3 and SQLAlchemy 2.1 a
    ``Row`` is not a tuple, and ``DataFrame(list_of_Row)`` takes a slow path that raises and
    catches an exception inside SQLAlchemy on every row (measured: 194,000 price rows 2.6 s,
    by columns 0.1 s)."""
    names = list(columns)
    if not rows:
        return pd.DataFrame({n: [] for n in names})
    return pd.DataFrame(dict(zip(names, (list(c) for c in zip(*rows)))), columns=names)


def raw_rows(conn: Connection, query: Any) -> list[tuple[Any, ...]]:
    """The rows of ``query`` as the DBAPI driver returns them (plain tuples), skipping
    SQLAlchemy's per-row ``Row`` objects and result processing: for bulk reads of ints,
    floats and text (1,000,000 rows: about 3x faster than ``.all()``). A column whose
    processing matters (a DateTime on SQLite comes back as text) is the caller's to parse,
    vectorised."""
    import gc

    paused = gc.isenabled()
    gc.disable()   # a million new tuples would run the cyclic collector many times (none is garbage)
    result = conn.execute(query)
    try:
        return list(result.cursor.fetchall()) if result.cursor is not None else [tuple(r) for r in result.all()]
    finally:
        result.close()
        if paused:
            gc.enable()


def raw_columns(conn: Connection, query: Any, width: int) -> tuple[tuple[Any, ...], ...]:
    """``raw_rows`` split into ``width`` column tuples (empty tuples when no row)."""
    import gc

    rows = raw_rows(conn, query)
    if not rows:
        return tuple(() for _ in range(width))
    paused = gc.isenabled()
    gc.disable()
    try:
        return tuple(zip(*rows))
    finally:
        if paused:
            gc.enable()


def insert_ignore(conn: Connection, table: Table, rows: Sequence[dict[str, Any]]) -> None:
    """INSERT rows, silently skipping any whose primary/unique key already exists."""
    if not rows:
        return
    statement: Insert
    if conn.dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert as postgresql_insert
        statement = postgresql_insert(table).on_conflict_do_nothing()
    else:
        from sqlalchemy.dialects.sqlite import insert as sqlite_insert
        statement = sqlite_insert(table).on_conflict_do_nothing()
    for start in range(0, len(rows), INSERT_CHUNK):
        conn.execute(statement, list(rows[start:start + INSERT_CHUNK]))


def insert_returning_id(conn: Connection, statement: Insert) -> int:
    """Execute a single-row INSERT and return the new row's integer primary key."""
    key = conn.execute(statement).inserted_primary_key
    if key is None or key[0] is None:
        raise RuntimeError(f"INSERT into {statement.table} returned no primary key")
    return int(key[0])


class Store:
    """One database. Reads: ``with store.read() as conn``. Writes: ``with store.write() as conn``
    (one transaction, committed on success) or ``store.retrying(fn)`` to re-run ``fn(conn)``
    on a transient conflict."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.engine = _make_engine(url)
        self.dialect = self.engine.dialect.name

    @contextmanager
    def read(self) -> Iterator[Connection]:
        with self.engine.connect() as conn:
            with conn.begin():
                yield conn

    @contextmanager
    def write(self) -> Iterator[Connection]:
        with self.engine.connect() as conn:
            conn.execution_options(**{_WRITE: True})
            if self.dialect == "postgresql":
                conn.execution_options(isolation_level="SERIALIZABLE")
            with conn.begin():
                yield conn

    def retrying(self, fn: Callable[[Connection], T], *, attempts: int = 20) -> T:
        """Run ``fn(conn)`` in a write transaction, retrying transient conflicts with jittered backoff."""
        for attempt in range(1, attempts + 1):
            try:
                with self.write() as conn:
                    return fn(conn)
            except (OperationalError, DBAPIError) as exc:
                if attempt == attempts or not _is_transient(exc):
                    raise
                time.sleep(min(0.5, 0.005 * 2 ** attempt) * random.random())
        raise AssertionError("unreachable")

    def create_schema(self) -> None:
        """Create missing tables, then add missing columns to existing ones (see ``add_missing_columns``)
        and build the stored sentiment sums once (``sentiment_sums.ensure_built``)."""
        with self.write() as conn:
            metadata.create_all(conn)
            add_missing_columns(conn)
            sentiment_sums.ensure_built(conn)

    def ping(self) -> None:
        """Fail with one clear line when the database cannot be reached."""
        try:
            with self.engine.connect() as conn:
                conn.execute(text("SELECT 1"))
        except Exception as exc:  # noqa: BLE001 - any driver error is "unreachable" to a user
            first = str(getattr(exc, "orig", exc)).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
            raise ConfigError(f"cannot reach database {redact_url(self.url)}: {first}") from None

    def dispose(self) -> None:
        self.engine.dispose()


def add_missing_columns(conn: Connection) -> list[str]:
    """The column migration socialfund makes (the stored sentiment sums have their own one-off
    build, ``sentiment_sums.ensure_built``): a column the schema has and an existing
    table lacks is added (``ALTER TABLE … ADD COLUMN``), so a database made by an earlier
    release keeps working. Only nullable columns can be added that way (new schema columns
    on existing tables are nullable for this reason); any other missing column is a
    ``ConfigError`` naming it (rows already stored would violate it). Returns the ``table.column`` names added."""
    existing = inspect(conn)
    quote = conn.dialect.identifier_preparer.quote
    added = []
    for table in metadata.sorted_tables:
        if not existing.has_table(table.name):
            continue
        present = {c["name"] for c in existing.get_columns(table.name)}
        for column in table.columns:
            if column.name in present:
                continue
            if not column.nullable:
                raise ConfigError(f"the database lacks column {table.name}.{column.name}, which cannot be added to "
                                  "existing rows; create a new database (python -m socialfund init)")
            conn.execute(text(f"ALTER TABLE {quote(table.name)} ADD COLUMN {quote(column.name)} "
                              f"{column.type.compile(conn.dialect)}"))
            added.append(f"{table.name}.{column.name}")
    return added


def _is_transient(exc: BaseException) -> bool:
    orig = getattr(exc, "orig", None)
    sqlstate = getattr(orig, "sqlstate", None) or getattr(orig, "pgcode", None)
    if sqlstate in RETRYABLE_SQLSTATES:
        return True
    return "database is locked" in str(exc) or "database is busy" in str(exc)


def open_store(url: str | None = None, *, create: bool = True) -> Store:
    """Open (and by default create the schema of) the configured store; errors are ``ConfigError``."""
    if url is None:
        from socialfund.core.config import load_settings
        url = load_settings().database_url
    store = Store(url)
    store.ping()
    if create:
        store.create_schema()
    return store
