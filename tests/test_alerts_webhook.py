"""Webhook delivery against a local HTTP server the test starts: the first attempt fails
(HTTP 500), the retry after the backoff delivers, and nothing is ever sent twice."""

from __future__ import annotations

import json
import threading
from datetime import datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from socialfund.services import alerts
from socialfund.store import Store
from socialfund.store import alerts as db
from socialfund.store.users import get_or_create_user

T0 = datetime(2026, 1, 5, 8, 0)


def test_one_delivery_per_event_after_a_failed_first_attempt(tmp_path) -> None:  # type: ignore[no-untyped-def]
    received: list[dict] = []  # type: ignore[type-arg]
    calls = {"n": 0}

    class Hook(BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # noqa: N802
            calls["n"] += 1
            body = self.rfile.read(int(self.headers["Content-Length"]))
            if calls["n"] == 1:
                self.send_response(500)
            else:
                received.append({"key": self.headers["X-Socialfund-Event"], **json.loads(body)})
                self.send_response(200)
            self.end_headers()

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Hook)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        store = Store(f"sqlite:///{tmp_path / 'w.db'}")
        store.create_schema()
        uid = get_or_create_user(store, "local:owner", "owner")
        with store.write() as conn:
            rid = db.add_rule(conn, user_id=uid, rule="reply", fund_code=None, portfolio_id=None, threshold=None,
                              at=T0)
            db.set_webhook(conn, uid, f"http://127.0.0.1:{server.server_port}/hook", T0)
            new = db.insert_events(conn, [{"rule_id": rid, "user_id": uid, "dedup_key": f"reply:{rid}:7",
                                           "rule": "reply", "subject": "post:7", "value": 7.0,
                                           "detail": {"reply_id": 7}, "created_at": T0}])
            db.queue_deliveries(conn, new, T0)
        assert alerts.deliver_pending(store, now=T0) == {"delivered": 0, "failed": 1}
        # before the backoff (30 s) nothing is due: no request at all
        assert alerts.deliver_pending(store, now=T0 + timedelta(seconds=10)) == {"delivered": 0, "failed": 0}
        assert calls["n"] == 1
        assert alerts.deliver_pending(store, now=T0 + timedelta(seconds=31)) == {"delivered": 1, "failed": 0}
        for later in (60, 3600, 86400):
            assert alerts.deliver_pending(store, now=T0 + timedelta(seconds=later)) == {"delivered": 0, "failed": 0}
        # a second queueing of the same event adds no delivery
        with store.write() as conn:
            db.queue_deliveries(conn, new, T0)
        assert alerts.deliver_pending(store, now=T0 + timedelta(days=2)) == {"delivered": 0, "failed": 0}
    finally:
        server.shutdown()
        server.server_close()
    assert calls["n"] == 2
    assert [(r["key"], r["rule"], r["detail"]) for r in received] == [(f"reply:{rid}:7", "reply", {"reply_id": 7})]
    with store.read() as conn:
        (row,) = db.deliveries(conn, uid)
    assert row["attempts"] == 2 and row["delivered_at"] is not None and row["last_error"] is None
