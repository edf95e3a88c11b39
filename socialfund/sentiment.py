"""Chinese finance sentiment scorers: one interface, three implementations.

Every scorer maps a text to a ``SentimentResult`` whose ``score`` lies in [0, 1]
(0 = bearish, 0.5 = neutral, 1 = bullish) and whose ``label`` follows one rule:

    score < 0.4 -> 'neg',   score > 0.6 -> 'pos',   otherwise -> 'neu'

(``NEG_BELOW`` / ``POS_ABOVE``; the neutral band is symmetric around 0.5 and as wide as
snownlp's customary 0.4-0.6 band, so figures stay comparable with the baseline.)
The ``model`` scorer uses its classifier's most probable class as the label instead,
because its classes were learned directly.

Scorers (``get_scorer(spec)``):

* ``finance`` (default): lexicon + rules, no model. Lexicon = socialfund's own hand-written
  stock-forum slang and emoji lists plus the Yao et al. (2021) financial dictionary
  (see ``socialfund/lexicon/README.md``). Texts are segmented by greedy longest match over
  the lexicon and the modifier words, not by jieba: jieba's dictionary load costs
  0.5-1.5 s per cold process (measured 0.54 s with a warm cache file, more without) and
  its segmentation adds nothing for lexicon look-up, where the entries themselves are
  the words we care about; the longest match also scores about 10x faster.
  Rules: negation flips and dampens, degree words scale, contrast clauses
  (虽然…但是, 不过, 可是, 然而) make the clause after weigh more, questions dampen,
  sarcasm markers (呵呵, 🤡, "真开心" after a loss word) turn joy into pain; rhetorical
  questions (难道…吗, 不是…吗) flip, complaint questions (怎么又跌了) keep their weight.
  A text with no lexicon hit scores exactly 0.5 with confidence 0.0 (label 'neu'):
  with no evidence the neutral point is the honest answer; ``adapt`` fills these in.
* ``snownlp``: the baseline (shopping-review model), imported lazily (about 2 s).
* ``model:PATH``: a char n-gram TF-IDF + logistic regression trained by
  ``python -m socialfund sentiment train`` on the user's own labelled file.
  The file is a joblib pickle: load only models you trained yourself.

Unscored texts get ``score=None, label=None, confidence=None`` and a ``reason``:
'empty' (no characters / not a string), 'whitespace', 'emoji-only' (no letter, digit or
CJK character: emoji and punctuation alone; emoji count as evidence only inside text), 'too-long' (over
``MAX_TEXT_BYTES`` = 1 MB of UTF-8: refused as not a post). Texts up to 1 MB are scored on
their first ``MAX_SCORED_CHARS`` (2,000) characters only, without a mark: a forum post's
stance is stated early and the cap bounds the cost of one pathological text.
HTML in a text is only text: tags are neither parsed nor executed.
"""

from __future__ import annotations

import hashlib
import math
import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from typing import Any, Iterable, Protocol, Sequence, runtime_checkable

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
    return SentimentResult(score=None, label=None, confidence=None, reason=reason)


# A character that carries language: CJK ideographs, letters, digits (any script).
def _has_word_char(text: str) -> bool:
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
# Lexicon loading
# ---------------------------------------------------------------------------

LEXICON_FILES = ("yao2021_financial.txt", "forum_pos.txt", "forum_neg.txt", "forum_extra.txt",
                 "forum_overrides.txt",
                 "emoji.txt")
"""Loaded in this order; a later file overrides an earlier one's weight for a word."""


def normalise(text: str) -> str:
    """Full-width ASCII to half-width (ＡＢＣ１２３ -> ABC123), then lower case.
    Applied to both lexicon entries and texts so 'ST', 'ｓｔ' and 'st' match alike."""
    return unicodedata.normalize("NFKC", text).lower() if not text.isascii() else text.lower()


@lru_cache(maxsize=1)
def load_lexicon() -> tuple[dict[str, float], str]:
    """All lexicon files merged: word -> weight, and a sha256 of their bytes (version)."""
    weights: dict[str, float] = {}
    digest = hashlib.sha256()
    base = resources.files("socialfund") / "lexicon"
    for name in LEXICON_FILES:
        raw = (base / name).read_bytes()
        digest.update(raw)
        for line in raw.decode("utf-8").splitlines():
            if not line or line.startswith("#"):
                continue
            word, _, weight = line.partition("\t")
            word = normalise(word.strip())
            if word and weight:
                weights[word] = float(weight)
    return weights, digest.hexdigest()[:12]


# Modifier words. Kept in code rather than data: they are grammar, not vocabulary,
# and the rules below depend on each kind.
NEGATORS = ("不", "没", "没有", "别", "未", "非", "无", "难以", "不会", "不要", "不能",
            "不可能", "并非", "并不", "绝不", "毫无", "从不", "从没", "不用", "不必",
            "甭", "勿", "莫", "不再", "没法", "无法", "还没", "还没有", "不是", "不算")
WEAK_NEGATORS = ("不太", "不怎么", "不大", "不是很", "没那么", "不那么")
DEGREE = {
    "很": 1.5, "非常": 1.8, "太": 1.6, "极": 1.8, "极其": 1.9, "超": 1.6, "超级": 1.8,
    "特别": 1.7, "十分": 1.7, "相当": 1.5, "最": 1.8, "真": 1.3, "好": 1.3, "巨": 1.7,
    "狂": 1.5, "大大": 1.5, "更": 1.3, "更加": 1.4, "越来越": 1.4, "严重": 1.6,
    "彻底": 1.6, "完全": 1.5, "实在": 1.4, "贼": 1.5, "老": 1.2, "这么": 1.3, "那么": 1.3,
    "有点": 0.6, "有点儿": 0.6, "有些": 0.6, "稍微": 0.5, "稍": 0.5, "略": 0.5,
    "略微": 0.5, "一点": 0.6, "些许": 0.5, "比较": 0.8, "还算": 0.7,
    "肯定": 1.3, "一定": 1.3, "绝对": 1.4, "必然": 1.3,
}
CONTRAST = ("但是", "但", "不过", "可是", "然而", "却", "只是", "可惜",
            # the turn of a story or a comparison: 别人都涨，偏偏/就你/唯独它跌
            "偏偏", "唯独", "反而", "就你", "没想到", "谁知", "谁知道", "哪知", "结果")
CONCESSION = ("虽然", "虽", "尽管", "虽说", "固然",
              # a belief the writer now reports as wrong: 以为能涨，又补在最高点
              "以为", "本以为", "还以为", "原以为")
QUESTION = ("吗", "么", "嘛", "会不会", "是不是", "能不能", "有没有", "要不要", "咋", "怎么样")
# A rhetorical question asserts the opposite of what it asks: 难道还会涨吗 = it will not.
RHETORICAL = ("难道", "岂", "何尝", "怎能", "怎么能", "怎么可能", "哪能", "哪里会", "哪会")
# A complaint is phrased as a question but states its stance: 怎么又跌了？ 凭什么不涨？
COMPLAINT = ("怎么", "为什么", "为啥", "凭什么", "咋")
# A sentence-final particle that asks yes/no; with a negation inside it asks rhetorically:
# 这不是利好吗 = this IS good news; 还能不香吗 = of course it is sweet.
YES_NO_PARTICLES = frozenset(("吗", "么", "嘛"))
# Words ending in 么 that do not ask yes/no (什么 = what, 要么 = either).
NOT_PARTICLES = ("什么", "要么", "多么", "干嘛", "干么")
SARCASM = ("呵呵", "🤡", "笑死", "搞笑", "呵呵哒", "讽刺")
POST_NEGATORS = ("是不可能的", "不可能的", "不可能了", "是不存在的", "不存在的")
JOY = ("开心", "真开心", "好开心", "太开心", "高兴", "真高兴", "爽", "真爽", "美滋滋",
       "哈哈", "哈哈哈", "感谢", "谢谢", "恭喜", "漂亮", "厉害")
CLAUSE_BREAKS = frozenset("，,。.!！?？;；~～\n\r\t 、…")

RHETORICAL_FACTOR = -0.7  # 难道…吗 / 不是…吗: the clause says the opposite, a little softer
NEGATION_WINDOW = 4      # a negator affects a sentiment word starting <= 4 chars after it
NEGATION_FACTOR = -0.7   # flip, and dampen: 不涨 is less bearish than 跌
WEAK_NEGATION_FACTOR = -0.3
CONTRAST_BEFORE = 0.4    # what is said before 但是 keeps 40% of its weight
QUESTION_FACTOR = 0.5    # a question states less than an assertion
SARCASM_PENALTY = -0.8   # a sarcasm marker is bearish in itself ...
SARCASM_FLIP = -0.5      # ... and turns each positive hit into half as much negative
SCALE = 1.5              # score = logistic(SCALE * evidence)
RECENCY = 0.0            # a word at the end of a text weighs (1 + RECENCY) x one at the start

RULES_VERSION = "r2"


@dataclass(frozen=True)
class Hit:
    """One lexicon word found in a text, for ``FinanceScorer.explain``."""

    word: str
    start: int
    base_weight: float
    weight: float                      # after modifiers and clause factors
    modifiers: tuple[str, ...] = field(default_factory=tuple)


@lru_cache(maxsize=1)
def _token_table() -> tuple[dict[str, tuple[str, float]], dict[str, tuple[int, ...]], str]:
    """word -> (kind, value), first char -> candidate lengths (longest first), version."""
    lexicon, lexicon_hash = load_lexicon()
    table: dict[str, tuple[str, float]] = {w: ("senti", v) for w, v in lexicon.items()}
    # Modifiers override same-spelled lexicon entries only where the entry is a bare
    # modifier (e.g. Yao lists 无 nowhere, but 好 is 'degree' in 好涨 yet positive alone:
    # a degree word with no sentiment word after it is scored as its lexicon weight).
    for w in NEGATORS:
        table[w] = ("neg", NEGATION_FACTOR)
    for w in WEAK_NEGATORS:
        table[w] = ("neg", WEAK_NEGATION_FACTOR)
    for w, f in DEGREE.items():
        table[w] = ("deg", f) if w not in lexicon else ("degsenti", f)
    for w in CONTRAST:
        table[w] = ("contrast", 0.0)
    for w in CONCESSION:
        table[w] = ("concession", 0.0)
    for w in QUESTION:
        table.setdefault(w, ("question", 0.0))
    for w in NOT_PARTICLES:
        table.setdefault(w, ("filler", 0.0))
    for w in COMPLAINT:
        table.setdefault(w, ("complaint", 0.0))
    for w in RHETORICAL:
        table[w] = ("rhetorical", RHETORICAL_FACTOR)
    for w in POST_NEGATORS:
        table[w] = ("postneg", NEGATION_FACTOR)
    for w in SARCASM:
        table[w] = ("sarcasm", lexicon.get(w, SARCASM_PENALTY))
    lengths: dict[str, set[int]] = {}
    for w in table:
        lengths.setdefault(w[0], set()).add(len(w))
    by_first = {c: tuple(sorted(ls, reverse=True)) for c, ls in lengths.items()}
    return table, by_first, f"{RULES_VERSION}-{lexicon_hash}"


_JOY = frozenset(JOY)


def analyse(text: str, *, explain: bool = False) -> tuple[float, int, list[Hit]]:
    """Lexicon evidence for one (normalised, capped) text.

    Returns ``(evidence, n_hits, hits)``: evidence is a signed sum of word weights
    (positive = bullish), ``n_hits`` the number of sentiment words found, ``hits`` the
    details when ``explain`` is set. Rules, in scan order:

    * negator within ``NEGATION_WINDOW`` chars before a word: weight *= -0.7 (-0.3 weak);
    * degree word just before (same window): weight *= its factor (很 1.5, 有点 0.6);
    * 但是/不过/可是/然而/却: everything before keeps ``CONTRAST_BEFORE`` of its weight;
      a 虽然/尽管 clause keeps the same share even without a 但是;
    * a clause ending in ?/？ or holding 吗/会不会/难道 or an A-not-A question
      (涨不涨, 加不加仓): clause weight *= 0.5, and that 不 does not negate;
    * rhetorical questions flip what they ask (x ``RHETORICAL_FACTOR`` = -0.7): the words
      after 难道/岂/怎么可能, and the negated words of a 吗/么/嘛 question (这不是利好吗);
      a complaint question (怎么/为什么/凭什么) with negative weight is not dampened;
    * story turns and comparisons (偏偏, 唯独, 就你, 没想到, 结果) act like 但是, and a
      belief reported as wrong (以为, 本以为) like 虽然;
    * a clause-final 是不可能的 / 不存在的 flips the clause (回本是不可能的);
    * sarcasm marker (呵呵, 🤡, 笑死): adds -0.8, and positive words count negative;
      a joy word (开心, 感谢) after a negative word in the same text counts negative.
    """
    table, by_first, _ = _token_table()
    total = 0.0          # evidence of finished clauses
    clause = 0.0         # evidence of the current clause
    clause_hits: list[Hit] = []
    hits: list[Hit] = []
    n_hits = 0
    neg_factor = 0.0     # pending negation factor (0 = none)
    neg_at = -99
    degree = 1.0
    degree_at = -99
    question = False
    yes_no = False       # the clause has a yes/no particle (吗/么/嘛)
    negated = False      # a negator applied inside the current clause
    rhet_part = 0.0      # weight of the clause's hits after 难道/岂 (they flip)
    rhet_at = -1         # where 难道/岂 stood
    neg_part = 0.0       # weight of negated hits not after 难道 (they flip in a 吗 question)
    rhetorical = False   # 难道 / 岂 / 怎么可能 in the current clause
    complaint = False    # 怎么 / 为什么 in the current clause
    concession = False
    sarcasm = False
    seen_negative = False
    positives = 0.0      # sum of positive final weights (for the sarcasm flip)
    i = 0
    n = len(text)

    def close_clause(end_char: str | None, before_contrast: bool = False) -> None:
        nonlocal total, clause, question, concession, clause_hits, yes_no, negated
        nonlocal rhetorical, complaint, rhet_part, rhet_at, neg_part
        factor = 1.0
        asks = question or yes_no or end_char in ("?", "？")
        # Rhetorical: only the asked part flips (after 难道; the negated words of a
        # 不…吗 question); what the clause stated before it stands: 业绩翻倍了还能不香吗
        flip_neg = yes_no and negated
        if rhetorical or flip_neg:
            flipped = rhet_part + (neg_part if flip_neg else 0.0)
            clause += flipped * (RHETORICAL_FACTOR - 1.0)
        elif complaint and clause < 0:
            pass  # 怎么又跌了？ complains: as bearish as the statement
        elif asks:
            factor *= QUESTION_FACTOR
        if concession and not before_contrast:  # 虽然…但是 dampens once, not twice
            factor *= CONTRAST_BEFORE
        total += clause * factor
        if explain and (factor != 1.0 or rhetorical or flip_neg):
            def rewrite(h: Hit) -> Hit:
                mods = ("concession",) if concession else ()
                w = h.weight
                if (rhetorical and h.start > rhet_at) or (flip_neg and "negated" in h.modifiers):
                    w *= RHETORICAL_FACTOR
                    mods = ("rhetorical question",) + mods
                elif factor not in (1.0, CONTRAST_BEFORE) and asks:
                    mods = ("question",) + mods
                return Hit(h.word, h.start, h.base_weight, w * factor, h.modifiers + mods)
            clause_hits = [rewrite(h) for h in clause_hits]
        hits.extend(clause_hits)
        clause = rhet_part = neg_part = 0.0
        rhet_at = -1
        clause_hits = []
        question = yes_no = negated = rhetorical = complaint = False
        concession = False

    while i < n:
        ch = text[i]
        if ch in CLAUSE_BREAKS:
            close_clause(ch)
            neg_factor, degree = 0.0, 1.0
            i += 1
            continue
        lengths = by_first.get(ch)
        found = None
        if lengths:
            for length in lengths:
                if i + length <= n:
                    word = text[i:i + length]
                    kind_value = table.get(word)
                    if kind_value is not None:
                        found = (word, kind_value)
                        break
        if found is None:
            i += 1
            continue
        word, (kind, value) = found
        if kind == "degsenti":
            # 好 / 真 / 老: a degree word when a sentiment word follows, else its own weight
            nxt = _next_sentiment(text, i + len(word), table, by_first)
            if nxt:
                kind = "deg"
            else:
                kind, value = "senti", load_lexicon()[0][word]
        if kind == "senti" and value == 0.0:
            pass  # a known neutral word (company name, topic): blocks shorter matches only
        elif kind == "senti":
            weight = value
            mods: list[str] = []
            if neg_factor and i - neg_at <= NEGATION_WINDOW:
                weight *= neg_factor
                negated = True
                mods.append("negated")
            if degree != 1.0 and i - degree_at <= NEGATION_WINDOW:
                weight *= degree
                mods.append(f"degree x{degree:g}")
            if RECENCY:
                weight *= 1.0 + RECENCY * i / n
            if word in _JOY and seen_negative and weight > 0:
                weight = -weight
                mods.append("sarcastic joy")
            if rhetorical:
                rhet_part += weight
            elif "negated" in mods:
                neg_part += weight
            if weight < 0:
                seen_negative = True
            else:
                positives += weight
            clause += weight
            n_hits += 1
            if explain:
                clause_hits.append(Hit(word, i, value, weight, tuple(mods)))
            neg_factor, degree = 0.0, 1.0
        elif kind == "neg" and word in ("不", "没") and 0 < i < n - 1 and text[i - 1] == text[i + 1]:
            question = True  # A-not-A question (涨不涨, 加不加仓): asks, does not negate
        elif kind == "neg":
            # double negation (不是不涨) cancels: factors multiply
            neg_factor = neg_factor * value / NEGATION_FACTOR * -1 if neg_factor else value
            neg_at = i + len(word) - 1
        elif kind == "deg":
            degree = value
            degree_at = i + len(word) - 1
        elif kind == "contrast":
            close_clause(None, before_contrast=True)
            total *= CONTRAST_BEFORE
            if explain:
                hits[:] = [Hit(h.word, h.start, h.base_weight, h.weight * CONTRAST_BEFORE,
                               h.modifiers + ("before contrast",)) for h in hits]
        elif kind == "postneg":
            # 回本是不可能的: a clause-final negation flips what the clause said
            clause *= value
            rhet_part *= value
            neg_part *= value
            if explain:
                clause_hits[:] = [Hit(h.word, h.start, h.base_weight, h.weight * value,
                                      h.modifiers + ("negated after",)) for h in clause_hits]
        elif kind == "concession":
            concession = True
        elif kind == "question":
            if word in YES_NO_PARTICLES:
                yes_no = True
            else:
                question = True
        elif kind == "complaint":
            question = complaint = True
        elif kind == "rhetorical":
            rhetorical = True
            rhet_at = i
        elif kind == "sarcasm":
            sarcasm = True
            clause += value
            n_hits += 1
            if explain:
                clause_hits.append(Hit(word, i, value, value, ("sarcasm marker",)))
        i += len(word)
    close_clause(None)
    if sarcasm and positives > 0:
        # each positive word now counts as half as much negative
        total -= positives * (1 - SARCASM_FLIP)
        if explain:
            hits[:] = [Hit(h.word, h.start, h.base_weight, h.weight * SARCASM_FLIP,
                           h.modifiers + ("sarcasm",)) if h.weight > 0 and
                       "sarcasm marker" not in h.modifiers else h for h in hits]
    return total, n_hits, hits


def _next_sentiment(text: str, start: int, table: dict, by_first: dict) -> bool:
    """Is there a sentiment word starting within 2 chars after ``start``?"""
    for j in range(start, min(start + 2, len(text))):
        for length in by_first.get(text[j], ()):
            kv = table.get(text[j:j + length])
            if kv is not None and kv[0] in ("senti", "degsenti"):
                return True
    return False


def evidence_to_score(evidence: float) -> float:
    """Signed evidence -> [0, 1]: logistic(1.5 * evidence). One plain bullish word
    (weight 1.0) gives 0.82; a dampened one (0.3) gives 0.61."""
    return 1.0 / (1.0 + math.exp(-SCALE * evidence))


def evidence_confidence(evidence: float, n_hits: int) -> float:
    """Confidence in [0, 1): grows with |evidence| (tanh) and is 0 with no hit."""
    if n_hits == 0:
        return 0.0
    return round(math.tanh(abs(evidence)), 4)


# ---------------------------------------------------------------------------
# Scorers
# ---------------------------------------------------------------------------


class FinanceScorer:
    """Lexicon + rules scorer for Chinese stock-forum posts (the default)."""

    name = "finance"

    def __init__(self) -> None:
        _, _, self.version = _token_table()
        self.version = f"finance-{self.version}"

    def score_one(self, text: Any) -> SentimentResult:
        capped, reason = precheck(text)
        if capped is None:
            return unscored(reason or "empty")
        norm = normalise(capped)
        if not _has_word_char(norm):
            # Emoji and punctuation alone are not a post we can stand behind (🚀 is as often
            # ironic as not); the emoji lexicon only weighs emoji inside text.
            return unscored("emoji-only")
        evidence, n_hits, _ = analyse(norm)
        if n_hits == 0:
            return SentimentResult(0.5, "neu", 0.0, None)
        score = evidence_to_score(evidence)
        return SentimentResult(round(score, 4), label_for(score),
                               evidence_confidence(evidence, n_hits), None)

    def score_many(self, texts: Sequence[str]) -> list[SentimentResult]:
        return [self.score_one(t) for t in texts]

    def evidence_many(self, texts: Sequence[str]) -> list[tuple[float, int]]:
        """(evidence, n_hits) per text; (0, 0) for unscorable texts."""
        out = []
        for t in texts:
            capped, _ = precheck(t)
            if capped is None:
                out.append((0.0, 0))
            else:
                e, k, _ = analyse(normalise(capped))
                out.append((e, k))
        return out

    def explain(self, text: str) -> list[dict[str, Any]]:
        """Why a text scored as it did: one dict per lexicon hit, in text order, with
        ``word``, ``base_weight``, ``weight`` (after rules), ``modifiers`` and ``start``
        (offset in the normalised text)."""
        capped, reason = precheck(text)
        if capped is None:
            return []
        _, _, hits = analyse(normalise(capped), explain=True)
        return [{"word": h.word, "start": h.start, "base_weight": h.base_weight,
                 "weight": round(h.weight, 4), "modifiers": list(h.modifiers)}
                for h in sorted(hits, key=lambda h: h.start)]

    def adapt(self, texts: Sequence[str], **kwargs: Any) -> "AdaptedFinanceScorer":
        """Weak supervision on an unlabelled corpus; see ``AdaptedFinanceScorer``."""
        return AdaptedFinanceScorer.fit(self, texts, **kwargs)


def corpus_hash(texts: Iterable[str]) -> str:
    digest = hashlib.sha256()
    for t in texts:
        digest.update((t if isinstance(t, str) else "").encode("utf-8", "replace"))
        digest.update(b"\x00")
    return digest.hexdigest()[:12]


def _char_tfidf(max_features: int = 200_000):
    from sklearn.feature_extraction.text import TfidfVectorizer

    # char 1-3-grams need no segmenter and catch slang variants (涨停板, 涨停了)
    return TfidfVectorizer(analyzer="char", ngram_range=(1, 3), min_df=2, sublinear_tf=True,
                           max_features=max_features, dtype=__import__("numpy").float32)


class AdaptedFinanceScorer:
    """``finance`` adapted to one community's language without labels.

    1. Score the unlabelled corpus with the lexicon.
    2. Texts whose lexicon confidence is >= ``min_confidence`` (0.7, i.e. |evidence|
       >= 0.87: about one plain slang word) become pseudo-labels (pos if evidence > 0
       else neg); weaker texts are left out so the model learns from cleaner labels.
    3. Train char 1-3-gram TF-IDF + class-balanced logistic regression on them.
    4. Score: p = model's P(pos); texts the lexicon could not decide (no hit) get
       0.5 + ``shrink`` * (p - 0.5) (shrink 0.5), texts with hits get
       ``blend`` * p + (1 - blend) * lexicon score (blend 0.5).
    The version carries a hash of the corpus, so caches never mix two adaptations.
    """

    name = "finance-adapted"

    def __init__(self, base: FinanceScorer, vectorizer: Any, model: Any, corpus: str,
                 blend: float, n_train: int, shrink: float = 0.5) -> None:
        self.base = base
        self.shrink = shrink
        self.vectorizer = vectorizer
        self.model = model
        self.blend = blend
        self.n_train = n_train
        self.version = f"{base.version}-adapt-{corpus}"

    @classmethod
    def fit(cls, base: FinanceScorer, texts: Sequence[str], *, min_confidence: float = 0.7,
            blend: float = 0.5, shrink: float = 0.5, min_per_class: int = 20) -> "AdaptedFinanceScorer | FinanceScorer":
        from sklearn.linear_model import LogisticRegression

        texts = list(texts)
        evidence = base.evidence_many(texts)
        train_x, train_y = [], []
        for t, (e, k) in zip(texts, evidence):
            if k and math.tanh(abs(e)) >= min_confidence:
                train_x.append(normalise(t[:MAX_SCORED_CHARS]))
                train_y.append(1 if e > 0 else 0)
        if min(train_y.count(0), train_y.count(1)) < min_per_class:
            return base  # too little pseudo-labelled data to learn anything honest
        vectorizer = _char_tfidf()
        x = vectorizer.fit_transform(train_x)
        # balanced: pseudo-labels lean bullish on forums; do not learn that lean twice
        model = LogisticRegression(C=2.0, max_iter=1000, class_weight="balanced")
        model.fit(x, train_y)
        return cls(base, vectorizer, model, corpus_hash(texts), blend, len(train_y), shrink)

    def score_many(self, texts: Sequence[str]) -> list[SentimentResult]:
        base = self.base.score_many(texts)
        todo = [i for i, r in enumerate(base) if r.scored]
        if not todo:
            return base
        x = self.vectorizer.transform([normalise(texts[i][:MAX_SCORED_CHARS]) for i in todo])
        p_pos = self.model.predict_proba(x)[:, 1]
        out = list(base)
        for i, p in zip(todo, p_pos):
            r = base[i]
            p = float(p)
            if r.confidence == 0.0:
                # no lexicon hit: the model decides the side, but it learned from the
                # lexicon's own labels and has less to go on here, so its distance from
                # neutral is shrunk (only strong model evidence leaves the neu band)
                score = 0.5 + self.shrink * (p - 0.5)
                conf = abs(score - 0.5) * 2
            else:
                score = self.blend * p + (1 - self.blend) * r.score
                conf = max(r.confidence or 0.0, abs(score - 0.5) * 2)
            out[i] = SentimentResult(round(score, 4), label_for(score), round(conf, 4), None)
        return out

    def explain(self, text: str) -> list[dict[str, Any]]:
        return self.base.explain(text)


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
        if not _has_word_char(capped):
            return unscored("emoji-only")
        try:
            score = float(self._snownlp(capped).sentiments)
        except ZeroDivisionError:  # nothing snownlp recognises as a word
            return unscored("emoji-only")
        return SentimentResult(round(score, 4), label_for(score),
                               round(abs(score - 0.5) * 2, 4), None)

    def score_many(self, texts: Sequence[str]) -> list[SentimentResult]:
        return [self.score_one(t) for t in texts]


# ---------------------------------------------------------------------------
# Supervised model (trained on the user's labelled file)
# ---------------------------------------------------------------------------

MODEL_FORMAT = "socialfund-sentiment-model/1"


class LexiconFeatures:
    """Two features from the finance lexicon for the supervised model: bullish and
    bearish evidence (each >= 0). They let the model use the rules' knowledge of slang
    and negation while learning the rest from the user's labels."""

    def __init__(self) -> None:
        self._scorer: FinanceScorer | None = None

    def fit(self, x: Sequence[str], y: Any = None) -> "LexiconFeatures":
        return self

    def transform(self, x: Sequence[str]) -> Any:
        import numpy as np
        from scipy import sparse

        if self._scorer is None:
            self._scorer = FinanceScorer()
        ev = self._scorer.evidence_many(list(x))
        arr = np.array([[max(e, 0.0), max(-e, 0.0)] for e, _ in ev], dtype=np.float32)
        return sparse.csr_matrix(arr)

    def __getstate__(self) -> dict:
        return {}

    def __setstate__(self, state: dict) -> None:
        self._scorer = None


def build_model_pipeline(c: float = 4.0) -> Any:
    """char 1-3-gram TF-IDF (min_df 2) + lexicon evidence -> logistic regression.
    (1-4-grams and min_df 1 scored no better in our trials and train slower.)"""
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import FeatureUnion, Pipeline
    from sklearn.preprocessing import FunctionTransformer

    chars = TfidfVectorizer(analyzer="char", ngram_range=(1, 3), min_df=2, sublinear_tf=True,
                            max_features=400_000)
    features = FeatureUnion([("chars", chars), ("lexicon", LexiconFeatures())])
    return Pipeline([
        ("normalise", FunctionTransformer(_normalise_all)),
        ("features", features),
        ("clf", LogisticRegression(C=c, max_iter=2000)),
    ])


def _normalise_all(texts: Sequence[str]) -> list[str]:
    return [normalise(t[:MAX_SCORED_CHARS]) if isinstance(t, str) else "" for t in texts]


class ModelScorer:
    """A trained model from ``sentiment train``: score = P(pos) + 0.5 * P(neu)
    (for a neg/pos model simply P(pos)); label = most probable class."""

    name = "model"

    def __init__(self, pipeline: Any, metadata: dict, path: str) -> None:
        self.pipeline = pipeline
        self.metadata = metadata
        self.path = path
        self.classes = [str(c) for c in pipeline.classes_]
        self.version = f"model-{metadata.get('model_sha256', '')[:12]}"

    def score_many(self, texts: Sequence[str]) -> list[SentimentResult]:
        checks = [precheck(t) for t in texts]
        out: list[SentimentResult | None] = [None] * len(texts)
        todo = []
        for i, (capped, reason) in enumerate(checks):
            if capped is None:
                out[i] = unscored(reason or "empty")
            elif not _has_word_char(capped):
                out[i] = unscored("emoji-only")
            else:
                todo.append(i)
        if todo:
            proba = self.pipeline.predict_proba([checks[i][0] for i in todo])
            weights = [{"pos": 1.0, "neu": 0.5, "neg": 0.0}[c] for c in self.classes]
            for i, row in zip(todo, proba):
                score = float(sum(p * w for p, w in zip(row, weights)))
                best = max(range(len(row)), key=row.__getitem__)
                out[i] = SentimentResult(round(score, 4), self.classes[best],
                                         round(float(row[best]), 4), None)
        return out  # type: ignore[return-value]


def file_sha256(path: str) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def load_model(path: str) -> ModelScorer:
    """Load a model saved by ``save_model`` (joblib file + ``PATH.json`` sidecar)."""
    import json
    import os

    from socialfund.core.errors import NotFoundError, ValidationError

    if not os.path.exists(path):
        raise NotFoundError(f"sentiment model not found: {path}")
    meta_path = path + ".json"
    if not os.path.exists(meta_path):
        raise ValidationError("model has no metadata sidecar (expected "
                              f"{os.path.basename(meta_path)}); train it with "
                              "'sentiment train'", file=path)
    with open(meta_path, encoding="utf-8") as fh:
        metadata = json.load(fh)
    if metadata.get("format") != MODEL_FORMAT:
        raise ValidationError(f"not a socialfund sentiment model (format "
                              f"{metadata.get('format')!r})", file=meta_path)
    if metadata.get("model_sha256") != file_sha256(path):
        raise ValidationError("model file does not match its metadata sha256", file=path)
    import joblib

    pipeline = joblib.load(path)
    return ModelScorer(pipeline, metadata, path)


def save_model(pipeline: Any, path: str, metadata: dict) -> dict:
    """Write the fitted pipeline with joblib and metadata to ``PATH.json``."""
    import json

    import joblib

    joblib.dump(pipeline, path, compress=3)
    metadata = dict(metadata, format=MODEL_FORMAT, model_sha256=file_sha256(path))
    with open(path + ".json", "w", encoding="utf-8") as fh:
        json.dump(metadata, fh, ensure_ascii=False, indent=2)
    return metadata


def train_model(texts: Sequence[str], labels: Sequence[str], *, folds: int = 5,
                c: float = 4.0) -> tuple[Any, dict]:
    """Fit the model on all data; report ``folds``-fold cross-validated metrics first.

    Metrics: accuracy and macro-F1 over the file's classes, and binary accuracy on the
    neg+pos subset (pos iff P(pos) + 0.5 P(neu) >= 0.5), as in ``sentiment eval``."""
    import numpy as np
    from sklearn.metrics import accuracy_score, f1_score
    from sklearn.model_selection import StratifiedKFold

    texts = list(texts)
    y = np.array(labels)
    classes = sorted(set(labels))
    metrics: dict[str, Any] = {"folds": 0}
    counts = [int((y == k).sum()) for k in classes]
    k = min(folds, min(counts)) if counts else 0
    if k >= 2:
        pred = np.empty(len(y), dtype=object)
        score = np.zeros(len(y))
        weights = {"pos": 1.0, "neu": 0.5, "neg": 0.0}
        for train_idx, test_idx in StratifiedKFold(k, shuffle=True, random_state=0).split(texts, y):
            pipe = build_model_pipeline(c)
            pipe.fit([texts[i] for i in train_idx], y[train_idx])
            proba = pipe.predict_proba([texts[i] for i in test_idx])
            cls = list(pipe.classes_)
            pred[test_idx] = [cls[j] for j in proba.argmax(1)]
            score[test_idx] = proba @ np.array([weights[c_] for c_ in cls])
        binary = np.isin(y, ["neg", "pos"])
        metrics = {
            "folds": int(k),
            "accuracy": round(float(accuracy_score(y, pred.astype(str))), 4),
            "macro_f1": round(float(f1_score(y, pred.astype(str), average="macro")), 4),
            "binary_accuracy": round(float(np.mean((score[binary] >= 0.5) ==
                                                   (y[binary] == "pos"))), 4)
            if binary.any() else None,
        }
    pipeline = build_model_pipeline(c)
    pipeline.fit(texts, y)
    return pipeline, {"classes": classes, "n": len(texts), "class_counts": dict(zip(classes, counts)),
                      "cv": metrics, "C": c}


# ---------------------------------------------------------------------------
# Factory
# ---------------------------------------------------------------------------

_SCORER_RE = re.compile(r"^(finance|snownlp|model:.+)$")


def get_scorer(spec: str = "finance") -> Any:
    """``finance`` (default), ``snownlp`` or ``model:PATH`` -> a Scorer.
    Unknown specs raise ``ConfigError``."""
    from socialfund.core.errors import ConfigError

    spec = (spec or "finance").strip()
    if not _SCORER_RE.match(spec):
        raise ConfigError(f"unknown sentiment scorer {spec!r}: use finance, snownlp or model:PATH")
    if spec == "finance":
        return FinanceScorer()
    if spec == "snownlp":
        return SnowNLPScorer()
    return load_model(spec[len("model:"):])
