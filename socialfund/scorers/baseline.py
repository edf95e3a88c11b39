"""The ``snownlp`` scorer: the named baseline, snownlp's sentiment model (trained on
shopping reviews; it misses market slang and negation, see the sentiment design card).

snownlp is imported when the scorer is built (about 2 s of import and model loading).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from socialfund.sentiment import SentimentResult, has_word_char, label_for, precheck, unscored


class SnowNLPScorer:
    """The baseline: snownlp's sentiment (trained on shopping reviews)."""

    name = "snownlp"

    def __init__(self) -> None:
        import snownlp  # lazy: about 2 s of import and model loading

        self._snownlp = snownlp.SnowNLP
        self.version = f"snownlp-{getattr(snownlp, '__version__', '0.12.3')}"

    def score_one(self, text: Any) -> SentimentResult:
        capped, reason = precheck(text)
        if capped is None:
            return unscored(reason or "empty")
        if not has_word_char(capped):
            return unscored("emoji-only")
        try:
            score = float(self._snownlp(capped).sentiments)
        except ZeroDivisionError:  # nothing snownlp recognises as a word
            return unscored("emoji-only")
        return SentimentResult(round(score, 4), label_for(score),
                               round(abs(score - 0.5) * 2, 4), None)

    def score_many(self, texts: Sequence[str]) -> list[SentimentResult]:
        return [self.score_one(t) for t in texts]
