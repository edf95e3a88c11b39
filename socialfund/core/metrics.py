"""Per-series performance and risk metrics: small pure functions, empyrical-style.

Returns, CAGR, volatility, Sharpe, Sortino, drawdowns, Calmar, weekly returns and the
SRRI class, plus ``summary``. Benchmark-relative figures live in
``socialfund.core.relative_metrics``, PSR/DSR in ``socialfund.core.sharpe_inference``,
the leaderboard's batched figures in ``socialfund.core.panel``; all follow the
conventions below.

Every function takes periodic **simple** returns (``0.01`` = +1 %) as a ``pd.Series``
(one portfolio -> a float) or a ``pd.DataFrame`` (sessions x portfolios -> a
``pd.Series`` per column); 1-D/2-D numpy arrays work too. Unless a docstring says
otherwise:

* ``periods_per_year`` (default 252, trading sessions) annualises; results are
  fractions (0.12 = 12 %), ratios are unitless.
* NaN handling follows empyrical: a NaN return is a missing observation. Means and
  standard deviations skip it; compounding treats it as a 0 % day (the value is
  carried). Leading NaN (before a portfolio existed) is therefore harmless.
  ``annual_volatility``, ``sharpe``, ``sortino`` and ``max_drawdown`` equal
  ``empyrical``'s to floating-point rounding wherever empyrical gives a finite number.
* Undefined results are NaN, never a made-up number: no observations, one
  observation where a dispersion is needed, zero volatility / zero downside for
  ratios (empyrical returns ±inf there), all-NaN columns (empyrical returns 0 for a
  drawdown of nothing).
* Risk-free and required returns are **annual** rates, converted per period by
  compounding: ``rf_p = (1 + rf)^(1 / periods_per_year) − 1``.
"""

from __future__ import annotations

import math
from typing import overload

import numpy as np
import pandas as pd

from socialfund.core._returns import (ReturnsLike, ScalarOrSeries, _check_periods, _constant, _mean_std,
                                      _Returns, _wealth, _week_ends)
from socialfund.core.errors import ValidationError
from socialfund.core.sessions import PERIODS_PER_YEAR, WEEKS_PER_YEAR

MIN_DAYS_FOR_ANNUALISED_RETURN = 365
#: EU SRRI volatility class upper bounds (annualised vol of weekly returns):
#: class 1 < 0.5 %, 2 < 2 %, 3 < 5 %, 4 < 10 %, 5 < 15 %, 6 < 25 %, 7 >= 25 %.
SRRI_BOUNDS = (0.005, 0.02, 0.05, 0.10, 0.15, 0.25)


# --------------------------------------------------------------------------- rates

def risk_free_per_period(annual_rate: float, periods_per_year: float = PERIODS_PER_YEAR) -> float:
    """Annual rate -> per-period rate by compounding: ``(1 + annual)^(1/periods) − 1``.
    E.g. 2 % a year over 252 sessions is 0.00786 % a session."""
    periods = _check_periods(periods_per_year)
    if not math.isfinite(annual_rate) or annual_rate <= -1:
        raise ValidationError(f"annual rate must be a finite number above -100 %, got {annual_rate!r}")
    return (1.0 + annual_rate) ** (1.0 / periods) - 1.0


# --------------------------------------------------------------------------- returns

@overload
def total_return(returns: pd.Series) -> float: ...
@overload
def total_return(returns: pd.DataFrame) -> pd.Series: ...
@overload
def total_return(returns: np.ndarray) -> float | np.ndarray: ...
def total_return(returns: ReturnsLike) -> ScalarOrSeries:
    """Compounded return over the whole series: ``Π(1 + r_t) − 1`` (NaN days count as 0 %).
    Unit: fraction. NaN when there is no observation."""
    r = _Returns(returns)
    if r.values.shape[0] == 0:
        return r.out(np.full(r.values.shape[1], np.nan))
    result = _wealth(r)[-1] - 1.0
    return r.out(np.where(r.count > 0, result, np.nan), "total_return")


def _history_days(r: _Returns) -> np.ndarray:
    """Calendar days each column's returns cover, from the start of its first period to
    its last observation. The start is the index label just before the first
    observation when there is one (e.g. the fill date for returns of a NAV); otherwise it
    is extrapolated back by the average spacing of the observations."""
    days = np.full(r.values.shape[1], np.nan)
    if not isinstance(r.index, pd.DatetimeIndex):
        return days
    stamps = r.index.values.astype("datetime64[s]").astype(np.int64) / 86400.0
    valid = r.valid
    n = valid.shape[0]
    if n == 0:
        return days
    # first and last observation of every column at once (no step per column)
    seen = valid.any(axis=0)
    first = np.argmax(valid, axis=0)
    last = n - 1 - np.argmax(valid[::-1], axis=0)
    with np.errstate(invalid="ignore", divide="ignore"):
        before = stamps[np.maximum(first - 1, 0)]
        spacing = (stamps[last] - stamps[first]) / (last - first)
        start = np.where(first > 0, before, np.where(last > first, stamps[first] - spacing, np.nan))
    days[seen] = (stamps[last] - start)[seen]
    return days


#: Month steps of the calendar-regular series whose periods are whole months (monthly,
#: quarterly, half-yearly, yearly), for which a period is exactly ``step / 12`` years.
MONTH_STEPS = (1, 3, 6, 12)


def _month_step(index: pd.DatetimeIndex) -> int | None:
    """The step in months when ``index`` is calendar-regular by months (every label the
    same number of months after the previous, all on one day of the month or all at a
    month's end), else None. Daily and weekly series are never month-regular."""
    if len(index) < 2:
        return None
    months = index.year.to_numpy() * 12 + index.month.to_numpy()
    steps = np.diff(months)
    if not (steps == steps[0]).all() or int(steps[0]) not in MONTH_STEPS:
        return None
    same_day = (index.day == index.day[0]).all()
    month_ends = (index.day >= index.days_in_month - 3).all()   # business month ends included
    return int(steps[0]) if same_day or month_ends else None


def _history_years(r: _Returns) -> np.ndarray:
    """Years each column's returns cover: calendar days / 365.25 (``_history_days``), except
    on a month-regular index (``_month_step``), where each period is exactly step/12 years,
    so that three yearly returns of 3 % compound to a CAGR of exactly 3 % (a 365-day spacing
    divided by 365.25 would not)."""
    days = _history_days(r)
    years = days / 365.25
    if not isinstance(r.index, pd.DatetimeIndex):
        return years
    step = _month_step(r.index)
    if step is None:
        return years
    for j in range(r.values.shape[1]):
        present = np.flatnonzero(r.valid[:, j])
        if present.size:
            periods = present[-1] - present[0] + 1   # the period before the first return is its start
            years[j] = periods * step / 12.0
    return years


@overload
def cagr(returns: pd.Series, periods_per_year: float = ...) -> float: ...
@overload
def cagr(returns: pd.DataFrame, periods_per_year: float = ...) -> pd.Series: ...
@overload
def cagr(returns: np.ndarray, periods_per_year: float = ...) -> float | np.ndarray: ...
def cagr(returns: ReturnsLike, periods_per_year: float = PERIODS_PER_YEAR) -> ScalarOrSeries:
    """Compound annual growth rate: ``(1 + total_return)^(365.25 / days) − 1`` where
    ``days`` is the calendar span of the history (see ``_history_days``); on a monthly,
    quarterly or yearly index each period counts exactly 1/12, 1/4 or 1 year
    (``_history_years``). Shown only for
    at least 365 calendar days of history, NaN below (annualising a few weeks is
    misleading). Without a DatetimeIndex the span is ``rows / periods_per_year`` years
    and the same one-year minimum applies. Unit: fraction a year."""
    periods = _check_periods(periods_per_year)
    r = _Returns(returns)
    if r.values.shape[0] == 0:
        return r.out(np.full(r.values.shape[1], np.nan))
    growth = _wealth(r)[-1]
    if isinstance(r.index, pd.DatetimeIndex):
        years = _history_years(r)
        long_enough = years * 365.25 >= MIN_DAYS_FOR_ANNUALISED_RETURN
    else:
        rows = np.array([np.ptp(np.flatnonzero(r.valid[:, j])) + 1 if r.count[j] else 0
                         for j in range(r.values.shape[1])], dtype=float)
        years = rows / periods
        long_enough = rows >= periods
    with np.errstate(invalid="ignore", divide="ignore"):
        result = np.where(growth > 0, np.power(np.maximum(growth, 1e-300), 1.0 / years) - 1.0, -1.0)
    return r.out(np.where(long_enough & (r.count > 0), result, np.nan), "cagr")


# --------------------------------------------------------------------------- risk

@overload
def annual_volatility(returns: pd.Series, periods_per_year: float = ...) -> float: ...
@overload
def annual_volatility(returns: pd.DataFrame, periods_per_year: float = ...) -> pd.Series: ...
@overload
def annual_volatility(returns: np.ndarray, periods_per_year: float = ...) -> float | np.ndarray: ...
def annual_volatility(returns: ReturnsLike, periods_per_year: float = PERIODS_PER_YEAR) -> ScalarOrSeries:
    """Annualised volatility: ``std(r, ddof=1) · √periods_per_year`` over non-NaN
    returns. Unit: fraction a year. NaN with fewer than 2 observations."""
    periods = _check_periods(periods_per_year)
    r = _Returns(returns)
    _mean, std, _dev = _mean_std(r.values, r.valid, r.count)
    std = np.where(_constant(r.values, r.valid) & (r.count > 1), 0.0, std)
    return r.out(std * math.sqrt(periods), "volatility")


@overload
def sharpe(returns: pd.Series, risk_free: float = ..., periods_per_year: float = ...) -> float: ...
@overload
def sharpe(returns: pd.DataFrame, risk_free: float = ..., periods_per_year: float = ...) -> pd.Series: ...
@overload
def sharpe(returns: np.ndarray, risk_free: float = ..., periods_per_year: float = ...) -> float | np.ndarray: ...
def sharpe(returns: ReturnsLike, risk_free: float = 0.0, periods_per_year: float = PERIODS_PER_YEAR) -> ScalarOrSeries:
    """Annualised Sharpe ratio: ``mean(r − rf_p) / std(r − rf_p, ddof=1) · √periods``,
    ``rf_p`` the per-period equivalent of the **annual** risk-free rate ``risk_free``.
    Unitless. NaN with fewer than 2 observations or zero volatility."""
    periods = _check_periods(periods_per_year)
    r = _Returns(returns)
    excess = r.values - risk_free_per_period(risk_free, periods)
    mean, std, _dev = _mean_std(excess, r.valid, r.count)
    with np.errstate(invalid="ignore", divide="ignore"):
        ratio = mean / std * math.sqrt(periods)
    ratio = np.where(_constant(excess, r.valid) | ~np.isfinite(ratio), np.nan, ratio)
    return r.out(ratio, "sharpe")


@overload
def sharpe_per_period(returns: pd.Series) -> float: ...
@overload
def sharpe_per_period(returns: pd.DataFrame) -> pd.Series: ...
@overload
def sharpe_per_period(returns: np.ndarray) -> float | np.ndarray: ...
def sharpe_per_period(returns: ReturnsLike) -> ScalarOrSeries:
    """Non-annualised Sharpe ``mean(r) / std(r, ddof=1)`` (no risk-free rate): the
    ``SR̂`` of the probabilistic and deflated Sharpe ratios. NaN below 2 observations or
    at zero volatility."""
    return sharpe(returns, 0.0, 1.0)


@overload
def downside_risk(returns: pd.Series, required_return: float = ..., periods_per_year: float = ...) -> float: ...
@overload
def downside_risk(returns: pd.DataFrame, required_return: float = ..., periods_per_year: float = ...) -> pd.Series: ...
@overload
def downside_risk(returns: np.ndarray, required_return: float = ...,
                  periods_per_year: float = ...) -> float | np.ndarray: ...
def downside_risk(returns: ReturnsLike, required_return: float = 0.0,
                  periods_per_year: float = PERIODS_PER_YEAR) -> ScalarOrSeries:
    """Annualised downside deviation: ``√mean(min(r − mar_p, 0)²) · √periods`` over
    non-NaN returns (mean over all observations, not only the negative ones), ``mar_p``
    per-period equivalent of the annual ``required_return``. Unit: fraction a year."""
    periods = _check_periods(periods_per_year)
    r = _Returns(returns)
    below = np.minimum(np.where(r.valid, r.values - risk_free_per_period(required_return, periods), 0.0), 0.0)
    with np.errstate(invalid="ignore", divide="ignore"):
        result = np.sqrt((below * below).sum(axis=0) / r.count) * math.sqrt(periods)
    return r.out(result, "downside_risk")


@overload
def sortino(returns: pd.Series, required_return: float = ..., periods_per_year: float = ...) -> float: ...
@overload
def sortino(returns: pd.DataFrame, required_return: float = ..., periods_per_year: float = ...) -> pd.Series: ...
@overload
def sortino(returns: np.ndarray, required_return: float = ..., periods_per_year: float = ...) -> float | np.ndarray: ...
def sortino(returns: ReturnsLike, required_return: float = 0.0,
            periods_per_year: float = PERIODS_PER_YEAR) -> ScalarOrSeries:
    """Sortino ratio: ``mean(r − mar_p) · periods / downside_risk`` (empyrical's
    definition), ``mar_p`` per period from the annual ``required_return``. Unitless.
    NaN with fewer than 2 observations or no downside (empyrical: inf)."""
    periods = _check_periods(periods_per_year)
    r = _Returns(returns)
    mar = risk_free_per_period(required_return, periods)
    adjusted = np.where(r.valid, r.values - mar if mar else r.values, 0.0)
    with np.errstate(invalid="ignore", divide="ignore"):
        mean = adjusted.sum(axis=0) / r.count
        below = np.minimum(adjusted, 0.0, out=adjusted)      # the mean is taken: reuse the array
        down = np.sqrt(np.einsum("ij,ij->j", below, below) / r.count) * math.sqrt(periods)
        ratio = mean * periods / down
    ratio = np.where((r.count < 2) | ~np.isfinite(ratio), np.nan, ratio)
    return r.out(ratio, "sortino")


def _drawdowns(r: _Returns) -> np.ndarray:
    """Drawdown after each period: wealth / running peak − 1, the peak starting at the
    initial 1.0 (so a first-day loss is a drawdown)."""
    wealth = _wealth(r)
    peak = np.maximum.accumulate(wealth, axis=0)
    np.maximum(peak, 1.0, out=peak)
    np.divide(wealth, peak, out=wealth)
    wealth -= 1.0
    return wealth


@overload
def max_drawdown(returns: pd.Series) -> float: ...
@overload
def max_drawdown(returns: pd.DataFrame) -> pd.Series: ...
@overload
def max_drawdown(returns: np.ndarray) -> float | np.ndarray: ...
def max_drawdown(returns: ReturnsLike) -> ScalarOrSeries:
    """Maximum drawdown: ``min_t (W_t / max_{s≤t} W_s − 1)`` with ``W`` the compounded
    wealth starting at 1 (NaN days as 0 %). Unit: fraction, ≤ 0 (−0.25 = a 25 % fall
    from peak). NaN when there is no observation."""
    r = _Returns(returns)
    if r.values.shape[0] == 0:
        return r.out(np.full(r.values.shape[1], np.nan))
    result = _drawdowns(r).min(axis=0)
    return r.out(np.where(r.count > 0, result, np.nan), "max_drawdown")


@overload
def max_drawdown_duration(returns: pd.Series) -> float: ...
@overload
def max_drawdown_duration(returns: pd.DataFrame) -> pd.Series: ...
@overload
def max_drawdown_duration(returns: np.ndarray) -> float | np.ndarray: ...
def max_drawdown_duration(returns: ReturnsLike) -> ScalarOrSeries:
    """Longest time under water, in sessions (rows): the longest run of consecutive
    periods whose wealth is below its previous peak, counted up to recovery or to the
    end of the series if not recovered. 0 when never under water; NaN without data."""
    r = _Returns(returns)
    if r.values.shape[0] == 0:
        return r.out(np.full(r.values.shape[1], np.nan))
    under = _drawdowns(r) < 0
    run = np.cumsum(under, axis=0)
    # Subtract the running count at the last above-water period: length of current run.
    reset = np.maximum.accumulate(np.where(under, 0, run), axis=0)
    longest: np.ndarray = (run - reset).max(axis=0).astype(float)
    return r.out(np.where(r.count > 0, longest, np.nan), "max_drawdown_duration")


@overload
def calmar(returns: pd.Series, periods_per_year: float = ...) -> float: ...
@overload
def calmar(returns: pd.DataFrame, periods_per_year: float = ...) -> pd.Series: ...
@overload
def calmar(returns: np.ndarray, periods_per_year: float = ...) -> float | np.ndarray: ...
def calmar(returns: ReturnsLike, periods_per_year: float = PERIODS_PER_YEAR) -> ScalarOrSeries:
    """Calmar ratio: ``cagr / |max_drawdown|``. Unitless. NaN when the CAGR is not shown
    (under 365 days) or there was no drawdown."""
    growth = np.asarray(cagr(returns, periods_per_year), dtype=float)
    dd = np.asarray(max_drawdown(returns), dtype=float)
    with np.errstate(invalid="ignore", divide="ignore"):
        ratio = np.where(dd < 0, growth / np.abs(dd), np.nan)
    r = _Returns(returns)
    return r.out(np.atleast_1d(ratio), "calmar")


# --------------------------------------------------------------------------- weekly

@overload
def weekly_returns(returns: pd.Series) -> pd.Series: ...
@overload
def weekly_returns(returns: pd.DataFrame) -> pd.DataFrame: ...
def weekly_returns(returns: pd.Series | pd.DataFrame) -> pd.Series | pd.DataFrame:
    """Compounded Monday–Sunday weekly returns, labelled by each week's last session.
    A week without any observation is NaN."""
    r = _Returns(returns)
    ends = _week_ends(r.index)
    wealth = _wealth(r)[ends]
    previous = np.vstack([np.ones((1, wealth.shape[1])), wealth[:-1]])
    seen = np.cumsum(r.valid, axis=0)[ends]
    counts = np.diff(np.vstack([np.zeros((1, seen.shape[1])), seen]), axis=0)
    weekly = np.where(counts > 0, wealth / previous - 1.0, np.nan)
    assert r.index is not None  # _week_ends raised ValidationError otherwise
    labels = r.index[ends]
    if r.one:
        return pd.Series(weekly[:, 0], index=labels, name="weekly_return")
    return pd.DataFrame(weekly, index=labels, columns=r.columns)


@overload
def pct_positive_weeks(returns: pd.Series) -> float: ...
@overload
def pct_positive_weeks(returns: pd.DataFrame) -> pd.Series: ...
def pct_positive_weeks(returns: pd.Series | pd.DataFrame) -> ScalarOrSeries:
    """Share of weeks (Monday–Sunday, compounded) with a return above 0, among weeks
    with at least one observation. Unit: fraction. NaN without any week."""
    weekly = _Returns(weekly_returns(returns))
    with np.errstate(invalid="ignore", divide="ignore"):
        share = (weekly.valid & (np.nan_to_num(weekly.values) > 0)).sum(axis=0) / weekly.count
    r = _Returns(returns)
    return r.out(share, "pct_positive_weeks")


def srri_class_from_volatility(volatility: float | np.ndarray | pd.Series) -> int | float | np.ndarray:
    """EU SRRI class 1–7 from an annualised volatility (fraction): < 0.5 % → 1,
    0.5–2 % → 2, 2–5 % → 3, 5–10 % → 4, 10–15 % → 5, 15–25 % → 6, ≥ 25 % → 7 (each
    lower bound inclusive). NaN stays NaN."""
    vol = np.asarray(volatility, dtype=float)
    classes = np.searchsorted(np.array(SRRI_BOUNDS), vol, side="right") + 1.0
    classes = np.where(np.isnan(vol), np.nan, classes)
    if classes.ndim == 0:
        value = float(classes)
        return value if math.isnan(value) else int(value)
    return classes


@overload
def srri_class(returns: pd.Series) -> int | float: ...
@overload
def srri_class(returns: pd.DataFrame) -> pd.Series: ...
def srri_class(returns: pd.Series | pd.DataFrame) -> int | float | pd.Series | np.ndarray:
    """SRRI risk class 1–7 from the annualised volatility of weekly returns,
    ``std(weekly, ddof=1) · √52`` (the EU rule uses 5 years of weekly returns; we use the
    history given and say so where shown). An int for a Series (NaN below 2 weeks); a
    float Series of classes for a DataFrame."""
    r = _Returns(returns)
    vol = annual_volatility(weekly_returns(returns), WEEKS_PER_YEAR)
    classes = srri_class_from_volatility(vol if r.one else np.asarray(vol, dtype=float))
    return classes if r.one else r.out(np.atleast_1d(classes), "risk_class")


# --------------------------------------------------------------------------- summary

def summary(returns: pd.Series, risk_free: float = 0.0,
            periods_per_year: float = PERIODS_PER_YEAR) -> dict[str, float]:
    """The headline figures of one return series, NaN where undefined: total_return,
    cagr (NaN under 365 days), volatility, sharpe (annual ``risk_free``), sortino,
    max_drawdown, calmar."""
    return {
        "total_return": total_return(returns),
        "cagr": cagr(returns, periods_per_year),
        "volatility": annual_volatility(returns, periods_per_year),
        "sharpe": sharpe(returns, risk_free, periods_per_year),
        "sortino": sortino(returns, 0.0, periods_per_year),
        "max_drawdown": max_drawdown(returns),
        "calmar": calmar(returns, periods_per_year),
    }
