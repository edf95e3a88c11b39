"""The instrument universe: what a code is (names, kind, market, currency, Yahoo symbol,
asset category, exchange calendar), the committed universe file that lists the demo's, and
the store's ``instruments`` table, where the universe grows (the demo's rows are just the
first; imports and providers register the codes they bring)."""

from __future__ import annotations

from dataclasses import dataclass, fields
from pathlib import Path

from sqlalchemy import select

from socialfund.core.config import DEMO_DATA_DIR
from socialfund.io.csvrows import read_csv_file
from socialfund.store import Store, insert_ignore, schema


@dataclass(frozen=True)
class Instrument:
    """One tradable fund, ETF or index; ``calendar`` is its exchange calendar (XSHG, XNYS)."""

    code: str
    name_zh: str
    name_en: str
    kind: str
    market: str
    currency: str
    yahoo: str | None
    category: str
    calendar: str

    def name(self, lang: str) -> str:
        return self.name_zh if lang == "zh" else self.name_en


#: The columns of a universe file: the fields of ``Instrument``.
INSTRUMENT_COLUMNS = tuple(f.name for f in fields(Instrument))


def load_universe(path: Path = DEMO_DATA_DIR / "universe.csv") -> list[Instrument]:
    """The instruments of a universe file (default: the committed ``data/universe.csv``);
    codes stay text (``000001`` keeps its zeros), an empty ``yahoo`` cell is ``None``."""
    table = read_csv_file(path, required=INSTRUMENT_COLUMNS)
    return [Instrument(**{c: row[c] for c in INSTRUMENT_COLUMNS if c != "yahoo"}, yahoo=row["yahoo"] or None)
            for row in table]


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
