"""``python -m socialfund leaderboard`` and ``copy-sim``: the leaderboard and the paper
copy simulator from the command line, through the same services as the pages
(``socialfund.services.ranking``).

    python -m socialfund leaderboard [--window 1Y] [--top 20] [--sort dsr] [--include-closed]
                                     [--as-of YYYY-MM-DD] --json
    python -m socialfund copy-sim --portfolio ID --amount 100000 --start YYYY-MM-DD
                                  [--fee-bps 10] [--delay 1] [--min-position 1000] [--stop-loss 0.4] --json

The CLI acts as an anonymous visitor: it sees public and unlisted portfolios; a
private one is reported as "portfolio N not found" (exit code 2). Undefined numbers
are printed as JSON ``null``.
"""

from __future__ import annotations

import argparse

LEADERBOARD_KEYS = ("portfolio_id", "name", "rank", "dsr", "psr", "sharpe", "total_return", "max_drawdown",
                    "volatility", "risk_class", "sessions", "followers")


def _date(text: str):  # type: ignore[no-untyped-def]
    import datetime as dt

    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not an ISO date (YYYY-MM-DD): {text!r}") from None


def register(subparsers) -> None:  # type: ignore[no-untyped-def]
    lb = subparsers.add_parser("leaderboard", help="the public leaderboard (default: by deflated Sharpe)",
                               description="Public portfolios ranked by the versioned leaderboard rules.")
    lb.add_argument("--window", default="1Y", choices=("1M", "3M", "6M", "1Y", "all"))
    lb.add_argument("--top", type=int, default=20, help="rows to print (default 20)")
    lb.add_argument("--sort", default="dsr", choices=("dsr", "psr", "sharpe", "total_return", "max_drawdown",
                                                      "volatility", "calmar"))
    lb.add_argument("--include-closed", action="store_true", help="also list closed portfolios")
    lb.add_argument("--as-of", type=_date, default=None, help="rank with data up to this date only")
    lb.add_argument("--json", action="store_true", help="print a JSON list, best first")
    lb.set_defaults(func=run_leaderboard)

    cp = subparsers.add_parser("copy-sim", help="paper-copy a portfolio (hypothetical)",
                               description="Simulate copying a public or unlisted portfolio with fees, "
                                           "fill delay, minimum position and a copy stop-loss.")
    cp.add_argument("--portfolio", type=int, required=True, metavar="ID")
    cp.add_argument("--amount", default="100000", help="CNY committed (default 100000)")
    cp.add_argument("--start", type=_date, required=True, help="copy start date YYYY-MM-DD")
    cp.add_argument("--fee-bps", type=int, default=10, help="fee in basis points of every trade (default 10)")
    cp.add_argument("--delay", type=int, default=1, help="extra sessions before each fill (default 1)")
    cp.add_argument("--min-position", default="0", help="smallest position bought, CNY (default 0)")
    cp.add_argument("--stop-loss", type=float, default=0.4,
                    help="close the copy after this loss, a fraction (0.4 = 40 %%); 0 = no stop")
    cp.add_argument("--json", action="store_true", help="print one JSON object")
    cp.set_defaults(func=run_copy_sim)


def _open(args: argparse.Namespace):  # type: ignore[no-untyped-def]
    from socialfund.cli.common import open_services

    return open_services(args)


def _clean(value):  # type: ignore[no-untyped-def]
    """JSON-safe scalar: NaN/NA -> None, numpy -> Python."""
    import math

    import pandas as pd

    if value is None or value is pd.NA:
        return None
    if hasattr(value, "item"):
        value = value.item()
    if isinstance(value, float) and math.isnan(value):
        return None
    return value


def run_leaderboard(args: argparse.Namespace) -> int:
    import json

    from socialfund.services import ranking
    from socialfund.core.errors import ValidationError

    if args.top < 1:
        raise ValidationError(f"--top must be at least 1, got {args.top}")
    store, provider, settings = _open(args)
    table = ranking.leaderboard_table(store, provider, args.window, args.as_of, args.sort, args.include_closed,
                                      rf=settings.risk_free).head(args.top)
    rows = [{k: _clean(row[k]) for k in LEADERBOARD_KEYS} for row in table.to_dict("records")]
    if args.json:
        print(json.dumps(rows, ensure_ascii=False))
        return 0
    summary = table.attrs["screen_summary"]
    print(f"rules {summary.rules_version}, window {summary.window}, as of {summary.as_of}: "
          f"{summary.n_screened} screened, {summary.n_eligible} eligible; "
          f"best Sharpe expected by luck alone {summary.expected_best_sharpe:.2f}")
    print(f"{'rank':>4} {'id':>5} {'DSR':>6} {'Sharpe':>7} {'return':>8} {'maxDD':>8}  name")
    for r in rows:
        def num(key: str, fmt: str) -> str:
            return "n/a" if r[key] is None else format(r[key], fmt)
        print(f"{r['rank']:>4} {r['portfolio_id']:>5} {num('dsr', '.3f'):>6} {num('sharpe', '.2f'):>7} "
              f"{num('total_return', '.1%'):>8} {num('max_drawdown', '.1%'):>8}  {r['name']}")
    return 0


def run_copy_sim(args: argparse.Namespace) -> int:
    import json
    from decimal import Decimal, InvalidOperation

    from socialfund.services import ranking
    from socialfund.core.errors import ValidationError

    try:
        amount, floor = Decimal(args.amount), Decimal(args.min_position)
    except InvalidOperation:
        raise ValidationError("--amount and --min-position must be numbers (CNY)") from None
    params = ranking.CopyParams(amount=amount, start=args.start, fee_bps=args.fee_bps, delay_sessions=args.delay,
                                min_position=floor, stop_loss=args.stop_loss or None)
    store, provider, _settings = _open(args)
    result = ranking.copy_simulation(store, provider, args.portfolio, params, viewer_id=None)
    out = {
        "portfolio_id": args.portfolio,
        "entry_session": result.entry_session.isoformat() if result.entry_session else None,
        "leader_return": _clean(result.leader_return),
        "copier_return": _clean(result.copier_return),
        "fees_paid": float(result.fees_paid),
        "final_equity": float(result.final_equity),
        "skipped_positions": [{"session": s.session.isoformat(), "version": s.version, "code": s.code,
                               "target_value": float(s.target_value)} for s in result.skipped_positions],
        "stopped_out": result.stopped_out,
        "stopped_on": result.stopped_on.isoformat() if result.stopped_on else None,
        "gap": {k: _clean(v) for k, v in result.gap.as_dict().items()} if result.gap else None,
        "hypothetical": True,
    }
    if args.json:
        print(json.dumps(out, ensure_ascii=False))
        return 0
    print(f"paper copy of portfolio {args.portfolio} from {out['entry_session']} (hypothetical)")
    print(f"  leader return  {result.leader_return:.2%}")
    print(f"  copier return  {result.copier_return:.2%}")
    print(f"  fees paid      {result.fees_paid} CNY")
    print(f"  skipped        {len(result.skipped_positions)} position(s) below the minimum")
    print(f"  stopped out    {out['stopped_on'] or 'no'}")
    return 0
