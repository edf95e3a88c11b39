"""What the Sentiment page reads from the store for a selection of funds and post sources:
the sources with their counts and defaults, posts per fund, and the scored history (posts
tagged with the trading session they count for, per-fund per-session aggregates).

Windows, headline figures, keywords and table rows of that history are pure
(``social.selection``, ``social.aggregate``); drawing and caching stay in the app.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime

import pandas as pd

from socialfund.core.sources import DEMO_POST_SOURCE, DISCUSSION_SOURCE
from socialfund.market.instruments import Instrument
from socialfund.services.posts import post_sources
from socialfund.services.scores import scored_posts
from socialfund.social import aggregate, selection
from socialfund.store import sentiment_sums
from socialfund.store.engine import Store


@dataclass(frozen=True)
class Sources:
    """Post count per source, and the sources selected by default."""

    counts: dict[str, int]
    default: list[str]


def sources(store: Store) -> Sources:
    """Every post source with its count; by default the real (imported) ones, else demo."""
    counts = post_sources(store)
    return Sources(counts, selection.default_sources(counts, DEMO_POST_SOURCE, (DISCUSSION_SOURCE,)))


@dataclass(frozen=True)
class History:
    """The whole history of a selection: ``daily`` (per fund and session, as
    ``aggregate.daily_sentiment``), from the stored sums (no post is read)."""

    daily: pd.DataFrame


def history(store: Store, instruments: Iterable[Instrument], closes: pd.DataFrame, version: str,
            codes: Sequence[str], sources: Sequence[str]) -> History:
    """The per-session aggregates of ``codes`` from ``sources`` with the cached scores of
    ``version``: the stored per-day sums (``store.sentiment_sums``) moved onto each fund's
    sessions (read off ``closes``). ``instruments`` is kept for the callers' symmetry with
    ``window_posts`` (the sums already carry each fund's calendar)."""
    with store.read() as conn:
        sums = sentiment_sums.day_sums(conn, version, list(codes), list(sources))
    return History(aggregate.daily_from_sums(sums, aggregate.sessions_from_closes(closes), day_column="day"))


def window_posts(store: Store, instruments: Iterable[Instrument], closes: pd.DataFrame, version: str,
                 codes: Sequence[str], sources: Sequence[str], start: date, end: date) -> pd.DataFrame:
    """The scored posts of ``codes`` from ``sources`` counted for a session in [start, end],
    each with its ``session``: one bounded read by publication time (``published_window``),
    then the exact session rule (``aggregate.with_sessions``)."""
    sessions = aggregate.sessions_from_closes(closes)
    lo, hi = published_window(sessions, list(codes), start, end)
    posts = scored_posts(store, version, list(codes), list(sources), published_from=lo, published_to=hi)
    tagged = aggregate.with_sessions(posts, sessions, {i.code: i.calendar for i in instruments})
    keep = (tagged["session"] >= pd.Timestamp(start)) & (tagged["session"] <= pd.Timestamp(end))
    return tagged[keep.to_numpy()].reset_index(drop=True)


def published_window(sessions: dict[str, pd.DatetimeIndex], codes: Sequence[str], start: date,
                     end: date) -> tuple[datetime, datetime]:
    """Naive-UTC times [lo, hi) that hold every post counted for a session in [start, end]: a
    post counts for the first session on or after its counts-from day, so nothing published
    more than a day before the session preceding ``start`` (or a week before ``start`` when
    there is none: weekdays stand in) can count for it, nor anything two days after ``end``."""
    lows = []
    for code in codes:
        cal = pd.DatetimeIndex(sessions.get(code, pd.DatetimeIndex([])))
        before = cal[cal < pd.Timestamp(start)]
        lows.append(before.max() if len(before) else pd.Timestamp(start) - pd.Timedelta(days=7))
    lo = min(lows, default=pd.Timestamp(start)) - pd.Timedelta(days=2)
    return lo.to_pydatetime(), (pd.Timestamp(end) + pd.Timedelta(days=2)).to_pydatetime()
