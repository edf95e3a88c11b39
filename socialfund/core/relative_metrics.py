"""Benchmark-relative metrics, empyrical-style: beta, Jensen alpha, tracking error and
information ratio of periodic simple returns against a benchmark's. Inputs, units and NaN
conventions as in ``socialfund.core.metrics`` (annual risk-free rate, fractions,
NaN where undefined); only sessions where both the portfolio and the benchmark have a
return are used.
"""

from __future__ import annotations

import math
from typing import overload

import numpy as np
import pandas as pd

from socialfund.core._returns import ReturnsLike, ScalarOrSeries, _check_periods, _mean_std, _Returns
from socialfund.core.errors import ValidationError
from socialfund.core.metrics import risk_free_per_period
from socialfund.core.sessions import PERIODS_PER_YEAR


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
