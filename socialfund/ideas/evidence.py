"""Out-of-sample evidence of a fund-idea score: does the ranking at t order the forward
returns from t on? Rank-IC per session, t-statistics, hit rate, quintile spread, turnover
and the verdict ('edge', 'negative', 'none' or 'insufficient'; words in ``view.ideas_text``).

Evidence (``evidence``)
-----------------------
Spearman rank-IC per decision session between score and forward return. Because 20-session
returns of neighbouring days overlap, the headline statistics use **non-overlapping
dates** (every 20th session counting back from the last one with a known forward return):
mean IC, its t-statistic mean / (sd / √n), hit rate (share of those dates with IC > 0),
top-minus-bottom quintile spread of forward returns (and its compounded curve: a
long-short paper portfolio rebalanced every 20 sessions, no costs) and the turnover of the
top quintile between consecutive dates. A Newey-West t-statistic over all dates (lag 19)
is reported as a cross-check. An edge is claimed only when |t| ≥ 2 on at least
``MIN_EVIDENCE_DATES`` non-overlapping dates; otherwise "no evidence of an edge".
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from socialfund.ideas.features import HORIZON, FeatureSet
from socialfund.ideas.scoring import MIN_FUNDS_PER_DATE, Scores

MIN_EVIDENCE_DATES = 8        # non-overlapping dates needed before any verdict
SIGNIFICANT_T = 2.0


@dataclass(frozen=True)
class Evidence:
    """Out-of-sample evidence of one score (see the module docstring)."""

    method: str
    ic: pd.Series                 # per decision session (all dates with a known forward return)
    ic_dates: pd.DatetimeIndex    # the non-overlapping dates the headline numbers use
    mean_ic: float
    ic_tstat: float
    nw_tstat: float
    hit_rate: float
    quintile_spread: float        # mean top-minus-bottom forward return per 20 sessions
    spread_curve: pd.Series       # compounded top-minus-bottom, on ic_dates
    top_turnover: float           # mean share of the top quintile replaced per 20 sessions
    n_dates: int                  # non-overlapping dates
    n_dates_all: int
    verdict: str                  # 'edge' | 'negative' | 'none' | 'insufficient'

    def as_dict(self) -> dict[str, Any]:
        """The headline numbers as JSON-ready values (6 decimals; NaN → None)."""
        def num(x: float) -> float | None:
            return None if x is None or not math.isfinite(x) else round(float(x), 6)
        return {"method": self.method, "mean_ic": num(self.mean_ic), "ic_tstat": num(self.ic_tstat),
                "hit_rate": num(self.hit_rate), "quintile_spread": num(self.quintile_spread),
                "n_dates": self.n_dates, "nw_tstat": num(self.nw_tstat), "top_turnover": num(self.top_turnover),
                "n_dates_all": self.n_dates_all, "verdict": self.verdict, "overlap": "non-overlapping dates"}


def _spearman_by_session(score: pd.Series, fwd: pd.Series) -> pd.Series:
    """Spearman correlation of score and forward return per session (sessions with fewer
    than ``MIN_FUNDS_PER_DATE`` funds having both are left out; no dispersion → NaN)."""
    frame = pd.DataFrame({"s": score, "f": fwd}).dropna()
    counts = frame.groupby(level="session").size()
    frame = frame[frame.index.get_level_values("session").isin(counts.index[counts >= MIN_FUNDS_PER_DATE])]
    if frame.empty:
        return pd.Series(dtype=float, name="ic")
    # Spearman = Pearson correlation of the within-session ranks
    ranks = frame.groupby(level="session").rank()
    dev = ranks - ranks.groupby(level="session").transform("mean")
    sums = pd.DataFrame({"sf": dev["s"] * dev["f"], "ss": dev["s"] ** 2, "ff": dev["f"] ** 2}).groupby(
        level="session").sum()
    denom = pd.Series(np.sqrt(sums["ss"] * sums["ff"]), index=sums.index)
    ic = sums["sf"] / denom.where(denom > 0)
    ic.index = pd.DatetimeIndex(ic.index, name="session")
    return ic.rename("ic")


def newey_west_tstat(x: np.ndarray, lags: int) -> float:
    """t-statistic of the mean of ``x`` with Newey-West (Bartlett) standard errors."""
    x = np.asarray(x, dtype=float)
    n = len(x)
    if n < 3:
        return math.nan
    d = x - x.mean()
    var = d @ d / n
    for lag in range(1, min(lags, n - 1) + 1):
        var += 2.0 * (1.0 - lag / (lags + 1.0)) * (d[lag:] @ d[:-lag]) / n
    return float(x.mean() / math.sqrt(var / n)) if var > 0 else math.nan


def evidence(fs: FeatureSet, scores: Scores, horizon: int = HORIZON) -> Evidence:
    """Rank-IC, t-statistics, hit rate, quintile spread and turnover (module docstring)."""
    table = scores.table
    fwd = fs.features["fwd_return"].reindex(table.index)
    ic = _spearman_by_session(table["score"], fwd).dropna()
    nan = math.nan
    if ic.empty:
        return Evidence(scores.method, ic, pd.DatetimeIndex([]), nan, nan, nan, nan, nan,
                        pd.Series(dtype=float), nan, 0, 0, "insufficient")
    pos_of = {s: i for i, s in enumerate(fs.sessions)}
    last = pos_of[ic.index[-1]]
    picks = {fs.sessions[i] for i in range(last, -1, -horizon)}
    dates = pd.DatetimeIndex([d for d in ic.index if d in picks])
    sample = ic.loc[dates].to_numpy()
    n = len(sample)
    mean_ic = float(sample.mean()) if n else nan
    sd = float(sample.std(ddof=1)) if n > 1 else nan
    tstat = mean_ic / (sd / math.sqrt(n)) if n > 1 and sd > 0 else nan
    spreads, turnovers, prev_top = [], [], None
    for d in dates:
        day = pd.DataFrame({"s": table.loc[d, "score"], "f": fwd.loc[d]}).dropna()
        k = max(1, math.ceil(len(day) / 5))
        ordered = day.sort_values("s", ascending=False, kind="mergesort")
        top, bottom = ordered.head(k), ordered.tail(k)
        spreads.append(float(top["f"].mean() - bottom["f"].mean()))
        names = set(top.index)
        if prev_top is not None:
            turnovers.append(1.0 - len(names & prev_top) / len(names))
        prev_top = names
    curve = pd.Series(np.cumprod(1.0 + np.array(spreads)) - 1.0, index=dates, name="spread_curve")
    if n < MIN_EVIDENCE_DATES or not math.isfinite(tstat):
        verdict = "insufficient"
    elif tstat >= SIGNIFICANT_T:
        verdict = "edge"
    elif tstat <= -SIGNIFICANT_T:
        verdict = "negative"
    else:
        verdict = "none"
    return Evidence(
        method=scores.method, ic=ic, ic_dates=dates, mean_ic=mean_ic, ic_tstat=float(tstat),
        nw_tstat=newey_west_tstat(ic.to_numpy(), horizon - 1), hit_rate=float((sample > 0).mean()) if n else nan,
        quintile_spread=float(np.mean(spreads)) if spreads else nan, spread_curve=curve,
        top_turnover=float(np.mean(turnovers)) if turnovers else nan, n_dates=n, n_dates_all=len(ic),
        verdict=verdict)
