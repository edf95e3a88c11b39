"""Which instrument a forum post is about: its code cell, its name cell, or the cashtags in
its text, resolved against the store's instruments (passed in as codes and names).

Posts name instruments the way forums write them, so this adds to the one code resolver
(``core.codes.CodeResolver``, which it calls for every lookup) the forum spellings of *where*
a code is listed, and refuses to let a listed code fall back onto an off-exchange fund with
the same digits:

* ``sh000001``, ``SH000001``, ``zssh000001`` (股吧's index boards), ``000001.SH``, ``000001.SS``
  are the Shanghai-listed ``000001.SS`` (the SSE Composite index); ``sz``/``.SZ`` and
  ``bj``/``.BJ`` likewise. Never the fund ``000001``: when ``000001.SS`` is not among the
  store's instruments the post is unresolved, with that reason.
* ``of000001`` (股吧's fund boards) / ``000001.OF`` / ``000001OF`` are the off-exchange fund
  ``000001`` only.
* Index names (``上证指数``, ``沪指``, ``深证成指`` …, ``INDEX_NAMES``) are their index codes.
* A bare code (``510300``, ``000001``) goes to the resolver as typed, which decides (``510300``
  → ``510300.SS``; ``000001`` → the fund when only the fund has those digits), unless the
  name cell names an instrument with the same digits (``000001`` + ``上证指数`` → ``000001.SS``).
* Names are matched exactly (NFKC, case and spaces ignored) against the instruments' Chinese
  and English names; a name two instruments share is ambiguous.
* Cashtags in the text, used when the row has no code and no name: ``$贵州茅台(SH600519)$``
  (the code in brackets), ``$510300$`` / ``$贵州茅台$``, ``#510300#`` / ``#上证指数#``. A tag
  that names no instrument (``#今日行情#``) is a topic and ignored; a text whose tags name
  several instruments is unresolved (which one would be a guess).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from socialfund.core.codes import CodeResolver

#: Index names forums use → their exchange code (the store must hold the code to use it).
INDEX_NAMES: dict[str, str] = {
    "上证指数": "000001.SS", "上证综指": "000001.SS", "上证综合指数": "000001.SS", "沪指": "000001.SS",
    "ssecomposite": "000001.SS", "深证成指": "399001.SZ", "深证成份指数": "399001.SZ", "深成指": "399001.SZ",
    "创业板指": "399006.SZ", "创业板指数": "399006.SZ", "沪深300": "000300.SS", "沪深300指数": "000300.SS",
    "上证50": "000016.SS", "上证50指数": "000016.SS", "中证500": "000905.SS", "中证500指数": "000905.SS",
}
_EXCHANGE_SUFFIX = {"sh": "SS", "ss": "SS", "sz": "SZ", "bj": "BJ"}
_LISTED_PREFIX = re.compile(r"(?:zs)?(sh|sz|bj)(\d{6})", re.IGNORECASE)
_LISTED_SUFFIX = re.compile(r"(\d{6})\.(sh|ss|sz|bj)", re.IGNORECASE)
_OFF_EXCHANGE = re.compile(r"of(\d{6})|(\d{6})\.?of", re.IGNORECASE)
_CODE_SHAPE = re.compile(r"(?:zs)?(?:sh|sz|bj|of)?\d{1,6}(?:\.[a-z]{2})?|[a-z]{1,5}(?:\.[a-z]{1,2})?", re.IGNORECASE)
_CASHTAG_WITH_CODE = re.compile(r"\$([^$()（）\n]{0,40}?)\s*[(（]\s*([A-Za-z]{0,4}\d{1,6}(?:\.[A-Za-z]{2})?"
                                r"|[A-Za-z]{1,5}(?:\.[A-Za-z]{1,2})?)\s*[)）]\s*\$")
_CASHTAG = re.compile(r"\$([^$\s()（）]{1,40})\$")
_HASHTAG = re.compile(r"#([^#\s]{1,40})#")
CASHTAG_STYLES = "$名称(SH600519)$, $510300$ or #510300#"


@dataclass(frozen=True)
class Resolved:
    """A post's instrument: ``code`` (None when unresolved) and ``reason`` (empty when
    resolved); ``how`` says where it came from: 'code', 'completed' (a bare code given its
    exchange suffix), 'name', 'cashtag'. ``meant`` is the exchange-listed code a written
    code spells (``sh000001`` → ``000001.SS``), even when the store does not hold it."""

    code: str | None
    reason: str = ""
    how: str = ""
    meant: str = ""        # the exchange-listed code a written code means, resolved or not


def _typed(raw: str) -> str:
    """A written code as compared here: NFKC, stripped, without a spreadsheet's leading ``'``
    (the resolver does its own cleaning of what it is given)."""
    return unicodedata.normalize("NFKC", raw).strip().lstrip("'").strip()


def _name_key(raw: str) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", raw)).casefold()


class PostCodes:
    """Resolve posts' codes, names and cashtags against one set of instruments (build once per
    file). ``names`` maps each code to its names (Chinese, English)."""

    def __init__(self, codes: Iterable[str], names: Mapping[str, Iterable[str]] | None = None) -> None:
        self.resolver = CodeResolver(codes)
        self._by_name: dict[str, set[str]] = {}
        for code, code_names in (names or {}).items():
            for name in code_names:
                if name and name.strip():
                    self._by_name.setdefault(_name_key(name), set()).add(code)

    # ------------------------------------------------------------------ one cell

    def written_code(self, raw: str) -> Resolved:
        """A code as a forum or export writes it (see the module docstring)."""
        typed = _typed(raw)
        if _name_key(typed) in INDEX_NAMES:
            return self._listed(INDEX_NAMES[_name_key(typed)], f"code {typed!r}")
        listed = _LISTED_PREFIX.fullmatch(typed) or _LISTED_SUFFIX.fullmatch(typed)
        if listed:
            exchange, digits = (listed[1], listed[2]) if listed.re is _LISTED_PREFIX else (listed[2], listed[1])
            return self._listed(f"{digits}.{_EXCHANGE_SUFFIX[exchange.lower()]}", f"code {typed!r}")
        off = _OFF_EXCHANGE.fullmatch(typed)
        if off:
            digits = off[1] or off[2]
            if digits in self.resolver.codes:
                return Resolved(digits, how="code")
            return Resolved(None, f"code {typed!r} is the off-exchange fund {digits}, which is not among the "
                                  f"store's instruments: import its prices first")
        found = self.resolver.match(typed)
        if found.code is None:
            return Resolved(None, found.reason)
        return Resolved(found.code, how="completed" if found.kind == "completed" else "code")

    def _listed(self, code: str, described: str) -> Resolved:
        """An exchange-listed code: exactly that instrument, never an off-exchange fund.
        ``described`` says what was written (``code 'sh000001'``), for the reason."""
        found = self.resolver.match(code)
        if found.code is not None and found.kind in ("exact", "case"):
            return Resolved(found.code, how="code", meant=code)
        digits = code.partition(".")[0]
        same_digits = f"; the fund {digits} is a different instrument" if digits in self.resolver.codes else ""
        what = "the SSE Composite index " if code == "000001.SS" else ""
        return Resolved(None, f"unknown {described}: it means {what}{code} (exchange-listed), which is not among "
                              f"the store's instruments{same_digits}; import its prices first", meant=code)

    def name(self, raw: str) -> Resolved:
        """An instrument name (exact, NFKC, case and spaces ignored) or an index name."""
        key = _name_key(raw)
        if not key:
            return Resolved(None, "name is empty")
        codes = self._by_name.get(key, set())
        if len(codes) == 1:
            return Resolved(next(iter(codes)), how="name")
        if codes:
            return Resolved(None, f"name {raw.strip()!r} is ambiguous ({', '.join(sorted(codes))}): give the code")
        if key in INDEX_NAMES:
            return self._listed(INDEX_NAMES[key], f"name {raw.strip()!r}")
        return Resolved(None, f"unknown name {raw.strip()!r} (no instrument of the store has it)")

    # ------------------------------------------------------------------ one row

    def row(self, code: str, name: str, text: str) -> Resolved:
        """A post's instrument from its code cell, else its name cell, else its text's cashtags.

        A code that resolves wins over the name, except that a name meaning another instrument
        with the same digits picks that one for a bare code (``000001`` + ``上证指数`` is the index,
        not the fund) and makes an exchange-listed code unresolved (``sh000001`` + ``华夏成长混合``:
        which one?); a code that does not resolve falls back on the name when the name resolves,
        except onto a same-digit instrument of another listing."""
        if code.strip():
            by_code = self.written_code(code)
            if not name.strip():
                return by_code
            by_name = self.name(name)
            if by_code.code is None:
                if by_name.code is not None and by_code.meant and _digits(by_name.code) == _digits(by_code.meant):
                    return Resolved(None, f"{by_code.reason} (the name {name.strip()!r} is {by_name.code}, another "
                                          f"instrument with the same digits: which one is meant?)", meant=by_code.meant)
                return by_name if by_name.code is not None else by_code
            if by_name.code is not None and by_name.code != by_code.code and _digits(by_name.code) == _digits(
                    by_code.code):
                if not by_code.meant:      # a bare code: the name says which instrument with these digits
                    return by_name
                return Resolved(None, f"code {code.strip()!r} is {by_code.code} but the name {name.strip()!r} is "
                                      f"{by_name.code}, another instrument with the same digits: which one is meant?")
            index = INDEX_NAMES.get(_name_key(name))
            if by_name.code is None and index is not None and _digits(index) == _digits(by_code.code):
                return self._listed(index, f"code {code.strip()!r} named {name.strip()!r}")
            return by_code
        if name.strip():
            return self.name(name)
        return self.cashtags(text)

    def cashtags(self, text: str) -> Resolved:
        """The one instrument the text's cashtags name (see the module docstring)."""
        found: dict[str, None] = {}
        problems: list[str] = []
        taken: list[tuple[int, int]] = []
        for m in _CASHTAG_WITH_CODE.finditer(text):
            taken.append(m.span())
            got = self.written_code(m[2])
            if got.code is None and m[1].strip():
                by_name = self.name(m[1])
                got = by_name if by_name.code is not None else got
            _collect(got, found, problems)
        for pattern in (_CASHTAG, _HASHTAG):
            for m in pattern.finditer(text):
                if any(a <= m.start() < b for a, b in taken):
                    continue
                tag = m[1]
                if _CODE_SHAPE.fullmatch(_typed(tag)):
                    got = self.written_code(tag)
                    if got.code is not None or any(ch.isdigit() for ch in tag):   # $SPY$, $510300$
                        _collect(got, found, problems)
                        continue
                got = self.name(tag)
                if got.code is not None or _name_key(tag) in INDEX_NAMES:       # else a topic: #今日复盘#
                    _collect(got, found, problems)
        if len(found) == 1:
            return Resolved(next(iter(found)), how="cashtag")
        if found:
            return Resolved(None, f"the text's cashtags name several instruments ({', '.join(found)}): give the "
                                  f"code column")
        if problems:
            return Resolved(None, f"cashtag: {problems[0]}")
        return Resolved(None, f"no code: the row has no code or name and its text no cashtag ({CASHTAG_STYLES})")


def _collect(got: Resolved, found: dict[str, None], problems: list[str]) -> None:
    if got.code is not None:
        found.setdefault(got.code, None)
    else:
        problems.append(got.reason)


def _digits(code: str) -> str:
    return code.partition(".")[0]
