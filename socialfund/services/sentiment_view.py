"""What the Sentiment page reads from the store for a selection of funds and post sources:
the sources with their counts and defaults, posts per fund, and the scored history (posts
tagged with the trading session they count for, per-fund per-session aggregates).

Windows, headline figures, keywords and table rows of that history are pure
(``social.selection``, ``social.aggregate``); drawing and caching stay in the app.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import pandas as pd

from socialfund.core.sources import DEMO_POST_SOURCE, DISCUSSION_SOURCE
from socialfund.market.instruments import Instrument
from socialfund.services.posts import post_sources
from socialfund.services.scores import scored_posts
from socialfund.social import aggregate, selection
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
    """The whole history of a selection: ``tagged`` (scored posts with their ``session``)
    and ``daily`` (per fund and session, as ``aggregate.daily_sentiment``)."""

    tagged: pd.DataFrame
    daily: pd.DataFrame


def history(store: Store, instruments: Iterable[Instrument], closes: pd.DataFrame, version: str,
            codes: Sequence[str], sources: Sequence[str]) -> History:
    """Posts of ``codes`` from ``sources`` with the cached scores of ``version``, each
    counted for its fund's next session close (sessions read off ``closes``, the calendar
    of each instrument from ``instruments``), and their per-session aggregates."""
    posts = scored_posts(store, version, list(codes), list(sources))
    sessions = aggregate.sessions_from_closes(closes)
    calendars = {i.code: i.calendar for i in instruments}
    tagged = aggregate.with_sessions(posts, sessions, calendars)
    return History(tagged, aggregate.daily_from_tagged(tagged, sessions))

