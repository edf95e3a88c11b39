"""What every price provider returns (``PriceData``) and the one long → wide reshaping of
``date,code,close`` rows. Kept apart from ``market.providers`` so that a provider module
(``market.akshare``) can build results that ``providers.get_provider`` returns, with no
import circle between the two."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

import pandas as pd

from socialfund.core.sources import DEMO_PRICE_SOURCE


@dataclass
class PriceData:
    """Closes plus where each column came from, and notices to show the user."""

    closes: pd.DataFrame
    sources: dict[str, str] = field(default_factory=dict)
    notices: list[str] = field(default_factory=list)

    @property
    def is_demo(self) -> bool:
        return any(s == DEMO_PRICE_SOURCE for s in self.sources.values())

    @property
    def latest_date(self) -> date | None:
        return None if self.closes.empty else self.closes.index.max().date()


def long_to_wide(long: pd.DataFrame) -> pd.DataFrame:
    """``date,code,close`` rows → sessions × codes (no filling)."""
    wide = long.pivot(index="date", columns="code", values="close").sort_index()
    wide.index = pd.DatetimeIndex(pd.to_datetime(wide.index), name="date")
    wide.columns.name = None
    return wide
