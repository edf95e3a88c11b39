"""The market at a glance (pure, over closes): one representative instrument per asset
class and trailing returns, as the home page shows them."""

from __future__ import annotations

import pandas as pd

from socialfund.core.sessions import PERIODS_PER_YEAR

#: The instrument that stands for each asset class on the home page (the best-known ETF).
PREFERRED_REPRESENTATIVES = ("510300.SS", "159915.SZ", "512880.SS", "511010.SS", "518880.SS", "513100.SS")


def representatives(categories: dict[str, str], closes: pd.DataFrame) -> dict[str, str]:
    """One instrument per category (``categories``: code → category): the preferred one if
    present, else the first with prices. Returns code → category."""
    chosen: dict[str, str] = {}
    ordered = [c for c in PREFERRED_REPRESENTATIVES if c in categories] + list(categories)
    for code in ordered:
        category = categories[code]
        if category not in chosen.values() and code in closes.columns and closes[code].notna().any():
            chosen[code] = category
    return chosen


def trailing_return(closes: pd.DataFrame, sessions: int = PERIODS_PER_YEAR) -> pd.Series:
    """Simple return ``last / close sessions rows earlier − 1`` of each column over its quoted
    rows (default one year of sessions); NaN when a column has ``sessions`` rows or fewer."""
    out = {}
    for code in closes.columns:
        s = closes[code].dropna()
        out[code] = s.iloc[-1] / s.iloc[-sessions - 1] - 1 if len(s) > sessions else float("nan")
    return pd.Series(out, dtype=float)
