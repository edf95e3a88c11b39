"""``python -m socialfund init``: create an empty store for one's own data (no demo, ever);
``python -m socialfund init-demo``: create the schema and load the demo universe (idempotent)."""

from __future__ import annotations

import argparse


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    empty = sub.add_parser("init", help="create an empty database for your own data (the demo is never loaded into it)")
    empty.set_defaults(func=_init_empty)
    p = sub.add_parser("init-demo", help="create the database and load the offline demo data (idempotent)")
    p.add_argument("--if-missing", action="store_true",
                   help="do nothing when the demo data is already loaded (fast start-up)")
    p.set_defaults(func=_init_demo)


def _init_empty(args: argparse.Namespace) -> int:
    from socialfund.core.config import load_settings
    from socialfund.core.errors import ConfigError
    from socialfund.store import open_store
    from socialfund.store.demo import decline_demo, demo_loaded
    from socialfund.store.engine import redact_url

    settings = load_settings()
    store = open_store(settings.database_url)
    where = redact_url(settings.database_url)
    if demo_loaded(store):
        raise ConfigError(f"{where} already holds the demo data; point SOCIALFUND_DATA_DIR (or "
                          "SOCIALFUND_DATABASE_URL) at a new location for a store of your own")
    decline_demo(store)
    print(f"created an empty store at {where} (no demo data will be loaded into it); next: "
          "python -m socialfund prices import FILE, then portfolio import-history / posts import")
    return 0


def _init_demo(args: argparse.Namespace) -> int:
    from socialfund.store import open_store
    from socialfund.store.demo import allow_demo, demo_loaded, load_demo

    store = open_store()
    if args.if_missing and demo_loaded(store):
        print("demo data already loaded")
        return 0
    allow_demo(store)   # asked for explicitly: a store made by `init` takes the demo after all
    counts = load_demo(store)
    keys = ("instruments", "prices", "users", "portfolios", "portfolio_versions", "posts")
    print("demo data loaded: " + ", ".join(f"{k} {counts[k]}" for k in keys))
    return 0
