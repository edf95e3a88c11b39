"""A portfolio of real money, from its cash flows and trades: units, holdings, versions,
invested amount, value, gain, money-weighted (XIRR) and time-weighted returns. Pure.

**Flows** (``Flow``): ``buy`` / ``sell`` (an amount of yuan of one instrument), ``deposit`` /
``withdraw`` (cash in or out, code ``CASH``), ``dividend`` (cash paid by a held instrument,
kept as cash). Amounts are positive integer fen (1 fen = 0.01 yuan); the kind gives the sign.

**Filling** (``book_flows``): a flow dated ``d`` trades at the close of the first session on
or after ``d`` (a weekend or holiday date moves to the next session, as ``import-history``
does; an instrument without a close that day trades at its next close, at most
``core.sessions.MAX_CARRY_SESSIONS`` sessions later; a date before the first session is
refused); flows of one session are booked in date, then file-line order. Units bought or sold
= amount ÷ that session's close, kept as ``Decimal`` to 8 places (``UNITS_PLACES``). A
holding's value in fen is ``units × close × 100`` rounded half-even to a whole fen.

**Cash ledger** (integer fen, exact): deposits, sell proceeds and dividends add to cash;
buys and withdrawals take from it. A buy larger than the cash brings the shortfall in as
new money (an implicit deposit: a file of buys only is money put in at each buy). A
withdrawal larger than the cash, a sell larger than the holding's value, and a dividend of
an instrument not held are refused (``ValidationError`` naming the file line).

**Versions**: each session with a trade is a new version whose weights are the post-trade
market values (holdings at that close, and the cash as ``CASH``) in basis points summing to
exactly 10,000 (``core.weights.normalise_to_bp``, largest remainder).

**Figures** (``money_figures``), in fen unless stated:

* invested = deposits (explicit and implicit) − withdrawals (net money put in);
* value = cash + Σ holdings' values at the valuation session's close;
* gain = value − invested (yuan; dividends count in it, as cash);
* XIRR (``core.xirr``): money in negative, money out and the final value positive, on
  their session dates, ACT/365, annual;
* TWR: Π (V_t − F_t) / V_{t−1} over the sessions, V_t the value at the close of t and F_t the
  external flow (deposits − withdrawals) of t; cumulative, and annualised over the
  calendar days from the first to the last session ((1 + TWR) ** (365 / days) − 1).
"""

from __future__ import annotations

import datetime as dt
from bisect import bisect_left, bisect_right
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_EVEN, Decimal

import numpy as np
import pandas as pd

from socialfund.core.errors import ValidationError
from socialfund.core.sessions import MAX_CARRY_SESSIONS
from socialfund.core.weights import CASH, FULL_BP, normalise_to_bp
from socialfund.core.xirr import DAYS_PER_YEAR, xirr

#: The flow kinds; deposits and withdrawals are CASH, the others name an instrument.
FLOW_KINDS = ("buy", "sell", "deposit", "withdraw", "dividend")
CASH_KINDS = frozenset({"deposit", "withdraw"})
#: Decimal places units are kept to.
UNITS_PLACES = 8
_UNIT = Decimal(1).scaleb(-UNITS_PLACES)


@dataclass(frozen=True)
class Flow:
    """One row of a flows file: day as written, code (``CASH`` for deposits/withdrawals),
    kind (``FLOW_KINDS``), a positive amount in fen, and the file line (0 when none)."""

    day: dt.date
    code: str
    kind: str
    amount_fen: int
    line: int = 0


@dataclass(frozen=True)
class Trade:
    """A flow as booked: its session, the close used (None for cash), the units change
    (signed; 0 for cash flows and dividends) and the cash (fen) once it is booked."""

    flow: Flow
    session: dt.date
    price: float | None
    units: Decimal
    cash_after: int = 0


@dataclass(frozen=True)
class FlowBook:
    """The booked flows: trades in booking order, one version (session, weights in bp) per
    session with trades, the final units and cash, and the external money (fen)."""

    trades: tuple[Trade, ...]
    versions: tuple[tuple[dt.date, dict[str, int]], ...]
    units: dict[str, Decimal]
    cash_fen: int
    external: tuple[tuple[dt.date, int], ...]     # (session, fen): + money in, − money out
    dividends_fen: int = 0

    @property
    def deposits_fen(self) -> int:
        return sum(f for _, f in self.external if f > 0)

    @property
    def withdrawals_fen(self) -> int:
        return -sum(f for _, f in self.external if f < 0)

    @property
    def invested_fen(self) -> int:
        return sum(f for _, f in self.external)


@dataclass(frozen=True)
class MoneyFigures:
    """What the owner sees of a real-money portfolio (see the module docstring)."""

    as_of: dt.date
    start: dt.date
    invested_fen: int
    deposits_fen: int
    withdrawals_fen: int
    dividends_fen: int
    value_fen: int
    gain_fen: int
    xirr: float | None            # None when no rate solves the flows (reason in ``xirr_note``)
    twr: float
    twr_annual: float | None      # None for a period under one day
    xirr_note: str = ""
    values_fen: dict[str, int] = field(default_factory=dict)


def value_fen(units: Decimal, price: float) -> int:
    """A holding's value in whole fen: units × close × 100, rounded half-even."""
    return int((units * Decimal(repr(float(price))) * 100).quantize(Decimal(1), rounding=ROUND_HALF_EVEN))


def _where(flow: Flow) -> str:
    """The message prefix of a flow without a file line (a line goes in ``ValidationError.line``)."""
    return "" if flow.line else f"{flow.day} {flow.code}: "


def _sessions(closes: pd.DataFrame) -> list[dt.date]:
    return [pd.Timestamp(d).date() for d in closes.index]


def _fill(flow: Flow, closes: pd.DataFrame, days: list[dt.date]) -> tuple[int, float | None]:
    """(session position, close) for ``flow``: the first session on or after its day (for an
    instrument, the first such session with a close)."""
    start = bisect_left(days, flow.day)
    if start == 0 and flow.day < days[0]:
        raise ValidationError(f"{_where(flow)}{flow.day} is before the first session with prices ({days[0]})",
                              line=flow.line or None, column="date")
    if flow.code == CASH:
        if start >= len(days):
            raise ValidationError(f"{_where(flow)}{flow.day} is after the last session with prices ({days[-1]})",
                                  line=flow.line or None, column="date")
        return start, None
    if flow.code not in closes.columns:
        raise ValidationError(f"{_where(flow)}no prices for {flow.code}", line=flow.line or None, column="code")
    series = closes[flow.code].to_numpy(dtype=float)
    quoted = np.flatnonzero(~np.isnan(series[start:]))
    if not quoted.size:
        raise ValidationError(f"{_where(flow)}no close of {flow.code} on or after {flow.day} "
                              "(import its prices first)", line=flow.line or None, column="date")
    at = start + int(quoted[0])
    if at - start > MAX_CARRY_SESSIONS:
        raise ValidationError(f"{_where(flow)}no close of {flow.code} within {MAX_CARRY_SESSIONS} sessions of "
                              f"{flow.day} (next: {days[at]})", line=flow.line or None, column="date")
    return at, float(series[at])


def book_flows(flows: Sequence[Flow], closes: pd.DataFrame) -> FlowBook:
    """Book ``flows`` on ``closes`` (sessions × codes; see the module docstring)."""
    if not flows:
        raise ValidationError("no cash flows: a flows file needs at least one buy or deposit")
    if closes.empty:
        raise ValidationError("no prices at all: import prices before the flows")
    days = _sessions(closes)
    placed = sorted(((*_fill(f, closes, days), f) for f in flows), key=lambda p: (p[0], p[2].day, p[2].line))
    units: dict[str, Decimal] = {}
    cash = 0
    dividends = 0
    external: list[tuple[dt.date, int]] = []
    trades: list[Trade] = []
    versions: list[tuple[dt.date, dict[str, int]]] = []
    for i, (at, price, flow) in enumerate(placed):
        session = days[at]
        where = _where(flow)
        line = flow.line or None
        change = Decimal(0)
        if flow.kind == "deposit":
            cash += flow.amount_fen
            external.append((session, flow.amount_fen))
        elif flow.kind == "withdraw":
            if flow.amount_fen > cash:
                raise ValidationError(f"{where}withdraws {flow.amount_fen / 100:,.2f} yuan on {session} but the cash "
                                      f"is {cash / 100:,.2f} yuan (sell first)", line=line, column="amount")
            cash -= flow.amount_fen
            external.append((session, -flow.amount_fen))
        elif flow.kind == "dividend":
            if units.get(flow.code, Decimal(0)) <= 0:
                raise ValidationError(f"{where}a dividend of {flow.code}, which is not held on {session}",
                                      line=line, column="code")
            cash += flow.amount_fen
            dividends += flow.amount_fen
        else:
            assert price is not None
            px = Decimal(repr(price))
            if price <= 0:
                raise ValidationError(f"{where}the close of {flow.code} on {session} is not positive", line=line)
            if flow.kind == "buy":
                if flow.amount_fen > cash:
                    external.append((session, flow.amount_fen - cash))   # implicit deposit
                    cash = flow.amount_fen
                cash -= flow.amount_fen
                change = (Decimal(flow.amount_fen) / 100 / px).quantize(_UNIT, rounding=ROUND_HALF_EVEN)
            else:
                held = units.get(flow.code, Decimal(0))
                worth = value_fen(held, price)
                if flow.amount_fen > worth:
                    raise ValidationError(f"{where}sells {flow.amount_fen / 100:,.2f} yuan of {flow.code} on "
                                          f"{session} but the holding is worth {worth / 100:,.2f} yuan",
                                          line=line, column="amount")
                sold = held if flow.amount_fen == worth else min(
                    held, (Decimal(flow.amount_fen) / 100 / px).quantize(_UNIT, rounding=ROUND_HALF_EVEN))
                change = -sold
                cash += flow.amount_fen
            units[flow.code] = units.get(flow.code, Decimal(0)) + change
            if units[flow.code] == 0:
                del units[flow.code]
        trades.append(Trade(flow, session, price, change, cash))
        last_of_session = i + 1 == len(placed) or placed[i + 1][0] != at
        if last_of_session:
            versions.append((session, _weights_at(units, cash, closes, at)))
    return FlowBook(tuple(trades), tuple(versions), units, cash, tuple(external), dividends)


def _values_at(units: Mapping[str, Decimal], cash: int, closes: pd.DataFrame, at: int) -> dict[str, int]:
    out: dict[str, int] = {}
    for code, n in units.items():
        series = closes[code].to_numpy(dtype=float)[: at + 1]
        quoted = np.flatnonzero(~np.isnan(series))
        out[code] = value_fen(n, float(series[quoted[-1]])) if quoted.size else 0
    if cash:
        out[CASH] = cash
    return out


def _weights_at(units: Mapping[str, Decimal], cash: int, closes: pd.DataFrame, at: int) -> dict[str, int]:
    values = {c: v for c, v in _values_at(units, cash, closes, at).items() if v > 0}
    return normalise_to_bp(values) if values else {CASH: FULL_BP}


def money_figures(book: FlowBook, closes: pd.DataFrame, as_of: dt.date | None = None) -> MoneyFigures:
    """Invested, value, gain (fen), XIRR and TWR of ``book`` at the last session of ``closes``
    on or before ``as_of`` (see the module docstring)."""
    days = _sessions(closes)
    end = len(days) - 1 if as_of is None else bisect_right(days, as_of) - 1
    first = min(t.session for t in book.trades)
    start = bisect_left(days, first)
    if end < start:
        raise ValidationError(f"no session with prices between the first flow ({first}) and {as_of}")
    # the value path: the units and cash after each session's trades, valued at its close
    by_session: dict[dt.date, list[Trade]] = {}
    for trade in book.trades:
        by_session.setdefault(trade.session, []).append(trade)
    external: dict[dt.date, int] = {}
    for day, fen in book.external:
        external[day] = external.get(day, 0) + fen
    units: dict[str, Decimal] = {}
    cash = 0
    growth = 1.0
    prev_value: int | None = None
    values: dict[str, int] = {}
    for at in range(start, end + 1):
        day = days[at]
        for trade in by_session.get(day, []):
            if trade.units:
                units[trade.flow.code] = units.get(trade.flow.code, Decimal(0)) + trade.units
            cash = trade.cash_after
        values = _values_at({c: n for c, n in units.items() if n}, cash, closes, at)
        total = sum(values.values())
        if prev_value:
            growth *= (total - external.get(day, 0)) / prev_value
        prev_value = total
    assert prev_value is not None
    value = prev_value
    as_of_day = days[end]
    invested = sum(fen for d, fen in book.external if d <= as_of_day)
    cash_flows: list[tuple[dt.date, float]] = [(d, -fen / 100) for d, fen in book.external if d <= as_of_day]
    cash_flows.append((as_of_day, value / 100))
    note = ""
    rate: float | None
    try:
        rate = xirr(cash_flows)
    except ValidationError as exc:
        rate, note = None, exc.message
    span = (as_of_day - days[start]).days
    twr = growth - 1.0
    annual = (growth ** (DAYS_PER_YEAR / span) - 1.0) if span > 0 and growth > 0 else None
    deposits = sum(f for d, f in book.external if f > 0 and d <= as_of_day)
    return MoneyFigures(as_of_day, days[start], invested, deposits, deposits - invested,
                        sum(t.flow.amount_fen for t in book.trades if t.flow.kind == "dividend" and t.session <= as_of_day),
                        value, value - invested, rate, twr, annual, note, values)

