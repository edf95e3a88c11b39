"""The store's instrument universe, where it grows: the demo's rows are just the first;
imports and providers register the codes they bring. Apart from ``market.instruments`` so
the pure analytics that use ``Instrument`` never import the store."""

from __future__ import annotations

from sqlalchemy import select

from socialfund.market.instruments import INSTRUMENT_COLUMNS, Instrument
from socialfund.store import Store, insert_ignore, schema


def stored_universe(store: Store) -> list[Instrument]:
    """Every instrument registered in the store, ordered by code."""
    t = schema.instruments
    with store.read() as conn:
        rows = conn.execute(select(*(t.c[c] for c in INSTRUMENT_COLUMNS)).order_by(t.c.code)).mappings().all()
    return [Instrument(**{c: row[c] for c in INSTRUMENT_COLUMNS}) for row in rows]


def register_instruments(store: Store, instruments: list[Instrument]) -> int:
    """Add the instruments whose codes the store does not know yet (known codes are never
    overwritten); returns how many were added. One write transaction."""
    t = schema.instruments
    with store.write() as conn:
        known = {r[0] for r in conn.execute(select(t.c.code).where(t.c.code.in_([i.code for i in instruments])))}
        new = [{c: getattr(i, c) for c in INSTRUMENT_COLUMNS} for i in instruments if i.code not in known]
        insert_ignore(conn, t, new)
    return len(new)
