"""Data-source labels: the one spelling of each ``source`` value stored with prices and posts.

The app labels demo data by these values and never mixes it silently with real data, so
each label is written here once and imported everywhere else.
"""

from __future__ import annotations

DEMO_PRICE_SOURCE = "synthetic-demo"
"""``prices.source`` of the committed synthetic demo prices (``data/prices.csv``)."""

DEMO_POST_SOURCE = "demo"
"""``posts.source`` of the synthetic demo forum posts; reserved, no import may use it."""

YAHOO_SOURCE = "yfinance"
"""``prices.source`` of closes fetched from Yahoo (cached in the store with their fetch time)."""

AKSHARE_SOURCE = "akshare"
"""``prices.source`` of series fetched through akshare (天天基金/东方财富: cumulative NAV of
open-end funds, back-adjusted ``hfq`` closes of ETFs and LOFs, index closes), cached in the
store with their fetch time."""
