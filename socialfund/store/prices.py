"""Writing many closes at once: the ``prices`` rows of one import.

SQLAlchemy's per-row bind processing (a date and a datetime per row) costs more than
SQLite's own insert, so on SQLite the rows go to the driver's ``executemany`` already in
the text form SQLAlchemy's SQLite ``Date`` / ``DateTime`` types store and read back
(``2024-01-02``, ``2024-01-02 15:00:00.000000``). Other databases take the ordinary insert.
"""

from __future__ import annotations

from datetime import date, datetime
from itertools import repeat

import pandas as pd
from sqlalchemy import Connection, insert

from socialfund.store import schema

_SQLITE_INSERT = "INSERT INTO prices (code, date, source, close, fetched_at) VALUES (?, ?, ?, ?, ?)"


def insert_prices(conn: Connection, codes: list[str], dates: "pd.Series | list[date]", closes: list[float], source: str,
                  fetched_at: datetime) -> None:
    """Insert one row per (code, date, close), all of ``source`` fetched at ``fetched_at``,
    inside the caller's transaction. The keys must be new (the caller deletes what it replaces)."""
    if not codes:
        return
    if conn.dialect.name == "sqlite":
        ids, uniq = pd.factorize(pd.Series(dates, dtype=object))   # each distinct date formatted once
        days = pd.DatetimeIndex(uniq).strftime("%Y-%m-%d").to_numpy(dtype=object)[ids].tolist()
        stamp = fetched_at.strftime("%Y-%m-%d %H:%M:%S.%f")
        conn.exec_driver_sql(_SQLITE_INSERT, list(zip(codes, days, repeat(source), closes, repeat(stamp))))
        return
    conn.execute(insert(schema.prices), [{"code": c, "date": d, "source": source, "close": v, "fetched_at": fetched_at}
                                         for c, d, v in zip(codes, dates, closes)])
