"""Import a price file into the store: ``python -m socialfund prices import`` and the home
page's upload.

1. ``io.price_formats.sniff_prices`` recognises the format and reads the closes (a blank or
   suspension row is a gap);
2. ``market.instruments.resolve_imported_codes`` resolves the codes through the one
   resolver over the store's universe, and names the instruments the file brings;
3. ``market.quality.check_prices`` checks every series on its exchange calendar (gaps,
   rows on non-sessions, jumps against the previous valid close, staleness);
4. ONE write transaction registers the new instruments and stores the closes under
   ``prices.source = core.sources.file_price_source(name)`` (``file:510300.csv``); gaps and
   rows dated on a non-session of the code's market (counted) are not stored. Importing a
   file of the same name again replaces what it stored for its codes (a corrected export),
   nothing else.

Any rejection (``ValidationError``) happens before the transaction: the store is unchanged.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

import numpy as np
import pandas as pd
from sqlalchemy import delete, insert, select

from socialfund.core.errors import ValidationError
from socialfund.core.sources import file_price_source
from socialfund.core.timeutil import utcnow
from socialfund.io.price_formats import sniff_prices
from socialfund.market.instruments import resolve_imported_codes
from socialfund.market.registry import register_instruments_in, stored_universe
from socialfund.market.pricedata import long_to_wide
from socialfund.market.quality import QualityReport, check_prices
from socialfund.store import Store, schema
from socialfund.store.demo import DEMO_LOADED_KEY
from socialfund.store.prices import insert_prices

#: Largest price file read (20 years × 500 funds of daily closes in long form is about 80 MB).
MAX_PRICE_FILE_BYTES = 256 * 2**20
#: Rows stored between two progress reports (one transaction for the whole file all the same).
STORE_CHUNK = 100_000
#: ``meta`` key: when and what the last price import stored (``prices_fingerprint``).
PRICES_IMPORTED_KEY = "prices_imported"


@dataclass(frozen=True)
class PricesImportResult:
    """What one import stored: ``rows`` closes (gaps excluded) of ``codes`` from ``first`` to
    ``last``; ``registered`` the codes new to the universe; ``gaps`` the rows kept as gaps;
    ``non_sessions_dropped`` rows dated on a day the code's market was closed (not stored);
    ``quality`` the file's ``market.quality`` report (its jumps: ``jumps``); ``warnings``
    what the reading assumed."""

    file: str
    format: str
    source: str
    rows: int
    codes: tuple[str, ...]
    registered: tuple[str, ...]
    first: date
    last: date
    gaps: int
    non_sessions_dropped: int
    quality: QualityReport
    warnings: tuple[str, ...]

    @property
    def jumps(self) -> list[dict[str, object]]:
        """Every jump of the file: code, date, previous valid date, change, suspicion."""
        return [{"code": s.code, **j} for s in self.quality.series for j in s.to_record()["jumps"]]

    def summary(self) -> str:
        """One line: what was stored, from where, and how many notices there are."""
        new = f", {len(self.registered)} new to the universe" if self.registered else ""
        return (f"imported {self.rows} prices of {len(self.codes)} codes ({', '.join(self.codes[:5])}"
                f"{', …' if len(self.codes) > 5 else ''}{new}) {self.first} → {self.last} from {self.file} "
                f"as {self.format}: {self.gaps} gaps, {self.non_sessions_dropped} rows on non-sessions dropped, "
                f"{len(self.jumps)} jumps, {len(self.warnings)} warnings")

    def record(self) -> dict[str, object]:
        """The ``--json`` object."""
        return {"file": self.file, "format": self.format, "rows": self.rows, "codes": list(self.codes),
                "first": self.first.isoformat(), "last": self.last.isoformat(), "gaps": self.gaps,
                "non_sessions_dropped": self.non_sessions_dropped, "jumps": self.jumps,
                "warnings": list(self.warnings), "registered": list(self.registered), "source": self.source}


def import_price_file(store: Store, data: bytes, name: str, *, code: str | None = None,
                      progress: Callable[[int, int], None] | None = None) -> PricesImportResult:
    """Read, check and store one price file (see the module docstring); ``code`` is ``--code``.
    ``progress(rows stored, rows to store)`` is called after each ``STORE_CHUNK`` rows, all of
    them inside the one write transaction."""
    if len(data) > MAX_PRICE_FILE_BYTES:
        raise ValidationError(f"file is larger than {MAX_PRICE_FILE_BYTES // 2**20} MB", file=name)
    imported = sniff_prices(data, name, code)
    universe = stored_universe(store)
    resolved = resolve_imported_codes(imported, universe, code)
    calendars = {i.code: i.calendar for i in [*universe, *resolved.new]}
    quality = check_prices(long_to_wide(resolved.frame), calendars)
    off = {s.code: s.non_session_dates for s in quality.series if s.non_session_dates}
    prices = _stored_rows(resolved.frame, off)
    source = file_price_source(name)
    codes = tuple(sorted(pd.unique(prices["code"])))
    new = [i for i in resolved.new if i.code in codes]   # a code with only gaps brings nothing
    first, last = _date_span(prices["date"])
    now = utcnow()
    with store.write() as conn:
        register_instruments_in(conn, new)
        conn.execute(delete(schema.prices).where(schema.prices.c.source == source,
                                                 schema.prices.c.code.in_(codes)))
        codes_all = prices["code"].to_numpy(dtype=object)
        closes_all = prices["close"].to_numpy(dtype=float)
        for start in range(0, len(prices), STORE_CHUNK):
            stop = min(start + STORE_CHUNK, len(prices))
            insert_prices(conn, codes_all[start:stop].tolist(), prices["date"].iloc[start:stop],
                          closes_all[start:stop].tolist(), source, now)
            if progress is not None:
                progress(stop, len(prices))
        conn.execute(delete(schema.meta).where(schema.meta.c.key == PRICES_IMPORTED_KEY))
        conn.execute(insert(schema.meta).values(key=PRICES_IMPORTED_KEY, value=f"{now.isoformat()} {source}"))
    return PricesImportResult(
        file=name, format=imported.format, source=source, rows=len(prices), codes=codes,
        registered=tuple(sorted(i.code for i in new)), first=first, last=last,
        gaps=imported.gaps, non_sessions_dropped=sum(len(d) for d in off.values()), quality=quality,
        warnings=resolved.warnings)


def _day_numbers(dates: pd.Series) -> np.ndarray:
    """``datetime.date`` cells → days since 1970 (int64), converting each distinct date once
    (a million rows hold a few thousand dates; numpy converts date objects one by one)."""
    ids, uniq = pd.factorize(dates)
    return np.asarray(pd.DatetimeIndex(uniq).to_numpy(dtype="datetime64[D]").astype(np.int64))[ids]


def _date_span(dates: pd.Series) -> tuple[date, date]:
    """The first and last of ``dates`` (``datetime.date`` cells), compared once per distinct date."""
    uniq = pd.unique(dates)
    return min(uniq), max(uniq)


def _stored_rows(frame: pd.DataFrame, off: dict[str, tuple[date, ...]]) -> pd.DataFrame:
    """The rows to store: the valid closes, less each code's rows on non-sessions of its market
    (``off``: code → dates), matched in one vectorised lookup on (code, day) integer keys."""
    prices = frame.dropna(subset=["close"])
    if not off:
        return prices
    code_ids, code_names = pd.factorize(prices["code"])
    index = {c: i for i, c in enumerate(code_names)}
    keys = code_ids.astype(np.int64) << 32 | (_day_numbers(prices["date"]) & 0xFFFFFFFF)
    drop = np.array([index[c] << 32 | ((d - _EPOCH).days & 0xFFFFFFFF)
                     for c, ds in off.items() if c in index for d in ds], dtype=np.int64)
    return prices[~np.isin(keys, drop)]


_EPOCH = date(1970, 1, 1)


def prices_fingerprint(store: Store) -> str:
    """Changes with every price import (and with the demo's loading): a cache key for what the
    store provider serves, read from the ``meta`` table in one indexed lookup instead of a
    scan of the prices."""
    m = schema.meta
    with store.read() as conn:
        rows = conn.execute(select(m.c.key, m.c.value).where(m.c.key.in_([PRICES_IMPORTED_KEY, DEMO_LOADED_KEY]))
                            .order_by(m.c.key)).all()
    return ";".join(f"{k}={v}" for k, v in rows)
