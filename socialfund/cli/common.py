"""Command groups of ``python -m socialfund`` (see ``socialfund.cli``)."""

from __future__ import annotations

import argparse
import datetime as dt
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


def open_services(args: Any) -> tuple[Any, Any, Any]:
    """(store, price provider, settings) as configured, with the demo data loaded if missing.

    When the prices are the demo's, marks ``args`` so that ``cli.main`` prints ``DEMO_NOTICE``
    on stderr after a successful command (stdout stays machine-readable; a rejected command
    still prints exactly one error line)."""
    from socialfund.core.config import load_settings
    from socialfund.market.providers import get_provider
    from socialfund.store import open_store
    from socialfund.store.demo import ensure_demo

    settings = load_settings()
    store = open_store(settings.database_url)
    if settings.demo:
        ensure_demo(store)
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
