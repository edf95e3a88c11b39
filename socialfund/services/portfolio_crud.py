"""Portfolios as a user keeps them: create, rebalance, confirm, close, delete, set the
visibility (owner only), and read them back — one portfolio, the actor's own list, the lists
and search others see, the weights to export — each through ``services.access``.

Weights come in as percent (``core.weights.percent_to_bp``: they must add up to 100 %) and
are stored as basis points, one immutable version per rebalance. Times are naive UTC (the
store's convention); pass ``now`` to pin them in tests.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
import datetime as dt
from datetime import datetime, time

import pandas as pd
from sqlalchemy import Connection, RowMapping, and_, func, insert, select, update

from socialfund.core.errors import PermissionDenied, ValidationError
from socialfund.core.models import PortfolioVersion
from socialfund.core.timeutil import to_utc_naive, utcnow
from socialfund.core.weights import CASH, percent_to_bp, validate_weights_bp
from socialfund.io.history_file import Rebalance
from socialfund.market.instruments import names_by_code
from socialfund.market.registry import stored_universe
from socialfund.services.access import (
    MAX_DESCRIPTION, MAX_NAME, MAX_NOTE, Actor, check_visibility, clean_text, owned_row, viewable_row,
)
from socialfund.store import Store, community, insert_returning_id, schema


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


def portfolio_info(conn: Connection, row: RowMapping) -> PortfolioInfo:
    """A ``PortfolioInfo`` of a portfolio row (already permission-checked) with its versions."""
    pairs = community.versions_with_ids(conn, [int(row["id"])]).get(int(row["id"]), [])
    return PortfolioInfo(
        id=int(row["id"]), owner_id=int(row["owner_id"]), owner_name=row["owner_name"], name=row["name"],
        description=row["description"] or "", visibility=row["visibility"], is_demo=bool(row["is_demo"]),
        created_at=row["created_at"], closed_at=row["closed_at"], deleted_at=row["deleted_at"],
        confirmed_at=row["confirmed_at"], versions=tuple(v for _, v in pairs), version_ids=tuple(i for i, _ in pairs))


def known_codes(store: Store) -> list[str]:
    """Instrument codes in the store's universe, sorted (``CASH`` is always allowed besides these)."""
    return [i.code for i in stored_universe(store)]


def instrument_names(store: Store) -> dict[str, tuple[str, str]]:
    """code → (name_zh, name_en) for the store's universe."""
    return names_by_code(stored_universe(store))


def _weights_bp(store: Store, weights_pct: Mapping[str, object] | Iterable[tuple[str, object]]) -> dict[str, int]:
    return percent_to_bp(weights_pct, known_codes(store))


def _insert_version(conn: Connection, portfolio_id: int, number: int, weights_bp: Mapping[str, int],
                    note: str, placed_at: datetime) -> int:
    vid = insert_returning_id(conn, insert(schema.portfolio_versions).values(
        portfolio_id=portfolio_id, version=number, placed_at=placed_at, note=note))
    conn.execute(insert(schema.portfolio_weights), [
        {"version_id": vid, "code": code, "weight_bp": int(bp)} for code, bp in weights_bp.items() if bp > 0])
    return vid


def _record_visibility(conn: Connection, portfolio_id: int, visibility: str, at: datetime) -> None:
    """Date a visibility (the first one at creation, then every change): readers as of a
    date take it from this history (``community.visibility_on``), never from the current value."""
    conn.execute(insert(schema.portfolio_visibility_changes).values(
        portfolio_id=portfolio_id, changed_at=at, visibility=visibility))


# --------------------------------------------------------------------------- changes

def _check_writer(conn: Connection, actor: int) -> None:
    """The actor exists and is not a (read-only) demo user."""
    user = conn.execute(select(schema.users.c.id, schema.users.c.is_demo).where(schema.users.c.id == actor)).first()
    if user is None:
        raise PermissionDenied(f"unknown user {actor}")
    if user.is_demo:
        raise PermissionDenied("demo users are read-only")


def create_portfolio(store: Store, actor: Actor, name: str, weights_pct: Mapping[str, object] | Iterable[tuple[str, object]],
                     *, description: str = "", visibility: str = "private", note: str = "",
                     now: datetime | None = None) -> int:
    """Create a portfolio with its first version; weights in percent (must add up to 100 %,
    see ``socialfund.core.weights``). Returns the new portfolio id."""
    if actor is None:
        raise PermissionDenied("sign in to create a portfolio")
    name = clean_text(name, "portfolio name", MAX_NAME, required=True)
    description = clean_text(description, "description", MAX_DESCRIPTION, required=False)
    note = clean_text(note, "note", MAX_NOTE, required=False)
    check_visibility(visibility)
    weights = _weights_bp(store, weights_pct)
    at = now or utcnow()

    def write(conn: Connection) -> int:
        _check_writer(conn, actor)
        pid = insert_returning_id(conn, insert(schema.portfolios).values(
            owner_id=actor, name=name, description=description, style="", visibility=visibility, is_demo=False,
            created_at=at))
        _record_visibility(conn, pid, visibility, at)
        _insert_version(conn, pid, 1, weights, note, at)
        return pid

    return store.retrying(write)


def rebalance(store: Store, actor: Actor, portfolio_id: int,
              weights_pct: Mapping[str, object] | Iterable[tuple[str, object]], note: str = "",
              *, now: datetime | None = None) -> int:
    """Add a new version (target weights in percent) with a note; returns its number.
    It fills at the close of the next session after today (see ``socialfund.portfolios``)."""
    note = clean_text(note, "note", MAX_NOTE, required=False)
    weights = _weights_bp(store, weights_pct)
    at = now or utcnow()

    def write(conn: Connection) -> int:
        owned_row(conn, actor, portfolio_id, open_only=True)
        v = schema.portfolio_versions
        last = conn.execute(select(func.max(v.c.version)).where(v.c.portfolio_id == portfolio_id)).scalar() or 0
        _insert_version(conn, int(portfolio_id), int(last) + 1, weights, note, at)
        return int(last) + 1

    return store.retrying(write)


def confirm(store: Store, actor: Actor, portfolio_id: int, *, now: datetime | None = None) -> None:
    """Mark the current weights as still intended ("still current") without rebalancing."""
    at = now or utcnow()

    def write(conn: Connection) -> None:
        owned_row(conn, actor, portfolio_id, open_only=True)
        conn.execute(update(schema.portfolios).where(schema.portfolios.c.id == portfolio_id)
                     .values(confirmed_at=at))
        # the column keeps the latest; the dated row keeps this one for rankings at past dates
        conn.execute(insert(schema.portfolio_confirmations).values(portfolio_id=int(portfolio_id), confirmed_at=at))

    store.retrying(write)


def close(store: Store, actor: Actor, portfolio_id: int, *, now: datetime | None = None) -> None:
    """Close a portfolio: its NAV ends; it stays visible (and ranked if public) as history."""
    at = now or utcnow()

    def write(conn: Connection) -> None:
        owned_row(conn, actor, portfolio_id, open_only=True)
        conn.execute(update(schema.portfolios).where(schema.portfolios.c.id == portfolio_id).values(closed_at=at))

    store.retrying(write)


def delete_portfolio(store: Store, actor: Actor, portfolio_id: int, *, now: datetime | None = None) -> None:
    """Soft delete: hidden from everyone from now on, history kept for the survivorship-free
    record; every share link of it stops working (its snapshots are revoked)."""
    at = now or utcnow()

    def write(conn: Connection) -> None:
        owned_row(conn, actor, portfolio_id)
        p, s = schema.portfolios, schema.snapshots
        conn.execute(update(p).where(p.c.id == portfolio_id).values(deleted_at=at))
        conn.execute(update(s).where(and_(s.c.portfolio_id == portfolio_id, s.c.revoked_at.is_(None)))
                     .values(revoked_at=at))

    store.retrying(write)


def set_visibility(store: Store, actor: Actor, portfolio_id: int, visibility: str, *,
                   now: datetime | None = None) -> None:
    """Make the portfolio public, unlisted or private (owner only); lists follow at once.
    The change is dated (``portfolio_visibility_changes``): what is computed as of an
    earlier date still sees the visibility it had then."""
    check_visibility(visibility)
    at = now or utcnow()

    def write(conn: Connection) -> None:
        row = owned_row(conn, actor, portfolio_id)
        if row["visibility"] == visibility:
            return
        h = schema.portfolio_visibility_changes
        if conn.execute(select(h.c.id).where(h.c.portfolio_id == int(portfolio_id)).limit(1)).first() is None:
            # stored before visibilities were dated: it had its current one since creation
            _record_visibility(conn, int(portfolio_id), row["visibility"], row["created_at"])
        conn.execute(update(schema.portfolios).where(schema.portfolios.c.id == portfolio_id)
                     .values(visibility=visibility))
        _record_visibility(conn, int(portfolio_id), visibility, at)

    store.retrying(write)


# --------------------------------------------------------------------------- reads

def get_portfolio(store: Store, actor: Actor, portfolio_id: int) -> PortfolioInfo:
    """The portfolio with its versions, or ``NotFoundError`` (missing = invisible)."""
    with store.read() as conn:
        return portfolio_info(conn, viewable_row(conn, actor, portfolio_id))


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
        return [portfolio_info(conn, row) for row in conn.execute(query).mappings().all()]


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


def deleted_from_record(store: Store, portfolio_id: int | str) -> dt.date | None:
    """The Shanghai day a portfolio was deleted on, if it was public when deleted (so it stays
    in the public record: leaderboard, fund ideas); None for any other id — a deleted private
    or unlisted portfolio stays indistinguishable from a missing one."""
    try:
        pid = int(portfolio_id)
    except (TypeError, ValueError):
        return None
    meta = community.portfolio_meta(store, [pid])
    if meta.empty or pd.isna(meta.iloc[0]["deleted_on"]):
        return None
    day: dt.date = meta.iloc[0]["deleted_on"]
    public = community.portfolio_meta(store, [pid], as_of=day).iloc[0]["visibility"] == "public"
    return day if public else None


def export_weights(store: Store, actor: Actor, portfolio_id: int) -> tuple[PortfolioInfo, dict[str, int]]:
    """The current weights of a portfolio the actor may export (owner, or a non-private one)."""
    info = get_portfolio(store, actor, portfolio_id)
    if info.current is None:
        raise ValidationError(f"portfolio {portfolio_id} has no holdings yet", key="error.pf.no_holdings",
                              args={"id": portfolio_id})
    return info, info.current_weights


# --------------------------------------------------------------------------- history

#: The Beijing hour a backdated rebalance is recorded at: after the close, so that like any
#: order dated that day it fills at the close of the next session (``socialfund.portfolios``).
HISTORY_PLACED_HOUR = 15


def import_history(store: Store, actor: Actor, name: str, rebalances: Sequence[Rebalance], *,
                   description: str = "", visibility: str = "private", now: datetime | None = None,
                   note: str = "imported history", extra: Callable[[Connection, int], None] | None = None) -> int:
    """Create a portfolio from its past: one version per rebalance date (``io.history_file``),
    backdated to that date at 15:00 Beijing (fills at the next session's close, the usual
    rule), the portfolio created at the first date. Its visibility is dated ``now`` (the
    import), not backdated: nobody saw it before, so rankings as of earlier dates do not
    gain it afterwards (no backfilled track records). One transaction: a rejected history
    stores nothing (``extra(conn, id)``, when given, writes more in the same transaction:
    ``services.flows`` stores the cash flows). Returns the new portfolio id."""
    if actor is None:
        raise PermissionDenied("sign in to import a portfolio")
    name = clean_text(name, "portfolio name", MAX_NAME, required=True)
    description = clean_text(description, "description", MAX_DESCRIPTION, required=False)
    check_visibility(visibility)
    if not rebalances:
        raise ValidationError("the history has no rebalances", key="error.history.empty")
    known = known_codes(store)
    steps = sorted(rebalances, key=lambda r: r.day)
    placed = [(to_utc_naive(datetime.combine(step.day, time(HISTORY_PLACED_HOUR))),
               validate_weights_bp(step.weights_bp, known, where=f"{step.day} (line {step.line}): "))
              for step in steps]
    imported_at = now or utcnow()
    if placed[-1][0] > imported_at:
        raise ValidationError(f"the history ends on {steps[-1].day}, in the future", key="error.history.future",
                              args={"day": str(steps[-1].day)})

    def write(conn: Connection) -> int:
        _check_writer(conn, actor)
        pid = insert_returning_id(conn, insert(schema.portfolios).values(
            owner_id=actor, name=name, description=description, style="", visibility=visibility, is_demo=False,
            created_at=placed[0][0]))
        _record_visibility(conn, pid, visibility, imported_at)
        for number, (at, weights) in enumerate(placed, start=1):
            _insert_version(conn, pid, number, weights, note, at)
        if extra is not None:
            extra(conn, pid)
        return pid

    return store.retrying(write)
