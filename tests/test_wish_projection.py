"""The wish projection (socialfund.wishes.projection) against closed forms, and the fen
arithmetic of socialfund.wishes.money / plan."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from socialfund.core.errors import ValidationError
from socialfund.market.providers import DemoProvider
from socialfund.core.money_fund import DEMO_MMF_CODE
from socialfund.wishes import money, plan, projection
from socialfund.wishes.projection import project, step_dates, weekday_returns

START = dt.date(2026, 12, 2)   # a Wednesday


def _closed_form_fen(r: float, start: dt.date, target: dt.date, balance: int, dates: list[dt.date],
                     amount: int) -> tuple[list[dt.date], list[Decimal]]:
    """V_t = V_{t-1}(1+r) + deposits landing on step t, exactly in Decimal, per step."""
    steps = [d.date() for d in step_dates(start, projection.horizon_end(start, target))]
    growth = Decimal(1) + Decimal(repr(r))
    value, out = Decimal(balance), []
    pending = sorted(dates)
    for day in steps:
        value = value * growth
        while pending and pending[0] <= day:
            value += amount
            pending.pop(0)
        out.append(value)
    return steps, out


@pytest.mark.parametrize("target_yuan, expected", [(2_000, 1.0), (2_300, 0.0)])
def test_deterministic_returns_give_probability_zero_or_one_and_the_right_date(target_yuan: int,
                                                                               expected: float) -> None:
    r = 0.0001
    target = dt.date(2027, 6, 30)
    dates = plan.deposit_dates(START, target + dt.timedelta(days=400), "week")
    result = project(np.full(300, r), start=START, target_date=target, target_fen=target_yuan * 100,
                     balance_fen=10_000, deposit_dates=dates, amount_fen=7_000, paths=10_000)
    assert result.probability == expected
    steps, values = _closed_form_fen(r, START, target, 10_000, dates, 7_000)
    first = next((d for d, v in zip(steps, values) if v >= target_yuan * 100), None)
    assert result.median_date == first
    if expected == 1.0:
        assert first is not None and first <= target
    else:
        assert first is None or first > target
    at_target = [v for d, v in zip(steps, values) if d <= target][-1]
    assert result.p10 == result.p50 == result.p90 == int(at_target.quantize(Decimal(1)))


def test_constant_yield_fund_matches_compound_interest_to_the_fen() -> None:
    daily = 0.02 / 261          # a 2 % a year money-market fund, credited every weekday
    target = dt.date(2028, 12, 1)
    dates = plan.deposit_dates(START, target + dt.timedelta(days=400), "month")
    result = project(np.full(500, daily), start=START, target_date=target, target_fen=5_000_000,
                     balance_fen=123_456, deposit_dates=dates, amount_fen=50_001)
    steps, values = _closed_form_fen(daily, START, target, 123_456, dates, 50_001)
    at_target = [v for d, v in zip(steps, values) if d <= target][-1]
    assert result.p50 == int(at_target.quantize(Decimal(1)))       # to the fen
    # and the textbook annuity: with no deposits, balance × (1 + r)^n
    lone = project(np.full(500, daily), start=START, target_date=target, target_fen=10**9, balance_fen=1_000_000,
                   deposit_dates=[], amount_fen=0)
    n = int(np.count_nonzero(step_dates(START, target) <= pd.Timestamp(target)))
    assert lone.p50 == int((Decimal(1_000_000) * (Decimal(1) + Decimal(repr(daily))) ** n).quantize(Decimal(1)))


def test_extra_saving_reaches_80_percent_and_one_fen_less_does_not() -> None:
    rs = np.random.default_rng(3)
    history = rs.normal(0.0003, 0.01, 600)
    target = dt.date(2028, 6, 30)
    dates = plan.deposit_dates(START, target + dt.timedelta(days=400), "month")
    kwargs = dict(start=START, target_date=target, target_fen=3_000_000, balance_fen=10_000, deposit_dates=dates)
    base = project(history, amount_fen=50_000, **kwargs)  # type: ignore[arg-type]
    assert base.probability < 0.8
    extra = base.extra_per_period_fen
    assert extra is not None and extra > 0
    more = project(history, amount_fen=50_000 + extra, **kwargs)  # type: ignore[arg-type]
    less = project(history, amount_fen=50_000 + extra - 1, **kwargs)  # type: ignore[arg-type]
    assert more.probability >= 0.8 > less.probability          # the same seed: the same paths


def test_seeded_and_vectorised_shapes() -> None:
    history = np.random.default_rng(1).normal(0.0002, 0.01, 400)
    args = dict(start=START, target_date=dt.date(2027, 12, 1), target_fen=1_000_000, balance_fen=0,
                deposit_dates=plan.deposit_dates(START, dt.date(2029, 1, 1), "week"), amount_fen=10_000)
    a, b = project(history, **args), project(history, **args)  # type: ignore[arg-type]
    assert a == b
    c = project(history, seed=7, **args)  # type: ignore[arg-type]
    assert c.p50 != a.p50
    assert a.paths == 10_000 and a.block_length == 20
    assert len(a.chart_dates) == len(a.chart_p10) == len(a.chart_p50) == len(a.chart_p90) <= projection.CHART_POINTS + 1
    assert all(lo <= mid <= hi for lo, mid, hi in zip(a.chart_p10, a.chart_p50, a.chart_p90))
    assert a.p10 <= a.p50 <= a.p90


def test_projection_refuses_bad_inputs() -> None:
    with pytest.raises(ValidationError, match="at least 10,000 paths"):
        project(np.zeros(100), start=START, target_date=dt.date(2027, 1, 1), target_fen=100, balance_fen=0,
                deposit_dates=[], amount_fen=0, paths=500)
    with pytest.raises(ValidationError, match="days of returns"):
        project(np.zeros(5), start=START, target_date=dt.date(2027, 1, 1), target_fen=100, balance_fen=0,
                deposit_dates=[], amount_fen=0)
    with pytest.raises(ValidationError, match="not after"):
        project(np.zeros(100), start=START, target_date=START, target_fen=100, balance_fen=0, deposit_dates=[],
                amount_fen=0)


def test_weekday_returns_carry_holidays_and_the_demo_money_fund_is_realistic() -> None:
    nav = pd.Series([1.0, 1.01, 1.0201], index=pd.to_datetime(["2026-12-04", "2026-12-08", "2026-12-09"]))
    r = weekday_returns(nav)     # Fri, (Mon carried), Tue, Wed
    assert r == pytest.approx([0.0, 0.01, 0.01])
    series = DemoProvider().closes([DEMO_MMF_CODE]).closes[DEMO_MMF_CODE].dropna()
    daily = weekday_returns(series)
    annual = (1 + daily).prod() ** (261 / len(daily)) - 1
    assert 0.015 <= annual <= 0.025 and (daily >= 0).all()


# --------------------------------------------------------------------------- fen arithmetic

@pytest.mark.parametrize("text, fen", [("5.20", 520), ("13.14", 1314), ("52", 5200), ("¥1,000", 100_000),
                                       ("0.01", 1), ("1.230", 123), ("3000元", 300_000), (5.2, 520)])
def test_parse_yuan_exact(text: object, fen: int) -> None:
    assert money.parse_yuan(text) == fen


@pytest.mark.parametrize("text, message", [("5.201", "more than two decimals"), ("-1", "negative"), ("abc", "not an amount"),
                                           ("", "empty"), ("0", "zero"), ("1e20", "too large"), ("nan", "finite")])
def test_parse_yuan_rejects_with_a_clear_message(text: str, message: str) -> None:
    with pytest.raises(ValidationError, match=message):
        money.parse_yuan(text, "deposit")


@settings(max_examples=300, deadline=None)
@given(st.lists(st.integers(min_value=1, max_value=money.MAX_FEN), min_size=1, max_size=30))
def test_fen_round_trip_and_sums_never_lose_a_fen(amounts: list[int]) -> None:
    texts = [money.yuan_text(a) for a in amounts]
    parsed = [money.parse_yuan(t, max_fen=money.MAX_FEN) for t in texts]
    assert parsed == amounts
    assert money.parse_yuan(money.yuan_text(sum(amounts)), max_fen=10**15) == sum(parsed)


@given(st.integers(min_value=0, max_value=10**12), st.integers(min_value=1, max_value=500))
def test_split_fen_adds_up_exactly(total: int, parts: int) -> None:
    pieces = money.split_fen(total, parts)
    assert sum(pieces) == total and max(pieces) - min(pieces) <= 1


def test_plan_dates_and_planned_principal() -> None:
    assert plan.deposit_dates(dt.date(2027, 1, 31), dt.date(2027, 4, 30), "month") == [
        dt.date(2027, 2, 28), dt.date(2027, 3, 31), dt.date(2027, 4, 30)]
    assert len(plan.deposit_dates(START, START + dt.timedelta(days=21), "week")) == 3
    assert plan.planned_principal(START, "day", 520, 10_000, START + dt.timedelta(days=10)) == 10_000 + 10 * 520
    with pytest.raises(ValidationError, match="frequency"):
        plan.deposit_dates(START, START, "year")
