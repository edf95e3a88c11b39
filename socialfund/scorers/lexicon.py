"""The finance lexicon and the token table of the ``finance`` scorer: loading the word
lists in ``scorers/lexicon/``, text normalisation, the modifier words (negators, degree,
contrast, question, sarcasm ...) and the greedy longest match over all of them.

Lexicon = socialfund's own hand-written stock-forum slang and emoji lists plus the Yao et
al. (2021) financial dictionary (see ``socialfund/scorers/lexicon/README.md``). Texts are
segmented by greedy longest match over the lexicon, the modifier words and a hand-written
list of word boundaries (``boundary.txt``: 老朋友|好久不见 so 友好 is not read across
them, 主力|求稳, 特高压, 差不多), not by jieba: jieba's dictionary load costs 0.5-6 s per
cold process and it segments about 2,200 short posts/s (measured r3, HMM off, on the shared
2-core box) against the scorer's 10,000/s target; the boundary words give the longest match
the word boundaries that matter for look-up at no cost in speed.

Measured again for r4 (finfe_dev half a, tuning half): matching on jieba tokens (HMM off,
every lexicon and modifier word added to jieba as a user word; entries of 1-2 chars
required to be whole tokens, longer ones not allowed to cross a token boundary) lowered
3-class accuracy from 0.682 to 0.668-0.670 and binary from 0.862 to 0.858-0.861 (half b:
0.679 -> 0.675-0.677), and jieba alone cut 6,700 texts/s with 1.8 s of dictionary load per
cold process: below both the 10,000 texts/s and the 2 s cold-start targets. The boundary
list stays; a boundary case that goes wrong is a line in ``boundary.txt``.

The modifier words are kept in code rather than data: they are grammar, not vocabulary,
and the rules of ``scorers.rules`` depend on each kind. Changing them changes the
``finance`` scorer's behaviour: bump ``scorers.rules.RULES_VERSION`` with them.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Iterator
from functools import lru_cache
from importlib import resources
from typing import NamedTuple

LEXICON_FILES = ("boundary.txt", "yao2021_financial.txt", "forum_pos.txt", "forum_neg.txt", "forum_extra.txt",
                 "forum_overrides.txt", "forum_r4.txt",
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
    base = resources.files("socialfund.scorers") / "lexicon"
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


# ---------------------------------------------------------------------------
# Modifier words
# ---------------------------------------------------------------------------

NEGATORS = ("不", "没", "没有", "别", "未", "非", "无", "难以", "不会", "不要", "不能",
            "不可能", "并非", "并不", "绝不", "毫无", "从不", "从没", "不用", "不必",
            "甭", "勿", "莫", "不再", "没法", "无法", "还没", "还没有", "不是", "不算")
# Verbs that undo what follows: 撤销风险警示 (the warning is lifted) is good news,
# 取消分红 bad news. They negate like 不 (and override their own lexicon weight).
REVERSAL_NEGATORS = ("撤销", "撤消", "解除", "取消", "摆脱", "消除", "化解", "扭转", "走出",
                     "告别", "摘掉", "摘除", "止住", "终结", "结束了")
# An imperative plea keeps the stance of what it pleads against: 别再跌了 says it is
# falling and hurts; it does not say it will rise. Dampens, does not flip.
PLEAS = ("别再", "不要再", "别又", "千万别再", "可别再", "求求别", "别老", "不要老")
PLEA_FACTOR = 0.7
# Negation after the word (好景不长, 涨不动, 跌不下去, 守不住): flips the word just before
# it; elsewhere (不久将上涨) these are not negators at all.
POST_WORD_NEGATORS = {"不长": -0.7, "不了": -0.7, "不动": -0.7, "不起来": -0.7,
                      "不上去": -0.7, "不下去": -0.7, "不住": -0.7, "不久": -0.7,
                      "不多": -0.3, "不够": -0.5, "不成": -0.7, "不到": -0.5,
                      # r4: a move that cannot go on or come back (跌不下来, 涨不回来,
                      # 跌不到哪里去) and a state that will not last (颓势不会持续下去)
                      "不下来": -0.7, "不回来": -0.7, "不到哪里去": -0.7, "不到哪去": -0.7,
                      "不会持续": -0.7, "不会一直持续": -0.7, "不会持续太久": -0.7,
                      "不会太久": -0.7, "不会长久": -0.7, "持续不了": -0.7, "长不了": -0.7,
                      "不会维持": -0.7, "维持不了": -0.7}
# r4: 撑不住 / 扛不住 flip the word just before them (利好撑不住了); with no word just before
# (撑不住了) they are a bearish word of this weight.
POST_WORD_STANDALONE = {"撑不住": -1.0, "扛不住": -1.0, "顶不住": -1.0, "守不住": -1.0}
POST_WORD_NEGATORS.update({w: -0.7 for w in POST_WORD_STANDALONE})
# Post-position negators that, with no word just before them, negate what follows as 不会
# does (不会持续上涨); the others (不久将上涨) are then no negator at all.
POST_OR_PRE_NEGATORS = frozenset(w for w in POST_WORD_NEGATORS if w.startswith("不会"))
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
            "偏偏", "唯独", "反而", "就你", "没想到", "谁知", "哪知", "结果")
CONCESSION = ("虽然", "虽", "尽管", "虽说", "固然",
              # a belief the writer now reports as wrong: 以为能涨，又补在最高点
              "以为", "本以为", "还以为", "原以为")
QUESTION = ("吗", "么", "嘛", "谁知道", "会不会", "是不是", "能不能", "有没有", "要不要", "咋", "怎么样")
# A rhetorical question asserts the opposite of what it asks: 难道还会涨吗 = it will not.
RHETORICAL = ("难道", "岂", "何尝", "怎能", "怎么能", "怎么可能", "哪能", "哪里会", "哪会")
# A complaint is phrased as a question but states its stance: 怎么又跌了？ 凭什么不涨？
COMPLAINT = ("怎么", "为什么", "为啥", "凭什么", "咋")
# A sentence-final particle that asks yes/no; with a negation inside it asks rhetorically:
# 这不是利好吗 = this IS good news; 还能不香吗 = of course it is sweet.
YES_NO_PARTICLES = frozenset(("吗", "么", "嘛"))
# r4: the writer says they do not know: the clause is an open question (不知道明天会涨还是
# 会跌, 涨跌说不准), however polar its words.
UNCERTAIN = ("不知道", "不知", "说不准", "说不好", "拭目以待", "不确定", "难说", "谁说得准",
             "天知道", "鬼知道")
# r4: 还是 between a bullish and a bearish word of one clause asks which (吸筹还是出货, 会涨
# 还是会跌); with words of one sign it means "still" (还是涨了) and changes nothing.
ALTERNATIVE = ("还是",)
# Words ending in 么 that do not ask yes/no (什么 = what, 要么 = either).
NOT_PARTICLES = ("什么", "要么", "多么", "干嘛", "干么")
SARCASM = ("呵呵", "🤡", "笑死", "搞笑", "呵呵哒", "讽刺")
POST_NEGATORS = ("是不可能的", "不可能的", "不可能了", "是不存在的", "不存在的")
JOY = frozenset(("开心", "真开心", "好开心", "太开心", "高兴", "真高兴", "爽", "真爽", "美滋滋",
                 "哈哈", "哈哈哈", "感谢", "谢谢", "恭喜", "漂亮", "厉害"))
# Words that judge even inside a news report: a report of 涨停 or 亏损 is news with a
# stance; a report with only 发展/合作/召开 is not.
EVALUATIVE = frozenset((
    "利好", "重大利好", "利空", "重大利空", "大涨", "暴涨", "大跌", "暴跌", "涨停", "跌停",
    "大增", "大幅增长", "大幅下滑", "下滑", "亏损", "巨亏", "预增", "预亏", "扭亏", "扭亏为盈",
    "超预期", "不及预期", "创新高", "新高", "新低", "翻倍", "腰斩", "暴雷", "爆雷", "退市",
    "违规", "处罚", "立案", "造假", "减持", "增持", "回购", "中标", "突破", "崩盘", "跳水",
    "飙升", "大幅", "下跌", "上涨", "增长", "下降", "净流入", "净流出"))
# News / announcement register: reporting verbs, dates, figures, institutions.
REPORTING = ("发布", "披露", "公告", "召开", "宣布", "据悉", "报道", "获悉", "记者", "表示",
             "消息称", "日电", "讯", "据了解", "据统计", "数据显示", "通报", "印发", "审议",
             "通过了", "举行", "会议", "声明", "发布会", "显示")
INSTITUTIONS = ("公司", "集团", "股份", "证监会", "交易所", "央行", "银行", "董事会", "股东大会",
                "国务院", "发改委", "工信部", "财政部", "监管", "部门", "机构", "协会", "研究院",
                "政府", "委员会", "上市公司")
NEWS_MIN_CHARS = 12
FORECAST = ("目标", "看到", "上看", "会涨", "会跌", "要涨", "要跌", "拿准", "立贴", "立帖", "估计",
            "预计", "可能", "应该", "必有", "吧", "啊", "呢")
FIRST_PERSON = ("我", "俺", "咱", "你", "兄弟", "大家", "老子", "散户", "韭菜")
_REPORTING = re.compile("|".join(REPORTING))
_INSTITUTION = re.compile("|".join(INSTITUTIONS))
_NOT_NEWS = re.compile("|".join(FIRST_PERSON + FORECAST))
_DATE = re.compile(r"\d{1,4}\s*[年月日号]|\d{1,2}:\d{2}|今年|去年|本周|昨日|今日")


def is_news_register(text: str, evaluative: bool) -> bool:
    """Does a (normalised) text read as a news report or announcement rather than an
    opinion? A reporting verb (发布, 召开, 据悉) with a date or an institution, in a
    sentence of at least ``NEWS_MIN_CHARS``, and no first or second person, no
    exclamation and no forecast (目标价, 看到 20 元: a forum post quoting figures is still
    an opinion). A report that holds an ``EVALUATIVE`` word (``evaluative``) still states
    a stance: False."""
    # cheapest test first: most posts have no reporting verb
    if evaluative or len(text) < NEWS_MIN_CHARS or not _REPORTING.search(text):
        return False
    if "!" in text or _NOT_NEWS.search(text):
        return False
    return bool(_DATE.search(text) or _INSTITUTION.search(text))


CLAUSE_BREAKS = frozenset("，,。.!！?？;；~～\n\r\t 、…")

# The factors the token table carries for its modifier kinds.
RHETORICAL_FACTOR = -0.7  # 难道…吗 / 不是…吗: the clause says the opposite, a little softer
NEGATION_FACTOR = -0.7    # flip, and dampen: 不涨 is less bearish than 跌
WEAK_NEGATION_FACTOR = -0.3
SARCASM_PENALTY = -0.8    # a sarcasm marker is bearish in itself


# ---------------------------------------------------------------------------
# Token table and longest match
# ---------------------------------------------------------------------------

Token = tuple[str, float]
"""(kind, value): kind is one of senti, degsenti, neg, deg, contrast, concession, question,
filler, complaint, rhetorical, postneg, postword, plea, sarcasm, alternative; value is a weight or a factor."""


class TokenTable(NamedTuple):
    """Every word the scanner knows, with its kind and value; ``lengths`` maps a first
    character to the lengths of the words starting with it (longest first)."""

    words: dict[str, Token]
    lengths: dict[str, tuple[int, ...]]
    lexicon_hash: str


@lru_cache(maxsize=1)
def token_table() -> TokenTable:
    """The lexicon's sentiment words plus the modifier words, one table."""
    lexicon, lexicon_hash = load_lexicon()
    table: dict[str, Token] = {w: ("senti", v) for w, v in lexicon.items()}
    # Modifiers override same-spelled lexicon entries only where the entry is a bare
    # modifier (e.g. Yao lists 无 nowhere, but 好 is 'degree' in 好涨 yet positive alone:
    # a degree word with no sentiment word after it is scored as its lexicon weight).
    for w in NEGATORS:
        table[w] = ("neg", NEGATION_FACTOR)
    for w in WEAK_NEGATORS:
        table[w] = ("neg", WEAK_NEGATION_FACTOR)
    for w in REVERSAL_NEGATORS:
        table[w] = ("neg", NEGATION_FACTOR)
    for w in PLEAS:
        table[w] = ("plea", PLEA_FACTOR)
    for w, f in POST_WORD_NEGATORS.items():
        table[w] = ("postword", f)
    for w, f in DEGREE.items():
        table[w] = ("deg", f) if w not in lexicon else ("degsenti", f)
    for w in CONTRAST:
        table[w] = ("contrast", 0.0)
    for w in CONCESSION:
        table[w] = ("concession", 0.0)
    for w in QUESTION:
        table.setdefault(w, ("question", 0.0))
    for w in UNCERTAIN:
        table[w] = ("question", 0.0)
    for w in ALTERNATIVE:
        table[w] = ("alternative", 0.0)
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
    return TokenTable(table, by_first, lexicon_hash)


def segment(text: str, tokens: TokenTable) -> Iterator[tuple[int, str, str, float]]:
    """Greedy longest match, left to right: ``(offset, word, kind, value)`` for every known
    word and ``(offset, char, "break", 0.0)`` for every clause break (``CLAUSE_BREAKS``,
    tested before any word); unknown characters and neutral gaps are skipped."""
    words, lengths_of = tokens.words, tokens.lengths
    i = 0
    n = len(text)
    while i < n:
        ch = text[i]
        if ch in CLAUSE_BREAKS:
            yield i, ch, "break", 0.0
            i += 1
            continue
        for length in lengths_of.get(ch, ()):
            if i + length <= n:
                word = text[i:i + length]
                token = words.get(word)
                if token is not None:
                    yield i, word, token[0], token[1]
                    i += length
                    break
        else:
            i += 1


def sentiment_follows(text: str, start: int, tokens: TokenTable) -> bool:
    """Is there a sentiment word starting within 2 chars after ``start``?"""
    for j in range(start, min(start + 2, len(text))):
        for length in tokens.lengths.get(text[j], ()):
            token = tokens.words.get(text[j:j + length])
            if token is not None and token[0] in ("senti", "degsenti"):
                return True
    return False
