"""Paper copies as a service over the store: simulate copying a portfolio the viewer may
see (``copy_simulation``), save a copy for the acting user (``save_copy``) and list the
user's own saved copies (``list_copies``).

The settings of a copy are one validated ``socialfund.copying.CopyParams`` everywhere (the
simulator, the store, the CLI and the page). Wiring only: versions and prices are loaded
here, on the XSHG session axis, and handed to ``socialfund.copying.simulate_copy``.
Visibility as in ``services.portfolio_data``; money is stored in fen, the stop-loss in percent.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

import pandas as pd
from sqlalchemy import select

from socialfund.copying import CopyParams, CopyResult, simulate_copy
from socialfund.core.errors import ValidationError
from socialfund.core.weights import CASH
from socialfund.market.providers import PriceProvider
from socialfund.market.sessions import session_prices
from socialfund.services import sharing
from socialfund.services.portfolio_data import closed_by, versions_until, visible_meta
from socialfund.store import Store, schema


def copy_simulation(store: Store, provider: PriceProvider, portfolio_id: int, params: CopyParams, *,
                    viewer_id: int | None = None, as_of: dt.date | None = None) -> CopyResult:
    """Paper-copy a portfolio the viewer may see (``copying.simulate_copy``) on the
    aligned XSHG session prices up to ``as_of`` (a closed portfolio: up to its close)."""
    meta = visible_meta(store, portfolio_id, viewer_id)
    versions = versions_until(store, portfolio_id, as_of)
    if not versions:
        raise ValidationError(f"portfolio {portfolio_id} has no versions to copy")
    codes = {c for v in versions for c in v.weights_bp if c != CASH}
    prices = session_prices(provider, codes, as_of)
    closed = closed_by(meta["closed_on"], as_of or prices.index[-1].date())
    if closed is not None:
        prices = prices.loc[prices.index <= pd.Timestamp(closed)]
    return simulate_copy(prices, versions, params)


def save_copy(store: Store, actor_user_id: int, portfolio_id: int, params: CopyParams) -> int:
    """Store a paper copy for ``actor_user_id``; returns its id. One write path for copies:
    ``sharing.record_copy`` (permissions, and the copy points at the leader version in force
    on ``params.start``, so it always refers to an existing version). ``params`` is already
    within the ``CopyParams`` bounds."""
    return sharing.record_copy(
        store, actor_user_id, portfolio_id, amount_cny=params.amount, fee_bps=params.fee_bps,
        delay_sessions=params.delay_sessions, min_position_cny=params.min_position,
        # stored in percent, like the demo data
        stop_loss_pct=None if params.stop_loss is None else params.stop_loss * 100,
        started_on=params.start)


@dataclass(frozen=True)
class SavedCopy:
    """A stored copy of ``portfolio_id`` (named ``portfolio_name``) pointing at the leader
    version ``version_id`` in force on its start (the column is nullable), with its settings."""

    copy_id: int
    portfolio_id: int
    portfolio_name: str
    version_id: int | None
    params: CopyParams
    created_at: dt.datetime


def list_copies(store: Store, actor_user_id: int) -> list[SavedCopy]:
    """The actor's own saved copies, newest first (never anyone else's).
    ``stop_loss_pct`` is stored in percent (as in the demo data), returned as a fraction."""
    c, p = schema.copies, schema.portfolios
    with store.read() as conn:
        rows = conn.execute(select(c.c.id, c.c.portfolio_id, p.c.name, c.c.version_id, c.c.started_on, c.c.amount_fen,
                                   c.c.fee_bps, c.c.delay_sessions, c.c.min_position_fen, c.c.stop_loss_pct,
                                   c.c.created_at)
                            .join(p, p.c.id == c.c.portfolio_id)
                            .where(c.c.user_id == int(actor_user_id)).order_by(c.c.id.desc())).all()
    return [SavedCopy(int(r[0]), int(r[1]), r[2], r[3], CopyParams(
        amount=Decimal(int(r[5])) / 100, start=r[4], fee_bps=int(r[6]), delay_sessions=int(r[7]),
        min_position=Decimal(int(r[8])) / 100, stop_loss=None if r[9] is None else float(r[9]) / 100), r[10])
        for r in rows]
