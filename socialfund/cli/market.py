"""``python -m socialfund market check``: load prices from the configured provider, summarise
them and list every series' data quality (``market.quality``: first and last date, staleness
in sessions of its calendar, gaps, rows on non-sessions, jumps, explained dividend drops).
``market refresh`` and ``market funds``: ``cli.market_akshare``."""

from __future__ import annotations

import argparse

from socialfund.cli.common import print_summary
from socialfund.cli.market_akshare import register_akshare_commands


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("market", help="market data commands")
    msub = p.add_subparsers(dest="market_command", required=True)
    check = msub.add_parser("check", help="load prices from the configured provider, summarise them and "
                                          "check every series' data quality")
    check.add_argument("--json", action="store_true")
    check.set_defaults(func=_check)
    register_akshare_commands(msub)   # market refresh, market funds


def _check(args: argparse.Namespace) -> int:
    from socialfund.core.config import STORE_BACKED_PROVIDERS, load_settings
    from socialfund.market.providers import get_provider
    from socialfund.market.sessions import quality_report
    from socialfund.view.quality_text import issue_text, summary_line

    settings = load_settings()
    store = None
    if settings.market_provider in STORE_BACKED_PROVIDERS:
        from socialfund.store import open_store
        store = open_store(settings.database_url)
    provider = get_provider(settings, store)
    data = provider.closes()
    sources = sorted(set(data.sources.values()))
    report = quality_report(data, provider.universe())
    summary = {
        "provider": provider.name,
        "instruments": int(data.closes.shape[1]),
        "sessions": int(data.closes.shape[0]),
        "first_date": None if data.closes.empty else data.closes.index.min().date().isoformat(),
        "latest_date": None if data.latest_date is None else data.latest_date.isoformat(),
        "sources": sources,
        "notices": data.notices,
        "as_of": None if report.as_of is None else report.as_of.isoformat(),
        "quality_ok": report.ok,
        "series": [{**q.to_record(), "notices": [issue_text(i, "en") for i in q.issues()]} for q in report.series],
    }
    print_summary(summary, args.json,
                  f"{summary['provider']}: {summary['instruments']} instruments, {summary['sessions']} sessions "
                  f"{summary['first_date']} → {summary['latest_date']} ({', '.join(sources)})", data.notices)
    if not args.json:
        print(summary_line(report, "en"))
        for issue in report.issues():
            print(f"{'quality' if issue.is_warning else 'info'}: {issue_text(issue, 'en')}")
    return 0
