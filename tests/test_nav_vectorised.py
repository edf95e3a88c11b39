"""The bulk fill-session computation (``fill_session_indices``) agrees with the
one-placement rule (``fill_session_index``) and the NAV built from it equals a NAV built
one version at a time with the reference rule."""

from __future__ import annotations

import numpy as np
import pandas as pd
from hypothesis import given, settings, strategies as st

from socialfund import portfolios
from socialfund.core.models import PortfolioVersion

SESSIONS = pd.bdate_range("2024-01-01", periods=40)
DAYS = SESSIONS.values.astype("datetime64[D]")
START = pd.Timestamp("2023-12-25", tz="UTC")


@settings(max_examples=60, deadline=None)
@given(st.lists(st.integers(min_value=0, max_value=70 * 24 * 60), max_size=30))
def test_bulk_fill_sessions_equal_the_single_rule(minutes):
    placed = [(START + pd.Timedelta(minutes=m)).tz_convert("Asia/Shanghai") for m in minutes]
    bulk = portfolios.fill_session_indices(DAYS, placed)
    assert bulk.tolist() == [portfolios.fill_session_index(DAYS, p) for p in placed]


weights = st.sampled_from([{"A": 10_000}, {"B": 10_000}, {"A": 5_000, "CASH": 5_000},
                           {"A": 2_500, "B": 7_500}, {"CASH": 10_000}])


@settings(max_examples=40, deadline=None)
@given(st.lists(st.lists(st.tuples(st.integers(min_value=0, max_value=60 * 24), weights),
                         min_size=1, max_size=6), min_size=1, max_size=5))
def test_nav_matrix_equals_a_reference_walk(books):
    rng = np.random.default_rng(3)
    prices = pd.DataFrame(np.cumprod(1 + rng.normal(0, 0.01, (len(SESSIONS), 2)), axis=0) * 10,
                          index=SESSIONS, columns=["A", "B"])
    versions = {pid: [PortfolioVersion(k + 1, START + pd.Timedelta(hours=h), w) for k, (h, w) in enumerate(spec)]
                for pid, spec in enumerate(books, start=1)}
    nav = portfolios.nav_matrix(prices, versions)
    for pid, vs in versions.items():
        # reference: schedule by the single-placement rule, then value each segment
        by_session = {}
        for v in sorted(vs, key=lambda v: (v.placed_at, v.version)):
            at = portfolios.fill_session_index(DAYS, v.placed_at)
            if at < len(SESSIONS):
                by_session[at] = v
        expected = np.full(len(SESSIONS), np.nan)
        value = 1.0
        schedule = sorted(by_session.items())
        for k, (start, v) in enumerate(schedule):
            end = schedule[k + 1][0] if k + 1 < len(schedule) else len(SESSIONS) - 1
            cash = value * v.weights_bp.get("CASH", 0) / 10_000
            path = np.full(end + 1 - start, cash)
            for code in ("A", "B"):
                if v.weights_bp.get(code, 0):
                    units = value * v.weights_bp[code] / 10_000 / prices[code].iloc[start]
                    path = path + units * prices[code].iloc[start:end + 1].to_numpy()
            expected[start:end + 1] = path
            value = float(path[-1])
        np.testing.assert_allclose(nav[pid].to_numpy(), expected, rtol=1e-12, equal_nan=True)
