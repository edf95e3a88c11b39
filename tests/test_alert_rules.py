"""Alert rules (issue 12 part 5): each of the five rules raised exactly once from prepared
data and a second run raises nothing; no look-ahead (a rebalance after the last session is
not seen yet); bad rule input is rejected with nothing stored; a private portfolio's events
go only to those who may view it; the inbox's unread count and mark-read; webhook rows queued
once per event."""

from __future__ import annotations

from datetime import datetime, timedelta

import pandas as pd
import pytest
from sqlalchemy import func, insert, select

from socialfund.core.errors import NotFoundError, PermissionDenied, ValidationError
from socialfund.services import alert_rules as ar
from socialfund.services import discussion as ds
from socialfund.services import follows
from socialfund.services.portfolio_crud import create_portfolio, rebalance, set_visibility
from socialfund.store import alerts as alerts_db
from socialfund.store import open_store, schema
from socialfund.store.users import get_or_create_user

T0 = datetime(2026, 2, 2, 2, 0)        # Monday 10:00 Shanghai (naive UTC): rules and portfolios made
RULES = ds.Rules(per_minute=None, per_day=None)
A, B, C = "510300.SS", "510500.SS", "159915.SZ"
SESSIONS = pd.bdate_range("2026-01-05", "2026-02-13")


def _closes(until: str = "2026-02-13") -> pd.DataFrame:
    """A falls from 100 to 75 after 5 Feb (a 25 % drawdown from its peak); B and C flat."""
    a = [100.0] * sum(SESSIONS <= pd.Timestamp("2026-02-05")) + [100.0 - 25.0 * (i + 1) / 6 for i in range(6)]
    frame = pd.DataFrame({A: a, B: 50.0, C: 20.0}, index=SESSIONS)
    return frame.loc[frame.index <= pd.Timestamp(until)]


def _data(until: str = "2026-02-13") -> ar.MarketData:
    closes = _closes(until)
    return ar.MarketData(session=closes.index[-1], closes=closes,
                         sentiment_z=pd.Series({A: 0.4, B: 2.7, C: -1.9}),
                         idea_ranks=pd.DataFrame({"now": [1.0, 2.0, 7.0], "before": [1.0, 15.0, 3.0]},
                                                 index=[A, C, B]))


class World:
    def __init__(self, tmp_path):  # type: ignore[no-untyped-def]
        self.store = s = open_store(f"sqlite:///{tmp_path / 'alerts.db'}")
        with s.write() as conn:
            conn.execute(insert(schema.instruments), [
                {"code": c, "name_zh": c, "name_en": c, "kind": "etf", "market": "SSE", "currency": "CNY",
                 "yahoo": None, "category": "equity", "calendar": "XSHG"} for c in (A, B, C)])
        self.owner = get_or_create_user(s, "local:owner", "owner")
        self.other = get_or_create_user(s, "local:other", "other")
        self.public = create_portfolio(s, self.owner, "公开", {A: 60, B: 40}, visibility="public", now=T0)
        self.private = create_portfolio(s, self.owner, "私有", {A: 50, B: 50}, visibility="private", now=T0)

    def rule_count(self) -> int:
        with self.store.read() as conn:
            return int(conn.execute(select(func.count()).select_from(schema.alert_rules)).scalar_one())


@pytest.fixture()
def w(tmp_path):  # type: ignore[no-untyped-def]
    return World(tmp_path)


def test_each_rule_raised_once_then_a_second_run_raises_nothing(w: World) -> None:
    s, me = w.store, w.owner
    ar.add_rule(s, me, "sentiment_shift", fund=B, now=T0)
    ar.add_rule(s, me, "drawdown", fund=A, threshold=10, now=T0)
    ar.add_rule(s, me, "rebalance", portfolio=w.public, now=T0)
    ar.add_rule(s, me, "top_idea", threshold=5, now=T0)
    ar.add_rule(s, me, "reply", now=T0)
    mine = ds.post(s, me, "看好沪深300", fund=A, tag="bull", rules=RULES, now=T0 + timedelta(minutes=1))
    ds.reply(s, me, mine.id, "自己补充一句", rules=RULES, now=T0 + timedelta(minutes=2))   # my own: no alert
    reply = ds.reply(s, w.other, mine.id, "同意", rules=RULES, now=T0 + timedelta(minutes=3))
    rebalance(s, me, w.public, {A: 30, B: 70}, "减仓", now=T0 + timedelta(days=1))
    now = datetime(2026, 2, 13, 12, 0)

    events = ar.run_alerts(s, data=_data(), now=now)
    by_rule = {e.rule: e for e in events}
    assert sorted(e.rule for e in events) == sorted(ar.RULES), [(e.rule, e.subject) for e in events]
    assert by_rule["sentiment_shift"].subject == B and by_rule["sentiment_shift"].value == pytest.approx(2.7)
    assert by_rule["drawdown"].subject == A and by_rule["drawdown"].value == pytest.approx(-25.0)
    assert by_rule["drawdown"].detail["peak_session"] == "2026-01-05"
    assert by_rule["rebalance"].portfolio_id == w.public and by_rule["rebalance"].detail["version"] == 2
    assert by_rule["top_idea"].subject == C and by_rule["top_idea"].value == 2.0   # A was already in the top 5
    assert by_rule["reply"].post_id == reply.id and by_rule["reply"].detail["parent_id"] == mine.id
    assert ar.unread_count(s, me) == 5 and ar.unread_count(s, w.other) == 0

    assert ar.run_alerts(s, data=_data(), now=now + timedelta(hours=1)) == []
    assert ar.unread_count(s, me) == 5

    inbox = ar.inbox(s, me)
    assert [e.id for e in inbox] == sorted((e.id for e in events), reverse=True)   # newest first
    assert ar.mark_read(s, me, [inbox[0].id]) == 1 and ar.unread_count(s, me) == 4
    assert ar.mark_read(s, w.other, [inbox[1].id]) == 0          # not theirs
    assert ar.mark_read(s, me) == 4 and ar.unread_count(s, me) == 0


def test_no_look_ahead_and_new_data_raises_only_the_new(w: World) -> None:
    s, me = w.store, w.owner
    ar.add_rule(s, me, "rebalance", portfolio=w.public, now=T0)
    ar.add_rule(s, me, "drawdown", portfolio=w.public, threshold=10, now=T0)
    rebalance(s, me, w.public, {A: 30, B: 70}, now=datetime(2026, 2, 9, 2, 0))
    # as of 6 Feb: the rebalance of 9 Feb and the later fall are not known yet
    assert ar.run_alerts(s, data=_data("2026-02-06"), now=datetime(2026, 2, 13, 12, 0)) == []
    later = ar.run_alerts(s, data=_data(), now=datetime(2026, 2, 13, 12, 0))
    assert sorted(e.rule for e in later) == ["drawdown", "rebalance"]
    dd = next(e for e in later if e.rule == "drawdown")
    assert dd.subject == f"portfolio:{w.public}" and dd.value is not None and dd.value <= -10


def test_a_deeper_fall_in_the_same_drawdown_is_not_raised_again(w: World) -> None:
    s, me = w.store, w.owner
    ar.add_rule(s, me, "drawdown", fund=A, threshold=5, now=T0)
    assert [e.value for e in ar.run_alerts(s, data=_data("2026-02-10"), now=T0)] == [pytest.approx(-12.5)]
    assert ar.run_alerts(s, data=_data(), now=T0) == []         # same peak: the same drawdown


def test_bad_rule_input_is_rejected_and_nothing_stored(w: World) -> None:
    s, me = w.store, w.owner
    bad: list[tuple[type[Exception], dict]] = [  # type: ignore[type-arg]
        (ValidationError, {"rule": "moon"}),
        (ValidationError, {"rule": "drawdown", "fund": "999999"}),
        (ValidationError, {"rule": "drawdown", "threshold": 150}),
        (ValidationError, {"rule": "drawdown", "threshold": "ten"}),
        (ValidationError, {"rule": "sentiment_shift", "threshold": -1}),
        (ValidationError, {"rule": "top_idea", "threshold": 2.5}),
        (ValidationError, {"rule": "reply", "threshold": 3}),
        (ValidationError, {"rule": "rebalance", "fund": A}),
        (ValidationError, {"rule": "sentiment_shift", "portfolio": w.public}),
        (ValidationError, {"rule": "drawdown", "fund": A, "portfolio": w.public}),
        (NotFoundError, {"rule": "rebalance", "portfolio": 9999}),
    ]
    for exc, kw in bad:
        with pytest.raises(exc):
            ar.add_rule(s, me, now=T0, **kw)
    with pytest.raises(NotFoundError, match=f"portfolio {w.private} not found"):
        ar.add_rule(s, w.other, "rebalance", portfolio=w.private, now=T0)
    with pytest.raises(PermissionDenied):
        ar.add_rule(s, None, "reply", now=T0)
    with pytest.raises(ValidationError, match="http"):
        ar.set_webhook(s, me, "ftp://example.org/x")
    assert w.rule_count() == 0 and ar.webhook(s, me) is None
    rule = ar.add_rule(s, me, "drawdown", fund=A, now=T0)
    assert rule.limit == 10.0 and [r.id for r in ar.rules(s, me)] == [rule.id] and ar.rules(s, w.other) == []
    with pytest.raises(NotFoundError):
        ar.delete_rule(s, w.other, rule.id)                  # not theirs
    ar.delete_rule(s, me, rule.id)
    assert ar.rules(s, me) == []


def test_a_private_portfolios_events_go_only_to_who_can_view_it(w: World) -> None:
    s = w.store
    follows.follow(s, w.other, w.public, now=T0)
    ar.add_rule(s, w.other, "rebalance", now=T0)                       # followed portfolios
    ar.add_rule(s, w.other, "drawdown", portfolio=w.public, threshold=5, now=T0)
    ar.add_rule(s, w.owner, "rebalance", portfolio=w.public, now=T0)
    ar.add_rule(s, w.owner, "drawdown", portfolio=w.private, threshold=5, now=T0)
    set_visibility(s, w.owner, w.public, "private", now=T0 + timedelta(hours=1))
    rebalance(s, w.owner, w.public, {A: 30, B: 70}, now=T0 + timedelta(days=1))
    events = ar.run_alerts(s, data=_data(), now=datetime(2026, 2, 13, 12, 0))
    assert ar.inbox(s, w.other) == []
    assert sorted((e.rule, e.subject) for e in ar.inbox(s, w.owner)) == [
        ("drawdown", f"portfolio:{w.private}"), ("rebalance", f"portfolio:{w.public}")]
    assert len(events) == 2


def test_webhook_rows_are_queued_once_per_event(w: World) -> None:
    s, me = w.store, w.owner
    ar.set_webhook(s, me, "http://127.0.0.1:9/hook")
    ar.add_rule(s, me, "sentiment_shift", fund=B, now=T0)
    ar.add_rule(s, me, "drawdown", fund=A, now=T0)
    events = ar.run_alerts(s, data=_data(), now=T0)
    ar.run_alerts(s, data=_data(), now=T0)
    with s.read() as conn:
        rows = alerts_db.deliveries(conn, me)
    assert sorted(r["event_id"] for r in rows) == sorted(e.id for e in events) and len(events) == 2
    assert ar.webhook(s, me) == "http://127.0.0.1:9/hook"
    ar.set_webhook(s, me, "")
    assert ar.webhook(s, me) is None


def test_watchlist_funds_are_the_default_subjects(w: World) -> None:
    from socialfund.services import watchlist

    s, me = w.store, w.owner
    ar.add_rule(s, me, "sentiment_shift", now=T0)
    assert ar.run_alerts(s, data=_data(), now=T0) == []                 # nothing watched yet
    watchlist.add(s, me, B, now=T0)
    watchlist.add(s, me, A, now=T0)
    assert [e.subject for e in ar.run_alerts(s, data=_data(), now=T0)] == [B]   # |z| 0.4 ≤ 2 for A


def test_raised_events_reach_the_webhook_once_each_after_a_failed_attempt(w: World) -> None:
    from socialfund.services import alerts

    s, me = w.store, w.owner
    ar.set_webhook(s, me, "http://127.0.0.1:9/hook")
    ar.add_rule(s, me, "sentiment_shift", fund=B, now=T0)
    ar.add_rule(s, me, "drawdown", fund=A, now=T0)
    events = ar.run_alerts(s, data=_data(), now=T0)
    sent: list[str] = []

    def send(url: str, body: bytes, headers: dict[str, str]) -> int:
        sent.append(headers["X-Socialfund-Event"])
        return 503 if len(sent) == 1 else 200

    assert alerts.deliver_pending(s, now=T0, send=send) == {"delivered": 1, "failed": 1}
    assert alerts.deliver_pending(s, now=T0 + timedelta(seconds=1), send=send) == {"delivered": 0, "failed": 0}
    ar.run_alerts(s, data=_data(), now=T0 + timedelta(minutes=5))           # raises nothing new
    assert alerts.deliver_pending(s, now=T0 + timedelta(minutes=5), send=send) == {"delivered": 1, "failed": 0}
    assert alerts.deliver_pending(s, now=T0 + timedelta(hours=5), send=send) == {"delivered": 0, "failed": 0}
    # the failed one was sent again (once), the other once: one delivery per event
    assert len(events) == 2 and len(sent) == 3 and sent.count(sent[0]) == 2 and len(set(sent)) == 2
    with s.read() as conn:
        assert all(r["delivered_at"] is not None for r in alerts_db.deliveries(conn, me))
