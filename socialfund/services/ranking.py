"""The leaderboard, portfolio reports and paper copies as services over the store.

This module only *wires*: it loads portfolios, versions and prices, puts prices on one
explicit session axis and hands everything to the pure library
(``socialfund.portfolios`` for NAVs, ``socialfund.core.metrics`` for every figure,
``socialfund.core.leaderboard`` for the ranking, ``socialfund.copying`` for copies). The
CLI, the pages and the cards all call these functions, so a number is computed one
way only.

Prices come on one explicit session axis from ``socialfund.market.sessions``.

Visibility: the leaderboard reads public portfolios only (private and unlisted ones
never reach the ranking; deleted public ones stay in its record as closed). A single portfolio is visible
to anyone when public or unlisted (link access), to its owner only when private; to
everyone else a private or deleted portfolio is indistinguishable from a missing id
(``NotFoundError("portfolio N not found")``).
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal

import numpy as np
import pandas as pd
from sqlalchemy import select

from socialfund import portfolios

from socialfund.store import community

from socialfund.core import leaderboard

from socialfund.core import metrics

from socialfund.services import copies
from socialfund.services import access, portfolio_crud
from socialfund.copying import CopyResult, simulate_copy
from socialfund.core.errors import NotFoundError, SocialFundError, ValidationError
from socialfund.core.models import PortfolioVersion
from socialfund.core.weights import CASH, hhi
from socialfund.market.sessions import DEFAULT_BENCHMARK, cn_sessions, session_prices
from socialfund.store import Store, schema

#: A portfolio not rebalanced or confirmed for this many calendar days is flagged stale
#: (the same number as the leaderboard's activity gate).
STALE_AFTER_DAYS = leaderboard.LeaderboardRules().max_days_since_rebalance

#: Sorts offered by the leaderboard: the library's keys plus Calmar (larger is better),
#: which the library does not rank by, so it is sorted here with the same rule
#: (NaN last, ties by portfolio id).
SORT_KEYS: Mapping[str, bool] = {**leaderboard.SORT_KEYS, "calmar": True}
WINDOWS: tuple[str, ...] = tuple(leaderboard.WINDOW_SESSIONS)

TABLE_COLUMNS = ("portfolio_id", "name", "rank", "dsr", "psr", "sharpe", "total_return", "max_drawdown",
                 "volatility", "calmar", "risk_class", "sessions", "track_sessions", "followers", "copiers",
                 "closed", "style", "owner_name")


# --------------------------------------------------------------------------- community

@dataclass(frozen=True)
class CommunityNav:
    """Everything the leaderboard needs, computed once per ``as_of``: the NAV of every
    public portfolio on the XSHG session axis, their metadata (leaderboard columns plus
    style and owner name) and every rebalance/confirmation time (``activity``)."""

    nav: pd.DataFrame
    meta: pd.DataFrame
    activity: pd.DataFrame
    as_of: dt.date


def _latest_session(provider, benchmark: str) -> dt.date:  # type: ignore[no-untyped-def]
    closes = provider.closes([benchmark]).closes
    return cn_sessions(closes, benchmark)[-1].date()


def _closed_by(value, as_of: dt.date):  # type: ignore[no-untyped-def]
    """A close date only if it happened by ``as_of`` (later closes are unknown then)."""
    if value is None or (isinstance(value, float) and math.isnan(value)) or pd.isna(value):
        return None
    return value if value <= as_of else None


def community_nav(store: Store, provider, as_of: dt.date | None = None,  # type: ignore[no-untyped-def]
                  benchmark: str = DEFAULT_BENCHMARK) -> CommunityNav:
    """NAVs of every public portfolio from data up to ``as_of`` (default: the latest
    session). Private and unlisted portfolios are dropped before anything is loaded about
    them. Public portfolios that were later deleted stay in the record as closed on their
    deletion date (no survivorship bias: they count among the screened)."""
    as_of = as_of or _latest_session(provider, benchmark)
    meta = community.portfolio_meta(store)
    meta = meta.loc[meta["visibility"] == "public"].copy()
    # a deletion after the latest data date still takes the portfolio off the live list now
    meta["closed_on"] = [min(d, as_of) if pd.notna(d) and (pd.isna(c) or d < c) else c
                         for c, d in zip(meta["closed_on"], meta["deleted_on"])]
    meta = meta.loc[meta["created_on"].isna() | (meta["created_on"] <= as_of)]
    ids = [int(i) for i in meta["portfolio_id"]]
    versions = {pid: [v for v in vs if v.placed_date <= as_of]
                for pid, vs in community.versions_by_portfolio(store, ids).items()}
    versions = {pid: vs for pid, vs in versions.items() if vs}
    codes = {c for vs in versions.values() for v in vs for c in v.weights_bp if c != CASH}
    prices = session_prices(provider, codes, as_of, benchmark)
    closed = {pid: _closed_by(c, as_of) for pid, c in zip(meta["portfolio_id"], meta["closed_on"])}
    nav = portfolios.nav_matrix(prices, versions, {pid: closed.get(pid) for pid in versions})
    activity = pd.DataFrame(
        [(pid, v.placed_at) for pid, vs in versions.items() for v in vs]
        + [(pid, at) for pid, at in zip(meta["portfolio_id"], meta["confirmed_at"]) if pd.notna(at)],
        columns=["portfolio_id", "at"])
    lb_meta = meta.assign(category=meta["style"])
    lb_meta["closed_on"] = [_closed_by(c, as_of) for c in lb_meta["closed_on"]]
    return CommunityNav(nav=nav, meta=lb_meta.reset_index(drop=True), activity=activity, as_of=as_of)


def leaderboard_rules(rf: float | None = None) -> leaderboard.LeaderboardRules:
    """The published rules with the configured annual risk-free rate."""
    if rf is None:
        from socialfund.core.config import load_settings
        rf = load_settings().risk_free
    return leaderboard.LeaderboardRules(risk_free_rate=rf)


def _window_calmar(nav: pd.DataFrame, window: str, ids: Sequence[int], rules: leaderboard.LeaderboardRules) -> pd.Series:
    """Calmar over the same rows the library uses for the window (last W+1 NAVs)."""
    sessions = rules.windows[window]
    block = nav[list(ids)] if sessions is None else nav[list(ids)].iloc[-(sessions + 1):]
    returns = block / block.shift(1) - 1.0
    return metrics.calmar(returns.iloc[1:], rules.periods_per_year)


def leaderboard_table(store: Store, provider, window: str = "1Y", as_of: dt.date | None = None,  # type: ignore[no-untyped-def]
                      sort_by: str = "dsr", include_closed: bool = False, *,
                      risk_classes: Iterable[int] | None = None, styles: Iterable[str] | None = None,
                      min_track_sessions: int | None = None, rf: float | None = None,
                      inputs: CommunityNav | None = None) -> pd.DataFrame:
    """The leaderboard (``TABLE_COLUMNS``), best first by ``sort_by`` (``SORT_KEYS``).

    Ranks come from ``leaderboard.rank_portfolios`` over *all* eligible public
    portfolios; the optional filters (SRRI ``risk_classes``, ``styles``, minimum
    ``min_track_sessions`` daily returns of track record) only hide rows afterwards, so
    a rank and the luck hurdle never change with a filter. ``attrs``:
    ``screen_summary`` (N screened, expected best Sharpe by luck), ``rules_version``,
    ``risk_free``, ``sort_by``, ``window``, ``as_of``."""
    if sort_by not in SORT_KEYS:
        raise ValidationError(f"unknown sort {sort_by!r}; choose from {', '.join(SORT_KEYS)}")
    if window not in WINDOWS:
        raise ValidationError(f"unknown window {window!r}; choose from {', '.join(WINDOWS)}")
    inputs = inputs or community_nav(store, provider, as_of)
    rules = leaderboard_rules(rf)
    table = leaderboard.rank_portfolios(inputs.nav, inputs.meta, window, inputs.as_of, rules,
                                        sort_by="dsr" if sort_by == "calmar" else sort_by,
                                        include_closed=include_closed, activity=inputs.activity)
    summary = table.attrs["screen_summary"]
    history = inputs.nav.loc[inputs.nav.index <= pd.Timestamp(inputs.as_of)]
    ids = table["portfolio_id"].tolist()
    table["calmar"] = np.asarray(_window_calmar(history, window, ids, rules), dtype=float) if ids else []
    table["track_sessions"] = [max(int(history[pid].notna().sum()) - 1, 0) for pid in ids]
    extra = inputs.meta.set_index("portfolio_id")[["style", "owner_name"]]
    table = table.join(extra, on="portfolio_id")
    if sort_by == "calmar":
        key = -table["calmar"].astype(float)
        table = table.assign(_k=key).sort_values(["_k", "portfolio_id"], na_position="last", kind="mergesort")
        table = table.drop(columns="_k")
        table["rank"] = np.arange(1, len(table) + 1)
    if risk_classes is not None:
        wanted = {int(c) for c in risk_classes}
        table = table.loc[table["risk_class"].isin(wanted)]
    if styles is not None:
        table = table.loc[table["style"].isin(set(styles))]
    if min_track_sessions:
        table = table.loc[table["track_sessions"] >= int(min_track_sessions)]
    out = table.loc[:, list(TABLE_COLUMNS)].reset_index(drop=True)
    # attrs hold plain, picklable values only (pandas deep-copies attrs on every slice).
    out.attrs.update(screen_summary=summary, rules_version=rules.version, risk_free=rules.risk_free_rate,
                     sort_by=sort_by, window=window, as_of=inputs.as_of)
    return out


# --------------------------------------------------------------------------- one portfolio

def visible_meta(store: Store, portfolio_id: int, viewer_id: int | None = None) -> dict:
    """The metadata row of a portfolio the viewer may open (``access.can_view``: public
    or unlisted for anyone, private for its owner, deleted for nobody);
    ``NotFoundError("portfolio N not found")`` otherwise, exactly as for a missing id."""

    if not access.can_view(store, viewer_id, portfolio_id):
        raise NotFoundError(f"portfolio {portfolio_id} not found")
    return community.portfolio_meta(store, [int(portfolio_id)]).iloc[0].to_dict()


def pickable_portfolios(store: Store, viewer_id: int | None = None) -> pd.DataFrame:
    """Portfolios offered in a picker (``portfolio_crud.visible_portfolios``): public ones plus
    the viewer's own (any visibility), deleted ones excluded. Columns portfolio_id, name,
    owner_name, visibility, style."""

    keep = portfolio_crud.visible_portfolios(store, viewer_id)
    return keep[["portfolio_id", "name", "owner_name", "visibility", "style"]].reset_index(drop=True)


def _versions(store: Store, portfolio_id: int, as_of: dt.date | None = None) -> list[PortfolioVersion]:
    versions = community.versions_by_portfolio(store, [int(portfolio_id)]).get(int(portfolio_id), [])
    return [v for v in versions if as_of is None or v.placed_date <= as_of]


class NoNavYet(SocialFundError):
    """The portfolio exists but none of its versions was placed by the latest data date, so it
    has no NAV yet (e.g. created today on demo data that ends earlier): not an error of the user."""

    def __init__(self, portfolio_id: int, as_of: dt.date) -> None:
        self.portfolio_id, self.as_of = portfolio_id, as_of
        super().__init__(f"portfolio {portfolio_id} has no version placed by {as_of}: no NAV yet")


@dataclass(frozen=True)
class PortfolioReport:
    """Everything the portfolio page shows. Series are on the XSHG session axis.

    ``nav``: NAV (1.0 at the first fill); ``benchmark_nav``: the benchmark rebased to
    1.0 on the same first session; ``drawdown``: NAV / running peak − 1 (≤ 0);
    ``holdings``: drifted weights (fractions, CASH included) at ``as_of``;
    ``target_bp``: the current version's target weights; ``deltas``: every weight change
    (``portfolios.rebalance_deltas``); ``figures``: metric name -> value (NaN when
    undefined); ``stale``: no rebalance or confirmation in ``STALE_AFTER_DAYS`` days
    (never for a closed portfolio). Plain values only, so the report can be cached
    (pickled)."""

    portfolio_id: int
    meta: dict
    as_of: dt.date
    benchmark: str
    risk_free: float
    nav: pd.Series
    benchmark_nav: pd.Series
    drawdown: pd.Series
    holdings: dict[str, float]
    target_bp: dict[str, int]
    deltas: pd.DataFrame
    figures: dict[str, float]
    risk_class: int | float
    stale: bool
    days_since_activity: int | None
    current_version: int
    current_placed_at: pd.Timestamp


def portfolio_report(store: Store, provider, portfolio_id: int, benchmark: str = DEFAULT_BENCHMARK,  # type: ignore[no-untyped-def]
                     rf: float | None = None, *, viewer_id: int | None = None,
                     as_of: dt.date | None = None) -> PortfolioReport:
    """NAV vs benchmark, drawdown, holdings, rebalances and every metric of one
    portfolio the viewer may see (``NotFoundError`` otherwise). ``rf``: annual
    risk-free rate (default: settings)."""
    rules = leaderboard_rules(rf)
    meta = visible_meta(store, portfolio_id, viewer_id)
    as_of = as_of or _latest_session(provider, DEFAULT_BENCHMARK)
    versions = _versions(store, portfolio_id, as_of)
    if not versions:
        raise NoNavYet(portfolio_id, as_of)
    codes = {c for v in versions for c in v.weights_bp if c != CASH} | {benchmark}
    prices = session_prices(provider, codes, as_of)
    nav = portfolios.nav_series(prices, versions, _closed_by(meta["closed_on"], as_of)).dropna()
    bench_prices = prices[benchmark]
    if nav.empty:
        bench_nav = pd.Series(dtype=float, name=benchmark)
    else:
        bench = bench_prices.loc[nav.index]
        first = bench.dropna()
        bench_nav = (bench / first.iloc[0]).rename(benchmark) if not first.empty else bench.rename(benchmark)
    returns = nav.pct_change(fill_method=None).iloc[1:]
    bench_returns = bench_nav.pct_change(fill_method=None).iloc[1:] if not bench_nav.empty else bench_nav
    drawdown = (nav / nav.cummax() - 1.0).rename("drawdown")

    figures = dict(metrics.summary(returns, rules.risk_free_rate, rules.periods_per_year))
    figures.update(
        psr=metrics.probabilistic_sharpe_ratio(returns) if len(returns) else math.nan,
        max_drawdown_duration=metrics.max_drawdown_duration(returns),
        beta=metrics.beta(returns, bench_returns),
        alpha=metrics.alpha(returns, bench_returns, rules.risk_free_rate, rules.periods_per_year),
        tracking_error=metrics.tracking_error(returns, bench_returns, rules.periods_per_year),
        information_ratio=metrics.information_ratio(returns, bench_returns, rules.periods_per_year),
        benchmark_return=metrics.total_return(bench_returns) if len(bench_returns) else math.nan,
        pct_positive_weeks=metrics.pct_positive_weeks(returns) if len(returns) else math.nan,
        hhi=hhi(versions[-1].weights_bp),
        annualised_turnover=portfolios.annualised_turnover(versions, as_of),
        sessions=float(len(returns)),
    )
    risk_class = metrics.srri_class(returns) if len(returns) else math.nan
    last_active = max([v.placed_date for v in versions]
                      + ([meta["confirmed_at"].date()] if pd.notna(meta["confirmed_at"]) else []))
    last_active = min(last_active, as_of)
    days = (as_of - last_active).days
    closed = _closed_by(meta["closed_on"], as_of) is not None
    holdings = portfolios.holdings_weights_at(prices, versions, as_of)
    return PortfolioReport(
        portfolio_id=int(portfolio_id), meta=meta, as_of=as_of, benchmark=benchmark,
        risk_free=rules.risk_free_rate, nav=nav.rename("nav"), benchmark_nav=bench_nav, drawdown=drawdown,
        holdings=holdings, target_bp=dict(versions[-1].weights_bp), deltas=portfolios.rebalance_deltas(versions),
        figures={k: float(v) for k, v in figures.items()}, risk_class=risk_class,
        stale=(not closed) and days > STALE_AFTER_DAYS, days_since_activity=days,
        current_version=versions[-1].version, current_placed_at=versions[-1].placed_at)


# --------------------------------------------------------------------------- copies

@dataclass(frozen=True)
class CopyParams:
    """A paper copy's settings: ``amount`` and ``min_position`` in CNY, ``fee_bps``
    basis points of every traded amount, ``delay_sessions`` extra sessions before each
    fill, ``stop_loss`` fraction of ``amount`` (0.4 = close the copy after a 40 % loss;
    None = no stop)."""

    amount: Decimal
    start: dt.date
    fee_bps: int = 10
    delay_sessions: int = 1
    min_position: Decimal = Decimal("0")
    stop_loss: float | None = 0.4


def copy_simulation(store: Store, provider, portfolio_id: int, params: CopyParams, *,  # type: ignore[no-untyped-def]
                    viewer_id: int | None = None, as_of: dt.date | None = None) -> CopyResult:
    """Paper-copy a portfolio the viewer may see (``copying.simulate_copy``) on the
    aligned XSHG session prices up to ``as_of``."""
    meta = visible_meta(store, portfolio_id, viewer_id)
    versions = _versions(store, portfolio_id, as_of)
    if not versions:
        raise ValidationError(f"portfolio {portfolio_id} has no versions to copy")
    codes = {c for v in versions for c in v.weights_bp if c != CASH}
    prices = session_prices(provider, codes, as_of)
    closed = _closed_by(meta["closed_on"], as_of or prices.index[-1].date())
    if closed is not None:
        prices = prices.loc[prices.index <= pd.Timestamp(closed)]
    return simulate_copy(prices, versions, params.amount, params.start, params.fee_bps, params.delay_sessions,
                         params.min_position, params.stop_loss)


def save_copy(store: Store, actor_user_id: int, portfolio_id: int, params: CopyParams) -> int:
    """Store a paper copy for ``actor_user_id``; returns its id. One write path for copies:
    ``copies.record_copy`` (permissions, and the copy points at the leader version in force
    on ``params.start``, so it always refers to an existing version)."""
    if params.stop_loss is not None and not 0 < params.stop_loss < 1:
        raise ValidationError(f"copy stop-loss must be between 0 and 1, got {params.stop_loss}")
    return copies.record_copy(
        store, actor_user_id, portfolio_id, amount_cny=params.amount, fee_bps=int(params.fee_bps),
        delay_sessions=int(params.delay_sessions), min_position_cny=params.min_position,
        # stored in percent, like the demo data
        stop_loss_pct=None if params.stop_loss is None else float(params.stop_loss) * 100,
        started_on=params.start)


@dataclass(frozen=True)
class SavedCopy:
    copy_id: int
    portfolio_id: int
    portfolio_name: str
    version_id: int | None
    params: CopyParams
    created_at: dt.datetime


def list_copies(store: Store, actor_user_id: int) -> list[SavedCopy]:
    """The actor's own saved copies, newest first (never anyone else's).
    ``stop_loss_pct`` is stored in percent (as in the demo data), returned as a fraction."""
    c, p = schema.copies, schema.portfolios
    with store.read() as conn:
        rows = conn.execute(select(c.c.id, c.c.portfolio_id, p.c.name, c.c.version_id, c.c.started_on, c.c.amount_fen,
                                   c.c.fee_bps, c.c.delay_sessions, c.c.min_position_fen, c.c.stop_loss_pct,
                                   c.c.created_at)
                            .join(p, p.c.id == c.c.portfolio_id)
                            .where(c.c.user_id == int(actor_user_id)).order_by(c.c.id.desc())).all()
    return [SavedCopy(int(r[0]), int(r[1]), r[2], r[3], CopyParams(
        amount=Decimal(int(r[5])) / 100, start=r[4], fee_bps=int(r[6]), delay_sessions=int(r[7]),
        min_position=Decimal(int(r[8])) / 100, stop_loss=None if r[9] is None else float(r[9]) / 100), r[10])
        for r in rows]
