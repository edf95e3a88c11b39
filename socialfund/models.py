"""Plain value objects shared by the library, the store, the pages and the CLI.

They hold no behaviour beyond checking their own invariants, so anything can build
them (from CSV rows, database rows or tests) and pass them to the pure functions in
``socialfund.portfolios``, ``socialfund.metrics``, ``socialfund.leaderboard`` and
``socialfund.copying``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

import pandas as pd

from socialfund.errors import ValidationError

#: The one time zone placement times are read in: a rebalance placed "on day t" means
#: day t on the Shanghai wall clock, whatever offset the timestamp was written with.
MARKET_TZ = "Asia/Shanghai"

#: Pseudo-code for the uninvested part of a portfolio (earns 0).
CASH = "CASH"

#: Weights are integers in basis points; a full portfolio is exactly this many.
FULL_BP = 10_000


@dataclass(frozen=True)
class PortfolioVersion:
    """One immutable target allocation of a portfolio.

    ``version``: 1, 2, ... in placement order.
    ``placed_at``: tz-aware timestamp; stored converted to Asia/Shanghai. A version
    placed at any hour of Shanghai day t fills at the close of the first session whose
    date is strictly after t (see ``socialfund.portfolios``).
    ``weights_bp``: code -> basis points (``'CASH'`` allowed), non-negative integers
    summing to exactly 10000. Stored as a read-only mapping.
    """

    version: int
    placed_at: pd.Timestamp
    weights_bp: Mapping[str, int]
    note: str = field(default="")

    def __post_init__(self) -> None:
        if isinstance(self.version, bool) or not isinstance(self.version, int) or self.version < 1:
            raise ValidationError(f"portfolio version must be an integer >= 1, got {self.version!r}")
        placed = pd.Timestamp(self.placed_at)
        if placed.tzinfo is None:
            raise ValidationError(
                f"version {self.version}: placed_at {self.placed_at!s} has no time zone "
                f"(write it with an offset such as +08:00)")
        object.__setattr__(self, "placed_at", placed.tz_convert(MARKET_TZ))
        # Imported here because portfolios imports this module.
        from socialfund.portfolios import validate_weights_bp

        clean = validate_weights_bp(self.weights_bp, where=f"version {self.version}")
        object.__setattr__(self, "weights_bp", MappingProxyType(dict(sorted(clean.items()))))

    @property
    def placed_date(self):
        """The Shanghai calendar date the version was placed on (``datetime.date``)."""
        return self.placed_at.date()
