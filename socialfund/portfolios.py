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
  session (holiday of its own market, suspension, a series that stopped). A held
  instrument without a quote is valued at its last quote, and a fill may buy at it, for
  at most ``core.sessions.MAX_CARRY_SESSIONS`` sessions (``max_carry``): that only uses
  the past, so it is not look-ahead. Beyond the limit (or with no quote yet, or no series
  at all) the portfolio cannot be valued: ``nav_with_status`` gives it the status
  *excluded* with the reason naming the code, and its NAV stops at the session before;
  every other portfolio is valued as usual. ``nav_matrix``/``nav_series`` are the strict
  forms: ``ValidationError`` with that reason.
* **Close.** With ``closed_on`` the NAV ends at the last session dated on or before it
  and is NaN afterwards; it is NaN before the first fill too.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace

import numpy as np
import pandas as pd

from socialfund.core.errors import ValidationError
from socialfund.core.models import PortfolioVersion, VersionArrays
from socialfund.core.sessions import MARKET_TZ, MAX_CARRY_SESSIONS
from socialfund.core.weights import CASH, FULL_BP

__all__ = [
    "fill_session_index", "fill_session_indices", "nav_with_status", "NavStatus", "NavWithStatus", "nav_matrix", "nav_series", "holdings_weights_at", "turnover",
    "annualised_turnover", "rebalance_deltas", "nav_from_arrays", "version_arrays",
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


def fill_session_indices(days: np.ndarray, placed: Sequence[pd.Timestamp]) -> np.ndarray:
    """``fill_session_index`` of many placements at once (one tz conversion and one
    ``np.searchsorted`` over the session array, no per-version date objects)."""
    if not len(placed):
        return np.zeros(0, dtype=np.intp)
    local = pd.DatetimeIndex(pd.to_datetime(list(placed), utc=True)).tz_convert(MARKET_TZ).tz_localize(None)
    return np.searchsorted(days, local.values.astype("datetime64[D]"), side="right").astype(np.intp)


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


OK = "ok"
EXCLUDED = "excluded"


@dataclass(frozen=True)
class NavStatus:
    """Whether a portfolio's NAV could be computed up to the end of its data.

    ``state`` is ``"ok"`` or ``"excluded"``. When excluded: ``code`` is the holding that
    could not be valued (or bought) at ``session`` (the first such session; the NAV stops
    at the session before it), ``last_price_on`` its last quote on or before ``session``
    (None: never quoted by then), ``version`` the version held or being filled, ``kind``
    why — ``"no_prices"`` (the code has no price series at all), ``"not_quoted"`` (no
    quote yet at ``session``), ``"stale"`` (last quote more than ``max_carry`` sessions
    before ``session``) — and ``reason`` all of it in one English sentence naming the code."""

    state: str = OK
    reason: str = ""
    code: str | None = None
    kind: str | None = None
    session: dt.date | None = None
    last_price_on: dt.date | None = None
    version: int | None = None
    max_carry: int = MAX_CARRY_SESSIONS

    @property
    def ok(self) -> bool:
        return self.state == OK

    @property
    def message(self) -> str:
        """The reason with the version it happened in (what a strict caller raises)."""
        return f"version {self.version}: {self.reason}" if self.version is not None else self.reason


@dataclass(frozen=True)
class NavWithStatus:
    """``nav``: sessions x portfolio ids (as ``nav_matrix``; an excluded portfolio's NAV
    stops at the session before its status' ``session``); ``status``: id -> ``NavStatus``."""

    nav: pd.DataFrame
    status: dict[int, NavStatus]

    @property
    def excluded(self) -> dict[int, NavStatus]:
        return {pid: s for pid, s in self.status.items() if not s.ok}


class PriceBook:
    """Prices prepared once for many portfolios: raw values, values carried forward for at
    most ``max_carry`` sessions (``core.sessions.MAX_CARRY_SESSIONS``; NaN beyond) and the
    code -> column map."""

    def __init__(self, prices: pd.DataFrame, max_carry: int = MAX_CARRY_SESSIONS) -> None:
        self.days = _session_days(prices)
        self.index = prices.index
        self.raw = prices.to_numpy(dtype=float, copy=False)
        if isinstance(max_carry, bool) or not isinstance(max_carry, int) or max_carry < 0:
            raise ValidationError(f"max_carry must be a whole number of sessions >= 0, got {max_carry!r}")
        self.max_carry = max_carry
        # Carry each instrument's last quote forward (earlier sessions only), within the limit.
        carried = prices.ffill(limit=max_carry) if max_carry else prices
        self.carried = carried.to_numpy(dtype=float, copy=False)
        self.codes = [str(code) for code in prices.columns]
        self.column_of = {code: i for i, code in enumerate(self.codes)}
        self._last_quote: np.ndarray | None = None

    def last_quote_index(self) -> np.ndarray:
        if self._last_quote is None:
            n = self.raw.shape[0]
            positions = np.where(np.isnan(self.raw), -1, np.arange(n)[:, None])
            self._last_quote = np.maximum.accumulate(positions, axis=0)
        return self._last_quote

    def unpriced(self, column: int, code: str, at: int, *, fill: bool, version: int | None = None) -> NavStatus:
        """The exclusion of ``code`` (price column ``column``) that has no usable price at
        session ``at`` (``fill``: it was to be bought there)."""
        session = self.index[at].date()
        last = int(self.last_quote_index()[at, column])
        if last < 0:
            where = f"its fill session {session}" if fill else session.isoformat()
            return NavStatus(EXCLUDED, f"{code} has no price at or before {where}", code, "not_quoted", session,
                             None, version, self.max_carry)
        last_day = self.index[last].date()
        if fill:
            reason = (f"{code} has no price at its fill session {session}: last price {last_day}, "
                      f"more than {self.max_carry} sessions earlier")
        else:
            reason = f"{code} has no price since {last_day}: more than {self.max_carry} sessions before {session}"
        return NavStatus(EXCLUDED, reason, code, "stale", session, last_day, version, self.max_carry)

    def fill_prices(self, columns: np.ndarray, codes: Sequence[str], at: int, where: str) -> np.ndarray:
        """Prices to buy at the close of session ``at`` (a quote at most ``max_carry``
        sessions old); ``ValidationError`` naming the code when there is none."""
        quotes = self.carried[at, columns]
        missing = np.flatnonzero(np.isnan(quotes))
        if missing.size:
            j = int(missing[0])
            raise ValidationError(where + self.unpriced(int(columns[j]), codes[j], at, fill=True).reason)
        return quotes


def _schedule(book: PriceBook, versions: Sequence[PortfolioVersion], where: str,
              fills: np.ndarray | None = None) -> list[tuple[int, PortfolioVersion]]:
    """(fill session, version) for every version that has filled, one per session.
    ``fills``: the fill session of each version in ``sorted_versions`` order, when the
    caller computed them in bulk (``fill_session_indices``)."""
    n = len(book.days)
    by_session: dict[int, PortfolioVersion] = {}
    ordered = sorted_versions(versions, where)
    if fills is None:
        fills = fill_session_indices(book.days, [v.placed_at for v in ordered])
    for v, at in zip(ordered, fills.tolist()):
        if at < n:
            by_session[at] = v  # later placement at the same session supersedes
    return sorted(by_session.items())


def _cut(walked: list[tuple[Segment, np.ndarray]], at: int) -> list[tuple[Segment, np.ndarray]]:
    """The walk up to the session before ``at`` (where the portfolio could not be valued)."""
    kept = []
    for seg, nav in walked:
        if seg.start >= at:
            break
        if seg.end >= at:
            seg, nav = replace(seg, end=at - 1), nav[:at - seg.start]
        kept.append((seg, nav))
    return kept


def walk(book: PriceBook, versions: Sequence[PortfolioVersion], last: int,
         where: str = "", fills: np.ndarray | None = None) -> tuple[list[tuple[Segment, np.ndarray]], NavStatus]:
    """A portfolio's fills up to session ``last`` (close date or the end of the data):
    each segment with its NAV over ``start..end``, and the status. A holding without a
    usable price (none within ``book.max_carry`` sessions, or no series at all) at a fill
    or while held ends the walk: the segments stop at the session before, status excluded."""
    value = 1.0
    walked: list[tuple[Segment, np.ndarray]] = []
    schedule = [(at, v) for at, v in _schedule(book, versions, where, fills) if at <= last]
    for k, (start, version) in enumerate(schedule):
        end = schedule[k + 1][0] if k + 1 < len(schedule) else last
        codes = tuple(c for c in version.weights_bp if c != CASH and version.weights_bp[c] > 0)
        unknown = [c for c in codes if c not in book.column_of]
        if unknown:
            status = NavStatus(EXCLUDED, f"no prices for code {unknown[0]}", unknown[0], "no_prices",
                               book.index[start].date(), None, version.version, book.max_carry)
            return _cut(walked, start), status
        columns = np.fromiter((book.column_of[c] for c in codes), dtype=np.intp, count=len(codes))
        block = book.carried[start:end + 1, columns]
        holes = np.isnan(block)
        if holes.any():
            row = int(np.flatnonzero(holes.any(axis=1))[0])
            j = int(np.flatnonzero(holes[row])[0])
            status = book.unpriced(int(columns[j]), codes[j], start + row, fill=row == 0, version=version.version)
            if row == 0:
                return _cut(walked, start), status
            end, block = start + row - 1, block[:row]
        else:
            status = NavStatus(max_carry=book.max_carry)
        fractions = np.array([version.weights_bp[c] for c in codes], dtype=float) / FULL_BP
        cash = value * version.weights_bp.get(CASH, 0) / FULL_BP
        units = value * fractions / block[0]
        nav = block @ units + cash if codes else np.full(end + 1 - start, cash)
        walked.append((Segment(version, start, end, columns, codes, units, cash), nav))
        if not status.ok:
            return walked, status
        value = float(nav[-1])
    return walked, NavStatus(max_carry=book.max_carry)


def segments(book: PriceBook, versions: Sequence[PortfolioVersion], last: int,
             where: str = "") -> list[tuple[Segment, np.ndarray]]:
    """``walk`` for callers that need the whole history: ``ValidationError`` naming the
    code when the portfolio is excluded."""
    walked, status = walk(book, versions, last, where)
    if not status.ok:
        raise ValidationError(f"{where}{status.message}")
    return walked


def nav_with_status(prices: pd.DataFrame, versions_by_portfolio: Mapping[int, Sequence[PortfolioVersion]],
                    closed_on: Mapping[int, dt.date | None] | None = None, *,
                    max_carry: int = MAX_CARRY_SESSIONS) -> NavWithStatus:
    """Daily NAV of many portfolios (sessions = ``prices.index`` x portfolio ids) and the
    status of each: one broken series excludes only the portfolios holding it.

    NAV = 1.0 at the close of the first fill, then Π(1 + daily return) with holdings
    drifting between fills (see the module docstring for fill timing, the carry of
    missing quotes for at most ``max_carry`` sessions, and closing). NaN before the first
    fill, after ``closed_on`` and, for an excluded portfolio, from the session it could
    not be valued (``NavStatus``)."""
    _session_days(prices)   # a bad price axis is named before any version
    return nav_from_arrays(prices, version_arrays(versions_by_portfolio), closed_on, max_carry=max_carry)


def nav_matrix(prices: pd.DataFrame, versions_by_portfolio: Mapping[int, Sequence[PortfolioVersion]],
               closed_on: Mapping[int, dt.date | None] | None = None, *,
               max_carry: int = MAX_CARRY_SESSIONS) -> pd.DataFrame:
    """Daily NAV of many portfolios, all of which must be valued to the end of their data:
    exactly ``nav_with_status(...).nav``, or ``ValidationError`` naming the portfolio,
    version and code of the first excluded one. Callers that must survive a broken
    series (the leaderboard, the portfolio page) use ``nav_with_status``."""
    result = nav_with_status(prices, versions_by_portfolio, closed_on, max_carry=max_carry)
    for pid, status in result.excluded.items():
        raise ValidationError(f"portfolio {pid}: {status.message}")
    return result.nav


def nav_series(prices: pd.DataFrame, versions: Sequence[PortfolioVersion],
               closed_on: dt.date | None = None, *, max_carry: int = MAX_CARRY_SESSIONS) -> pd.Series:
    """Daily NAV of one portfolio (the ``nav_with_status`` code path with a single
    column); ``ValidationError`` naming the version and code when it is excluded."""
    result = nav_with_status(prices, {0: versions}, {0: closed_on}, max_carry=max_carry)
    if not result.status[0].ok:
        raise ValidationError(result.status[0].message)
    return result.nav[0].rename("nav")


def holdings_weights_at(prices: pd.DataFrame, versions: Sequence[PortfolioVersion], at: dt.date, *,
                        max_carry: int = MAX_CARRY_SESSIONS) -> dict[str, float]:
    """Drifted weights (fractions of NAV, CASH included, summing to 1) held after the
    close of the last session dated on or before ``at``; on a fill session that is after
    the rebalance. Empty dict before the first fill. Uses prices up to that session only;
    ``ValidationError`` naming the code when a holding cannot be valued by then."""
    book = PriceBook(prices, max_carry)
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


# --------------------------------------------------------------------------- array engine

def version_arrays(versions_by_portfolio: Mapping[int, Sequence[PortfolioVersion]]) -> VersionArrays:
    """``VersionArrays`` of version objects (checked and ordered by ``sorted_versions``;
    portfolios without versions keep their place, with none)."""
    ids = [int(pid) for pid in versions_by_portfolio]
    ordered = [sorted_versions(versions_by_portfolio[pid], f"portfolio {pid}: ") for pid in ids]
    flat = [v for vs in ordered for v in vs]
    codes = sorted({c for v in flat for c in v.weights_bp})
    index = {c: i for i, c in enumerate(codes)}
    pairs = [(index[c], bp) for v in flat for c, bp in v.weights_bp.items()]  # weights_bp is sorted by code
    placed = pd.DatetimeIndex([v.placed_at for v in flat]).tz_convert("UTC") if flat else pd.DatetimeIndex([], tz="UTC")
    return VersionArrays(
        portfolio_ids=np.asarray(ids, dtype=np.int64),
        version_offsets=np.cumsum([0] + [len(vs) for vs in ordered]).astype(np.int64),
        version=np.asarray([v.version for v in flat], dtype=np.int64),
        placed_ns=placed.as_unit("ns").asi8.astype(np.int64),
        weight_offsets=np.cumsum([0] + [len(v.weights_bp) for v in flat]).astype(np.int64),
        weight_code=np.asarray([c for c, _ in pairs], dtype=np.int64),
        weight_bp=np.asarray([bp for _, bp in pairs], dtype=np.int64),
        codes=tuple(codes))


def _fills_from_ns(days: np.ndarray, placed_ns: np.ndarray) -> np.ndarray:
    """``fill_session_indices`` of UTC nanosecond placement times."""
    if not len(placed_ns):
        return np.zeros(0, dtype=np.intp)
    local = pd.DatetimeIndex(placed_ns.astype("datetime64[ns]")).tz_localize("UTC").tz_convert(MARKET_TZ)
    return np.searchsorted(days, local.tz_localize(None).values.astype("datetime64[D]"), side="right").astype(np.intp)


def _last_indices(days: np.ndarray, ids: np.ndarray, closed_on: Mapping[int, dt.date | None]) -> np.ndarray:
    """``_last_index_on_or_before`` of every portfolio's close date at once."""
    n = len(days)
    closes = [closed_on.get(int(pid)) for pid in ids]
    known = [i for i, d in enumerate(closes) if d is not None and not pd.isna(d)]
    last = np.full(len(ids), n - 1, dtype=np.int64)
    if known:
        dates = pd.DatetimeIndex([pd.Timestamp(str(closes[i])) for i in known]).values.astype("datetime64[D]")
        last[known] = np.searchsorted(days, dates, side="right") - 1
    return last


#: holding-rows valued per block of portfolios (bounds the temporaries: ~5 arrays of this many)
_BLOCK_CELLS = 2_000_000


def nav_from_arrays(prices: pd.DataFrame, table: VersionArrays,
                    closed_on: Mapping[int, dt.date | None] | None = None, *,
                    max_carry: int = MAX_CARRY_SESSIONS) -> NavWithStatus:
    """``nav_with_status`` over ``VersionArrays``, without a Python step per version.

    The same rules, as array operations: fill sessions by one ``searchsorted``; a fill
    superseded by a later placement filling at the same session dropped; each segment
    (the holdings bought at one fill, held until the next fill or the end) grows as
    ``r(t) = Σ_i f_i · P_i(t) / P_i(start) + f_cash`` (``f`` = weight in bp / 10,000;
    holdings drift, units constant) computed for every holding-session at once; the NAV at
    the start of segment k is the product of the earlier segments' ``r(end)`` (1.0 at the
    first fill), so NAV(t) = V_k · r_k(t). A segment holding a code without prices, or
    without a quote within ``max_carry`` sessions at some session, excludes its portfolio
    from that session on (the status names the code, as ``walk`` does); only those few
    portfolios take a Python step, to build their status."""
    book = PriceBook(prices, max_carry)
    n = len(book.days)
    ids = table.portfolio_ids
    n_p = len(ids)
    out = np.full((n, n_p), np.nan, order="F")
    ok = NavStatus(max_carry=book.max_carry)
    status: dict[int, NavStatus] = {int(pid): ok for pid in ids}
    if n_p == 0 or len(table.version) == 0 or n == 0:
        return NavWithStatus(pd.DataFrame(out, index=prices.index, columns=pd.Index(ids.tolist(), name="portfolio_id")),
                             status)
    last = _last_indices(book.days, ids, closed_on or {})
    owner = np.repeat(np.arange(n_p), np.diff(table.version_offsets))
    fills = _fills_from_ns(book.days, table.placed_ns)
    keep = np.flatnonzero((fills < n) & (fills <= last[owner]))
    # several fills at one session: the last placed one is executed
    if keep.size:
        same_as_next = np.zeros(keep.size, dtype=bool)
        same_as_next[:-1] = (owner[keep[:-1]] == owner[keep[1:]]) & (fills[keep[:-1]] == fills[keep[1:]])
        keep = keep[~same_as_next]
    seg_v, seg_p, seg_start = keep, owner[keep], fills[keep].astype(np.int64)
    n_s = len(seg_v)
    last_of_p = np.ones(n_s, dtype=bool)
    if n_s:
        last_of_p[:-1] = seg_p[:-1] != seg_p[1:]
    seg_end = np.empty(n_s, dtype=np.int64)
    seg_end[:-1] = seg_start[1:]
    seg_end[last_of_p] = last[seg_p[last_of_p]]
    # holdings of each segment (non-cash, weight > 0), flat
    code_col = np.array([book.column_of.get(c, -1) for c in table.codes], dtype=np.int64)
    is_cash = np.array([c == CASH for c in table.codes], dtype=bool)
    w_lo, w_hi = table.weight_offsets[seg_v], table.weight_offsets[seg_v + 1]
    counts = w_hi - w_lo
    h_seg_all = np.repeat(np.arange(n_s), counts)
    h_w = np.arange(counts.sum()) - np.repeat(np.cumsum(counts) - counts, counts) + np.repeat(w_lo, counts)
    w_code, w_bp = table.weight_code[h_w], table.weight_bp[h_w]
    cash_frac = np.bincount(h_seg_all, weights=np.where(is_cash[w_code], w_bp, 0), minlength=n_s) / FULL_BP
    held = ~is_cash[w_code] & (w_bp > 0)
    h_seg, h_code, h_frac = h_seg_all[held], w_code[held], w_bp[held] / FULL_BP
    h_col = code_col[h_code]
    unknown = np.zeros(n_s, dtype=bool)
    unknown[h_seg[h_col < 0]] = True
    seg_first_h = np.searchsorted(h_seg, np.arange(n_s + 1))
    seg_len = seg_end - seg_start + 1            # rows start..end, the end shared with the next fill
    # blocks of whole portfolios
    p_first_seg = np.searchsorted(seg_p, np.arange(n_p + 1))
    work = np.zeros(n_p, dtype=np.int64)
    np.add.at(work, seg_p, seg_len * (np.diff(seg_first_h) + 1))
    cum = np.cumsum(work)
    p0 = 0
    while p0 < n_p:
        p1 = max(p0 + 1, int(np.searchsorted(cum, (cum[p0 - 1] if p0 else 0) + _BLOCK_CELLS, side="right")))
        p1 = min(p1, n_p)
        s0, s1 = int(p_first_seg[p0]), int(p_first_seg[p1])
        if s1 > s0:
            _value_block(book, out, status, table, s0, s1, seg_v, seg_p, seg_start, seg_end, seg_len, last_of_p,
                         seg_first_h, h_seg, h_code, h_col, h_frac, cash_frac, unknown, ids)
        p0 = p1
    frame = pd.DataFrame(out, index=prices.index, columns=pd.Index(ids.tolist(), name="portfolio_id"))
    return NavWithStatus(frame, status)


def _value_block(book: PriceBook, out: np.ndarray, status: dict[int, NavStatus], table: VersionArrays,
                 s0: int, s1: int, seg_v: np.ndarray, seg_p: np.ndarray, seg_start: np.ndarray,
                 seg_end: np.ndarray, seg_len: np.ndarray, last_of_p: np.ndarray, seg_first_h: np.ndarray,
                 h_seg: np.ndarray, h_code: np.ndarray, h_col: np.ndarray, h_frac: np.ndarray,
                 cash_frac: np.ndarray, unknown: np.ndarray, ids: np.ndarray) -> None:
    """Segments ``s0:s1`` (whole portfolios): growth of every holding-session, holes, the
    chain of segment start values, and the NAV written into ``out``."""
    segs = np.arange(s0, s1)
    starts, lens = seg_start[segs], seg_len[segs]
    cell_off = np.concatenate([[0], np.cumsum(lens)])          # cells: (segment, row) pairs
    n_cells = int(cell_off[-1])
    h0, h1 = int(seg_first_h[s0]), int(seg_first_h[s1])
    hs = h_seg[h0:h1] - s0
    hcol = np.where(h_col[h0:h1] < 0, 0, h_col[h0:h1])
    hlen = lens[hs]
    hh = np.repeat(np.arange(h1 - h0), hlen)
    row = np.arange(int(hlen.sum())) - np.repeat(np.cumsum(hlen) - hlen, hlen)
    carried = book.carried
    t = starts[hs][hh] + row
    base = carried[starts[hs], hcol]
    part = h_frac[h0:h1][hh] * carried[t, hcol[hh]] / base[hh]
    cells = cell_off[hs][hh] + row
    cell_seg = np.repeat(np.arange(s1 - s0), lens)
    r = np.bincount(cells, weights=part, minlength=n_cells) + cash_frac[s0:s1][cell_seg]
    del part, t, cells, hh, row
    # first hole (a holding without a usable price) of each segment, as a row within it
    first_hole = np.full(s1 - s0, -1, dtype=np.int64)
    holes = np.flatnonzero(np.isnan(r))
    if holes.size:
        hole_seg = cell_seg[holes]
        uniq, at = np.unique(hole_seg, return_index=True)
        first_hole[uniq] = holes[at] - cell_off[uniq]
    bad = unknown[s0:s1] | (first_hole >= 0)
    grow_end = r[cell_off[1:] - 1]
    # start value of each segment: product of the earlier segments' growth (sequential per portfolio)
    local_p = seg_p[s0:s1]
    first_of_p = np.ones(s1 - s0, dtype=bool)
    first_of_p[1:] = local_p[1:] != local_p[:-1]
    group_start = np.maximum.accumulate(np.where(first_of_p, np.arange(s1 - s0), 0))
    rank = np.arange(s1 - s0) - group_start
    value = np.ones(s1 - s0)
    # a segment after a bad one in its portfolio is dropped
    bad_before = np.zeros(s1 - s0, dtype=bool)
    for k in range(1, int(rank.max()) + 1 if len(rank) else 0):
        at = np.flatnonzero(rank == k)
        value[at] = value[at - 1] * grow_end[at - 1]
        bad_before[at] = bad_before[at - 1] | bad[at - 1]
    # rows each segment writes: to the row before the next fill, or to its end (last one),
    # or to the row before its first hole; none when excluded at its fill
    stop = np.where(last_of_p[s0:s1], lens, lens - 1)
    stop = np.where(first_hole >= 0, np.minimum(stop, first_hole), stop)
    stop = np.where(unknown[s0:s1] | bad_before, 0, stop)
    wseg = np.repeat(np.arange(s1 - s0), stop)
    wrow = np.arange(int(stop.sum())) - np.repeat(np.cumsum(stop) - stop, stop)
    out.T[local_p[wseg], starts[wseg] + wrow] = value[wseg] * r[cell_off[wseg] + wrow]
    for s in np.flatnonzero(bad & ~bad_before):
        g = s0 + int(s)
        pid, version = int(ids[seg_p[g]]), int(table.version[seg_v[g]])
        h_lo, h_hi = int(seg_first_h[g]), int(seg_first_h[g + 1])
        codes = [table.codes[c] for c in h_code[h_lo:h_hi]]
        cols = h_col[h_lo:h_hi]
        start = int(seg_start[g])
        if unknown[g]:
            code = codes[int(np.flatnonzero(cols < 0)[0])]
            status[pid] = NavStatus(EXCLUDED, f"no prices for code {code}", code, "no_prices",
                                    book.index[start].date(), None, version, book.max_carry)
            continue
        hole_at = start + int(first_hole[s])
        j = int(np.flatnonzero(np.isnan(book.carried[hole_at, cols]))[0])
        status[pid] = book.unpriced(int(cols[j]), codes[j], hole_at, fill=hole_at == start, version=version)
