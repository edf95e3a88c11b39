"""Sharing (socialfund.services: access, portfolio_crud, snapshots, follows, copies): the permission matrix, weights entry, snapshots,
share tokens, follows, feed and paper copies — each test on its own copy of a fresh store."""

from __future__ import annotations

import hashlib
import json
import shutil
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import select, text

from socialfund.store import community

from socialfund.services import access, follows, portfolio_crud, snapshots
from socialfund.services.copies import record_copy
from socialfund.core.snapshot import SnapshotPayload
from socialfund.core.errors import NotFoundError, PermissionDenied, ValidationError
from socialfund.core.weights import WeightsSumError
from socialfund.market.providers import DemoProvider
from socialfund.market.sessions import session_prices
from socialfund.market.search import search_instruments
from socialfund.store import open_store, schema
from socialfund.store.demo import ensure_demo
from socialfund.store.users import get_or_create_user

PAST = datetime(2025, 6, 2, 2, 0)        # naive UTC: portfolios created here have a NAV history
NOW = datetime(2026, 11, 24, 4, 0)
LATER = NOW + timedelta(days=2)
WEIGHTS = {"510300.SS": "40%", "159915.SZ": 35, "CASH": Decimal("25")}


@dataclass
class World:
    store: object
    owner: int
    other: int
    ids: dict[str, int]          # visibility -> portfolio id (owned by owner)
    tokens: dict[str, str]       # 'valid' | 'revoked' | 'expired' -> token of a snapshot of the private portfolio
    public_token: str            # valid token of a snapshot of the public portfolio
    demo_id: int                 # a demo community portfolio


@pytest.fixture(scope="module")
def prices():  # type: ignore[no-untyped-def]
    # on the XSHG session axis, as for every NAV (the snapshot form's prices: app.resources.session_closes)
    return session_prices(DemoProvider())


@pytest.fixture(scope="module")
def template(tmp_path_factory, prices) -> tuple[Path, dict]:  # type: ignore[no-untyped-def]
    """Build the world once; each test gets a copy of the database file."""
    path = tmp_path_factory.mktemp("sharing") / "template.db"
    store = open_store(f"sqlite:///{path}")
    ensure_demo(store)
    owner = get_or_create_user(store, "local:owner", "Owner")
    other = get_or_create_user(store, "local:other", "Other")
    ids = {vis: portfolio_crud.create_portfolio(store, owner, f"组合 {vis}", WEIGHTS, visibility=vis, now=PAST)
           for vis in access.VISIBILITIES}
    tokens = {}
    for state in ("valid", "revoked", "expired"):
        created = snapshots.create_snapshot(store, owner, ids["private"], prices, visibility="unlisted",
                                            expires_at=NOW + timedelta(days=1) if state == "expired" else None,
                                            now=NOW - timedelta(hours=1))
        tokens[state] = created.token
        if state == "revoked":
            snapshots.revoke_snapshot(store, owner, created.info.id, now=NOW - timedelta(minutes=30))
    public_token = snapshots.create_snapshot(store, owner, ids["public"], prices, now=NOW - timedelta(hours=1)).token
    with store.read() as conn:
        demo_id = conn.execute(select(schema.portfolios.c.id).where(
            schema.portfolios.c.is_demo.is_(True), schema.portfolios.c.visibility == "public")).scalars().first()
    store.dispose()
    return path, {"owner": owner, "other": other, "ids": ids, "tokens": tokens, "public_token": public_token,
                  "demo_id": demo_id}


@pytest.fixture()
def world(template, tmp_path) -> World:  # type: ignore[no-untyped-def]
    path, facts = template
    copy = tmp_path / "x.db"
    shutil.copy(path, copy)
    return World(open_store(f"sqlite:///{copy}"), **facts)


ACTORS = ("owner", "other", "anonymous")


def _actor(w: World, who: str) -> int | None:
    return {"owner": w.owner, "other": w.other, "anonymous": None}[who]


def _outcome(fn) -> str:  # type: ignore[no-untyped-def]
    try:
        fn()
    except NotFoundError:
        return "notfound"
    except PermissionDenied:
        return "denied"
    return "ok"


# expected[(actor, visibility)] = (view, edit, delete, copy, export)
EXPECTED = {
    ("owner", "public"): ("ok", "ok", "ok", "ok", "ok"),
    ("owner", "unlisted"): ("ok", "ok", "ok", "ok", "ok"),
    ("owner", "private"): ("ok", "ok", "ok", "ok", "ok"),
    ("other", "public"): ("ok", "denied", "denied", "ok", "ok"),
    ("other", "unlisted"): ("ok", "denied", "denied", "ok", "ok"),
    ("other", "private"): ("notfound", "notfound", "notfound", "notfound", "notfound"),
    ("anonymous", "public"): ("ok", "denied", "denied", "denied", "ok"),
    ("anonymous", "unlisted"): ("ok", "denied", "denied", "denied", "ok"),
    ("anonymous", "private"): ("notfound", "notfound", "notfound", "denied", "notfound"),
}
OPS = ("view", "edit", "delete", "copy", "export")


@pytest.mark.parametrize("op", OPS)
@pytest.mark.parametrize("visibility", access.VISIBILITIES)
@pytest.mark.parametrize("who", ACTORS)
def test_permission_matrix_by_id(world: World, who: str, visibility: str, op: str) -> None:
    w, actor, pid = world, _actor(world, who), world.ids[visibility]
    calls = {
        "view": lambda: portfolio_crud.get_portfolio(w.store, actor, pid),
        "edit": lambda: portfolio_crud.rebalance(w.store, actor, pid, {"CASH": 100}, "all cash", now=NOW),
        "delete": lambda: portfolio_crud.delete_portfolio(w.store, actor, pid, now=NOW),
        "copy": lambda: record_copy(w.store, actor, pid, amount_cny=10_000, now=NOW),
        "export": lambda: portfolio_crud.export_weights(w.store, actor, pid),
    }
    # the boolean helpers say the same as the calls
    assert access.can_view(w.store, actor, pid) == (EXPECTED[(who, visibility)][0] == "ok")
    assert access.can_edit(w.store, actor, pid) == (who == "owner")
    assert access.can_copy(w.store, actor, pid) == (EXPECTED[(who, visibility)][3] == "ok")
    before = _portfolio_state(w, pid)
    outcome = _outcome(calls[op])
    assert outcome == EXPECTED[(who, visibility)][OPS.index(op)]
    if outcome != "ok" or op in ("view", "export"):
        assert _portfolio_state(w, pid) == before, "a refused or read-only call changed the store"


def _portfolio_state(w: World, pid: int) -> tuple:
    with w.store.read() as conn:
        row = conn.execute(select(schema.portfolios).where(schema.portfolios.c.id == pid)).first()
        versions = conn.execute(text("SELECT count(*) FROM portfolio_versions WHERE portfolio_id = :p"),
                                {"p": pid}).scalar()
        copies = conn.execute(text("SELECT count(*) FROM copies WHERE portfolio_id = :p"), {"p": pid}).scalar()
    return tuple(row), versions, copies


@pytest.mark.parametrize("visibility", access.VISIBILITIES)
@pytest.mark.parametrize("who", ACTORS)
def test_public_surfaces_show_only_public_portfolios(world: World, who: str, visibility: str) -> None:
    """Leaderboard (community.public_only), search, other users' lists and feeds."""
    w, actor, pid = world, _actor(world, who), world.ids[visibility]
    on_leaderboard = pid in set(community.public_only(community.portfolio_meta(w.store))["portfolio_id"])
    assert on_leaderboard == (visibility == "public")
    in_search = pid in set(portfolio_crud.search_portfolios(w.store, actor, f"组合 {visibility}")["portfolio_id"])
    in_list = pid in set(portfolio_crud.user_portfolios(w.store, actor, w.owner)["portfolio_id"])
    assert in_search == in_list == (visibility == "public" or who == "owner")
    # followers' feeds: only public portfolios can be followed, and a feed never shows a private one
    if actor is not None and visibility == "public":
        follows.follow(w.store, actor, pid, now=NOW)
        portfolio_crud.set_visibility(w.store, w.owner, pid, "private")
        in_feed = any(item.portfolio_id == pid for item in follows.feed(w.store, actor))
        assert in_feed == (who == "owner")


def test_other_users_private_portfolio_answers_exactly_like_a_missing_id(world: World) -> None:
    missing = 987_654
    pid = world.ids["private"]
    with pytest.raises(NotFoundError) as private_exc:
        portfolio_crud.get_portfolio(world.store, world.other, pid)
    with pytest.raises(NotFoundError) as missing_exc:
        portfolio_crud.get_portfolio(world.store, world.other, missing)
    assert str(private_exc.value).replace(str(pid), "N") == str(missing_exc.value).replace(str(missing), "N")
    assert access.can_view(world.store, world.other, pid) is access.can_view(world.store, world.other, missing)


@pytest.mark.parametrize("state", ["valid", "revoked", "expired", "unknown"])
def test_share_token_matrix(world: World, state: str) -> None:
    """view read-only with a valid token; nothing with a revoked, expired or unknown one; no
    edit, export or leaderboard through any token; copy of a private portfolio refused."""
    token = world.tokens.get(state, "x" * 43)  # "expired" expires at NOW + 1 day
    pid = world.ids["private"]
    if state == "valid":
        view = snapshots.open_snapshot(world.store, token, now=LATER)
        assert view.portfolio_id == pid and dict(view.payload.weights_bp) == {"159915.SZ": 3500, "510300.SS": 4000,
                                                                           "CASH": 2500}
        with pytest.raises(PermissionDenied):  # valid link, but the portfolio is private
            record_copy(world.store, world.other, token=token, amount_cny=1000, now=LATER)
    else:
        with pytest.raises(NotFoundError) as exc:
            snapshots.open_snapshot(world.store, token, now=LATER)
        assert str(exc.value) == snapshots.INVALID_LINK
        with pytest.raises(NotFoundError):
            record_copy(world.store, world.other, token=token, amount_cny=1000, now=LATER)
    # a token holder is anonymous everywhere else: no edit, no delete, no export, no listing
    for call in (lambda: portfolio_crud.rebalance(world.store, None, pid, {"CASH": 100}),
                 lambda: portfolio_crud.delete_portfolio(world.store, None, pid),
                 lambda: portfolio_crud.export_weights(world.store, None, pid)):
        with pytest.raises(NotFoundError):
            call()
    assert pid not in set(community.public_only(community.portfolio_meta(world.store))["portfolio_id"])


def test_valid_link_to_a_public_portfolio_allows_a_copy_pointing_at_its_version(world: World) -> None:
    cid = record_copy(world.store, world.other, token=world.public_token, amount_cny=5000, now=NOW)
    with world.store.read() as conn:
        row = conn.execute(select(schema.copies).where(schema.copies.c.id == cid)).mappings().one()
        version = conn.execute(select(schema.portfolio_versions).where(
            schema.portfolio_versions.c.id == row["version_id"])).mappings().one()
    assert row["portfolio_id"] == world.ids["public"] and version["portfolio_id"] == world.ids["public"]
    assert row["amount_fen"] == 500_000


def test_token_is_stored_only_as_its_sha256(world: World) -> None:
    token = world.tokens["valid"]
    assert len(token) >= 43
    with world.store.read() as conn:
        dump = "\n".join(str(r) for r in conn.execute(select(schema.snapshots)).all())
    assert token not in dump
    assert hashlib.sha256(token.encode()).hexdigest() in dump
    with pytest.raises(NotFoundError):
        snapshots.open_snapshot(world.store, token[:-1] + ("A" if token[-1] != "A" else "B"), now=NOW)


def test_expiry_is_checked_at_open_time(world: World) -> None:
    token = world.tokens["expired"]            # expires at NOW + 1 day
    assert snapshots.open_snapshot(world.store, token, now=NOW).id > 0
    with pytest.raises(NotFoundError):
        snapshots.open_snapshot(world.store, token, now=NOW + timedelta(days=1))


def test_demo_portfolios_are_read_only_for_everybody(world: World) -> None:
    pid = world.demo_id
    info = portfolio_crud.get_portfolio(world.store, world.owner, pid)
    with pytest.raises(PermissionDenied):
        portfolio_crud.rebalance(world.store, info.owner_id, pid, {"CASH": 100})
    for who in (world.owner, world.other):
        for call in (portfolio_crud.confirm, portfolio_crud.close, portfolio_crud.delete_portfolio):
            with pytest.raises(PermissionDenied):
                call(world.store, who, pid)
    with pytest.raises(PermissionDenied):
        portfolio_crud.create_portfolio(world.store, info.owner_id, "demo user's own", {"CASH": 100})


@pytest.mark.parametrize("weights, message", [
    ({"510300.SS": 70}, "add up to 70%"),
    ({"510300.SS": 80, "CASH": 50}, "add up to 130%"),
    ({"510300.SS": 0.35, "CASH": 0.65}, "add up to 1%"),
])
def test_weights_not_adding_to_100_are_rejected_with_normalise_offered(world: World, weights, message) -> None:
    with pytest.raises(WeightsSumError) as exc:
        portfolio_crud.create_portfolio(world.store, world.owner, "bad", weights)
    assert message in str(exc.value) and "normalise" in str(exc.value)


@pytest.mark.parametrize("weights, message", [
    ([("510300.SS", 50), ("510300.SS", 50)], "duplicate code 510300.SS"),
    ({"510300.SS": -10, "CASH": 110}, "negative"),
    ({"NOPE.SS": 50, "CASH": 50}, "unknown code"),
    ({"510300.SS": "0,5", "CASH": 50}, "comma"),
    ({"510300.SS": "N/A", "CASH": 100}, "missing"),
    ({"510300.SS": float("nan"), "CASH": 100}, "finite"),
    ({}, "no holdings"),
])
def test_bad_weights_are_rejected_and_nothing_is_written(world: World, weights, message) -> None:
    before = len(community.portfolio_meta(world.store))
    with pytest.raises(ValidationError) as exc:
        portfolio_crud.create_portfolio(world.store, world.owner, "bad", weights)
    assert message in str(exc.value)
    assert len(community.portfolio_meta(world.store)) == before


def test_create_rebalance_confirm_close_delete_lifecycle(world: World) -> None:
    s, me = world.store, world.owner
    pid = portfolio_crud.create_portfolio(s, me, "  生命周期  ", {"510300.SS": "33.333", "512880.SS": "33.333",
                                                                "CASH": "33.334"}, note="开仓", now=PAST)
    info = portfolio_crud.get_portfolio(s, me, pid)
    assert info.name == "生命周期" and info.visibility == "private"
    assert sum(info.current_weights.values()) == 10_000
    assert portfolio_crud.rebalance(s, me, pid, {"CASH": "100%"}, "避险", now=PAST + timedelta(days=30)) == 2
    portfolio_crud.confirm(s, me, pid, now=NOW)
    assert portfolio_crud.get_portfolio(s, me, pid).confirmed_at == NOW
    portfolio_crud.close(s, me, pid, now=NOW)
    with pytest.raises(ValidationError, match="closed"):
        portfolio_crud.rebalance(s, me, pid, {"CASH": 100})
    portfolio_crud.delete_portfolio(s, me, pid, now=NOW)
    with pytest.raises(NotFoundError):
        portfolio_crud.get_portfolio(s, me, pid)
    assert pid not in {p.id for p in portfolio_crud.my_portfolios(s, me)}
    # soft delete: the history is still in the store for the survivorship-free record
    meta = community.portfolio_meta(s, [pid])
    assert len(meta) == 1 and meta["deleted_on"].notna().all()
    assert len(community.versions_by_portfolio(s, [pid])[pid]) == 2


def test_snapshot_is_immutable_weights_only_hides_amounts_and_delete_revokes(world: World, prices) -> None:
    s, me, pid = world.store, world.owner, world.ids["public"]
    full = snapshots.create_snapshot(s, me, pid, prices, weights_only=False, amount_cny=Decimal("100000"),
                                     visibility="public", is_demo_data=True, now=NOW)
    hidden = snapshots.create_snapshot(s, me, pid, prices, weights_only=True, amount_cny=Decimal("100000"), now=NOW)
    view = snapshots.open_snapshot(s, full.token, now=NOW)
    assert str(view.payload.amounts_cny["510300.SS"]) == "40000.00" and view.payload.is_demo_data is True
    assert (view.payload.metrics["volatility"] or 0) > 0
    assert view.payload.period is not None and view.payload.period.sessions > 300
    with s.read() as conn:
        raw = conn.execute(select(schema.snapshots.c.payload_json).where(
            schema.snapshots.c.id == hidden.info.id)).scalar_one()
    assert "amount" not in raw and "100000" not in raw, "a weights-only snapshot must not store amounts"
    portfolio_crud.rebalance(s, me, pid, {"CASH": 100}, now=NOW)
    assert snapshots.open_snapshot(s, full.token, now=NOW).payload.weights_bp["510300.SS"] == 4000
    private = snapshots.create_snapshot(s, me, pid, prices, visibility="private", now=NOW)
    assert private.token is None and not private.info.has_link
    # others see the active public snapshots only (unlisted and private ones stay hidden)
    others_see = {x.id for x in snapshots.list_snapshots(s, world.other, pid, now=NOW)}
    assert full.info.id in others_see
    assert private.info.id not in others_see and hidden.info.id not in others_see
    assert {x.id for x in snapshots.list_snapshots(s, me, pid, now=NOW)} >= {full.info.id, hidden.info.id, private.info.id}
    portfolio_crud.delete_portfolio(s, me, pid, now=NOW)
    with pytest.raises(NotFoundError):
        snapshots.open_snapshot(s, full.token, now=NOW)


def test_only_the_owner_can_snapshot_or_revoke(world: World, prices) -> None:
    with pytest.raises(PermissionDenied):
        snapshots.create_snapshot(world.store, world.other, world.ids["public"], prices)
    with pytest.raises(NotFoundError):
        snapshots.create_snapshot(world.store, world.other, world.ids["private"], prices)
    with world.store.read() as conn:
        sid = conn.execute(select(schema.snapshots.c.id)).scalars().first()
    with pytest.raises(NotFoundError):
        snapshots.revoke_snapshot(world.store, world.other, sid)


def test_follow_only_public_and_feed_lists_rebalances_newest_first(world: World) -> None:
    s, me, other = world.store, world.owner, world.other
    with pytest.raises(PermissionDenied):
        follows.follow(s, other, world.ids["unlisted"])
    with pytest.raises(NotFoundError):
        follows.follow(s, other, world.ids["private"])
    with pytest.raises(PermissionDenied):
        follows.follow(s, None, world.ids["public"])
    follows.follow(s, other, world.ids["public"], now=NOW)
    follows.follow(s, other, world.ids["public"], now=NOW)  # idempotent
    assert follows.is_following(s, other, world.ids["public"])
    portfolio_crud.rebalance(s, me, world.ids["public"], {"510300.SS": 60, "CASH": 40}, "加仓沪深300", now=NOW)
    items = follows.feed(s, other)
    assert [(i.version, i.note) for i in items[:2]] == [(2, "加仓沪深300"), (1, "")]
    assert ("159915.SZ", 3500, 0) in items[0].changes and ("510300.SS", 4000, 6000) in items[0].changes
    follows.unfollow(s, other, world.ids["public"])
    assert follows.feed(s, other) == [] and not follows.is_following(s, other, world.ids["public"])


@pytest.mark.parametrize("query, expected", [
    ("510300", "510300.SS"), ("沪深300", "000300.SS"), ("gold", "518880.SS"), ("ＳＰＹ", "SPY"),
    ("000001", "000001"),
])
def test_search_instruments_by_code_or_chinese_or_english_name(query: str, expected: str) -> None:
    found = [i.code for i in search_instruments(DemoProvider().universe(), query)]
    assert expected in found
    assert search_instruments(DemoProvider().universe(), "zzzz-nothing") == []


def test_snapshot_payload_round_trips_through_json(world: World) -> None:
    view = snapshots.open_snapshot(world.store, world.public_token, now=NOW)
    stored = view.payload.to_dict()
    assert json.loads(json.dumps(stored)) == stored
    assert SnapshotPayload.from_dict(json.loads(json.dumps(stored))) == view.payload
    assert len(view.payload.nav) <= snapshots.SPARKLINE_POINTS + 1
