"""The store: SQLite by default, PostgreSQL by URL. See ``engine.Store``."""

from socialfund.store.engine import Store, open_store
from socialfund.store import schema

__all__ = ["Store", "open_store", "schema"]
