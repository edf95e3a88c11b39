"""Per-fund, per-session sentiment aggregates with no look-ahead.

A post counts for the first trading session it could act on (before that session's close);
every value at session t depends only on posts readable before t's close. Inputs are frames
of posts with ``code, published_at (naive UTC), score, label, reads``.
"""

from __future__ import annotations

from typing import Any, TypeVar, overload

import numpy as np
import pandas as pd

from socialfund.core.post_days import CALENDAR_CLOSE, counts_from_days
from socialfund.core.timeutil import SHANGHAI

__all__ = ["CALENDAR_CLOSE"]   # re-exported: the rule itself lives in ``core.post_days``

Z_WINDOW = 20          # sessions of history for the sentiment z-score
Z_MIN_PERIODS = 10     # fewer past sessions with posts → no z-score
SHIFT_Z = 2.0
EXTREME_Z = 3.0

Labelled = TypeVar("Labelled", pd.Series, pd.DataFrame)   # rolling_z / bullishness keep the input's shape


def sessions_from_closes(closes: pd.DataFrame) -> dict[str, pd.DatetimeIndex]:
    """Each instrument's own session calendar: the dates where its close is not NaN."""
    return {str(c): pd.DatetimeIndex(closes.index[closes[c].notna()]).normalize() for c in closes.columns}


def assign_sessions(published_utc: pd.Series, sessions: pd.DatetimeIndex, calendar: str = "XSHG") -> pd.Series:
    """The trading session each post can first act on.

    A post published before the close (15:00 Asia/Shanghai on XSHG, 16:00 New York on
    XNYS) of a session day counts for that session; at or after the close, or on a day
    without a session, it counts for the NEXT session (``core.post_days.counts_from_days``,
    then ``sessions_for_days``)."""
    if published_utc.empty:
        return pd.Series([], dtype="datetime64[ns]", index=published_utc.index)
    days = counts_from_days(published_utc, calendar)
    return pd.Series(sessions_for_days(days, sessions), index=published_utc.index, name="session")


def sessions_for_days(days: Any, sessions: pd.DatetimeIndex) -> np.ndarray:
    """The first session of ``sessions`` on or after each counts-from day (``datetime64``).
    Beyond either end of the known calendar, weekdays (Mon-Fri) stand in for sessions
    (provisional: holidays unknown)."""
    candidate = np.asarray(days, dtype="datetime64[ns]")
    if len(candidate) == 0:
        return candidate
    sess = pd.DatetimeIndex(sessions).normalize().unique().sort_values()
    lo, hi = pd.Timestamp(candidate.min()), pd.Timestamp(candidate.max())
    if len(sess) == 0:
        sess = pd.bdate_range(lo, hi + pd.Timedelta(days=7))
    else:
        if lo < sess[0]:
            sess = pd.DatetimeIndex(pd.bdate_range(lo, sess[0] - pd.Timedelta(days=1)).append(sess))
        if hi > sess[-1]:
            sess = pd.DatetimeIndex(sess.append(pd.bdate_range(sess[-1] + pd.Timedelta(days=1),
                                                               hi + pd.Timedelta(days=7))))
    values = np.asarray(sess.values, dtype="datetime64[ns]")
    return values[np.searchsorted(values, candidate, side="left")]


def with_sessions(posts: pd.DataFrame, sessions_by_code: dict[str, pd.DatetimeIndex],
                  calendars: dict[str, str] | None = None) -> pd.DataFrame:
    """``posts`` plus a ``session`` column (see ``assign_sessions``), per fund's calendar."""
    out = posts.copy()
    out["session"] = pd.Series(pd.NaT, index=out.index, dtype="datetime64[ns]")
    for code, part in out.groupby("code"):
        cal = (calendars or {}).get(str(code), "XSHG")
        out.loc[part.index, "session"] = assign_sessions(
            part["published_at"], sessions_by_code.get(str(code), pd.DatetimeIndex([])), cal)
    out["session"] = pd.to_datetime(out["session"])
    return out


DAILY_COLUMNS = ["code", "session", "n_posts", "n_scored", "n_bull", "n_bear", "mean_score",
                 "share_bull", "bullishness", "reads_weighted", "z", "alert"]


def daily_sentiment(posts: pd.DataFrame, sessions_by_code: dict[str, pd.DatetimeIndex],
                    calendars: dict[str, str] | None = None) -> pd.DataFrame:
    """Per fund per trading session, from posts with ``code, published_at, score, label, reads``.

    Columns (one row for every session from a fund's first to its last post session,
    zero-post sessions included):

    * ``n_posts`` all posts; ``n_scored`` posts with a score; ``n_bull`` / ``n_bear``
      posts labelled pos / neg;
    * ``mean_score`` mean score in [0, 1] (0.5 neutral) of scored posts;
    * ``share_bull`` = n_bull / n_scored;
    * ``bullishness`` B = ln((1 + n_bull) / (1 + n_bear)) (Antweiler & Frank 2004), 0 = balanced;
    * ``reads_weighted`` = Σ score·(1 + reads) / Σ (1 + reads): a post without a read count weighs 1;
    * ``z`` = (mean_score_t − mean of the previous 20 sessions' mean_score) / their standard
      deviation (sample, ddof 1); only sessions BEFORE t are used; needs ≥ 10 of them with posts;
    * ``alert`` 'extreme' when |z| > 3, 'shift' when |z| > 2, else ''.

    Only posts that could be read before a session's close count for it, so every value at
    session t is unchanged by anything published after t's close."""
    if posts.empty:
        return pd.DataFrame(columns=DAILY_COLUMNS)
    return daily_from_tagged(with_sessions(posts, sessions_by_code, calendars), sessions_by_code)


def daily_from_tagged(tagged: pd.DataFrame, sessions_by_code: dict[str, pd.DatetimeIndex]) -> pd.DataFrame:
    """``daily_sentiment`` of posts that already carry their ``session`` (``with_sessions``),
    for callers that keep the tagged posts too and should not assign sessions twice."""
    if tagged.empty:
        return pd.DataFrame(columns=DAILY_COLUMNS)
    return daily_from_sums(post_sums(tagged, "session"), sessions_by_code)


SUM_COLUMNS = ["n_posts", "n_scored", "n_bull", "n_bear", "score_sum", "sw", "w"]


def post_sums(posts: pd.DataFrame, by: str) -> pd.DataFrame:
    """Per ``code`` and ``by`` (a session or a counts-from day column), the additive sums every
    daily figure is made of (``SUM_COLUMNS``): posts, scored posts, posts labelled pos / neg,
    Σ score, Σ score·(1 + reads) and Σ (1 + reads) of scored posts (no read count weighs 1)."""
    score = pd.to_numeric(posts["score"], errors="coerce").astype(float)
    scored = score.notna()
    w = 1.0 + pd.to_numeric(posts["reads"], errors="coerce").fillna(0.0).astype(float)
    parts = pd.DataFrame({
        "code": posts["code"].to_numpy(), by: posts[by].to_numpy(),
        "n_posts": 1, "n_scored": scored.astype(int).to_numpy(),
        "n_bull": (posts["label"] == "pos").astype(int).to_numpy(),
        "n_bear": (posts["label"] == "neg").astype(int).to_numpy(),
        "score_sum": score.fillna(0.0).to_numpy(), "sw": (score * w).fillna(0.0).to_numpy(),
        "w": w.where(scored, 0.0).to_numpy()})
    return parts.groupby(["code", by], sort=True, as_index=False)[SUM_COLUMNS].sum()


def daily_from_sums(sums: pd.DataFrame, sessions_by_code: dict[str, pd.DatetimeIndex],
                    day_column: str = "session") -> pd.DataFrame:
    """``daily_sentiment`` from additive per-fund sums (``SUM_COLUMNS``, as ``post_sums`` or the
    store's ``sentiment_sums``): rows keyed by a session, or by a counts-from day
    (``day_column="day"``), which is moved onto each fund's calendar first
    (``sessions_for_days``) — the same rule, so the result equals the per-post computation."""
    if sums.empty:
        return pd.DataFrame(columns=DAILY_COLUMNS)
    frames = []
    for code, part in sums.groupby("code", sort=True):
        cal = pd.DatetimeIndex(sessions_by_code.get(str(code), pd.DatetimeIndex([]))).normalize()
        if day_column == "session":
            session = pd.to_datetime(part["session"]).to_numpy()
        else:
            session = sessions_for_days(pd.to_datetime(part[day_column]).to_numpy(), cal)
        g = part[SUM_COLUMNS].groupby(pd.DatetimeIndex(session, name="session")).sum()
        agg = g[g["n_posts"] > 0].astype({"n_posts": int, "n_scored": int, "n_bull": int, "n_bear": int})
        if agg.empty:
            continue
        grid = cal.union(pd.DatetimeIndex(agg.index))
        grid = grid[(grid >= agg.index.min()) & (grid <= agg.index.max())]
        agg = agg.reindex(grid)
        for col in ("n_posts", "n_scored", "n_bull", "n_bear"):
            agg[col] = agg[col].fillna(0).astype(int)
        scored = agg["n_scored"].where(agg["n_scored"] > 0)
        agg["mean_score"] = agg["score_sum"] / scored
        agg["share_bull"] = agg["n_bull"] / scored
        agg["bullishness"] = bullishness(agg["n_bull"], agg["n_bear"])
        agg["reads_weighted"] = agg["sw"] / agg["w"].where(agg["w"] > 0)
        agg["z"] = rolling_z(agg["mean_score"])
        agg["alert"] = alert_level(agg["z"])
        agg.index.name = "session"
        agg = agg.reset_index()
        agg.insert(0, "code", code)
        frames.append(agg[DAILY_COLUMNS])
    return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=DAILY_COLUMNS)


@overload
def bullishness(n_bull: Labelled, n_bear: Labelled) -> Labelled: ...
@overload
def bullishness(n_bull: float | np.ndarray, n_bear: float | np.ndarray) -> Any: ...
def bullishness(n_bull: Any, n_bear: Any) -> Any:
    """Antweiler & Frank (2004) bullishness B = ln((1 + N_bull) / (1 + N_bear)); 0 = balanced,
    works on scalars and arrays; a Series or DataFrame comes back with its labels."""
    value = np.log((1.0 + np.asarray(n_bull, dtype=float)) / (1.0 + np.asarray(n_bear, dtype=float)))
    if isinstance(n_bull, pd.DataFrame):
        return pd.DataFrame(value, index=n_bull.index, columns=n_bull.columns)
    if isinstance(n_bull, pd.Series):
        return pd.Series(value, index=n_bull.index, name="bullishness")
    return value


def rolling_z(values: Labelled, window: int = Z_WINDOW, min_periods: int = Z_MIN_PERIODS) -> Labelled:
    """z_t = (x_t − mean(x_{t−window..t−1})) / std(x_{t−window..t−1}); past values only;
    std 0 → NaN. A DataFrame is done column by column (each column its own series)."""
    past = values.shift(1).rolling(window, min_periods=min_periods)
    mean, std = past.mean(), past.std(ddof=1)
    return (values - mean) / std.where(std > 0)


def alert_level(z: pd.Series) -> pd.Series:
    level = np.where(z.abs() > EXTREME_Z, "extreme", np.where(z.abs() > SHIFT_Z, "shift", ""))
    return pd.Series(level, index=z.index)


def shift_alerts(daily: pd.DataFrame) -> pd.DataFrame:
    """Sessions whose mean sentiment moved more than 2 standard deviations from its
    previous 20 sessions, newest first."""
    alerts = daily[daily["alert"] != ""]
    return alerts.sort_values(["session", "code"], ascending=[False, True]).reset_index(drop=True)


def week_start(sessions: pd.Series) -> pd.Series:
    """Monday of each session's week."""
    s = pd.to_datetime(sessions)
    return (s - pd.to_timedelta(s.dt.weekday, unit="D")).dt.normalize()


def weekly_table(tagged: pd.DataFrame, value: str = "mean_score") -> pd.DataFrame:
    """Funds × weeks (Monday of the session week) of ``value``: 'mean_score' (mean score of
    the week's scored posts) or 'n_posts'. Input: posts with a ``session`` column."""
    if tagged.empty:
        return pd.DataFrame()
    df = tagged.assign(week=week_start(tagged["session"]))
    if value == "n_posts":
        table = df.pivot_table(index="code", columns="week", values="text", aggfunc="count")
    else:
        table = df.pivot_table(index="code", columns="week", values="score", aggfunc="mean")
    table.columns.name = "week"
    return table


def top_posts(tagged: pd.DataFrame, *, positive: bool = True, n: int = 10) -> pd.DataFrame:
    """The ``n`` most bullish (or bearish) scored posts; ties broken by reads (more first)."""
    scored = tagged[tagged["score"].notna()].copy()
    if scored.empty:
        return scored
    scored["_reads"] = pd.to_numeric(scored["reads"], errors="coerce").fillna(0)
    scored = scored.sort_values(["score", "_reads"], ascending=[not positive, False]).head(n)
    return scored.drop(columns="_reads").reset_index(drop=True)


def shanghai_time(utc_naive: pd.Series) -> pd.Series:
    """Naive UTC → naive Asia/Shanghai wall-clock time (for display)."""
    return pd.to_datetime(utc_naive).dt.tz_localize("UTC").dt.tz_convert(SHANGHAI).dt.tz_localize(None)
