"""The sentiment scorer interface: results, the ``Scorer`` protocol, labels, the checks every
scorer applies before scoring, and the registry ``get_scorer(spec)``.

Every scorer maps a text to a ``SentimentResult`` whose ``score`` lies in [0, 1]
(0 = bearish, 0.5 = neutral, 1 = bullish) and whose ``label`` follows one rule:

    score < 0.4 -> 'neg',   score > 0.6 -> 'pos',   otherwise -> 'neu'

(``NEG_BELOW`` / ``POS_ABOVE``; the neutral band is symmetric around 0.5 and as wide as
snownlp's customary 0.4-0.6 band, so figures stay comparable with the baseline.)
The ``model`` scorer uses its classifier's most probable class as the label instead,
because its classes were learned directly.

Four scorers implement it (in ``socialfund/scorers/``):

* ``finance`` (default; ``scorers.rules.FinanceScorer``): lexicon + rules, no model;
* ``finance-adapted`` (``scorers.adapted.AdaptedFinanceScorer``): ``finance`` adapted to one
  corpus without labels (``FinanceScorer.adapt(texts)``, the CLI's ``--adapt``);
* ``snownlp`` (``scorers.baseline.SnowNLPScorer``): the baseline (shopping-review model);
* ``model:PATH`` (``scorers.trained.ModelScorer``): a model trained by
  ``python -m socialfund sentiment train`` on the user's own labelled file.

``get_scorer`` builds ``finance``, ``snownlp`` and ``model:PATH``; the adapted scorer needs a
corpus and comes from ``FinanceScorer.adapt``.

Unscored texts get ``score=None, label=None, confidence=None`` and a ``reason``:
'empty' (no characters / not a string), 'whitespace', 'emoji-only' (no letter, digit or
CJK character: emoji and punctuation alone; emoji count as evidence only inside text), 'too-long' (over
``MAX_TEXT_BYTES`` = 1 MB of UTF-8: refused as not a post). Texts up to 1 MB are scored on
their first ``MAX_SCORED_CHARS`` (2,000) characters only, without a mark: a forum post's
stance is stated early and the cap bounds the cost of one pathological text.
HTML in a text is only text: tags are neither parsed nor executed.
"""

from __future__ import annotations

import importlib
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Protocol, cast, runtime_checkable

from socialfund.core.errors import ConfigError

NEG_BELOW = 0.4
POS_ABOVE = 0.6
MAX_SCORED_CHARS = 2_000
MAX_TEXT_BYTES = 1_000_000

Label = str  # 'neg' | 'neu' | 'pos'


@dataclass(frozen=True)
class SentimentResult:
    """One text's sentiment. ``score`` in [0, 1] (0.5 neutral), or None when unscored."""

    score: float | None
    label: str | None
    confidence: float | None
    reason: str | None = None

    @property
    def scored(self) -> bool:
        return self.score is not None


@runtime_checkable
class Scorer(Protocol):
    """What every scorer offers. ``version`` changes whenever rules, lexicon or model
    change, so callers may use ``(name, version, text)`` as a cache key."""

    name: str
    version: str

    def score_many(self, texts: Sequence[str]) -> list[SentimentResult]: ...


def label_for(score: float) -> str:
    """Score in [0, 1] -> 'neg' (< 0.4), 'pos' (> 0.6) or 'neu'."""
    if score < NEG_BELOW:
        return "neg"
    if score > POS_ABOVE:
        return "pos"
    return "neu"


def unscored(reason: str) -> SentimentResult:
    """The result of a text no scorer scores, with the reason ('empty', 'emoji-only', ...)."""
    return SentimentResult(score=None, label=None, confidence=None, reason=reason)


def has_word_char(text: str) -> bool:
    """Does the text hold a character that carries language (CJK ideograph, letter or
    digit of any script)? Emoji and punctuation alone do not."""
    for ch in text:
        if ch.isalnum():  # str.isalnum is True for CJK ideographs, letters, digits
            return True
    return False


def precheck(text: Any) -> tuple[str | None, str | None]:
    """Return ``(capped_text, None)`` for a scorable text or ``(None, reason)``.

    Does not test for emoji-only: whether an emoji is evidence depends on the scorer."""
    if not isinstance(text, str) or text == "":
        return None, "empty"
    if len(text) * 4 > MAX_TEXT_BYTES and len(text.encode("utf-8")) > MAX_TEXT_BYTES:
        return None, "too-long"
    if text.isspace():
        return None, "whitespace"
    return text[:MAX_SCORED_CHARS], None


# ---------------------------------------------------------------------------
# Registry
# ---------------------------------------------------------------------------

# spec name -> "module:attribute" of the factory that builds the scorer. The scorer
# modules are imported lazily, by name, when a spec asks for them and never at module
# level: they import this module for the types (a module-level import back would be a
# cycle, and socialfund.scorers sits above this module's layer), and their dependencies
# are slow to load (scikit-learn for the models, snownlp about 2 s).
_REGISTRY: dict[str, str] = {
    "finance": "socialfund.scorers.rules:FinanceScorer",
    "snownlp": "socialfund.scorers.baseline:SnowNLPScorer",
    "model": "socialfund.scorers.trained:load_model",  # called with PATH
}
_SPEC_RE = re.compile(r"^(finance|snownlp|model:.+)$")


def _factory(name: str) -> Callable[..., Scorer]:
    module, _, attribute = _REGISTRY[name].partition(":")
    return cast(Callable[..., Scorer], getattr(importlib.import_module(module), attribute))


def get_scorer(spec: str = "finance") -> Scorer:
    """``finance`` (default), ``snownlp`` or ``model:PATH`` -> a Scorer.
    Unknown specs raise ``ConfigError``."""
    spec = (spec or "finance").strip()
    if not _SPEC_RE.match(spec):
        raise ConfigError(f"unknown sentiment scorer {spec!r}: use finance, snownlp or model:PATH")
    if spec.startswith("model:"):
        return _factory("model")(spec[len("model:"):])
    return _factory(spec)()
