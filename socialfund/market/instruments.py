"""The instrument universe: what a code is (names, kind, market, currency, Yahoo symbol,
asset category, exchange calendar) and the committed universe file that lists the demo's.
The store's universe (which grows) is read and written by ``market.registry``.

``universe_resolver`` is the one code resolver (``core.codes``) over a universe, and
``resolve_imported_codes`` turns the codes of a price file as written into universe codes,
saying which ones are new (``new_instrument``)."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, fields
from pathlib import Path

import numpy as np
import pandas as pd

from socialfund.core.codes import CodeResolver, canonical_code, clean_code, is_bare, is_listed
from socialfund.core.config import DEMO_DATA_DIR
from socialfund.core.errors import ValidationError
from socialfund.io.csvrows import read_csv_file
from socialfund.io.price_formats import PriceImport


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


def universe_resolver(instruments: Iterable[Instrument], extra: Iterable[str] = ()) -> CodeResolver:
    """The one resolver (``core.codes``) over these instruments (plus ``extra`` codes such as
    ``CASH``), knowing their kinds for its ambiguity messages."""
    listed = list(instruments)
    return CodeResolver([*(i.code for i in listed), *extra], {i.code: i.kind for i in listed})


def names_by_code(instruments: Iterable[Instrument]) -> dict[str, tuple[str, str]]:
    """code → (name_zh, name_en)."""
    return {i.code: (i.name_zh, i.name_en) for i in instruments}


#: Kinds ``new_instrument`` registers a code with (``unknown``: a US ticker, ETF or stock).
REGISTERED_KINDS = ("fund", "etf", "lof", "index", "stock", "unknown")

_US_TICKER = re.compile(r"^[A-Z]{1,5}(?:[.-][A-Z])?$")

# The code ranges of the Chinese exchanges (SSE / SZSE allocation rules): what a listed
# code of unknown kind most likely is. Longest prefix first; anything else is a stock.
_LISTED_KINDS = {
    "SS": (("000", "index"), ("50", "lof"), ("5", "etf")),
    "SZ": (("399", "index"), ("15", "etf"), ("16", "lof")),
    "BJ": (),
}


def kind_of_listed(code: str) -> str:
    """The kind of a listed code (``NNNNNN.SS/.SZ/.BJ``) from its exchange's code ranges:
    ``000xxx.SS`` and ``399xxx.SZ`` indices, ``5xxxxx.SS`` / ``15xxxx.SZ`` ETFs,
    ``50xxxx.SS`` / ``16xxxx.SZ`` LOFs, else a stock."""
    digits, _, exchange = code.partition(".")
    for prefix, kind in _LISTED_KINDS[exchange]:
        if digits.startswith(prefix):
            return kind
    return "stock"


def new_instrument(code: str, name: str | None = None) -> Instrument:
    """The entry registered for a canonical code the store does not know yet
    (``core.codes.canonical_code``), named ``name`` when the file gave one (else the code):

    * ``NNNNNN``: an open-end fund (OTC, CNY, no Yahoo symbol);
    * ``NNNNNN.SS/.SZ/.BJ``: listed in China (kind from ``kind_of_listed``, CNY, Yahoo
      symbol = the code for Shanghai and Shenzhen);
    * an upper-case US ticker (``SPY``, ``BRK-B``): US, USD, calendar XNYS.

    Anything else is refused: its market, currency and calendar cannot be told."""
    label = (name or "").strip() or code
    if is_bare(code):
        return Instrument(code, label, label, "fund", "OTC", "CNY", None, "other", "XSHG")
    if is_listed(code):
        kind = kind_of_listed(code)
        exchange = code.partition(".")[2]
        market = {"SS": "SSE", "SZ": "SZSE", "BJ": "BSE"}[exchange]
        return Instrument(code, label, label, kind, market, "CNY", None if exchange == "BJ" else code,
                          "index" if kind == "index" else "other", "XSHG")
    if _US_TICKER.match(code):
        return Instrument(code, label, label, "unknown", "US", "USD", code, "other", "XNYS")
    raise ValidationError(f"code {code!r} is not in the instrument universe and its market cannot be told: write "
                          f"an open-end fund as NNNNNN, a Chinese listing as NNNNNN.SS / NNNNNN.SZ, or a US ticker")


#: Formats of exchange bars (NetEase, investing.com, Yahoo, Alpha Vantage): a bare six-digit
#: code there is a listing whose exchange the file did not write, never an open-end fund.
EXCHANGE_BAR_FORMATS = frozenset({"ohlc", "investing", "yfinance", "alphavantage"})


@dataclass(frozen=True)
class ImportedCodes:
    """A price file's rows under universe codes: ``frame`` (date, code, close; NaN = gap),
    the instruments it brings that the universe lacks (``new``), and the sniffer's
    warnings plus what the resolution assumed (``warnings``)."""

    frame: pd.DataFrame
    new: tuple[Instrument, ...]
    warnings: tuple[str, ...]


def _same_digits(written: str, code: str) -> bool:
    return canonical_code(written).partition(".")[0] == canonical_code(code).partition(".")[0]


def resolve_imported_codes(imported: PriceImport, universe: list[Instrument],
                           code: str | None = None) -> ImportedCodes:
    """Resolve every code of ``imported`` (``io.price_formats.sniff_prices``) through the one
    resolver over ``universe``; a code it does not know is registered under its canonical
    spelling, named from the file where the file has a name.

    * A 天天基金 NAV export (``eastmoney_nav``) is an open-end fund's: its bare code is read
      as ``NNNNNN.OF`` (the fund, not a listing with the same digits).
    * In exchange bars (``EXCHANGE_BAR_FORMATS``) an unknown bare code is refused: the file
      did not say which exchange. In the generic formats (long, wide, single) a bare code is
      socialfund's own spelling of an open-end fund.
    * ``code`` (``--code``) names a one-instrument file without a code column, and also
      qualifies the file's one code when it has the same digits (``'000300`` in a NetEase
      export with ``--code 000300.SS``).
    * Ambiguous, short or unregistrable codes, and two spellings of one instrument on the
      same day, raise ``ValidationError`` naming the file."""
    resolver = universe_resolver(universe)
    positions, spelled = pd.factorize(imported.frame["code"])   # vectorised: a file repeats few codes many times
    written = sorted(str(w) for w in spelled)
    override = code if code is not None and len(written) == 1 and _same_digits(written[0], code) else None
    warnings = [w for w in imported.warnings if override is None or not w.startswith(f"code {code!r} ignored")]
    mapping: dict[str, str] = {}
    new: dict[str, Instrument] = {}
    for w in written:
        typed = clean_code(override or w)
        if imported.format == "eastmoney_nav" and is_bare(typed):
            typed += ".OF"
        found = resolver.match(typed)
        if found.code is not None:
            target = found.code
            if found.note:
                warnings.append(found.note)
        elif found.kind != "unknown":
            raise ValidationError(f"{imported.format}: {found.reason}", file=imported.file)
        elif is_bare(typed) and imported.format in EXCHANGE_BAR_FORMATS:
            raise ValidationError(f"{imported.format}: code {w!r} does not say its exchange and is not in the "
                                  f"instrument universe: write sh{typed} ({typed}.SS) or sz{typed} ({typed}.SZ), "
                                  f"or {typed}.OF for an open-end fund; for a one-instrument file pass "
                                  f"--code {typed}.SS", file=imported.file)
        else:
            target = canonical_code(typed)
            try:
                new[target] = new_instrument(target, imported.names.get(w))
            except ValidationError as exc:
                raise ValidationError(f"{imported.format}: {exc.message}", file=imported.file) from None
        mapping[w] = target
        if override is not None and clean_code(override) != w:
            warnings.append(f"{w} read as {target} (--code)")
    frame = imported.frame.assign(code=np.asarray([mapping[str(w)] for w in spelled], dtype=object)[positions])
    twice = frame.duplicated(["code", "date"], keep=False)
    if twice.any():   # two spellings of one instrument (sh510300, 510300.SH) on the same day
        first = frame[twice].iloc[0]
        spellings = sorted(set(imported.frame.loc[twice & (frame["code"] == first["code"]) &
                                                  (frame["date"] == first["date"]), "code"]))
        raise ValidationError(f"{imported.format}: codes {' and '.join(map(repr, spellings))} are the same "
                              f"instrument {first['code']}, both on {first['date']}", file=imported.file)
    return ImportedCodes(frame, tuple(new.values()), tuple(warnings))
