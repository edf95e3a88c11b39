"""Reading wishes from the store: a wish's row with its owner's name, its deposits, links
and guesses. No permission checks here: ``socialfund.services.wishes`` holds them, and is
the only caller."""

from __future__ import annotations

from sqlalchemy import Connection, RowMapping, func, select

from socialfund.store import schema


def wish_row(conn: Connection, wish_id: object) -> RowMapping | None:
    """The wish with ``owner_name`` (None when missing or the id is not an integer)."""
    try:
        wid = int(str(wish_id))
    except (TypeError, ValueError):
        return None
    w, u = schema.wishes, schema.users
    return conn.execute(select(w, u.c.display_name.label("owner_name")).join(u, u.c.id == w.c.owner_id)
                        .where(w.c.id == wid)).mappings().first()


def owner_wish_rows(conn: Connection, owner_id: int) -> list[RowMapping]:
    w, u = schema.wishes, schema.users
    return list(conn.execute(select(w, u.c.display_name.label("owner_name")).join(u, u.c.id == w.c.owner_id)
                             .where(w.c.owner_id == owner_id).order_by(w.c.id.desc())).mappings().all())


def deposit_rows(conn: Connection, wish_id: int) -> list[RowMapping]:
    d = schema.wish_deposits
    return list(conn.execute(select(d).where(d.c.wish_id == wish_id).order_by(d.c.on_date, d.c.id)).mappings().all())


def guess_rows(conn: Connection, wish_id: int) -> list[RowMapping]:
    g = schema.wish_guesses
    return list(conn.execute(select(g).where(g.c.wish_id == wish_id).order_by(g.c.id)).mappings().all())


def link_rows(conn: Connection, wish_id: int) -> list[RowMapping]:
    k = schema.wish_links
    return list(conn.execute(select(k).where(k.c.wish_id == wish_id).order_by(k.c.id.desc())).mappings().all())


def link_by_hash(conn: Connection, digest: str) -> RowMapping | None:
    k = schema.wish_links
    return conn.execute(select(k).where(k.c.token_hash == digest)).mappings().first()


def saved_fen(conn: Connection, wish_id: int) -> tuple[int, int]:
    """(deposits, simulated tips) in fen: exact integer sums."""
    d, g = schema.wish_deposits, schema.wish_guesses
    deposits = conn.execute(select(func.coalesce(func.sum(d.c.amount_fen), 0)).where(d.c.wish_id == wish_id)).scalar_one()
    tips = conn.execute(select(func.coalesce(func.sum(g.c.tip_fen), 0)).where(g.c.wish_id == wish_id)).scalar_one()
    return int(deposits), int(tips)
