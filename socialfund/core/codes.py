"""The one code resolver: a code as a user typed it → the universe code it means.

Used by every reader of user codes (posts files, holdings files). Strings in, strings out:
the universe is passed in as its codes, so this needs nothing but ``str``.

Rules, in order:

1. the typed code is Unicode-NFKC normalised (full-width ``５１０３００`` → ``510300``) and
   stripped; an empty code is refused;
2. an exact universe code matches (``110022``, ``510300.SS``);
3. then case-insensitively (``510300.ss`` → ``510300.SS``, ``spy`` → ``SPY``);
4. then a bare 6-digit exchange code matches the one universe code it abbreviates
   (``510300`` → ``510300.SS``), "completed"; when it abbreviates several
   (``123456.SS`` and ``123456.SZ``) it is refused as ambiguous: add the suffix;
5. anything else is unknown. A code of fewer than 6 digits gets a hint: a spreadsheet
   probably read ``000001`` as the number 1 (leading zeros are never guessed back).

Suffixes are taken as written: ``.SS`` and ``.SZ`` are the universe's suffixes; another
exchange spelling (``510300.SH``) is unknown, not rewritten.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

#: How a code matched, or why it did not.
MatchKind = Literal["exact", "case", "completed", "empty", "ambiguous", "short", "unknown"]

BARE_DIGITS = 6   # A-share / fund exchange codes have 6 digits


@dataclass(frozen=True)
class CodeMatch:
    """The outcome of ``CodeResolver.match``.

    ``code`` is the universe code (None when not resolved); ``typed`` the normalised input;
    ``kind`` how it matched or why not; ``candidates`` the universe codes an ambiguous bare
    code abbreviates. ``reason`` is one line saying what went wrong (empty when resolved),
    ``note`` one line saying what was assumed (only for a completed code)."""

    code: str | None
    typed: str
    kind: MatchKind
    candidates: tuple[str, ...] = ()

    @property
    def ok(self) -> bool:
        return self.code is not None

    @property
    def note(self) -> str:
        return f"{self.typed} read as {self.code}" if self.kind == "completed" else ""

    @property
    def reason(self) -> str:
        if self.kind == "empty":
            return "code is empty"
        if self.kind == "ambiguous":
            return f"code {self.typed!r} is ambiguous ({', '.join(self.candidates)}): add the suffix"
        if self.kind == "short":
            return (f"unknown code {self.typed!r}: fund codes have {BARE_DIGITS} digits "
                    f"(did a spreadsheet turn {self.typed.zfill(BARE_DIGITS)!r} into a number?)")
        if self.kind == "unknown":
            return f"unknown code {self.typed!r} (not in the fund universe)"
        return ""


def normalise_code(raw: str) -> str:
    """NFKC (full-width → ASCII) and surrounding whitespace removed."""
    return unicodedata.normalize("NFKC", raw).strip()


class CodeResolver:
    """Resolve typed codes against one universe (see the module docstring for the rules).

    Build it once per file: lookups are dictionary hits."""

    def __init__(self, codes: Iterable[str]) -> None:
        self.codes: frozenset[str] = frozenset(codes)
        self._by_upper: dict[str, str] = {}
        self._by_bare: dict[str, list[str]] = {}
        for code in sorted(self.codes):
            self._by_upper.setdefault(code.upper(), code)
            bare, dot, _ = code.partition(".")
            if dot and bare.isdigit() and len(bare) == BARE_DIGITS:
                self._by_bare.setdefault(bare, []).append(code)

    def match(self, raw: str) -> CodeMatch:
        """How ``raw`` matches the universe; never raises."""
        typed = normalise_code(raw)
        if not typed:
            return CodeMatch(None, typed, "empty")
        if typed in self.codes:
            return CodeMatch(typed, typed, "exact")
        hit = self._by_upper.get(typed.upper())
        if hit is not None:
            return CodeMatch(hit, typed, "case")
        if typed.isdigit() and len(typed) == BARE_DIGITS:
            matches = self._by_bare.get(typed, [])
            if len(matches) == 1:
                return CodeMatch(matches[0], typed, "completed")
            if matches:
                return CodeMatch(None, typed, "ambiguous", tuple(sorted(matches)))
        if typed.isdigit() and len(typed) < BARE_DIGITS:
            return CodeMatch(None, typed, "short")
        return CodeMatch(None, typed, "unknown")

    def resolve(self, raw: str) -> str:
        """The universe code for ``raw``; raises ``ValueError`` with ``CodeMatch.reason``."""
        found = self.match(raw)
        if found.code is None:
            raise ValueError(found.reason)
        return found.code
