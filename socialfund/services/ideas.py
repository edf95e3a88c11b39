"""Fund ideas' inputs from the store and the market provider: prices on the session axis,
scored posts (through the score cache) and the public community, as ``ideas.features.IdeasInputs``."""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd

from socialfund.ideas.features import IdeasInputs
from socialfund.market.providers import PriceProvider
from socialfund.market.sessions import session_prices
from socialfund.sentiment import get_scorer
from socialfund.services.scores import score_posts, scored_posts
from socialfund.store import community
from socialfund.store.engine import Store


def load_inputs(store: Store, provider: PriceProvider, scorer_spec: str = "finance", *,
                progress: Callable[[int, int], None] | None = None) -> IdeasInputs:
    """Everything from the store and the market provider:
    ``market.sessions.session_prices`` (XSHG session axis, US closes as-of aligned),
    ``services.scores.score_posts``/``scored_posts`` (score cache in the store) and
    ``store.community`` (every portfolio ever public, with the days it was: a portfolio made
    private or deleted later still counts on the days before). Index instruments are not ranked."""
    universe = provider.universe()
    funds = pd.DataFrame([{"code": i.code, "name_zh": i.name_zh, "name_en": i.name_en, "category": i.category,
                           "kind": i.kind} for i in universe if i.kind != "index"])
    closes = session_prices(provider, None)
    scorer = get_scorer(scorer_spec)
    score_posts(store, scorer, progress=progress)
    scored = scored_posts(store, scorer.version)[["code", "published_at", "score", "label"]]
    # Everything once public, each counted only on the days it was (``community.public_spans``);
    # a deleted one stays in the record as closed on its deletion day, as on the leaderboard.
    spans = community.public_spans(store)
    meta = community.portfolio_meta(store, sorted(set(int(i) for i in spans["portfolio_id"])))
    meta["closed_on"] = [community.closed_or_deleted(c, d) for c, d in zip(meta["closed_on"], meta["deleted_on"])]
    ids = [int(i) for i in meta["portfolio_id"]]
    versions = community.versions_by_portfolio(store, ids)
    activity = community.activity(store, ids)
    meta["category"] = meta["style"]
    data = provider.closes([closes.columns[0]])
    return IdeasInputs(closes=closes, funds=funds, posts=scored, versions=versions, meta=meta,
                       activity=activity, is_demo=bool(getattr(data, "is_demo", False)), public_spans=spans)
