"""Stateful property test of sharing: random sequences of create / edit / change visibility /
follow / share / revoke / copy / delete by several users, checked against a simple model.

Invariants after every step:
* no private (or unlisted, or deleted) portfolio appears on a public surface: the
  leaderboard (``community.public_only``), search, other users' lists, anybody's feed;
* every copy points at an existing version of the portfolio it copies;
* a share link opens exactly when the model says it is live (not revoked, portfolio not deleted).
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import Bundle, RuleBasedStateMachine, invariant, rule
from sqlalchemy import select

from socialfund.store import community

from socialfund.services import access, follows, portfolio_crud, snapshots
from socialfund.services.copies import record_copy
from socialfund.core.errors import NotFoundError, PermissionDenied
from socialfund.store import open_store, schema
from socialfund.store.demo import ensure_demo
from socialfund.store.users import get_or_create_user

USERS = ("ann", "bob", "cat")
CODES = ["510300.SS", "159915.SZ", "518880.SS", "CASH"]
TAG = "状态机"   # in every generated portfolio name, so search can find them


@pytest.fixture(scope="module")
def template(tmp_path_factory) -> tuple[Path, dict[str, int]]:  # type: ignore[no-untyped-def]
    path = tmp_path_factory.mktemp("state") / "template.db"
    store = open_store(f"sqlite:///{path}")
    ensure_demo(store)
    users = {u: get_or_create_user(store, f"local:{u}", u) for u in USERS}
    store.dispose()
    return path, users


weights = st.lists(st.integers(min_value=1, max_value=9), min_size=1, max_size=len(CODES)).map(
    lambda xs: {CODES[i]: x for i, x in enumerate(xs)})


def _normalised(raw: dict[str, int]) -> dict[str, str]:
    total = sum(raw.values())
    # exact percentages that add up to 100: the last code takes the rounding
    out, used = {}, 0
    items = list(raw.items())
    for code, x in items[:-1]:
        pct = round(100 * x / total, 2)
        out[code] = f"{pct:.2f}"
        used += round(pct * 100)
    out[items[-1][0]] = f"{(10_000 - used) / 100:.2f}"
    return out


def run_machine(template_path: Path, users: dict[str, int], tmp_dir: Path) -> None:
    counter = {"n": 0}

    class Sharing(RuleBasedStateMachine):
        portfolios = Bundle("portfolios")
        links = Bundle("links")

        def __init__(self) -> None:
            super().__init__()
            counter["n"] += 1
            copy = tmp_dir / f"run{counter['n']}.db"
            shutil.copy(template_path, copy)
            self.store = open_store(f"sqlite:///{copy}")
            self.model: dict[int, dict] = {}     # pid -> owner, visibility, deleted
            self.live: dict[str, int] = {}       # token -> pid, while not revoked
            self.dead: set[str] = set()

        def teardown(self) -> None:
            self.store.dispose()

        # ---- rules
        @rule(target=portfolios, owner=st.sampled_from(USERS), vis=st.sampled_from(access.VISIBILITIES), w=weights)
        def create(self, owner: str, vis: str, w: dict[str, int]) -> int:
            pid = portfolio_crud.create_portfolio(self.store, users[owner], f"{TAG} {owner}", _normalised(w), visibility=vis)
            self.model[pid] = {"owner": owner, "visibility": vis, "deleted": False}
            return pid

        @rule(pid=portfolios, who=st.sampled_from(USERS), vis=st.sampled_from(access.VISIBILITIES))
        def change_visibility(self, pid: int, who: str, vis: str) -> None:
            m = self.model[pid]
            try:
                portfolio_crud.set_visibility(self.store, users[who], pid, vis)
            except (NotFoundError, PermissionDenied):
                assert who != m["owner"] or m["deleted"]
                return
            assert who == m["owner"] and not m["deleted"]
            m["visibility"] = vis

        @rule(pid=portfolios, who=st.sampled_from(USERS), w=weights)
        def rebalance(self, pid: int, who: str, w: dict[str, int]) -> None:
            m = self.model[pid]
            try:
                portfolio_crud.rebalance(self.store, users[who], pid, _normalised(w), "调仓")
            except NotFoundError:
                assert m["deleted"] or (m["visibility"] == "private" and who != m["owner"])
                return
            except PermissionDenied:
                assert who != m["owner"]
                return
            assert who == m["owner"] and not m["deleted"]

        @rule(pid=portfolios, who=st.sampled_from(USERS))
        def follow(self, pid: int, who: str) -> None:
            m = self.model[pid]
            try:
                follows.follow(self.store, users[who], pid)
            except (NotFoundError, PermissionDenied):
                assert m["deleted"] or m["visibility"] != "public"
                return
            assert not m["deleted"] and m["visibility"] == "public"

        @rule(target=links, pid=portfolios, who=st.sampled_from(USERS), weights_only=st.booleans())
        def share(self, pid: int, who: str, weights_only: bool) -> str:
            m = self.model[pid]
            try:
                created = snapshots.create_snapshot(self.store, users[who], pid, None, weights_only=weights_only)
            except (NotFoundError, PermissionDenied):
                assert who != m["owner"] or m["deleted"]
                return "x" * 43  # a token that never existed
            assert who == m["owner"] and not m["deleted"] and created.token
            self.live[created.token] = pid
            return created.token

        @rule(token=links, who=st.sampled_from(USERS))
        def revoke(self, token: str, who: str) -> None:
            s = schema.snapshots
            with self.store.read() as conn:
                sid = conn.execute(select(s.c.id).where(s.c.token_hash == snapshots.hash_token(token))).scalar()
            if sid is None:
                return
            try:
                snapshots.revoke_snapshot(self.store, users[who], sid)
            except NotFoundError:
                return
            self.live.pop(token, None)
            self.dead.add(token)

        @rule(pid=portfolios, who=st.sampled_from((*USERS, None)))
        def copy_by_id(self, pid: int, who: str | None) -> None:
            m = self.model[pid]
            actor = users[who] if who else None
            allowed = who is not None and not m["deleted"] and (m["visibility"] != "private" or who == m["owner"])
            try:
                record_copy(self.store, actor, pid, amount_cny=1000)
            except (NotFoundError, PermissionDenied):
                assert not allowed
                return
            assert allowed

        @rule(token=links, who=st.sampled_from(USERS))
        def copy_by_link(self, token: str, who: str) -> None:
            pid = self.live.get(token)
            m = self.model.get(pid) if pid is not None else None
            allowed = m is not None and not m["deleted"] and (m["visibility"] != "private" or who == m["owner"])
            try:
                record_copy(self.store, users[who], token=token, amount_cny=1000)
            except (NotFoundError, PermissionDenied):
                assert not allowed
                return
            assert allowed

        @rule(pid=portfolios, who=st.sampled_from(USERS))
        def delete(self, pid: int, who: str) -> None:
            m = self.model[pid]
            try:
                portfolio_crud.delete_portfolio(self.store, users[who], pid)
            except (NotFoundError, PermissionDenied):
                assert who != m["owner"] or m["deleted"]
                return
            assert who == m["owner"] and not m["deleted"]
            m["deleted"] = True
            for token, p in list(self.live.items()):
                if p == pid:
                    self.live.pop(token)
                    self.dead.add(token)

        # ---- invariants
        @invariant()
        def nothing_private_on_public_surfaces(self) -> None:
            public = {p for p, m in self.model.items() if m["visibility"] == "public" and not m["deleted"]}
            mine = set(self.model)
            meta = community.portfolio_meta(self.store)
            board = set(community.public_only(meta)["portfolio_id"]) & mine
            assert board == public
            for who in (*USERS, None):
                actor = users[who] if who else None
                own = {p for p, m in self.model.items() if m["owner"] == who and not m["deleted"]}
                found = set(portfolio_crud.search_portfolios(self.store, actor, TAG, limit=10_000, meta=meta)["portfolio_id"]) & mine
                assert found == public | own
                for owner in USERS:
                    listed = set(portfolio_crud.user_portfolios(self.store, actor, users[owner], meta)["portfolio_id"]) & mine
                    theirs = {p for p, m in self.model.items() if m["owner"] == owner}
                    assert listed == (theirs & (public | own))
                if actor is not None:
                    in_feed = {i.portfolio_id for i in follows.feed(self.store, actor, limit=10_000)} & mine
                    assert in_feed <= public | own

        @invariant()
        def every_copy_points_at_an_existing_version_of_its_portfolio(self) -> None:
            c, v = schema.copies, schema.portfolio_versions
            with self.store.read() as conn:
                rows = conn.execute(select(c.c.portfolio_id, v.c.portfolio_id).select_from(
                    c.outerjoin(v, v.c.id == c.c.version_id)).where(c.c.is_demo.is_(False))).all()
            assert all(copied == owner_of_version for copied, owner_of_version in rows)

        @invariant()
        def links_open_exactly_while_live(self) -> None:
            for token, pid in self.live.items():
                assert snapshots.open_snapshot(self.store, token).portfolio_id == pid
            for token in self.dead:
                with pytest.raises(NotFoundError):
                    snapshots.open_snapshot(self.store, token)

    Sharing.TestCase.settings = settings(max_examples=25, stateful_step_count=14, deadline=None,
                                         suppress_health_check=[HealthCheck.too_slow])
    Sharing.TestCase().runTest()


def test_sharing_state_machine_keeps_private_portfolios_off_public_surfaces(template, tmp_path) -> None:  # type: ignore[no-untyped-def]
    path, users = template
    run_machine(path, users, tmp_path)
