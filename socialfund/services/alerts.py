"""Alerts: delivery of raised events beyond the app, through a user's optional webhook.

(The rules' evaluation — sentiment shift, drawdown, rebalance, top idea, reply — is not in
this module yet.)

Webhook delivery: every new event of a user with a webhook gets one ``webhook_deliveries``
row (UNIQUE per event). ``deliver_pending`` claims due rows in a write transaction
(``store.alerts.claim_due``: attempts + 1, leased for ``LEASE``), POSTs the event as JSON
with stdlib ``urllib`` (timeout ``TIMEOUT_S``), and on a 2xx answer sets ``delivered_at``;
otherwise the next attempt waits ``BACKOFF_S · 2^(attempts − 1)`` seconds, at most
``MAX_ATTEMPTS`` attempts. A delivered row is never sent again; the ``X-Socialfund-Event``
header carries the event's dedup key so a receiver can drop a repeat after a lost answer.
"""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from socialfund.core.timeutil import utcnow
from socialfund.store import Store
from socialfund.store import alerts as db

TIMEOUT_S = 10.0
LEASE = timedelta(seconds=60)        # > TIMEOUT_S: a claimed row is not picked again meanwhile
BACKOFF_S = 30.0
MAX_ATTEMPTS = 8

Sender = Callable[[str, bytes, dict[str, str]], int]


def http_post(url: str, body: bytes, headers: dict[str, str]) -> int:
    """POST ``body``; the HTTP status (an error status is returned, not raised)."""
    request = urllib.request.Request(url, data=body, headers=headers, method="POST")
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT_S) as resp:  # noqa: S310 - the user's own URL
            return int(resp.status)
    except urllib.error.HTTPError as exc:
        return int(exc.code)


def event_payload(event: dict[str, Any]) -> dict[str, Any]:
    return {"id": int(event["id"]), "rule": event["rule"], "subject": event["subject"],
            "session": None if event["session"] is None else str(event["session"]), "value": event["value"],
            "detail": json.loads(event["detail_json"] or "{}"), "key": event["dedup_key"],
            "created_at": str(event["created_at"])}


def deliver_pending(store: Store, *, now: datetime | None = None, send: Sender = http_post) -> dict[str, int]:
    """Send every due delivery once (see the module docstring). Returns counts
    ``{"delivered": n, "failed": n}`` of this call's attempts."""
    at = now or utcnow()
    claimed = store.retrying(lambda conn: db.claim_due(conn, at, LEASE, MAX_ATTEMPTS))
    counts = {"delivered": 0, "failed": 0}
    for row in claimed:
        body = json.dumps(event_payload(row["event"]), ensure_ascii=False).encode("utf-8")
        headers = {"Content-Type": "application/json; charset=utf-8",
                   "X-Socialfund-Event": str(row["event"]["dedup_key"])}
        error: str | None = None
        try:
            status = send(str(row["url"]), body, headers)
            if not 200 <= status < 300:
                error = f"HTTP {status}"
        except (OSError, ValueError) as exc:
            error = f"{type(exc).__name__}: {exc}"
        done = error is None
        retry_at = None if done else at + timedelta(seconds=BACKOFF_S * 2 ** (int(row["attempts"]) - 1))
        store.retrying(lambda conn: db.finish_delivery(conn, int(row["id"]), delivered_at=at if done else None,
                                                       next_attempt_at=retry_at, error=error))
        counts["delivered" if done else "failed"] += 1
    return counts
