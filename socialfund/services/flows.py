"""Portfolios of real money: import a cash-flows file, and the money figures its owner sees.

``import_flows`` books the flows (``core.flows.book_flows``: units at each session's close from
the price store, the next session when a date is not one) *before* writing anything, then
creates the portfolio with one version per trading session (``portfolio_crud.import_history``:
backdated to that session at 15:00 Beijing, filled at the next session's close as every
version) and stores the booked flows (``schema.portfolio_flows``) in the same transaction: a
rejected file stores nothing.

``money_view`` is the owner's only: anyone else (another user, a signed-out visitor, a share
link) gets ``None`` — amounts are never shown to anyone but the owner, whatever the
portfolio's visibility. Figures are ``core.flows.money_figures`` on the store's current closes.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

import pandas as pd
from sqlalchemy import Connection, insert, select

from socialfund.core.errors import NotFoundError, ValidationError
from socialfund.core.flows import Flow, FlowBook, MoneyFigures, Trade, book_flows, money_figures
from socialfund.core.weights import CASH
from socialfund.io.history_file import Rebalance
from socialfund.market.providers import PriceProvider
from socialfund.market.sessions import session_prices
from socialfund.services import portfolio_crud
from socialfund.services.access import Actor
from socialfund.store import Store, schema


@dataclass(frozen=True)
class FlowsImport:
    """An imported flows file: the new portfolio's id and the booked flows."""

    portfolio_id: int
    book: FlowBook


@dataclass(frozen=True)
class MoneyView:
    """What the owner's portfolio page shows of a real-money portfolio."""

    portfolio_id: int
    figures: MoneyFigures
    flows: int


def flow_closes(provider: PriceProvider, codes: Sequence[str], as_of: dt.date | None = None) -> pd.DataFrame:
    """Closes of ``codes`` on the XSHG session axis (``market.sessions.session_prices``)."""
    wanted = sorted({c for c in codes if c != CASH})
    closes = session_prices(provider, wanted, as_of)
    return closes.reindex(columns=wanted)


def import_flows(store: Store, provider: PriceProvider, actor: Actor, name: str, flows: Sequence[Flow], *,
                 description: str = "", visibility: str = "private", now: datetime | None = None) -> FlowsImport:
    """Book ``flows`` and create their portfolio (module docstring). ``ValidationError`` (naming
    the file line) before any write when a flow cannot be booked."""
    if not flows:
        raise ValidationError("the flows file has no rows")
    book = book_flows(flows, flow_closes(provider, [f.code for f in flows]))
    rebalances = [Rebalance(day, weights, 0) for day, weights in book.versions]

    def write_flows(conn: Connection, pid: int) -> None:
        conn.execute(insert(schema.portfolio_flows), [_row(pid, seq, trade) for seq, trade in enumerate(book.trades)])

    pid = portfolio_crud.import_history(store, actor, name, rebalances, description=description,
                                        visibility=visibility, now=now, note="imported cash flows",
                                        extra=write_flows)
    return FlowsImport(pid, book)


def _row(pid: int, seq: int, trade: Trade) -> dict[str, object]:
    f = trade.flow
    return {"portfolio_id": pid, "seq": seq, "on_date": f.day, "session_date": trade.session, "code": f.code,
            "kind": f.kind, "amount_fen": f.amount_fen, "price": trade.price, "units": str(trade.units),
            "cash_after_fen": trade.cash_after, "line": f.line}


def stored_book(store: Store, portfolio_id: int) -> FlowBook | None:
    """The booked flows of a portfolio as stored, or None when it was not imported from flows.
    Not access-checked: callers are ``money_view`` (owner only) and tests."""
    t = schema.portfolio_flows
    with store.read() as conn:
        rows = conn.execute(select(t).where(t.c.portfolio_id == int(portfolio_id)).order_by(t.c.seq)).mappings().all()
    if not rows:
        return None
    trades = tuple(Trade(Flow(r["on_date"], r["code"], r["kind"], int(r["amount_fen"]), int(r["line"])),
                         r["session_date"], r["price"], Decimal(r["units"]), int(r["cash_after_fen"])) for r in rows)
    units: dict[str, Decimal] = {}
    external: list[tuple[dt.date, int]] = []
    cash = 0
    for trade in trades:
        if trade.units:
            units[trade.flow.code] = units.get(trade.flow.code, Decimal(0)) + trade.units
        kind, fen = trade.flow.kind, trade.flow.amount_fen
        if kind == "deposit":
            external.append((trade.session, fen))
        elif kind == "withdraw":
            external.append((trade.session, -fen))
        elif kind == "buy" and fen > cash:
            external.append((trade.session, fen - cash))   # the implicit deposit (core.flows)
        cash = trade.cash_after
    dividends = sum(t.flow.amount_fen for t in trades if t.flow.kind == "dividend")
    return FlowBook(trades, (), {c: n for c, n in units.items() if n}, cash, tuple(external), dividends)


def has_flows(store: Store, portfolio_id: int) -> bool:
    t = schema.portfolio_flows
    with store.read() as conn:
        return conn.execute(select(t.c.id).where(t.c.portfolio_id == int(portfolio_id)).limit(1)).first() is not None


def money_view(store: Store, provider: PriceProvider, actor: Actor, portfolio_id: int,
               as_of: dt.date | None = None) -> MoneyView | None:
    """The owner's money figures of a flows portfolio; None for anyone else or without flows."""
    if actor is None:
        return None
    try:
        info = portfolio_crud.get_portfolio(store, actor, portfolio_id)
    except NotFoundError:   # invisible or missing: nothing to show, as for a stranger
        return None
    if not info.is_owner(actor):
        return None
    book = stored_book(store, portfolio_id)
    if book is None:
        return None
    codes = sorted({t.flow.code for t in book.trades if t.flow.code != CASH})
    figures = money_figures(book, flow_closes(provider, codes, as_of), as_of)
    return MoneyView(int(portfolio_id), figures, len(book.trades))
