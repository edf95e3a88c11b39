"""Portfolio versions, weights and the NAV engine."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from fractions import Fraction

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from socialfund.core.errors import ValidationError
from socialfund.core.models import PortfolioVersion
from socialfund.portfolios import annualised_turnover, holdings_weights_at, nav_matrix, nav_series, rebalance_deltas, turnover
from socialfund.core.weights import hhi, normalise_to_bp, validate_weights_bp

SESSIONS = pd.DatetimeIndex(["2024-01-02", "2024-01-03", "2024-01-04", "2024-01-05", "2024-01-08",
                             "2024-01-09", "2024-01-10"])


def at(text: str) -> pd.Timestamp:
    return pd.Timestamp(text)


def v(version: int, placed: str, weights: dict, note: str = "") -> PortfolioVersion:
    return PortfolioVersion(version, at(placed), weights, note)


@pytest.fixture
def prices() -> pd.DataFrame:
    return pd.DataFrame({
        "A": [10.0, 11.0, 12.0, 11.0, 13.0, 14.0, 15.0],
        "B": [20.0, 20.0, 18.0, 18.0, 19.0, 21.0, 20.0],
    }, index=SESSIONS)


# --------------------------------------------------------------------------- fill timing

@pytest.mark.parametrize("placed, first_nav_session", [
    ("2024-01-02T09:31:00+08:00", "2024-01-03"),   # during trading: still the next session
    ("2024-01-02T23:59:00+08:00", "2024-01-03"),
    ("2024-01-02T16:30:00+00:00", "2024-01-04"),   # 00:30 on Jan 3 in Shanghai
    ("2024-01-06T10:00:00+08:00", "2024-01-08"),   # Saturday -> Monday
    ("2024-01-01T10:00:00+08:00", "2024-01-02"),
])
def test_fill_is_first_session_strictly_after_shanghai_date(prices, placed, first_nav_session):
    nav = nav_series(prices, [v(1, placed, {"A": 10000})])
    first = nav.first_valid_index()
    assert first == pd.Timestamp(first_nav_session)
    assert nav[first] == 1.0
    assert nav.loc[:first].iloc[:-1].isna().all()


def test_version_placed_after_last_session_is_pending(prices):
    versions = [v(1, "2024-01-01T10:00+08:00", {"A": 10000}), v(2, "2024-01-10T10:00+08:00", {"B": 10000})]
    nav = nav_series(prices, versions)
    np.testing.assert_allclose(nav.values, prices["A"].values / 10.0)


def test_same_session_fills_keep_the_last_placed(prices):
    versions = [v(1, "2024-01-01T10:00+08:00", {"A": 10000}),
                v(2, "2024-01-03T09:00+08:00", {"CASH": 10000}),
                v(3, "2024-01-03T14:00+08:00", {"B": 10000})]
    nav = nav_series(prices, versions)
    # Versions 2 and 3 both fill at the close of Jan 4: only 3 (B) is executed, never cash.
    assert nav["2024-01-04"] == pytest.approx(12.0 / 10.0)
    assert nav["2024-01-05"] == pytest.approx(1.2)            # B flat 18 -> 18
    assert nav["2024-01-10"] == pytest.approx(1.2 * 20.0 / 18.0)


# --------------------------------------------------------------------------- drift and cash

def test_holdings_drift_without_daily_rebalancing(prices):
    nav = nav_series(prices, [v(1, "2024-01-01T12:00+08:00", {"A": 5000, "B": 5000})])
    buy_and_hold = 0.5 * prices["A"] / 10.0 + 0.5 * prices["B"] / 20.0
    np.testing.assert_allclose(nav.values, buy_and_hold.values, rtol=1e-14)
    daily_rebalanced = (1 + 0.5 * prices["A"].pct_change().fillna(0) + 0.5 * prices["B"].pct_change().fillna(0)).cumprod()
    assert abs(nav.iloc[-1] - daily_rebalanced.iloc[-1]) > 1e-4
    weights = holdings_weights_at(prices, [v(1, "2024-01-01T12:00+08:00", {"A": 5000, "B": 5000})], dt.date(2024, 1, 10))
    a, b = 0.5 * 15 / 10, 0.5 * 20 / 20
    assert weights == pytest.approx({"A": a / (a + b), "B": b / (a + b)})


def test_cash_earns_nothing(prices):
    all_cash = nav_series(prices, [v(1, "2024-01-01T12:00+08:00", {"CASH": 10000})])
    assert (all_cash == 1.0).all()
    half = nav_series(prices, [v(1, "2024-01-01T12:00+08:00", {"A": 5000, "CASH": 5000})])
    np.testing.assert_allclose(half.values, 0.5 + 0.5 * prices["A"].values / 10.0)
    weights = holdings_weights_at(prices, [v(1, "2024-01-01T12:00+08:00", {"A": 5000, "CASH": 5000})], dt.date(2024, 1, 10))
    assert weights["CASH"] == pytest.approx(0.5 / (0.5 + 0.75))


def test_rebalance_is_continuous_and_time_weighted(prices):
    versions = [v(1, "2024-01-01T12:00+08:00", {"A": 10000}), v(2, "2024-01-04T15:00+08:00", {"B": 10000})]
    nav = nav_series(prices, versions)
    # Version 2 fills at the close of Jan 5: A at 11 (NAV 1.1), then B bought at 18.
    assert nav["2024-01-05"] == pytest.approx(1.1)
    assert nav["2024-01-08"] == pytest.approx(1.1 * 19 / 18)
    assert nav["2024-01-10"] == pytest.approx(1.1 * 20 / 18)
    weights = holdings_weights_at(prices, versions, dt.date(2024, 1, 5))
    assert weights == {"B": 1.0}  # after the fill at that close
    assert holdings_weights_at(prices, versions, dt.date(2024, 1, 1)) == {}


# --------------------------------------------------------------------------- missing prices

def test_missing_quote_carries_last_value_within_the_limit(prices):
    gappy = prices.copy()
    gappy.loc["2024-01-08", "A"] = np.nan
    nav = nav_series(gappy, [v(1, "2024-01-01T12:00+08:00", {"A": 5000, "B": 5000})])
    assert nav["2024-01-08"] == pytest.approx(0.5 * 11 / 10 + 0.5 * 19 / 20)
    # a fill within MAX_CARRY_SESSIONS buys at the last price (Jan 5's 11)
    carried = nav_series(gappy, [v(1, "2024-01-05T12:00+08:00", {"A": 10000})])
    assert carried["2024-01-09"] == pytest.approx(14 / 11)
    with pytest.raises(ValidationError, match="A has no price at its fill session 2024-01-08: last price 2024-01-05"):
        nav_series(gappy, [v(1, "2024-01-05T12:00+08:00", {"A": 10000})], max_carry=0)
    late = prices.copy()
    late.loc[:"2024-01-04", "B"] = np.nan  # B not listed yet
    with pytest.raises(ValidationError, match="B has no price at or before its fill session 2024-01-02"):
        nav_series(late, [v(1, "2024-01-01T12:00+08:00", {"B": 10000})])


def test_unknown_code_and_bad_prices(prices):
    with pytest.raises(ValidationError, match="no prices for code C"):
        nav_series(prices, [v(1, "2024-01-01T12:00+08:00", {"C": 10000})])
    with pytest.raises(ValidationError, match="tz-naive"):
        nav_series(prices.tz_localize("UTC"), [v(1, "2024-01-01T12:00+08:00", {"A": 10000})])
    with pytest.raises(ValidationError, match="increasing"):
        nav_series(prices.iloc[::-1], [v(1, "2024-01-01T12:00+08:00", {"A": 10000})])
    with pytest.raises(ValidationError, match="duplicate version"):
        nav_series(prices, [v(1, "2024-01-01T12:00+08:00", {"A": 10000}), v(1, "2024-01-03T12:00+08:00", {"B": 10000})])


def test_closed_portfolio_nav_stops(prices):
    nav = nav_series(prices, [v(1, "2024-01-01T12:00+08:00", {"A": 10000})], closed_on=dt.date(2024, 1, 6))
    assert nav[:"2024-01-05"].notna().all()
    assert nav["2024-01-08":].isna().all()


# --------------------------------------------------------------------------- matrix == series, speed, no look-ahead

def _random_book(n_portfolios: int, n_sessions: int, seed: int = 0):
    rng = np.random.default_rng(seed)
    index = pd.bdate_range("2023-01-02", periods=n_sessions)
    codes = [f"{510000 + i}.SS" for i in range(40)]
    prices = pd.DataFrame(100 * np.exp(np.cumsum(rng.normal(0, 0.01, (n_sessions, 40)), axis=0)),
                          index=index, columns=codes)
    prices = prices.mask(rng.random(prices.shape) < 0.01)  # holes (never at a fill below: staleness)
    books = {}
    for p in range(1, n_portfolios + 1):
        versions = []
        for k in range(8):
            chosen = rng.choice(40, 4, replace=False)
            weights = normalise_to_bp({codes[c]: float(rng.random()) for c in chosen} | {"CASH": 0.05})
            day = index[min(k * (n_sessions // 8) + int(rng.integers(0, 5)), n_sessions - 1)]
            versions.append(PortfolioVersion(k + 1, (day + pd.Timedelta(hours=20)).tz_localize("Asia/Shanghai"), weights))
        books[p] = versions
    return prices, books


def test_matrix_and_series_are_the_same_code_path():
    prices, books = _random_book(12, 300)
    matrix = nav_matrix(prices, books, max_carry=3)
    for pid, versions in books.items():
        single = nav_series(prices, versions, max_carry=3)
        assert np.array_equal(single.to_numpy(), matrix[pid].to_numpy(), equal_nan=True)


def test_nav_matrix_300_by_750_has_every_portfolio_and_session():
    """Shape and sanity at size (its speed: benchmarks/library_speed.py, not a timed test)."""
    prices, books = _random_book(300, 750, seed=1)
    matrix = nav_matrix(prices, books, max_carry=3)
    assert matrix.shape == (750, 300)
    assert (matrix.stack().dropna() > 0).all()


def test_no_look_ahead_in_nav():
    prices, books = _random_book(5, 200, seed=2)
    cut = prices.index[120]
    changed = prices.copy()
    changed.loc[changed.index > cut] *= np.random.default_rng(9).uniform(0.5, 1.5, changed.loc[changed.index > cut].shape)
    a = nav_matrix(prices, books, max_carry=3).loc[:cut]
    b = nav_matrix(changed, books, max_carry=3).loc[:cut]
    assert np.array_equal(a.to_numpy(), b.to_numpy(), equal_nan=True)
    truncated = nav_matrix(prices.loc[:cut], books, max_carry=3)
    assert np.array_equal(a.to_numpy(), truncated.to_numpy(), equal_nan=True)


# --------------------------------------------------------------------------- weights

def test_normalise_examples():
    assert normalise_to_bp({"A": 1, "B": 1, "C": 1}) == {"A": 3334, "B": 3333, "C": 3333}
    assert normalise_to_bp({"C": 1, "B": 1, "A": 1}) == {"A": 3334, "B": 3333, "C": 3333}
    assert normalise_to_bp({"A": Decimal("0.6"), "CASH": Decimal("0.4")}) == {"A": 6000, "CASH": 4000}
    assert normalise_to_bp({"A": 1.0, "B": 1e-9}) == {"A": 10000}
    for bad in ({"A": -0.1, "B": 1.1}, {}, {"A": 0.0}, {"A": float("nan")}, {"A": "x"}):
        with pytest.raises(ValidationError):
            normalise_to_bp(bad)


weights_strategy = st.dictionaries(
    st.text(alphabet="ABCDEFGHJK0123456789.", min_size=1, max_size=6),
    st.floats(min_value=0, max_value=1e6, allow_nan=False, allow_infinity=False),
    min_size=1, max_size=25,
).filter(lambda d: sum(d.values()) > 0)


@settings(max_examples=200, deadline=None)
@given(weights_strategy, st.randoms())
def test_normalise_properties(weights, rnd):
    result = normalise_to_bp(weights)
    assert sum(result.values()) == 10000
    assert all(isinstance(bp, int) and bp > 0 for bp in result.values())
    total = sum(Fraction(w) for w in weights.values())
    for code, w in weights.items():
        exact = Fraction(w) * 10000 / total
        assert abs(result.get(code, 0) - exact) < 1
    items = list(weights.items())
    rnd.shuffle(items)
    assert normalise_to_bp(dict(items)) == result
    assert normalise_to_bp({k: w * 4.0 for k, w in weights.items()}) == result
    validate_weights_bp(result)


def test_validate_weights_names_the_problem():
    with pytest.raises(ValidationError, match="sum to 9999 bp"):
        validate_weights_bp({"A": 9999})
    with pytest.raises(ValidationError, match="negative"):
        validate_weights_bp({"A": 10500, "B": -500})
    with pytest.raises(ValidationError, match="duplicate code A"):
        validate_weights_bp([("A", 5000), ("A", 5000)])
    with pytest.raises(ValidationError, match="unknown code ZZZ"):
        validate_weights_bp({"ZZZ": 5000, "CASH": 5000}, universe=["510300.SS"])
    with pytest.raises(ValidationError, match="integer"):
        validate_weights_bp({"A": 10000.0})
    assert validate_weights_bp({"510300.SS": 6000, "CASH": 4000}, universe=["510300.SS"]) == {"510300.SS": 6000, "CASH": 4000}


def test_portfolio_version_invariants():
    with pytest.raises(ValidationError, match="time zone"):
        PortfolioVersion(1, pd.Timestamp("2024-01-02 10:00"), {"A": 10000})
    with pytest.raises(ValidationError, match="sum to"):
        PortfolioVersion(1, at("2024-01-02T10:00+08:00"), {"A": 100})
    version = PortfolioVersion(1, at("2024-01-02T02:00Z"), {"B": 4000, "A": 6000})
    assert str(version.placed_at.tz) == "Asia/Shanghai" and version.placed_date == dt.date(2024, 1, 2)
    assert list(version.weights_bp) == ["A", "B"]
    with pytest.raises(TypeError):
        version.weights_bp["A"] = 1  # read-only


# --------------------------------------------------------------------------- history helpers

def test_turnover_deltas_hhi():
    versions = [v(1, "2024-01-02T10:00+08:00", {"A": 6000, "B": 4000}),
                v(2, "2024-03-02T10:00+08:00", {"A": 3000, "B": 4000, "CASH": 3000}),
                v(3, "2025-03-02T10:00+08:00", {"C": 10000})]
    assert turnover(versions).to_dict() == {2: pytest.approx(0.3), 3: pytest.approx(1.0)}
    assert annualised_turnover(versions, dt.date(2025, 1, 2)) == pytest.approx(0.3 / (366 / 365.25))
    assert np.isnan(annualised_turnover(versions, dt.date(2024, 6, 1)))
    deltas = rebalance_deltas(versions)
    assert list(deltas.columns) == ["version", "placed_at", "code", "prev_bp", "new_bp", "delta_bp"]
    rows = deltas[["version", "code", "prev_bp", "new_bp", "delta_bp"]].values.tolist()
    assert rows == [[1, "A", 0, 6000, 6000], [1, "B", 0, 4000, 4000],
                    [2, "A", 6000, 3000, -3000], [2, "CASH", 0, 3000, 3000],
                    [3, "A", 3000, 0, -3000], [3, "B", 4000, 0, -4000], [3, "C", 0, 10000, 10000],
                    [3, "CASH", 3000, 0, -3000]]
    assert hhi({"A": 5000, "B": 5000}) == pytest.approx(0.5)
    assert hhi({"A": 5000, "CASH": 5000}) == pytest.approx(1.0)
    assert np.isnan(hhi({"CASH": 10000}))
