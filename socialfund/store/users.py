"""Users: keyed on a stable string ('local:<name>', 'oidc:<issuer>|<subject>', 'demo:<n>')."""

from __future__ import annotations

from sqlalchemy import select

from socialfund.store import Store, schema
from socialfund.store.engine import insert_ignore
from socialfund.core.timeutil import utcnow


def get_or_create_user(store: Store, key: str, display_name: str) -> int:
    """The id of the user with ``key``, creating it on first sight (race-safe: insert-ignore, then read)."""
    with store.read() as conn:
        row = conn.execute(select(schema.users.c.id).where(schema.users.c.key == key)).first()
    if row is not None:
        return int(row[0])
    handle = key.split(":", 1)[-1][:64]
    with store.write() as conn:
        insert_ignore(conn, schema.users, [{"key": key, "handle": handle, "display_name": display_name[:128],
                                            "is_demo": False, "created_at": utcnow()}])
        return int(conn.execute(select(schema.users.c.id).where(schema.users.c.key == key)).scalar_one())
