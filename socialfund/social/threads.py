"""The pure rules of the discussion (no store): cashtags, blocked words, rate-limit maths.

* **Cashtags.** ``$510300$`` (dollar, code, dollar; full-width ``＄`` too) links a fund.
  ``cashtags(text)`` returns the typed codes in order of first appearance, each once;
  resolving them against the universe is the caller's (``core.codes.CodeResolver``).
* **Blocked words.** A post containing any word of the list (matched after NFKC and
  case-folding, so full-width and upper-case spellings are caught) is held for review.
  The list file has one word per line; ``#`` starts a comment, blank lines are skipped.
* **Rate limits.** A user may write at most ``per_minute`` posts in any 60 seconds and
  ``per_day`` in any 24 hours (rolling windows ending now; replies count, deleted and
  held posts count too, so deleting does not buy a new slot). ``None`` switches a limit off.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from datetime import datetime, timedelta

#: Longest post (characters, after NFC and stripping).
MAX_POST_CHARS = 500
#: Longest report reason.
MAX_REASON_CHARS = 200
#: Most cashtags one post may carry.
MAX_CASHTAGS = 10
SELF_TAGS = ("bull", "bear")
MINUTE = timedelta(seconds=60)
DAY = timedelta(hours=24)

_CASHTAG = re.compile(r"[$＄]\s*([0-9A-Za-z][0-9A-Za-z.]{0,15})\s*[$＄]")


def check_tag(tag: str | None) -> str | None:
    """``'bull'``, ``'bear'`` or ``None`` (an empty string is None); anything else ``ValueError``."""
    if tag is None or tag == "":
        return None
    value = str(tag).strip().lower()
    if value not in SELF_TAGS:
        raise ValueError(f"tag must be bull or bear (看多/看空), got {tag!r}")
    return value


def cashtags(text: str) -> list[str]:
    """The codes written as ``$CODE$`` in ``text``, first appearance first, each once."""
    found: dict[str, None] = {}
    for match in _CASHTAG.finditer(unicodedata.normalize("NFKC", text)):
        found.setdefault(match.group(1).upper(), None)
    return list(found)


def split_cashtags(text: str) -> list[tuple[str, bool]]:
    """``text`` cut into (piece, is_cashtag) parts, for drawing links; the cashtag pieces
    are the codes as typed (without the dollars)."""
    out: list[tuple[str, bool]] = []
    pos = 0
    for match in _CASHTAG.finditer(text):
        if match.start() > pos:
            out.append((text[pos:match.start()], False))
        out.append((match.group(1), True))
        pos = match.end()
    if pos < len(text):
        out.append((text[pos:], False))
    return out


def _fold(text: str) -> str:
    return unicodedata.normalize("NFKC", text).casefold()


def parse_word_list(text: str) -> tuple[str, ...]:
    """The words of a blocked-word file: one per line, ``#`` comments and blanks skipped,
    each folded (NFKC, case-folded), duplicates dropped, order kept."""
    words: dict[str, None] = {}
    for line in text.splitlines():
        word = _fold(line.split("#", 1)[0].strip())
        if word:
            words.setdefault(word, None)
    return tuple(words)


def blocked_words_in(text: str, words: Iterable[str]) -> list[str]:
    """The words of ``words`` found in ``text`` (NFKC + case-folded on both sides)."""
    folded = _fold(text)
    return [w for w in words if w and _fold(w) in folded]


def rate_limit_problem(recent: Sequence[datetime], now: datetime, per_minute: int | None,
                       per_day: int | None) -> str | None:
    """Why one more post at ``now`` would break a limit, given the times of the user's
    earlier posts (``recent``; any order, only the last 24 hours matter), else ``None``."""
    return limit_problem(sum(1 for t in recent if now - MINUTE < t <= now),
                         sum(1 for t in recent if now - DAY < t <= now), per_minute, per_day)


def limit_problem(in_minute: int, in_day: int, per_minute: int | None, per_day: int | None) -> str | None:
    """``rate_limit_problem`` from the counts of earlier posts in the last 60 s and 24 h
    (windows open on the left: a post exactly 60 s old no longer counts for the minute)."""
    if per_minute is not None and in_minute >= per_minute:
        return f"rate limit: at most {per_minute} posts per minute; wait a moment"
    if per_day is not None and in_day >= per_day:
        return f"rate limit: at most {per_day} posts per 24 hours"
    return None
