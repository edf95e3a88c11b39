"""A hypothesis state machine over the discussion: users write, reply, hide, unhide,
approve and delete posts on fund threads and on a portfolio whose owner flips it between
public and private. After every step:

* no private post on a public surface: nothing written on a portfolio's thread reaches the
  aggregates (loaded posts, sources, per-fund counts, tagged posts), and a currently private
  portfolio's posts are in no thread anyone but its owner can read;
* hidden, held and deleted posts are in no aggregate: the aggregate posts are exactly the
  model's visible fund-thread posts.
"""

from __future__ import annotations

import tempfile
from datetime import datetime, timedelta
from pathlib import Path

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule
from sqlalchemy import insert

from socialfund.core.errors import NotFoundError, PermissionDenied, ValidationError
from socialfund.services import discussion as ds
from socialfund.services import posts as posts_service
from socialfund.services.portfolio_crud import create_portfolio, set_visibility
from socialfund.social import threads
from socialfund.store import open_store, schema
from socialfund.store.users import get_or_create_user

RULES = ds.Rules(per_minute=None, per_day=None, blocked_words=threads.parse_word_list("加微信\n"))
FUNDS = ("510300.SS", "159915.SZ")


class DiscussionMachine(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        self._dir = tempfile.TemporaryDirectory()
        self.store = open_store(f"sqlite:///{Path(self._dir.name) / 'm.db'}")
        with self.store.write() as conn:
            conn.execute(insert(schema.instruments), [
                {"code": c, "name_zh": c, "name_en": c, "kind": "etf", "market": "SSE", "currency": "CNY",
                 "yahoo": None, "category": "equity", "calendar": "XSHG"} for c in FUNDS])
        s = self.store
        self.owner = get_or_create_user(s, "local:owner", "owner")
        self.other = get_or_create_user(s, "local:other", "other")
        self.editor = get_or_create_user(s, "local:editor", "editor")
        ds.grant_editor(s, self.editor)
        self.users = (self.owner, self.other, self.editor)
        self.portfolio = create_portfolio(s, self.owner, "组合", {"510300.SS": 100}, visibility="public")
        self.private = False
        self.clock = datetime(2026, 3, 2, 2, 0)
        # post id -> [thread ('fund', code) | ('portfolio', id), status, author, parent]
        self.model: dict[int, list[object]] = {}
        self.n = 0

    def teardown(self) -> None:
        self.store.dispose()
        self._dir.cleanup()

    def _now(self) -> datetime:
        self.clock += timedelta(minutes=1)
        return self.clock

    def _text(self, thread: tuple[str, object], blocked: bool) -> str:
        self.n += 1
        marker = f"P{self.n}Q" if thread[0] == "portfolio" else f"F{self.n}Q"
        return f"{marker} 说说看{' 加微信' if blocked else ''}"

    @rule(author=st.sampled_from([0, 1, 2]), where=st.sampled_from(["510300.SS", "159915.SZ", "portfolio"]),
          blocked=st.booleans(), tag=st.sampled_from([None, "bull", "bear"]))
    def write(self, author: int, where: str, blocked: bool, tag: str | None) -> None:
        actor = self.users[author]
        thread = ("portfolio", self.portfolio) if where == "portfolio" else ("fund", where)
        kw = {"portfolio": self.portfolio} if where == "portfolio" else {"fund": where}
        try:
            view = ds.post(self.store, actor, self._text(thread, blocked), tag=tag, rules=RULES, now=self._now(), **kw)
        except NotFoundError:
            assert where == "portfolio" and self.private and actor != self.owner
            return
        self.model[view.id] = [thread, "held" if blocked else "visible", actor, None]
        assert view.status == self.model[view.id][1]

    @precondition(lambda self: self.model)
    @rule(data=st.data(), author=st.sampled_from([0, 1, 2]))
    def answer(self, data: st.DataObject, author: int) -> None:
        parent = data.draw(st.sampled_from(sorted(self.model)))
        thread, status, _, grand = self.model[parent]
        actor = self.users[author]
        try:
            view = ds.reply(self.store, actor, parent, self._text(thread, False), rules=RULES,  # type: ignore[arg-type]
                            now=self._now())
        except (NotFoundError, ValidationError):
            return
        assert status == "visible" and grand is None
        self.model[view.id] = [thread, "visible", actor, parent]

    @precondition(lambda self: self.model)
    @rule(data=st.data(), who=st.sampled_from([0, 1, 2]),
          action=st.sampled_from(["hide", "unhide", "approve", "delete"]))
    def moderate(self, data: st.DataObject, who: int, action: str) -> None:
        pid = data.draw(st.sampled_from(sorted(self.model)))
        actor = self.users[who]
        before = self.model[pid][1]
        try:
            getattr(ds, action)(self.store, actor, pid, rules=RULES, now=self._now())
        except (NotFoundError, PermissionDenied, ValidationError):
            return
        self.model[pid][1] = {"hide": "hidden", "unhide": "visible", "approve": "visible", "delete": "deleted"}[action]
        assert before != "deleted"

    @rule()
    def flip_visibility(self) -> None:
        self.private = not self.private
        set_visibility(self.store, self.owner, self.portfolio, "private" if self.private else "public",
                       now=self._now())

    # ----------------------------------------------------------------------- invariants

    def _portfolio_markers(self) -> set[str]:
        return {f"P{i}Q" for i in range(1, self.n + 1)}

    @invariant()
    def no_private_post_on_a_public_surface(self) -> None:
        loaded = posts_service.load_posts(self.store)
        markers = self._portfolio_markers()
        assert not any(m in t for t in loaded["text"] for m in markers)
        portfolio_ids = {pid for pid, (th, *_rest) in self.model.items() if th[0] == "portfolio"}  # type: ignore[index]
        assert portfolio_ids.isdisjoint(set(ds.tagged_posts(self.store)["post_id"]))
        assert not any(str(c).startswith("portfolio:") for c in posts_service.posts_per_fund(self.store).index)
        for viewer in (None, self.other, self.editor):
            for code in FUNDS:
                for p in ds.thread(self.store, viewer, fund=code, rules=RULES):
                    assert not any(m in x.text for x in (p, *p.replies) for m in markers)
            if self.private:
                try:
                    ds.thread(self.store, viewer, portfolio=self.portfolio, rules=RULES)
                except NotFoundError:
                    pass
                else:
                    raise AssertionError("a private portfolio's thread was readable by someone else")

    @invariant()
    def only_visible_fund_posts_are_aggregated(self) -> None:
        expected = {pid for pid, (th, status, *_r) in self.model.items()
                    if th[0] == "fund" and status == "visible"}  # type: ignore[index]
        assert set(posts_service.load_posts(self.store)["id"]) == expected
        assert sum(posts_service.post_sources(self.store).values()) == len(expected)
        assert int(posts_service.posts_per_fund(self.store).sum()) == len(expected)
        assert set(ds.tagged_posts(self.store)["post_id"]) == expected


DiscussionMachine.TestCase.settings = settings(max_examples=25, stateful_step_count=15, deadline=None,
                                               suppress_health_check=[HealthCheck.too_slow])
TestDiscussionMachine = DiscussionMachine.TestCase
