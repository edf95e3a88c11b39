"""Paper copy trading: what a copier would have got by following a leader.

Semantics (all documented numbers come from ``simulate_copy``):

* **Orders and fills.** Copying started on date ``start`` is an order placed that day:
  like any rebalance it fills at the close of the first session dated after ``start``
  (``socialfund.portfolios`` rule), then ``delay_sessions`` sessions later. Each later
  leader version (placed after ``start``) fills for the leader at its usual session and
  for the copier ``delay_sessions`` sessions after that. Two copier orders on one
  session: only the last is executed. Orders falling after the data are pending.
* **What is copied.** At entry the copier mirrors the leader's *current holdings* of the
  version in force at ``start``: its weights drifted with prices to the close of the
  copier's entry session (eToro-style proportional copy of current weights). Later
  versions are copied as their target weights. With no fee, no delay and nothing
  skipped the copier therefore earns exactly the leader's return over the same window.
* **Window.** From the close of the first session after ``start`` (the copier commits
  ``amount`` then; it is cash during a delay) to the last session in ``prices``. The
  leader NAV is rebased to 1.0 at that same close.
* **Fees.** ``fee_bps`` basis points of every traded amount, buys and sells. The
  post-trade equity ``E'`` solves ``E' = E − fee · Σ|w_i·E' − V_i|`` (fees are paid out
  of the portfolio; the copier keeps the target weights of what is left).
* **Minimum position.** A target position worth less than ``min_position`` (at the
  pre-trade equity) is not bought (or is sold) and its weight stays in cash; each such
  case is listed in ``skipped_positions``.
* **Copy stop-loss.** At each session close from the window start the equity rounded to
  cents is compared with ``(1 − stop_loss) · amount`` rounded to cents, twice: before
  any trade of that session, and again on the value *after* that session's trades and
  their fees (a rebalance fee can be what crosses the limit). **At or below** the limit
  the copier sells everything at that close (paying the fee) and stays in cash; later
  versions are ignored. Like eToro's Copy Stop Loss the limit is a share of the amount
  invested, and it is checked on the value the copier actually holds, costs included.
* **Money.** ``amount``/``min_position`` come in and ``fees_paid``/``final_equity`` go
  out as ``Decimal`` rounded to cents (ROUND_HALF_UP). Inside, floats are used; the
  equity series is rounded to cents.
* **No look-ahead.** The state at a session depends only on prices up to that session.
* **Missing prices.** The portfolio rule (``socialfund.portfolios``): a last price is
  carried for at most ``core.sessions.MAX_CARRY_SESSIONS`` sessions, for the leader and
  the copier alike. A leader that cannot be valued over the data (status *excluded*), or
  a copier holding or order without a usable price, is a ``ValidationError`` naming the
  code and the session, never a NaN equity.

A copy's settings are one validated ``CopyParams``, used by the simulator, the saved
copies (``socialfund.services.copies``), ``python -m socialfund copy-sim`` and the
portfolio page's form. Its bounds are the named constants below; they are the tightest
that every entry point already accepted (the page's form: fee ≤ 500 bp, delay ≤ 20
sessions, stop-loss ≤ 95 %), so nothing the app could store or show is refused:

* ``amount`` > 0 CNY and ``min_position`` ≥ 0 CNY, both ``Decimal``;
* ``fee_bps``: whole basis points in ``FEE_BPS_MIN``–``FEE_BPS_MAX`` (0–500, i.e. up to 5 %
  of every trade);
* ``delay_sessions``: whole sessions in ``DELAY_SESSIONS_MIN``–``DELAY_SESSIONS_MAX`` (0–20);
* ``stop_loss``: a fraction of ``amount`` in (0, ``STOP_LOSS_MAX``] (0.95), or ``None``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

import numpy as np
import pandas as pd

from socialfund.core.errors import ValidationError
from socialfund.core.models import PortfolioVersion
from socialfund.core.sessions import MAX_CARRY_SESSIONS
from socialfund.core.weights import CASH, FULL_BP
from socialfund.portfolios import PriceBook, Segment, fill_session_index, nav_series, segments, sorted_versions

CENT = Decimal("0.01")

#: Bounds of ``CopyParams`` (inclusive unless said otherwise; see the module docstring).
FEE_BPS_MIN = 0
FEE_BPS_MAX = 500
DELAY_SESSIONS_MIN = 0
DELAY_SESSIONS_MAX = 20
#: ``stop_loss`` is a fraction of the amount in (0, STOP_LOSS_MAX]; 0 itself is not a stop (use None).
STOP_LOSS_MAX = 0.95


def _to_cents(value: float | Decimal) -> Decimal:
    return Decimal(str(value)).quantize(CENT, rounding=ROUND_HALF_UP)


def _is_whole(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


@dataclass(frozen=True)
class CopyParams:
    """A paper copy's settings, checked once here for every entry point.

    ``amount`` and ``min_position`` in CNY (``Decimal``); ``start``: the day the copy
    order is placed (a datetime is read as its date); ``fee_bps`` basis points of every
    traded amount; ``delay_sessions`` extra sessions before each fill; ``stop_loss``
    fraction of ``amount`` (0.4 = close the copy after a 40 % loss; None = no stop).
    Out-of-range values raise ``ValidationError`` naming the field and its allowed range."""

    amount: Decimal
    start: dt.date
    fee_bps: int = 10
    delay_sessions: int = 1
    min_position: Decimal = Decimal("0")
    stop_loss: float | None = 0.4

    def __post_init__(self) -> None:
        amount, floor, stop = self.amount, self.min_position, self.stop_loss
        if not isinstance(amount, Decimal) or not amount.is_finite() or amount <= 0:
            raise ValidationError(f"amount must be a positive Decimal number of CNY (> 0), got {amount!r}")
        if not isinstance(self.start, dt.date):
            raise ValidationError(f"start must be a date, got {self.start!r}")
        if isinstance(self.start, dt.datetime):
            object.__setattr__(self, "start", self.start.date())
        if not _is_whole(self.fee_bps) or not FEE_BPS_MIN <= self.fee_bps <= FEE_BPS_MAX:
            raise ValidationError(f"fee_bps must be whole basis points in {FEE_BPS_MIN}–{FEE_BPS_MAX}, "
                                  f"got {self.fee_bps!r}")
        if not _is_whole(self.delay_sessions) or not DELAY_SESSIONS_MIN <= self.delay_sessions <= DELAY_SESSIONS_MAX:
            raise ValidationError(f"delay_sessions must be whole sessions in "
                                  f"{DELAY_SESSIONS_MIN}–{DELAY_SESSIONS_MAX}, got {self.delay_sessions!r}")
        if not isinstance(floor, Decimal) or not floor.is_finite() or floor < 0:
            raise ValidationError(f"min_position must be a Decimal number of CNY >= 0, got {floor!r}")
        if stop is not None:
            if isinstance(stop, bool) or not isinstance(stop, (int, float)) or not 0 < stop <= STOP_LOSS_MAX:
                raise ValidationError(f"stop_loss must be a fraction in (0, {STOP_LOSS_MAX}] (0.4 = 40 %) or None "
                                      f"for no stop, got {stop!r}")
            object.__setattr__(self, "stop_loss", float(stop))


@dataclass(frozen=True)
class SkippedPosition:
    """A position not held because its target value was below the minimum position."""

    session: dt.date
    version: int
    code: str
    target_value: Decimal


@dataclass(frozen=True)
class GapAttribution:
    """Why the copier's return differs from the leader's, in return points (0.01 = 1 %):
    ``gap = leader_return − copier_return = delay + skipped_positions + fees + stop_loss
    + other``. Each component is the change of the copier's return when that feature is
    switched on, in this order, starting from a fee-free, delay-free copy without minimum
    position or stop (so components depend on the order; ``other`` is float rounding)."""

    leader_return: float
    copier_return: float
    gap: float
    delay: float
    skipped_positions: float
    fees: float
    stop_loss: float
    other: float

    def as_dict(self) -> dict[str, float]:
        return {k: getattr(self, k) for k in self.__dataclass_fields__}


@dataclass(frozen=True)
class CopyResult:
    """Outcome of a paper copy. ``equity``: copier equity (CNY, cents) at each session
    close of the window; ``leader_nav``: leader NAV rebased to 1.0 at the window start;
    returns are fractions over the window."""

    equity: pd.Series
    leader_nav: pd.Series
    leader_return: float
    copier_return: float
    fees_paid: Decimal
    final_equity: Decimal
    skipped_positions: list[SkippedPosition] = field(default_factory=list)
    stopped_out: bool = False
    stopped_on: dt.date | None = None
    gap: GapAttribution | None = None
    entry_session: dt.date | None = None


@dataclass
class _Run:
    equity: np.ndarray
    fees: float
    skipped: list[SkippedPosition]
    stopped_on: int | None


def _orders(book: PriceBook, versions: Sequence[PortfolioVersion], start: dt.date,
            delay: int) -> tuple[int, dict[int, tuple[PortfolioVersion, bool]]]:
    """Copier orders as {session index: (version, mirror?)}; mirror = copy the leader's
    drifted holdings of that version instead of its targets."""
    ordered = sorted_versions(versions)
    current = [v for v in ordered if v.placed_date <= start]
    if not current:
        raise ValidationError(f"the leader has no portfolio version placed on or before {start}")
    n = len(book.days)
    first = int(np.searchsorted(book.days, np.datetime64(start, "D"), side="right"))
    if first >= n:
        raise ValidationError(f"no session after the copy start {start} in the price data")
    orders: dict[int, tuple[PortfolioVersion, bool]] = {}
    if first + delay < n:
        orders[first + delay] = (current[-1], True)
    for v in ordered:
        if v.placed_date > start:
            at = fill_session_index(book.days, v.placed_at) + delay
            if at < n:
                orders[at] = (v, False)  # sorted by placement: a later one overwrites
    return first, orders


def _simulate(book: PriceBook, versions: Sequence[PortfolioVersion], start: dt.date, amount: float,
              fee: float, delay: int, min_position: float, stop_loss: float | None) -> tuple[int, _Run]:
    first, orders = _orders(book, versions, start, delay)
    n = len(book.days)
    # Units of each leader version as the leader bought them (for the mirrored entry;
    # a version superseded before it filled has none and is copied by its targets).
    leader_units: dict[int, Segment] = {seg.version.version: seg for seg, _nav in segments(book, versions, n - 1)}
    limit = None if stop_loss is None else float(_to_cents(Decimal(str(amount)) * (1 - Decimal(str(stop_loss)))))
    held_cols = np.zeros(0, dtype=np.intp)
    held_units = np.zeros(0)
    cash = amount
    fees_paid = 0.0
    skipped: list[SkippedPosition] = []
    stopped_on: int | None = None
    equity = np.empty(n - first)
    for t in range(first, n):
        prices_t = book.carried[t]
        values = held_units * prices_t[held_cols]
        if np.isnan(values).any():   # a holding the copier kept (delay) beyond the carry limit
            j = int(np.flatnonzero(np.isnan(values))[0])
            column = int(held_cols[j])
            raise ValidationError(f"copy: {book.unpriced(column, book.codes[column], t, fill=False).reason}")
        total = float(values.sum()) + cash
        if stopped_on is None and limit is not None and round(total, 2) <= limit:
            cost = fee * float(np.abs(values).sum())
            fees_paid += cost
            cash, held_cols, held_units = total - cost, np.zeros(0, dtype=np.intp), np.zeros(0)
            stopped_on = t
            total = cash
        elif stopped_on is None and t in orders:
            version, mirror = orders[t]
            label = f"copy of version {version.version}: "
            seg = leader_units.get(version.version) if mirror else None
            if seg is not None:
                drifted = seg.units * prices_t[seg.columns]
                weights = dict(zip(seg.codes, drifted / (drifted.sum() + seg.cash)))
            else:
                weights = {c: bp / FULL_BP for c, bp in version.weights_bp.items() if c != CASH and bp > 0}
            day = book.index[t].date()
            kept: dict[str, float] = {}
            for code, w in weights.items():
                if w * total < min_position:
                    if w > 0:
                        skipped.append(SkippedPosition(day, version.version, code, _to_cents(w * total)))
                else:
                    kept[code] = w
            codes = list(kept)
            try:
                cols = np.array([book.column_of[c] for c in codes], dtype=np.intp)
            except KeyError as exc:
                raise ValidationError(f"{label}no prices for code {exc.args[0]}") from None
            buy_prices = book.fill_prices(cols, codes, t, label) if codes else np.zeros(0)
            target_w = np.array([kept[c] for c in codes])
            # Current value per target code, and everything else is sold.
            current = np.zeros(len(codes))
            sold_elsewhere = 0.0
            for col, value in zip(held_cols, values):
                hit = np.flatnonzero(cols == col)
                if hit.size:
                    current[hit[0]] += value
                else:
                    sold_elsewhere += abs(float(value))
            after = total
            for _ in range(100):  # contraction with factor <= fee: converges fast
                nxt = total - fee * (float(np.abs(target_w * after - current).sum()) + sold_elsewhere)
                if abs(nxt - after) <= 1e-12 * max(1.0, abs(total)):
                    after = nxt
                    break
                after = nxt
            fees_paid += total - after
            held_cols, held_units = cols, target_w * after / buy_prices
            cash = after - float((target_w * after).sum())
            total = after
            if limit is not None and round(total, 2) <= limit:   # the trade's own fee crossed the stop
                cost = fee * float((held_units * prices_t[held_cols]).sum())
                fees_paid += cost
                cash, held_cols, held_units = total - cost, np.zeros(0, dtype=np.intp), np.zeros(0)
                stopped_on = t
                total = cash
        equity[t - first] = total
    return first, _Run(equity, fees_paid, skipped, stopped_on)


def simulate_copy(prices: pd.DataFrame, leader_versions: Sequence[PortfolioVersion], params: CopyParams, *,
                  max_carry: int = MAX_CARRY_SESSIONS) -> CopyResult:
    """Paper-copy ``leader_versions`` with ``params.amount`` CNY from ``params.start``
    (module docstring has the exact rules). ``prices``: wide adjusted closes as for
    ``socialfund.portfolios.nav_matrix``. Returns a ``CopyResult`` with a gap
    attribution computed by re-running the copy with features switched off."""
    start, delay_sessions, stop_loss = params.start, params.delay_sessions, params.stop_loss
    book = PriceBook(prices, max_carry)
    money = float(params.amount)
    fee = params.fee_bps / FULL_BP
    floor = float(params.min_position)

    # the leader first: an excluded leader is refused with its reason (code and session)
    try:
        leader_full = nav_series(prices, leader_versions, max_carry=max_carry)
    except ValidationError as exc:
        raise ValidationError(f"cannot copy this portfolio: {exc}") from None
    first, run = _simulate(book, leader_versions, start, money, fee, delay_sessions, floor, stop_loss)
    window = prices.index[first:]
    leader = leader_full.iloc[first:]
    if np.isnan(leader.iloc[0]):
        raise ValidationError(f"the leader has no NAV at the copy's first session {window[0].date()}")
    leader_nav = (leader / leader.iloc[0]).rename("leader_nav")
    leader_return = float(leader_nav.iloc[-1] - 1.0)
    copier_return = float(run.equity[-1] / money - 1.0)

    def final_return(fee_: float, delay_: int, floor_: float, stop_: float | None) -> float:
        _f, alt = _simulate(book, leader_versions, start, money, fee_, delay_, floor_, stop_)
        return float(alt.equity[-1] / money - 1.0)

    mirror = final_return(0.0, 0, 0.0, None)
    delayed = final_return(0.0, delay_sessions, 0.0, None)
    floored = final_return(0.0, delay_sessions, floor, None)
    charged = final_return(fee, delay_sessions, floor, None)
    gap = GapAttribution(
        leader_return=leader_return, copier_return=copier_return, gap=leader_return - copier_return,
        delay=mirror - delayed, skipped_positions=delayed - floored, fees=floored - charged,
        stop_loss=charged - copier_return, other=leader_return - mirror)
    equity = pd.Series(np.round(run.equity, 2), index=window, name="equity")
    return CopyResult(
        equity=equity, leader_nav=leader_nav, leader_return=leader_return, copier_return=copier_return,
        fees_paid=_to_cents(run.fees), final_equity=_to_cents(run.equity[-1]),
        skipped_positions=run.skipped, stopped_out=run.stopped_on is not None,
        stopped_on=None if run.stopped_on is None else prices.index[run.stopped_on].date(),
        gap=gap, entry_session=window[0].date())
