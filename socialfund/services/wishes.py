"""小心愿 wishes: create a wish with its saving plan, record deposits, project it, and let
friends "guess my wish" through a link — with the one permission policy for wishes.

Permissions (``Actor`` as everywhere, ``services.access``):

* **Create.** A signed-in user (anonymous: ``PermissionDenied``); demo users are read-only.
* **View.** The owner sees everything (deposits, guesses with names, messages and tips).
  Another user or an anonymous visitor sees a public or unlisted wish's public view only
  (title, emoji, progress); a private wish gets the answer a missing id gets
  (``NotFoundError("wish N not found")``).
* **Change** (deposit, import, share, revoke, close). The owner only: ``PermissionDenied``
  for a visible wish of someone else, ``NotFoundError`` for an invisible one; a closed wish
  takes no more deposits, guesses or tips (its history stays).
* **Guess** (through a link, signed in or not). A revoked, expired or unknown token gets one
  ``NotFoundError`` (``snapshots.INVALID_LINK``). Whoever guesses sees the four candidates,
  then their own answer, the real wish and the public progress — never others' guesses.

Guess links reuse the snapshot token machinery: ``secrets.token_urlsafe(32)`` shown once,
stored as ``snapshots.hash_token`` (SHA-256), compared with ``hmac.compare_digest``.

Tips are SIMULATED: socialfund moves no money; a tip only adds to the wish's progress.
Progress = deposits + simulated tips (principal, in fen; returns on it are not added).
"""

from __future__ import annotations

import datetime as dt
import hmac
import json
import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

import pandas as pd
from sqlalchemy import Connection, RowMapping, func, insert, select, update

from socialfund.core.codes import CodeResolver
from socialfund.core.errors import NotFoundError, PermissionDenied, ValidationError
from socialfund.core.money_fund import DEMO_MMF_CODE, DEMO_MMF_NAME_EN, DEMO_MMF_NAME_ZH
from socialfund.core.timeutil import SHANGHAI, utcnow
from socialfund.io.csvrows import read_csv
from socialfund.market.instruments import Instrument
from socialfund.market.providers import PriceProvider
from socialfund.market.registry import stored_universe
from socialfund.market.search import search_instruments
from socialfund.market.sessions import session_prices
from socialfund.portfolios import nav_series
from socialfund.services.access import Actor, check_visibility, viewable_row
from socialfund.services.portfolio_crud import known_codes, portfolio_info
from socialfund.services.snapshots import INVALID_LINK, hash_token
from socialfund.store import Store, insert_returning_id, schema
from socialfund.store import wishes as wish_store
from socialfund.wishes import guess as guess_rules
from socialfund.wishes import plan as plan_rules
from socialfund.wishes.money import parse_yuan
from socialfund.wishes.projection import Projection, project, weekday_returns

MAX_DEPOSITS_FILE = 200_000   # bytes of a date,amount CSV
MAX_DEPOSIT_ROWS = 5_000
VEHICLE_KINDS = ("fund", "portfolio")
#: Guesses one link takes (a link passed around widely cannot flood the store): make a new link after.
MAX_GUESSES_PER_LINK = 1_000


@dataclass(frozen=True)
class Deposit:
    on_date: dt.date
    amount_fen: int
    note: str


@dataclass(frozen=True)
class Guess:
    """A friend's guess as the owner sees it (a friend never sees others')."""

    id: int
    picked: str
    correct: bool
    name: str
    message: str
    tip_fen: int          # simulated
    created_at: datetime


@dataclass(frozen=True)
class WishView:
    """A wish. ``deposits``, ``guesses`` and the plan are filled for the owner only
    (``is_owner``); everyone else gets the public view (empty tuples, plan hidden)."""

    id: int
    owner_id: int
    owner_name: str
    title: str
    emoji: str
    target_fen: int
    target_date: dt.date
    visibility: str
    start_date: dt.date
    initial_fen: int
    every: str
    amount_fen: int
    vehicle_kind: str
    vehicle_ref: str
    is_demo: bool
    created_at: datetime
    reached_at: datetime | None
    closed_at: datetime | None
    deposits_fen: int
    tips_fen: int
    is_owner: bool
    decoys: tuple[tuple[str, str], ...] = ()
    deposits: tuple[Deposit, ...] = ()
    guesses: tuple[Guess, ...] = ()

    @property
    def saved_fen(self) -> int:
        return self.deposits_fen + self.tips_fen

    @property
    def progress(self) -> float:
        """Saved / target (0 … 1, capped)."""
        return min(1.0, self.saved_fen / self.target_fen) if self.target_fen else 0.0

    @property
    def reached(self) -> bool:
        return self.saved_fen >= self.target_fen

    def planned_fen(self, on: dt.date) -> int:
        return plan_rules.planned_principal(self.start_date, self.every, self.amount_fen, self.initial_fen, on)

    def guess_rate(self) -> float | None:
        """Share of guesses that were right (None without guesses; owner view only)."""
        return sum(g.correct for g in self.guesses) / len(self.guesses) if self.guesses else None


@dataclass(frozen=True)
class GuessPage:
    """What a friend opening a guess link sees before guessing."""

    wish_id: int
    owner_name: str
    candidates: tuple[tuple[str, str], ...]
    progress: float
    saved_fen: int
    target_fen: int
    target_date: dt.date
    closed: bool
    is_demo: bool


@dataclass(frozen=True)
class GuessResult:
    """The friend's own answer, the real wish and the public progress after it."""

    correct: bool
    picked: str
    title: str
    emoji: str
    tip_fen: int
    progress: float
    saved_fen: int
    target_fen: int
    receipt: str = ""     # the guesser's own key to add a name, message and tip to this guess (shown once)


@dataclass(frozen=True)
class LinkInfo:
    id: int
    created_at: datetime
    expires_at: datetime | None
    revoked_at: datetime | None

    def status(self, now: datetime | None = None) -> str:
        now = now or utcnow()
        if self.revoked_at is not None:
            return "revoked"
        if self.expires_at is not None and self.expires_at <= now:
            return "expired"
        return "active"


def today_cn() -> dt.date:
    """Today in Shanghai (the day deposits are dated by default)."""
    return datetime.now(SHANGHAI).date()


def not_found(wish_id: object) -> NotFoundError:
    return NotFoundError(f"wish {wish_id} not found")


def fund_name(code: str, lang: str = "zh") -> str | None:
    """The demo money-market fund's name, else None (other funds: the instrument names)."""
    if code == DEMO_MMF_CODE:
        return DEMO_MMF_NAME_ZH if lang == "zh" else DEMO_MMF_NAME_EN
    return None


def money_fund_instrument() -> Instrument:
    """The demo money-market fund as an instrument (outside the universe: ``core.money_fund``)."""
    return Instrument(DEMO_MMF_CODE, DEMO_MMF_NAME_ZH, DEMO_MMF_NAME_EN, "fund", "OTC", "CNY", None, "money", "XSHG")


def search_funds(store: Store, query: str, limit: int = 20) -> list[Instrument]:
    """Funds a wish may save into, by ``market.search.search_instruments``: the store's universe
    and the demo money-market fund, found by its code (``000198``) or name (``余额宝``) like any other."""
    return search_instruments([*stored_universe(store), money_fund_instrument()], query, limit)


# --------------------------------------------------------------------------- reading

def _visible(row: RowMapping | None, actor: Actor) -> bool:
    if row is None:
        return False
    return bool(row["visibility"] != "private" or (actor is not None and row["owner_id"] == actor))


def _view(conn: Connection, row: RowMapping, actor: Actor) -> WishView:
    wid = int(row["id"])
    deposits_fen, tips_fen = wish_store.saved_fen(conn, wid)
    owner = actor is not None and row["owner_id"] == actor
    extra: dict[str, object] = {}
    if owner:
        extra = dict(
            decoys=tuple((str(t), str(e)) for t, e in json.loads(row["decoys_json"] or "[]")),
            deposits=tuple(Deposit(r["on_date"], int(r["amount_fen"]), r["note"])
                           for r in wish_store.deposit_rows(conn, wid)),
            guesses=tuple(Guess(int(r["id"]), r["picked"], bool(r["correct"]), r["name"], r["message"],
                                int(r["tip_fen"]), r["created_at"]) for r in wish_store.guess_rows(conn, wid)))
    return WishView(
        id=wid, owner_id=int(row["owner_id"]), owner_name=row["owner_name"], title=row["title"], emoji=row["emoji"],
        target_fen=int(row["target_fen"]), target_date=row["target_date"], visibility=row["visibility"],
        start_date=row["start_date"], initial_fen=int(row["initial_fen"]), every=row["every"],
        amount_fen=int(row["amount_fen"]), vehicle_kind=row["vehicle_kind"], vehicle_ref=row["vehicle_ref"],
        is_demo=bool(row["is_demo"]), created_at=row["created_at"], reached_at=row["reached_at"],
        closed_at=row["closed_at"], deposits_fen=deposits_fen, tips_fen=tips_fen, is_owner=owner,
        **extra)  # type: ignore[arg-type]


def get_wish(store: Store, actor: Actor, wish_id: int) -> WishView:
    """The wish as ``actor`` may see it (module docstring), else ``NotFoundError``."""
    with store.read() as conn:
        row = wish_store.wish_row(conn, wish_id)
        if not _visible(row, actor):
            raise not_found(wish_id)
        assert row is not None
        return _view(conn, row, actor)


def my_wishes(store: Store, actor: Actor) -> list[WishView]:
    """The actor's own wishes, newest first (anonymous: none)."""
    if actor is None:
        return []
    with store.read() as conn:
        return [_view(conn, row, actor) for row in wish_store.owner_wish_rows(conn, int(actor))]


def _owned(conn: Connection, actor: Actor, wish_id: int, *, open_only: bool = True) -> RowMapping:
    row = wish_store.wish_row(conn, wish_id)
    if not _visible(row, actor):
        raise not_found(wish_id)
    assert row is not None
    if actor is None or row["owner_id"] != actor:
        raise PermissionDenied(f"only the owner can change wish {row['id']}")
    if open_only and row["closed_at"] is not None:
        raise ValidationError(f"wish {row['id']} is closed: its history is kept, it takes no more deposits")
    return row


# --------------------------------------------------------------------------- creating

def _check_writer(conn: Connection, actor: Actor) -> int:
    if actor is None:
        raise PermissionDenied("sign in to create a wish")
    u = schema.users
    user = conn.execute(select(u.c.is_demo).where(u.c.id == int(actor))).first()
    if user is None:
        raise PermissionDenied(f"unknown user {actor}")
    if user.is_demo:
        raise PermissionDenied("demo users are read-only")
    return int(actor)


def create_wish(store: Store, actor: Actor, *, title: str, target: object, by: dt.date | str, initial: object = 0,
                every: str = "month", amount: object, fund: str | None = None, portfolio_id: int | None = None,
                emoji: str = "🎁", visibility: str = "private", decoys: Sequence[tuple[str, str]] | None = None,
                lang: str = "zh", is_demo_data: bool = False, today: dt.date | None = None,
                now: datetime | None = None) -> WishView:
    """Create a wish and record its initial amount as the first deposit (dated ``today``).
    Amounts are yuan (text or numbers, ``wishes.money.parse_yuan``); ``fund`` is a code with
    prices (the demo money-market fund ``000198`` or any known instrument) or ``portfolio_id``
    one the actor may view. Every check runs before anything is stored."""
    at = now or utcnow()
    start = today or today_cn()
    title = guess_rules.clean_line(title, "wish title", guess_rules.MAX_TITLE, required=True)
    emoji = guess_rules.clean_line(emoji, "emoji", guess_rules.MAX_EMOJI)
    target_fen = parse_yuan(target, "target")
    initial_fen = parse_yuan(initial if initial not in (None, "") else 0, "initial amount", allow_zero=True)
    amount_fen = parse_yuan(amount, "saving amount", allow_zero=True)
    plan_rules.check_frequency(every)
    check_visibility(visibility)
    target_date = by if isinstance(by, dt.date) else _iso_date(by, "target date")
    if target_date <= start:
        raise ValidationError(f"the target date {target_date} must be after today ({start})")
    if (target_date - start).days > plan_rules.MAX_PLAN_DAYS:
        raise ValidationError(f"the target date {target_date} is more than 10 years away: a wish is near")
    if initial_fen == 0 and amount_fen == 0:
        raise ValidationError("the plan saves nothing: give an initial amount or a saving amount")
    if (fund is None) == (portfolio_id is None):
        raise ValidationError("fund the wish with exactly one of: a fund code (--fund) or a portfolio")
    chosen = guess_rules.check_decoys(title, decoys) if decoys else guess_rules.suggest_decoys(title, lang, seed=target_fen)
    if fund is not None:
        # resolved as every typed code (core.codes: 510300 → 510300.SS, 000198.OF → 000198), the demo MMF included
        found = CodeResolver([*known_codes(store), DEMO_MMF_CODE]).match(str(fund))
        if found.code is None:
            raise ValidationError(f"unknown fund code {fund!r}: use the demo money-market fund {DEMO_MMF_CODE} "
                                  "or a code of the universe")
        code = found.code
        kind, ref, is_demo = "fund", code, bool(is_demo_data or code == DEMO_MMF_CODE)
    else:
        with store.read() as conn:
            prow = viewable_row(conn, actor, int(portfolio_id))  # type: ignore[arg-type]
        kind, ref, is_demo = "portfolio", str(int(prow["id"])), bool(is_demo_data or prow["is_demo"])

    def write(conn: Connection) -> int:
        owner = _check_writer(conn, actor)
        wid = insert_returning_id(conn, insert(schema.wishes).values(
            owner_id=owner, title=title, emoji=emoji, target_fen=target_fen, target_date=target_date,
            visibility=visibility, start_date=start, initial_fen=initial_fen, every=every, amount_fen=amount_fen,
            vehicle_kind=kind, vehicle_ref=ref, decoys_json=json.dumps(chosen, ensure_ascii=False), is_demo=is_demo,
            created_at=at, reached_at=at if initial_fen >= target_fen else None, closed_at=None))
        if initial_fen:
            conn.execute(insert(schema.wish_deposits).values(wish_id=wid, on_date=start, amount_fen=initial_fen,
                                                              note="initial", created_at=at))
        return wid

    wid = store.retrying(write)
    return get_wish(store, actor, wid)


def _iso_date(text: object, what: str) -> dt.date:
    try:
        return dt.date.fromisoformat(str(text).strip())
    except ValueError:
        raise ValidationError(f"{what} is not a date (YYYY-MM-DD): {str(text)[:40]!r}") from None


# --------------------------------------------------------------------------- deposits and progress

def _mark_reached(conn: Connection, wish_id: int, at: datetime) -> None:
    w = schema.wishes
    row = conn.execute(select(w.c.target_fen, w.c.reached_at).where(w.c.id == wish_id)).first()
    if row is not None and row.reached_at is None and sum(wish_store.saved_fen(conn, wish_id)) >= row.target_fen:
        conn.execute(update(w).where(w.c.id == wish_id).values(reached_at=at))


def _add_deposits(store: Store, actor: Actor, wish_id: int, rows: Sequence[tuple[dt.date, int, str]],
                  now: datetime | None) -> WishView:
    at = now or utcnow()

    def write(conn: Connection) -> None:
        row = _owned(conn, actor, wish_id)
        for on, fen, _note in rows:
            if on < row["start_date"]:
                raise ValidationError(f"the deposit date {on} is before the wish started ({row['start_date']})")
        if rows:
            conn.execute(insert(schema.wish_deposits), [
                {"wish_id": int(row["id"]), "on_date": on, "amount_fen": fen, "note": note, "created_at": at}
                for on, fen, note in rows])
        _mark_reached(conn, int(row["id"]), at)

    store.retrying(write)
    return get_wish(store, actor, wish_id)


def add_deposit(store: Store, actor: Actor, wish_id: int, amount: object, *, on: dt.date | str | None = None,
                note: str = "", today: dt.date | None = None, now: datetime | None = None) -> WishView:
    """Record one deposit (yuan; dated ``on``, default today; not in the future)."""
    day = (today or today_cn()) if on in (None, "") else (on if isinstance(on, dt.date) else _iso_date(on, "date"))
    if day > (today or today_cn()):
        raise ValidationError(f"the deposit date {day} is in the future")
    fen = parse_yuan(amount, "deposit")
    return _add_deposits(store, actor, wish_id, [(day, fen, guess_rules.clean_line(note, "note", 64))], now)


def round_up_fen(spent_fen: int, unit_fen: int = 100) -> int:
    """The round-up of a spending to the next ``unit_fen`` (default one yuan): 12.30 → 0.70;
    a round amount rounds up by nothing."""
    return (-int(spent_fen)) % int(unit_fen)


def add_round_up(store: Store, actor: Actor, wish_id: int, spent: object, *, on: dt.date | str | None = None,
                 today: dt.date | None = None, now: datetime | None = None) -> WishView:
    """"Round up" saving: a spending entered by hand (yuan) deposits its round-up to the next
    yuan (12.30 spent → 0.70 saved); a round amount has nothing to round up (``ValidationError``)."""
    fen = round_up_fen(parse_yuan(spent, "spending"))
    if fen == 0:
        raise ValidationError("the spending is a whole number of yuan: nothing to round up")
    return add_deposit(store, actor, wish_id, f"{fen // 100}.{fen % 100:02d}", on=on, note="round-up", today=today,
                       now=now)


def parse_deposits_csv(data: bytes | str, label: str, today: dt.date) -> list[tuple[dt.date, int, str]]:
    """Rows ``date,amount`` (amount in yuan; ``io.csvrows`` conventions, UTF-8 or GBK), every
    row checked before any is kept: a bad one is a ``ValidationError`` naming line and column."""
    table = read_csv(data, label, required=("date", "amount"), max_bytes=MAX_DEPOSITS_FILE)
    if len(table) == 0:
        raise ValidationError("no deposits in the file (only a header)", file=label)
    if len(table) > MAX_DEPOSIT_ROWS:
        raise ValidationError(f"more than {MAX_DEPOSIT_ROWS} deposits in one file", file=label)
    out = []
    for row in table:
        try:
            day = _iso_date(row["date"].replace("/", "-"), "date")
        except ValidationError as exc:
            raise ValidationError(exc.message, file=label, line=row.line, column="date") from None
        if day > today:
            raise ValidationError(f"the date {day} is in the future", file=label, line=row.line, column="date")
        try:
            fen = parse_yuan(row["amount"], "amount")
        except ValidationError as exc:
            raise ValidationError(exc.message, file=label, line=row.line, column="amount") from None
        out.append((day, fen, "csv"))
    return out


def import_deposits(store: Store, actor: Actor, wish_id: int, data: bytes | str, label: str = "deposits.csv", *,
                    today: dt.date | None = None, now: datetime | None = None) -> WishView:
    """Record every deposit of a ``date,amount`` CSV, or none (one bad row stores nothing)."""
    rows = parse_deposits_csv(data, label, today or today_cn())
    return _add_deposits(store, actor, wish_id, rows, now)


def close_wish(store: Store, actor: Actor, wish_id: int, *, now: datetime | None = None) -> WishView:
    """Close the wish (owner only; idempotent): its deposits, guesses and tips stay."""
    at = now or utcnow()

    def write(conn: Connection) -> None:
        row = _owned(conn, actor, wish_id, open_only=False)
        if row["closed_at"] is None:
            conn.execute(update(schema.wishes).where(schema.wishes.c.id == int(row["id"])).values(closed_at=at))

    store.retrying(write)
    return get_wish(store, actor, wish_id)


# --------------------------------------------------------------------------- projection

def vehicle_prices(provider: PriceProvider, codes: Sequence[str]) -> pd.DataFrame:
    """Closes for ``vehicle_codes``: the demo money-market fund as its own series (it is
    outside the universe, asked for by code), anything else on the XSHG session axis
    (``market.sessions.session_prices``, as every NAV)."""
    if list(codes) == [DEMO_MMF_CODE]:
        return provider.closes([DEMO_MMF_CODE]).closes
    return session_prices(provider, list(codes))


def vehicle_codes(store: Store, actor: Actor, wish: WishView) -> list[str]:
    """The price series the projection needs: the fund's code, or the portfolio's holdings."""
    if wish.vehicle_kind == "fund":
        return [wish.vehicle_ref]
    with store.read() as conn:
        info = portfolio_info(conn, viewable_row(conn, actor, int(wish.vehicle_ref)))
    return list(info.priced_codes)


def vehicle_nav(store: Store, actor: Actor, wish: WishView, prices: pd.DataFrame) -> pd.Series:
    """The funding vehicle's NAV (the fund's closes, or the portfolio's NAV from its versions)."""
    if wish.vehicle_kind == "fund":
        if wish.vehicle_ref not in prices.columns:
            raise ValidationError(f"no prices for the fund {wish.vehicle_ref}")
        return prices[wish.vehicle_ref].dropna()
    with store.read() as conn:
        info = portfolio_info(conn, viewable_row(conn, actor, int(wish.vehicle_ref)))
    closed = info.closed_at.date() if info.closed_at else None
    return nav_series(prices.reindex(columns=info.priced_codes), list(info.versions), closed).dropna()


def project_wish(store: Store, actor: Actor, wish_id: int, prices: pd.DataFrame, *, today: dt.date | None = None,
                 paths: int | None = None, seed: int | None = None) -> Projection:
    """The Monte Carlo of ``wishes.projection`` for the owner's wish, from today's saved amount
    and the rest of the plan, on the vehicle's returns up to today (no look-ahead)."""
    start = today or today_cn()
    with store.read() as conn:
        row = _owned(conn, actor, wish_id, open_only=False)
        wish = _view(conn, row, actor)
    history = prices.loc[prices.index <= pd.Timestamp(start)]
    returns = weekday_returns(vehicle_nav(store, actor, wish, history))
    if wish.target_date <= start:
        raise ValidationError(f"the target date {wish.target_date} has passed: nothing left to project")
    dates = plan_rules.deposit_dates(wish.start_date, wish.target_date + dt.timedelta(days=plan_rules.MAX_PLAN_DAYS),
                                     wish.every) if wish.amount_fen else []
    kwargs: dict[str, int] = {}
    if paths is not None:
        kwargs["paths"] = paths
    if seed is not None:
        kwargs["seed"] = seed
    return project(returns, start=start, target_date=wish.target_date, target_fen=wish.target_fen,
                   balance_fen=wish.saved_fen, deposit_dates=[d for d in dates if d > start],
                   amount_fen=wish.amount_fen, **kwargs)


# --------------------------------------------------------------------------- guess my wish

def create_guess_link(store: Store, actor: Actor, wish_id: int, *, expires_at: datetime | None = None,
                      now: datetime | None = None) -> tuple[LinkInfo, str]:
    """A new "guess my wish" link (owner only): the record and the token, shown this once."""
    at = now or utcnow()
    if expires_at is not None and expires_at <= at:
        raise ValidationError("the expiry must be in the future")
    token = secrets.token_urlsafe(32)

    def write(conn: Connection) -> int:
        row = _owned(conn, actor, wish_id)
        return insert_returning_id(conn, insert(schema.wish_links).values(
            wish_id=int(row["id"]), token_hash=hash_token(token), expires_at=expires_at, revoked_at=None,
            created_at=at))

    lid = store.retrying(write)
    return LinkInfo(lid, at, expires_at, None), token


def list_guess_links(store: Store, actor: Actor, wish_id: int) -> list[LinkInfo]:
    with store.read() as conn:
        row = _owned(conn, actor, wish_id, open_only=False)
        return [LinkInfo(int(r["id"]), r["created_at"], r["expires_at"], r["revoked_at"])
                for r in wish_store.link_rows(conn, int(row["id"]))]


def revoke_guess_link(store: Store, actor: Actor, link_id: int, *, now: datetime | None = None) -> None:
    """Revoke a guess link (owner only; idempotent)."""
    at = now or utcnow()
    k = schema.wish_links

    def write(conn: Connection) -> None:
        link = conn.execute(select(k.c.wish_id, k.c.revoked_at).where(k.c.id == int(link_id))).first()
        if link is None:
            raise NotFoundError(f"link {link_id} not found")
        try:
            _owned(conn, actor, int(link.wish_id), open_only=False)
        except NotFoundError:
            raise NotFoundError(f"link {link_id} not found") from None
        if link.revoked_at is None:
            conn.execute(update(k).where(k.c.id == int(link_id)).values(revoked_at=at))

    store.retrying(write)


def _open_link(conn: Connection, token: str, at: datetime) -> tuple[RowMapping, RowMapping]:
    if not isinstance(token, str) or not 20 <= len(token.strip()) <= 200:
        raise NotFoundError(INVALID_LINK)
    digest = hash_token(token.strip())
    link = wish_store.link_by_hash(conn, digest)
    if link is None or not hmac.compare_digest(str(link["token_hash"]), digest):
        raise NotFoundError(INVALID_LINK)
    if link["revoked_at"] is not None or (link["expires_at"] is not None and link["expires_at"] <= at):
        raise NotFoundError(INVALID_LINK)
    row = wish_store.wish_row(conn, link["wish_id"])
    if row is None:
        raise NotFoundError(INVALID_LINK)
    return link, row


def _candidates(row: RowMapping) -> list[tuple[str, str]]:
    decoys = [(str(t), str(e)) for t, e in json.loads(row["decoys_json"] or "[]")]
    return guess_rules.candidates(row["title"], row["emoji"], decoys, int(row["id"]))


def open_guess(store: Store, token: str, *, now: datetime | None = None) -> GuessPage:
    """What a guess link shows, for anyone holding it (signed in or not)."""
    at = now or utcnow()
    with store.read() as conn:
        _link, row = _open_link(conn, token, at)
        deposits, tips = wish_store.saved_fen(conn, int(row["id"]))
    saved, target = deposits + tips, int(row["target_fen"])
    return GuessPage(int(row["id"]), row["owner_name"], tuple(_candidates(row)), min(1.0, saved / target), saved,
                     target, row["target_date"], row["closed_at"] is not None, bool(row["is_demo"]))


def submit_guess(store: Store, actor: Actor, token: str, picked: int, *, name: str = "", message: str = "",
                 tip: object = 0, now: datetime | None = None) -> GuessResult:
    """Record a guess (``picked``: index into ``open_guess(...).candidates``), optionally with a
    name, message and SIMULATED tip (fen added to the progress; no money moves). The result
    reveals the real wish and carries a ``receipt`` for ``tip_guess`` (once, after the reveal)."""
    at = now or utcnow()
    name = guess_rules.clean_line(name, "name", guess_rules.MAX_GUESSER_NAME)
    message = guess_rules.clean_line(message, "message", guess_rules.MAX_MESSAGE)
    tip_fen = guess_rules.parse_tip(tip)
    receipt = secrets.token_urlsafe(24)

    def write(conn: Connection) -> GuessResult:
        link, row = _open_link(conn, token, at)
        if row["closed_at"] is not None:
            raise ValidationError("this wish is closed: it takes no more guesses or tips")
        g = schema.wish_guesses
        taken = conn.execute(select(func.count()).select_from(g).where(g.c.link_id == int(link["id"]))).scalar_one()
        if int(taken) >= MAX_GUESSES_PER_LINK:
            raise ValidationError(f"this link has taken its {MAX_GUESSES_PER_LINK} guesses: ask for a new link")
        options = _candidates(row)
        if not isinstance(picked, int) or isinstance(picked, bool) or not 0 <= picked < len(options):
            raise ValidationError(f"pick one of the {len(options)} candidates (0–{len(options) - 1}), got {picked!r}")
        chosen = options[picked][0]
        correct = chosen == row["title"]
        conn.execute(insert(schema.wish_guesses).values(
            wish_id=int(row["id"]), link_id=int(link["id"]), guesser_id=actor, picked=chosen, correct=correct,
            name=name, message=message, tip_fen=tip_fen, receipt_hash=hash_token(receipt), created_at=at))
        _mark_reached(conn, int(row["id"]), at)
        return _result(conn, row, chosen, correct, tip_fen, receipt)

    return store.retrying(write)


def _result(conn: Connection, row: RowMapping, chosen: str, correct: bool, tip_fen: int, receipt: str) -> GuessResult:
    deposits, tips = wish_store.saved_fen(conn, int(row["id"]))
    saved, target = deposits + tips, int(row["target_fen"])
    return GuessResult(correct, chosen, row["title"], row["emoji"], tip_fen, min(1.0, saved / target), saved, target,
                       receipt)


def tip_guess(store: Store, token: str, receipt: str, *, name: str = "", message: str = "", tip: object = 0,
              now: datetime | None = None) -> GuessResult:
    """After the reveal: add a name, a message and a SIMULATED tip to one's own guess (the
    ``receipt`` of ``submit_guess``; once — a guess that already has a tip takes no other)."""
    at = now or utcnow()
    name = guess_rules.clean_line(name, "name", guess_rules.MAX_GUESSER_NAME)
    message = guess_rules.clean_line(message, "message", guess_rules.MAX_MESSAGE)
    tip_fen = guess_rules.parse_tip(tip)
    g = schema.wish_guesses

    def write(conn: Connection) -> GuessResult:
        link, row = _open_link(conn, token, at)
        if row["closed_at"] is not None:
            raise ValidationError("this wish is closed: it takes no more guesses or tips")
        digest = hash_token(str(receipt or ""))
        guess = conn.execute(select(g).where(g.c.receipt_hash == digest, g.c.link_id == int(link["id"]))).mappings().first()
        if guess is None or not hmac.compare_digest(str(guess["receipt_hash"]), digest):
            raise NotFoundError("this guess is not yours or does not exist")
        if guess["tip_fen"] and tip_fen:
            raise ValidationError("this guess already has a simulated tip")
        conn.execute(update(g).where(g.c.id == int(guess["id"])).values(
            name=name or guess["name"], message=message or guess["message"], tip_fen=int(guess["tip_fen"]) + tip_fen))
        _mark_reached(conn, int(row["id"]), at)
        return _result(conn, row, guess["picked"], bool(guess["correct"]), int(guess["tip_fen"]) + tip_fen, "")

    return store.retrying(write)
