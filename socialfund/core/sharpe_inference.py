"""Luck versus skill in a Sharpe ratio (Bailey & López de Prado): sample moments, the
probabilistic Sharpe ratio (PSR), the Sharpe the best of N skill-less trials reaches by
luck, the variance of Sharpes across trials and the deflated Sharpe ratio (DSR), plus
``sharpe_moments`` / ``psr_from_moments`` to screen many portfolios once, and
``luck_line`` / ``deflated_from_moments`` to deflate trials with records of *different*
lengths against one hurdle in standard errors (what the leaderboard does). Sharpe ratios
here are **per period** (not annualised) and of whatever returns are given (the
leaderboard passes excess returns over the risk-free rate); inputs and NaN conventions
as in ``socialfund.core.metrics``.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
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


def _standard_error(n: np.ndarray, sr: np.ndarray, skew: np.ndarray, kurt: np.ndarray) -> np.ndarray:
    with np.errstate(invalid="ignore", divide="ignore"):
        spread = 1.0 - skew * sr + (kurt - 1.0) / 4.0 * sr * sr
        se = np.sqrt(spread / (n - 1.0))
    return np.where(np.isfinite(se) & (spread > 0) & (n > 1), se, np.nan)


def _psr(n: np.ndarray, sr: np.ndarray, skew: np.ndarray, kurt: np.ndarray,
         benchmark: float | np.ndarray) -> np.ndarray:
    with np.errstate(invalid="ignore", divide="ignore"):
        z = (sr - benchmark) / _standard_error(n, sr, skew, kurt)
        result = ndtr(z)
    return np.where(np.isfinite(z), result, np.nan)


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
    Unit: probability in [0, 1]. This is the paper's form, meant for trials with records
    of the same length; for records of different lengths use ``luck_line`` and
    ``deflated_from_moments`` (as the leaderboard does)."""
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


def sharpe_standard_error(n: np.ndarray | pd.Series, sr: np.ndarray | pd.Series, skew: np.ndarray | pd.Series,
                          kurt: np.ndarray | pd.Series) -> np.ndarray:
    """Standard error of each per-period Sharpe estimate from ``sharpe_moments`` output: the
    PSR denominator with the trial's own n, skewness γ₃ and kurtosis γ₄ (not excess),

    ``σ̂(SR̂) = √((1 − γ₃·SR̂ + (γ₄ − 1)/4 · SR̂²) / (n − 1))``,

    so that ``PSR(SR*) = Φ((SR̂ − SR*) / σ̂(SR̂))``. Unit: per-period Sharpe. NaN where SR̂
    is NaN or the spread is not positive."""
    return _standard_error(np.asarray(n, dtype=float), np.asarray(sr, dtype=float), np.asarray(skew, dtype=float),
                           np.asarray(kurt, dtype=float))


@dataclass(frozen=True)
class LuckLine:
    """The luck hurdle of a screened set of trials, in standard errors (``luck_line``):
    ``n_trials`` N with a defined z, ``z_variance`` V_z (ddof=1; NaN below 2 trials) and
    ``z_star`` Z* (0 for one trial, NaN for none)."""

    n_trials: int
    z_variance: float
    z_star: float


def luck_line(n: np.ndarray | pd.Series, sr: np.ndarray | pd.Series, skew: np.ndarray | pd.Series,
              kurt: np.ndarray | pd.Series) -> LuckLine:
    """The best score N skill-less trials reach by luck, from trials of **comparable**
    scale: each trial's Sharpe is standardised by its own standard error
    (``sharpe_standard_error``) before the expected maximum is taken,

    ``z_i = SR̂_i / σ̂(SR̂_i)``, ``V_z = var(z_1..z_N)``, ``Z* = expected_max_sharpe(N, V_z)``
    ``= √V_z · ((1 − γ)·Φ⁻¹(1 − 1/N) + γ·Φ⁻¹(1 − 1/(N·e)))``.

    Why: the variance of raw Sharpe estimates across trials mixes the spread of true
    Sharpes with estimation noise of about 1/(n − 1) per trial, so when records differ in
    length the short ones dominate V[SR̂] and inflate the hurdle every trial is held to.
    Without skill each z_i is about N(0, 1) whatever its n, skewness and kurtosis, so V_z
    compares like with like (≈ 1 under no skill; above 1 when true Sharpes differ). A
    trial's hurdle in its own Sharpe units is ``Z*·σ̂(SR̂_i)`` (lower for a longer record,
    where the same Sharpe is less likely to be luck); with equal records this is the
    classic DSR hurdle up to the spread's dependence on SR̂. ``n, sr, skew, kurt`` as from
    ``sharpe_moments`` for the screened trials only; trials without a finite z are not
    counted."""
    z = np.asarray(sr, dtype=float) / sharpe_standard_error(n, sr, skew, kurt)
    z = z[np.isfinite(z)]
    if z.size == 0:
        return LuckLine(0, float("nan"), float("nan"))
    if z.size == 1:
        return LuckLine(1, float("nan"), 0.0)
    variance = float(np.var(z, ddof=1))
    return LuckLine(int(z.size), variance, expected_max_sharpe(int(z.size), variance))


def deflated_from_moments(n: np.ndarray | pd.Series, sr: np.ndarray | pd.Series, skew: np.ndarray | pd.Series,
                          kurt: np.ndarray | pd.Series, z_star: float) -> np.ndarray:
    """Deflated Sharpe ratio of each trial against the hurdle ``z_star`` (``luck_line``),

    ``DSR_i = Φ(z_i − Z*) = Φ((SR̂_i − Z*·σ̂(SR̂_i)) / σ̂(SR̂_i)) = PSR_i(SR* = Z*·σ̂(SR̂_i))``,

    i.e. the PSR of ``psr_from_moments`` with the trial's own luck line as benchmark.
    Unit: probability in [0, 1]; NaN where the PSR is or ``z_star`` is NaN."""
    n_, sr_, skew_, kurt_ = (np.asarray(a, dtype=float) for a in (n, sr, skew, kurt))
    return _psr(n_, sr_, skew_, kurt_, float(z_star) * _standard_error(n_, sr_, skew_, kurt_))
