"""``python -m socialfund leaderboard``: the public leaderboard from the command line,
through the same service as the page (``socialfund.services.leaderboard``).

    python -m socialfund leaderboard [--window 1Y] [--top 20] [--sort dsr] [--include-closed]
                                     [--as-of YYYY-MM-DD] --json

Only public portfolios are ranked. Sharpe, PSR, DSR and each row's ``luck_sharpe`` (its luck
line, annualised) are on excess returns over the configured risk-free rate. Undefined
numbers are printed as JSON ``null``.
"""

from __future__ import annotations

import argparse

from socialfund.cli.common import iso_date, json_scalar, open_services

LEADERBOARD_KEYS = ("portfolio_id", "name", "rank", "dsr", "psr", "sharpe", "luck_sharpe", "total_return",
                    "max_drawdown", "volatility", "risk_class", "sessions", "followers")


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    lb = subparsers.add_parser("leaderboard", help="the public leaderboard (default: by deflated Sharpe)",
                               description="Public portfolios ranked by the versioned leaderboard rules.")
    lb.add_argument("--window", default="1Y", choices=("1M", "3M", "6M", "1Y", "all"))
    lb.add_argument("--top", type=int, default=20, help="rows to print (default 20)")
    lb.add_argument("--sort", default="dsr", choices=("dsr", "psr", "sharpe", "total_return", "max_drawdown",
                                                      "volatility", "calmar"))
    lb.add_argument("--include-closed", action="store_true", help="also list closed portfolios")
    lb.add_argument("--as-of", type=iso_date, default=None, help="rank with data up to this date only")
    lb.add_argument("--json", action="store_true", help="print a JSON list, best first")
    lb.set_defaults(func=run_leaderboard)


def run_leaderboard(args: argparse.Namespace) -> int:
    import json

    from socialfund.core.errors import ValidationError
    from socialfund.services import leaderboard

    if args.top < 1:
        raise ValidationError(f"--top must be at least 1, got {args.top}")
    store, provider, settings = open_services(args)
    table = leaderboard.leaderboard_table(store, provider, args.window, args.as_of, args.sort, args.include_closed,
                                          rf=settings.risk_free).head(args.top)
    rows = [{k: json_scalar(row[k]) for k in LEADERBOARD_KEYS} for row in table.to_dict("records")]
    if args.json:
        print(json.dumps(rows, ensure_ascii=False))
        return 0
    summary = table.attrs["screen_summary"]
    print(f"rules {summary.rules_version}, window {summary.window}, as of {summary.as_of}: "
          f"{summary.n_screened} screened, {summary.n_eligible} eligible; luck hurdle Z* {summary.luck_z:.2f} "
          f"standard errors (V_z {summary.z_variance:.3f}), i.e. a Sharpe of {summary.expected_best_sharpe:.2f} "
          f"for a skill-less {summary.reference_sessions}-session record; Sharpe, PSR and DSR on returns over "
          f"the {settings.risk_free:.2%} risk-free rate")
    print(f"{'rank':>4} {'id':>5} {'DSR':>6} {'Sharpe':>7} {'luck':>6} {'return':>8} {'maxDD':>8}  name")
    for r in rows:
        def num(key: str, fmt: str) -> str:
            value = r[key]
            return "n/a" if value is None else format(value, fmt)
        print(f"{r['rank']:>4} {r['portfolio_id']:>5} {num('dsr', '.3f'):>6} {num('sharpe', '.2f'):>7} "
              f"{num('luck_sharpe', '.2f'):>6} "
              f"{num('total_return', '.1%'):>8} {num('max_drawdown', '.1%'):>8}  {r['name']}")
    return 0
