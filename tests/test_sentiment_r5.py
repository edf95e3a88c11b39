"""Sentiment r5: more word boundaries for the ``finance`` scorer's longest match (issue 17
part 1) and the trained model's cross-validated regularisation (part 6). Made-up
examples; the boundary tests that name a straddled word fail on r4."""

from __future__ import annotations

import pytest

from socialfund.scorers.rules import FinanceScorer


@pytest.fixture(scope="module")
def fin() -> FinanceScorer:
    return FinanceScorer()


def words(fin: FinanceScorer, text: str) -> list[str]:
    return [h["word"] for h in fin.explain(text)]


# --- 1. a lexicon word read across a word boundary ------------------------------------

@pytest.mark.parametrize("text, straddled", [
    ("今天才开始涨", "天才"),        # 今天|才 (then only), not 天才 (genius)
    ("夏天才是旺季", "天才"),
    ("每天才赚几毛钱", "天才"),
    ("如果敢跌到十块就满仓", "果敢"),  # 如果|敢, not 果敢 (resolute)
    ("先进来了一半仓位", "先进"),      # 先|进来, not 先进 (advanced)
    ("卖在地板上了", "板上"),          # 地板|上
    ("早上去跑步了", "跑"),            # running, not fleeing
    ("窗外山花烂漫", "烂"),            # bright, not rotten
])
def test_no_match_across_a_word_boundary(fin, text, straddled):
    assert straddled not in words(fin, text)


@pytest.mark.parametrize("text, label", [
    ("早上去跑步了", "neu"),
    ("窗外山花烂漫", "neu"),
    ("持股过节", "neu"),                # 过节 is the holiday in a forum, not a grudge
    ("过节前不操作了", "neu"),
    ("今天才开始涨", "pos"),            # still a rise
    ("如果敢跌到十块就满仓", "pos"),
])
def test_boundary_words_score_what_the_text_says(fin, text, label):
    assert fin.score_one(text).label == label


# --- 2. the trained model's regularisation -------------------------------------------

def test_train_defaults_to_the_cross_validated_c_and_saves_it(tmp_path):
    import csv
    import json

    from socialfund.cli import main
    from socialfund.scorers.trained import DEFAULT_C

    rows = [("利好来了明天涨停", "pos"), ("业绩大增继续持有", "pos"), ("主力进场要起飞", "pos"),
            ("割肉离场亏麻了", "neg"), ("又跌停了被套死", "neg"), ("庄家砸盘太坑了", "neg")] * 4
    data = tmp_path / "labelled.csv"
    with open(data, "w", encoding="utf-8", newline="") as fh:
        csv.writer(fh).writerows([("text", "label"), *rows])
    model = tmp_path / "m.npz"
    assert main(["sentiment", "train", "--data", str(data), "--out", str(model), "--folds", "2"]) == 0
    meta = json.loads((tmp_path / "m.npz.json").read_text(encoding="utf-8"))
    assert DEFAULT_C == 2.0 and meta["C"] == DEFAULT_C and meta["cv"]["folds"] == 2
