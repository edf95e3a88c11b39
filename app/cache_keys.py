"""Every key a page's shared cache is built on, in one place.

A cached function of a page takes one of these keys as an argument (Streamlit hashes the
arguments), so when the data behind it changes the key changes and the cache misses at
once, instead of serving stale or, worse, no-longer-visible data until a TTL runs out.

key                      changes when                                            used by
``community_key()``      any portfolio's visibility, deletion, closing,          leaderboard, fund ideas
                         confirmation, any new version, any new post
``posts_key(sources)``   posts are imported into (or leave) those sources        sentiment
``market_key()``         the configured price provider changes, or prices are    fund ideas, home
                         imported into the store it serves
``scores_key(version)``  a sentiment score of that scorer version is cached      sentiment
``nav_key()``            either of community_key and market_key changes         leaderboard, portfolio
User-specific results are keyed on the viewer's id as well (``session.current_user().id``).
"""

from __future__ import annotations

from collections.abc import Sequence

from app import resources
from socialfund.services.posts import posts_fingerprint
from socialfund.services.scores import scores_fingerprint
from socialfund.store.community import community_fingerprint


def community_key() -> str:
    """Fingerprint of everything public about the community (portfolios, versions, posts)."""
    return community_fingerprint(resources.store())


def posts_key(sources: Sequence[str] | None = None) -> tuple[int, int]:
    """(count, newest id) of the posts of ``sources`` (all sources when None)."""
    return posts_fingerprint(resources.store(), list(sources) if sources is not None else None)


def market_key() -> str:
    """The configured market-data provider (demo, store, csv, yfinance), and for the store
    provider what it holds (``resources.market_version``: changes with every price import)."""
    return resources.market_version()


def nav_key() -> str:
    """What a NAV depends on: the community (versions, visibility) and the prices (a price
    import changes every NAV that holds the codes it brings)."""
    return f"{community_key()}|{market_key()}"


def scores_key(version: str) -> int:
    """How many texts have a cached score of the scorer ``version`` (grows with every score stored)."""
    return scores_fingerprint(resources.store(), version)
