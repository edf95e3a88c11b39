"""Snapshots and share links: one portfolio version frozen with its metrics at that moment,
shown to others through a link that can be revoked and may expire. The frozen content is a
``core.snapshot.SnapshotPayload`` (built by ``build_snapshot_payload``, stored as the JSON of
its ``to_dict()``).

A snapshot's visibility is ``public`` (listed on the portfolio for whoever can view it, and
shareable), ``unlisted`` (shareable by link only) or ``private`` (owner only: no link). A
share token is ``secrets.token_urlsafe(32)``, returned once, stored as its SHA-256 hex
digest (``hash_token``) and compared with ``hmac.compare_digest``. A revoked, expired or
unknown token (or one whose portfolio was deleted) gets one and the same ``NotFoundError``
(``INVALID_LINK``). ``weights_only`` snapshots never store amounts at all. Only the owner
creates or revokes snapshots (``services.access``). Times are naive UTC (the store's
convention); pass ``now`` to pin them in tests.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import math
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

import pandas as pd
from sqlalchemy import Connection, RowMapping, insert, select, update

from socialfund.core import metrics
from socialfund.core.errors import NotFoundError, ValidationError
from socialfund.core.sessions import PERIODS_PER_YEAR
from socialfund.core.snapshot import SnapshotPayload, SnapshotPeriod
from socialfund.core.timeutil import utcnow
from socialfund.portfolios import nav_series
from socialfund.services.access import (
    MAX_NAME, Actor, check_visibility, clean_text, is_visible, owned_row, portfolio_row, viewable_row,
)
from socialfund.services.portfolio_crud import PortfolioInfo, instrument_names, portfolio_info
from socialfund.store import Store, insert_returning_id, schema

SNAPSHOT_VISIBILITIES = ("public", "unlisted", "private")
INVALID_LINK = "this link is not valid (revoked, expired or unknown)"
#: NAV points kept in a snapshot for its sparkline (downsampled evenly, last point kept).
SPARKLINE_POINTS = 260


@dataclass(frozen=True)
class SnapshotInfo:
    """A snapshot's record (the token itself is never stored, so never shown again)."""

    id: int
    portfolio_id: int
    version: int
    title: str
    visibility: str
    weights_only: bool
    has_link: bool
    expires_at: datetime | None
    revoked_at: datetime | None
    created_at: datetime

    def status(self, now: datetime | None = None) -> str:
        """'revoked', 'expired' or 'active'."""
        now = now or utcnow()
        if self.revoked_at is not None:
            return "revoked"
        if self.expires_at is not None and self.expires_at <= now:
            return "expired"
        return "active"


@dataclass(frozen=True)
class SnapshotView:
    """What a snapshot shows: its frozen payload (see ``build_snapshot_payload``)."""

    id: int
    portfolio_id: int
    title: str
    weights_only: bool
    created_at: datetime
    expires_at: datetime | None
    payload: SnapshotPayload


@dataclass(frozen=True)
class CreatedSnapshot:
    info: SnapshotInfo
    token: str | None  # shown once; None for private snapshots (no link)


def hash_token(token: str) -> str:
    """SHA-256 hex digest of a share token (what the store keeps)."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def _finite(value: Any) -> float | None:
    try:
        f = float(value)
    except (TypeError, ValueError):
        return None
    return f if math.isfinite(f) else None


def build_snapshot_payload(info: PortfolioInfo, prices: pd.DataFrame | None, *,
                           names: Mapping[str, tuple[str, str]], is_demo_data: bool, weights_only: bool,
                           amount_cny: Decimal | None, risk_free: float, now: datetime) -> SnapshotPayload:
    """Freeze the current version and its metrics (pure: no store access).

    ``metrics``: ``socialfund.core.metrics.summary`` of the daily NAV returns up to the latest
    price session (fractions; annualised with ``core.sessions.PERIODS_PER_YEAR`` sessions a
    year; ``cagr`` None under 365 days). ``period``: first and last NAV session and the
    number of sessions. ``nav``: up to ``SPARKLINE_POINTS`` (+ the last) (date, NAV) pairs,
    NAV = 1 at the first fill, 6 decimals. ``amounts_cny`` (CNY per holding = amount ×
    target weight, to the fen) only when not ``weights_only``. ``prices`` belong on the XSHG
    session axis (``market.sessions.session_prices``), as for every NAV; a portfolio that
    cannot be valued there (``portfolios.nav_with_status``: excluded) is a ``ValidationError``
    naming the code."""
    current = info.current
    assert current is not None
    weights = dict(current.weights_bp)
    nav = pd.Series(dtype=float)
    if prices is not None and not prices.empty:
        columns = info.priced_codes
        closed = info.closed_at.date() if info.closed_at else None
        try:   # a holding without a usable price (core.sessions.MAX_CARRY_SESSIONS): say which
            nav = nav_series(prices.reindex(columns=columns), list(info.versions), closed).dropna()
        except ValidationError as exc:
            raise ValidationError(f"cannot snapshot this portfolio: {exc}") from None
    returns = nav.pct_change().dropna()
    summary = ({k: _finite(v) for k, v in metrics.summary(returns, risk_free, PERIODS_PER_YEAR).items()}
               if len(returns) >= 2 else {})
    step = max(1, math.ceil(len(nav) / SPARKLINE_POINTS))
    sampled = nav.iloc[::step]
    if len(nav) and sampled.index[-1] != nav.index[-1]:
        sampled = pd.concat([sampled, nav.iloc[-1:]])
    sessions = pd.DatetimeIndex(nav.index)
    period = SnapshotPeriod(sessions[0].date(), sessions[-1].date(), len(nav)) if len(nav) else None
    amount = None if weights_only or amount_cny is None else Decimal(str(amount_cny))
    return SnapshotPayload(
        portfolio_id=info.id, portfolio_name=info.name, description=info.description, owner_name=info.owner_name,
        version=current.version, placed_at=current.placed_at.to_pydatetime(), note=current.note,
        weights_bp=weights, names={c: (names[c][0], names[c][1]) for c in weights if c in names},
        metrics=summary, risk_free=float(risk_free), period=period,
        nav=tuple((d.date(), round(float(x), 6)) for d, x in zip(pd.DatetimeIndex(sampled.index), sampled)),
        is_demo_data=bool(is_demo_data or info.is_demo), created_at=now, weights_only=bool(weights_only),
        amount_cny=amount,
        amounts_cny=({} if amount is None else
                     {c: (amount * bp / 10_000).quantize(Decimal("0.01")) for c, bp in weights.items()}),
    )


def create_snapshot(store: Store, actor: Actor, portfolio_id: int, prices: pd.DataFrame | None, *,
                    title: str | None = None, visibility: str = "unlisted", weights_only: bool = True,
                    expires_at: datetime | None = None, amount_cny: Decimal | None = None,
                    is_demo_data: bool = False, risk_free: float = 0.0,
                    now: datetime | None = None) -> CreatedSnapshot:
    """Freeze the portfolio's current version with its metrics; owner only. Returns the
    record and, unless private, the share token — shown this once, stored only hashed."""
    check_visibility(visibility, SNAPSHOT_VISIBILITIES)
    at = now or utcnow()
    if expires_at is not None and expires_at <= at:
        raise ValidationError("the expiry must be in the future", key="error.snap.expiry_past")
    with store.read() as conn:
        info = portfolio_info(conn, owned_row(conn, actor, portfolio_id))
    if info.current is None:
        raise ValidationError(f"portfolio {portfolio_id} has no holdings to snapshot", key="error.snap.no_holdings",
                              args={"id": portfolio_id})
    title = clean_text(title or info.name, "snapshot title", MAX_NAME, required=True)
    payload = build_snapshot_payload(info, prices, names=instrument_names(store), is_demo_data=is_demo_data,
                                     weights_only=weights_only, amount_cny=amount_cny, risk_free=risk_free, now=at)
    token = None if visibility == "private" else secrets.token_urlsafe(32)
    version_id = info.version_ids[-1]

    def write(conn: Connection) -> int:
        # Re-check inside the write: the owner may have deleted or rebalanced meanwhile.
        owned_row(conn, actor, portfolio_id)
        return insert_returning_id(conn, insert(schema.snapshots).values(
            portfolio_id=info.id, version_id=version_id, owner_id=actor, title=title, visibility=visibility,
            weights_only=weights_only, token_hash=hash_token(token) if token else None, expires_at=expires_at,
            revoked_at=None, created_at=at, payload_json=json.dumps(payload.to_dict(), ensure_ascii=False, sort_keys=True),
        ))

    sid = store.retrying(write)
    record = SnapshotInfo(sid, info.id, info.current.version, title, visibility, weights_only, token is not None,
                          expires_at, None, at)
    return CreatedSnapshot(record, token)


#: The longest a share link made from the form may stay valid, in days (0 = never expires).
MAX_EXPIRY_DAYS = 3650


def create_snapshot_from_form(store: Store, actor: Actor, portfolio_id: int, prices: pd.DataFrame | None, *,
                              title: str, visibility: str, weights_only: bool, amount_cny: float,
                              expires_in_days: int, is_demo_data: bool, risk_free: float,
                              now: datetime | None = None) -> CreatedSnapshot:
    """``create_snapshot`` from the snapshot form's plain values: an ``amount_cny`` of 0
    stores no amounts (a negative one is a ``ValidationError``); ``expires_in_days`` of 0 never
    expires, else the link expires that many days (of 24 h) from now, at most
    ``MAX_EXPIRY_DAYS``."""
    at = now or utcnow()
    if not math.isfinite(float(amount_cny)) or float(amount_cny) < 0:
        raise ValidationError(f"the amount must be 0 (no amounts) or more CNY, got {amount_cny!r}",
                              key="error.snap.amount", args={"got": str(amount_cny)})
    if int(expires_in_days) != expires_in_days or not 0 <= int(expires_in_days) <= MAX_EXPIRY_DAYS:
        raise ValidationError(f"the expiry must be 0 (never) to {MAX_EXPIRY_DAYS} days, got {expires_in_days!r}",
                              key="error.snap.expiry_days", args={"max": MAX_EXPIRY_DAYS, "got": expires_in_days})
    return create_snapshot(store, actor, portfolio_id, prices, title=title, visibility=visibility,
                           weights_only=weights_only, amount_cny=Decimal(str(amount_cny)) if amount_cny else None,
                           expires_at=at + timedelta(days=int(expires_in_days)) if expires_in_days else None,
                           is_demo_data=is_demo_data, risk_free=risk_free, now=at)


def _snapshot_info(row: RowMapping, version_number: int) -> SnapshotInfo:
    return SnapshotInfo(int(row["id"]), int(row["portfolio_id"]), int(version_number), row["title"],
                        row["visibility"], bool(row["weights_only"]), row["token_hash"] is not None,
                        row["expires_at"], row["revoked_at"], row["created_at"])


def _view(row: RowMapping) -> SnapshotView:
    return SnapshotView(int(row["id"]), int(row["portfolio_id"]), row["title"], bool(row["weights_only"]),
                        row["created_at"], row["expires_at"], SnapshotPayload.from_dict(json.loads(row["payload_json"])))


def list_snapshots(store: Store, actor: Actor, portfolio_id: int, *, now: datetime | None = None) -> list[SnapshotInfo]:
    """The owner sees every snapshot of the portfolio; others who can view the portfolio see
    its active public snapshots only. Newest first."""
    s, v = schema.snapshots, schema.portfolio_versions
    at = now or utcnow()
    with store.read() as conn:
        row = viewable_row(conn, actor, portfolio_id)
        rows = conn.execute(select(s, v.c.version).join(v, v.c.id == s.c.version_id)
                            .where(s.c.portfolio_id == row["id"]).order_by(s.c.id.desc())).mappings().all()
    infos = [_snapshot_info(r, r["version"]) for r in rows]
    if actor is not None and row["owner_id"] == actor:
        return infos
    return [i for i in infos if i.visibility == "public" and i.status(at) == "active"]


def get_snapshot(store: Store, actor: Actor, snapshot_id: int) -> SnapshotView:
    """A snapshot by id for its owner (or anyone who can view its portfolio, if public and active)."""
    s = schema.snapshots
    with store.read() as conn:
        row = conn.execute(select(s).where(s.c.id == int(snapshot_id))).mappings().first()
        if row is None:
            raise NotFoundError(f"snapshot {snapshot_id} not found")
        owner_ok = actor is not None and row["owner_id"] == actor
        portfolio = portfolio_row(conn, row["portfolio_id"])
    active = row["revoked_at"] is None and (row["expires_at"] is None or row["expires_at"] > utcnow())
    if not owner_ok and not (row["visibility"] == "public" and active and is_visible(portfolio, actor)):
        raise NotFoundError(f"snapshot {snapshot_id} not found")
    return _view(row)


def open_snapshot(store: Store, token: str, *, now: datetime | None = None) -> SnapshotView:
    """A snapshot through its share link, for anyone (no sign-in). A revoked, expired or
    unknown token — or one of a deleted portfolio — raises one ``NotFoundError``."""
    at = now or utcnow()
    if not isinstance(token, str) or not 20 <= len(token) <= 200:
        raise NotFoundError(INVALID_LINK)
    digest = hash_token(token.strip())
    s, p = schema.snapshots, schema.portfolios
    with store.read() as conn:
        row = conn.execute(select(s, p.c.deleted_at.label("portfolio_deleted_at")).join(p, p.c.id == s.c.portfolio_id)
                           .where(s.c.token_hash == digest)).mappings().first()
    if row is None or not hmac.compare_digest(str(row["token_hash"]), digest):
        raise NotFoundError(INVALID_LINK)
    if row["revoked_at"] is not None or row["portfolio_deleted_at"] is not None:
        raise NotFoundError(INVALID_LINK)
    if row["expires_at"] is not None and row["expires_at"] <= at:
        raise NotFoundError(INVALID_LINK)
    return _view(row)


def revoke_snapshot(store: Store, actor: Actor, snapshot_id: int, *, now: datetime | None = None) -> None:
    """Revoke a snapshot's link (owner only; idempotent). The record stays for the owner."""
    at = now or utcnow()
    s = schema.snapshots

    def write(conn: Connection) -> None:
        row = conn.execute(select(s.c.owner_id, s.c.revoked_at).where(s.c.id == int(snapshot_id))).first()
        if row is None or actor is None or row.owner_id != actor:
            raise NotFoundError(f"snapshot {snapshot_id} not found")
        if row.revoked_at is None:
            conn.execute(update(s).where(s.c.id == int(snapshot_id)).values(revoked_at=at))

    store.retrying(write)
