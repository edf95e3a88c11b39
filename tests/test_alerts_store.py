"""The alert store layer: an event's dedup key makes re-runs raise nothing; one webhook
delivery row per event, claimed once (no duplicate deliveries), watchlists idempotent."""

from __future__ import annotations

from datetime import datetime, timedelta

from socialfund.store import Store
from socialfund.store import alerts as db
from socialfund.store import watchlists
from socialfund.store.users import get_or_create_user

T0 = datetime(2026, 1, 5, 8, 0)


def _store(tmp_path) -> Store:  # type: ignore[no-untyped-def]
    store = Store(f"sqlite:///{tmp_path / 'a.db'}")
    store.create_schema()
    return store


def _candidate(rule_id: int, uid: int, key: str) -> dict:  # type: ignore[type-arg]
    return {"rule_id": rule_id, "user_id": uid, "dedup_key": key, "rule": "drawdown", "subject": "510300",
            "value": -12.5, "detail": {"peak": "2026-01-02"}, "created_at": T0}


def test_events_raised_once_and_delivery_claimed_once(tmp_path) -> None:  # type: ignore[no-untyped-def]
    store = _store(tmp_path)
    uid = get_or_create_user(store, "local:owner", "owner")
    with store.write() as conn:
        rid = db.add_rule(conn, user_id=uid, rule="drawdown", fund_code="510300", portfolio_id=None,
                          threshold=10.0, at=T0)
        db.set_webhook(conn, uid, "http://127.0.0.1:1/hook", T0)
        first = db.insert_events(conn, [_candidate(rid, uid, "k1"), _candidate(rid, uid, "k1")])
        assert db.queue_deliveries(conn, first, T0) == 1
    with store.write() as conn:
        again = db.insert_events(conn, [_candidate(rid, uid, "k1")])
        db.queue_deliveries(conn, again, T0)
        assert db.unread_count(conn, uid) == 1
    assert [e["dedup_key"] for e in first] == ["k1"] and again == []
    with store.write() as conn:
        claimed = db.claim_due(conn, T0, timedelta(seconds=60), max_attempts=5)
        assert db.claim_due(conn, T0, timedelta(seconds=60), max_attempts=5) == []   # leased
    assert len(claimed) == 1 and claimed[0]["attempts"] == 1 and claimed[0]["event"]["dedup_key"] == "k1"
    with store.write() as conn:
        db.finish_delivery(conn, claimed[0]["id"], delivered_at=T0, next_attempt_at=None, error=None)
        assert db.claim_due(conn, T0 + timedelta(hours=1), timedelta(seconds=60), max_attempts=5) == []
        assert db.mark_read(conn, uid, None, T0) == 1 and db.unread_count(conn, uid) == 0


def test_watchlist_idempotent(tmp_path) -> None:  # type: ignore[no-untyped-def]
    store = _store(tmp_path)
    uid = get_or_create_user(store, "local:owner", "owner")
    with store.write() as conn:
        watchlists.add(conn, uid, "510300", T0)
        watchlists.add(conn, uid, "510300", T0 + timedelta(days=1))
        watchlists.add(conn, uid, "159915", T0 + timedelta(days=2))
        assert watchlists.codes(conn, uid) == ["510300", "159915"]
        watchlists.remove(conn, uid, "510300")
        assert watchlists.codes(conn, uid) == ["159915"]
