"""Paper copy simulator: mirror, fees, delay, minimum position, stop-loss, no look-ahead."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import numpy as np
import pandas as pd
import pytest

from socialfund.copying import DELAY_SESSIONS_MAX, FEE_BPS_MAX, STOP_LOSS_MAX, CopyParams, simulate_copy
from socialfund.core.errors import ValidationError
from socialfund.core.models import PortfolioVersion
from socialfund.portfolios import nav_series
from socialfund.core.weights import normalise_to_bp

INDEX = pd.bdate_range("2024-01-01", periods=260)
CODES = ["510300.SS", "159915.SZ", "513100.SS", "518880.SS", "511010.SS", "161725.SZ"]


def _prices(seed: int = 0) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    return pd.DataFrame(np.round(3 * np.exp(np.cumsum(rng.normal(0.0003, 0.015, (len(INDEX), len(CODES))), axis=0)), 6),
                        index=INDEX, columns=CODES)


def _leader(seed: int = 0) -> list[PortfolioVersion]:
    rng = np.random.default_rng(seed + 100)
    versions = []
    for k, day in enumerate([5, 40, 75, 120, 160, 200, 230]):
        chosen = rng.choice(len(CODES), 3, replace=False)
        weights = {CODES[c]: float(rng.uniform(0.05, 1)) for c in chosen}
        weights["CASH"] = 0.1
        placed = (INDEX[day] + pd.Timedelta(hours=10)).tz_localize("Asia/Shanghai")
        versions.append(PortfolioVersion(k + 1, placed, normalise_to_bp(weights)))
    return versions


START = INDEX[60].date()


def test_fee_free_instant_copy_reproduces_the_leader():
    prices, leader = _prices(), _leader()
    result = simulate_copy(prices, leader, CopyParams(Decimal("100000"), START, 0, 0, Decimal("0"), None))
    assert result.entry_session == INDEX[61].date()
    assert result.equity.index[0] == INDEX[61]
    assert result.leader_nav.iloc[0] == 1.0
    assert result.copier_return == pytest.approx(result.leader_return, abs=1e-12)
    # The whole path matches, to the cent.
    np.testing.assert_allclose(result.equity.to_numpy(), np.round(100000 * result.leader_nav.to_numpy(), 2), atol=0.011)
    assert result.fees_paid == Decimal("0.00")
    assert result.skipped_positions == [] and not result.stopped_out
    assert abs(result.gap.gap) < 1e-12
    nav = nav_series(prices, leader)
    assert result.leader_return == pytest.approx(nav.iloc[-1] / nav.iloc[61] - 1, rel=1e-12)


def test_fees_make_the_copy_strictly_worse_and_are_counted():
    prices, leader = _prices(), _leader()
    free = simulate_copy(prices, leader, CopyParams(Decimal("100000"), START, 0, 0, Decimal("0"), None))
    paid = simulate_copy(prices, leader, CopyParams(Decimal("100000"), START, 10, 0, Decimal("0"), None))
    assert paid.copier_return < free.copier_return
    assert paid.fees_paid > Decimal("0")
    assert isinstance(paid.fees_paid, Decimal) and paid.fees_paid == paid.fees_paid.quantize(Decimal("0.01"))
    assert paid.gap.fees == pytest.approx(free.copier_return - paid.copier_return, abs=1e-12)
    assert paid.gap.delay == 0.0 and paid.gap.skipped_positions == 0.0 and paid.gap.stop_loss == 0.0
    # Entry fee: 10 bp of the invested part (leader holds some cash), paid at the first close.
    first_day_equity = Decimal(str(paid.equity.iloc[0]))
    assert Decimal("99900") < first_day_equity < Decimal("100000")


def test_gap_components_add_up():
    prices, leader = _prices(3), _leader(3)
    result = simulate_copy(prices, leader, CopyParams(Decimal("50000"), START, 15, 2, Decimal("8000"), 0.5))
    g = result.gap
    assert g.gap == pytest.approx(g.delay + g.skipped_positions + g.fees + g.stop_loss + g.other, abs=1e-12)
    assert g.leader_return == result.leader_return and g.copier_return == result.copier_return
    assert set(g.as_dict()) >= {"fees", "delay", "skipped_positions", "stop_loss"}


def test_delay_keeps_cash_until_the_delayed_fill():
    prices, leader = _prices(), _leader()
    result = simulate_copy(prices, leader, CopyParams(Decimal("100000"), START, 0, 3, Decimal("0"), None))
    assert (result.equity.iloc[:4] == 100000.0).all()      # sessions 61, 62, 63 and the fill close 64
    assert result.equity.iloc[4] != 100000.0
    assert result.equity.index[0] == INDEX[61]             # same window as the leader


def test_min_position_skips_small_positions_into_cash():
    prices = _prices()
    leader = [PortfolioVersion(1, pd.Timestamp("2024-01-02T10:00+08:00"),
                               {"510300.SS": 9500, "159915.SZ": 500})]
    result = simulate_copy(prices, leader, CopyParams(Decimal("10000"), dt.date(2024, 1, 2), 0, 0, Decimal("600"), None))
    assert result.entry_session == INDEX[2].date()          # the leader's own fill session
    assert [(s.code, s.target_value, s.session) for s in result.skipped_positions] == \
        [("159915.SZ", Decimal("500.00"), INDEX[2].date())]
    p = prices["510300.SS"]
    expected = 9500 * p.iloc[-1] / p.iloc[2] + 500           # the skipped 5 % stays in cash
    assert result.equity.iloc[-1] == pytest.approx(expected, abs=0.006)
    assert result.gap.skipped_positions == pytest.approx(result.leader_return - result.copier_return, abs=1e-12)
    assert result.gap.skipped_positions != 0.0


def test_stop_loss_triggers_exactly_at_the_limit():
    days = pd.bdate_range("2024-03-01", periods=6)
    single = [PortfolioVersion(1, pd.Timestamp("2024-02-20T10:00+08:00"), {"X": 10000})]
    exactly = pd.DataFrame({"X": [100.0, 90.0, 80.0, 70.0, 120.0, 130.0]}, index=days)
    result = simulate_copy(exactly, single, CopyParams(Decimal("10000"), dt.date(2024, 2, 29), 0, 0, Decimal("0"), 0.2))
    assert result.stopped_out and result.stopped_on == days[2].date()
    assert list(result.equity) == [10000.0, 9000.0, 8000.0, 8000.0, 8000.0, 8000.0]
    assert result.copier_return == pytest.approx(-0.2)
    assert result.gap.stop_loss > 0   # the leader recovered
    above = exactly.assign(X=[100.0, 90.0, 80.01, 79.99, 120.0, 130.0])
    result = simulate_copy(above, single, CopyParams(Decimal("10000"), dt.date(2024, 2, 29), 0, 0, Decimal("0"), 0.2))
    assert result.stopped_on == days[3].date()            # 8001.00 > 8000 limit; 7999.00 triggers
    assert result.equity.iloc[-1] == 7999.0
    never = exactly.assign(X=[100.0, 90.0, 80.01, 85.0, 120.0, 130.0])
    result = simulate_copy(never, single, CopyParams(Decimal("10000"), dt.date(2024, 2, 29), 0, 0, Decimal("0"), 0.2))
    assert not result.stopped_out and result.stopped_on is None
    # With a 10 bp fee: entry equity 10000 / 1.001, 7992.01 at 80 triggers, and the exit pays 10 bp.
    result = simulate_copy(exactly, single, CopyParams(Decimal("10000"), dt.date(2024, 2, 29), 10, 0, Decimal("0"), 0.2))
    assert result.stopped_on == days[2].date()
    assert result.final_equity == Decimal(str(round(10000 / 1.001 * 0.8 * 0.999, 2)))
    assert result.fees_paid == Decimal("10000.00") - result.final_equity - Decimal(str(round(10000 / 1.001 * 0.2, 2)))


def test_no_look_ahead_in_the_copy_state():
    prices, leader = _prices(7), _leader(7)
    cut = INDEX[150]
    shocked = prices.copy()
    later = shocked.index > cut
    shocked.loc[later] = shocked.loc[later] * np.random.default_rng(2).uniform(0.3, 2.0, (later.sum(), len(CODES)))
    params = CopyParams(Decimal("100000"), START, 12, 2, Decimal("5000"), 0.3)
    a = simulate_copy(prices, leader, params)
    b = simulate_copy(shocked, leader, params)
    c = simulate_copy(prices.loc[:cut], leader, params)
    pd.testing.assert_series_equal(a.equity.loc[:cut], b.equity.loc[:cut])
    pd.testing.assert_series_equal(a.equity.loc[:cut], c.equity)
    before = [s for s in a.skipped_positions if s.session <= cut.date()]
    assert before == [s for s in b.skipped_positions if s.session <= cut.date()] == c.skipped_positions


def test_bad_inputs_are_rejected():
    prices, leader = _prices(), _leader()
    ok = dict(amount=Decimal("1000"), start=START, fee_bps=5, delay_sessions=0, min_position=Decimal("0"), stop_loss=None)
    for field, bad in [("amount", Decimal("-1")), ("amount", 1000.0), ("fee_bps", -1), ("fee_bps", 1.5),
                       ("delay_sessions", -2), ("min_position", Decimal("-5")), ("stop_loss", 1.2),
                       ("stop_loss", 0.0), ("start", INDEX[-1].date()), ("start", dt.date(2023, 1, 1))]:
        with pytest.raises(ValidationError):
            simulate_copy(prices, leader, CopyParams(**{**ok, field: bad}))


def test_copy_params_bounds_are_the_named_constants_and_errors_name_field_and_range():
    ok = dict(amount=Decimal("1000"), start=START, fee_bps=5, delay_sessions=0, min_position=Decimal("0"), stop_loss=None)
    edge = CopyParams(**{**ok, "fee_bps": FEE_BPS_MAX, "delay_sessions": DELAY_SESSIONS_MAX, "stop_loss": STOP_LOSS_MAX})
    assert (edge.fee_bps, edge.delay_sessions, edge.stop_loss) == (500, 20, 0.95)
    for field, bad, words in [("fee_bps", FEE_BPS_MAX + 1, "0–500"), ("fee_bps", True, "0–500"),
                              ("delay_sessions", DELAY_SESSIONS_MAX + 1, "0–20"), ("delay_sessions", 1.0, "0–20"),
                              ("stop_loss", 0.96, "(0, 0.95]"), ("stop_loss", float("nan"), "(0, 0.95]"),
                              ("amount", Decimal("0"), "> 0"), ("amount", Decimal("NaN"), "> 0"),
                              ("min_position", 5, ">= 0"), ("start", "2024-01-01", "date")]:
        with pytest.raises(ValidationError, match=field) as caught:
            CopyParams(**{**ok, field: bad})
        assert words in str(caught.value), (field, bad, str(caught.value))
    # a datetime start is read as its date; the settings are frozen
    at = CopyParams(**{**ok, "start": dt.datetime(2024, 3, 1, 15, 30)})
    assert at.start == dt.date(2024, 3, 1) and type(at.start) is dt.date
    with pytest.raises(AttributeError):
        at.fee_bps = 1  # type: ignore[misc]


def test_stop_loss_sees_the_rebalance_fee_that_crosses_the_limit():
    """Issue 18.4: the stop is checked on the value after the session's trades and fees.

    Entry at 100 with a 10 bp fee leaves 9990.01 in X (99.9001 units); at 80.10 the copy is
    worth 8001.90, above the 8000 limit; that session the leader switches to Y and the
    switch's fees (10 bp on the sale and on the purchase, about 16) take it below 8000,
    so the copy stops on that very session, not on a later one."""
    days = pd.bdate_range("2024-03-01", periods=6)
    versions = [PortfolioVersion(1, pd.Timestamp("2024-02-20T10:00+08:00"), {"X": 10000}),
                PortfolioVersion(2, pd.Timestamp(days[1]).tz_localize("Asia/Shanghai") + pd.Timedelta(hours=10),
                                 {"Y": 10000})]
    prices = pd.DataFrame({"X": [100.0, 90.0, 80.10, 80.10, 80.10, 80.10],
                           "Y": [50.0, 50.0, 50.0, 50.0, 50.0, 50.0]}, index=days)
    params = CopyParams(Decimal("10000"), dt.date(2024, 2, 29), 10, 0, Decimal("0"), 0.2)
    result = simulate_copy(prices, versions, params)
    entry_units = 10000 / 1.001 / 100
    before_switch = entry_units * 80.10
    assert before_switch > 8000                                      # the market alone does not cross it
    assert result.stopped_out and result.stopped_on == days[2].date()
    assert result.equity.iloc[2] < 8000 and result.equity.iloc[2] == result.equity.iloc[-1]
    # Nothing is held after the stop: later sessions keep the cash value to the cent.
    assert list(result.equity.iloc[2:]) == [result.equity.iloc[2]] * 4
