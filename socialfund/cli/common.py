"""Command groups of ``python -m socialfund`` (see ``socialfund.cli``)."""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from typing import Any

DEMO_NOTICE = ("note: computed on the synthetic demo data (演示数据 / demo data), not real prices or users; "
               "past performance does not predict returns, simulated results are hypothetical, not investment advice")


def print_record(record: dict[str, Any], as_json: bool) -> None:
    """One result object: a JSON line for machines (``--json``), else ``key: value`` lines."""
    import json

    if as_json:
        print(json.dumps(record, ensure_ascii=False))
    else:
        width = max((len(k) for k in record), default=0)
        for key, value in record.items():
            print(f"{key:>{width}}: {value}")


def print_summary(summary: dict[str, Any], as_json: bool, headline: str, notices: list[str]) -> None:
    """A command's result: the summary as one JSON line (``--json``), else the headline and one
    ``notice:`` line per notice."""
    import json

    if as_json:
        print(json.dumps(summary, ensure_ascii=False))
    else:
        print(headline)
        for notice in notices:
            print(f"notice: {notice}")


def configured_store() -> tuple[Any, Any]:
    """(store, settings) as configured, with the demo data loaded if missing (unless declined)."""
    from socialfund.core.config import load_settings
    from socialfund.store import open_store
    from socialfund.store.demo import ensure_demo

    settings = load_settings()
    store = open_store(settings.database_url)
    if settings.demo:
        ensure_demo(store)
    return store, settings


def open_services(args: Any) -> tuple[Any, Any, Any]:
    """(store, price provider, settings) as configured, with the demo data loaded if missing.

    When the prices are the demo's, marks ``args`` so that ``cli.main`` prints ``DEMO_NOTICE``
    on stderr after a successful command (stdout stays machine-readable; a rejected command
    still prints exactly one error line)."""
    from socialfund.market.providers import get_provider

    store, settings = configured_store()
    provider = get_provider(settings, store)
    args.demo_data = settings.market_provider == "demo"
    return store, provider, settings


def iso_date(text: str) -> dt.date:
    """An ``argparse`` type: a ``YYYY-MM-DD`` date, else a usage error naming the text."""
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not an ISO date (YYYY-MM-DD): {text!r}") from None


def json_scalar(value: object) -> object:
    """JSON-safe scalar: NaN/NA -> None, numpy -> Python."""
    import math

    import pandas as pd

    if value is None or value is pd.NA:
        return None
    item = getattr(value, "item", None)
    if callable(item):
        value = item()
    if isinstance(value, float) and math.isnan(value):
        return None
    return value


class ProgressLine:
    """An import's progress on stderr, ``importing FILE: 12.5/80.0 MB (15%)`` (``unit="MB"``: bytes
    shown in MB) or ``importing FILE: 200,000/1,000,000 rows (20%)``, at most every 0.2 s on a
    terminal and every 10 % otherwise; a final newline only if something was drawn."""

    def __init__(self, label: str, unit: str = "MB") -> None:
        self.label, self.unit, self.tty, self.last, self.step, self.drawn = \
            label, unit, sys.stderr.isatty(), 0.0, -1, False

    def update(self, done: int, total: int) -> None:
        import time

        frac = done / total if total else 1.0
        now = time.monotonic()
        if self.tty:
            if now - self.last < 0.2 and done < total:
                return
        elif int(frac * 10) <= self.step:
            return
        self.last, self.step, self.drawn = now, int(frac * 10), True
        end = "\r" if self.tty else "\n"
        amount = (f"{done / 1e6:.1f}/{total / 1e6:.1f} MB" if self.unit == "MB" else
                  f"{done:,}/{total:,} {self.unit}")
        sys.stderr.write(f"importing {self.label}: {amount} ({frac:.0%}){end}")
        sys.stderr.flush()

    def close(self) -> None:
        if self.tty and self.drawn:
            sys.stderr.write("\n")
