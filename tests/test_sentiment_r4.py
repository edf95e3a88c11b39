"""The bug classes of sentiment r4 (issue 17 parts 2-4, and the forum-slang classes),
each with its own made-up examples, every one scored wrongly by the r3 rules (checked
against main at r3); the tests marked "a guard" hold what r3 already did right. No
../shared data is read."""

from __future__ import annotations

import pytest

from socialfund.scorers.rules import RULES_VERSION, FinanceScorer, rules_fired
from socialfund.scorers.lexicon import normalise
from socialfund.sentiment import get_scorer


@pytest.fixture(scope="module")
def fin() -> FinanceScorer:
    return get_scorer("finance")


def label(fin: FinanceScorer, text: str) -> str | None:
    return fin.score_many([text])[0].label


def test_rules_version_bumped_for_cached_scores(fin):
    assert RULES_VERSION == "r4"
    assert fin.version.startswith("finance-r4-")


# --- 2. post-position negation: it will not last, it cannot come down / back ------------

@pytest.mark.parametrize("text, expected", [
    ("颓势不会一直持续下去", "pos"),   # the slump will not last
    ("下跌不会持续太久", "pos"),
    ("利好不会持续", "neg"),           # the good news will not last
    ("跌不下来了", "pos"),             # it cannot fall further
    ("这价位根本跌不下来", "pos"),
    ("股价涨不回来了", "neg"),         # it will not climb back
])
def test_post_position_negation_of_lasting_and_coming_back(fin, text, expected):
    assert label(fin, text) == expected
    assert "post-position negation" in rules_fired(normalise(text))


def test_buhui_chixu_with_no_word_before_negates_what_follows(fin):
    # a guard: 不会持续上涨 = it will not keep rising
    assert label(fin, "不会持续上涨") == "neg"


# --- 4. questions: the writer does not know, or asks which of two -------------------

@pytest.mark.parametrize("text", [
    "不知道明天会涨还是会跌",
    "是洗盘还是出货说不好",
    "反弹还是下跌，拭目以待",
    "明天大涨还是回调，不知道",
    "拉升还是砸盘，说不好",
    "是反弹还是诱多，我也不确定",
    "抄底还是割肉，真说不准",
])
def test_uncertain_and_alternative_questions_are_neutral(fin, text):
    assert label(fin, text) == "neu"


@pytest.mark.parametrize("text, expected", [
    ("还是涨了", "pos"),       # a guard: 还是 = still, one stance
    ("还是跌停了", "neg"),     # a guard
])
def test_haishi_meaning_still_keeps_the_stance(fin, text, expected):
    assert label(fin, text) == expected


# --- 4. register: central-bank operations are reports, not opinions ----------------

@pytest.mark.parametrize("text", [
    "央行今日开展1000亿元7天期逆回购操作",
    "今日有800亿元逆回购到期",
    "央行开展逆回购，中标利率2.2%",
    "本周共有3000亿元逆回购到期",
    "央行进行500亿元14天期逆回购",
])
def test_open_market_operations_are_neutral(fin, text):
    assert label(fin, text) == "neu"


# --- a mild statement states a stance (the neutral band is for questions, news) ------

@pytest.mark.parametrize("text, expected", [
    ("略有回调", "neg"),
    ("稍有回调", "neg"),
    ("不怎么跌", "pos"),     # a weak negator on a weak word: still a stance
    ("不怎么涨", "neg"),
    ("不太强", "neg"),
    ("不太弱", "pos"),
])
def test_a_mild_statement_is_polar(fin, text, expected):
    assert label(fin, text) == expected
    assert "mild statement" in rules_fired(normalise(text))


def test_a_mild_question_stays_neutral(fin):
    # a guard: the floor does not apply to questions
    assert label(fin, "会不会略有回调？") == "neu"


# --- forum slang: a missed rise is bullish about the stock ----------------------------

@pytest.mark.parametrize("text", [
    "又踏空了",
    "昨天买少了",
    "一直买不进",
    "卖飞了，心疼",
    "挂单半天没买进去",
])
def test_a_missed_rise_is_bullish(fin, text):
    assert label(fin, text) == "pos"


# --- forum slang: it cannot rise; anger and fear -----------------------------------

@pytest.mark.parametrize("text", [
    "股价就是上不去",
    "怎么也拉不起来",
    "起不来了",
    "拉不动啊",
    "低b公司",
    "这票太拉垮了",
    "补仓补得心力憔悴",
    "删自选了",
    "撑不住了",
    "毫无底线，没底线的公司",
])
def test_cannot_rise_anger_and_fear_are_bearish(fin, text):
    assert label(fin, text) == "neg"


# --- 2. negation: 不X不Y holds out for X (a condition, not two negations) ---------------

@pytest.mark.parametrize("text", [
    "不涨不加仓",
    "不翻倍不出",
    "不回本不得卖",
    "今日不涨停不吃中午饭",
    "不解套不走",
])
def test_bu_x_bu_y_is_a_condition_that_keeps_x(fin, text):
    assert label(fin, text) == "pos"
    assert "condition" in rules_fired(normalise(text))


@pytest.mark.parametrize("text, expected", [
    ("不涨不跌", "neu"),   # a guard: flat, no condition
    ("不涨", "neg"),       # a guard: plain negation
])
def test_bu_x_bu_y_guards(fin, text, expected):
    assert label(fin, text) == expected
