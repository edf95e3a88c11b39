"""Fund-idea features: the decision-session axis and every feature per (session, fund),
built so that nothing at session t depends on anything known only after t's open.

Timing (the one rule everything here follows)
---------------------------------------------
A ranking is made for a **decision session** t, *before its open* (09:30 Asia/Shanghai).
It may use only:

* prices: closes of sessions **before** t (``closes`` is on the XSHG session axis; US
  funds are already "as of" aligned by ``market.sessions.align_to_sessions``). A missing close
  (suspension) carries the last known close for at most ``core.sessions.MAX_CARRY_SESSIONS``
  sessions: that is the last information, not a guess. Beyond it the series is stale, not
  flat (a dead fund carried forward would look like zero volatility and zero drawdown);
* posts: published **before 09:30 Shanghai on t** (a post after the 15:00 close of t−1,
  or overnight, counts for t; a post during t's trading hours counts for the next one);
* community rebalances: target weights of versions that had **filled by the close of
  t−1** (a version placed on Shanghai day d fills at the first session after d);
* luck-corrected skill (deflated Sharpe, ``core.ranking_rules.screen_table``): recomputed on a
  **monthly schedule** — at the first decision session of each calendar month, from
  NAVs and activity up to the previous session — and held until the next month.
  (Every session would mean ~20× more ``screen_table`` runs: 728 instead of 36 on the demo.)

After the last close, one *provisional* decision session is appended (the next weekday;
holidays unknown), so "today's" ranking uses every close there is.

Features (per fund per decision session; formulas)
--------------------------------------------------
P = last known close before t.
* ``mom_20/60/120`` = P(t−1) / P(t−1−k) − 1 (k sessions back).
* ``vol_60`` = standard deviation of the last 60 daily simple returns × √252 (``PERIODS_PER_YEAR``).
* ``drawdown`` = P(t−1) / max(P over the last 252 sessions, a year) − 1 (≤ 0).
* ``sent_level`` = mean post score (0..1, 0.5 neutral) of the scored posts of the last 5
  decision sessions (pooled).
* ``sent_shift`` = z-score of ``sent_level`` against its previous 20 values (≥ 10 needed).
* ``post_volume_z`` = z-score of the post count of the last 5 sessions against its
  previous 20 values.
* ``bullishness`` = ln((1 + N_bull) / (1 + N_bear)) over the last 5 sessions
  (Antweiler & Frank 2004; pos/neg labels of the scorer).
* ``crowd_share`` = Σ DSR_p · 1[p holds the fund] / Σ DSR_p over the eligible, open,
  public leaderboard portfolios p (target weights in force; DSR = deflated Sharpe).
  "Public" and "open" are as of the close of t−1 (``IdeasInputs.public_spans``; a deleted
  portfolio counts as closed on its deletion day), so later changes never reach back.
* ``crowd_flow`` = Σ DSR_p · (w_p,f now − w_p,f 20 sessions ago) / Σ DSR_p: the
  skill-weighted net weight change (fraction of a portfolio) from recent rebalances.

A fund gets **no score** (with a ``reason``) when it has no close before t ("no prices at
all"), when its last close before t is more than ``MAX_CARRY_SESSIONS`` sessions before
t − 1 ("no price since YYYY-MM-DD", ``stale_reason``), when it has fewer than 121 closes
before t ("fewer than 120 sessions of prices") or no post in the last 20 sessions ("no
posts in 20 sessions"), in that order. Other missing values (e.g. no eligible portfolio yet, no scored post in 5
sessions) are listed in ``missing`` and enter the scores as 0 = the cross-sectional mean.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from socialfund import portfolios
from socialfund.core import ranking_rules
from socialfund.core.errors import ValidationError
from socialfund.core.models import PortfolioVersion
from socialfund.core.sessions import MAX_CARRY_SESSIONS, PERIODS_PER_YEAR
from socialfund.core.weights import CASH, FULL_BP
from socialfund.social.aggregate import bullishness, rolling_z

HORIZON = 20                  # sessions: forward-return horizon of the label and the evidence
MIN_PRICE_CLOSES = 121        # closes needed for a 120-session momentum
SENT_WINDOW = 5               # sessions pooled for the sentiment level / bullishness / volume
Z_LOOKBACK = 20               # sessions of history for the sentiment shift and volume z-scores
Z_MIN_PERIODS = 10
POSTS_LOOKBACK = 20           # a fund without a post in this many sessions gets no score
DRAWDOWN_WINDOW = PERIODS_PER_YEAR
VOL_WINDOW = 60
FLOW_LOOKBACK = 20
MARKET_OPEN_UTC = pd.Timedelta(hours=1, minutes=30)   # 09:30 Asia/Shanghai (UTC+8, no DST)
CROWD_WINDOW = "6M"           # leaderboard window behind the crowd's deflated Sharpe

FEATURES: tuple[str, ...] = ("mom_20", "mom_60", "mom_120", "vol_60", "drawdown", "sent_level", "sent_shift",
                             "post_volume_z", "bullishness", "crowd_share", "crowd_flow")

REASON_PRICES = "fewer than 120 sessions of prices"
REASON_POSTS = "no posts in 20 sessions"
REASON_NOT_LISTED = "no prices at all"
REASON_STALE = "no price since "   # + the ISO date of the last close (``stale_reason``)


def stale_reason(last_close: dt.date | pd.Timestamp) -> str:
    """The no-score reason of a series whose last close before t is ``last_close``,
    more than ``MAX_CARRY_SESSIONS`` sessions back."""
    return f"{REASON_STALE}{pd.Timestamp(last_close).date().isoformat()}"


def stale_since(reason: str) -> str | None:
    """The date (YYYY-MM-DD) of a ``stale_reason``; None for any other reason."""
    return reason[len(REASON_STALE):] if reason.startswith(REASON_STALE) else None


@dataclass(frozen=True)
class IdeasInputs:
    """Plain data the whole pipeline runs on (build with ``services.ideas.load_inputs`` or by hand).

    ``closes``: XSHG sessions (tz-naive DatetimeIndex) × codes, adjusted closes, NaN when
    not quoted. ``funds``: columns ``code, name_zh, name_en, category`` — the funds to rank.
    ``posts``: ``code, published_at`` (naive UTC), ``score`` (0..1 or NaN), ``label``
    (pos/neu/neg or None). ``versions``: public portfolios' versions. ``meta``:
    ``portfolio_id, visibility, created_on, closed_on`` (+ optional leaderboard columns).
    ``activity``: ``portfolio_id, at`` rebalance/confirmation times (default: placements).
    ``public_spans``: ``portfolio_id, public_from, public_until`` — the Shanghai days each
    portfolio was public (``store.community.public_spans``); the crowd at session t is the
    portfolios public at the end of day t−1. None: ``meta.visibility`` holds at every date."""

    closes: pd.DataFrame
    funds: pd.DataFrame
    posts: pd.DataFrame
    versions: Mapping[int, Sequence[PortfolioVersion]]
    meta: pd.DataFrame
    activity: pd.DataFrame | None = None
    is_demo: bool = False
    public_spans: pd.DataFrame | None = None


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


# --------------------------------------------------------------------------- time axis

def decision_sessions(closes: pd.DataFrame) -> pd.DatetimeIndex:
    """Sessions of ``closes`` plus one provisional next session (the next weekday)."""
    index = pd.DatetimeIndex(closes.index).normalize()
    if len(index) == 0:
        raise ValidationError("no prices: cannot build the session axis")
    if not index.is_monotonic_increasing or index.has_duplicates:
        raise ValidationError("closes must be indexed by strictly increasing session dates")
    nxt = index[-1] + pd.offsets.BDay(1)
    return pd.DatetimeIndex(index.append(pd.DatetimeIndex([nxt])), name="session")


def post_decision_index(published_utc: pd.Series, sessions: pd.DatetimeIndex) -> np.ndarray:
    """Position in ``sessions`` of the first decision session whose 09:30 Shanghai open is
    strictly after the post's time (naive UTC); ``len(sessions)`` when none is."""
    opens = (pd.DatetimeIndex(sessions) + MARKET_OPEN_UTC).values
    times = pd.to_datetime(published_utc).values.astype(opens.dtype)
    return np.searchsorted(opens, times, side="right")


# --------------------------------------------------------------------------- features

def price_features(closes: pd.DataFrame, sessions: pd.DatetimeIndex) -> dict[str, pd.DataFrame]:
    """Momentum, volatility, drawdown, closes count, the last close's session and the
    forward return, on ``sessions`` (decision axis). Every value at t uses closes before t
    only, except ``fwd_return`` (the label) = close(t + HORIZON) / close(t) − 1. Closes are
    carried for at most ``MAX_CARRY_SESSIONS`` sessions (NaN beyond: stale, not flat)."""
    known = closes.reindex(sessions)                   # provisional row: NaN
    carried = known.ffill(limit=MAX_CARRY_SESSIONS)    # last known close, within the carry limit
    prev = carried.shift(1)                            # last close before t
    n_closes = known.notna().cumsum().shift(1).fillna(0)
    quoted_on = pd.DataFrame(np.where(known.notna(), np.arange(len(sessions))[:, None], np.nan),
                             index=sessions, columns=known.columns)
    last_close_pos = quoted_on.ffill().shift(1)        # position of the last close before t
    daily = carried.pct_change(fill_method=None)
    out = {f"mom_{k}": prev / prev.shift(k) - 1.0 for k in (20, 60, 120)}
    out["vol_60"] = daily.shift(1).rolling(VOL_WINDOW, min_periods=VOL_WINDOW).std(ddof=1) * math.sqrt(PERIODS_PER_YEAR)
    out["drawdown"] = prev / prev.rolling(DRAWDOWN_WINDOW, min_periods=MIN_PRICE_CLOSES - 1).max() - 1.0
    out["n_closes"] = n_closes
    out["last_close_pos"] = last_close_pos
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
        "sent_shift": rolling_z(level, Z_LOOKBACK, Z_MIN_PERIODS),
        "post_volume_z": rolling_z(pooled["n"], Z_LOOKBACK, Z_MIN_PERIODS),
        "bullishness": bullishness(pooled["bull"], pooled["bear"]),
        "posts_20": frames["n"].rolling(POSTS_LOOKBACK, min_periods=1).sum(),
    }


def _leaderboard_meta(meta: pd.DataFrame) -> pd.DataFrame:
    """The columns ``ranking_rules.screen_table`` needs, with neutral defaults."""
    out = meta.copy()
    defaults: dict[str, Any] = {"name": "", "owner_id": 0, "last_rebalance_at": pd.NaT, "category": "",
                                "followers": 0, "copiers": 0, "created_on": None, "closed_on": None}
    for col in ranking_rules.META_COLUMNS:
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


def public_on_days(spans: pd.DataFrame, portfolio_id: int, days: np.ndarray) -> np.ndarray:
    """For each day of ``days`` (datetime64[D], NaT allowed): was the portfolio public at
    its end (``IdeasInputs.public_spans``: from ≤ day < until)?"""
    out = np.zeros(len(days), dtype=bool)
    for start, until in spans.loc[spans["portfolio_id"].astype(int) == portfolio_id,
                                  ["public_from", "public_until"]].itertuples(index=False):
        hit = days >= np.datetime64(start, "D")
        if until is not None and not pd.isna(until):
            hit &= days < np.datetime64(until, "D")
        out |= hit
    return out


def crowd_features(closes: pd.DataFrame, sessions: pd.DatetimeIndex, codes: Sequence[str],
                   versions: Mapping[int, Sequence[PortfolioVersion]], meta: pd.DataFrame,
                   activity: pd.DataFrame | None = None, window: str = CROWD_WINDOW,
                   public_spans: pd.DataFrame | None = None) -> tuple[dict[str, pd.DataFrame], pd.Series]:
    """``crowd_share``, ``crowd_flow``, ``crowd_holders`` and ``crowd_n`` on ``sessions`` ×
    ``codes`` (see the module docstring), plus the monthly DSR schedule (date → eligible count).
    ``public_spans`` (``IdeasInputs``): each DSR recompute screens the portfolios public on its
    as-of day, and a portfolio's weight at t counts only if it was public at the end of t−1."""
    n_dec, n_codes = len(sessions), len(codes)
    empty = {k: pd.DataFrame(np.nan, index=sessions, columns=list(codes))
             for k in ("crowd_share", "crowd_flow")}
    zeros = {k: pd.DataFrame(0.0, index=sessions, columns=list(codes)) for k in ("crowd_holders", "crowd_n")}
    if public_spans is None:
        public_ids = set(meta.loc[meta["visibility"].astype(str) == "public", "portfolio_id"].astype(int))
    else:
        public_ids = set(public_spans["portfolio_id"].astype(int))
    vers = {int(p): list(v) for p, v in versions.items() if int(p) in public_ids and len(v)}
    available = set(map(str, closes.columns))
    vers = {p: v for p, v in vers.items()
            if all(c == CASH or c in available for ver in v for c in ver.weights_bp)}
    if not vers:
        return {**empty, **zeros}, pd.Series(dtype=float, name="eligible")
    meta = meta[meta["portfolio_id"].astype(int).isin(vers)]
    closed_on = {int(p): _as_date(c) for p, c in zip(meta["portfolio_id"], meta["closed_on"])}
    # a portfolio holding a broken series leaves the crowd from the session it breaks (its
    # NAV stops there: not covering a window, it is not eligible); no look-ahead either way
    nav = portfolios.nav_with_status(closes, vers, closed_on).nav
    if activity is None:
        activity = pd.DataFrame([(p, v.placed_at) for p, vs in vers.items() for v in vs],
                                columns=["portfolio_id", "at"])
    lb_meta = _leaderboard_meta(meta)
    if public_spans is not None:   # the screen's visibility gate: public on the day, set per recompute below
        lb_meta = lb_meta.assign(visibility="public")
    rules = ranking_rules.LeaderboardRules()
    days = pd.DatetimeIndex(closes.index).values.astype("datetime64[D]")

    # Monthly schedule: first decision session of each month, data up to the previous session.
    months = sessions.to_period("M")
    starts = [i for i in range(1, n_dec) if months[i] != months[i - 1] or i == 1]
    dsr: dict[int, dict[int, float]] = {}  # schedule index → {pid: dsr}
    eligible_count: dict[pd.Timestamp, int] = {}
    activity_days = pd.to_datetime(activity["at"], utc=True).dt.tz_convert("Asia/Shanghai").dt.date
    for i in starts:
        as_of = sessions[i - 1].date()
        if not (activity_days <= as_of).any():
            # nobody active yet (screen_table cannot take an empty activity history either)
            dsr[i], eligible_count[sessions[i]] = {}, 0
            continue
        screened = lb_meta
        if public_spans is not None:
            day = np.array([np.datetime64(as_of, "D")])
            screened = lb_meta.loc[[bool(public_on_days(public_spans, int(p), day)[0])
                                    for p in lb_meta["portfolio_id"]]]
        table, _ = ranking_rules.screen_table(nav, screened, window, as_of, rules, activity)
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
    prev_day = np.concatenate([[np.datetime64("NaT")], decision_days[:-1]])
    for pid, vs in vers.items():
        weight_t = np.array([dsr.get(in_force[i], {}).get(pid, 0.0) if in_force[i] >= 0 else 0.0
                             for i in range(n_dec)])
        c_day = closed_on.get(pid)
        if c_day is not None:   # closed by the close of t−1 → out of the crowd at t
            weight_t = np.where(prev_day >= np.datetime64(c_day, "D"), 0.0, weight_t)
        if public_spans is not None:   # made private since the month's recompute → out at once
            weight_t = np.where(public_on_days(public_spans, pid, prev_day), weight_t, 0.0)
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
    crowd, schedule = crowd_features(closes, sessions, codes, inputs.versions, inputs.meta, inputs.activity, window,
                                     inputs.public_spans)
    frames.update(crowd)
    long = pd.DataFrame({name: f.stack(future_stack=True) for name, f in frames.items()})
    long.index = long.index.set_names(["session", "code"])
    # stale: carried past the limit, so the last close before t is gone from ``price``
    last_pos = long.pop("last_close_pos")
    stale = (long["n_closes"] > 0) & long["price"].isna()
    stale_text = np.full(len(long), "", dtype=object)
    flagged = np.flatnonzero(stale.to_numpy())
    if flagged.size:
        last_day = sessions[last_pos.to_numpy()[flagged].astype(int)]
        stale_text[flagged] = [stale_reason(d) for d in last_day]
    reason = np.where(long["n_closes"] <= 0, REASON_NOT_LISTED,
                      np.where(stale, stale_text,
                               np.where(long["n_closes"] < MIN_PRICE_CLOSES, REASON_PRICES,
                                        np.where(long["posts_20"] <= 0, REASON_POSTS, ""))))
    long["reason"] = reason
    isna = long[list(FEATURES)].isna().to_numpy()
    names = np.array(FEATURES, dtype=object)
    long["missing"] = [",".join(names[row]) for row in isna]
    long["n_posts_20"] = long.pop("posts_20").astype(int)
    long["n_closes"] = long["n_closes"].astype(int)
    return FeatureSet(features=long, sessions=sessions, last_close=pd.Timestamp(closes.index[-1]),
                      dsr_schedule=schedule, is_demo=inputs.is_demo)
