"""Money-weighted return: XIRR, the annual rate that makes dated cash flows worth nothing today.

Convention (the one spreadsheets and ``pyxirr`` use): day count ACT/365 — a flow on day
``d_i`` is discounted over ``t_i = (d_i - d_0) / 365`` years from the first flow's day
``d_0`` — and the rate ``r`` is the annually compounded one solving

    NPV(r) = Σ_i CF_i / (1 + r) ** t_i = 0,        r > -1.

Signs are the investor's: money put in is negative, money taken out (and the value still
held, as a final flow on the valuation day) positive. The result is a fraction per year
(0.05 = 5 % a year).

Solver: Newton's method from 10 % (quadratic convergence on ordinary flows); when it leaves
``(-1, ∞)``, stalls or fails to converge, a bracketing fallback scans ``r`` on a grid for a
sign change of NPV and bisects it (always converges once bracketed). No solution — every
flow of one sign, all zero, or an NPV that never changes sign — is a ``ValidationError``
saying why, never a NaN or a made-up rate.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from datetime import date

from socialfund.core.errors import ValidationError

#: Days in a year for the ACT/365 day count.
DAYS_PER_YEAR = 365.0
#: Convergence: |NPV| relative to the largest flow, and the step in the rate.
_TOL = 1e-12
_MAX_NEWTON = 100
#: The fallback scans rates in (-1, 1e6] (the grid below) for a sign change.
_GRID = (-0.999999, -0.99, -0.95, -0.9, -0.8, -0.7, -0.6, -0.5, -0.4, -0.3, -0.2, -0.1, -0.05, 0.0, 0.05, 0.1, 0.2,
         0.3, 0.5, 0.75, 1.0, 1.5, 2.0, 3.0, 5.0, 10.0, 20.0, 50.0, 100.0, 1e3, 1e4, 1e5, 1e6)


def _years(flows: Sequence[tuple[date, float]]) -> tuple[list[float], list[float]]:
    d0 = min(d for d, _ in flows)
    return [(d - d0).days / DAYS_PER_YEAR for d, _ in flows], [float(a) for _, a in flows]


def npv(rate: float, flows: Sequence[tuple[date, float]]) -> float:
    """NPV at ``rate`` (ACT/365 from the first flow's day) of (day, amount) flows."""
    times, amounts = _years(flows)
    return sum(a / (1.0 + rate) ** t for t, a in zip(times, amounts))


def check_flows(flows: Sequence[tuple[date, float]]) -> None:
    """``ValidationError`` when no rate can solve the flows (see the module docstring)."""
    if len(flows) < 2:
        raise ValidationError("XIRR needs at least two cash flows (money in, and money out or the value now)")
    amounts = [float(a) for _, a in flows]
    if not all(math.isfinite(a) for a in amounts):
        raise ValidationError("XIRR: a cash flow is not a finite number")
    if not any(a < 0 for a in amounts) or not any(a > 0 for a in amounts):
        sign = "positive" if any(a > 0 for a in amounts) else "negative" if any(a < 0 for a in amounts) else "zero"
        raise ValidationError(f"XIRR has no solution: every cash flow is {sign}; it needs money in (negative) "
                              "and money out or the value held (positive)")
    if len({d for d, _ in flows}) < 2:
        raise ValidationError("XIRR has no solution: every cash flow is on the same day (no time passes)")


def xirr(flows: Sequence[tuple[date, float]], guess: float = 0.1) -> float:
    """The annual money-weighted return of ``flows`` (day, amount; investor's signs), ACT/365.

    Newton's method with a bracketing (grid scan + bisection) fallback; ``ValidationError``
    when there is no solution (module docstring)."""
    check_flows(flows)
    times, amounts = _years(flows)
    scale = max(abs(a) for a in amounts)

    def f(r: float) -> float:
        return sum(a / (1.0 + r) ** t for t, a in zip(times, amounts)) / scale

    def df(r: float) -> float:
        return sum(-t * a / (1.0 + r) ** (t + 1.0) for t, a in zip(times, amounts)) / scale

    rate = guess
    try:
        for _ in range(_MAX_NEWTON):
            value, slope = f(rate), df(rate)
            if abs(value) < _TOL:
                return rate
            if slope == 0 or not math.isfinite(slope):
                break
            step = value / slope
            nxt = rate - step
            if not math.isfinite(nxt) or nxt <= -1.0:
                break
            if abs(step) < _TOL * max(1.0, abs(rate)):
                return nxt
            rate = nxt
    except (OverflowError, ZeroDivisionError):
        pass
    return _bracketed(f)


def _safe(f: Callable[[float], float], r: float) -> float | None:
    try:
        value = f(r)
    except (OverflowError, ZeroDivisionError):
        return None
    return float(value) if math.isfinite(value) else None


def _bracketed(f: Callable[[float], float]) -> float:
    points = [(r, _safe(f, r)) for r in _GRID]
    known = [(r, v) for r, v in points if v is not None]
    for (lo, f_lo), (hi, f_hi) in zip(known, known[1:]):
        if f_lo == 0:
            return lo
        if (f_lo < 0) != (f_hi < 0):
            for _ in range(200):
                mid = (lo + hi) / 2
                f_mid = _safe(f, mid)
                if f_mid is None:
                    break
                if f_mid == 0 or hi - lo < _TOL * max(1.0, abs(mid)):
                    return mid
                if (f_mid < 0) == (f_lo < 0):
                    lo, f_lo = mid, f_mid
                else:
                    hi = mid
            return (lo + hi) / 2
    raise ValidationError("XIRR has no solution: the net present value of these cash flows never reaches zero "
                          "for any annual rate above -100%")
