"""What a viewer may read of portfolios, cut at a date: the loading rules shared by the
leaderboard (``services.leaderboard``), the portfolio report (``services.report``) and
paper copies (``services.copies``).

Visibility (``access.can_view`` / ``portfolio_crud.visible_portfolios``): a single portfolio is
visible to anyone when public or unlisted (link access), to its owner only when private;
to everyone else a private or deleted portfolio is indistinguishable from a missing id
(``NotFoundError("portfolio N not found")``). Dates are Shanghai session dates.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pandas as pd

from socialfund.core.errors import NotFoundError
from socialfund.core.models import PortfolioVersion
from socialfund.market.providers import PriceProvider
from socialfund.market.sessions import cn_sessions
from socialfund.services.access import can_view
from socialfund.services.portfolio_crud import visible_portfolios
from socialfund.store import Store, community


def latest_session(provider: PriceProvider, benchmark: str) -> dt.date:
    """The last XSHG session in the provider's data (``benchmark`` sets the axis; without
    benchmark prices, the last session any of the provider's series is quoted)."""
    closes = provider.closes([benchmark]).closes
    if benchmark not in closes.columns or closes[benchmark].isna().all():
        closes = provider.closes().closes
    return cn_sessions(closes, benchmark)[-1].date()


def closed_by(value: dt.date | float | None, as_of: dt.date) -> dt.date | None:
    """A close date only if it happened by ``as_of`` (later closes are unknown then);
    ``None`` for a missing one (None, NaN, NaT)."""
    if not isinstance(value, dt.date) or pd.isna(value):
        return None
    return value if value <= as_of else None


def visible_meta(store: Store, portfolio_id: int, viewer_id: int | None = None) -> dict[str, Any]:
    """The metadata row (``community.portfolio_meta``) of a portfolio the viewer may open
    (``access.can_view``: public or unlisted for anyone, private for its owner, deleted for
    nobody); ``NotFoundError("portfolio N not found")`` otherwise, exactly as for a missing id."""
    if not can_view(store, viewer_id, portfolio_id):
        raise NotFoundError(f"portfolio {portfolio_id} not found")
    row = community.portfolio_meta(store, [int(portfolio_id)]).iloc[0]
    return {str(k): v for k, v in row.items()}


def pickable_portfolios(store: Store, viewer_id: int | None = None) -> pd.DataFrame:
    """Portfolios offered in a picker (``portfolio_crud.visible_portfolios``): public ones plus
    the viewer's own (any visibility), deleted ones excluded. Columns portfolio_id, name,
    owner_name, visibility, style."""
    keep = visible_portfolios(store, viewer_id)
    return keep[["portfolio_id", "name", "owner_name", "visibility", "style"]].reset_index(drop=True)


def versions_until(store: Store, portfolio_id: int, as_of: dt.date | None = None) -> list[PortfolioVersion]:
    """The portfolio's versions placed by ``as_of`` (Shanghai date; all when None), oldest first."""
    versions = community.versions_by_portfolio(store, [int(portfolio_id)]).get(int(portfolio_id), [])
    return [v for v in versions if as_of is None or v.placed_date <= as_of]
