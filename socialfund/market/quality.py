"""Price quality checks: moves too large to be real are flagged, never silently used."""

from __future__ import annotations

from typing import cast

import numpy as np
import pandas as pd

# A one-day price ratio beyond 1.5x either way (≥ +50 % or ≤ −33 %) is flagged as a split or data
# error, not silently used: symmetric in log terms, so a 2-for-1 split (−50 %) is flagged even on a
# day the market rose. No fund or ETF moves that much in a day (A-share limits are ±10 %/±20 %).
MAX_ONE_DAY_RATIO = 1.5


def jump_warnings(wide: pd.DataFrame) -> list[str]:
    """One warning per (code, session) whose close-to-previous-close ratio r has
    ``|ln r| ≥ ln MAX_ONE_DAY_RATIO`` (wide: sessions × codes of closes)."""
    log_moves = cast(pd.DataFrame, np.log(wide / wide.shift(1))).abs()   # a ufunc keeps the frame
    limit = float(np.log(MAX_ONE_DAY_RATIO))
    out = []
    for code in wide.columns:
        for day in log_moves.index[log_moves[code] >= limit - 1e-12]:
            change = float(wide[code].loc[day] / wide[code].shift(1).loc[day] - 1)
            out.append(f"{code}: one-day move of {change:+.0%} on {day.date()} (split or data error?)")
    return out
