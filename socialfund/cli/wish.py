"""``python -m socialfund wish``: 小心愿 wishes from the command line.

    python -m socialfund wish create --title T --target YUAN --by YYYY-MM-DD --initial YUAN
        --every day|week|month --amount YUAN --fund CODE [--owner USER] [--json]
    python -m socialfund wish project ID [--owner USER] [--json]
    python -m socialfund wish deposit ID --amount YUAN [--date D] [--owner USER]
    python -m socialfund wish import-deposits ID FILE [--owner USER]     (CSV date,amount)
    python -m socialfund wish share ID [--expires-days N] [--base-url URL] [--owner USER]

``create`` prints ``{"wish_id": N}``; ``project`` prints ``{probability, median_date, p10, p50,
p90, extra_per_period_for_80pct}`` (amounts in yuan with two decimals; the method: block
bootstrap of the fund's own daily returns, see ``socialfund.wishes.projection``); ``share``
prints the guess link (shown once). The demo's money-market fund is ``000198``. A projection
is not a promise. Rejected input: one line on stderr, exit 2, nothing stored.
"""

from __future__ import annotations

import argparse
from typing import Any

from socialfund.cli.common import iso_date, print_record

DEFAULT_OWNER = "local:owner"
OWNER_HELP = f"acting user's key (default {DEFAULT_OWNER})"
RISK = "a projection is not a promise / 预测不是承诺: scenarios from past returns; returns can be lower"


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser("wish", help="小心愿 wishes: create, project, deposit, share a guess link",
                                   description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="wish_command", required=True)
    c = sub.add_parser("create", help="create a wish with its saving plan")
    c.add_argument("--title", required=True)
    c.add_argument("--emoji", default="🎁")
    c.add_argument("--target", required=True, metavar="YUAN")
    c.add_argument("--by", required=True, type=iso_date, metavar="YYYY-MM-DD")
    c.add_argument("--initial", default="0", metavar="YUAN")
    c.add_argument("--every", required=True, choices=("day", "week", "month"))
    c.add_argument("--amount", required=True, metavar="YUAN")
    vehicle = c.add_mutually_exclusive_group(required=True)
    vehicle.add_argument("--fund", metavar="CODE", help="fund code (demo money-market fund: 000198)")
    vehicle.add_argument("--portfolio", type=int, metavar="ID", help="one of your portfolios")
    c.add_argument("--visibility", default="private", choices=("public", "unlisted", "private"))
    c.add_argument("--owner", default=DEFAULT_OWNER, help=OWNER_HELP)
    c.add_argument("--json", action="store_true")
    c.set_defaults(func=run_create)
    p = sub.add_parser("project", help="probability of reaching the target (Monte Carlo)")
    p.add_argument("id", type=int, metavar="ID")
    p.add_argument("--owner", default=DEFAULT_OWNER, help=OWNER_HELP)
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=run_project)
    d = sub.add_parser("deposit", help="record a deposit")
    d.add_argument("id", type=int, metavar="ID")
    d.add_argument("--amount", required=True, metavar="YUAN")
    d.add_argument("--date", type=iso_date, default=None, metavar="YYYY-MM-DD")
    d.add_argument("--owner", default=DEFAULT_OWNER, help=OWNER_HELP)
    d.add_argument("--json", action="store_true")
    d.set_defaults(func=run_deposit)
    i = sub.add_parser("import-deposits", help="record deposits from a CSV date,amount")
    i.add_argument("id", type=int, metavar="ID")
    i.add_argument("file", metavar="FILE")
    i.add_argument("--owner", default=DEFAULT_OWNER, help=OWNER_HELP)
    i.add_argument("--json", action="store_true")
    i.set_defaults(func=run_import)
    s = sub.add_parser("share", help="make a 'guess my wish' link (printed once)")
    s.add_argument("id", type=int, metavar="ID")
    s.add_argument("--expires-days", type=int, default=0, help="0 = never expires")
    s.add_argument("--base-url", default="http://localhost:8501", help="the app's root URL")
    s.add_argument("--owner", default=DEFAULT_OWNER, help=OWNER_HELP)
    s.set_defaults(func=run_share)


def _store_and_actor(args: argparse.Namespace) -> tuple[Any, int]:
    from socialfund.cli.common import configured_store
    from socialfund.cli.portfolio import _actor

    store, _settings = configured_store()
    return store, _actor(store, args.owner)


def _progress(view: Any) -> dict[str, Any]:
    from socialfund.wishes.money import yuan_text

    return {"wish_id": view.id, "saved": yuan_text(view.saved_fen, grouping=False),
            "target": yuan_text(view.target_fen, grouping=False), "progress": round(view.progress, 4),
            "reached": view.reached}


def run_create(args: argparse.Namespace) -> int:
    from socialfund.core.config import load_settings
    from socialfund.services import wishes

    store, actor = _store_and_actor(args)
    demo = load_settings().market_provider == "demo"
    args.demo_data = demo
    view = wishes.create_wish(store, actor, title=args.title, emoji=args.emoji, target=args.target, by=args.by,
                              initial=args.initial, every=args.every, amount=args.amount, fund=args.fund,
                              portfolio_id=args.portfolio, visibility=args.visibility, is_demo_data=demo)
    print_record({"wish_id": view.id}, args.json)
    return 0


def run_project(args: argparse.Namespace) -> int:
    from socialfund.cli.common import open_services
    from socialfund.cli.portfolio import _actor
    from socialfund.services import wishes
    from socialfund.wishes.money import yuan_text

    store, provider, _settings = open_services(args)
    actor = _actor(store, args.owner)
    view = wishes.get_wish(store, actor, args.id)
    prices = wishes.vehicle_prices(provider, wishes.vehicle_codes(store, actor, view))
    result = wishes.project_wish(store, actor, args.id, prices)
    record = {
        "probability": round(result.probability, 4),
        "median_date": result.median_date.isoformat() if result.median_date else None,
        "p10": yuan_text(result.p10, grouping=False), "p50": yuan_text(result.p50, grouping=False),
        "p90": yuan_text(result.p90, grouping=False),
        "extra_per_period_for_80pct": (None if result.extra_per_period_fen is None
                                       else yuan_text(result.extra_per_period_fen, grouping=False)),
        "target": yuan_text(result.target_fen, grouping=False), "target_date": result.target_date.isoformat(),
        "method": f"block bootstrap of daily returns, block {result.block_length} weekdays, {result.paths} paths, "
                  f"seed {result.seed}, {result.history_days} days of history",
        "notice": RISK,
    }
    print_record(record, args.json)
    return 0


def run_deposit(args: argparse.Namespace) -> int:
    from socialfund.services import wishes

    store, actor = _store_and_actor(args)
    view = wishes.add_deposit(store, actor, args.id, args.amount, on=args.date)
    print_record(_progress(view), args.json)
    return 0


def run_import(args: argparse.Namespace) -> int:
    from socialfund.io.csvrows import read_file_bytes
    from socialfund.services import wishes

    data = read_file_bytes(args.file)
    store, actor = _store_and_actor(args)
    view = wishes.import_deposits(store, actor, args.id, data, args.file)
    print_record(_progress(view), args.json)
    return 0


def run_share(args: argparse.Namespace) -> int:
    import datetime as dt

    from socialfund.core.timeutil import utcnow
    from socialfund.services import wishes

    store, actor = _store_and_actor(args)
    expires = utcnow() + dt.timedelta(days=args.expires_days) if args.expires_days > 0 else None
    _link, token = wishes.create_guess_link(store, actor, args.id, expires_at=expires)
    print(f"{args.base_url.rstrip('/')}/?wish={token}")
    return 0
