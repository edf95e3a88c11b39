"""Shared plumbing of the metric modules (``metrics``, ``relative_metrics``,
``sharpe_inference``, ``panel``): a returns input as a 2-D float array and back in the
caller's shape, the periods-per-year check, NaN-skipping column mean/std, compounded
wealth and calendar-week ends. Private to ``socialfund.core``; the conventions it
implements are described in ``socialfund.core.metrics``.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from socialfund.core.errors import ValidationError

ReturnsLike = pd.Series | pd.DataFrame | np.ndarray
#: One figure per column, in the caller's shape: a float for a Series (or a 1-D array),
#: a Series per column for a DataFrame, a 1-D array for a 2-D array. The ``@overload``s of
#: each metric say which one a given input gets.
ScalarOrSeries = float | pd.Series | np.ndarray


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


def _mean_std(x: np.ndarray, valid: np.ndarray, count: np.ndarray,
              ddof: int = 1) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Column mean and standard deviation over non-NaN entries (NaN when too few), two-pass
    as ``numpy.nanstd`` (the deviations from the mean are summed, not ``Σx² − n·mean²``).
    Two full-size temporaries: the zero-filled values, which become the deviations in place."""
    with np.errstate(invalid="ignore", divide="ignore"):
        dev = np.where(valid, x, 0.0)
        mean = dev.sum(axis=0) / count
        np.subtract(dev, np.where(count > 0, mean, 0.0), out=dev)   # an all-NaN column deviates by 0
        np.multiply(dev, valid, out=dev)          # NaN entries deviate by 0
        var = np.einsum("ij,ij->j", dev, dev) / (count - ddof)
        var = np.where(count > ddof, var, np.nan)
    return mean, np.sqrt(var), dev


def _constant(x: np.ndarray, valid: np.ndarray) -> np.ndarray:
    """True for columns whose present values are all equal (their deviation is 0, and the
    floating-point residue of the mean must not turn a ratio into ~1e15). ``fmax``/``fmin``
    skip NaN without a filled copy; an all-NaN column is not constant."""
    if x.shape[0] == 0:
        return np.zeros(x.shape[1], dtype=bool)
    return np.fmax.reduce(x, axis=0) == np.fmin.reduce(x, axis=0)


def _wealth(r: _Returns) -> np.ndarray:
    """Growth of 1 after each period, NaN returns compounding as 0 % (one temporary)."""
    wealth = np.where(r.valid, r.values, 0.0)
    wealth += 1.0
    return np.cumprod(wealth, axis=0, out=wealth)


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

