"""socialfund.services.report over the demo store: the library's metrics, visibility."""

from __future__ import annotations

import pytest

from socialfund.core.errors import NotFoundError
from socialfund.services.report import portfolio_report


def test_portfolio_report_uses_the_library_metrics_and_hides_private(demo_store, provider, meta) -> None:  # type: ignore[no-untyped-def]
    pid = int(meta.loc[meta["visibility"] == "public", "portfolio_id"].iloc[0])
    report = portfolio_report(demo_store, provider, pid, rf=0.015)
    assert report.nav.iloc[0] == pytest.approx(1.0)
    assert report.benchmark_nav.dropna().iloc[0] == pytest.approx(1.0)
    assert report.figures["max_drawdown"] == pytest.approx(report.drawdown.min())
    assert sum(report.holdings.values()) == pytest.approx(1.0)
    assert 1 <= report.risk_class <= 7
    private = meta.loc[meta["visibility"] == "private"].iloc[0]
    with pytest.raises(NotFoundError, match=f"portfolio {int(private['portfolio_id'])} not found"):
        portfolio_report(demo_store, provider, int(private["portfolio_id"]))
    own = portfolio_report(demo_store, provider, int(private["portfolio_id"]), viewer_id=int(private["owner_id"]))
    assert own.portfolio_id == int(private["portfolio_id"])


def test_portfolio_report_psr_is_on_the_same_excess_returns_as_its_sharpe(demo_store, provider, meta) -> None:  # type: ignore[no-untyped-def]
    """Issue 18.2: the report's PSR is the probability that the true Sharpe of the excess return
    over its stated risk-free rate is above 0 (it used raw returns while the Sharpe used rf)."""
    from socialfund.core.metrics import risk_free_per_period
    from socialfund.core.sharpe_inference import probabilistic_sharpe_ratio

    public = meta.loc[meta["visibility"] == "public", "portfolio_id"].head(8)
    for pid in public:
        report = portfolio_report(demo_store, provider, int(pid), rf=0.04)
        returns = report.nav.pct_change().iloc[1:]
        assert report.figures["psr"] == pytest.approx(probabilistic_sharpe_ratio(returns - risk_free_per_period(0.04)),
                                                      rel=1e-12)
        assert (report.figures["sharpe"] > 0) == (report.figures["psr"] > 0.5), pid
