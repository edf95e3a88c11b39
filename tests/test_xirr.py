"""XIRR (core.xirr) against the reference implementations: ``pyxirr.xirr`` on irregular dated
flows (same ACT/365 convention) and ``numpy_financial.irr`` on regular yearly flows (365 days
apart, so the two conventions coincide); no-solution cases are a clear ValidationError."""

from __future__ import annotations

import datetime as dt
import random

import numpy_financial as npf
import pyxirr
import pytest

from socialfund.core.errors import ValidationError
from socialfund.core.xirr import npv, xirr

D = dt.date

KNOWN_SETS = [
    [(D(2020, 1, 1), -1000.0), (D(2020, 6, 1), -500.0), (D(2021, 3, 1), 200.0), (D(2022, 1, 1), 1600.0)],
    [(D(2008, 1, 1), -10000.0), (D(2008, 3, 1), 2750.0), (D(2008, 10, 30), 4250.0), (D(2009, 2, 15), 3250.0),
     (D(2009, 4, 1), 2750.0)],                                   # the spreadsheet documentation's example
    [(D(2023, 1, 3), -5000.0), (D(2023, 2, 1), -5000.0), (D(2023, 12, 29), 9000.0)],   # a loss
    [(D(2024, 2, 29), -100.0), (D(2024, 3, 10), 150.0)],        # a huge annualised gain over 10 days
    [(D(2021, 1, 1), -100.0), (D(2021, 7, 1), 50.0), (D(2022, 1, 1), -20.0), (D(2023, 1, 1), 90.0)],  # mixed signs
]


@pytest.mark.parametrize("flows", KNOWN_SETS)
def test_matches_pyxirr_on_known_sets(flows: list[tuple[dt.date, float]]) -> None:
    ours = xirr(flows)
    ref = pyxirr.xirr([d for d, _ in flows], [a for _, a in flows])
    assert ours == pytest.approx(ref, rel=1e-9, abs=1e-10)
    assert abs(npv(ours, flows)) < 1e-6 * max(abs(a) for _, a in flows)


def test_matches_pyxirr_on_seeded_random_saving_plans() -> None:
    rng = random.Random(13)
    for _ in range(40):
        start = D(2019, 1, 1) + dt.timedelta(days=rng.randrange(400))
        days = sorted({start + dt.timedelta(days=rng.randrange(1, 1500)) for _ in range(rng.randrange(2, 12))})
        flows = [(start, -rng.uniform(100, 5000))] + [(d, -rng.uniform(0, 2000)) for d in days[:-1]]
        invested = -sum(a for _, a in flows)
        flows.append((days[-1], invested * rng.uniform(0.6, 1.8)))
        ref = pyxirr.xirr([d for d, _ in flows], [a for _, a in flows])
        assert xirr(flows) == pytest.approx(ref, rel=1e-7, abs=1e-9)


@pytest.mark.parametrize("amounts", [
    [-1000, 300, 400, 500],
    [-500, -200, 100, 400, 600],
    [-100, 0, 0, 0, 180],
    [-1000, 1100],
    [-1000, 200, 200, 200, 200],          # a loss: negative IRR
])
def test_regular_yearly_flows_match_numpy_financial_irr(amounts: list[float]) -> None:
    flows = [(D(2001, 1, 1) + dt.timedelta(days=365 * i), float(a)) for i, a in enumerate(amounts)]
    assert xirr(flows) == pytest.approx(float(npf.irr(amounts)), rel=1e-9, abs=1e-10)


def test_bracketing_fallback_when_newton_leaves_the_domain() -> None:
    # a 90 % loss in a year: Newton's first step from 10 % lands at -1090 %, below -100 %;
    # the grid scan brackets the root and bisection finds it
    flows = [(D(2021, 1, 1), -1000.0), (D(2022, 1, 1), 100.0)]
    ref = pyxirr.xirr([d for d, _ in flows], [a for _, a in flows])
    assert xirr(flows) == pytest.approx(-0.9, rel=1e-9) and xirr(flows) == pytest.approx(ref, rel=1e-9)


@pytest.mark.parametrize("flows, message", [
    ([(D(2020, 1, 1), 100.0), (D(2021, 1, 1), 50.0)], "every cash flow is positive"),
    ([(D(2020, 1, 1), -100.0), (D(2021, 1, 1), -50.0)], "every cash flow is negative"),
    ([(D(2020, 1, 1), 0.0), (D(2021, 1, 1), 0.0)], "every cash flow is zero"),
    ([(D(2020, 1, 1), -100.0)], "at least two cash flows"),
    ([(D(2020, 1, 1), -100.0), (D(2020, 1, 1), 120.0)], "on the same day"),
    ([(D(2020, 1, 1), -100.0), (D(2021, 1, 1), float("nan"))], "not a finite number"),
])
def test_no_solution_is_a_clear_validation_error(flows: list[tuple[dt.date, float]], message: str) -> None:
    with pytest.raises(ValidationError, match=message):
        xirr(flows)


def test_npv_that_never_crosses_zero_is_refused() -> None:
    # in 100, out 200, in 150 later: NPV(r) = -100 + 200/(1+r) - 150/(1+r)^2 stays below zero for every r > -1
    flows = [(D(2020, 1, 1), -100.0), (D(2021, 1, 1), 200.0), (D(2022, 1, 1), -150.0)]
    with pytest.raises(ValidationError, match="never reaches zero"):
        xirr(flows)
