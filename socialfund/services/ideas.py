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
    ``store.community`` (public, non-deleted portfolios only). Index instruments are not ranked."""
    universe = provider.universe()
    funds = pd.DataFrame([{"code": i.code, "name_zh": i.name_zh, "name_en": i.name_en, "category": i.category,
                           "kind": i.kind} for i in universe if i.kind != "index"])
    closes = session_prices(provider, None)
    scorer = get_scorer(scorer_spec)
    score_posts(store, scorer, progress=progress)
    scored = scored_posts(store, scorer.version)[["code", "published_at", "score", "label"]]
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
