"""The bull/bear meter of funds, beside the model (issue 12 part 3): what the Sentiment and
Watchlist pages show. The maths and every formula are in ``social.meter``; this module
reads the posts and the scores.

Posts: the written posts of the funds' threads (``discussion.tagged_posts``, i.e. through
``store.discussion.aggregate_clause``: hidden, deleted and held posts, and every portfolio
thread, never count), every written source (posts written here and the labelled demo
discussion; ``n_demo`` says how many of a fund's posts are demo). Model: the texts of those
posts not yet scored by ``scorer`` are scored first (``scores.score_posts``, the same cache
the pipeline uses), then each post gets its cached ``score`` and ``label`` of
``scorer.version`` — pass the scorer the page uses (``services.scorer_choice``).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date

import pandas as pd
from sqlalchemy import select

from socialfund.core.sources import DEMO_DISCUSSION_SOURCE, DISCUSSION_SOURCE
from socialfund.market.instruments import Instrument
from socialfund.sentiment import Scorer
from socialfund.services import discussion, scores
from socialfund.social import aggregate
from socialfund.social import meter as maths
from socialfund.store import Store, schema

WRITTEN_SOURCES = (DISCUSSION_SOURCE, DEMO_DISCUSSION_SOURCE)


def _cached_scores(store: Store, version: str, hashes: Sequence[str]) -> pd.DataFrame:
    s = schema.post_scores
    rows: list[tuple[str, float, str]] = []
    unique = list(dict.fromkeys(hashes))
    with store.read() as conn:
        for i in range(0, len(unique), 500):
            rows.extend((str(r[0]), float(r[1]), str(r[2])) for r in conn.execute(
                select(s.c.text_hash, s.c.score, s.c.label)
                .where(s.c.scorer_version == version, s.c.text_hash.in_(unique[i:i + 500]))))
    return pd.DataFrame(rows, columns=["text_hash", "score", "label"])


def scored_written(store: Store, scorer: Scorer | None, codes: Sequence[str]) -> pd.DataFrame:
    """The written posts of ``codes`` (``discussion.TAGGED_COLUMNS``) with ``score`` and
    ``label`` of ``scorer`` (scoring what is not cached yet; no scorer: NaN / None)."""
    posts = discussion.tagged_posts(store, list(codes))
    if scorer is None or posts.empty:
        return posts.assign(score=float("nan"), label=None)
    sources = sorted(set(posts["source"].astype(str)) | set(WRITTEN_SOURCES))
    scores.score_posts(store, scorer, list(codes), sources)
    cached = _cached_scores(store, scorer.version, list(posts["text_hash"]))
    out = posts.merge(cached, on="text_hash", how="left")
    out["score"] = out["score"].astype(float)
    return out


def fund_meters(store: Store, scorer: Scorer | None, codes: Sequence[str], closes: pd.DataFrame,
                instruments: Iterable[Instrument] = (), as_of: date | None = None,
                n: int = maths.WINDOW_SESSIONS) -> pd.DataFrame:
    """The meter of each fund of ``codes`` (``social.meter.METER_COLUMNS``, one row per fund
    in that order) over its last ``n`` sessions up to ``as_of`` (default: its last close in
    ``closes``, whose non-NaN dates are each fund's sessions)."""
    posts = scored_written(store, scorer, codes)
    calendars = {i.code: i.calendar for i in instruments}
    return maths.meter_table(posts, list(codes), aggregate.sessions_from_closes(closes), calendars, as_of, n)
