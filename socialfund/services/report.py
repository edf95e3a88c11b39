"""The portfolio report as a service over the store: one portfolio the viewer may see,
its NAV against a benchmark, drawdown, holdings, rebalances and every metric
(``portfolio_report``), as the portfolio page shows it.

Wiring only: versions and prices are loaded here, put on the XSHG session axis
(``socialfund.market.sessions``) and handed to ``socialfund.portfolios`` (NAV, holdings,
turnover) and ``socialfund.core`` metrics, relative_metrics and sharpe_inference (every figure), so each number is computed one
way only. Visibility as in ``services.portfolio_data``.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass
from typing import Any

import pandas as pd

from socialfund import portfolios
from socialfund.core import metrics, ranking_rules, relative_metrics, sharpe_inference
from socialfund.core.errors import SocialFundError
from socialfund.core.weights import CASH, hhi
from socialfund.market.providers import PriceProvider
from socialfund.market.sessions import DEFAULT_BENCHMARK, session_prices
from socialfund.services.leaderboard import leaderboard_rules
from socialfund.services.portfolio_data import closed_by, latest_session, versions_until, visible_meta
from socialfund.store import Store

#: A portfolio not rebalanced or confirmed for this many calendar days is flagged stale
#: (the same number as the leaderboard's activity gate).
STALE_AFTER_DAYS = ranking_rules.LeaderboardRules().max_days_since_rebalance


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
    meta: dict[str, Any]
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


def portfolio_report(store: Store, provider: PriceProvider, portfolio_id: int, benchmark: str = DEFAULT_BENCHMARK,
                     rf: float | None = None, *, viewer_id: int | None = None,
                     as_of: dt.date | None = None) -> PortfolioReport:
    """NAV vs benchmark, drawdown, holdings, rebalances and every metric of one
    portfolio the viewer may see (``NotFoundError`` otherwise; ``NoNavYet`` when no
    version was placed by ``as_of``). ``rf``: annual risk-free rate (default: settings)."""
    rules = leaderboard_rules(rf)
    meta = visible_meta(store, portfolio_id, viewer_id)
    as_of = as_of or latest_session(provider, DEFAULT_BENCHMARK)
    versions = versions_until(store, portfolio_id, as_of)
    if not versions:
        raise NoNavYet(portfolio_id, as_of)
    codes = {c for v in versions for c in v.weights_bp if c != CASH} | {benchmark}
    prices = session_prices(provider, codes, as_of)
    nav = portfolios.nav_series(prices, versions, closed_by(meta["closed_on"], as_of)).dropna()
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
        # on the same excess returns as the Sharpe above, so PSR > 0.5 exactly when Sharpe > 0
        psr=sharpe_inference.probabilistic_sharpe_ratio(
            returns - metrics.risk_free_per_period(rules.risk_free_rate, rules.periods_per_year))
        if len(returns) else math.nan,
        max_drawdown_duration=metrics.max_drawdown_duration(returns),
        beta=relative_metrics.beta(returns, bench_returns),
        alpha=relative_metrics.alpha(returns, bench_returns, rules.risk_free_rate, rules.periods_per_year),
        tracking_error=relative_metrics.tracking_error(returns, bench_returns, rules.periods_per_year),
        information_ratio=relative_metrics.information_ratio(returns, bench_returns, rules.periods_per_year),
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
    closed = closed_by(meta["closed_on"], as_of) is not None
    holdings = portfolios.holdings_weights_at(prices, versions, as_of)
    return PortfolioReport(
        portfolio_id=int(portfolio_id), meta=meta, as_of=as_of, benchmark=benchmark,
        risk_free=rules.risk_free_rate, nav=nav.rename("nav"), benchmark_nav=bench_nav, drawdown=drawdown,
        holdings=holdings, target_bp=dict(versions[-1].weights_bp), deltas=portfolios.rebalance_deltas(versions),
        figures={k: float(v) for k, v in figures.items()}, risk_class=risk_class,
        stale=(not closed) and days > STALE_AFTER_DAYS, days_since_activity=days,
        current_version=versions[-1].version, current_placed_at=versions[-1].placed_at)
