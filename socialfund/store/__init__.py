"""The store: SQLite by default, PostgreSQL by URL. See ``engine.Store``."""

from socialfund.store.engine import Store, insert_ignore, insert_returning_id, open_store, raw_columns, raw_rows, rows_frame
from socialfund.store import schema

__all__ = ["Store", "insert_ignore", "insert_returning_id", "open_store", "raw_columns", "raw_rows", "rows_frame", "schema"]
