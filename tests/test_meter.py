"""The bull/bear meter beside the model (issue 12 part 3): the formulas on prepared posts,
hidden/deleted/held posts leaving the meter, no look-ahead (a post written after the last
session's close is not counted), and the agreement rate between self-tags and the model."""

from __future__ import annotations

import math
from collections.abc import Sequence
from datetime import date, datetime, timedelta

import pandas as pd
import pytest
from sqlalchemy import insert

from socialfund.sentiment import SentimentResult, label_for
from socialfund.services import discussion as ds
from socialfund.services import meter
from socialfund.social import meter as maths
from socialfund.social import threads
from socialfund.store import open_store, schema
from socialfund.store.users import get_or_create_user

RULES = ds.Rules(per_minute=None, per_day=None, blocked_words=threads.parse_word_list("加微信\n"))
# ten XSHG sessions: 2026-03-02 (Mon) .. 2026-03-13 (Fri)
SESSIONS = pd.bdate_range("2026-03-02", "2026-03-13")
CLOSES = pd.DataFrame({"510300.SS": [4.0 + 0.01 * i for i in range(len(SESSIONS))],
                       "510500.SS": [6.0] * len(SESSIONS)}, index=SESSIONS)


class WordScorer:
    """Deterministic model: 涨 → 0.9 (pos), 跌 → 0.1 (neg), else 0.5 (neu)."""

    name = "word"
    version = "word-1"

    def __init__(self) -> None:
        self.calls = 0

    def score_many(self, texts: Sequence[str]) -> list[SentimentResult]:
        self.calls += len(texts)
        out = []
        for text in texts:
            s = 0.9 if "涨" in text else 0.1 if "跌" in text else 0.5
            out.append(SentimentResult(s, label_for(s), 1.0))
        return out


def shanghai(day: str, hhmm: str) -> datetime:
    """Naive UTC of a Shanghai wall time."""
    h, m = (int(x) for x in hhmm.split(":"))
    return datetime.fromisoformat(day) + timedelta(hours=h - 8, minutes=m)


@pytest.fixture()
def world(tmp_path):  # type: ignore[no-untyped-def]
    store = open_store(f"sqlite:///{tmp_path / 'm.db'}")
    with store.write() as conn:
        conn.execute(insert(schema.instruments), [
            {"code": c, "name_zh": c, "name_en": c, "kind": "etf", "market": "SSE", "currency": "CNY",
             "yahoo": None, "category": "equity", "calendar": "XSHG"} for c in ("510300.SS", "510500.SS")])
    users = [get_or_create_user(store, f"local:u{i}", f"u{i}") for i in range(4)]
    editor = get_or_create_user(store, "local:editor", "editor")
    ds.grant_editor(store, editor)
    return store, users, editor


def write(store, actor, text, when, tag=None, fund="510300"):  # type: ignore[no-untyped-def]
    return ds.post(store, actor, text, fund=fund, tag=tag, rules=RULES, now=when)


def test_window_is_the_last_seven_sessions_up_to_as_of() -> None:
    win = maths.window_sessions(SESSIONS, date(2026, 3, 12))
    assert list(win) == list(pd.bdate_range("2026-03-04", "2026-03-12"))
    assert len(maths.window_sessions(SESSIONS)) == 7 and maths.window_sessions(SESSIONS)[-1] == SESSIONS[-1]


def test_formulas_on_prepared_posts() -> None:
    # 5 tagged posts (4 bull, 1 bear) and 1 untagged in the window, 1 post before the window
    posts = pd.DataFrame([
        {"code": "F", "published_at": shanghai("2026-03-09", "10:00"), "self_tag": "bull", "score": 0.9,
         "label": "pos", "source": "discussion"},
        {"code": "F", "published_at": shanghai("2026-03-09", "11:00"), "self_tag": "bull", "score": 0.1,
         "label": "neg", "source": "discussion"},
        {"code": "F", "published_at": shanghai("2026-03-10", "10:00"), "self_tag": "bull", "score": 0.5,
         "label": "neu", "source": "demo:discussion"},
        {"code": "F", "published_at": shanghai("2026-03-11", "10:00"), "self_tag": "bull", "score": float("nan"),
         "label": None, "source": "discussion"},
        {"code": "F", "published_at": shanghai("2026-03-12", "10:00"), "self_tag": "bear", "score": 0.2,
         "label": "neg", "source": "discussion"},
        {"code": "F", "published_at": shanghai("2026-03-12", "10:30"), "self_tag": None, "score": 0.95,
         "label": "pos", "source": "discussion"},
        {"code": "F", "published_at": shanghai("2026-03-02", "10:00"), "self_tag": "bear", "score": 0.1,
         "label": "neg", "source": "discussion"},     # session 03-02: before the 7-session window
    ])
    row = maths.meter_table(posts, ["F", "G"], {"F": SESSIONS, "G": SESSIONS}).set_index("code")
    f = row.loc["F"]
    assert (f["n_posts"], f["n_tagged"], f["n_bull"], f["n_bear"], f["n_demo"]) == (6, 5, 4, 1, 1)
    assert f["bull_share"] == pytest.approx(4 / 5)
    assert f["n_scored"] == 4                                   # the unscored tagged post is left out
    assert f["model_mean"] == pytest.approx((0.9 + 0.1 + 0.5 + 0.2) / 4)
    assert (f["n_model_bull"], f["n_model_bear"], f["n_model_neutral"]) == (1, 2, 1)
    assert f["model_bull_share"] == pytest.approx(1 / 3)
    # compared: bull/pos (agree), bull/neg (disagree), bear/neg (agree); the neutral one is not compared
    assert (f["n_compared"], f["n_agree"]) == (3, 2) and f["agreement"] == pytest.approx(2 / 3)
    assert f["first_session"] == pd.Timestamp("2026-03-05") and f["last_session"] == pd.Timestamp("2026-03-13")
    g = row.loc["G"]
    assert g["n_posts"] == 0 and math.isnan(g["bull_share"]) and math.isnan(g["agreement"])
    assert maths.share_text(f["bull_share"]) == "80%" and maths.share_text(g["bull_share"]) == "—"


def test_meter_reads_the_store_hidden_deleted_held_leave_it_and_the_model_scores_the_same_posts(world) -> None:  # type: ignore[no-untyped-def]
    store, (a, b, c, d), editor = world
    day = "2026-03-12"
    p1 = write(store, a, "要涨了", shanghai(day, "09:40"), "bull")
    write(store, b, "还会涨", shanghai(day, "09:41"), "bull")
    write(store, c, "看跌", shanghai(day, "09:42"), "bear")
    write(store, d, "随便聊聊", shanghai(day, "09:43"), "bear")           # model neutral
    write(store, a, "没标签的涨", shanghai(day, "09:44"))                 # untagged
    hidden = write(store, b, "跌跌跌", shanghai(day, "09:45"), "bear")
    deleted = write(store, c, "删掉的涨", shanghai(day, "09:46"), "bull")
    held = write(store, d, "加微信 涨", shanghai(day, "09:47"), "bull")
    write(store, a, "别的基金涨", shanghai(day, "09:48"), "bull", fund="510500")
    ds.reply(store, b, p1.id, "同意，涨", tag="bull", rules=RULES, now=shanghai(day, "09:49"))
    scorer = WordScorer()
    before = meter.fund_meters(store, scorer, ["510300.SS"], CLOSES).iloc[0]
    ds.hide(store, editor, hidden.id, rules=RULES)
    ds.delete(store, c, deleted.id, rules=RULES)
    after = meter.fund_meters(store, scorer, ["510300.SS"], CLOSES).iloc[0]
    assert held.status == "held"
    # before: tagged bull 要涨了, 还会涨, 删掉的涨, reply 同意，涨; bear 看跌, 随便聊聊, 跌跌跌 (held post never)
    assert (before["n_bull"], before["n_bear"], before["n_posts"]) == (4, 3, 8)
    # after hiding and deleting: bull 3, bear 2; posts 6
    assert (after["n_bull"], after["n_bear"], after["n_posts"], after["n_tagged"]) == (3, 2, 6, 5)
    assert after["bull_share"] == pytest.approx(3 / 5)
    # the model on those 5 tagged posts: 涨 ×3 (pos), 看跌 (neg), 随便聊聊 (neu)
    assert (after["n_scored"], after["n_model_bull"], after["n_model_bear"], after["n_model_neutral"]) == (5, 3, 1, 1)
    assert after["model_mean"] == pytest.approx((0.9 * 3 + 0.1 + 0.5) / 5)
    assert after["agreement"] == pytest.approx(1.0) and after["n_compared"] == 4
    assert after["n_demo"] == 0
    calls = scorer.calls
    meter.fund_meters(store, scorer, ["510300.SS"], CLOSES)
    assert scorer.calls == calls          # scores are cached: the second meter scores nothing


def test_no_look_ahead_a_post_after_the_last_close_is_not_counted(world) -> None:  # type: ignore[no-untyped-def]
    store, (a, b, _, _), _ = world
    write(store, a, "收盘前看涨", shanghai("2026-03-13", "14:59"), "bull")   # counts for 03-13
    write(store, b, "收盘后看跌", shanghai("2026-03-13", "15:00"), "bear")   # at the close: the next session
    write(store, b, "周末看跌", shanghai("2026-03-14", "10:00"), "bear")     # Saturday: the next session
    m = meter.fund_meters(store, WordScorer(), ["510300.SS"], CLOSES).iloc[0]
    assert (m["n_bull"], m["n_bear"], m["bull_share"]) == (1, 0, 1.0)
    assert m["last_session"] == pd.Timestamp("2026-03-13")
    # as of the day before, the 03-13 post is not counted either
    earlier = meter.fund_meters(store, WordScorer(), ["510300.SS"], CLOSES, as_of=date(2026, 3, 12)).iloc[0]
    assert earlier["n_posts"] == 0 and math.isnan(earlier["bull_share"])
    # once the next close exists, the later posts count
    later = pd.DataFrame({"510300.SS": list(CLOSES["510300.SS"]) + [4.2]},
                         index=SESSIONS.append(pd.DatetimeIndex(["2026-03-16"])))
    m2 = meter.fund_meters(store, WordScorer(), ["510300.SS"], later).iloc[0]
    assert (m2["n_bull"], m2["n_bear"]) == (1, 2)


def test_a_portfolio_thread_never_enters_the_meter(world) -> None:  # type: ignore[no-untyped-def]
    from socialfund.services.portfolio_crud import create_portfolio

    store, (a, _, _, _), _ = world
    pid = create_portfolio(store, a, "公开", {"510300.SS": 100}, visibility="public", now=shanghai("2026-03-02", "09:00"))
    ds.post(store, a, "组合要涨", portfolio=pid, tag="bull", rules=RULES, now=shanghai("2026-03-12", "10:00"))
    m = meter.fund_meters(store, WordScorer(), ["510300.SS"], CLOSES).iloc[0]
    assert m["n_posts"] == 0
