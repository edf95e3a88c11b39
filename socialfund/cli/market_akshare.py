"""``python -m socialfund market refresh [--codes ...]`` and ``market funds QUERY``: the akshare
provider's cache (``socialfund.market.akshare``), filled from the command line.

``refresh`` fetches whatever the configured provider is, so the cache can be filled before the app
is switched to ``SOCIALFUND_MARKET_PROVIDER=akshare``; codes the universe lacks are looked up in
天天基金's fund list and registered. Progress goes to stderr, the result to stdout."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from socialfund.cli.common import print_summary


def register_akshare_commands(msub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    refresh = msub.add_parser("refresh", help="fetch and cache prices through akshare (Chinese funds, ETFs, indices)")
    refresh.add_argument("--codes", nargs="+", metavar="CODE",
                         help="codes or fund codes to refresh (default: every instrument akshare quotes); "
                              "a public fund the universe lacks is registered from the fund list")
    refresh.add_argument("--json", action="store_true")
    refresh.set_defaults(func=_refresh)
    funds = msub.add_parser("funds", help="search 天天基金's list of public funds by code, name or pinyin")
    funds.add_argument("query")
    funds.add_argument("--limit", type=int, default=20)
    funds.add_argument("--refresh", action="store_true", help="fetch the fund list again first")
    funds.add_argument("--json", action="store_true")
    funds.set_defaults(func=_funds)


def _provider() -> Any:
    from socialfund.core.config import load_settings
    from socialfund.market.akshare import AkshareProvider
    from socialfund.store import open_store
    from socialfund.store.demo import ensure_demo

    settings = load_settings()
    store = open_store(settings.database_url)
    if settings.demo:   # the demo's instruments are real codes: the first rows of the universe
        ensure_demo(store)
    return AkshareProvider(store), settings


def _print_progress(done: int, total: int, code: str) -> None:
    print(f"[{done}/{total}] {code}", file=sys.stderr, flush=True)


def _refresh(args: argparse.Namespace) -> int:
    from socialfund.core.errors import ValidationError

    provider, settings = _provider()
    codes = provider.resolve_codes(args.codes) if args.codes else None
    if codes is None and not provider.universe():
        raise ValidationError("the instrument universe is empty: name the funds with --codes")
    result = provider.refresh(codes, progress=_print_progress)
    summary = {
        "refreshed": result.refreshed,
        "failed": result.failed,
        "skipped": result.skipped,
        "rows": sum(result.refreshed.values()),
        "unexplained_unit_nav_drops": sum(1 for d in result.drops if not d.explained),
        "notices": result.notices,
    }
    print_summary(summary, args.json,
                  f"akshare: {len(result.refreshed)} series refreshed ({summary['rows']} rows), "
                  f"{len(result.failed)} failed, {len(result.skipped)} not quoted by akshare", result.notices)
    if settings.market_provider != "akshare":
        print(f"note: SOCIALFUND_MARKET_PROVIDER is {settings.market_provider}; the app shows these prices "
              "with SOCIALFUND_MARKET_PROVIDER=akshare", file=sys.stderr)
    return 1 if result.failed else 0


def _funds(args: argparse.Namespace) -> int:
    import json

    provider, _ = _provider()
    found = provider.search_funds(args.query, limit=args.limit, refresh=args.refresh)
    known = {i.code.split(".")[0] for i in provider.universe()}
    rows = [{"code": f.code, "name": f.name_zh, "fund_type": f.fund_type, "pinyin": f.pinyin,
             "in_universe": f.code in known} for f in found.funds]
    if args.json:
        print(json.dumps({"funds": rows, "listed": found.listed, "notices": found.notices,
                          "fetched_at": found.fetched_at.isoformat() if found.fetched_at else None},
                         ensure_ascii=False))
    else:
        for row in rows:
            mark = "  (in universe)" if row["in_universe"] else ""
            print(f"{row['code']}  {row['name']}  {row['fund_type']}  {row['pinyin']}{mark}")
        print(f"{len(rows)} of {found.listed} listed funds match {args.query!r}; "
              "add one with `python -m socialfund market refresh --codes CODE`", file=sys.stderr)
        for notice in found.notices:
            print(f"notice: {notice}", file=sys.stderr)
    return 0 if rows else 1
