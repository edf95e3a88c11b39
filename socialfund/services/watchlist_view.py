"""The Watchlist page's table (issue 12 part 4): one row per followed fund, from frames the
page already has — closes, the sentiment pipeline's per-session aggregates, the bull/bear
meter and the fund-ideas ranking. Pure: no store read here.

Columns (``WATCH_COLUMNS``), everything as of each fund's last close ``as_of`` (no value
uses data dated after it):

* ``close`` the last adjusted close; ``d1_pct`` = (close_t / close_{t−1} − 1) × 100 (percent,
  t−1 the previous session); ``m1_pct`` = (close_t / close_m − 1) × 100 where close_m is the last
  close on or before the same day one calendar month earlier (NaN when the series is shorter);
* ``level`` the model's mean score (0–1, 0.5 neutral) of the latest session ≤ as_of with scored
  posts (``level_session``), ``z`` that session's shift z (``aggregate.rolling_z``: against the
  previous 20 sessions; NaN with fewer than 10);
* ``posts_7`` posts counted for the fund's last 7 sessions ≤ as_of (``meter.window_sessions``);
* ``rank`` the fund's idea rank (1 best; NaN when unranked) in the ranking given;
* ``bull_share`` the meter's self-tag bull share (``social.meter``).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from socialfund.social import meter as maths

WATCH_COLUMNS = ["code", "as_of", "close", "d1_pct", "m1_pct", "level", "level_session", "z", "posts_7",
                 "rank", "bull_share"]


def price_change(close: pd.Series) -> dict[str, object]:
    """``as_of``, ``close``, ``d1_pct``, ``m1_pct`` of one close series (see the module docstring)."""
    s = pd.to_numeric(close, errors="coerce").dropna().sort_index()
    nan = float("nan")
    if s.empty:
        return {"as_of": pd.NaT, "close": nan, "d1_pct": nan, "m1_pct": nan}
    last_day, last = pd.Timestamp(s.index[-1]), float(s.iloc[-1])
    d1 = (last / float(s.iloc[-2]) - 1.0) * 100.0 if len(s) >= 2 and float(s.iloc[-2]) else nan
    month_ago = last_day - pd.DateOffset(months=1)
    earlier = s[s.index <= month_ago]
    m1 = (last / float(earlier.iloc[-1]) - 1.0) * 100.0 if not earlier.empty and float(earlier.iloc[-1]) else nan
    return {"as_of": last_day, "close": last, "d1_pct": d1, "m1_pct": m1}


def sentiment_now(daily: pd.DataFrame, code: str, sessions: pd.DatetimeIndex,
                  as_of: pd.Timestamp | None) -> dict[str, object]:
    """``level``, ``level_session``, ``z``, ``posts_7`` of one fund from the pipeline's daily rows."""
    nan = float("nan")
    out: dict[str, object] = {"level": nan, "level_session": pd.NaT, "z": nan, "posts_7": 0}
    if daily.empty or as_of is None or pd.isna(as_of):
        return out
    rows = daily[(daily["code"] == code) & (pd.to_datetime(daily["session"]) <= as_of)]
    win = maths.window_sessions(sessions, as_of.date())
    out["posts_7"] = int(rows.loc[pd.to_datetime(rows["session"]).isin(win), "n_posts"].sum())
    scored = rows[pd.to_numeric(rows["n_scored"], errors="coerce").fillna(0) > 0]
    if not scored.empty:
        last = scored.sort_values("session").iloc[-1]
        out["level"] = float(last["mean_score"])
        out["level_session"] = pd.Timestamp(last["session"])
        out["z"] = float(last["z"]) if pd.notna(last["z"]) else nan
    return out


def watch_table(codes: Sequence[str], closes: pd.DataFrame, daily: pd.DataFrame, meters: pd.DataFrame,
                ranks: pd.DataFrame | None) -> pd.DataFrame:
    """One ``WATCH_COLUMNS`` row per code, in ``codes``' order. ``ranks``: columns ``code, rank``
    (``ideas.ranking.ranked_list``) or None."""
    rank_of = ({str(c): r for c, r in zip(ranks["code"], ranks["rank"])} if ranks is not None and not ranks.empty
               else {})
    bull_of = dict(zip(meters["code"], meters["bull_share"])) if not meters.empty else {}
    rows = []
    for code in codes:
        series = closes[code] if code in closes.columns else pd.Series(dtype=float)
        price = price_change(series)
        sessions = pd.DatetimeIndex(series.dropna().index).normalize()
        as_of = price["as_of"]
        senti = sentiment_now(daily, code, sessions, as_of if isinstance(as_of, pd.Timestamp) else None)
        rank = rank_of.get(code)
        rows.append({"code": code, **price, **senti,
                     "rank": float(rank) if rank is not None and pd.notna(rank) else np.nan,
                     "bull_share": float(bull_of.get(code, np.nan))})
    return pd.DataFrame(rows, columns=WATCH_COLUMNS)
