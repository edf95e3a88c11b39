"""The bug classes of sentiment r3 (issue 17), each with its own made-up examples: every
example of a bug class was scored wrongly by the r2 rules (checked against the r2 commit);
the tests marked "a guard" hold what r2 already did right. No ../shared data is read."""

from __future__ import annotations

import pytest

from socialfund.scorers.rules import RULES_VERSION, FinanceScorer, rules_fired
from socialfund.sentiment import get_scorer


@pytest.fixture(scope="module")
def fin() -> FinanceScorer:
    return get_scorer("finance")


def label(fin: FinanceScorer, text: str) -> str | None:
    return fin.score_many([text])[0].label


def words(fin: FinanceScorer, text: str) -> list[str]:
    return [h["word"] for h in fin.explain(text)]


def test_rules_version_bumped_for_cached_scores(fin):
    # r4 (tests/test_sentiment_r4.py) changed the rules again: the version names them
    assert RULES_VERSION >= "r3"
    assert fin.version.startswith(f"finance-{RULES_VERSION}-")


# --- 1. word boundaries: no match formed across two words or inside a name ----------

@pytest.mark.parametrize("text, not_matched", [
    ("老朋友好久不见", "友好"),       # 老朋友|好久不见
    ("主力求稳，横盘整理", "力求"),   # 主力|求稳
    ("特高压板块今天开会", "压"),     # a power-grid theme, not pressure
    ("红塔集团发了季报", "红"),       # a company name, not a red candle
    ("绿地控股年报出来了", "绿"),     # a company name, not a green candle
    ("网红带货的那家", "红"),
])
def test_no_match_across_word_boundaries(fin, text, not_matched):
    assert not_matched not in words(fin, text)
    assert label(fin, text) == "neu"


# --- 2. negators: inside words they do not negate; missing ones; after the word -----

@pytest.mark.parametrize("text, expected", [
    ("差不多涨了", "pos"),            # 差不多 = about: its 不 negates nothing
    ("差不多要涨停了", "pos"),
    ("不好意思，又涨了", "pos"),      # an apology, not 不好
    ("撤销风险警示", "pos"),          # the warning is lifted: good news
    ("解除风险", "pos"),
    ("公司取消分红", "neg"),          # 取消 undoes the good news
    ("别再跌了", "neg"),              # a plea: it IS falling
    ("不要再跌了，受不了", "neg"),
    ("别又跌停啊", "neg"),
    ("好日子不长了", "neg"),          # negation after the word
    ("利好撑不住了", "neg"),
    ("这波上涨不了多久", "neg"),
    ("盘子也不大业绩也不错", "pos"),  # a neutral word (业绩) ends 不大's scope
])
def test_negation_scope(fin, text, expected):
    assert label(fin, text) == expected


# The tests below guard what r2 already did right and r3 must keep.

def test_post_position_negator_alone_is_not_a_negator(fin):
    # 不久 before a word means 'soon': 上涨 keeps its sign
    assert label(fin, "不久将上涨") == "pos"


# --- 3. sarcastic joy: only after a strong negative, same clause or the one before --

@pytest.mark.parametrize("text", [
    "卖了一点，哈哈，今天涨了",        # 卖 is mild, another clause
    "卖了点。今天走势漂亮",            # another sentence
    "小跌，今天漂亮反包",
    "减仓了，哈哈，又涨回来了",
    "回调一下，漂亮的洗盘",
])
def test_sarcastic_joy_needs_a_strong_negative_in_the_same_clause(fin, text):
    assert label(fin, text) == "pos"
    assert "sarcastic joy" not in rules_fired(text)


@pytest.mark.parametrize("text", ["跌停了哈哈", "又腰斩了真开心", "割肉了哈哈哈"])
def test_sarcastic_joy_still_fires_after_a_strong_loss(fin, text):
    """A guard: r2 scored these right too, and r3 must keep them."""
    assert label(fin, text) == "neg"
    assert "sarcastic joy" in rules_fired(text)


@pytest.mark.parametrize("text", [
    "连续涨停。呵呵",                 # 呵呵 mocks its own sentence, not an earlier one
    "今天大涨！呵呵",
    "业绩大增，利好。呵呵",
    "稳稳涨停了。呵呵，睡觉",
    "利好来了，大涨。呵呵，有人不信",
])
def test_sarcasm_marker_reaches_its_own_sentence_only(fin, text):
    assert label(fin, text) == "pos"


def test_sarcasm_marker_still_mocks_its_own_sentence(fin):
    """A guard: r2 scored this right too."""
    assert label(fin, "大龙头，牛掰啊，呵呵") == "neg"


# --- 4. register: reports are neutral unless they judge; questions are uncertain ----

@pytest.mark.parametrize("text", [
    "公司发布公告称将于3月5日召开董事会，审议发展规划",
    "据悉，该集团今年将与银行开展全面合作",
    "证监会发布通知，明确创新试点的支持方向",
    "公司宣布与银行达成全面战略合作",
    "国务院召开常务会议，部署推进高质量发展",
    "央行今日召开会议，部署稳健的货币政策",
])
def test_news_register_is_neutral(fin, text):
    assert label(fin, text) == "neu"
    assert "news register" in rules_fired(text) or not fin.explain(text)


@pytest.mark.parametrize("text, expected", [
    ("公司发布公告，3月净利润预增200%", "pos"),   # an evaluative word keeps the stance
    ("据悉，该公司因财务造假被立案调查", "neg"),
])
def test_news_with_an_evaluative_word_keeps_its_stance(fin, text, expected):
    """A guard: r2 scored these right too, and r3 must keep them."""
    assert label(fin, text) == expected


@pytest.mark.parametrize("text", [
    "是不是要出事了？谁知道怎么回事？",
    "会不会大跌？",
    "明天会涨吗？",
    "这个位置能抄底吗？",
    "有没有利好消息？",
])
def test_open_questions_are_uncertain(fin, text):
    assert label(fin, text) == "neu"


@pytest.mark.parametrize("text", [
    "难道又要跌了？",                 # 难道 without 吗 before a fall: worry, not denial
    "难道又要来一轮暴跌？",
    "难道要崩盘？",
    "难道还要跌？",
    "难道要跌停？",
])
def test_worried_nandao_questions_are_uncertain(fin, text):
    assert label(fin, text) == "neu"


@pytest.mark.parametrize("text, expected", [
    ("难道还会涨吗？", "neg"),        # rhetorical: asserts the opposite
    ("这不是利好吗？", "pos"),
    ("怎么又跌了？", "neg"),          # a complaint keeps its stance
])
def test_rhetorical_questions_still_count(fin, text, expected):
    """A guard: r2 scored these right too, and r3 must keep them."""
    assert label(fin, text) == expected


# --- 5. anger and fear in forum slang ----------------------------------------------

@pytest.mark.parametrize("text", [
    "主力狗东西",
    "庄狗又来了",
    "腿软了",
    "吓人",
    "睡不着觉",
    "又进了绞肉机",
    "强平了",
    "还跌？没完没了",
])
def test_forum_anger_and_fear(fin, text):
    assert label(fin, text) == "neg"


# --- 6. the trained model's lexicon features --------------------------------------

def test_model_lexicon_features_carry_evidence_hits_and_rules():
    from socialfund.scorers.trained import LEXICON_FEATURE_SCALE, LEXICON_RULES, LexiconFeatures

    rows = LexiconFeatures().transform(["别再跌了", "利好", "今天开会"]).toarray() / LEXICON_FEATURE_SCALE
    assert rows.shape == (3, 4 + len(LEXICON_RULES) + 2)  # + lexicon score, negations (model /4)
    plea = 4 + LEXICON_RULES.index("plea")
    assert rows[0][1] > 0 and rows[0][0] == 0 and rows[0][plea] == 1   # bearish, by a plea
    assert rows[1][0] > 0 and rows[1][2] == pytest.approx(0.2) and rows[1][plea] == 0
    assert rows[2][3] == 1 and not rows[2][[0, 1, 2]].any()            # no hit at all


def test_model_of_the_r2_format_is_refused_with_a_clear_message(tmp_path):
    import json

    from socialfund.core.errors import ValidationError

    model = tmp_path / "old.joblib"
    model.write_bytes(b"not unpickled")
    (tmp_path / "old.joblib.json").write_text(json.dumps({"format": "socialfund-sentiment-model/2"}),
                                              encoding="utf-8")
    with pytest.raises(ValidationError, match="format /2.*train it again"):
        get_scorer(f"model:{model}")
