"""The instrument universe: what a code is (names, kind, market, currency, Yahoo symbol,
asset category, exchange calendar) and the committed universe file that lists the demo's.
The store's universe (which grows) is read and written by ``market.registry``."""

from __future__ import annotations

from dataclasses import dataclass, fields
from pathlib import Path

from socialfund.core.config import DEMO_DATA_DIR
from socialfund.io.csvrows import read_csv_file


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
