"""The ``finance`` scorer (the default): lexicon + rules, no model.

``analyse`` reads a text once, left to right, with the token table of ``scorers.lexicon``
(greedy longest match) and sums signed word weights into evidence; ``FinanceScorer`` turns
evidence into a score, ``logistic(1.5 * evidence)``. Rules: negation flips and dampens,
degree words scale, contrast clauses (虽然…但是, 不过, 可是, 然而) make the clause after
weigh more, questions dampen, sarcasm markers (呵呵, 🤡, "真开心" after a loss word) turn joy
into pain; rhetorical questions (难道…吗, 不是…吗) flip, complaint questions (怎么又跌了)
keep their weight. A text with no lexicon hit scores exactly 0.5 with confidence 0.0
(label 'neu'): with no evidence the neutral point is the honest answer;
``FinanceScorer.adapt`` (the ``finance-adapted`` scorer of ``scorers.adapted``) fills these in.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, ClassVar

from socialfund.scorers.adapted import AdaptedFinanceScorer
from socialfund.scorers.lexicon import (
    EVALUATIVE,
    JOY,
    NEGATION_FACTOR,
    POST_OR_PRE_NEGATORS,
    POST_WORD_STANDALONE,
    is_news_register,
    RHETORICAL_FACTOR,
    YES_NO_PARTICLES,
    TokenTable,
    load_lexicon,
    normalise,
    segment,
    sentiment_follows,
    token_table,
)
from socialfund.sentiment import SentimentResult, has_word_char, label_for, precheck, unscored

NEGATION_WINDOW = 4      # a negator affects a sentiment word starting <= 4 chars after it
CONTRAST_BEFORE = 0.4    # what is said before 但是 keeps 40% of its weight
QUESTION_FACTOR = 0.5    # a question states less than an assertion
QUESTION_CAP = 0.25      # and an open question no more than this: it asks, it is no verdict
SARCASM_FLIP = -0.5      # a sarcasm marker turns each positive hit into half as much negative
SCALE = 1.5              # score = logistic(SCALE * evidence)
RECENCY = 0.0            # a word at the end of a text weighs (1 + RECENCY) x one at the start
SENTENCE_ENDS = frozenset("。.!！?？\n")
STRONG_NEGATIVE = -1.0   # the sarcastic-joy rule needs a word at least this bearish before it
NEWS_FACTOR = 0.1        # a news / announcement report with no evaluative word states little
CONDITION_FACTOR = 0.7    # r4: X of 不X不Y keeps its sign at this weight
STATED_FLOOR = 0.3       # r4: |evidence| of a statement with any polar word is >= this
POST_WORD_GAP = 1        # 涨了不动: a post-position negator reaches back over <= 1 char

RULES_VERSION = "r4"
"""Part of the scorer's version (the score cache keys on it): bump it whenever the rules
here or the modifier words and factors of ``scorers.lexicon`` change."""


@dataclass(frozen=True)
class Hit:
    """One lexicon word found in a text, for ``FinanceScorer.explain``."""

    word: str
    start: int
    base_weight: float
    weight: float                      # after modifiers and clause factors
    modifiers: tuple[str, ...] = field(default_factory=tuple)


def _scaled(hits: Sequence[Hit], factor: float, modifier: str) -> list[Hit]:
    return [Hit(h.word, h.start, h.base_weight, h.weight * factor, h.modifiers + (modifier,)) for h in hits]


@dataclass(slots=True)
class _Clause:
    """The running values of the clause being read; a clause break starts a new one."""

    evidence: float = 0.0
    hits: list[Hit] = field(default_factory=list)
    question: bool = False
    yes_no: bool = False       # the clause has a yes/no particle (吗/么/嘛)
    negated: bool = False      # a negator applied inside the clause
    rhetorical: bool = False   # 难道 / 岂 / 怎么可能 in the clause
    rhet_at: int = -1          # where 难道/岂 stood
    rhet_part: float = 0.0     # weight of the hits after 难道/岂 (they flip)
    neg_part: float = 0.0      # weight of negated hits not after 难道 (they flip in a 吗 question)
    complaint: bool = False    # 怎么 / 为什么 in the clause
    concession: bool = False   # 虽然 / 尽管 / 以为 in the clause
    strong_negative: bool = False  # a word at least STRONG_NEGATIVE bearish came before
    alternative: bool = False  # 还是 in the clause (r4)
    has_pos: bool = False      # a bullish / bearish word in the clause (r4)
    has_neg: bool = False

    def rewritten(self, h: Hit, factor: float, asks: bool, flip_neg: bool) -> Hit:
        """A hit as the clause's closing factor (and a rhetorical flip) left it."""
        mods: tuple[str, ...] = ("concession",) if self.concession else ()
        w = h.weight
        if (self.rhetorical and h.start > self.rhet_at) or (flip_neg and "negated" in h.modifiers):
            w *= RHETORICAL_FACTOR
            mods = ("rhetorical question",) + mods
        elif factor not in (1.0, CONTRAST_BEFORE) and asks:
            mods = ("question",) + mods
        return Hit(h.word, h.start, h.base_weight, w * factor, h.modifiers + mods)


@dataclass(slots=True)
class _Scan:
    """The state of one ``analyse`` pass: finished clauses, the current clause, pending
    negation and degree, and what the sarcasm rule needs."""

    text: str
    explain: bool
    tokens: TokenTable
    total: float = 0.0         # evidence of finished clauses
    hits: list[Hit] = field(default_factory=list)
    n_hits: int = 0
    clause: _Clause = field(default_factory=_Clause)
    neg_factor: float = 0.0    # pending negation factor (0 = none)
    neg_at: int = -99
    neg_word: str = ""         # the pending negator (r4: 不 of a 不X不Y condition)
    skip_neg_at: int = -99     # the second 不 of a 不X不Y condition negates nothing
    degree: float = 1.0
    degree_at: int = -99
    sarcasm: bool = False
    seen_negative: bool = False
    positives: float = 0.0     # sum of positive final weights (for the sarcasm flip)
    last_end: int = -99        # where the clause's last sentiment word ended
    last_weight: float = 0.0   # and its final weight (for post-position negation)
    last_rhet: bool = False    # whether it counted in the rhetorical part
    fired: set[str] = field(default_factory=set)  # the rules that changed a weight
    negations: int = 0         # sentiment words a negator flipped (a model feature)
    evaluative: bool = False   # a word that judges even inside a report (利好, 暴跌)
    sent_positives: float = 0.0  # ``positives`` when the current sentence began
    sent_hits: int = 0         # ``len(hits)`` when it began
    prev_strong: bool = False  # the clause before, in the same sentence, had a strong negative
    asked: float = 0.0         # evidence of the open questions so far (capped)
    sarcasm_seen: bool = False  # a sarcasm marker anywhere (r4: no floor then)

    def close_clause(self, end_char: str | None, before_contrast: bool = False) -> None:
        c = self.clause
        factor = 1.0
        asks = c.question or c.yes_no or end_char in ("?", "？")
        if c.alternative and c.has_pos and c.has_neg and not asks:
            asks = True  # 吸筹还是出货: asks which, states neither (r4)
            self.fired.add("alternative question")
        # Rhetorical: only the asked part flips (after 难道; the negated words of a
        # 不…吗 question); what the clause stated before it stands: 业绩翻倍了还能不香吗
        flip_neg = c.yes_no and c.negated
        if c.rhetorical and c.rhet_part < 0 and not c.yes_no:
            # 难道又要跌了？ (no 吗) is worry, not a claim that it will rise: an open
            # question; 难道还会暴跌吗 denies, and flips
            c.rhetorical = False
            asks = True
        if c.rhetorical or flip_neg:
            flipped = c.rhet_part + (c.neg_part if flip_neg else 0.0)
            c.evidence += flipped * (RHETORICAL_FACTOR - 1.0)
        elif c.complaint and c.evidence < 0:
            pass  # 怎么又跌了？ complains: as bearish as the statement
        elif asks:
            factor *= QUESTION_FACTOR
            if c.evidence:
                self.fired.add("question")
                # keep the text's questions together inside the neutral band
                # (|logistic - 0.5| < 0.1): 是不是要出事了？谁知道怎么回事？ asks twice
                asked = self.asked + c.evidence * factor
                capped = max(-QUESTION_CAP, min(QUESTION_CAP, asked))
                factor = (capped - self.asked) / c.evidence
                self.asked = capped
        if c.rhetorical or flip_neg:
            self.fired.add("rhetorical")
        if c.concession and not before_contrast:  # 虽然…但是 dampens once, not twice
            factor *= CONTRAST_BEFORE
        self.total += c.evidence * factor
        if self.explain and (factor != 1.0 or c.rhetorical or flip_neg):
            self.hits.extend(c.rewritten(h, factor, asks, flip_neg) for h in c.hits)
        else:
            self.hits.extend(c.hits)
        # the sarcastic-joy rule reaches one comma back (跌停了，真开心), not past a full stop
        self.prev_strong = c.strong_negative and end_char not in SENTENCE_ENDS
        self.clause = _Clause()
        self.last_end = -99

    def read(self, word: str, kind: str, value: float, i: int) -> None:
        """Apply one matched word at offset ``i``."""
        if kind == "degsenti":
            # 好 / 真 / 老: a degree word when a sentiment word follows, else its own weight
            if sentiment_follows(self.text, i + len(word), self.tokens):
                kind = "deg"
            else:
                kind, value = "senti", load_lexicon()[0][word]
        handler = self._HANDLERS.get(kind)
        if handler is not None:
            handler(self, word, value, i)

    def _senti(self, word: str, value: float, i: int) -> None:
        if value == 0.0:
            # a known neutral word (company name, topic) blocks shorter matches and ends a
            # negator's scope, as any word would: 盘子也不大|业绩|也不错
            self.neg_factor = 0.0
            return
        c = self.clause
        weight = value
        mods: list[str] = []
        if self.neg_factor > 0 and i - self.neg_at <= NEGATION_WINDOW:
            weight *= self.neg_factor  # a plea (别再跌了): keeps its sign
            mods.append("plea")
            self.fired.add("plea")
        elif self.neg_factor and i - self.neg_at <= NEGATION_WINDOW and self._condition(word, value, i):
            # 不翻倍不卖 / 不涨停不吃饭 / 不回本不走: "not X, not Y" holds out for X: X keeps
            # its sign, and the second 不 negates nothing (不涨不跌 = flat is no condition)
            weight *= CONDITION_FACTOR
            mods.append("condition")
            self.fired.add("condition")
            self.skip_neg_at = i + len(word)
        elif self.neg_factor and i - self.neg_at <= NEGATION_WINDOW:
            weight *= self.neg_factor
            c.negated = True
            mods.append("negated")
            self.fired.add("negation")
            self.negations += 1
        if self.degree != 1.0 and i - self.degree_at <= NEGATION_WINDOW:
            weight *= self.degree
            mods.append(f"degree x{self.degree:g}")
        if RECENCY:
            weight *= 1.0 + RECENCY * i / len(self.text)
        # 跌停了还哈哈 / 跌停了，真开心: joy right after a strong loss (same clause or the
        # one before it) is bitter; after a mild word (卖了，哈哈) or in an earlier
        # sentence it is joy.
        if word in JOY and (c.strong_negative or self.prev_strong) and weight > 0:
            weight = -weight
            mods.append("sarcastic joy")
            self.fired.add("sarcastic joy")
        if c.rhetorical:
            c.rhet_part += weight
        elif "negated" in mods:
            c.neg_part += weight
        if weight <= STRONG_NEGATIVE:
            c.strong_negative = True
        if weight < 0:
            self.seen_negative = True
            c.has_neg = True
        else:
            self.positives += weight
            c.has_pos = c.has_pos or weight > 0
        c.evidence += weight
        self.n_hits += 1
        if word in EVALUATIVE:
            self.evaluative = True
        self.last_end, self.last_weight, self.last_rhet = i + len(word), weight, c.rhetorical
        if self.explain:
            c.hits.append(Hit(word, i, value, weight, tuple(mods)))
        self.neg_factor, self.degree = 0.0, 1.0

    def _condition(self, word: str, value: float, i: int) -> bool:
        """Is the word negated by 不 and followed by 不 that is not followed by a word of
        the other sign (不涨不跌)?"""
        j = i + len(word)
        text = self.text
        if self.neg_word != "不" or j >= len(text) - 1 or text[j] != "不":
            return False
        for length in self.tokens.lengths.get(text[j + 1], ()):
            token = self.tokens.words.get(text[j + 1:j + 1 + length])
            if token is not None:
                return not (token[0] == "senti" and token[1] * value < 0)
        return True

    def _negator(self, word: str, value: float, i: int) -> None:
        text = self.text
        if i == self.skip_neg_at:
            self.neg_factor = 0.0  # the second 不 of 不翻倍不卖
            return
        self.neg_word = word
        if word in ("不", "没") and 0 < i < len(text) - 1 and text[i - 1] == text[i + 1]:
            self.clause.question = True  # A-not-A question (涨不涨, 加不加仓): asks, does not negate
            return
        # double negation (不是不涨) cancels: factors multiply
        self.neg_factor = self.neg_factor * value / NEGATION_FACTOR * -1 if self.neg_factor else value
        self.neg_at = i + len(word) - 1

    def _plea(self, word: str, value: float, i: int) -> None:
        self.neg_factor = value
        self.neg_at = i + len(word) - 1

    def _post_word_negator(self, word: str, value: float, i: int) -> None:
        # 好景不长 / 涨不动 / 跌不下去: flips the word just before; with no word just before
        # (不久将上涨) it is not a negator
        c = self.clause
        if i - self.last_end > POST_WORD_GAP:
            if word in POST_OR_PRE_NEGATORS:  # 不会持续上涨: 不会 before the word
                self._negator(word, value, i)
            elif word in POST_WORD_STANDALONE:  # 撑不住了: bearish on its own
                self._senti(word, POST_WORD_STANDALONE[word], i)
            return
        w = self.last_weight
        delta = w * value - w
        c.evidence += delta
        if self.last_rhet:
            c.rhet_part += delta
        if w > 0:
            self.positives -= w
        if w * value > 0:
            self.positives += w * value
        self.last_weight = w * value
        self.last_end = -99
        self.fired.add("post-position negation")
        if self.explain and c.hits:
            h = c.hits[-1]
            c.hits[-1] = Hit(h.word, h.start, h.base_weight, h.weight * value,
                             h.modifiers + ("negated after",))

    def _degree(self, word: str, value: float, i: int) -> None:
        self.degree = value
        self.degree_at = i + len(word) - 1

    def _contrast(self, word: str, value: float, i: int) -> None:
        if self.total or self.clause.evidence:
            self.fired.add("contrast")
        self.close_clause(None, before_contrast=True)
        self.total *= CONTRAST_BEFORE
        if self.explain:
            self.hits[:] = _scaled(self.hits, CONTRAST_BEFORE, "before contrast")

    def _post_negator(self, word: str, value: float, i: int) -> None:
        # 回本是不可能的: a clause-final negation flips what the clause said
        c = self.clause
        c.evidence *= value
        c.rhet_part *= value
        c.neg_part *= value
        if self.explain:
            c.hits[:] = _scaled(c.hits, value, "negated after")

    def _alternative(self, word: str, value: float, i: int) -> None:
        self.clause.alternative = True

    def _concession(self, word: str, value: float, i: int) -> None:
        self.clause.concession = True

    def _question(self, word: str, value: float, i: int) -> None:
        if word in YES_NO_PARTICLES:
            self.clause.yes_no = True
        else:
            self.clause.question = True

    def _complaint(self, word: str, value: float, i: int) -> None:
        self.clause.question = self.clause.complaint = True

    def _rhetorical(self, word: str, value: float, i: int) -> None:
        self.clause.rhetorical = True
        self.clause.rhet_at = i

    def _sarcasm_marker(self, word: str, value: float, i: int) -> None:
        self.sarcasm = self.sarcasm_seen = True
        self.fired.add("sarcasm marker")
        self.clause.evidence += value
        self.n_hits += 1
        if self.explain:
            self.clause.hits.append(Hit(word, i, value, value, ("sarcasm marker",)))

    def end_sentence(self) -> None:
        """Apply the sarcasm flip to the sentence just closed: 呵呵 mocks its own
        sentence, not the whole post (大龙头，牛掰啊。呵呵 is one mocking sentence; a 呵呵
        after a full stop does not turn an earlier sentence's 利好 bearish)."""
        positives = self.positives - self.sent_positives
        if self.sarcasm and positives > 0:
            # each positive word now counts as half as much negative
            self.total -= positives * (1 - SARCASM_FLIP)
            if self.explain:
                start = self.sent_hits
                self.hits[start:] = [
                    Hit(h.word, h.start, h.base_weight, h.weight * SARCASM_FLIP,
                        h.modifiers + ("sarcasm",)) if h.weight > 0 and
                    "sarcasm marker" not in h.modifiers else h for h in self.hits[start:]]
        self.sarcasm = False
        self.sent_positives, self.sent_hits = self.positives, len(self.hits)

    def finish(self) -> None:
        """Close the last clause and sentence."""
        self.close_clause(None)
        self.end_sentence()

    # token kind -> handler; 'filler' (什么, 要么) only blocks shorter matches
    _HANDLERS: ClassVar[dict[str, Callable[[_Scan, str, float, int], None]]] = {
        "senti": _senti, "neg": _negator, "deg": _degree, "contrast": _contrast,
        "postneg": _post_negator, "postword": _post_word_negator, "plea": _plea,
        "concession": _concession, "question": _question,
        "complaint": _complaint, "rhetorical": _rhetorical, "sarcasm": _sarcasm_marker,
        "alternative": _alternative,
    }


def analyse(text: str, *, explain: bool = False) -> tuple[float, int, list[Hit]]:
    """See ``scan``: its evidence, hit count and hits."""
    scan = scan_text(text, explain=explain)
    return scan.total, scan.n_hits, scan.hits


def rules_fired(text: str) -> frozenset[str]:
    """The rules that changed a word's weight in one (normalised) text: negation, plea,
    post-position negation, sarcastic joy, sarcasm marker, contrast, question,
    rhetorical, news register (for ``benchmarks/sentiment.py``'s per-rule figures)."""
    return frozenset(scan_text(text).fired)


def scan_text(text: str, *, explain: bool = False) -> _Scan:
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
    * sarcasm marker (呵呵, 🤡, 笑死): adds -0.8, and the positive words of its sentence
      count negative; a 难道 question about a fall with no 吗 is an open question (worry);
      a joy word (开心, 感谢, 哈哈) after a strong negative word (<= ``STRONG_NEGATIVE``)
      in the same clause or the one just before it (same sentence) counts negative;
    * a reversal verb (撤销, 解除, 取消) negates like 不; a plea (别再, 不要再) dampens
      without flipping; a post-position negator (不长, 不动, 不下去) flips the word just
      before it;
    * r4: 不X不Y (不翻倍不卖, 不涨停不吃饭) is a condition: X keeps its sign
      (x ``CONDITION_FACTOR``) and the second 不 negates nothing; 不涨不跌 (Y of the other
      sign) stays two negations;
    * r4: 不会持续 / 长不了 / 跌不下来 / 涨不回来 / 撑不住 after a word flip it (颓势不会持续下去;
      with no word before, 不会持续 negates what follows and 撑不住 is bearish alone);
      不知道 / 说不准 / 拭目以待 make the clause an open question, and so does 还是 between a
      bullish and a bearish word of one clause (吸筹还是出货); a text that is no question,
      carries no sarcasm marker and has 0 < |evidence| < ``STATED_FLOOR`` gets
      |evidence| = ``STATED_FLOOR`` (a hedged statement, 略有回调, still states a stance:
      the neutral band is for questions, news, balanced texts and texts with no hit);
    * a text in news / announcement register (``lexicon.is_news_register``) with no
      evaluative word keeps ``NEWS_FACTOR`` of its evidence.
    """
    tokens = token_table()
    scan = _Scan(text, explain, tokens)
    for i, word, kind, value in segment(text, tokens):
        if kind == "break":
            scan.close_clause(word)
            scan.neg_factor, scan.degree = 0.0, 1.0
            if word in SENTENCE_ENDS:
                scan.end_sentence()
        else:
            scan.read(word, kind, value, i)
    scan.finish()
    if 0.0 < abs(scan.total) < STATED_FLOOR and not scan.asked and not scan.sarcasm_seen:
        # r4: a statement with a polar word, however hedged (有点涨, 还行), states a
        # stance: it leaves the neutral band, which is kept for questions, news, balanced
        # texts and texts with no hit
        scan.total = math.copysign(STATED_FLOOR, scan.total)
        scan.fired.add("mild statement")
    if scan.total and is_news_register(text, scan.evaluative):
        # A report (公司发布公告称…召开董事会) is full of polar words that state no opinion
        scan.total *= NEWS_FACTOR
        scan.fired.add("news register")
        if explain:
            scan.hits[:] = _scaled(scan.hits, NEWS_FACTOR, "news register")
    return scan


def evidence_to_score(evidence: float) -> float:
    """Signed evidence -> [0, 1]: logistic(1.5 * evidence). One plain bullish word
    (weight 1.0) gives 0.82; a dampened one (0.3) gives 0.61."""
    return 1.0 / (1.0 + math.exp(-SCALE * evidence))


def evidence_confidence(evidence: float, n_hits: int) -> float:
    """Confidence in [0, 1): grows with |evidence| (tanh) and is 0 with no hit."""
    if n_hits == 0:
        return 0.0
    return round(math.tanh(abs(evidence)), 4)


class FinanceScorer:
    """Lexicon + rules scorer for Chinese stock-forum posts (the default)."""

    name = "finance"

    def __init__(self) -> None:
        self.version = f"finance-{RULES_VERSION}-{token_table().lexicon_hash}"

    def score_one(self, text: Any) -> SentimentResult:
        capped, reason = precheck(text)
        if capped is None:
            return unscored(reason or "empty")
        norm = normalise(capped)
        if not has_word_char(norm):
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
        out: list[tuple[float, int]] = []
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
        capped, _ = precheck(text)
        if capped is None:
            return []
        _, _, hits = analyse(normalise(capped), explain=True)
        return [{"word": h.word, "start": h.start, "base_weight": h.base_weight,
                 "weight": round(h.weight, 4), "modifiers": list(h.modifiers)}
                for h in sorted(hits, key=lambda h: h.start)]

    def adapt(self, texts: Sequence[str], **kwargs: Any) -> AdaptedFinanceScorer | FinanceScorer:
        """Weak supervision on an unlabelled corpus; see ``AdaptedFinanceScorer``."""
        return AdaptedFinanceScorer.fit(self, texts, **kwargs)
