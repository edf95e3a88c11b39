"""``python -m socialfund portfolio``: import and export holdings CSV files.

    python -m socialfund portfolio import FILE --name NAME [--owner USER] [--visibility private]
    python -m socialfund portfolio export ID --out FILE [--owner USER]
    python -m socialfund portfolio import-history FILE --name NAME [--owner USER] [--public]
    python -m socialfund portfolio import-flows FILE --name NAME [--owner USER] [--public] [--json]

FILE has the header ``code,weight`` with weights in percent (``35`` or ``35%``) adding up
to 100 %, in UTF-8 or GBK (see ``socialfund.io.holdings``). ``USER`` is a user key such as
``local:owner`` (the default, the single-machine user). Success prints one line and
exits 0; rejected input prints one line naming file, line and column and exits 2, and
the store is left unchanged.

``import-history`` takes rows ``date,code,weight`` (one block of percent weights per
rebalance date, each adding up to 100 %; see ``socialfund.io.history_file``) and creates
the portfolio with one version per date, backdated, each filled at the next session's
close. ``--public`` publishes it (default: private).

``import-flows`` takes rows ``date,code,amount[,type]`` (yuan; buys, sells, deposits and
withdrawals on ``CASH``, dividends; see ``socialfund.io.flows_file``), books them at each
session's close from the price store (``socialfund.core.flows``) and creates the portfolio
with one version per trading session; it prints the invested amount, value, gain, XIRR and
TWR (``--json``: one object). Amounts are only ever shown to the owner.
"""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from socialfund.store import Store

DEFAULT_OWNER = "local:owner"


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser("portfolio", help="import / export a portfolio's holdings (CSV code,weight)",
                                   description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="portfolio_command", required=True)
    imp = sub.add_parser("import", help="create a portfolio from a holdings CSV")
    imp.add_argument("file", metavar="FILE", help="CSV with columns code,weight (percent)")
    imp.add_argument("--name", required=True, help="portfolio name")
    imp.add_argument("--owner", default=DEFAULT_OWNER, help=f"owner's user key (default {DEFAULT_OWNER})")
    imp.add_argument("--visibility", default="private", choices=("public", "unlisted", "private"))
    imp.add_argument("--description", default="")
    imp.set_defaults(func=run_import)
    hist = sub.add_parser("import-history", help="create a portfolio from its rebalance history (date,code,weight)")
    hist.add_argument("file", metavar="FILE", help="CSV with columns date,code,weight (percent; 100 per date)")
    hist.add_argument("--name", required=True, help="portfolio name")
    hist.add_argument("--owner", default=DEFAULT_OWNER, help=f"owner's user key (default {DEFAULT_OWNER})")
    hist.add_argument("--public", action="store_true", help="publish it (default: private)")
    hist.add_argument("--description", default="")
    hist.set_defaults(func=run_import_history)
    flo = sub.add_parser("import-flows", help="create a real-money portfolio from its cash flows (date,code,amount)")
    flo.add_argument("file", metavar="FILE", help="CSV with columns date,code,amount[,type] (yuan; CASH for deposits)")
    flo.add_argument("--name", required=True, help="portfolio name")
    flo.add_argument("--owner", default=DEFAULT_OWNER, help=f"owner's user key (default {DEFAULT_OWNER})")
    flo.add_argument("--public", action="store_true", help="publish it (default: private; amounts stay the owner's)")
    flo.add_argument("--description", default="")
    flo.add_argument("--json", action="store_true", help="print one JSON object")
    flo.set_defaults(func=run_import_flows)
    exp = sub.add_parser("export", help="write a portfolio's current holdings to CSV (UTF-8 with BOM)")
    exp.add_argument("id", type=int, metavar="ID", help="portfolio id")
    exp.add_argument("--out", required=True, metavar="FILE", help="output CSV path")
    exp.add_argument("--owner", default=DEFAULT_OWNER, help=f"acting user's key (default {DEFAULT_OWNER})")
    exp.set_defaults(func=run_export)


def _actor(store: Store, key: str) -> int:
    from socialfund.core.errors import PermissionDenied
    from socialfund.store.users import get_or_create_user

    if key.startswith("demo:"):
        raise PermissionDenied("demo users are read-only; use your own user key (e.g. local:owner)")
    if ":" not in key:
        key = f"local:{key}"
    return get_or_create_user(store, key, key.split(":", 1)[1])


def _open_store() -> Store:
    from socialfund.core.config import load_settings
    from socialfund.store import open_store
    from socialfund.store.demo import ensure_demo

    settings = load_settings()
    store = open_store(settings.database_url)
    if settings.demo:
        ensure_demo(store)
    return store


def _read_input(args: argparse.Namespace, max_bytes: int, what: str) -> bytes:
    """The input file's bytes (an oversized file is refused before it is read) and a non-empty --name."""
    from pathlib import Path

    from socialfund.core.errors import ValidationError

    path = Path(args.file)
    try:
        if path.stat().st_size > max_bytes:
            raise ValidationError(f"file is larger than {max_bytes // 1000} kB: too large for {what}", file=args.file)
        data = path.read_bytes()
    except OSError as exc:
        raise ValidationError(f"cannot read the file ({exc.strerror})", file=args.file) from None
    if not args.name.strip():
        raise ValidationError("--name is empty: give the portfolio a name")
    return data


def run_import(args: argparse.Namespace) -> int:
    from pathlib import Path

    from socialfund.services import portfolio_crud
    from socialfund.io.holdings import MAX_FILE_BYTES, read_holdings_csv

    path = Path(args.file)
    data = _read_input(args, MAX_FILE_BYTES, "a holdings file is a few lines")
    store = _open_store()
    parsed = read_holdings_csv(data, args.file, portfolio_crud.known_codes(store))  # all checks before any write
    actor = _actor(store, args.owner)
    pid = portfolio_crud.create_portfolio(store, actor, args.name, parsed.weights_pct,
                                          description=args.description, visibility=args.visibility,
                                          note=f"imported from {path.name}")
    warn = f" ({len(parsed.warnings)} warning(s): {'; '.join(parsed.warnings)})" if parsed.warnings else ""
    print(f"imported portfolio {pid} '{args.name}' with {len(parsed.weights_bp)} holdings from {args.file}{warn}")
    return 0


def run_import_history(args: argparse.Namespace) -> int:

    from socialfund.io.history_file import MAX_FILE_BYTES, read_history_csv
    from socialfund.services import portfolio_crud

    data = _read_input(args, MAX_FILE_BYTES, "a rebalance history")
    store = _open_store()
    history = read_history_csv(data, args.file, portfolio_crud.known_codes(store))  # all checks before any write
    actor = _actor(store, args.owner)
    pid = portfolio_crud.import_history(store, actor, args.name, history, description=args.description,
                                        visibility="public" if args.public else "private")
    print(f"imported portfolio {pid} '{args.name}' with {len(history)} rebalance(s) from {history[0].day} "
          f"to {history[-1].day} from {args.file}")
    return 0


def run_export(args: argparse.Namespace) -> int:
    from pathlib import Path

    from socialfund.services import portfolio_crud
    from socialfund.core.errors import ValidationError
    from socialfund.io.holdings import holdings_csv_bytes

    store = _open_store()
    actor = _actor(store, args.owner)
    info, weights = portfolio_crud.export_weights(store, actor, args.id)
    names = {c: pair[0] for c, pair in portfolio_crud.instrument_names(store).items()}
    try:
        Path(args.out).write_bytes(holdings_csv_bytes(weights, names))
    except OSError as exc:
        raise ValidationError(f"cannot write the file ({exc.strerror})", file=args.out) from None
    print(f"exported portfolio {info.id} '{info.name}' ({len(weights)} holdings, version "
          f"{info.current.version if info.current else 0}) to {args.out}")
    return 0


def run_import_flows(args: argparse.Namespace) -> int:
    import json

    from socialfund.core.config import load_settings
    from socialfund.io.flows_file import MAX_FILE_BYTES, read_flows_csv
    from socialfund.market.providers import get_provider
    from socialfund.services import flows, portfolio_crud

    data = _read_input(args, MAX_FILE_BYTES, "a cash-flows file")
    store = _open_store()
    parsed = read_flows_csv(data, args.file, portfolio_crud.known_codes(store))  # all checks before any write
    actor = _actor(store, args.owner)
    provider = get_provider(load_settings(), store)
    done = flows.import_flows(store, provider, actor, args.name, parsed, description=args.description,
                              visibility="public" if args.public else "private")
    view = flows.money_view(store, provider, actor, done.portfolio_id)
    assert view is not None
    fig = view.figures
    if args.json:
        print(json.dumps({"portfolio_id": done.portfolio_id, "flows": len(parsed), "versions": len(done.book.versions),
                          "invested_yuan": f"{fig.invested_fen / 100:.2f}", "value_yuan": f"{fig.value_fen / 100:.2f}",
                          "gain_yuan": f"{fig.gain_fen / 100:.2f}", "xirr": fig.xirr, "twr": fig.twr,
                          "as_of": fig.as_of.isoformat()}, ensure_ascii=False))
        return 0
    xirr = "n/a" if fig.xirr is None else f"{fig.xirr:+.2%}/yr"
    print(f"imported portfolio {done.portfolio_id} '{args.name}' with {len(parsed)} flow(s), "
          f"{len(done.book.versions)} version(s) from {args.file}: invested {fig.invested_fen / 100:,.2f} yuan, "
          f"value {fig.value_fen / 100:,.2f} yuan on {fig.as_of}, XIRR {xirr}, TWR {fig.twr:+.2%}")
    return 0
