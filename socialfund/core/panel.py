"""The leaderboard's figures for many portfolios in one pass over a sessions x
portfolios return panel (``panel_metrics``): the same formulas as the single functions of
``socialfund.core.metrics`` and ``socialfund.core.sharpe_inference``, sharing the
intermediate arrays.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from socialfund.core._returns import _check_periods, _constant, _mean_std, _Returns, _wealth, _week_ends
from socialfund.core.metrics import risk_free_per_period, srri_class_from_volatility
from socialfund.core.sessions import PERIODS_PER_YEAR, WEEKS_PER_YEAR

#: A per-period Sharpe smaller than this is the rounding error of a mean that equals the
#: risk-free rate, not a sign: it is set to 0 so that Sharpe and PSR − ½ share one sign
#: (Φ cannot resolve a t-statistic below ~1e-16 from ½).
SHARPE_ROUNDING = 1e-15


def panel_metrics(returns: pd.DataFrame, risk_free: float = 0.0,
                  periods_per_year: float = PERIODS_PER_YEAR) -> dict[str, np.ndarray]:
    """The leaderboard's figures for many portfolios in one pass over the data (same
    formulas as the single functions, sharing the intermediate arrays): arrays per
    column for ``n`` (observations), ``sr`` (per-period Sharpe of the **excess** returns
    ``r − rf_p``, ``rf_p`` the per-period equivalent of the annual ``risk_free``), ``skew``,
    ``kurt`` (not excess; the same for ``r`` and ``r − rf_p``), ``sharpe`` (annualised:
    ``sr · √periods``), ``volatility``, ``total_return``, ``max_drawdown`` and
    ``risk_class`` (SRRI, float with NaN).

    ``sr`` and ``sharpe`` are one number in two units, so the Sharpe column, PSR, DSR and
    the luck line all speak of the same excess return (PSR > ½ exactly when Sharpe > 0).
    ``sr`` is NaN below 3 observations or at zero volatility; a per-period Sharpe below
    ``SHARPE_ROUNDING`` in size is rounding noise of the mean and is set to 0."""
    periods = _check_periods(periods_per_year)
    r = _Returns(returns)
    mean, std, dev = _mean_std(r.values, r.valid, r.count)
    constant = _constant(r.values, r.valid)
    with np.errstate(invalid="ignore", divide="ignore"):
        sq = dev * dev
        m2 = sq.sum(axis=0) / r.count
        skew = (sq * dev).sum(axis=0) / r.count / m2 ** 1.5
        kurt = (sq * sq).sum(axis=0) / r.count / (m2 * m2)
        sr = (mean - risk_free_per_period(risk_free, periods)) / std
    sr = np.where(constant | (r.count < 3) | ~np.isfinite(sr), np.nan, sr)
    sr = np.where(np.abs(sr) < SHARPE_ROUNDING, 0.0, sr)
    sharpe_ = sr * math.sqrt(periods)
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
