"""The home page's market snapshot: representatives per asset class and trailing returns."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from socialfund.core.sessions import PERIODS_PER_YEAR
from socialfund.market.snapshot import representatives, trailing_return


def test_representatives_prefer_the_best_known_etf_then_the_first_with_prices() -> None:
    idx = pd.bdate_range("2024-01-01", periods=3)
    closes = pd.DataFrame({"X": [1.0, 1.1, 1.2], "510300.SS": [3.0, 3.1, 3.2], "Y": [np.nan] * 3,
                           "Z": [2.0, 2.0, 2.1]}, index=idx)
    chosen = representatives({"X": "broad", "510300.SS": "broad", "Y": "bond", "Z": "bond"}, closes)
    assert chosen == {"510300.SS": "broad", "Z": "bond"}   # Y has no prices


def test_trailing_return_defaults_to_one_year_of_sessions_and_is_nan_when_short() -> None:
    n = PERIODS_PER_YEAR + 2
    idx = pd.bdate_range("2023-01-02", periods=n)
    closes = pd.DataFrame({"A": np.linspace(1.0, 2.0, n), "B": [np.nan] * 5 + [1.0] * (n - 5)}, index=idx)
    ret = trailing_return(closes)
    assert ret["A"] == closes["A"].iloc[-1] / closes["A"].iloc[-PERIODS_PER_YEAR - 1] - 1
    assert math.isnan(ret["B"])                             # fewer quoted rows than a year
    assert trailing_return(closes, sessions=1)["B"] == 0.0
