"""Portfolios as sequences of immutable versions, and their daily NAV.

Rules (the same everywhere: leaderboard, pages, copy simulator):

* **Fill timing.** A version placed at time t (any hour) fills at the *close* of the first
  session whose date is strictly after t's Asia/Shanghai date. A rebalance placed during
  trading hours on day t therefore also waits for day t+1's close: we never know a
  fill price before the order exists. Several versions filling at the same session:
  only the last placed one is executed (the earlier ones were superseded before they
  could fill). A version whose fill session is not in ``prices`` yet is pending and
  ignored.
* **Drift.** Between fills the number of units held is constant: weights drift with
  prices (no daily rebalancing). ``CASH`` earns 0.
* **NAV.** 1.0 at the close of the first fill; at each later fill the old holdings are
  valued at that close and the new weights are bought at the same close, so the NAV is
  continuous and is a time-weighted return index (deposits cannot exist).
* **Missing quotes.** ``prices`` is wide: index = tz-naive session dates (e.g. XSHG),
  columns = codes, values = adjusted close, NaN where an instrument has no quote that
  session (holiday of its own market, suspension). A held instrument without a quote on
  a session is valued at its last quote (carry forward): that only uses the past, so it
  is not look-ahead. An instrument without a quote *at its fill session* cannot be
  bought: ``ValidationError`` (unless ``max_fill_staleness`` sessions of staleness are
  explicitly allowed).
* **Close.** With ``closed_on`` the NAV ends at the last session dated on or before it
  and is NaN afterwards; it is NaN before the first fill too.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from socialfund.core.errors import ValidationError
from socialfund.core.models import PortfolioVersion
from socialfund.core.sessions import MARKET_TZ
from socialfund.core.weights import CASH, FULL_BP

__all__ = [
    "fill_session_index", "nav_matrix", "nav_series", "holdings_weights_at", "turnover",
    "annualised_turnover", "rebalance_deltas",
]


# --------------------------------------------------------------------------- history

def sorted_versions(versions: Sequence[PortfolioVersion], where: str = "") -> list[PortfolioVersion]:
    seen: set[int] = set()
    for v in versions:
        if not isinstance(v, PortfolioVersion):
            raise ValidationError(f"{where}expected PortfolioVersion objects, got {type(v).__name__}")
        if v.version in seen:
            raise ValidationError(f"{where}duplicate version number {v.version}")
        seen.add(v.version)
    return sorted(versions, key=lambda v: (v.placed_at, v.version))


def turnover(versions: Sequence[PortfolioVersion]) -> pd.Series:
    """One-way turnover of each rebalance: ``Σ_i |w_new,i − w_prev,i| / 2`` with weights
    as fractions of 1 (CASH included), target-to-target. Indexed by version number, for
    every version after the first (the first purchase is not a rebalance). 0.25 means a
    quarter of the portfolio changed hands."""
    ordered = sorted_versions(versions)
    out = {}
    for prev, new in zip(ordered, ordered[1:]):
        codes = set(prev.weights_bp) | set(new.weights_bp)
        moved = sum(abs(new.weights_bp.get(c, 0) - prev.weights_bp.get(c, 0)) for c in codes)
        out[new.version] = moved / 2 / FULL_BP
    return pd.Series(out, dtype=float, name="turnover").rename_axis("version")


def annualised_turnover(versions: Sequence[PortfolioVersion], as_of: dt.date) -> float:
    """Sum of rebalance turnovers placed up to ``as_of`` divided by the years
    (calendar days / 365.25) from the first version's placement to ``as_of``. Like every
    annualised figure here it is NaN when that span is shorter than 365 days."""
    ordered = [v for v in sorted_versions(versions) if v.placed_date <= as_of]
    if not ordered:
        return float("nan")
    days = (as_of - ordered[0].placed_date).days
    if days < 365:
        return float("nan")
    return float(turnover(ordered).sum() / (days / 365.25))


def rebalance_deltas(versions: Sequence[PortfolioVersion]) -> pd.DataFrame:
    """Every change of target weight, 雪球-style: one row per (version, code) whose
    weight changed, with ``prev_bp`` (0 for the first version or a new code),
    ``new_bp`` (0 for a removed code) and ``delta_bp = new_bp − prev_bp``.
    Columns: version, placed_at, code, prev_bp, new_bp, delta_bp; ordered by placement,
    then code."""
    rows = []
    prev: Mapping[str, int] = {}
    for v in sorted_versions(versions):
        for code in sorted(set(prev) | set(v.weights_bp)):
            a, b = prev.get(code, 0), v.weights_bp.get(code, 0)
            if a != b:
                rows.append((v.version, v.placed_at, code, a, b, b - a))
        prev = v.weights_bp
    frame = pd.DataFrame(rows, columns=["version", "placed_at", "code", "prev_bp", "new_bp", "delta_bp"])
    return frame.astype({"version": "int64", "prev_bp": "int64", "new_bp": "int64", "delta_bp": "int64"})


# --------------------------------------------------------------------------- NAV engine

def _session_days(prices: pd.DataFrame) -> np.ndarray:
    """The price index as ``datetime64[D]``, after checking it is a usable session axis."""
    if not isinstance(prices, pd.DataFrame):
        raise ValidationError("prices must be a DataFrame (sessions x codes)")
    index = prices.index
    if not isinstance(index, pd.DatetimeIndex):
        raise ValidationError("prices index must be a DatetimeIndex of session dates")
    if index.tz is not None:
        raise ValidationError("prices index must be tz-naive session dates")
    if not index.is_monotonic_increasing or index.has_duplicates:
        raise ValidationError("prices index must be strictly increasing session dates")
    if prices.columns.has_duplicates:
        raise ValidationError("prices has duplicated code columns")
    return index.values.astype("datetime64[D]")


def fill_session_index(days: np.ndarray, placed_at: pd.Timestamp) -> int:
    """Position of the fill session of an order placed at ``placed_at``: the first
    session whose date is strictly after its Asia/Shanghai date. Equals ``len(days)``
    when that session is not in the data yet (pending)."""
    local_day = pd.Timestamp(placed_at).tz_convert(MARKET_TZ).date()
    return int(np.searchsorted(days, np.datetime64(local_day, "D"), side="right"))


def _last_index_on_or_before(days: np.ndarray, day: dt.date | None) -> int:
    # pd.NaT is a datetime (so a date) at runtime; pandas-stubs' NaTType does not subclass it.
    if day is None or (isinstance(day, float) and math.isnan(day)) or day is pd.NaT:  # type: ignore[comparison-overlap]
        return len(days) - 1
    return int(np.searchsorted(days, np.datetime64(pd.Timestamp(day).date(), "D"), side="right")) - 1


@dataclass(frozen=True)
class Segment:
    """Holdings held from the close of session ``start`` to the close of ``end``."""

    version: PortfolioVersion
    start: int
    end: int
    columns: np.ndarray   # price column positions of the non-cash holdings
    codes: tuple[str, ...]
    units: np.ndarray     # units held of each, bought at the close of ``start``
    cash: float           # NAV units in cash


class PriceBook:
    """Prices prepared once for many portfolios: raw values, carried-forward values
    and the code -> column map."""

    def __init__(self, prices: pd.DataFrame, max_fill_staleness: int = 0) -> None:
        self.days = _session_days(prices)
        self.index = prices.index
        self.raw = prices.to_numpy(dtype=float, copy=False)
        # Carry each instrument's last quote forward; uses only earlier sessions.
        self.carried = prices.ffill().to_numpy(dtype=float, copy=False)
        self.column_of = {str(code): i for i, code in enumerate(prices.columns)}
        if max_fill_staleness < 0:
            raise ValidationError("max_fill_staleness must be >= 0 sessions")
        self.max_fill_staleness = int(max_fill_staleness)
        self._last_quote: np.ndarray | None = None

    def last_quote_index(self) -> np.ndarray:
        if self._last_quote is None:
            n = self.raw.shape[0]
            positions = np.where(np.isnan(self.raw), -1, np.arange(n)[:, None])
            self._last_quote = np.maximum.accumulate(positions, axis=0)
        return self._last_quote

    def fill_prices(self, columns: np.ndarray, codes: Sequence[str], at: int, where: str) -> np.ndarray:
        """Prices to buy at the close of session ``at``; raises if an instrument has no
        (recent enough) quote there."""
        quotes = self.raw[at, columns]
        missing = np.isnan(quotes)
        if missing.any():
            if self.max_fill_staleness:
                age = at - self.last_quote_index()[at, columns]
                missing = (self.last_quote_index()[at, columns] < 0) | (age > self.max_fill_staleness)
            if missing.any():
                code = codes[int(np.flatnonzero(missing)[0])]
                session = self.index[at].date().isoformat()
                raise ValidationError(f"{where}{code} has no price at its fill session {session}")
            quotes = self.carried[at, columns]
        return quotes


def _schedule(book: PriceBook, versions: Sequence[PortfolioVersion], where: str) -> list[tuple[int, PortfolioVersion]]:
    """(fill session, version) for every version that has filled, one per session."""
    n = len(book.days)
    by_session: dict[int, PortfolioVersion] = {}
    for v in sorted_versions(versions, where):
        at = fill_session_index(book.days, v.placed_at)
        if at < n:
            by_session[at] = v  # later placement at the same session supersedes
    return sorted(by_session.items())


def segments(book: PriceBook, versions: Sequence[PortfolioVersion], last: int,
              where: str = "") -> Iterator[tuple[Segment, np.ndarray]]:
    """Walk a portfolio's fills; yield each segment and the NAV over ``start..end``.

    ``last`` is the last session index to value (close date or the end of the data)."""
    value = 1.0
    schedule = [(at, v) for at, v in _schedule(book, versions, where) if at <= last]
    for k, (start, version) in enumerate(schedule):
        end = schedule[k + 1][0] if k + 1 < len(schedule) else last
        label = f"{where}version {version.version}: "
        codes = tuple(c for c in version.weights_bp if c != CASH and version.weights_bp[c] > 0)
        try:
            columns = np.fromiter((book.column_of[c] for c in codes), dtype=np.intp, count=len(codes))
        except KeyError as exc:
            raise ValidationError(f"{label}no prices for code {exc.args[0]}") from None
        fractions = np.array([version.weights_bp[c] for c in codes], dtype=float) / FULL_BP
        cash = value * version.weights_bp.get(CASH, 0) / FULL_BP
        units = value * fractions / book.fill_prices(columns, codes, start, label)
        block = book.carried[start:end + 1, columns]
        nav = block @ units + cash if codes else np.full(end + 1 - start, cash)
        yield Segment(version, start, end, columns, codes, units, cash), nav
        value = float(nav[-1])


def nav_matrix(prices: pd.DataFrame, versions_by_portfolio: Mapping[int, Sequence[PortfolioVersion]],
               closed_on: Mapping[int, dt.date | None] | None = None, *,
               max_fill_staleness: int = 0) -> pd.DataFrame:
    """Daily NAV of many portfolios: sessions (``prices.index``) x portfolio ids.

    NAV = 1.0 at the close of the first fill, then Π(1 + daily return) with holdings
    drifting between fills (see module docstring for fill timing, carry-forward of
    missing quotes and closing). NaN before the first fill and after ``closed_on``.
    ``max_fill_staleness``: sessions a quote may be old at a fill (default 0: a held
    instrument must be quoted at its fill session, else ``ValidationError``).
    """
    book = PriceBook(prices, max_fill_staleness)
    ids = list(versions_by_portfolio)
    out = np.full((len(book.days), len(ids)), np.nan, order="F")
    closed_on = closed_on or {}
    for j, pid in enumerate(ids):
        last = _last_index_on_or_before(book.days, closed_on.get(pid))
        for seg, nav in segments(book, versions_by_portfolio[pid], last, f"portfolio {pid}: "):
            out[seg.start:seg.end + 1, j] = nav
    frame = pd.DataFrame(out, index=prices.index, columns=pd.Index(ids, name="portfolio_id"))
    return frame


def nav_series(prices: pd.DataFrame, versions: Sequence[PortfolioVersion],
               closed_on: dt.date | None = None, *, max_fill_staleness: int = 0) -> pd.Series:
    """Daily NAV of one portfolio: exactly ``nav_matrix`` with a single column."""
    matrix = nav_matrix(prices, {0: versions}, {0: closed_on}, max_fill_staleness=max_fill_staleness)
    return matrix[0].rename("nav")


def holdings_weights_at(prices: pd.DataFrame, versions: Sequence[PortfolioVersion], at: dt.date, *,
                        max_fill_staleness: int = 0) -> dict[str, float]:
    """Drifted weights (fractions of NAV, CASH included, summing to 1) held after the
    close of the last session dated on or before ``at``; on a fill session that is after
    the rebalance. Empty dict before the first fill. Uses prices up to that session only."""
    book = PriceBook(prices, max_fill_staleness)
    target = _last_index_on_or_before(book.days, at)
    if target < 0:
        return {}
    held: Segment | None = None
    for seg, _nav in segments(book, versions, target):
        if seg.start <= target:
            held = seg
    if held is None:
        return {}
    values = book.carried[target, held.columns] * held.units
    total = float(values.sum() + held.cash)
    weights = {code: float(v) / total for code, v in zip(held.codes, values)}
    if held.cash:
        weights[CASH] = held.cash / total
    return weights
