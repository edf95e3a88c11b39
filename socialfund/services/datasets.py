"""Which parts of what a page shows are demo data: prices, the community (users and their
portfolios) and posts each carry their own source, so real prices never make the synthetic
community look real, and a store of one's own shows no demo label at all.

=============  ==========================================================================
dataset        demo when
=============  ==========================================================================
``prices``     any price series shown comes from the synthetic demo (the demo provider, or
               the yfinance provider's demo fallback): ``core.sources.DEMO_PRICE_SOURCE``
``community``  the store holds a demo user or a demo portfolio (``is_demo``), not deleted
``posts``      the store holds posts whose source is ``core.sources.DEMO_POST_SOURCE``
=============  ==========================================================================
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from sqlalchemy import exists, select

from socialfund.core.sources import DEMO_POST_SOURCE, DEMO_PRICE_SOURCE
from socialfund.store import Store, schema

#: The datasets a page can show, in the order the label names them.
DATASETS = ("prices", "community", "posts")


@dataclass(frozen=True)
class DemoParts:
    """For each dataset, whether what the app would show of it is demo data."""

    prices: bool
    community: bool
    posts: bool

    def among(self, shown: Iterable[str]) -> tuple[str, ...]:
        """The datasets of ``shown`` that are demo, in ``DATASETS`` order."""
        wanted = set(shown)
        return tuple(d for d in DATASETS if d in wanted and getattr(self, d))

    @property
    def any(self) -> bool:
        return self.prices or self.community or self.posts


def demo_parts(store: Store, price_sources: Mapping[str, str]) -> DemoParts:
    """Which datasets are demo, given the source of each price series the provider serves
    (``PriceData.sources``: code → source)."""
    p, u = schema.portfolios, schema.users
    with store.read() as conn:
        community = bool(conn.execute(select(
            exists().where(p.c.is_demo.is_(True), p.c.deleted_at.is_(None)) | exists().where(u.c.is_demo.is_(True))
        )).scalar())
        posts = bool(conn.execute(select(exists().where(schema.posts.c.source == DEMO_POST_SOURCE))).scalar())
    prices = any(source == DEMO_PRICE_SOURCE for source in price_sources.values())
    return DemoParts(prices=prices, community=community, posts=posts)
