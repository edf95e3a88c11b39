"""My portfolios, immutable snapshots, share links, follows and paper copies — with the
permission checks enforced here, in the library, whatever page or command calls it.

Every function that reads private data or changes anything takes ``actor``: the acting
user's id, or ``None`` for an anonymous visitor. The rules (docs: reliability.md §5):

* **View.** Public and unlisted portfolios: anyone with the id. Private: the owner only.
  Deleted: nobody (their history stays in the store for the leaderboard's
  survivorship-free record). Someone who may not see a portfolio gets exactly the answer
  a missing id gets: ``NotFoundError("portfolio N not found")``.
* **Edit / rebalance / confirm / close / delete / share.** The owner only
  (``PermissionDenied`` for a visible portfolio of someone else). Demo portfolios
  (``is_demo``) are read-only for everybody.
* **Lists, feeds, search, leaderboard.** Public, not deleted — plus the actor's own
  portfolios in the actor's own lists. Unlisted and private never appear elsewhere.
* **Copy (paper).** A signed-in actor may copy a portfolio they can view unless it is
  private and not theirs; through a share link only when the portfolio is not private.
  A copy records the version in force when it was taken (one committed version).
* **Export.** The owner, or anyone for a public/unlisted portfolio (the same weights the
  page shows). Never through a share link.
* **Snapshots** freeze one version with its metrics at that moment (JSON payload).
  Visibility ``public`` (listed on the portfolio for whoever can view it, and shareable),
  ``unlisted`` (shareable by link only) or ``private`` (owner only: no link). A share
  token is ``secrets.token_urlsafe(32)``, returned once, stored as its SHA-256 hex
  digest and compared with ``hmac.compare_digest``; it can be revoked and may expire.
  A revoked, expired or unknown token (or one whose portfolio was deleted) gets one and
  the same ``NotFoundError``. ``weights_only`` snapshots never store amounts at all.

Times are naive UTC (the store's convention); pass ``now`` to pin them in tests.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import math
import secrets
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from typing import Any

import pandas as pd
from sqlalchemy import Connection, and_, delete, func, insert, select, update

from socialfund.store import community
from socialfund.core.errors import NotFoundError, PermissionDenied, ValidationError
from socialfund.core.models import PortfolioVersion
from socialfund.store import Store, schema
from socialfund.core.timeutil import utcnow
from socialfund.core.weights import CASH, percent_to_bp

VISIBILITIES = ("public", "unlisted", "private")
SNAPSHOT_VISIBILITIES = ("public", "unlisted", "private")
MAX_NAME = 128
MAX_DESCRIPTION = 2_000
MAX_NOTE = 2_000
INVALID_LINK = "this link is not valid (revoked, expired or unknown)"
#: NAV points kept in a snapshot for its sparkline (downsampled evenly, last point kept).
SPARKLINE_POINTS = 260

Actor = int | None


# --------------------------------------------------------------------------- value objects

@dataclass(frozen=True)
class PortfolioInfo:
    """A portfolio as one actor may see it, with its versions (oldest first)."""

    id: int
    owner_id: int
    owner_name: str
    name: str
    description: str
    visibility: str
    is_demo: bool
    created_at: datetime
    closed_at: datetime | None
    deleted_at: datetime | None
    confirmed_at: datetime | None
    versions: tuple[PortfolioVersion, ...]
    version_ids: tuple[int, ...]

    @property
    def current(self) -> PortfolioVersion | None:
        return self.versions[-1] if self.versions else None

    @property
    def current_weights(self) -> dict[str, int]:
        return dict(self.current.weights_bp) if self.current else {}

    @property
    def priced_codes(self) -> list[str]:
        """Every non-cash code any version ever held: the prices its NAV needs."""
        return sorted({c for v in self.versions for c in v.weights_bp if c != CASH})

    def is_owner(self, actor: Actor) -> bool:
        return actor is not None and actor == self.owner_id


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
    payload: dict[str, Any]


@dataclass(frozen=True)
class CreatedSnapshot:
    info: SnapshotInfo
    token: str | None  # shown once; None for private snapshots (no link)


@dataclass(frozen=True)
class FeedItem:
    """One rebalance of a followed portfolio: the changes and the note."""

    portfolio_id: int
    portfolio_name: str
    owner_name: str
    version: int
    placed_at: pd.Timestamp
    note: str
    changes: tuple[tuple[str, int, int], ...] = field(default_factory=tuple)  # (code, prev_bp, new_bp)


# --------------------------------------------------------------------------- helpers

def _now(now: datetime | None) -> datetime:
    return now if now is not None else utcnow()


def _not_found(portfolio_id: object) -> NotFoundError:
    # One message for "missing", "deleted" and "private to someone else": nothing leaks.
    return NotFoundError(f"portfolio {portfolio_id} not found")


def _clean_text(value: str, what: str, limit: int, *, required: bool) -> str:
    text = unicodedata.normalize("NFC", str(value or "")).strip()
    if required and not text:
        raise ValidationError(f"{what} is empty")
    if len(text) > limit:
        raise ValidationError(f"{what} is longer than {limit} characters")
    return text


def _check_visibility(value: str, allowed: Sequence[str] = VISIBILITIES) -> str:
    if value not in allowed:
        raise ValidationError(f"visibility must be one of {', '.join(allowed)}, got {value!r}")
    return value


def _row(conn: Connection, portfolio_id: int):  # type: ignore[no-untyped-def]
    try:
        pid = int(portfolio_id)
    except (TypeError, ValueError):
        raise _not_found(portfolio_id) from None
    p, u = schema.portfolios, schema.users
    return conn.execute(select(p, u.c.display_name.label("owner_name")).join(u, u.c.id == p.c.owner_id)
                        .where(p.c.id == pid)).mappings().first()


def _visible(row, actor: Actor) -> bool:  # type: ignore[no-untyped-def]
    if row is None or row["deleted_at"] is not None:
        return False
    return row["visibility"] != "private" or (actor is not None and row["owner_id"] == actor)


def _viewable_row(conn: Connection, actor: Actor, portfolio_id: int):  # type: ignore[no-untyped-def]
    row = _row(conn, portfolio_id)
    if not _visible(row, actor):
        raise _not_found(portfolio_id)
    return row


def _owned_row(conn: Connection, actor: Actor, portfolio_id: int, *, open_only: bool = False):  # type: ignore[no-untyped-def]
    row = _viewable_row(conn, actor, portfolio_id)
    if actor is None or row["owner_id"] != actor:
        raise PermissionDenied(f"only the owner can change portfolio {row['id']}")
    if row["is_demo"]:
        raise PermissionDenied(f"portfolio {row['id']} is demo data and read-only")
    if open_only and row["closed_at"] is not None:
        raise ValidationError(f"portfolio {row['id']} is closed: it can no longer be rebalanced or confirmed")
    return row


def _versions(conn: Connection, portfolio_id: int) -> tuple[list[PortfolioVersion], list[int]]:
    v, w = schema.portfolio_versions, schema.portfolio_weights
    rows = conn.execute(select(v.c.id, v.c.version, v.c.placed_at, v.c.note, w.c.code, w.c.weight_bp)
                        .join(w, w.c.version_id == v.c.id).where(v.c.portfolio_id == portfolio_id)
                        .order_by(v.c.version, w.c.code)).all()
    grouped: dict[int, dict[str, Any]] = {}
    for vid, number, placed_at, note, code, bp in rows:
        entry = grouped.setdefault(number, {"id": vid, "placed_at": placed_at, "note": note, "weights": {}})
        entry["weights"][code] = int(bp)
    versions, ids = [], []
    for number in sorted(grouped):
        e = grouped[number]
        versions.append(PortfolioVersion(number, pd.Timestamp(e["placed_at"]).tz_localize("UTC"), e["weights"],
                                         e["note"] or ""))
        ids.append(int(e["id"]))
    return versions, ids


def _info(conn: Connection, row) -> PortfolioInfo:  # type: ignore[no-untyped-def]
    versions, ids = _versions(conn, row["id"])
    return PortfolioInfo(
        id=int(row["id"]), owner_id=int(row["owner_id"]), owner_name=row["owner_name"], name=row["name"],
        description=row["description"] or "", visibility=row["visibility"], is_demo=bool(row["is_demo"]),
        created_at=row["created_at"], closed_at=row["closed_at"], deleted_at=row["deleted_at"],
        confirmed_at=row["confirmed_at"], versions=tuple(versions), version_ids=tuple(ids))


def known_codes(store: Store) -> list[str]:
    """Instrument codes in the store's universe (``CASH`` is always allowed besides these)."""
    with store.read() as conn:
        return [r[0] for r in conn.execute(select(schema.instruments.c.code).order_by(schema.instruments.c.code))]


def instrument_names(store: Store) -> dict[str, tuple[str, str]]:
    """code → (name_zh, name_en) for the store's universe."""
    i = schema.instruments
    with store.read() as conn:
        return {r[0]: (r[1], r[2]) for r in conn.execute(select(i.c.code, i.c.name_zh, i.c.name_en))}


def _weights_bp(store_or_codes: Store | Sequence[str],
                weights_pct: Mapping[str, object] | Iterable[tuple[str, object]]) -> dict[str, int]:
    codes = known_codes(store_or_codes) if isinstance(store_or_codes, Store) else list(store_or_codes)
    return percent_to_bp(weights_pct, codes)


def _insert_version(conn: Connection, portfolio_id: int, number: int, weights_bp: Mapping[str, int],
                    note: str, placed_at: datetime) -> int:
    vid = conn.execute(insert(schema.portfolio_versions).values(
        portfolio_id=portfolio_id, version=number, placed_at=placed_at, note=note)).inserted_primary_key[0]
    conn.execute(insert(schema.portfolio_weights), [
        {"version_id": vid, "code": code, "weight_bp": int(bp)} for code, bp in weights_bp.items() if bp > 0])
    return int(vid)


# --------------------------------------------------------------------------- portfolios

def create_portfolio(store: Store, actor: Actor, name: str, weights_pct: Mapping[str, object] | Iterable[tuple[str, object]],
                     *, description: str = "", visibility: str = "private", note: str = "",
                     now: datetime | None = None) -> int:
    """Create a portfolio with its first version; weights in percent (must add up to 100 %,
    see ``socialfund.core.weights``). Returns the new portfolio id."""
    if actor is None:
        raise PermissionDenied("sign in to create a portfolio")
    name = _clean_text(name, "portfolio name", MAX_NAME, required=True)
    description = _clean_text(description, "description", MAX_DESCRIPTION, required=False)
    note = _clean_text(note, "note", MAX_NOTE, required=False)
    _check_visibility(visibility)
    weights = _weights_bp(store, weights_pct)
    at = _now(now)

    def write(conn: Connection) -> int:
        user = conn.execute(select(schema.users.c.id, schema.users.c.is_demo)
                            .where(schema.users.c.id == actor)).first()
        if user is None:
            raise PermissionDenied(f"unknown user {actor}")
        if user.is_demo:
            raise PermissionDenied("demo users are read-only")
        pid = conn.execute(insert(schema.portfolios).values(
            owner_id=actor, name=name, description=description, style="", visibility=visibility, is_demo=False,
            created_at=at)).inserted_primary_key[0]
        _insert_version(conn, int(pid), 1, weights, note, at)
        return int(pid)

    return store.retrying(write)


def rebalance(store: Store, actor: Actor, portfolio_id: int,
              weights_pct: Mapping[str, object] | Iterable[tuple[str, object]], note: str = "",
              *, now: datetime | None = None) -> int:
    """Add a new version (target weights in percent) with a note; returns its number.
    It fills at the close of the next session after today (see ``socialfund.portfolios``)."""
    note = _clean_text(note, "note", MAX_NOTE, required=False)
    weights = _weights_bp(store, weights_pct)
    at = _now(now)

    def write(conn: Connection) -> int:
        _owned_row(conn, actor, portfolio_id, open_only=True)
        v = schema.portfolio_versions
        last = conn.execute(select(func.max(v.c.version)).where(v.c.portfolio_id == portfolio_id)).scalar() or 0
        _insert_version(conn, int(portfolio_id), int(last) + 1, weights, note, at)
        return int(last) + 1

    return store.retrying(write)


def confirm(store: Store, actor: Actor, portfolio_id: int, *, now: datetime | None = None) -> None:
    """Mark the current weights as still intended ("still current") without rebalancing."""
    at = _now(now)

    def write(conn: Connection) -> None:
        _owned_row(conn, actor, portfolio_id, open_only=True)
        conn.execute(update(schema.portfolios).where(schema.portfolios.c.id == portfolio_id)
                     .values(confirmed_at=at))

    store.retrying(write)


def close(store: Store, actor: Actor, portfolio_id: int, *, now: datetime | None = None) -> None:
    """Close a portfolio: its NAV ends; it stays visible (and ranked if public) as history."""
    at = _now(now)

    def write(conn: Connection) -> None:
        _owned_row(conn, actor, portfolio_id, open_only=True)
        conn.execute(update(schema.portfolios).where(schema.portfolios.c.id == portfolio_id).values(closed_at=at))

    store.retrying(write)


def delete_portfolio(store: Store, actor: Actor, portfolio_id: int, *, now: datetime | None = None) -> None:
    """Soft delete: hidden from everyone from now on, history kept for the survivorship-free
    record; every share link of it stops working (its snapshots are revoked)."""
    at = _now(now)

    def write(conn: Connection) -> None:
        _owned_row(conn, actor, portfolio_id)
        p, s = schema.portfolios, schema.snapshots
        conn.execute(update(p).where(p.c.id == portfolio_id).values(deleted_at=at))
        conn.execute(update(s).where(and_(s.c.portfolio_id == portfolio_id, s.c.revoked_at.is_(None)))
                     .values(revoked_at=at))

    store.retrying(write)


def set_visibility(store: Store, actor: Actor, portfolio_id: int, visibility: str) -> None:
    _check_visibility(visibility)

    def write(conn: Connection) -> None:
        _owned_row(conn, actor, portfolio_id)
        conn.execute(update(schema.portfolios).where(schema.portfolios.c.id == portfolio_id)
                     .values(visibility=visibility))

    store.retrying(write)


def can_view(store: Store, actor: Actor, portfolio_id: int) -> bool:
    with store.read() as conn:
        return _visible(_row(conn, portfolio_id), actor)


def can_edit(store: Store, actor: Actor, portfolio_id: int) -> bool:
    with store.read() as conn:
        row = _row(conn, portfolio_id)
    return _visible(row, actor) and actor is not None and row["owner_id"] == actor and not row["is_demo"]


def can_copy(store: Store, actor: Actor, portfolio_id: int) -> bool:
    with store.read() as conn:
        row = _row(conn, portfolio_id)
    return actor is not None and _visible(row, actor)  # private & visible ⇒ the actor owns it


def can_export(store: Store, actor: Actor, portfolio_id: int) -> bool:
    return can_view(store, actor, portfolio_id)


def get_portfolio(store: Store, actor: Actor, portfolio_id: int) -> PortfolioInfo:
    """The portfolio with its versions, or ``NotFoundError`` (missing = invisible)."""
    with store.read() as conn:
        return _info(conn, _viewable_row(conn, actor, portfolio_id))


def my_portfolios(store: Store, actor: Actor, *, include_closed: bool = True) -> list[PortfolioInfo]:
    """The actor's own portfolios (not deleted), newest first."""
    if actor is None:
        return []
    p, u = schema.portfolios, schema.users
    query = (select(p, u.c.display_name.label("owner_name")).join(u, u.c.id == p.c.owner_id)
             .where(p.c.owner_id == actor, p.c.deleted_at.is_(None)).order_by(p.c.id.desc()))
    if not include_closed:
        query = query.where(p.c.closed_at.is_(None))
    with store.read() as conn:
        return [_info(conn, row) for row in conn.execute(query).mappings().all()]


def visible_portfolios(store: Store, actor: Actor, meta: pd.DataFrame | None = None) -> pd.DataFrame:
    """Rows of ``community.portfolio_meta`` the actor may see *in lists*: public and not
    deleted, plus the actor's own (any visibility, not deleted). Unlisted portfolios of
    others are reachable by id only."""
    meta = community.portfolio_meta(store) if meta is None else meta
    mine = (meta["owner_id"] == actor) if actor is not None else False
    keep = meta["deleted_on"].isna() & ((meta["visibility"] == "public") | mine)
    return meta[keep]


def user_portfolios(store: Store, actor: Actor, owner_id: int, meta: pd.DataFrame | None = None) -> pd.DataFrame:
    """Another user's list as the actor sees it (their public portfolios; all for oneself).
    ``meta``: an already loaded ``community.portfolio_meta`` (to avoid reloading it)."""
    visible = visible_portfolios(store, actor, meta)
    return visible[visible["owner_id"] == owner_id]


def search_portfolios(store: Store, actor: Actor, query: str, limit: int = 50,
                      meta: pd.DataFrame | None = None) -> pd.DataFrame:
    """Portfolios visible to the actor whose name or description contains ``query``."""
    visible = visible_portfolios(store, actor, meta)
    q = unicodedata.normalize("NFKC", query or "").strip().casefold()
    if not q:
        return visible.head(limit)
    hit = visible["name"].str.casefold().str.contains(q, regex=False) | \
        visible["description"].fillna("").str.casefold().str.contains(q, regex=False)
    return visible[hit].head(limit)


def export_weights(store: Store, actor: Actor, portfolio_id: int) -> tuple[PortfolioInfo, dict[str, int]]:
    """The current weights of a portfolio the actor may export (owner, or a non-private one)."""
    info = get_portfolio(store, actor, portfolio_id)
    if info.current is None:
        raise ValidationError(f"portfolio {portfolio_id} has no holdings yet")
    return info, info.current_weights


# --------------------------------------------------------------------------- follows and feed

def follow(store: Store, actor: Actor, portfolio_id: int, *, now: datetime | None = None) -> None:
    """Follow a public portfolio (idempotent)."""
    if actor is None:
        raise PermissionDenied("sign in to follow a portfolio")
    at = _now(now)

    def write(conn: Connection) -> None:
        row = _viewable_row(conn, actor, portfolio_id)
        if row["visibility"] != "public":
            raise PermissionDenied(f"only public portfolios can be followed (portfolio {row['id']} is "
                                   f"{row['visibility']})")
        f = schema.follows
        exists = conn.execute(select(f.c.user_id).where(f.c.user_id == actor, f.c.portfolio_id == row["id"])).first()
        if exists is None:
            conn.execute(insert(f).values(user_id=actor, portfolio_id=row["id"], since=at))

    store.retrying(write)


def unfollow(store: Store, actor: Actor, portfolio_id: int) -> None:
    """Stop following (idempotent; allowed even if the portfolio became private or was deleted)."""
    if actor is None:
        raise PermissionDenied("sign in to unfollow a portfolio")
    f = schema.follows
    with store.write() as conn:
        conn.execute(delete(f).where(f.c.user_id == actor, f.c.portfolio_id == int(portfolio_id)))


def is_following(store: Store, actor: Actor, portfolio_id: int) -> bool:
    if actor is None:
        return False
    f = schema.follows
    with store.read() as conn:
        return conn.execute(select(f.c.user_id).where(f.c.user_id == actor,
                                                      f.c.portfolio_id == int(portfolio_id))).first() is not None


def followed_portfolios(store: Store, actor: Actor) -> pd.DataFrame:
    """Portfolio meta rows the actor follows and may still see in lists (public or own)."""
    if actor is None:
        return community.portfolio_meta(store, []).iloc[0:0]
    f = schema.follows
    with store.read() as conn:
        ids = [r[0] for r in conn.execute(select(f.c.portfolio_id).where(f.c.user_id == actor))]
    visible = visible_portfolios(store, actor, community.portfolio_meta(store, ids))
    return visible


def feed(store: Store, actor: Actor, limit: int = 50) -> list[FeedItem]:
    """Rebalances of the portfolios the actor follows, newest first. Only portfolios the
    actor may see in lists (public, or their own): never someone else's private one, even
    if it was public when followed. The first version counts as the opening position."""
    followed = followed_portfolios(store, actor)
    if followed.empty:
        return []
    ids = [int(i) for i in followed["portfolio_id"]]
    names = dict(zip(followed["portfolio_id"], followed["name"]))
    owners = dict(zip(followed["portfolio_id"], followed["owner_name"]))
    items: list[FeedItem] = []
    for pid, versions in community.versions_by_portfolio(store, ids).items():
        prev: Mapping[str, int] = {}
        for v in sorted(versions, key=lambda x: x.version):
            changes = tuple((c, prev.get(c, 0), v.weights_bp.get(c, 0)) for c in sorted(set(prev) | set(v.weights_bp))
                            if prev.get(c, 0) != v.weights_bp.get(c, 0))
            items.append(FeedItem(pid, names[pid], owners[pid], v.version, v.placed_at, v.note, changes))
            prev = v.weights_bp
    items.sort(key=lambda it: (it.placed_at, it.portfolio_id, it.version), reverse=True)
    return items[:limit]


# --------------------------------------------------------------------------- snapshots

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
                           amount_cny: Decimal | None, risk_free: float, now: datetime) -> dict[str, Any]:
    """Freeze the current version and its metrics (pure: no store access).

    ``metrics``: ``socialfund.core.metrics.summary`` of the daily NAV returns up to the latest
    price session (fractions; annualised with 252 sessions; ``cagr`` null under 365 days).
    ``period``: first and last NAV session and the number of sessions. ``nav``: up to
    ``SPARKLINE_POINTS`` [ISO date, NAV] pairs (NAV = 1 at the first fill). ``amounts``
    (CNY per holding = amount × target weight) only when not ``weights_only``."""
    from socialfund.core import metrics
    from socialfund.portfolios import nav_series

    current = info.current
    assert current is not None
    weights = dict(current.weights_bp)
    nav = pd.Series(dtype=float)
    if prices is not None and not prices.empty:
        columns = info.priced_codes
        closed = info.closed_at.date() if info.closed_at else None
        nav = nav_series(prices.reindex(columns=columns), list(info.versions), closed).dropna()
    returns = nav.pct_change().dropna()
    summary = {k: _finite(v) for k, v in metrics.summary(returns, risk_free).items()} if len(returns) >= 2 else {}
    step = max(1, math.ceil(len(nav) / SPARKLINE_POINTS))
    sampled = nav.iloc[::step]
    if len(nav) and sampled.index[-1] != nav.index[-1]:
        sampled = pd.concat([sampled, nav.iloc[-1:]])
    payload: dict[str, Any] = {
        "schema": 1,
        "portfolio": {"id": info.id, "name": info.name, "description": info.description,
                      "owner": info.owner_name},
        "version": {"number": current.version, "placed_at": current.placed_at.isoformat(), "note": current.note},
        "weights_bp": weights,
        "names": {c: list(names[c]) for c in weights if c in names},
        "metrics": summary,
        "risk_free": risk_free,
        "period": ({"start": nav.index[0].date().isoformat(), "end": nav.index[-1].date().isoformat(),
                    "sessions": int(len(nav))} if len(nav) else None),
        "nav": [[d.date().isoformat(), round(float(x), 6)] for d, x in sampled.items()],
        "is_demo_data": bool(is_demo_data or info.is_demo),
        "created_at": now.isoformat(),
        "weights_only": bool(weights_only),
    }
    if not weights_only and amount_cny is not None:
        amount = Decimal(str(amount_cny))
        payload["amount_cny"] = str(amount)
        payload["amounts_cny"] = {c: str((amount * bp / 10_000).quantize(Decimal("0.01"))) for c, bp in weights.items()}
    return payload


def create_snapshot(store: Store, actor: Actor, portfolio_id: int, prices: pd.DataFrame | None, *,
                    title: str | None = None, visibility: str = "unlisted", weights_only: bool = True,
                    expires_at: datetime | None = None, amount_cny: Decimal | None = None,
                    is_demo_data: bool = False, risk_free: float = 0.0,
                    now: datetime | None = None) -> CreatedSnapshot:
    """Freeze the portfolio's current version with its metrics; owner only. Returns the
    record and, unless private, the share token — shown this once, stored only hashed."""
    _check_visibility(visibility, SNAPSHOT_VISIBILITIES)
    at = _now(now)
    if expires_at is not None and expires_at <= at:
        raise ValidationError("the expiry must be in the future")
    with store.read() as conn:
        _owned_row(conn, actor, portfolio_id)
        info = _info(conn, _row(conn, portfolio_id))
    if info.current is None:
        raise ValidationError(f"portfolio {portfolio_id} has no holdings to snapshot")
    title = _clean_text(title or info.name, "snapshot title", MAX_NAME, required=True)
    payload = build_snapshot_payload(info, prices, names=instrument_names(store), is_demo_data=is_demo_data,
                                     weights_only=weights_only, amount_cny=amount_cny, risk_free=risk_free, now=at)
    token = None if visibility == "private" else secrets.token_urlsafe(32)
    version_id = info.version_ids[-1]

    def write(conn: Connection) -> int:
        # Re-check inside the write: the owner may have deleted or rebalanced meanwhile.
        _owned_row(conn, actor, portfolio_id)
        sid = conn.execute(insert(schema.snapshots).values(
            portfolio_id=info.id, version_id=version_id, owner_id=actor, title=title, visibility=visibility,
            weights_only=weights_only, token_hash=hash_token(token) if token else None, expires_at=expires_at,
            revoked_at=None, created_at=at, payload_json=json.dumps(payload, ensure_ascii=False, sort_keys=True),
        )).inserted_primary_key[0]
        return int(sid)

    sid = store.retrying(write)
    record = SnapshotInfo(sid, info.id, info.current.version, title, visibility, weights_only, token is not None,
                          expires_at, None, at)
    return CreatedSnapshot(record, token)


def _snapshot_info(row, version_number: int) -> SnapshotInfo:  # type: ignore[no-untyped-def]
    return SnapshotInfo(int(row["id"]), int(row["portfolio_id"]), int(version_number), row["title"],
                        row["visibility"], bool(row["weights_only"]), row["token_hash"] is not None,
                        row["expires_at"], row["revoked_at"], row["created_at"])


def list_snapshots(store: Store, actor: Actor, portfolio_id: int, *, now: datetime | None = None) -> list[SnapshotInfo]:
    """The owner sees every snapshot of the portfolio; others who can view the portfolio see
    its active public snapshots only. Newest first."""
    s, v = schema.snapshots, schema.portfolio_versions
    at = _now(now)
    with store.read() as conn:
        row = _viewable_row(conn, actor, portfolio_id)
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
        portfolio = _row(conn, row["portfolio_id"])
    active = row["revoked_at"] is None and (row["expires_at"] is None or row["expires_at"] > utcnow())
    if not owner_ok and not (row["visibility"] == "public" and active and _visible(portfolio, actor)):
        raise NotFoundError(f"snapshot {snapshot_id} not found")
    return SnapshotView(int(row["id"]), int(row["portfolio_id"]), row["title"], bool(row["weights_only"]),
                        row["created_at"], row["expires_at"], json.loads(row["payload_json"]))


def open_snapshot(store: Store, token: str, *, now: datetime | None = None) -> SnapshotView:
    """A snapshot through its share link, for anyone (no sign-in). A revoked, expired or
    unknown token — or one of a deleted portfolio — raises one ``NotFoundError``."""
    at = _now(now)
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
    return SnapshotView(int(row["id"]), int(row["portfolio_id"]), row["title"], bool(row["weights_only"]),
                        row["created_at"], row["expires_at"], json.loads(row["payload_json"]))


def revoke_snapshot(store: Store, actor: Actor, snapshot_id: int, *, now: datetime | None = None) -> None:
    """Revoke a snapshot's link (owner only; idempotent). The record stays for the owner."""
    at = _now(now)
    s = schema.snapshots

    def write(conn: Connection) -> None:
        row = conn.execute(select(s.c.owner_id, s.c.revoked_at).where(s.c.id == int(snapshot_id))).first()
        if row is None or actor is None or row.owner_id != actor:
            raise NotFoundError(f"snapshot {snapshot_id} not found")
        if row.revoked_at is None:
            conn.execute(update(s).where(s.c.id == int(snapshot_id)).values(revoked_at=at))

    store.retrying(write)
