"""Paper copies as a service over the store: simulate copying a portfolio the viewer may
see (``copy_simulation``), save a copy for the acting user (``save_copy``) and list the
user's own saved copies (``list_copies``), and record a copy by id or
through a share link (``record_copy``), pointing at the one committed version in force
when the copy starts.

The settings of a copy are one validated ``socialfund.copying.CopyParams`` everywhere (the
simulator, the store, the CLI and the page). Wiring only: versions and prices are loaded
here, on the XSHG session axis, and handed to ``socialfund.copying.simulate_copy``.
Visibility as in ``services.portfolio_data``; money is stored in fen, the stop-loss in percent.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

import pandas as pd
from sqlalchemy import Connection, insert, select

from socialfund.copying import CopyParams, CopyResult, simulate_copy
from socialfund.core.errors import NotFoundError, PermissionDenied, ValidationError
from socialfund.core.timeutil import to_utc_naive, utcnow
from socialfund.core.weights import CASH
from socialfund.market.providers import PriceProvider
from socialfund.market.sessions import session_prices
from socialfund.services.access import Actor, portfolio_row, viewable_row
from socialfund.services.portfolio_data import closed_by, versions_until, visible_meta
from socialfund.services.snapshots import INVALID_LINK, open_snapshot
from socialfund.store import Store, community, insert_returning_id, schema


def record_copy(store: Store, actor: Actor, portfolio_id: int | None = None, *, amount_cny: Decimal | int | str,
                token: str | None = None, fee_bps: int = 0, delay_sessions: int = 1,
                min_position_cny: Decimal | int = 0, stop_loss_pct: float | None = None,
                started_on: date | None = None, now: datetime | None = None) -> int:
    """Record a paper copy by ``actor`` of a portfolio (by id, or through a share ``token``).

    Refused: anonymous actors; another user's private portfolio (by id: as if missing;
    through a link: ``PermissionDenied``); deleted portfolios; a portfolio without a
    version. The copy points at the version in force on ``started_on`` (default: now),
    read inside the same transaction, so a copy taken while the owner edits equals exactly
    one committed version."""
    if actor is None:
        raise PermissionDenied("sign in to copy a portfolio")
    at = now or utcnow()
    # One set of bounds for every entry point (page, CLI, simulator, store): CopyParams.
    params = CopyParams(amount=Decimal(str(amount_cny)), start=started_on or at.date(), fee_bps=fee_bps,
                        delay_sessions=delay_sessions, min_position=Decimal(str(min_position_cny)),
                        stop_loss=None if stop_loss_pct is None else stop_loss_pct / 100)
    if token is not None:
        portfolio_id = open_snapshot(store, token, now=at).portfolio_id
    if portfolio_id is None:
        raise ValidationError("give a portfolio id or a share link", key="error.copy.no_source")

    def write(conn: Connection) -> int:
        if token is not None:
            row = portfolio_row(conn, portfolio_id)
            if row is None or row["deleted_at"] is not None:
                raise NotFoundError(INVALID_LINK)
            if row["visibility"] == "private" and row["owner_id"] != actor:
                raise PermissionDenied("this portfolio is private: its owner does not allow copies")
        else:
            row = viewable_row(conn, actor, portfolio_id)
        v = schema.portfolio_versions
        query = select(v.c.id).where(v.c.portfolio_id == row["id"])
        if started_on is not None:
            # the version in force on the start day: the last placed by that Shanghai day's end
            day_end = to_utc_naive(datetime.combine(started_on, datetime.max.time()))
            query = query.where(v.c.placed_at <= day_end)
        current = conn.execute(query.order_by(v.c.version.desc()).limit(1)).scalar()
        if current is None:
            when = f" on {started_on}: pick a later start" if started_on is not None else " to copy"
            raise ValidationError(f"portfolio {row['id']} had no version{when}")
        return insert_returning_id(conn, insert(schema.copies).values(
            user_id=actor, portfolio_id=row["id"], version_id=current, started_on=started_on or at.date(),
            amount_fen=int((params.amount * 100).to_integral_value()), fee_bps=params.fee_bps,
            delay_sessions=params.delay_sessions, min_position_fen=int(params.min_position * 100),
            stop_loss_pct=stop_loss_pct, is_demo=False, created_at=at))

    return store.retrying(write)


def copy_simulation(store: Store, provider: PriceProvider, portfolio_id: int, params: CopyParams, *,
                    viewer_id: int | None = None, as_of: dt.date | None = None) -> CopyResult:
    """Paper-copy a portfolio the viewer may see (``copying.simulate_copy``) on the
    aligned XSHG session prices up to ``as_of`` (a closed portfolio: up to its close).
    With an ``as_of``, "may see" and "closed" are as of that day (``viewable_meta_on``):
    a copy's state at a date does not change when the portfolio is deleted or made private later."""
    meta = visible_meta(store, portfolio_id, viewer_id) if as_of is None else viewable_meta_on(
        store, portfolio_id, viewer_id, as_of)
    versions = versions_until(store, portfolio_id, as_of)
    if not versions:
        raise ValidationError(f"portfolio {portfolio_id} has no versions to copy", key="error.copy.no_versions",
                              args={"id": portfolio_id})
    codes = {c for v in versions for c in v.weights_bp if c != CASH}
    prices = session_prices(provider, codes, as_of)
    closed = closed_by(meta["closed_on"], as_of or prices.index[-1].date())
    if closed is not None:
        prices = prices.loc[prices.index <= pd.Timestamp(closed)]
    return simulate_copy(prices, versions, params)


def viewable_meta_on(store: Store, portfolio_id: int, viewer_id: int | None, as_of: dt.date) -> dict[str, Any]:
    """The metadata row (``community.portfolio_meta`` as of ``as_of``) of a portfolio the
    viewer could open at the end of that day: not deleted by then, and public or unlisted
    then (or the viewer's own). Otherwise ``NotFoundError`` exactly as for a missing id.
    What was public then stays readable as of then, even if made private or deleted since."""
    rows = community.portfolio_meta(store, [int(portfolio_id)], as_of=as_of)
    if rows.empty:
        raise NotFoundError(f"portfolio {portfolio_id} not found")
    row = {str(k): v for k, v in rows.iloc[0].items()}
    own = viewer_id is not None and int(row["owner_id"]) == int(viewer_id)
    if pd.notna(row["deleted_on"]) or (row["visibility"] == "private" and not own):
        raise NotFoundError(f"portfolio {portfolio_id} not found")
    return row


def save_copy(store: Store, actor_user_id: int, portfolio_id: int, params: CopyParams) -> int:
    """Store a paper copy for ``actor_user_id``; returns its id. One write path for copies:
    ``record_copy`` (permissions, and the copy points at the leader version in force
    on ``params.start``, so it always refers to an existing version). ``params`` is already
    within the ``CopyParams`` bounds."""
    return record_copy(
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
