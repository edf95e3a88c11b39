"""The bull/bear meter (StockTwits-style) beside the model: pure maths on prepared frames.

Inputs: written posts (``code, published_at`` naive UTC, ``self_tag`` 'bull' / 'bear' /
None, ``source``) that already passed the store's ``aggregate_clause`` (no hidden, deleted
or held post, no portfolio thread), each with the model's ``score`` (in [0, 1], 0.5 neutral;
NaN when not scored) and ``label`` ('pos' / 'neu' / 'neg'; None when not scored) from the
scorer the page uses.

Window. Per fund, the last ``WINDOW_SESSIONS`` (7) sessions of its own calendar up to and
including ``as_of`` (default: the fund's last session). A post counts for the first session
it can act on (``aggregate.assign_sessions``: written before that session's close, else the
next session), exactly like the sentiment pipeline; a post written at or after ``as_of``'s
close counts for a later session and is NOT in the meter (no look-ahead).

Figures per fund (``METER_COLUMNS``), over the window's posts:

* ``n_posts`` every written post (tagged or not, replies included); ``n_tagged`` = n_bull + n_bear
  (posts with a self-tag); ``n_demo`` posts of a demo source (``demo`` or ``demo:…``);
* ``bull_share`` = n_bull / (n_bull + n_bear) in [0, 1] (NaN when no post is tagged);
* on the SAME tagged posts, the model: ``n_scored`` tagged posts with a score,
  ``model_mean`` = mean score of those (in [0, 1], 0.5 neutral), ``n_model_bull`` /
  ``n_model_bear`` / ``n_model_neutral`` of them labelled pos / neg / neu, and
  ``model_bull_share`` = n_model_bull / (n_model_bull + n_model_bear) (NaN when none);
  the model's neutral posts are left out exactly as untagged posts are left out of ``bull_share``;
* agreement: a tagged, scored post the model labels pos or neg is *compared*
  (``n_compared`` = n_model_bull + n_model_bear); it *agrees* when bull ↔ pos or bear ↔ neg;
  ``agreement`` = n_agree / n_compared (NaN when nothing is compared). The model's neutral
  tagged posts are not compared; ``n_model_neutral`` says how many they were.
* ``first_session`` / ``last_session``: the window (``last_session`` = as_of's session).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date

import numpy as np
import pandas as pd

from socialfund.social.aggregate import assign_sessions

WINDOW_SESSIONS = 7
DEMO_PREFIX = "demo"

POST_COLUMNS = ["code", "published_at", "self_tag", "score", "label", "source"]
METER_COLUMNS = ["code", "first_session", "last_session", "n_posts", "n_tagged", "n_bull", "n_bear",
                 "bull_share", "n_scored", "model_mean", "n_model_bull", "n_model_bear", "n_model_neutral",
                 "model_bull_share", "n_compared", "n_agree", "agreement", "n_demo"]


def is_demo_source(source: object) -> bool:
    """``demo`` and every ``demo:…`` source are demo data."""
    s = str(source)
    return s == DEMO_PREFIX or s.startswith(DEMO_PREFIX + ":")


def window_sessions(sessions: pd.DatetimeIndex, as_of: date | None = None,
                    n: int = WINDOW_SESSIONS) -> pd.DatetimeIndex:
    """The last ``n`` sessions of ``sessions`` on or before ``as_of`` (default: all of them)."""
    sess = pd.DatetimeIndex(sessions).normalize().unique().sort_values()
    if as_of is not None:
        sess = sess[sess <= pd.Timestamp(as_of)]
    return sess[-n:]


def _ratio(num: int, den: int) -> float:
    return float(num) / float(den) if den > 0 else float("nan")


def fund_meter(posts: pd.DataFrame, code: str, sessions: pd.DatetimeIndex, calendar: str = "XSHG",
               as_of: date | None = None, n: int = WINDOW_SESSIONS) -> dict[str, object]:
    """One fund's meter (a ``METER_COLUMNS`` dict) from its posts; see the module docstring."""
    win = window_sessions(sessions, as_of, n)
    part = posts[posts["code"] == code] if not posts.empty else posts
    if len(win) and not part.empty:
        counted = assign_sessions(part["published_at"], pd.DatetimeIndex(sessions), calendar)
        part = part[counted.isin(win).to_numpy()]
    else:
        part = part.iloc[0:0]
    tag = part["self_tag"] if not part.empty else pd.Series([], dtype=object)
    tagged = part[tag.isin(["bull", "bear"]).to_numpy()] if not part.empty else part
    n_bull = int((tagged["self_tag"] == "bull").sum()) if not tagged.empty else 0
    n_bear = int((tagged["self_tag"] == "bear").sum()) if not tagged.empty else 0
    if tagged.empty:
        scored = tagged
    else:
        scored = tagged[pd.to_numeric(tagged["score"], errors="coerce").notna().to_numpy()]
    labels = scored["label"] if not scored.empty else pd.Series([], dtype=object)
    m_bull, m_bear = int((labels == "pos").sum()), int((labels == "neg").sum())
    m_neutral = int(len(scored) - m_bull - m_bear)
    agree = 0
    if not scored.empty:
        agree = int((((scored["self_tag"] == "bull") & (labels == "pos"))
                     | ((scored["self_tag"] == "bear") & (labels == "neg"))).sum())
    mean = float(pd.to_numeric(scored["score"]).mean()) if not scored.empty else float("nan")
    n_demo = int(part["source"].map(is_demo_source).sum()) if not part.empty else 0
    return {
        "code": code,
        "first_session": win[0] if len(win) else pd.NaT,
        "last_session": win[-1] if len(win) else pd.NaT,
        "n_posts": int(len(part)), "n_tagged": n_bull + n_bear, "n_bull": n_bull, "n_bear": n_bear,
        "bull_share": _ratio(n_bull, n_bull + n_bear),
        "n_scored": int(len(scored)), "model_mean": mean,
        "n_model_bull": m_bull, "n_model_bear": m_bear, "n_model_neutral": m_neutral,
        "model_bull_share": _ratio(m_bull, m_bull + m_bear),
        "n_compared": m_bull + m_bear, "n_agree": agree, "agreement": _ratio(agree, m_bull + m_bear),
        "n_demo": n_demo,
    }


def meter_table(posts: pd.DataFrame, codes: Sequence[str], sessions_by_code: Mapping[str, pd.DatetimeIndex],
                calendars: Mapping[str, str] | None = None, as_of: date | None = None,
                n: int = WINDOW_SESSIONS) -> pd.DataFrame:
    """The meter of each of ``codes`` (one row each, in that order; a fund without posts
    gets zero counts and NaN shares). ``sessions_by_code``: each fund's session calendar
    (``aggregate.sessions_from_closes``); a fund without one has no window (no posts count)."""
    slim = posts[[c for c in POST_COLUMNS if c in posts.columns]]
    parts = {str(code): part for code, part in slim.groupby("code", sort=False)} if not slim.empty else {}
    empty = slim.iloc[0:0]
    rows = [fund_meter(parts.get(str(c), empty), str(c), sessions_by_code.get(str(c), pd.DatetimeIndex([])),
                       (calendars or {}).get(str(c), "XSHG"), as_of, n) for c in codes]
    out = pd.DataFrame(rows, columns=METER_COLUMNS)
    for col in ("bull_share", "model_mean", "model_bull_share", "agreement"):
        out[col] = out[col].astype(float)
    return out


def share_text(value: float, digits: int = 0) -> str:
    """A share in [0, 1] as a percentage ('—' when NaN)."""
    return "—" if value is None or not np.isfinite(value) else f"{value * 100:.{digits}f}%"
