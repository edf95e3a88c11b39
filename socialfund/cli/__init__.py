"""``python -m socialfund``: the command line over the same services the pages use.

Each command group lives in ``socialfund/cli/<name>.py`` and exposes
``register(subparsers)``; handlers return an exit code. A ``SocialFundError`` becomes
one line on stderr and exit code 2 (rejected input / bad configuration), never a traceback.
"""

from __future__ import annotations

import argparse
import importlib
import sys

# Command modules are imported when the parser is built, so keep them light:
# heavy imports (pandas, sklearn, snownlp) belong inside the handlers.
COMMAND_MODULES = (
    "socialfund.cli.demo",
    "socialfund.cli.leaderboard",
    "socialfund.cli.copy_sim",
    "socialfund.cli.market",
    "socialfund.cli.metrics",
    "socialfund.cli.sentiment",
    "socialfund.cli.posts",
    "socialfund.cli.ideas",
    "socialfund.cli.portfolio",
    "socialfund.cli.prices",
    "socialfund.cli.discuss",
    "socialfund.cli.wish",
    "socialfund.cli.alerts",
)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m socialfund",
                                     description="socialfund command line")
    sub = parser.add_subparsers(dest="command", required=True)
    for name in COMMAND_MODULES:
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as exc:
            if exc.name == name:  # a command group not written yet
                continue
            raise
        module.register(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    from socialfund.core.errors import SocialFundError

    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        code = int(args.func(args) or 0)
    except SocialFundError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    if code == 0 and getattr(args, "demo_data", False):
        from socialfund.cli.common import DEMO_NOTICE

        print(DEMO_NOTICE, file=sys.stderr)
    return code
