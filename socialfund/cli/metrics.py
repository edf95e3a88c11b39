"""``python -m socialfund metrics``: headline metrics of a daily return series.

    python -m socialfund metrics --returns FILE.csv [--rf 0.0] [--periods 252] --json

FILE is a UTF-8 or GBK CSV with header ``date,return``: ISO dates (strictly increasing) and
daily simple returns (0.01 = +1 %; an empty cell is a missing day). Prints one JSON
object with total_return, cagr (null under 365 days of history), volatility, sharpe
(``--rf`` is an annual risk-free rate), sortino, max_drawdown, calmar; undefined
values are null. Without ``--json`` the same figures are printed as a small table.
"""

from __future__ import annotations

import argparse

from socialfund.core.sessions import PERIODS_PER_YEAR

KEYS = ("total_return", "cagr", "volatility", "sharpe", "sortino", "max_drawdown", "calmar")


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser("metrics", help="metrics of a daily return series (CSV date,return)",
                                   description=__doc__.split("\n\n")[0])
    parser.add_argument("--returns", required=True, metavar="FILE.csv", help="CSV with columns date,return")
    parser.add_argument("--rf", type=float, default=0.0, help="annual risk-free rate, e.g. 0.02 (default 0)")
    parser.add_argument("--periods", type=float, default=PERIODS_PER_YEAR,
                        help=f"periods per year (default {PERIODS_PER_YEAR} sessions)")
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.set_defaults(func=run_metrics)


def run_metrics(args: argparse.Namespace) -> int:
    import json
    import math

    from socialfund.core import metrics
    from socialfund.io.returns_file import read_returns_csv

    returns = read_returns_csv(args.returns)
    figures = metrics.summary(returns, risk_free=args.rf, periods_per_year=args.periods)
    clean = {k: (None if figures[k] is None or math.isnan(figures[k]) else float(figures[k])) for k in KEYS}
    if args.json:
        print(json.dumps(clean))
    else:
        for key in KEYS:
            value = clean[key]
            print(f"{key:>13}  {'n/a' if value is None else f'{value:.6f}'}")
    return 0
