"""The offline demo universe: real fund/ETF codes and names with synthetic prices,
a synthetic investing community (users, portfolios, rebalances, follows, copies) and
synthetic Chinese forum posts.

``python -m socialfund.demo.generate [--out data]`` writes the committed CSV files in
``data/``; the same seed always gives byte-identical files.
"""

from __future__ import annotations

DEMO_SEED = 20261120
"""The one fixed seed of the demo data (numpy legacy ``RandomState``)."""

DEMO_START = "2023-11-20"
DEMO_END = "2026-11-20"
"""First and last calendar day of the demo history (both are XSHG and XNYS sessions)."""
