"""socialfund.services.copies over the demo store: saved copies point at the version in
force, only the actor's own are listed, a free copy earns the leader's return."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from sqlalchemy import select

from socialfund.copying import CopyParams
from socialfund.core.errors import NotFoundError, PermissionDenied, ValidationError
from socialfund.services import copies
from socialfund.store import community, schema
from socialfund.store.users import get_or_create_user


def _params(start: dt.date) -> CopyParams:
    return CopyParams(amount=Decimal("50000"), start=start, fee_bps=5, delay_sessions=1,
                      min_position=Decimal("500"), stop_loss=0.3)


def test_save_copy_points_at_the_version_in_force_on_the_start_date(demo_store, meta) -> None:  # type: ignore[no-untyped-def]
    user = get_or_create_user(demo_store, "local:test-ranking-copier", "copier")
    pid = int(meta.loc[(meta["visibility"] == "public") & (meta["versions"] >= 3), "portfolio_id"].iloc[0])
    versions = community.versions_by_portfolio(demo_store, [pid])[pid]
    start = versions[1].placed_date + dt.timedelta(days=1)
    if len(versions) > 2:
        assert versions[2].placed_date > start or versions[2].placed_date == start
    copy_id = copies.save_copy(demo_store, user, pid, _params(start))
    v, c = schema.portfolio_versions, schema.copies
    with demo_store.read() as conn:
        version_id = conn.execute(select(c.c.version_id).where(c.c.id == copy_id)).scalar_one()
        row = conn.execute(select(v.c.portfolio_id, v.c.version).where(v.c.id == version_id)).one()
    expected = max(x.version for x in versions if x.placed_date <= start)
    assert (row.portfolio_id, row.version) == (pid, expected)
    with pytest.raises(ValidationError):
        copies.save_copy(demo_store, user, pid, _params(versions[0].placed_date - dt.timedelta(days=1)))
    with pytest.raises(PermissionDenied):
        copies.save_copy(demo_store, None, pid, _params(start))  # type: ignore[arg-type]
    private = meta.loc[(meta["visibility"] == "private") & (meta["owner_id"] != user), "portfolio_id"].iloc[0]
    with pytest.raises(NotFoundError):
        copies.save_copy(demo_store, user, int(private), _params(start))


def test_list_copies_returns_only_the_actors_own(demo_store, meta) -> None:  # type: ignore[no-untyped-def]
    alice = get_or_create_user(demo_store, "local:test-ranking-alice", "alice")
    bob = get_or_create_user(demo_store, "local:test-ranking-bob", "bob")
    pid = int(meta.loc[meta["visibility"] == "public", "portfolio_id"].iloc[0])
    start = community.versions_by_portfolio(demo_store, [pid])[pid][0].placed_date + dt.timedelta(days=30)
    a1 = copies.save_copy(demo_store, alice, pid, _params(start))
    a2 = copies.save_copy(demo_store, alice, pid, _params(start + dt.timedelta(days=7)))
    b1 = copies.save_copy(demo_store, bob, pid, _params(start))
    mine = copies.list_copies(demo_store, alice)
    assert [c.copy_id for c in mine] == [a2, a1]
    assert b1 not in {c.copy_id for c in mine}
    assert mine[0].params.stop_loss == pytest.approx(0.3)
    assert mine[0].params.amount == Decimal("50000")
    assert all(c.version_id is not None for c in mine)


def test_copy_without_fee_or_delay_earns_the_leaders_return(demo_store, provider, meta) -> None:  # type: ignore[no-untyped-def]
    pid = int(meta.loc[meta["visibility"] == "public", "portfolio_id"].iloc[1])
    start = community.versions_by_portfolio(demo_store, [pid])[pid][0].placed_date + dt.timedelta(days=60)
    free = CopyParams(Decimal("100000"), start, 0, 0, Decimal("0"), None)
    result = copies.copy_simulation(demo_store, provider, pid, free)
    assert result.copier_return == pytest.approx(result.leader_return, abs=1e-6)
    costly = copies.copy_simulation(demo_store, provider, pid, CopyParams(Decimal("100000"), start, 30, 2,
                                                                                Decimal("0"), None))
    assert costly.fees_paid > 0
