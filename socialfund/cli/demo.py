"""``python -m socialfund init-demo``: create the schema and load the demo universe (idempotent)."""

from __future__ import annotations

import argparse


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("init-demo", help="create the database and load the offline demo data (idempotent)")
    p.add_argument("--if-missing", action="store_true",
                   help="do nothing when the demo data is already loaded (fast start-up)")
    p.set_defaults(func=_init_demo)


def _init_demo(args: argparse.Namespace) -> int:
    from socialfund.store import open_store
    from socialfund.store.demo import demo_loaded, load_demo

    store = open_store()
    if args.if_missing and demo_loaded(store):
        print("demo data already loaded")
        return 0
    counts = load_demo(store)
    keys = ("instruments", "prices", "users", "portfolios", "portfolio_versions", "posts")
    print("demo data loaded: " + ", ".join(f"{k} {counts[k]}" for k in keys))
    return 0
