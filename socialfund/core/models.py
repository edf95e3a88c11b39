"""Plain value objects shared by the library, the store, the pages and the CLI.

They hold no behaviour beyond checking their own invariants, so anything can build
them (from CSV rows, database rows or tests) and pass them to the pure functions in
``socialfund.portfolios``, ``socialfund.core.metrics``, ``socialfund.core.ranking_rules`` and
``socialfund.copying``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Protocol

import numpy as np
import pandas as pd

from socialfund.core.errors import ValidationError
from socialfund.core.sessions import MARKET_TZ
from socialfund.core.weights import validate_weights_bp


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
        clean = validate_weights_bp(self.weights_bp, where=f"version {self.version}")
        object.__setattr__(self, "weights_bp", MappingProxyType(dict(sorted(clean.items()))))

    @property
    def placed_date(self) -> dt.date:
        """The Shanghai calendar date the version was placed on (``datetime.date``)."""
        return self.placed_at.date()


class NamedInstrument(Protocol):
    """What searches and keyword lists read of an instrument: its code and names
    (``market.instruments.Instrument`` and the demo universe have them)."""

    @property
    def code(self) -> str: ...

    @property
    def name_zh(self) -> str: ...

    @property
    def name_en(self) -> str: ...


@dataclass(frozen=True)
class VersionArrays:
    """Many portfolios' version histories as arrays (no object per version): what the
    store reads in one query and ``portfolios.nav_from_arrays`` values.

    Rows are versions, grouped by portfolio (``portfolio_ids[k]``'s versions are rows
    ``version_offsets[k]:version_offsets[k+1]``) and ordered within it by placement time,
    then version number (``portfolios.sorted_versions``' order). ``placed_ns``: placement
    times as int64 nanoseconds since the epoch, UTC. Weights are flat:
    version row i holds ``codes[weight_code[j]]`` at ``weight_bp[j]`` basis points for
    ``j`` in ``weight_offsets[i]:weight_offsets[i+1]``, ordered by code (``codes`` is
    sorted, so ``weight_code`` ascends within a version), ``CASH`` included.
    The arrays are trusted as stored (checked when each version was written)."""

    portfolio_ids: np.ndarray      # int64 [P]
    version_offsets: np.ndarray    # int64 [P + 1]
    version: np.ndarray            # int64 [V]
    placed_ns: np.ndarray          # int64 [V]
    weight_offsets: np.ndarray     # int64 [V + 1]
    weight_code: np.ndarray        # int64 [W]
    weight_bp: np.ndarray          # int64 [W]
    codes: tuple[str, ...]

    def __len__(self) -> int:
        return len(self.portfolio_ids)
