"""Services of socialfund.services.ranking over the demo store: visibility, closed portfolios,
no look-ahead, price alignment, saved copies."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import numpy as np
import pandas as pd
import pytest
from sqlalchemy import select

from socialfund.store import community

from socialfund.market import sessions as market_sessions
from socialfund.services import ranking
from socialfund.core.errors import NotFoundError, PermissionDenied, ValidationError
from socialfund.market.providers import DemoProvider, PriceData
from socialfund.store import schema
from socialfund.store.users import get_or_create_user


@pytest.fixture(scope="module")
def provider() -> DemoProvider:
    return DemoProvider()


@pytest.fixture(scope="module")
def meta(demo_store) -> pd.DataFrame:  # type: ignore[no-untyped-def]
    return community.portfolio_meta(demo_store)


@pytest.fixture(scope="module")
def inputs(demo_store, provider) -> ranking.CommunityNav:  # type: ignore[no-untyped-def]
    return ranking.community_nav(demo_store, provider)


def test_private_and_unlisted_portfolios_never_reach_the_leaderboard(demo_store, provider, meta, inputs) -> None:  # type: ignore[no-untyped-def]
    hidden = set(meta.loc[meta["visibility"] != "public", "portfolio_id"])
    assert len(hidden) >= 10, "the demo data should have private and unlisted portfolios"
    assert hidden.isdisjoint(inputs.nav.columns)
    assert hidden.isdisjoint(inputs.meta["portfolio_id"])
    for window in ranking.WINDOWS:
        table = ranking.leaderboard_table(demo_store, provider, window, include_closed=True, inputs=inputs)
        assert len(table) > 20
        assert hidden.isdisjoint(table["portfolio_id"]), window


def test_closed_portfolios_are_listed_only_when_asked_but_always_screened(demo_store, provider, inputs) -> None:  # type: ignore[no-untyped-def]
    default = ranking.leaderboard_table(demo_store, provider, "all", inputs=inputs)
    with_closed = ranking.leaderboard_table(demo_store, provider, "all", include_closed=True, inputs=inputs)
    assert not default["closed"].any()
    assert with_closed["closed"].sum() > 0
    assert default.attrs["screen_summary"].n_screened == with_closed.attrs["screen_summary"].n_screened
    assert list(with_closed["rank"]) == list(range(1, len(with_closed) + 1))


def test_default_order_is_by_deflated_sharpe_and_other_sorts_work(demo_store, provider, inputs) -> None:  # type: ignore[no-untyped-def]
    table = ranking.leaderboard_table(demo_store, provider, "1Y", inputs=inputs)
    dsr = table["dsr"].to_numpy(dtype=float)
    assert np.all(np.diff(dsr[np.isfinite(dsr)]) <= 1e-15)
    calmar = ranking.leaderboard_table(demo_store, provider, "all", sort_by="calmar", inputs=inputs)
    values = calmar["calmar"].to_numpy(dtype=float)
    finite = values[np.isfinite(values)]
    assert finite.size > 10 and np.all(np.diff(finite) <= 1e-12)
    with pytest.raises(ValidationError):
        ranking.leaderboard_table(demo_store, provider, "1Y", sort_by="followers", inputs=inputs)


def test_filters_hide_rows_without_changing_ranks(demo_store, provider, inputs) -> None:  # type: ignore[no-untyped-def]
    full = ranking.leaderboard_table(demo_store, provider, "1Y", inputs=inputs)
    risky = ranking.leaderboard_table(demo_store, provider, "1Y", risk_classes=[6, 7], min_track_sessions=300,
                                      inputs=inputs)
    assert 0 < len(risky) < len(full)
    assert set(risky["risk_class"]) <= {6, 7}
    assert (risky["track_sessions"] >= 300).all()
    ranks = dict(zip(full["portfolio_id"], full["rank"]))
    assert all(ranks[p] == r for p, r in zip(risky["portfolio_id"], risky["rank"]))


class _FutureChanged:
    """The demo prices with everything after ``cutoff`` replaced by noise."""

    def __init__(self, base: DemoProvider, cutoff: dt.date) -> None:
        self.base, self.cutoff = base, pd.Timestamp(cutoff)

    def universe(self):  # type: ignore[no-untyped-def]
        return self.base.universe()

    def closes(self, codes=None, start=None, end=None) -> PriceData:  # type: ignore[no-untyped-def]
        frame = self.base.closes(codes, start, end).closes.copy()
        later = frame.index > self.cutoff
        rng = np.random.default_rng(1)
        frame.loc[later] = frame.loc[later] * rng.uniform(0.5, 1.5, size=frame.loc[later].shape)
        return PriceData(frame)


def test_no_look_ahead_prices_after_as_of_do_not_change_the_ranking(demo_store, provider) -> None:  # type: ignore[no-untyped-def]
    as_of = dt.date(2026, 3, 31)
    real = ranking.leaderboard_table(demo_store, provider, "6M", as_of=as_of)
    changed = ranking.leaderboard_table(demo_store, _FutureChanged(provider, as_of), "6M", as_of=as_of)
    assert len(real) > 20
    assert real.attrs["as_of"] == as_of
    pd.testing.assert_frame_equal(real, changed)
    # and the future really would change a ranking computed on it
    later = ranking.leaderboard_table(demo_store, _FutureChanged(provider, as_of), "6M")
    assert not later[["portfolio_id", "dsr"]].equals(real[["portfolio_id", "dsr"]])


def test_us_closes_align_to_the_last_close_strictly_before_each_shanghai_session() -> None:
    idx = pd.DatetimeIndex(["2026-01-05", "2026-01-06", "2026-01-07", "2026-01-08"])
    closes = pd.DataFrame({"CN": [1.0, np.nan, 1.2, 1.3], "US": [10.0, 11.0, np.nan, 13.0]}, index=idx)
    sessions = pd.DatetimeIndex(["2026-01-05", "2026-01-06", "2026-01-07", "2026-01-08"])
    out = market_sessions.align_to_sessions(closes, sessions, {"CN": "XSHG", "US": "XNYS"})
    assert np.isnan(out["CN"].iloc[1])            # a CN gap stays a gap
    assert np.isnan(out["US"].iloc[0])            # no US close before the first session
    assert list(out["US"].iloc[1:]) == [10.0, 11.0, 11.0]  # the previous US close, never the same day's


def test_portfolio_report_uses_the_library_metrics_and_hides_private(demo_store, provider, meta) -> None:  # type: ignore[no-untyped-def]
    pid = int(meta.loc[meta["visibility"] == "public", "portfolio_id"].iloc[0])
    report = ranking.portfolio_report(demo_store, provider, pid, rf=0.015)
    assert report.nav.iloc[0] == pytest.approx(1.0)
    assert report.benchmark_nav.dropna().iloc[0] == pytest.approx(1.0)
    assert report.figures["max_drawdown"] == pytest.approx(report.drawdown.min())
    assert sum(report.holdings.values()) == pytest.approx(1.0)
    assert 1 <= report.risk_class <= 7
    private = meta.loc[meta["visibility"] == "private"].iloc[0]
    with pytest.raises(NotFoundError, match=f"portfolio {int(private['portfolio_id'])} not found"):
        ranking.portfolio_report(demo_store, provider, int(private["portfolio_id"]))
    own = ranking.portfolio_report(demo_store, provider, int(private["portfolio_id"]), viewer_id=int(private["owner_id"]))
    assert own.portfolio_id == int(private["portfolio_id"])


def _params(start: dt.date) -> ranking.CopyParams:
    return ranking.CopyParams(amount=Decimal("50000"), start=start, fee_bps=5, delay_sessions=1,
                              min_position=Decimal("500"), stop_loss=0.3)


def test_save_copy_points_at_the_version_in_force_on_the_start_date(demo_store, meta) -> None:  # type: ignore[no-untyped-def]
    user = get_or_create_user(demo_store, "local:test-ranking-copier", "copier")
    pid = int(meta.loc[(meta["visibility"] == "public") & (meta["versions"] >= 3), "portfolio_id"].iloc[0])
    versions = community.versions_by_portfolio(demo_store, [pid])[pid]
    start = versions[1].placed_date + dt.timedelta(days=1)
    if len(versions) > 2:
        assert versions[2].placed_date > start or versions[2].placed_date == start
    copy_id = ranking.save_copy(demo_store, user, pid, _params(start))
    v, c = schema.portfolio_versions, schema.copies
    with demo_store.read() as conn:
        version_id = conn.execute(select(c.c.version_id).where(c.c.id == copy_id)).scalar_one()
        row = conn.execute(select(v.c.portfolio_id, v.c.version).where(v.c.id == version_id)).one()
    expected = max(x.version for x in versions if x.placed_date <= start)
    assert (row.portfolio_id, row.version) == (pid, expected)
    with pytest.raises(ValidationError):
        ranking.save_copy(demo_store, user, pid, _params(versions[0].placed_date - dt.timedelta(days=1)))
    with pytest.raises(PermissionDenied):
        ranking.save_copy(demo_store, None, pid, _params(start))  # type: ignore[arg-type]
    private = meta.loc[(meta["visibility"] == "private") & (meta["owner_id"] != user), "portfolio_id"].iloc[0]
    with pytest.raises(NotFoundError):
        ranking.save_copy(demo_store, user, int(private), _params(start))


def test_list_copies_returns_only_the_actors_own(demo_store, meta) -> None:  # type: ignore[no-untyped-def]
    alice = get_or_create_user(demo_store, "local:test-ranking-alice", "alice")
    bob = get_or_create_user(demo_store, "local:test-ranking-bob", "bob")
    pid = int(meta.loc[meta["visibility"] == "public", "portfolio_id"].iloc[0])
    start = community.versions_by_portfolio(demo_store, [pid])[pid][0].placed_date + dt.timedelta(days=30)
    a1 = ranking.save_copy(demo_store, alice, pid, _params(start))
    a2 = ranking.save_copy(demo_store, alice, pid, _params(start + dt.timedelta(days=7)))
    b1 = ranking.save_copy(demo_store, bob, pid, _params(start))
    mine = ranking.list_copies(demo_store, alice)
    assert [c.copy_id for c in mine] == [a2, a1]
    assert b1 not in {c.copy_id for c in mine}
    assert mine[0].params.stop_loss == pytest.approx(0.3)
    assert mine[0].params.amount == Decimal("50000")
    assert all(c.version_id is not None for c in mine)


def test_copy_without_fee_or_delay_earns_the_leaders_return(demo_store, provider, meta) -> None:  # type: ignore[no-untyped-def]
    pid = int(meta.loc[meta["visibility"] == "public", "portfolio_id"].iloc[1])
    start = community.versions_by_portfolio(demo_store, [pid])[pid][0].placed_date + dt.timedelta(days=60)
    free = ranking.CopyParams(Decimal("100000"), start, 0, 0, Decimal("0"), None)
    result = ranking.copy_simulation(demo_store, provider, pid, free)
    assert result.copier_return == pytest.approx(result.leader_return, abs=1e-6)
    costly = ranking.copy_simulation(demo_store, provider, pid, ranking.CopyParams(Decimal("100000"), start, 30, 2,
                                                                                  Decimal("0"), None))
    assert costly.fees_paid > 0


def test_a_deleted_public_portfolio_stays_in_the_record_as_closed(tmp_path, provider) -> None:  # type: ignore[no-untyped-def]
    """Survivorship: deleting a public portfolio does not shrink the number screened."""
    from socialfund.store import open_store
    from socialfund.store.demo import ensure_demo
    from socialfund.core.timeutil import utcnow

    store = open_store(f"sqlite:///{tmp_path / 'del.db'}")
    ensure_demo(store)
    before = ranking.leaderboard_table(store, provider, "all", include_closed=True)
    victim = int(before.loc[~before["closed"], "portfolio_id"].iloc[0])
    with store.write() as conn:
        conn.execute(schema.portfolios.update().where(schema.portfolios.c.id == victim).values(deleted_at=utcnow()))
    after = ranking.leaderboard_table(store, provider, "all", include_closed=True)
    assert after.attrs["screen_summary"].n_screened == before.attrs["screen_summary"].n_screened
    assert bool(after.loc[after["portfolio_id"] == victim, "closed"].iloc[0])
    assert victim not in set(ranking.leaderboard_table(store, provider, "all")["portfolio_id"])
