"""Fund ideas: rank funds by market data, forum sentiment and crowd positioning, and
measure out of sample whether the ranking has predicted anything.

Timing (the one rule everything here follows)
---------------------------------------------
A ranking is made for a **decision session** t, *before its open* (09:30 Asia/Shanghai).
It may use only:

* prices: closes of sessions **before** t (``closes`` is on the XSHG session axis; US
  funds are already "as of" aligned by ``market_sessions.align_to_sessions``). A missing close
  (suspension) carries the last known close: that is the last information, not a guess;
* posts: published **before 09:30 Shanghai on t** (a post after the 15:00 close of t−1,
  or overnight, counts for t; a post during t's trading hours counts for the next one);
* community rebalances: target weights of versions that had **filled by the close of
  t−1** (a version placed on Shanghai day d fills at the first session after d);
* luck-corrected skill (deflated Sharpe, ``ranking_rules.screen_table``): recomputed on a
  **monthly schedule** — at the first decision session of each calendar month, from
  NAVs and activity up to the previous session — and held until the next month.
  (Every session would mean ~20× more ``screen_table`` runs: 728 instead of 36 on the demo.)

After the last close, one *provisional* decision session is appended (the next weekday;
holidays unknown), so "today's" ranking uses every close there is.

Features (per fund per decision session; formulas)
--------------------------------------------------
P = last known close before t.
* ``mom_20/60/120`` = P(t−1) / P(t−1−k) − 1 (k sessions back).
* ``vol_60`` = standard deviation of the last 60 daily simple returns × √252.
* ``drawdown`` = P(t−1) / max(P over the last 252 sessions) − 1 (≤ 0).
* ``sent_level`` = mean post score (0..1, 0.5 neutral) of the scored posts of the last 5
  decision sessions (pooled).
* ``sent_shift`` = z-score of ``sent_level`` against its previous 20 values (≥ 10 needed).
* ``post_volume_z`` = z-score of the post count of the last 5 sessions against its
  previous 20 values.
* ``bullishness`` = ln((1 + N_bull) / (1 + N_bear)) over the last 5 sessions
  (Antweiler & Frank 2004; pos/neg labels of the scorer).
* ``crowd_share`` = Σ DSR_p · 1[p holds the fund] / Σ DSR_p over the eligible, open,
  public leaderboard portfolios p (target weights in force; DSR = deflated Sharpe).
* ``crowd_flow`` = Σ DSR_p · (w_p,f now − w_p,f 20 sessions ago) / Σ DSR_p: the
  skill-weighted net weight change (fraction of a portfolio) from recent rebalances.

A fund gets **no score** (with a ``reason``) when it has fewer than 121 closes before t
("fewer than 120 sessions of prices") or no post in the last 20 sessions ("no posts in
20 sessions"). Other missing values (e.g. no eligible portfolio yet, no scored post in 5
sessions) are listed in ``missing`` and enter the scores as 0 = the cross-sectional mean.

Scores
------
Both methods work on cross-sectional z-scores per session, z = (x − mean) / std over the
scoreable funds, clipped to ±3.
* **Composite**: score = Σ_f w_f · z_f with weights normalised to Σ|w_f| = 1; the
  contribution of f is w_f · z_f, so contributions sum exactly to the score.
* **Model**: a ridge regression (scikit-learn) of the cross-sectional percentile rank of the
  forward 20-session return (minus 0.5) on the z-scores, trained walk-forward: expanding
  window, retrained every 20 sessions, on decision sessions s ≤ t − 21 only (purged gap:
  the label of s needs the close of s + 20, which must be known by the close of t − 1).
  score = Σ_f β_f · z_f (the intercept is the same for every fund and is dropped: it
  changes no rank); the contribution of f is β_f · z_f — exact, because the model is linear.

Forward return (the label and the evidence) = close(t + 20) / close(t) − 1: from the first
close after the decision to 20 sessions later. (Under socialfund's own fill rule an order
placed during t fills at the close of t + 1; that extra session is not modelled.)

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

import datetime as dt
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

import numpy as np
import pandas as pd

from socialfund.core.errors import ValidationError
from socialfund.core.sessions import PERIODS_PER_YEAR
from socialfund.core.models import PortfolioVersion
from socialfund.core.weights import CASH, FULL_BP

HORIZON = 20                  # sessions: forward-return horizon of the label and the evidence
RETRAIN_EVERY = 20            # sessions between model retrains
MIN_TRAIN_DATES = 60          # decision sessions with labels needed before the first model
MIN_PRICE_CLOSES = 121        # closes needed for a 120-session momentum
SENT_WINDOW = 5               # sessions pooled for the sentiment level / bullishness / volume
Z_LOOKBACK = 20               # sessions of history for the sentiment shift and volume z-scores
Z_MIN_PERIODS = 10
POSTS_LOOKBACK = 20           # a fund without a post in this many sessions gets no score
DRAWDOWN_WINDOW = 252
VOL_WINDOW = 60
FLOW_LOOKBACK = 20
Z_CLIP = 3.0
MIN_FUNDS_PER_DATE = 5        # fewer scoreable funds → no cross-section that day
MIN_EVIDENCE_DATES = 8        # non-overlapping dates needed before any verdict
SIGNIFICANT_T = 2.0
MARKET_OPEN_UTC = pd.Timedelta(hours=1, minutes=30)   # 09:30 Asia/Shanghai (UTC+8, no DST)
CROWD_WINDOW = "6M"           # leaderboard window behind the crowd's deflated Sharpe

FEATURES: tuple[str, ...] = ("mom_20", "mom_60", "mom_120", "vol_60", "drawdown", "sent_level", "sent_shift",
                             "post_volume_z", "bullishness", "crowd_share", "crowd_flow")
METHODS = ("composite", "model")

REASON_PRICES = "fewer than 120 sessions of prices"
REASON_POSTS = "no posts in 20 sessions"
REASON_NOT_LISTED = "no prices at all"

#: Named weight presets (before normalisation). Fixed a priori, not fitted to any data.
PRESETS: Mapping[str, Mapping[str, float]] = MappingProxyType({
    "balanced": MappingProxyType({"mom_20": 0.5, "mom_60": 1.0, "mom_120": 1.0, "vol_60": -0.5, "drawdown": 0.5,
                                  "sent_level": 0.5, "sent_shift": 0.5, "post_volume_z": 0.0, "bullishness": 0.5,
                                  "crowd_share": 1.0, "crowd_flow": 1.0}),
    "momentum": MappingProxyType({"mom_20": 1.0, "mom_60": 2.0, "mom_120": 2.0, "vol_60": -1.0, "drawdown": 1.0}),
    "contrarian_sentiment": MappingProxyType({"sent_level": -1.0, "sent_shift": -2.0, "post_volume_z": -1.0,
                                              "bullishness": -1.0}),
    "follow_the_best": MappingProxyType({"crowd_share": 1.0, "crowd_flow": 2.0}),
})
DEFAULT_PRESET = "balanced"


@dataclass(frozen=True)
class IdeasInputs:
    """Plain data the whole pipeline runs on (build with ``load_inputs`` or by hand).

    ``closes``: XSHG sessions (tz-naive DatetimeIndex) × codes, adjusted closes, NaN when
    not quoted. ``funds``: columns ``code, name_zh, name_en, category`` — the funds to rank.
    ``posts``: ``code, published_at`` (naive UTC), ``score`` (0..1 or NaN), ``label``
    (pos/neu/neg or None). ``versions``: public portfolios' versions. ``meta``:
    ``portfolio_id, visibility, created_on, closed_on`` (+ optional leaderboard columns).
    ``activity``: ``portfolio_id, at`` rebalance/confirmation times (default: placements)."""

    closes: pd.DataFrame
    funds: pd.DataFrame
    posts: pd.DataFrame
    versions: Mapping[int, Sequence[PortfolioVersion]]
    meta: pd.DataFrame
    activity: pd.DataFrame | None = None
    is_demo: bool = False


@dataclass(frozen=True)
class FeatureSet:
    """``features``: long frame indexed by (session, code) with FEATURES, ``reason``
    ('' = scoreable), ``missing`` (comma-joined feature names), ``crowd_holders`` /
    ``crowd_n`` (counts, for display), ``fwd_return`` (NaN where not yet known) and
    ``price`` (last close before t). ``sessions``: the decision axis (last one may be
    provisional). ``last_close``: the last session with data. ``dsr_schedule``: the
    monthly recompute dates → number of eligible portfolios."""

    features: pd.DataFrame
    sessions: pd.DatetimeIndex
    last_close: pd.Timestamp
    dsr_schedule: pd.Series
    is_demo: bool = False


@dataclass(frozen=True)
class Scores:
    """``table``: long frame indexed by (session, code): ``score``, ``rank`` (1 = best per
    session) and ``c_<feature>`` contributions (Σ contributions = score). ``method`` and
    ``weights`` (composite: normalised; model: the latest coefficients). ``models``:
    per retrain session, the coefficients used from it on (model only)."""

    table: pd.DataFrame
    method: str
    weights: Mapping[str, float]
    models: pd.DataFrame = field(default_factory=pd.DataFrame)


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
        def num(x: float) -> float | None:
            return None if x is None or not math.isfinite(x) else round(float(x), 6)
        return {"method": self.method, "mean_ic": num(self.mean_ic), "ic_tstat": num(self.ic_tstat),
                "hit_rate": num(self.hit_rate), "quintile_spread": num(self.quintile_spread),
                "n_dates": self.n_dates, "nw_tstat": num(self.nw_tstat), "top_turnover": num(self.top_turnover),
                "n_dates_all": self.n_dates_all, "verdict": self.verdict, "overlap": "non-overlapping dates"}


# --------------------------------------------------------------------------- time axis

def decision_sessions(closes: pd.DataFrame) -> pd.DatetimeIndex:
    """Sessions of ``closes`` plus one provisional next session (the next weekday)."""
    index = pd.DatetimeIndex(closes.index).normalize()
    if len(index) == 0:
        raise ValidationError("no prices: cannot build the session axis")
    if not index.is_monotonic_increasing or index.has_duplicates:
        raise ValidationError("closes must be indexed by strictly increasing session dates")
    nxt = index[-1] + pd.offsets.BDay(1)
    return index.append(pd.DatetimeIndex([nxt])).rename("session")


def post_decision_index(published_utc: pd.Series, sessions: pd.DatetimeIndex) -> np.ndarray:
    """Position in ``sessions`` of the first decision session whose 09:30 Shanghai open is
    strictly after the post's time (naive UTC); ``len(sessions)`` when none is."""
    opens = (pd.DatetimeIndex(sessions) + MARKET_OPEN_UTC).values
    times = pd.to_datetime(published_utc).values.astype(opens.dtype)
    return np.searchsorted(opens, times, side="right")


# --------------------------------------------------------------------------- features

def _rolling_z(frame: pd.DataFrame, lookback: int = Z_LOOKBACK, min_periods: int = Z_MIN_PERIODS) -> pd.DataFrame:
    """z_t = (x_t − mean(x_{t−lookback..t−1})) / std(same); past values only; std 0 → NaN."""
    past = frame.shift(1).rolling(lookback, min_periods=min_periods)
    std = past.std(ddof=1)
    return (frame - past.mean()) / std.where(std > 0)


def price_features(closes: pd.DataFrame, sessions: pd.DatetimeIndex) -> dict[str, pd.DataFrame]:
    """Momentum, volatility, drawdown, closes count and the forward return, on ``sessions``
    (decision axis). Every value at t uses closes before t only, except ``fwd_return``
    (the label) = close(t + HORIZON) / close(t) − 1."""
    known = closes.reindex(sessions)                   # provisional row: NaN
    carried = known.ffill()                            # last known close (earlier rows only)
    prev = carried.shift(1)                            # last close before t
    n_closes = known.notna().cumsum().shift(1).fillna(0)
    daily = carried.pct_change(fill_method=None)
    out = {f"mom_{k}": prev / prev.shift(k) - 1.0 for k in (20, 60, 120)}
    out["vol_60"] = daily.shift(1).rolling(VOL_WINDOW, min_periods=VOL_WINDOW).std(ddof=1) * math.sqrt(PERIODS_PER_YEAR)
    out["drawdown"] = prev / prev.rolling(DRAWDOWN_WINDOW, min_periods=MIN_PRICE_CLOSES - 1).max() - 1.0
    out["n_closes"] = n_closes
    out["price"] = prev
    fwd = carried.shift(-HORIZON) / carried - 1.0
    # a forward return exists only when the close HORIZON sessions later is really in the data
    fwd.iloc[len(fwd) - HORIZON - 1:] = np.nan
    out["fwd_return"] = fwd
    return out


def post_features(posts: pd.DataFrame, sessions: pd.DatetimeIndex, codes: Sequence[str]) -> dict[str, pd.DataFrame]:
    """Sentiment level, shift, volume z, bullishness and the 20-session post count, on
    ``sessions`` × ``codes``; row t aggregates posts published before 09:30 Shanghai on t."""
    shape = (len(sessions), len(codes))
    counts = {k: np.zeros(shape) for k in ("n", "n_scored", "score_sum", "bull", "bear")}
    if len(posts):
        col = {c: j for j, c in enumerate(codes)}
        sel = posts[posts["code"].astype(str).isin(col)]
        pos = post_decision_index(sel["published_at"], sessions)
        keep = pos < len(sessions)
        rows, cols = pos[keep], sel["code"].astype(str).map(col).to_numpy()[keep]
        score = pd.to_numeric(sel["score"], errors="coerce").to_numpy(dtype=float)[keep]
        label = sel["label"].astype(object).to_numpy()[keep]
        scored = ~np.isnan(score)
        np.add.at(counts["n"], (rows, cols), 1.0)
        np.add.at(counts["n_scored"], (rows, cols), scored.astype(float))
        np.add.at(counts["score_sum"], (rows, cols), np.where(scored, score, 0.0))
        np.add.at(counts["bull"], (rows, cols), (label == "pos").astype(float))
        np.add.at(counts["bear"], (rows, cols), (label == "neg").astype(float))
    frames = {k: pd.DataFrame(v, index=sessions, columns=list(codes)) for k, v in counts.items()}
    pooled = {k: f.rolling(SENT_WINDOW, min_periods=1).sum() for k, f in frames.items()}
    level = pooled["score_sum"] / pooled["n_scored"].where(pooled["n_scored"] > 0)
    return {
        "sent_level": level,
        "sent_shift": _rolling_z(level),
        "post_volume_z": _rolling_z(pooled["n"]),
        "bullishness": np.log((1.0 + pooled["bull"]) / (1.0 + pooled["bear"])),
        "posts_20": frames["n"].rolling(POSTS_LOOKBACK, min_periods=1).sum(),
    }


def _leaderboard_meta(meta: pd.DataFrame) -> pd.DataFrame:
    """The columns ``ranking_rules.screen_table`` needs, with neutral defaults."""
    from socialfund.core.ranking_rules import META_COLUMNS

    out = meta.copy()
    defaults: dict[str, Any] = {"name": "", "owner_id": 0, "last_rebalance_at": pd.NaT, "category": "",
                                "followers": 0, "copiers": 0, "created_on": None, "closed_on": None}
    for col in META_COLUMNS:
        if col not in out.columns:
            out[col] = defaults.get(col)
    return out


def _as_date(value: Any) -> dt.date | None:
    if value is None or (isinstance(value, float) and math.isnan(value)) or pd.isna(value):
        return None
    stamp = pd.Timestamp(value)
    if stamp.tzinfo is not None:
        stamp = stamp.tz_convert("Asia/Shanghai")
    return stamp.date()


def crowd_features(closes: pd.DataFrame, sessions: pd.DatetimeIndex, codes: Sequence[str],
                   versions: Mapping[int, Sequence[PortfolioVersion]], meta: pd.DataFrame,
                   activity: pd.DataFrame | None = None, window: str = CROWD_WINDOW
                   ) -> tuple[dict[str, pd.DataFrame], pd.Series]:
    """``crowd_share``, ``crowd_flow``, ``crowd_holders`` and ``crowd_n`` on ``sessions`` ×
    ``codes`` (see the module docstring), plus the monthly DSR schedule (date → eligible count)."""
    from socialfund import portfolios
    from socialfund.core import ranking_rules

    n_dec, n_codes = len(sessions), len(codes)
    empty = {k: pd.DataFrame(np.nan, index=sessions, columns=list(codes))
             for k in ("crowd_share", "crowd_flow")}
    zeros = {k: pd.DataFrame(0.0, index=sessions, columns=list(codes)) for k in ("crowd_holders", "crowd_n")}
    public_ids = set(meta.loc[meta["visibility"].astype(str) == "public", "portfolio_id"].astype(int))
    vers = {int(p): list(v) for p, v in versions.items() if int(p) in public_ids and len(v)}
    available = set(map(str, closes.columns))
    vers = {p: v for p, v in vers.items()
            if all(c == CASH or c in available for ver in v for c in ver.weights_bp)}
    if not vers:
        return {**empty, **zeros}, pd.Series(dtype=float, name="eligible")
    meta = meta[meta["portfolio_id"].astype(int).isin(vers)]
    closed_on = {int(p): _as_date(c) for p, c in zip(meta["portfolio_id"], meta["closed_on"])}
    nav = portfolios.nav_matrix(closes, vers, closed_on)
    if activity is None:
        activity = pd.DataFrame([(p, v.placed_at) for p, vs in vers.items() for v in vs],
                                columns=["portfolio_id", "at"])
    lb_meta = _leaderboard_meta(meta)
    rules = ranking_rules.LeaderboardRules()
    days = pd.DatetimeIndex(closes.index).values.astype("datetime64[D]")

    # Monthly schedule: first decision session of each month, data up to the previous session.
    months = sessions.to_period("M")
    starts = [i for i in range(1, n_dec) if months[i] != months[i - 1] or i == 1]
    dsr = {}  # schedule index → {pid: dsr}
    eligible_count = {}
    activity_days = pd.to_datetime(activity["at"], utc=True).dt.tz_convert("Asia/Shanghai").dt.date
    for i in starts:
        as_of = sessions[i - 1].date()
        if not (activity_days <= as_of).any():
            # nobody active yet (screen_table cannot take an empty activity history either)
            dsr[i], eligible_count[sessions[i]] = {}, 0
            continue
        table, _ = ranking_rules.screen_table(nav, lb_meta, window, as_of, rules, activity)
        ok = table.loc[table["eligible"] & ~table["closed"].astype(bool)]
        weights = {int(p): float(d) for p, d in zip(ok["portfolio_id"], ok["dsr"]) if np.isfinite(d) and d > 0}
        dsr[i] = weights
        eligible_count[sessions[i]] = len(weights)
    # dsr in force at each decision session
    in_force = np.full(n_dec, -1)
    for i in starts:
        in_force[i:] = i

    col = {c: j for j, c in enumerate(codes)}
    num_hold = np.zeros((n_dec, n_codes))
    num_flow = np.zeros((n_dec, n_codes))
    holders = np.zeros((n_dec, n_codes))
    den = np.zeros(n_dec)
    count = np.zeros(n_dec)
    decision_days = sessions.values.astype("datetime64[D]")
    for pid, vs in vers.items():
        weight_t = np.array([dsr.get(in_force[i], {}).get(pid, 0.0) if in_force[i] >= 0 else 0.0
                             for i in range(n_dec)])
        c_day = closed_on.get(pid)
        if c_day is not None:   # closed by the close of t−1 → out of the crowd at t
            prev_day = np.concatenate([[np.datetime64("NaT")], decision_days[:-1]])
            weight_t = np.where(prev_day >= np.datetime64(c_day, "D"), 0.0, weight_t)
        if not weight_t.any():
            continue
        # target weights in force after each close; then as known before t (row t = after close t−1)
        after_close = np.zeros((len(days), n_codes))
        for ver in sorted(vs, key=lambda v: (v.placed_at, v.version)):
            at = portfolios.fill_session_index(days, ver.placed_at)
            if at >= len(days):
                continue
            vec = np.zeros(n_codes)
            for code, bp in ver.weights_bp.items():
                if code in col:
                    vec[col[code]] = bp / FULL_BP
            after_close[at:] = vec
        known = np.zeros((n_dec, n_codes))
        known[1:len(days) + 1] = after_close
        past = np.zeros_like(known)
        past[FLOW_LOOKBACK:] = known[:-FLOW_LOOKBACK]
        w = weight_t[:, None]
        num_hold += w * (known > 0)
        num_flow += w * (known - past)
        holders += (weight_t[:, None] > 0) * (known > 0)
        den += weight_t
        count += weight_t > 0
    with np.errstate(invalid="ignore", divide="ignore"):
        share = np.where(den[:, None] > 0, num_hold / den[:, None], np.nan)
        flow = np.where(den[:, None] > 0, num_flow / den[:, None], np.nan)
    frames = {
        "crowd_share": pd.DataFrame(share, index=sessions, columns=list(codes)),
        "crowd_flow": pd.DataFrame(flow, index=sessions, columns=list(codes)),
        "crowd_holders": pd.DataFrame(holders, index=sessions, columns=list(codes)),
        "crowd_n": pd.DataFrame(np.repeat(count[:, None], n_codes, axis=1), index=sessions, columns=list(codes)),
    }
    return frames, pd.Series(eligible_count, name="eligible", dtype=float)


def build_features(inputs: IdeasInputs, window: str = CROWD_WINDOW) -> FeatureSet:
    """Every feature, the no-score reason and the forward return per (session, fund)."""
    closes = inputs.closes.sort_index()
    if not isinstance(closes.index, pd.DatetimeIndex) or closes.index.tz is not None:
        raise ValidationError("closes must be indexed by tz-naive session dates")
    codes = [str(c) for c in inputs.funds["code"]]
    if not codes:
        raise ValidationError("no funds to rank")
    sessions = decision_sessions(closes)
    fund_closes = closes.reindex(columns=codes)
    frames: dict[str, pd.DataFrame] = {}
    frames.update(price_features(fund_closes, sessions))
    frames.update(post_features(inputs.posts, sessions, codes))
    crowd, schedule = crowd_features(closes, sessions, codes, inputs.versions, inputs.meta, inputs.activity, window)
    frames.update(crowd)
    long = pd.DataFrame({name: f.stack(future_stack=True) for name, f in frames.items()})
    long.index = long.index.set_names(["session", "code"])
    reason = np.where(long["n_closes"] <= 0, REASON_NOT_LISTED,
                      np.where(long["n_closes"] < MIN_PRICE_CLOSES, REASON_PRICES,
                               np.where(long["posts_20"] <= 0, REASON_POSTS, "")))
    long["reason"] = reason
    isna = long[list(FEATURES)].isna().to_numpy()
    names = np.array(FEATURES, dtype=object)
    long["missing"] = [",".join(names[row]) for row in isna]
    long["n_posts_20"] = long.pop("posts_20").astype(int)
    long["n_closes"] = long["n_closes"].astype(int)
    return FeatureSet(features=long, sessions=sessions, last_close=pd.Timestamp(closes.index[-1]),
                      dsr_schedule=schedule, is_demo=inputs.is_demo)


# --------------------------------------------------------------------------- scores

def cross_sectional_z(features: pd.DataFrame) -> pd.DataFrame:
    """z-scores of FEATURES per session over the scoreable funds (reason == ''), clipped to
    ±3; missing values and zero-dispersion features → 0. Sessions with fewer than
    ``MIN_FUNDS_PER_DATE`` scoreable funds are dropped."""
    ok = features.loc[features["reason"] == "", list(FEATURES)]
    sizes = ok.groupby(level="session").size()
    ok = ok[ok.index.get_level_values("session").isin(sizes.index[sizes >= MIN_FUNDS_PER_DATE])]
    grouped = ok.groupby(level="session")
    mean, std = grouped.transform("mean"), grouped.transform("std", ddof=0)
    z = (ok - mean) / std.where(std > 1e-12)
    return z.clip(-Z_CLIP, Z_CLIP).fillna(0.0)


def normalise_weights(weights: Mapping[str, float]) -> dict[str, float]:
    """Weights over FEATURES scaled to Σ|w| = 1 (unknown names rejected; all zero rejected)."""
    unknown = set(weights) - set(FEATURES)
    if unknown:
        raise ValidationError(f"unknown feature(s) in weights: {', '.join(sorted(unknown))}; "
                              f"choose from {', '.join(FEATURES)}")
    raw = {f: float(weights.get(f, 0.0)) for f in FEATURES}
    if any(not math.isfinite(v) for v in raw.values()):
        raise ValidationError("weights must be finite numbers")
    total = sum(abs(v) for v in raw.values())
    if total == 0:
        raise ValidationError("at least one weight must be non-zero")
    return {f: v / total for f, v in raw.items()}


def preset_weights(name: str) -> dict[str, float]:
    if name not in PRESETS:
        raise ValidationError(f"unknown preset {name!r}; choose from {', '.join(PRESETS)}")
    return {f: float(PRESETS[name].get(f, 0.0)) for f in FEATURES}


def _rank_within_session(score: pd.Series) -> pd.Series:
    """1 = highest score per session; ties broken by code (stable)."""
    frame = score.rename("score").reset_index().sort_values(["session", "score", "code"],
                                                             ascending=[True, False, True], kind="mergesort")
    frame["rank"] = frame.groupby("session").cumcount() + 1
    return frame.set_index(["session", "code"])["rank"].reindex(score.index)


def _scores_table(z: pd.DataFrame, coef: pd.DataFrame) -> pd.DataFrame:
    """contributions = coef × z (coef aligned row by row), score = their sum, rank."""
    contrib = z * coef.to_numpy()
    table = contrib.add_prefix("c_")
    table.insert(0, "score", contrib.sum(axis=1))
    table.insert(1, "rank", _rank_within_session(table["score"]).astype(int))
    return table


def composite_scores(fs: FeatureSet, weights: Mapping[str, float]) -> Scores:
    """Score = Σ w_f · z_f with Σ|w| = 1 (see the module docstring)."""
    norm = normalise_weights(weights)
    z = cross_sectional_z(fs.features)
    coef = pd.DataFrame([list(norm.values())] * len(z), index=z.index, columns=list(FEATURES))
    return Scores(table=_scores_table(z, coef), method="composite", weights=norm)


def forward_rank_label(fs: FeatureSet, index: pd.Index) -> pd.Series:
    """Cross-sectional percentile rank (0..1) of the forward return minus 0.5, per session."""
    fwd = fs.features.loc[index, "fwd_return"]
    return fwd.groupby(level="session").rank(pct=True) - 0.5


def walk_forward_model(fs: FeatureSet, *, alpha: float = 10.0, retrain_every: int = RETRAIN_EVERY,
                       min_train_dates: int = MIN_TRAIN_DATES, horizon: int = HORIZON) -> Scores:
    """Ridge regression of the forward-rank label on z-scores, walk-forward (expanding
    window, retrained every ``retrain_every`` sessions, training sessions s ≤ t − horizon − 1)."""
    from sklearn.linear_model import Ridge

    z = cross_sectional_z(fs.features)
    label = forward_rank_label(fs, z.index)
    pos_of = {s: i for i, s in enumerate(fs.sessions)}
    z_pos = np.array([pos_of[s] for s in z.index.get_level_values("session")])
    has_label = label.notna().to_numpy()
    dates = np.unique(z_pos)
    coef_rows: dict[pd.Timestamp, np.ndarray] = {}
    current: np.ndarray | None = None
    next_retrain = None
    out_coef = np.full((len(z), len(FEATURES)), np.nan)
    for i in dates:
        if next_retrain is None or i >= next_retrain:
            train = (z_pos <= i - horizon - 1) & has_label
            if len(np.unique(z_pos[train])) >= min_train_dates:
                model = Ridge(alpha=alpha).fit(z.to_numpy()[train], label.to_numpy()[train])
                current = np.asarray(model.coef_, dtype=float)
                coef_rows[fs.sessions[i]] = current
                next_retrain = i + retrain_every
        if current is not None:
            out_coef[z_pos == i] = current
    keep = ~np.isnan(out_coef[:, 0])
    zk = z[keep]
    coef = pd.DataFrame(out_coef[keep], index=zk.index, columns=list(FEATURES))
    table = _scores_table(zk, coef) if len(zk) else _scores_table(z.iloc[:0], coef)
    models = pd.DataFrame.from_dict(coef_rows, orient="index", columns=list(FEATURES))
    models.index.name = "retrained_at"
    latest = dict(zip(FEATURES, map(float, current))) if current is not None else {}
    return Scores(table=table, method="model", weights=latest, models=models)


# --------------------------------------------------------------------------- evidence

def _spearman_by_session(score: pd.Series, fwd: pd.Series) -> pd.Series:
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
    denom = np.sqrt(sums["ss"] * sums["ff"])
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
        k = max(1, int(math.ceil(len(day) / 5)))
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


def verdict_text(ev: Evidence, lang: str = "zh", *, is_demo: bool = False) -> str:
    """The plain-language verdict (zh or en), with the demo caveat when on demo data."""
    from socialfund.view.i18n import t

    fmt = {"ic": f"{ev.mean_ic:+.3f}" if math.isfinite(ev.mean_ic) else "—",
           "t": f"{ev.ic_tstat:+.2f}" if math.isfinite(ev.ic_tstat) else "—", "n": ev.n_dates}
    text = t(f"ideas.verdict.{ev.verdict}", lang, **fmt)
    if is_demo:
        text += " " + t("ideas.verdict.demo", lang)
    return text


# --------------------------------------------------------------------------- ranked list

REASON_WORDS = {  # feature → (i18n key when z > 0, key when z < 0)
    f: (f"ideas.why.{f}.high", f"ideas.why.{f}.low") for f in FEATURES}


def parse_as_of(value: dt.date | str) -> dt.date:
    """A YYYY-MM-DD date (or a date) → ``datetime.date``; anything else is a ValidationError."""
    if isinstance(value, dt.date):
        return value if not isinstance(value, dt.datetime) else value.date()
    try:
        return dt.date.fromisoformat(str(value).strip())
    except ValueError:
        raise ValidationError(f"as-of date is not a date: {value!r} (use YYYY-MM-DD)") from None


def resolve_session(fs: FeatureSet, as_of: dt.date | str | None) -> pd.Timestamp:
    """The decision session for ``as_of``: the last decision session on or before it
    (default: the latest, provisional one)."""
    if as_of is None:
        return fs.sessions[-1]
    stamp = pd.Timestamp(parse_as_of(as_of))
    pos = fs.sessions.searchsorted(stamp, side="right") - 1
    if pos < 0:
        raise ValidationError(f"as-of date {stamp.date()} is before the first session {fs.sessions[0].date()}")
    return fs.sessions[pos]


def reasons_in_words(row: pd.Series, z_row: pd.Series | None, lang: str = "zh", top: int = 2) -> str:
    """The ``top`` largest contributions as words: ↑ pushes the score up, ↓ down."""
    from socialfund.view.i18n import t

    contrib = pd.Series({f: float(row.get(f"c_{f}", 0.0)) for f in FEATURES})
    contrib = contrib[contrib.abs() > 1e-9]
    if contrib.empty:
        return t("ideas.why.none", lang)
    parts = []
    for f in contrib.abs().sort_values(ascending=False, kind="mergesort").index[:top]:
        z = float(z_row[f]) if z_row is not None else float(np.sign(contrib[f]))
        key = REASON_WORDS[f][0] if z >= 0 else REASON_WORDS[f][1]
        parts.append(("↑" if contrib[f] > 0 else "↓") + t(key, lang))
    return t("ideas.why.sep", lang).join(parts)


def ranked_list(fs: FeatureSet, scores: Scores, as_of: dt.date | str | None = None, *, lang: str = "zh",
                top: int | None = None) -> pd.DataFrame:
    """The ranking at one decision session: one row per fund (scored first, best first;
    then unscored funds with their ``reason``). Columns: code, session, score, rank,
    rank_change (rank 20 sessions earlier − now; + = moved up), why, reason and c_*."""
    session = resolve_session(fs, as_of)
    feats = fs.features.xs(session, level="session")
    table = scores.table
    if session in table.index.get_level_values("session"):
        now = table.xs(session, level="session")
    else:
        now = table.iloc[:0].droplevel("session")
    pos = fs.sessions.get_loc(session)
    before = fs.sessions[pos - HORIZON] if pos >= HORIZON else None
    prev_rank = (table.xs(before, level="session")["rank"]
                 if before is not None and before in table.index.get_level_values("session") else pd.Series(dtype=float))
    z = cross_sectional_z(fs.features)
    z_now = z.xs(session, level="session") if session in z.index.get_level_values("session") else None
    rows = []
    for code in feats.index:
        reason = feats.at[code, "reason"]
        if code in now.index:
            r = now.loc[code]
            rank = int(r["rank"])
            change = (int(prev_rank[code]) - rank) if code in prev_rank.index else None
            rows.append({"code": code, "score": float(r["score"]), "rank": rank, "rank_change": change,
                         "why": reasons_in_words(r, z_now.loc[code] if z_now is not None else None, lang),
                         "reason": "", **{f"c_{f}": float(r[f"c_{f}"]) for f in FEATURES}})
        else:
            if not reason:
                reason = ("model not trained yet (too little history)" if scores.method == "model"
                          else f"fewer than {MIN_FUNDS_PER_DATE} funds with data that day")
            rows.append({"code": code, "score": math.nan, "rank": None, "rank_change": None, "why": "",
                         "reason": reason, **{f"c_{f}": math.nan for f in FEATURES}})
    out = pd.DataFrame(rows)
    out.insert(1, "session", session)
    out["_k"] = out["rank"].fillna(10**9)
    out = out.sort_values(["_k", "code"], kind="mergesort").drop(columns="_k").reset_index(drop=True)
    out["rank"] = out["rank"].astype("Int64")
    out["rank_change"] = out["rank_change"].astype("Int64")
    if top is not None:
        out = out[out["rank"].notna()].head(int(top))
    return out


def contributions_dict(row: Mapping[str, Any]) -> dict[str, float]:
    return {f: round(float(row[f"c_{f}"]), 6) + 0.0 for f in FEATURES}  # + 0.0: no "-0.0"


def run_scores(fs: FeatureSet, method: str = "composite", weights: Mapping[str, float] | None = None) -> Scores:
    """Composite (``weights``, default the balanced preset) or the walk-forward model."""
    if method == "composite":
        return composite_scores(fs, weights if weights is not None else preset_weights(DEFAULT_PRESET))
    if method == "model":
        return walk_forward_model(fs)
    raise ValidationError(f"unknown method {method!r}; choose composite or model")


# --------------------------------------------------------------------------- adapters (store, services)

def load_inputs(store: Any, provider: Any, scorer_spec: str = "finance", *,
                progress: Any = None) -> IdeasInputs:
    """Everything from the store and the market provider, through the other services:
    ``market_sessions.session_prices`` (XSHG session axis, US closes as-of aligned),
    ``scores.score_posts``/``scored_posts`` (score cache in the store) and
    ``community`` (public, non-deleted portfolios only). Index instruments are not ranked."""
    from socialfund.store import community
    from socialfund.services import scores
    from socialfund.market import sessions as market_sessions
    from socialfund.sentiment import get_scorer

    universe = provider.universe()
    funds = pd.DataFrame([{"code": i.code, "name_zh": i.name_zh, "name_en": i.name_en, "category": i.category,
                           "kind": i.kind} for i in universe if i.kind != "index"])
    closes = market_sessions.session_prices(provider, None)
    scorer = get_scorer(scorer_spec)
    scores.score_posts(store, scorer, progress=progress)
    scored = scores.scored_posts(store, scorer.version)[["code", "published_at", "score", "label"]]
    meta = community.public_only(community.portfolio_meta(store)).copy()
    ids = [int(i) for i in meta["portfolio_id"]]
    versions = community.versions_by_portfolio(store, ids)
    activity = pd.DataFrame(
        [(pid, v.placed_at) for pid, vs in versions.items() for v in vs]
        + [(pid, at) for pid, at in zip(meta["portfolio_id"], meta["confirmed_at"]) if pd.notna(at)],
        columns=["portfolio_id", "at"])
    meta["category"] = meta["style"]
    data = provider.closes([closes.columns[0]])
    return IdeasInputs(closes=closes, funds=funds, posts=scored, versions=versions, meta=meta,
                       activity=activity, is_demo=bool(getattr(data, "is_demo", False)))


__all__ = [
    "FEATURES", "PRESETS", "METHODS", "HORIZON", "IdeasInputs", "FeatureSet", "Scores", "Evidence",
    "build_features", "composite_scores", "walk_forward_model", "evidence", "verdict_text", "ranked_list",
    "run_scores", "load_inputs", "normalise_weights", "preset_weights", "cross_sectional_z", "resolve_session",
    "decision_sessions", "post_decision_index", "contributions_dict",
]
