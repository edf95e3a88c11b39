"""Performance and risk metrics: small pure functions, empyrical-style.

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
from collections.abc import Sequence
from typing import overload

import numpy as np
import pandas as pd
from scipy.special import ndtr, ndtri

from socialfund.core.errors import ValidationError
from socialfund.core.sessions import PERIODS_PER_YEAR, WEEKS_PER_YEAR

EULER_GAMMA = 0.5772156649015329
MIN_DAYS_FOR_ANNUALISED_RETURN = 365
#: EU SRRI volatility class upper bounds (annualised vol of weekly returns):
#: class 1 < 0.5 %, 2 < 2 %, 3 < 5 %, 4 < 10 %, 5 < 15 %, 6 < 25 %, 7 >= 25 %.
SRRI_BOUNDS = (0.005, 0.02, 0.05, 0.10, 0.15, 0.25)

ReturnsLike = pd.Series | pd.DataFrame | np.ndarray
#: One figure per column, in the caller's shape: a float for a Series (or a 1-D array),
#: a Series per column for a DataFrame, a 1-D array for a 2-D array. The ``@overload``s of
#: each metric say which one a given input gets.
ScalarOrSeries = float | pd.Series | np.ndarray


# --------------------------------------------------------------------------- plumbing

class _Returns:
    """A returns input as a 2-D float array plus what is needed to give results back
    in the caller's shape (float for a Series / 1-D input, Series per column otherwise)."""

    values: np.ndarray
    index: pd.Index | None
    columns: pd.Index | None
    one: bool

    def __init__(self, returns: ReturnsLike) -> None:
        if isinstance(returns, pd.DataFrame):
            self.values = returns.to_numpy(dtype=float)
            self.index, self.columns, self.one = returns.index, returns.columns, False
        elif isinstance(returns, pd.Series):
            self.values = returns.to_numpy(dtype=float).reshape(-1, 1)
            self.index, self.columns, self.one = returns.index, None, True
        elif isinstance(returns, np.ndarray) and returns.ndim in (1, 2):
            self.one = returns.ndim == 1
            self.values = np.asarray(returns, dtype=float).reshape(len(returns), -1)
            self.index, self.columns = None, None
        else:
            raise ValidationError(
                f"returns must be a pandas Series/DataFrame or a 1-D/2-D array, got {type(returns).__name__}")
        if np.isinf(self.values).any():
            raise ValidationError("returns contain infinite values")
        self.valid = ~np.isnan(self.values)
        self.count = self.valid.sum(axis=0)

    def out(self, result: np.ndarray, name: str | None = None) -> ScalarOrSeries:
        result = np.asarray(result, dtype=float)
        if self.one:
            return float(result[0])
        return pd.Series(result, index=self.columns, name=name) if self.columns is not None else result


def _check_periods(periods_per_year: float) -> float:
    if isinstance(periods_per_year, bool) or not isinstance(periods_per_year, (int, float)) \
            or not math.isfinite(periods_per_year) or periods_per_year <= 0:
        raise ValidationError(f"periods per year must be a positive number, got {periods_per_year!r}")
    return float(periods_per_year)


def risk_free_per_period(annual_rate: float, periods_per_year: float = PERIODS_PER_YEAR) -> float:
    """Annual rate -> per-period rate by compounding: ``(1 + annual)^(1/periods) − 1``.
    E.g. 2 % a year over 252 sessions is 0.00786 % a session."""
    periods = _check_periods(periods_per_year)
    if not math.isfinite(annual_rate) or annual_rate <= -1:
        raise ValidationError(f"annual rate must be a finite number above -100 %, got {annual_rate!r}")
    return (1.0 + annual_rate) ** (1.0 / periods) - 1.0


def _mean_std(x: np.ndarray, valid: np.ndarray, count: np.ndarray,
              ddof: int = 1) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Column mean and standard deviation over non-NaN entries (NaN when too few)."""
    with np.errstate(invalid="ignore", divide="ignore"):
        zeroed = np.where(valid, x, 0.0)
        mean = zeroed.sum(axis=0) / count
        dev = np.where(valid, x - mean, 0.0)
        var = (dev * dev).sum(axis=0) / (count - ddof)
        var = np.where(count > ddof, var, np.nan)
    return mean, np.sqrt(var), dev


def _constant(x: np.ndarray, valid: np.ndarray) -> np.ndarray:
    """True for columns whose present values are all equal (their deviation is 0, and the
    floating-point residue of the mean must not turn a ratio into ~1e15)."""
    high = np.where(valid, x, -np.inf).max(axis=0, initial=-np.inf)
    low = np.where(valid, x, np.inf).min(axis=0, initial=np.inf)
    return high == low


def _wealth(r: _Returns) -> np.ndarray:
    """Growth of 1 after each period, NaN returns compounding as 0 %."""
    return np.cumprod(1.0 + np.where(r.valid, r.values, 0.0), axis=0)


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
    for j in range(r.values.shape[1]):
        present = np.flatnonzero(r.valid[:, j])
        if present.size == 0:
            continue
        first, last = present[0], present[-1]
        if first > 0:
            start = stamps[first - 1]
        elif last > first:
            start = stamps[first] - (stamps[last] - stamps[first]) / (last - first)
        else:
            continue
        days[j] = stamps[last] - start
    return days


@overload
def cagr(returns: pd.Series, periods_per_year: float = ...) -> float: ...
@overload
def cagr(returns: pd.DataFrame, periods_per_year: float = ...) -> pd.Series: ...
@overload
def cagr(returns: np.ndarray, periods_per_year: float = ...) -> float | np.ndarray: ...
def cagr(returns: ReturnsLike, periods_per_year: float = PERIODS_PER_YEAR) -> ScalarOrSeries:
    """Compound annual growth rate: ``(1 + total_return)^(365.25 / days) − 1`` where
    ``days`` is the calendar span of the history (see ``_history_days``). Shown only for
    at least 365 calendar days of history, NaN below (annualising a few weeks is
    misleading). Without a DatetimeIndex the span is ``rows / periods_per_year`` years
    and the same one-year minimum applies. Unit: fraction a year."""
    periods = _check_periods(periods_per_year)
    r = _Returns(returns)
    if r.values.shape[0] == 0:
        return r.out(np.full(r.values.shape[1], np.nan))
    growth = _wealth(r)[-1]
    if isinstance(r.index, pd.DatetimeIndex):
        days = _history_days(r)
        years = days / 365.25
        long_enough = days >= MIN_DAYS_FOR_ANNUALISED_RETURN
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
    adjusted = np.where(r.valid, r.values - mar, 0.0)
    below = np.minimum(adjusted, 0.0)
    with np.errstate(invalid="ignore", divide="ignore"):
        mean = adjusted.sum(axis=0) / r.count
        down = np.sqrt((below * below).sum(axis=0) / r.count) * math.sqrt(periods)
        ratio = mean * periods / down
    ratio = np.where((r.count < 2) | ~np.isfinite(ratio), np.nan, ratio)
    return r.out(ratio, "sortino")


def _drawdowns(r: _Returns) -> np.ndarray:
    """Drawdown after each period: wealth / running peak − 1, the peak starting at the
    initial 1.0 (so a first-day loss is a drawdown)."""
    wealth = _wealth(r)
    peak = np.maximum(np.maximum.accumulate(wealth, axis=0), 1.0)
    return wealth / peak - 1.0


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


# --------------------------------------------------------------------------- vs benchmark

def _paired(returns: ReturnsLike,
            benchmark: pd.Series | np.ndarray) -> tuple[_Returns, np.ndarray, np.ndarray, np.ndarray]:
    r = _Returns(returns)
    if isinstance(benchmark, pd.Series) and r.index is not None:
        b = benchmark.reindex(r.index).to_numpy(dtype=float)
    else:
        b = np.asarray(benchmark, dtype=float).reshape(-1)
        if len(b) != r.values.shape[0]:
            raise ValidationError(f"benchmark has {len(b)} returns, portfolio has {r.values.shape[0]}")
    b2 = np.broadcast_to(b[:, None], r.values.shape)
    valid = r.valid & ~np.isnan(b2)
    return r, b2, valid, valid.sum(axis=0)


@overload
def beta(returns: pd.Series, benchmark: pd.Series | np.ndarray) -> float: ...
@overload
def beta(returns: pd.DataFrame, benchmark: pd.Series | np.ndarray) -> pd.Series: ...
@overload
def beta(returns: np.ndarray, benchmark: pd.Series | np.ndarray) -> float | np.ndarray: ...
def beta(returns: ReturnsLike, benchmark: pd.Series | np.ndarray) -> ScalarOrSeries:
    """Beta to a benchmark: ``cov(r, b) / var(b)`` over sessions where both are present
    (a Series benchmark is aligned on the index). Unitless. NaN below 2 pairs or for a
    constant benchmark."""
    r, b, valid, n = _paired(returns, benchmark)
    with np.errstate(invalid="ignore", divide="ignore"):
        mr = np.where(valid, r.values, 0.0).sum(axis=0) / n
        mb = np.where(valid, b, 0.0).sum(axis=0) / n
        dr = np.where(valid, r.values - mr, 0.0)
        db = np.where(valid, b - mb, 0.0)
        var_b = (db * db).sum(axis=0)
        result = (dr * db).sum(axis=0) / var_b
    result = np.where((n >= 2) & (var_b > 0), result, np.nan)
    return r.out(result, "beta")


@overload
def alpha(returns: pd.Series, benchmark: pd.Series | np.ndarray, risk_free: float = ...,
          periods_per_year: float = ...) -> float: ...
@overload
def alpha(returns: pd.DataFrame, benchmark: pd.Series | np.ndarray, risk_free: float = ...,
          periods_per_year: float = ...) -> pd.Series: ...
@overload
def alpha(returns: np.ndarray, benchmark: pd.Series | np.ndarray, risk_free: float = ...,
          periods_per_year: float = ...) -> float | np.ndarray: ...
def alpha(returns: ReturnsLike, benchmark: pd.Series | np.ndarray, risk_free: float = 0.0,
          periods_per_year: float = PERIODS_PER_YEAR) -> ScalarOrSeries:
    """Annualised Jensen alpha (empyrical's convention):
    ``(1 + mean((r − rf_p) − β·(b − rf_p)))^periods − 1`` over paired sessions, ``rf_p``
    from the annual ``risk_free``. Unit: fraction a year."""
    periods = _check_periods(periods_per_year)
    rf = risk_free_per_period(risk_free, periods)
    r, b, valid, n = _paired(returns, benchmark)
    slope = np.atleast_1d(np.asarray(beta(returns, benchmark), dtype=float))
    with np.errstate(invalid="ignore", divide="ignore"):
        residual = np.where(valid, (r.values - rf) - slope * (b - rf), 0.0).sum(axis=0) / n
        result = np.power(1.0 + residual, periods) - 1.0
    return r.out(np.where(np.isfinite(slope), result, np.nan), "alpha")


@overload
def tracking_error(returns: pd.Series, benchmark: pd.Series | np.ndarray, periods_per_year: float = ...) -> float: ...
@overload
def tracking_error(returns: pd.DataFrame, benchmark: pd.Series | np.ndarray,
                   periods_per_year: float = ...) -> pd.Series: ...
@overload
def tracking_error(returns: np.ndarray, benchmark: pd.Series | np.ndarray,
                   periods_per_year: float = ...) -> float | np.ndarray: ...
def tracking_error(returns: ReturnsLike, benchmark: pd.Series | np.ndarray,
                   periods_per_year: float = PERIODS_PER_YEAR) -> ScalarOrSeries:
    """Annualised tracking error: ``std(r − b, ddof=1) · √periods`` over paired sessions.
    Unit: fraction a year."""
    periods = _check_periods(periods_per_year)
    r, b, valid, n = _paired(returns, benchmark)
    _m, std, _d = _mean_std(r.values - b, valid, n)
    return r.out(std * math.sqrt(periods), "tracking_error")


@overload
def information_ratio(returns: pd.Series, benchmark: pd.Series | np.ndarray,
                      periods_per_year: float = ...) -> float: ...
@overload
def information_ratio(returns: pd.DataFrame, benchmark: pd.Series | np.ndarray,
                      periods_per_year: float = ...) -> pd.Series: ...
@overload
def information_ratio(returns: np.ndarray, benchmark: pd.Series | np.ndarray,
                      periods_per_year: float = ...) -> float | np.ndarray: ...
def information_ratio(returns: ReturnsLike, benchmark: pd.Series | np.ndarray,
                      periods_per_year: float = PERIODS_PER_YEAR) -> ScalarOrSeries:
    """Information ratio: ``mean(r − b) / std(r − b, ddof=1) · √periods``. Unitless.
    NaN for zero tracking error."""
    periods = _check_periods(periods_per_year)
    r, b, valid, n = _paired(returns, benchmark)
    active = r.values - b
    mean, std, _d = _mean_std(active, valid, n)
    with np.errstate(invalid="ignore", divide="ignore"):
        ratio = mean / std * math.sqrt(periods)
    ratio = np.where(~np.isfinite(ratio) | (std == 0), np.nan, ratio)
    return r.out(ratio, "information_ratio")


# --------------------------------------------------------------------------- weekly

def _week_ends(index: pd.Index | None) -> np.ndarray:
    """Row position of the last session of each calendar week (Monday–Sunday, so a
    weekend make-up session belongs to its own week)."""
    if not isinstance(index, pd.DatetimeIndex):
        raise ValidationError("weekly metrics need returns indexed by session dates (DatetimeIndex)")
    if len(index) == 0:
        return np.zeros(0, dtype=np.intp)
    days = index.values.astype("datetime64[D]").astype(np.int64)
    weeks = (days + 3) // 7   # 1970-01-01 was a Thursday: +3 puts week starts on Mondays
    change = np.flatnonzero(np.diff(weeks) != 0)
    return np.append(change, len(index) - 1)


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


# --------------------------------------------------------------------------- luck vs skill

def _moments(r: _Returns) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Per column: n, per-period Sharpe (ddof=1 std), skewness γ₃ and kurtosis γ₄ (NOT
    excess; population moments m₃/m₂^1.5 and m₄/m₂², as scipy's defaults)."""
    mean, std, dev = _mean_std(r.values, r.valid, r.count)
    with np.errstate(invalid="ignore", divide="ignore"):
        sq = dev * dev
        m2 = sq.sum(axis=0) / r.count
        m3 = (sq * dev).sum(axis=0) / r.count
        m4 = (sq * sq).sum(axis=0) / r.count
        skew = m3 / m2 ** 1.5
        kurt = m4 / (m2 * m2)
        sr = mean / std
    degenerate = _constant(r.values, r.valid) | (r.count < 3)
    sr = np.where(degenerate, np.nan, sr)
    return r.count, sr, skew, kurt


def _psr(n: np.ndarray, sr: np.ndarray, skew: np.ndarray, kurt: np.ndarray, benchmark: float) -> np.ndarray:
    with np.errstate(invalid="ignore", divide="ignore"):
        spread = 1.0 - skew * sr + (kurt - 1.0) / 4.0 * sr * sr
        z = (sr - benchmark) * np.sqrt(n - 1.0) / np.sqrt(spread)
        result = ndtr(z)
    return np.where(np.isfinite(z) & (spread > 0), result, np.nan)


@overload
def probabilistic_sharpe_ratio(returns: pd.Series, benchmark_sharpe: float = ...) -> float: ...
@overload
def probabilistic_sharpe_ratio(returns: pd.DataFrame, benchmark_sharpe: float = ...) -> pd.Series: ...
@overload
def probabilistic_sharpe_ratio(returns: np.ndarray, benchmark_sharpe: float = ...) -> float | np.ndarray: ...
def probabilistic_sharpe_ratio(returns: ReturnsLike, benchmark_sharpe: float = 0.0) -> ScalarOrSeries:
    """Probabilistic Sharpe ratio (Bailey & López de Prado 2012): the probability that
    the true Sharpe exceeds ``benchmark_sharpe`` given the track record,

    ``PSR = Φ( (SR̂ − SR*) · √(n − 1) / √(1 − γ₃·SR̂ + (γ₄ − 1)/4 · SR̂²) )``

    with SR̂ the **per-period** (non-annualised) Sharpe, ``benchmark_sharpe`` per period
    too, n observations, γ₃ skewness and γ₄ kurtosis (not excess). Unit: probability in
    [0, 1]. NaN below 3 observations or at zero volatility."""
    r = _Returns(returns)
    n, sr, skew, kurt = _moments(r)
    return r.out(_psr(n, sr, skew, kurt, float(benchmark_sharpe)), "psr")


def expected_max_sharpe(n_trials: int, sharpe_variance: float) -> float:
    """The Sharpe the best of ``n_trials`` skill-less strategies reaches by luck
    (Bailey & López de Prado's approximation of E[max SR̂]):

    ``√V · ((1 − γ)·Φ⁻¹(1 − 1/N) + γ·Φ⁻¹(1 − 1/(N·e)))``, γ ≈ 0.5772 (Euler–Mascheroni),

    in the units of the Sharpe ratios whose variance ``V`` is given (per period for the
    DSR). One trial involves no selection: 0."""
    if isinstance(n_trials, bool) or int(n_trials) != n_trials or n_trials < 1:
        raise ValidationError(f"number of trials must be a whole number >= 1, got {n_trials!r}")
    if not math.isfinite(sharpe_variance) or sharpe_variance < 0:
        raise ValidationError(f"variance of Sharpe ratios must be finite and >= 0, got {sharpe_variance!r}")
    n = int(n_trials)
    if n == 1:
        return 0.0
    return math.sqrt(sharpe_variance) * ((1.0 - EULER_GAMMA) * float(ndtri(1.0 - 1.0 / n))
                                         + EULER_GAMMA * float(ndtri(1.0 - 1.0 / (n * math.e))))


def sharpe_variance_across(sharpes: Sequence[float] | np.ndarray | pd.Series) -> float:
    """Sample variance (ddof=1) of the finite per-period Sharpe ratios of a screened set;
    NaN with fewer than 2."""
    values = np.asarray(sharpes, dtype=float)
    values = values[np.isfinite(values)]
    return float(np.var(values, ddof=1)) if values.size >= 2 else float("nan")


@overload
def deflated_sharpe_ratio(returns: pd.Series, n_trials: int | None = ...,
                          sharpe_variance: float | None = ...) -> float: ...
@overload
def deflated_sharpe_ratio(returns: pd.DataFrame, n_trials: int | None = ...,
                          sharpe_variance: float | None = ...) -> pd.Series: ...
@overload
def deflated_sharpe_ratio(returns: np.ndarray, n_trials: int | None = ...,
                          sharpe_variance: float | None = ...) -> float | np.ndarray: ...
def deflated_sharpe_ratio(returns: ReturnsLike, n_trials: int | None = None,
                          sharpe_variance: float | None = None) -> ScalarOrSeries:
    """Deflated Sharpe ratio (Bailey & López de Prado 2014): PSR against the Sharpe the
    best of N screened portfolios would reach by luck,

    ``DSR = PSR(SR* = expected_max_sharpe(N, V))``,

    N the number of portfolios screened and V the variance of their per-period Sharpe
    ratios. For a DataFrame both default to the columns themselves (N = columns with a
    defined Sharpe, V = variance of those Sharpes); for a Series they are required.
    Unit: probability in [0, 1]."""
    r = _Returns(returns)
    n, sr, skew, kurt = _moments(r)
    if n_trials is None or sharpe_variance is None:
        if r.one:
            raise ValidationError("deflated Sharpe of one series needs n_trials and sharpe_variance")
        n_trials = int(np.isfinite(sr).sum()) if n_trials is None else n_trials
        sharpe_variance = sharpe_variance_across(sr) if sharpe_variance is None else sharpe_variance
    if n_trials < 1 or sharpe_variance is None or not math.isfinite(sharpe_variance):
        return r.out(np.full(sr.shape, np.nan), "dsr")
    hurdle = expected_max_sharpe(n_trials, sharpe_variance)
    return r.out(_psr(n, sr, skew, kurt, hurdle), "dsr")


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


def sharpe_moments(returns: ReturnsLike) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """The ingredients of PSR/DSR per column, computed once: ``(n, SR̂ per period,
    skewness γ₃, kurtosis γ₄ not excess)`` as arrays (NaN SR̂ below 3 observations or at
    zero volatility). Lets a caller screen many portfolios, then deflate them all
    against one hurdle with ``psr_from_moments``."""
    n, sr, skew, kurt = _moments(_Returns(returns))
    return n, sr, skew, kurt


def psr_from_moments(n: np.ndarray | pd.Series, sr: np.ndarray | pd.Series, skew: np.ndarray | pd.Series,
                     kurt: np.ndarray | pd.Series, benchmark_sharpe: float) -> np.ndarray:
    """PSR from ``sharpe_moments`` output (formula in ``probabilistic_sharpe_ratio``)."""
    return _psr(np.asarray(n, dtype=float), np.asarray(sr, dtype=float), np.asarray(skew, dtype=float),
                np.asarray(kurt, dtype=float), float(benchmark_sharpe))


def panel_metrics(returns: pd.DataFrame, risk_free: float = 0.0,
                  periods_per_year: float = PERIODS_PER_YEAR) -> dict[str, np.ndarray]:
    """The leaderboard's figures for many portfolios in one pass over the data (same
    formulas as the single functions above, sharing the intermediate arrays): arrays per
    column for ``n`` (observations), ``sr`` (per-period Sharpe), ``skew``, ``kurt``
    (not excess), ``sharpe`` (annualised, annual ``risk_free``), ``volatility``,
    ``total_return``, ``max_drawdown`` and ``risk_class`` (SRRI, float with NaN)."""
    periods = _check_periods(periods_per_year)
    r = _Returns(returns)
    mean, std, dev = _mean_std(r.values, r.valid, r.count)
    constant = _constant(r.values, r.valid)
    with np.errstate(invalid="ignore", divide="ignore"):
        sq = dev * dev
        m2 = sq.sum(axis=0) / r.count
        skew = (sq * dev).sum(axis=0) / r.count / m2 ** 1.5
        kurt = (sq * sq).sum(axis=0) / r.count / (m2 * m2)
        sr = np.where(constant | (r.count < 3), np.nan, mean / std)
        sharpe_ = (mean - risk_free_per_period(risk_free, periods)) / std * math.sqrt(periods)
    sharpe_ = np.where(constant | ~np.isfinite(sharpe_), np.nan, sharpe_)
    volatility = np.where(constant & (r.count > 1), 0.0, std) * math.sqrt(periods)
    empty = r.count == 0
    rows = r.values.shape[0]
    if rows:
        wealth = _wealth(r)
        total = np.where(empty, np.nan, wealth[-1] - 1.0)
        peak = np.maximum(np.maximum.accumulate(wealth, axis=0), 1.0)
        drawdown = np.where(empty, np.nan, (wealth / peak - 1.0).min(axis=0))
        ends = _week_ends(r.index)
        week_wealth = wealth[ends]
        previous = np.vstack([np.ones((1, week_wealth.shape[1])), week_wealth[:-1]])
        seen = np.cumsum(r.valid, axis=0)[ends]
        counts = np.diff(np.vstack([np.zeros((1, seen.shape[1])), seen]), axis=0)
        weekly = np.where(counts > 0, week_wealth / previous - 1.0, np.nan)
        week_valid = counts > 0
        _wm, week_std, _wd = _mean_std(weekly, week_valid, week_valid.sum(axis=0))
        week_std = np.where(_constant(weekly, week_valid) & (week_valid.sum(axis=0) > 1), 0.0, week_std)
        risk_class = srri_class_from_volatility(week_std * math.sqrt(WEEKS_PER_YEAR))
    else:
        total = drawdown = risk_class = np.full(r.values.shape[1], np.nan)
    return {"n": r.count, "sr": sr, "skew": skew, "kurt": kurt, "sharpe": sharpe_, "volatility": volatility,
            "total_return": total, "max_drawdown": drawdown, "risk_class": np.asarray(risk_class, dtype=float)}
