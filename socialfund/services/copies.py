"""Paper copies: recording that a user copies a portfolio (by id or through a share link),
pointing at the one committed version in force when the copy starts."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import Connection, insert, select

from socialfund.core.errors import NotFoundError, PermissionDenied, ValidationError
from socialfund.core.timeutil import to_utc_naive, utcnow
from socialfund.services.access import Actor, portfolio_row, viewable_row
from socialfund.services.snapshots import INVALID_LINK, open_snapshot
from socialfund.store import Store, schema


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
    amount = Decimal(str(amount_cny))
    if not amount.is_finite() or amount <= 0:
        raise ValidationError(f"copy amount must be a positive number of CNY, got {amount_cny!r}")
    if not 0 <= int(fee_bps) <= 1000 or not 0 <= int(delay_sessions) <= 20:
        raise ValidationError("fee must be 0–1000 bp and delay 0–20 sessions")
    at = now or utcnow()
    if token is not None:
        portfolio_id = open_snapshot(store, token, now=at).portfolio_id
    if portfolio_id is None:
        raise ValidationError("give a portfolio id or a share link")

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
        cid = conn.execute(insert(schema.copies).values(
            user_id=actor, portfolio_id=row["id"], version_id=current, started_on=started_on or at.date(),
            amount_fen=int((amount * 100).to_integral_value()), fee_bps=int(fee_bps),
            delay_sessions=int(delay_sessions), min_position_fen=int(Decimal(str(min_position_cny)) * 100),
            stop_loss_pct=stop_loss_pct, is_demo=False, created_at=at)).inserted_primary_key[0]
        return int(cid)

    return store.retrying(write)
