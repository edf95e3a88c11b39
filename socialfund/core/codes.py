"""The one code resolver: a code as a user typed it → the universe code it means.

Used by every reader of user codes (holdings and history files, posts files, price files,
the command line). Strings in, strings out: the universe is passed in as its codes (and,
for messages, their kinds), so this needs nothing but ``str``.

Codes are kind-qualified inside the store
-----------------------------------------
* ``NNNNNN`` (six bare digits): an open-end fund, priced by its NAV off-exchange (``000001``
  华夏成长混合);
* ``NNNNNN.SS`` / ``NNNNNN.SZ`` / ``NNNNNN.BJ``: something listed in Shanghai, Shenzhen or
  Beijing (an ETF, LOF, index or stock: ``000001.SS`` is the SSE Composite index,
  ``000001.SZ`` the stock 平安银行);
* anything else (``SPY``, ``0700.HK``): a ticker as Yahoo spells it, upper case.

So the same six digits name different instruments, and a bare code is never silently
attributed to one of them.

Variants (``canonical_code``)
-----------------------------
Before matching, a typed code is Unicode-NFKC normalised (full-width ``５１０３００`` →
``510300``), stripped of spaces, of a spreadsheet's leading ``'`` and of an ``="…"``
wrapper, and rewritten to the spelling above:

==========================================  ===================
typed                                       canonical
==========================================  ===================
``510300.SH``, ``510300.sh``, ``510300.ss``  ``510300.SS``
``sh510300``, ``SH510300``, ``510300.XSHG``  ``510300.SS``
``sz159915``, ``159915.sz``, ``159915.XSHE`` ``159915.SZ``
``bj430047``, ``430047.bj``                  ``430047.BJ``
``000001.OF``, ``000001OF``, ``000001.of``   ``000001`` (the open-end fund)
``spy``                                     ``SPY``
==========================================  ===================

Matching (``CodeResolver.match``), in order
-------------------------------------------
1. an empty code is refused;
2. the canonical code is in the universe: that instrument (``exact`` when typed as stored,
   else ``variant``);
3. a bare six-digit code abbreviates the universe codes with those digits (the fund
   ``NNNNNN`` and any listed ``NNNNNN.XX``): exactly one is ``completed`` (with a note
   saying what was assumed); several are refused as ``ambiguous``, naming every candidate
   and how to write each;
4. anything else is ``unknown``; a code of fewer than six digits gets a hint (a spreadsheet
   probably read ``000001`` as the number 1; leading zeros are never guessed back).

A code written with an exchange or ``OF`` is taken as written: ``000001.SS`` never matches
the fund ``000001``, and ``510300.SZ`` never matches ``510300.SS``.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Literal

#: How a code matched, or why it did not.
MatchKind = Literal["exact", "variant", "case", "completed", "empty", "ambiguous", "short", "unknown"]

BARE_DIGITS = 6   # A-share / fund exchange codes have 6 digits

#: Exchange spellings → the store's suffix (Yahoo's: ``.SS`` for Shanghai).
EXCHANGE_SUFFIX = {"SH": "SS", "SS": "SS", "XSHG": "SS", "SZ": "SZ", "XSHE": "SZ", "BJ": "BJ", "BSE": "BJ"}

_PREFIXED = re.compile(r"^(SH|SZ|BJ)(\d{6})$")
_SUFFIXED = re.compile(r"^(\d{6})\.(SH|SS|XSHG|SZ|XSHE|BJ|BSE)$")
_OPEN_FUND = re.compile(r"^(\d{6})\.?OF$")
_QUOTED = re.compile(r'^="(.*)"$')


@dataclass(frozen=True)
class CodeMatch:
    """The outcome of ``CodeResolver.match``.

    ``code`` is the universe code (None when not resolved); ``typed`` the cleaned input;
    ``kind`` how it matched or why not; ``candidates`` the universe codes an ambiguous bare
    code abbreviates, each with its kind where the resolver knows it (``000001 (fund)``).
    ``reason`` is one line saying what went wrong (empty when resolved), ``note`` one line
    saying what was assumed (only for a completed code)."""

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
            return (f"code {self.typed!r} is ambiguous: it could be {', '.join(self.candidates)}; "
                    f"write {self.typed}.OF for the open-end fund or add the exchange (.SS / .SZ)")
        if self.kind == "short":
            return (f"unknown code {self.typed!r}: fund codes have {BARE_DIGITS} digits "
                    f"(did a spreadsheet turn {self.typed.zfill(BARE_DIGITS)!r} into a number?)")
        if self.kind == "unknown":
            return f"unknown code {self.typed!r} (not in the instrument universe)"
        return ""


def clean_code(raw: str) -> str:
    """NFKC (full-width → ASCII), surrounding whitespace, a spreadsheet's ``="…"`` wrapper
    and leading ``'`` removed; the letters are kept as typed."""
    s = unicodedata.normalize("NFKC", raw).strip()
    quoted = _QUOTED.match(s)
    if quoted:
        s = quoted.group(1).strip()
    return s.lstrip("'").strip()


def canonical_code(raw: str) -> str:
    """The store's spelling of a typed code (see the module docstring's table); a code of
    no known shape is only cleaned and upper-cased (``spy`` → ``SPY``)."""
    s = clean_code(raw).upper()
    prefixed = _PREFIXED.match(s)
    if prefixed:
        return f"{prefixed.group(2)}.{EXCHANGE_SUFFIX[prefixed.group(1)]}"
    suffixed = _SUFFIXED.match(s)
    if suffixed:
        return f"{suffixed.group(1)}.{EXCHANGE_SUFFIX[suffixed.group(2)]}"
    fund = _OPEN_FUND.match(s)
    if fund:
        return fund.group(1)
    return s


def normalise_code(raw: str) -> str:
    """The typed code cleaned (``clean_code``) and in its canonical spelling (``canonical_code``)."""
    return canonical_code(raw)


def is_bare(code: str) -> bool:
    """Six digits and nothing else: an open-end fund once canonical, or an unqualified code as typed."""
    return code.isdigit() and len(code) == BARE_DIGITS


def is_listed(code: str) -> bool:
    """A canonical code of something listed on a Chinese exchange (``NNNNNN.SS/.SZ/.BJ``)."""
    bare, dot, suffix = code.partition(".")
    return bool(dot) and is_bare(bare) and suffix in ("SS", "SZ", "BJ")


class CodeResolver:
    """Resolve typed codes against one universe (see the module docstring for the rules).

    ``kinds`` (code → ``fund``/``etf``/``index``…) only enriches the ambiguity message.
    Build it once per file: lookups are dictionary hits."""

    def __init__(self, codes: Iterable[str], kinds: Mapping[str, str] | None = None) -> None:
        self.codes: frozenset[str] = frozenset(codes)
        self._kinds = dict(kinds or {})
        self._by_upper: dict[str, str] = {}
        self._by_digits: dict[str, list[str]] = {}
        for code in sorted(self.codes):
            self._by_upper.setdefault(code.upper(), code)
            digits = code.partition(".")[0]
            if is_bare(code) or is_listed(code):
                self._by_digits.setdefault(digits, []).append(code)

    def _label(self, code: str) -> str:
        kind = self._kinds.get(code)
        return f"{code} ({kind})" if kind else code

    def match(self, raw: str) -> CodeMatch:
        """How ``raw`` matches the universe; never raises."""
        typed = clean_code(raw)
        if not typed:
            return CodeMatch(None, typed, "empty")
        if typed in self.codes:
            if is_bare(typed) and len(self._by_digits.get(typed, ())) > 1:
                return self._ambiguous(typed)
            return CodeMatch(typed, typed, "exact")
        canonical = canonical_code(typed)
        if canonical != typed.upper() and canonical in self.codes:
            return CodeMatch(canonical, typed, "variant")
        hit = self._by_upper.get(typed.upper())
        if hit is not None:
            return CodeMatch(hit, typed, "case")
        if is_bare(typed):
            matches = self._by_digits.get(typed, [])
            if len(matches) == 1:
                return CodeMatch(matches[0], typed, "completed")
            if matches:
                return self._ambiguous(typed)
        if typed.isdigit() and len(typed) < BARE_DIGITS:
            return CodeMatch(None, typed, "short")
        return CodeMatch(None, typed, "unknown")

    def _ambiguous(self, typed: str) -> CodeMatch:
        return CodeMatch(None, typed, "ambiguous", tuple(self._label(c) for c in self._by_digits[typed]))

    def resolve(self, raw: str) -> str:
        """The universe code for ``raw``; raises ``ValueError`` with ``CodeMatch.reason``."""
        found = self.match(raw)
        if found.code is None:
            raise ValueError(found.reason)
        return found.code
