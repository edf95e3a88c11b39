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

FILE_PRICE_SOURCE_PREFIX = "file:"
"""``prices.source`` of closes imported from a file: ``file:`` + the file's name
(``file:510300.csv``), so every imported series says which file it came from."""

#: ``prices.source`` is a String(32) column: a longer file name is cut to fit.
PRICE_SOURCE_CHARS = 32


def file_price_source(name: str) -> str:
    """The ``prices.source`` of the closes of the file called ``name`` (its base name, cut
    to ``PRICE_SOURCE_CHARS``)."""
    base = name.replace("\\", "/").rsplit("/", 1)[-1]
    return (FILE_PRICE_SOURCE_PREFIX + base)[:PRICE_SOURCE_CHARS]


DISCUSSION_SOURCE = "discussion"
"""``posts.source`` of posts written in the app (``services.discussion``); reserved."""

DEMO_DISCUSSION_SOURCE = "demo:discussion"
"""``posts.source`` of the demo discussion (``data/discussion.csv``); every ``demo:…`` is reserved."""
