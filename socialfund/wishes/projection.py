"""Will the wish be reached? A Monte Carlo of the saving plan on the funding vehicle's own
daily returns.

The method, stated where the numbers are shown:

* **Returns.** The vehicle's history up to the projection's start (no look-ahead), as simple
  returns on the weekday grid (``weekday_returns``: the NAV carried over holidays, so a
  holiday earns 0 and the next session carries what accrued; a money-market fund's weekend
  income lands on Monday, as it is booked).
* **Block bootstrap.** Each of ``paths`` (default 10,000) future paths is built from blocks of
  ``block_length`` (default 20 weekdays, about a month) consecutive historical returns, each
  block starting at a uniformly drawn day, so a month's runs and volatility clusters survive.
  ``numpy.random.default_rng(seed)``: the same inputs give the same figures.
* **Saving.** Step t is weekday t after the start: ``V_t = V_{t-1} · (1 + r_t) + c_t``, with
  ``V_0`` the amount saved so far and ``c_t`` the plan's deposits dated after step t-1 up to
  step t (a weekend's deposits land on Monday); deposits earn from the next step.
* **Outputs.** ``probability``: the share of paths with ``V ≥ target`` on the target date
  (the last weekday on or before it); ``p10/p50/p90``: percentiles of V there (fen);
  ``median_date``: the first weekday where at least half the paths have reached the target
  (None if not within the horizon: the target date plus a quarter of the plan's span, at most
  a year); ``extra_per_period_fen``: the least extra fen per recurring deposit for which at
  least 80 % of the same paths reach the target (V is linear in that extra, so each path
  carries its coefficient and the bisection over integer fen is exact; None when the plan
  has no recurring deposit before the target date, or not even 4× the target per deposit
  would do).

A projection is a scenario from past returns, not a promise: returns can be lower, and a
money-market fund's yield changes.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from socialfund.core.errors import ValidationError

BLOCK_LENGTH = 20           # weekdays per bootstrap block (about one month)
N_PATHS = 10_000
MIN_PATHS = 10_000          # the floor: fewer paths are refused
SEED = 20261202
TARGET_PROBABILITY = 0.8    # for extra_per_period_fen
CHART_POINTS = 240          # fan-chart points (evenly spaced steps, the target step kept)
MAX_EXTENSION_DAYS = 366


@dataclass(frozen=True)
class Projection:
    """The Monte Carlo's figures (fen, dates; see the module docstring for each)."""

    probability: float
    median_date: dt.date | None
    p10: int
    p50: int
    p90: int
    extra_per_period_fen: int | None
    target_fen: int
    target_date: dt.date
    start: dt.date
    chart_dates: tuple[dt.date, ...]
    chart_p10: tuple[int, ...]
    chart_p50: tuple[int, ...]
    chart_p90: tuple[int, ...]
    paths: int
    block_length: int
    seed: int
    history_days: int


def weekday_returns(nav: pd.Series) -> np.ndarray:
    """Simple daily returns of a NAV (or price) series on the weekday grid between its first
    and last date: holidays carry the last value (return 0). NaN-free; length = weekdays − 1."""
    clean = nav.dropna()
    clean = clean[clean > 0]
    if len(clean) < 2:
        return np.zeros(0)
    index = pd.DatetimeIndex(clean.index)
    grid = pd.bdate_range(index[0].normalize(), index[-1].normalize())
    values = clean.copy()
    values.index = index.normalize()
    on_grid = values[~values.index.duplicated(keep="last")].reindex(grid.union(values.index)).ffill().reindex(grid)
    arr = on_grid.to_numpy(dtype=float)
    return arr[1:] / arr[:-1] - 1.0


def step_dates(start: dt.date, end: dt.date) -> pd.DatetimeIndex:
    """The weekdays after ``start`` up to ``end``: the projection's steps."""
    return pd.bdate_range(start + dt.timedelta(days=1), end)


def deposits_per_step(steps: pd.DatetimeIndex, dates: Sequence[dt.date]) -> np.ndarray:
    """How many of ``dates`` land on each step (the first step on or after the date)."""
    counts = np.zeros(len(steps), dtype=np.int64)
    if len(steps) == 0 or not dates:
        return counts
    pos = steps.searchsorted(pd.DatetimeIndex(pd.to_datetime(list(dates))), side="left")
    pos = pos[pos < len(steps)]
    np.add.at(counts, pos, 1)
    return counts


def horizon_end(start: dt.date, target_date: dt.date) -> dt.date:
    """Where the simulation stops: the target date plus a quarter of the span (≤ a year)."""
    span = (target_date - start).days
    return target_date + dt.timedelta(days=min(MAX_EXTENSION_DAYS, max(31, span // 4)))


def project(history: np.ndarray, *, start: dt.date, target_date: dt.date, target_fen: int, balance_fen: int,
            deposit_dates: Sequence[dt.date], amount_fen: int, paths: int = N_PATHS,
            block_length: int = BLOCK_LENGTH, seed: int = SEED, min_paths: int = MIN_PATHS) -> Projection:
    """Run the Monte Carlo (module docstring). ``history``: weekday returns
    (``weekday_returns``) up to ``start``; ``deposit_dates``: the plan's recurring deposits
    after ``start`` (``plan.deposit_dates``), each of ``amount_fen``."""
    hist = np.asarray(history, dtype=float)
    if not np.isfinite(hist).all():
        raise ValidationError("the funding vehicle's returns contain missing values")
    if len(hist) < block_length + 1:
        raise ValidationError(f"the funding vehicle has {len(hist)} days of returns; the projection needs at least "
                              f"{block_length + 1} (one bootstrap block of {block_length} days and more)")
    if paths < min_paths:
        raise ValidationError(f"the projection runs at least {min_paths:,} paths, got {paths:,}")
    if target_date <= start:
        raise ValidationError(f"the target date {target_date} is not after the projection's start {start}")
    if target_fen <= 0:
        raise ValidationError("the target amount must be positive")
    steps = step_dates(start, horizon_end(start, target_date))
    n = len(steps)
    target_step = int(steps.searchsorted(pd.Timestamp(target_date), side="right")) - 1  # last step ≤ target date
    counts = deposits_per_step(steps, [d for d in deposit_dates if start < d <= steps[-1].date()])
    add = counts.astype(float) * float(amount_fen)

    rng = np.random.default_rng(seed)
    n_blocks = math.ceil(n / block_length)
    starts = rng.integers(0, len(hist) - block_length + 1, size=(n_blocks, paths), dtype=np.int64)
    offsets = np.arange(block_length)
    growth = 1.0 + hist

    value = np.full(paths, float(balance_fen))
    coef = np.zeros(paths)          # d V_T / d (extra per recurring deposit)
    reached = np.zeros(n)           # share of paths ≥ target at each step
    chart_steps = np.unique(np.r_[np.linspace(0, n - 1, min(n, CHART_POINTS)).round().astype(int), max(target_step, 0)])
    chart_values: list[np.ndarray] = []
    at_target_value = value.copy()
    at_target_coef = coef.copy()
    chart_set = set(int(i) for i in chart_steps)
    t = 0
    for b in range(n_blocks):
        block = growth[starts[b][None, :] + offsets[:, None]]      # block_length × paths
        for j in range(block_length):
            if t >= n:
                break
            g = block[j]
            value = value * g + add[t]
            if counts[t]:
                coef = coef * g + counts[t]
            else:
                coef = coef * g
            reached[t] = np.count_nonzero(value >= target_fen) / paths
            if t in chart_set:
                chart_values.append(np.percentile(value, [10, 50, 90]))
            if t == target_step:
                at_target_value, at_target_coef = value.copy(), coef.copy()
            t += 1

    if target_step < 0:   # no weekday between the start and the target date: the balance is all
        at_target_value = np.full(paths, float(balance_fen))
    probability = float(np.count_nonzero(at_target_value >= target_fen) / paths)
    hit = np.flatnonzero(reached >= 0.5)
    median_date = steps[hit[0]].date() if len(hit) else None
    if balance_fen >= target_fen:
        median_date = start
    p10, p50, p90 = (int(round(float(x))) for x in np.percentile(at_target_value, [10, 50, 90]))
    extra = _extra_for(at_target_value, at_target_coef, target_fen, TARGET_PROBABILITY)
    chart = np.array(chart_values) if chart_values else np.zeros((0, 3))
    return Projection(
        probability=probability, median_date=median_date, p10=p10, p50=p50, p90=p90, extra_per_period_fen=extra,
        target_fen=int(target_fen), target_date=target_date, start=start,
        chart_dates=tuple(steps[int(i)].date() for i in chart_steps),
        chart_p10=tuple(int(round(float(x))) for x in chart[:, 0]),
        chart_p50=tuple(int(round(float(x))) for x in chart[:, 1]),
        chart_p90=tuple(int(round(float(x))) for x in chart[:, 2]),
        paths=int(paths), block_length=int(block_length), seed=int(seed), history_days=int(len(hist)))


def share_reaching(value: np.ndarray, coef: np.ndarray, target_fen: int, extra_fen: int) -> float:
    """Share of paths with ``value + extra · coef ≥ target`` (the same paths, more saving)."""
    return float(np.count_nonzero(value + extra_fen * coef >= target_fen) / len(value))


def _extra_for(value: np.ndarray, coef: np.ndarray, target_fen: int, probability: float) -> int | None:
    """The least integer fen per recurring deposit reaching ``probability`` (bisection)."""
    if share_reaching(value, coef, target_fen, 0) >= probability:
        return 0
    if not (coef > 0).any():
        return None
    hi = 4 * int(target_fen)
    if share_reaching(value, coef, target_fen, hi) < probability:
        return None
    lo = 0                       # invariant: lo fails, hi succeeds
    while hi - lo > 1:
        mid = (lo + hi) // 2
        if share_reaching(value, coef, target_fen, mid) >= probability:
            hi = mid
        else:
            lo = mid
    return hi
