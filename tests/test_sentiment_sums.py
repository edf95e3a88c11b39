"""The stored sentiment sums (``store.sentiment_sums``) equal a from-scratch recomputation
after any sequence of imports, written posts, hides / unhides / approvals / deletions and
scoring runs of two scorer versions (a hypothesis state machine), on SQLite; the migration
builds them for a store made before they existed."""

from __future__ import annotations

import tempfile
from collections.abc import Sequence
from datetime import datetime, timedelta
from pathlib import Path

import numpy as np
import pandas as pd
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule
from sqlalchemy import delete, insert, update

from socialfund.core.errors import NotFoundError, PermissionDenied, ValidationError
from socialfund.core.post_days import counts_from_days
from socialfund.sentiment import SentimentResult
from socialfund.services import discussion as ds
from socialfund.services import posts as posts_service
from socialfund.services import scores
from socialfund.services.portfolio_crud import create_portfolio
from socialfund.social import aggregate, threads
from socialfund.store import Store, open_store, schema, sentiment_sums
from socialfund.store.users import get_or_create_user

RULES = ds.Rules(per_minute=None, per_day=None, blocked_words=threads.parse_word_list("加微信\n"))
FUNDS = ("510300.SS", "159915.SZ")
NOW = datetime(2026, 6, 1)
HEADER = "code,text,published_at,author,reads,comments,url\n"
WORDS = ("利好", "大跌", "持有", "")   # repeated texts: one score row serves several posts


class FakeScorer:
    """A deterministic scorer; ``version`` picks one of two scorings of the same texts."""

    def __init__(self, version: str) -> None:
        self.version = version
        self.name = version

    def score_many(self, texts: Sequence[str]) -> list[SentimentResult]:
        out = []
        for t in texts:
            if "大跌" in t and self.version == "v2":
                out.append(SentimentResult(None, None, None, "empty"))   # a stored row without a score
                continue
            score = (len(t) % 7) / 6.0 if self.version == "v1" else (("利好" in t) * 0.8 + 0.1)
            out.append(SentimentResult(score, "pos" if score > 0.6 else "neg" if score < 0.4 else "neu", 0.9))
        return out


def seed(store: Store) -> None:
    with store.write() as conn:
        conn.execute(insert(schema.instruments), [
            {"code": c, "name_zh": c, "name_en": c, "kind": "etf", "market": "SSE", "currency": "CNY",
             "yahoo": None, "category": "equity", "calendar": "XSHG"} for c in FUNDS])


def recomputed(store: Store, version: str) -> pd.DataFrame:
    """The sums from scratch: every counted post with its score (a SQL join), counted from its
    day (``core.post_days``), summed with pandas."""
    posts = scores.scored_posts(store, version)
    if posts.empty:
        return pd.DataFrame(columns=["code", "day", *aggregate.SUM_COLUMNS])
    posts["day"] = counts_from_days(posts["published_at"], "XSHG")
    return aggregate.post_sums(posts, "day").sort_values(["code", "day"], ignore_index=True)


def assert_sums_match(store: Store) -> None:
    for version in ("v1", "v2"):
        with store.read() as conn:
            stored = sentiment_sums.day_sums(conn, version)
        expected = recomputed(store, version)
        assert list(zip(stored["code"], stored["day"])) == list(zip(expected["code"], pd.to_datetime(expected["day"])))
        for col in ("n_posts", "n_scored", "n_bull", "n_bear"):
            assert list(stored[col]) == [int(x) for x in expected[col]], col
        for col in ("score_sum", "sw", "w"):
            assert np.allclose(stored[col].to_numpy(float), expected[col].to_numpy(float), atol=1e-9), col
    tagged = ds.tagged_posts(store)
    with store.read() as conn:
        stored = sentiment_sums.day_sums(conn, "v1")
    assert int(stored["n_tag_bull"].sum()) == int((tagged["self_tag"] == "bull").sum())
    assert int(stored["n_tag_bear"].sum()) == int((tagged["self_tag"] == "bear").sum())
    loaded = posts_service.load_posts(store)
    counts = loaded.groupby("code").size()
    assert posts_service.posts_per_fund(store).to_dict() == {str(k): int(v) for k, v in counts.items()}
    assert posts_service.post_sources(store) == {str(k): int(v) for k, v in loaded.groupby("source").size().items()}


class SumsMachine(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        self._dir = tempfile.TemporaryDirectory()
        self.store = open_store(f"sqlite:///{Path(self._dir.name) / 's.db'}")
        seed(self.store)
        s = self.store
        self.owner = get_or_create_user(s, "local:owner", "owner")
        self.editor = get_or_create_user(s, "local:editor", "editor")
        ds.grant_editor(s, self.editor)
        self.portfolio = create_portfolio(s, self.owner, "组合", {"510300.SS": 100}, visibility="public")
        self.clock = datetime(2026, 3, 2, 5, 0)
        self.ids: list[int] = []
        self.n = 0

    def teardown(self) -> None:
        self.store.dispose()
        self._dir.cleanup()

    def _now(self) -> datetime:
        self.clock += timedelta(hours=5)   # crosses closes, nights and weekends
        return self.clock

    @rule(rows=st.lists(st.tuples(st.sampled_from(FUNDS), st.sampled_from(WORDS), st.integers(0, 200),
                                  st.sampled_from(["", "3", "40"])), min_size=1, max_size=6),
          source=st.sampled_from(["a", "b"]))
    def import_file(self, rows: list[tuple[str, str, int, str]], source: str) -> None:
        base = datetime(2026, 1, 5, 0, 0)
        lines = [f"{code},{word}帖子{i % 3},{(base + timedelta(hours=h)).isoformat()}+00:00,u,{reads},0,"
                 for i, (code, word, h, reads) in enumerate(rows)]
        posts_service.import_posts(self.store, (HEADER + "\n".join(lines) + "\n").encode(), "f.csv",
                                   source=source, now_utc=NOW)

    @rule(where=st.sampled_from([*FUNDS, "portfolio"]), blocked=st.booleans(),
          tag=st.sampled_from([None, "bull", "bear"]), word=st.sampled_from(WORDS))
    def write(self, where: str, blocked: bool, tag: str | None, word: str) -> None:
        kw = {"portfolio": self.portfolio} if where == "portfolio" else {"fund": where}
        self.n += 1
        view = ds.post(self.store, self.owner, f"{word}说{self.n % 2}{' 加微信' if blocked else ''}", tag=tag,
                       rules=RULES, now=self._now(), **kw)
        self.ids.append(view.id)

    @precondition(lambda self: self.ids)
    @rule(data=st.data(), action=st.sampled_from(["hide", "unhide", "approve", "delete"]))
    def moderate(self, data: st.DataObject, action: str) -> None:
        pid = data.draw(st.sampled_from(self.ids))
        try:
            getattr(ds, action)(self.store, self.editor if action != "delete" else self.owner, pid, rules=RULES,
                                now=self._now())
        except (NotFoundError, PermissionDenied, ValidationError):
            pass

    @rule(version=st.sampled_from(["v1", "v2"]), fund=st.sampled_from([None, *FUNDS]))
    def score(self, version: str, fund: str | None) -> None:
        scores.score_posts(self.store, FakeScorer(version), None if fund is None else [fund])  # type: ignore[arg-type]

    @invariant()
    def sums_equal_a_recomputation(self) -> None:
        assert_sums_match(self.store)


SumsMachine.TestCase.settings = settings(max_examples=20, stateful_step_count=12, deadline=None,
                                         suppress_health_check=[HealthCheck.too_slow])
TestSumsMachine = SumsMachine.TestCase


def test_a_store_from_before_the_sums_gets_them_built_once(tmp_path: Path) -> None:
    store = open_store(f"sqlite:///{tmp_path / 'old.db'}")
    seed(store)
    posts_service.import_posts(store, (HEADER + "510300.SS,利好来了,2026-01-05T03:00:00+00:00,u,5,0,\n"
                                       "510300.SS,大跌了,2026-01-05T08:00:00+00:00,u,,0,\n").encode(), "f.csv",
                               source="a", now_utc=NOW)
    scores.score_posts(store, FakeScorer("v1"))  # type: ignore[arg-type]
    expected = recomputed(store, "v1")
    with store.write() as conn:   # as a store of the earlier release: no hashes, no sums, no marker
        conn.execute(update(schema.posts).values(text_hash=None))
        conn.execute(delete(schema.post_day_sums))
        conn.execute(delete(schema.score_day_sums))
        conn.execute(delete(schema.meta).where(schema.meta.c.key == sentiment_sums.SUMS_KEY))
    store.create_schema()
    with store.read() as conn:
        stored = sentiment_sums.day_sums(conn, "v1")
    assert list(stored["n_posts"]) == list(expected["n_posts"]) == [1, 1]   # 08:00 UTC is after the close
    assert np.allclose(stored["score_sum"], expected["score_sum"].astype(float))
    assert_sums_match(store)
