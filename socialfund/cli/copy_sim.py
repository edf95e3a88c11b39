"""``python -m socialfund copy-sim``: the paper copy simulator from the command line,
through the same service as the portfolio page (``socialfund.services.copies``).

    python -m socialfund copy-sim --portfolio ID --amount 100000 --start YYYY-MM-DD
                                  [--fee-bps 10] [--delay 1] [--min-position 1000] [--stop-loss 0.4] --json

The settings are checked by ``socialfund.copying.CopyParams`` (its bounds: fee 0–500 bp,
delay 0–20 sessions, stop-loss in (0, 0.95]; ``--stop-loss 0`` means no stop). The CLI
acts as an anonymous visitor: it sees public and unlisted portfolios; a private one is
reported as "portfolio N not found" (exit code 2). Undefined numbers are printed as JSON
``null``.
"""

from __future__ import annotations

import argparse

from socialfund.cli.common import iso_date, json_scalar, open_services


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    cp = subparsers.add_parser("copy-sim", help="paper-copy a portfolio (hypothetical)",
                               description="Simulate copying a public or unlisted portfolio with fees, "
                                           "fill delay, minimum position and a copy stop-loss.")
    cp.add_argument("--portfolio", type=int, required=True, metavar="ID")
    cp.add_argument("--amount", default="100000", help="CNY committed (default 100000)")
    cp.add_argument("--start", type=iso_date, required=True, help="copy start date YYYY-MM-DD")
    cp.add_argument("--fee-bps", type=int, default=10, help="fee in basis points of every trade (default 10)")
    cp.add_argument("--delay", type=int, default=1, help="extra sessions before each fill (default 1)")
    cp.add_argument("--min-position", default="0", help="smallest position bought, CNY (default 0)")
    cp.add_argument("--stop-loss", type=float, default=0.4,
                    help="close the copy after this loss, a fraction (0.4 = 40 %%); 0 = no stop")
    cp.add_argument("--json", action="store_true", help="print one JSON object")
    cp.set_defaults(func=run_copy_sim)


def run_copy_sim(args: argparse.Namespace) -> int:
    import json
    from decimal import Decimal, InvalidOperation

    from socialfund.copying import CopyParams
    from socialfund.core.errors import ValidationError
    from socialfund.services import copies

    try:
        amount, floor = Decimal(args.amount), Decimal(args.min_position)
    except InvalidOperation:
        raise ValidationError("--amount and --min-position must be numbers (CNY)") from None
    params = CopyParams(amount=amount, start=args.start, fee_bps=args.fee_bps, delay_sessions=args.delay,
                        min_position=floor, stop_loss=args.stop_loss or None)
    store, provider, _settings = open_services(args)
    result = copies.copy_simulation(store, provider, args.portfolio, params, viewer_id=None)
    out = {
        "portfolio_id": args.portfolio,
        "entry_session": result.entry_session.isoformat() if result.entry_session else None,
        "leader_return": json_scalar(result.leader_return),
        "copier_return": json_scalar(result.copier_return),
        "fees_paid": float(result.fees_paid),
        "final_equity": float(result.final_equity),
        "skipped_positions": [{"session": s.session.isoformat(), "version": s.version, "code": s.code,
                               "target_value": float(s.target_value)} for s in result.skipped_positions],
        "stopped_out": result.stopped_out,
        "stopped_on": result.stopped_on.isoformat() if result.stopped_on else None,
        "gap": {k: json_scalar(v) for k, v in result.gap.as_dict().items()} if result.gap else None,
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
