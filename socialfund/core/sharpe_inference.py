"""Luck versus skill in a Sharpe ratio (Bailey & López de Prado): sample moments, the
probabilistic Sharpe ratio (PSR), the Sharpe the best of N skill-less trials reaches by
luck, the variance of Sharpes across trials and the deflated Sharpe ratio (DSR), plus
``sharpe_moments`` / ``psr_from_moments`` to screen many portfolios once and deflate them
against one hurdle. Sharpe ratios here are **per period** (not annualised); inputs and
NaN conventions as in ``socialfund.core.metrics``.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import overload

import numpy as np
import pandas as pd
from scipy.special import ndtr, ndtri

from socialfund.core._returns import ReturnsLike, ScalarOrSeries, _constant, _mean_std, _Returns
from socialfund.core.errors import ValidationError

EULER_GAMMA = 0.5772156649015329


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
