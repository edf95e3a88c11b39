"""Instrument search for pickers: rank instruments by how well their code or names match
what was typed. Pure: it takes the instruments, never a provider or the store."""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable
from typing import TypeVar

from socialfund.core.models import NamedInstrument

InstrumentT = TypeVar("InstrumentT", bound=NamedInstrument)


def search_instruments(instruments: Iterable[InstrumentT], query: str, limit: int = 20) -> list[InstrumentT]:
    """Instruments whose code, Chinese name or English name contains ``query``
    (case-insensitive; full-width characters normalised). Best first: exact code, code
    prefix, name prefix, then anywhere; ties by code. An empty query returns the first
    ``limit`` by code."""
    q = unicodedata.normalize("NFKC", query or "").strip().casefold()
    items = sorted(instruments, key=lambda i: i.code)
    if not q:
        return items[:limit]
    scored: list[tuple[int, str, InstrumentT]] = []
    for inst in items:
        code = inst.code.casefold()
        bare = code.split(".")[0]
        zh, en = inst.name_zh.casefold(), inst.name_en.casefold()
        if q in (code, bare):
            rank = 0
        elif code.startswith(q):
            rank = 1
        elif zh.startswith(q) or en.startswith(q):
            rank = 2
        elif q in code or q in zh or q in en:
            rank = 3
        else:
            continue
        scored.append((rank, inst.code, inst))
    return [inst for _, _, inst in sorted(scored, key=lambda s: (s[0], s[1]))][:limit]
