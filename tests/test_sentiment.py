"""Tests for socialfund.sentiment, the scorers in socialfund.scorers and the `sentiment` CLI
(no ../shared data used)."""

from __future__ import annotations

import csv
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from socialfund.cli import main
from socialfund.core.errors import ConfigError, NotFoundError, ValidationError
from socialfund.scorers.adapted import AdaptedFinanceScorer
from socialfund.scorers.rules import FinanceScorer
from socialfund.sentiment import MAX_SCORED_CHARS, Scorer, SentimentResult, get_scorer, label_for

REPO = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def fin() -> FinanceScorer:
    return get_scorer("finance")


def one(scorer, text):
    return scorer.score_many([text])[0]


# --- rules ---------------------------------------------------------------------------

def test_slang_polarity(fin):
    for text in ("利好", "涨停", "抄底", "吃肉", "起飞", "牛市", "今天大涨"):
        assert one(fin, text).label == "pos", text
    for text in ("利空", "跌停", "割肉", "套牢", "韭菜", "跑路", "腰斩", "绿油油", "爆仓", "熊市"):
        assert one(fin, text).label == "neg", text


def test_negation_flips(fin):
    assert one(fin, "会涨").score > 0.5
    assert one(fin, "不会涨").score < 0.5
    assert one(fin, "没有利空").score > 0.5
    # negation dampens as well as flips: 不涨 is milder than 跌停
    assert one(fin, "不涨").score > one(fin, "跌停").score


def test_a_not_a_question_does_not_negate(fin):
    # 加不加仓 asks a question: 加仓 must not turn bearish
    assert one(fin, "加不加仓").score >= 0.5


def test_degree_words_scale(fin):
    assert one(fin, "非常看涨").score >= one(fin, "看涨").score
    assert one(fin, "有点亏").score > one(fin, "亏").score


def test_contrast_clause_after_weighs_more(fin):
    assert one(fin, "虽然今天大涨，但是明天肯定暴跌").label == "neg"
    assert one(fin, "虽然今天暴跌，但是明天肯定大涨").label == "pos"
    hits = fin.explain("大涨，不过要跌了")
    assert any("before contrast" in h["modifiers"] for h in hits)


def test_question_dampens(fin):
    assert 0.5 < one(fin, "会大涨吗？").score < one(fin, "会大涨").score


def test_post_negation(fin):
    assert one(fin, "回本是不可能的了").score < 0.5


def test_sarcasm(fin):
    assert one(fin, "呵呵，又涨了").label == "neg"
    assert one(fin, "今天又跌停了，真开心").label == "neg"
    assert one(fin, "🤡 利好").score < 0.5


def test_emoji(fin):
    assert one(fin, "冲🚀🚀🚀").label == "pos"
    assert one(fin, "今天📉😭").label == "neg"
    assert one(fin, "🚀🚀🚀").reason == "emoji-only"   # emoji alone: no score, a reason


def test_unscored_reasons(fin):
    assert one(fin, "") == SentimentResult(None, None, None, "empty")
    assert one(fin, "   \n\t").reason == "whitespace"
    assert one(fin, "。。。！！").reason == "emoji-only"
    assert one(fin, "🫠").reason == "emoji-only"
    assert one(fin, None).reason == "empty"
    assert one(fin, "涨" * 400_000).reason == "too-long"   # 1.2 MB of UTF-8


def test_long_text_is_capped_not_refused(fin):
    text = "利好" + "。" * (MAX_SCORED_CHARS + 10) + "利空" * 50
    r = one(fin, text)
    assert r.reason is None and r.label == "pos"   # only the first 2,000 chars count


def test_no_hit_is_neutral_with_zero_confidence(fin):
    r = one(fin, "今天中午吃的饺子")
    assert (r.score, r.label, r.confidence) == (0.5, "neu", 0.0)


def test_html_is_text(fin):
    r = one(fin, "<script>alert('利空')</script><b>涨停</b>")
    words = [h["word"] for h in fin.explain("<script>alert('利空')</script><b>涨停</b>")]
    assert words == ["利空", "涨停"]
    assert r.score is not None


def test_explain_reports_modifiers(fin):
    hits = fin.explain("不涨")
    assert hits[0]["word"] == "涨" and "negated" in hits[0]["modifiers"]
    assert hits[0]["weight"] < 0 < hits[0]["base_weight"]


# --- rules r2: rhetorical questions, complaints, story turns, slang, emoji -------------
# (hand-written sentences, not taken from any data set)

def test_rhetorical_question_asserts_the_opposite(fin):
    # 难道…吗 asks in order to deny: "surely it will not rise again?"
    assert one(fin, "难道还会涨吗").score < 0.5
    assert one(fin, "难道还会暴跌吗").score > 0.5
    # a negated yes/no question affirms: "isn't this good news?" = it is
    assert one(fin, "这不是利好吗？").label == "pos"
    assert one(fin, "业绩翻倍了还能不香吗").score > 0.5
    hits = fin.explain("这不是利好吗")
    assert "rhetorical question" in hits[0]["modifiers"]


def test_plain_question_still_only_dampens(fin):
    assert 0.5 < one(fin, "明天会涨停吗").score < one(fin, "明天会涨停").score
    # 什么 ends in 么 but asks nothing: 没什么问题 stays a plain negated statement
    assert one(fin, "这只基金没什么问题").score > 0.5


def test_complaint_question_keeps_its_bearish_weight(fin):
    assert one(fin, "怎么又跌停了？").score == pytest.approx(one(fin, "又跌停了").score)
    assert one(fin, "为什么天天跌？").label == "neg"


def test_story_turn_and_comparison_weigh_the_part_after(fin):
    assert one(fin, "别的券商都大涨，偏偏这只暴跌").label == "neg"
    assert one(fin, "板块都在跌，唯独它涨停").label == "pos"
    assert one(fin, "以为能回本，结果又被套了").label == "neg"
    assert one(fin, "本以为要跌，没想到直接涨停").label == "pos"


def test_words_containing_a_negator_do_not_negate(fin):
    assert one(fin, "别人家的基金都翻倍了").score > 0.5     # 别 in 别人 is not 'don't'
    assert one(fin, "无量涨停").label == "pos"                # 无量 = on thin volume
    assert one(fin, "不知道明天会不会大涨").score > 0.5
    assert one(fin, "未来可期").label == "pos"


def test_more_forum_slang(fin):
    for text in ("红彤彤的一天", "守得云开见明月", "业绩超预期", "车门焊死了", "坐等起飞",
                 "柳暗花明又一村", "拿住别动，格局打开", "困境反转"):
        assert one(fin, text).label == "pos", text
    for text in ("又是关灯吃面", "这票凉凉", "业绩暴雷", "利好出尽", "一天比一天低", "凶多吉少",
                 "主力出逃", "亏成狗了", "被收割了", "熊来了"):
        assert one(fin, text).label == "neg", text


def test_emoji_inside_text_counts_and_alone_does_not(fin):
    assert one(fin, "今天基金⬆️⬆️").label == "pos"
    assert one(fin, "今天基金⬆⬆").label == "pos"    # without the variation selector
    assert one(fin, "又是💸的一天").label == "neg"
    assert one(fin, "[抄底]走起").label == "pos"
    for text in ("💸💸", "🎊", "⬇️⬇️。"):
        assert one(fin, text).reason == "emoji-only", text


def test_worried_question_leans_bearish(fin):
    assert one(fin, "这只股票怎么了？").score < 0.5


def test_label_thresholds():
    assert label_for(0.39) == "neg" and label_for(0.4) == "neu"
    assert label_for(0.6) == "neu" and label_for(0.61) == "pos"


# --- factory, snownlp, adapt ---------------------------------------------------------

def test_get_scorer_specs(fin):
    assert isinstance(fin, Scorer) and fin.name == "finance" and fin.version
    assert get_scorer("").name == "finance"
    with pytest.raises(ConfigError):
        get_scorer("bert")
    with pytest.raises(NotFoundError):
        get_scorer("model:/nonexistent/model.joblib")


def test_snownlp_unscored_reasons():
    snow = get_scorer("snownlp")
    results = snow.score_many(["", "  ", "🚀🚀", "这个股票很好"])
    assert [r.reason for r in results[:3]] == ["empty", "whitespace", "emoji-only"]
    assert results[3].score is not None and 0 <= results[3].score <= 1


def _synthetic_corpus(n: int = 60) -> tuple[list[str], list[str]]:
    pos = ["利好来了明天涨停", "大涨起飞吃肉", "抄底成功翻倍了", "主力吸筹准备拉升", "看好加仓"]
    neg = ["利空暴跌跌停", "割肉离场亏麻了", "套牢站岗绿油油", "庄家出货快跑", "垃圾股腰斩"]
    neu = ["明天几点开盘", "公司在哪个城市", "今天成交量多少", "这个代码是什么", "几点开会"]
    texts, labels = [], []
    for i in range(n):
        for group, label in ((pos, "pos"), (neg, "neg"), (neu, "neu")):
            texts.append(f"{group[i % 5]}{'！' * (i % 3)}第{i}次")
            labels.append(label)
    return texts, labels


def test_adapt_returns_new_scorer_with_corpus_hash(fin):
    texts, _ = _synthetic_corpus()
    adapted = fin.adapt(texts)
    assert isinstance(adapted, AdaptedFinanceScorer)
    assert adapted.version.startswith(fin.version) and adapted.version != fin.version
    assert fin.adapt(texts[:-1]).version != adapted.version
    res = adapted.score_many(["利好来了明天涨停", "割肉离场亏麻了", ""])
    assert res[0].score > 0.5 > res[1].score and res[2].reason == "empty"


def test_adapt_with_too_little_data_keeps_base(fin):
    assert fin.adapt(["利好"]) is fin


# --- CLI -----------------------------------------------------------------------------

def _write_csv(path: Path, header: list[str], rows: list[list[str]], encoding="utf-8") -> Path:
    with open(path, "w", encoding=encoding, newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(header)
        writer.writerows(rows)
    return path


def test_train_save_load_round_trip(tmp_path, capsys):
    texts, labels = _synthetic_corpus()
    data = _write_csv(tmp_path / "train.csv", ["text", "label"], list(zip(texts, labels)))
    model = tmp_path / "m.joblib"
    assert main(["sentiment", "train", "--data", str(data), "--out", str(model), "--folds", "3"]) == 0
    printed = json.loads(capsys.readouterr().out)
    assert printed["classes"] == ["neg", "neu", "pos"] and printed["n"] == 180
    meta = json.loads((tmp_path / "m.joblib.json").read_text(encoding="utf-8"))
    assert len(meta["data_sha256"]) == 64 and meta["cv"]["folds"] == 3
    assert meta["cv"]["accuracy"] > 0.8
    scorer = get_scorer(f"model:{model}")
    res = scorer.score_many(["利好来了明天涨停", "割肉离场亏麻了", "明天几点开盘", "🚀"])
    assert [r.label for r in res[:3]] == ["pos", "neg", "neu"]
    assert res[0].score > 0.5 > res[1].score
    assert res[3].reason == "emoji-only"


def test_tampered_model_is_refused(tmp_path):
    texts, labels = _synthetic_corpus(20)
    data = _write_csv(tmp_path / "t.csv", ["text", "label"], list(zip(texts, labels)))
    model = tmp_path / "m.joblib"
    assert main(["sentiment", "train", "--data", str(data), "--out", str(model), "--folds", "2"]) == 0
    with open(model, "ab") as fh:
        fh.write(b"x")
    assert main(["sentiment", "eval", "--data", str(data), "--scorer", f"model:{model}"]) == 2


def test_model_saved_before_the_scorers_moved_is_refused_with_a_clear_message(tmp_path):
    # format /1 pickles refer to socialfund.sentiment names that moved to socialfund.scorers
    model = tmp_path / "old.joblib"
    model.write_bytes(b"not unpickled")
    (tmp_path / "old.joblib.json").write_text(json.dumps({"format": "socialfund-sentiment-model/1"}),
                                              encoding="utf-8")
    with pytest.raises(ValidationError, match="train it again"):
        get_scorer(f"model:{model}")


def test_the_registry_imports_no_scorer_until_asked():
    code = ("import sys, socialfund.sentiment as s\n"
            "print(any(m.startswith('socialfund.scorers') for m in sys.modules))\n"
            "s.get_scorer('finance')\n"
            "print('socialfund.scorers.rules' in sys.modules, 'sklearn' in sys.modules)\n")
    proc = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, check=True)
    assert proc.stdout.split() == ["False", "True", "False"]


EVAL_KEYS = {"n", "binary_accuracy", "binary_macro_f1", "accuracy_3class", "macro_f1_3class",
             "unscored", "texts_per_second", "adapted"}


def test_eval_json_keys(tmp_path, capsys):
    rows = [["利好涨停", "pos"], ["暴跌割肉", "neg"], ["几点开盘", "neu"], ["", "neg"]]
    data = _write_csv(tmp_path / "e.csv", ["text", "label"], rows)
    assert main(["sentiment", "eval", "--data", str(data), "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert EVAL_KEYS <= set(out)
    assert out["n"] == 4 and out["unscored"] == 1 and out["adapted"] is False
    # binary subset: 3 rows, the unscored one counts as wrong
    assert out["binary_accuracy"] == pytest.approx(2 / 3, abs=1e-3)
    assert out["accuracy_3class"] == pytest.approx(3 / 4, abs=1e-3)


def test_eval_binary_file_has_null_3class(tmp_path, capsys):
    data = _write_csv(tmp_path / "b.csv", ["text", "label"],
                      [["利好", "positive"], ["利空", "NEG"]])
    assert main(["sentiment", "eval", "--data", str(data), "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["binary_accuracy"] == 1.0
    assert out["accuracy_3class"] is None and out["macro_f1_3class"] is None


def test_score_cli(tmp_path):
    src = _write_csv(tmp_path / "in.csv", ["id", "text"],
                     [["1", "利好涨停"], ["2", "暴跌，割肉"], ["3", ""], ["4", "<b>hi</b>"]])
    out = tmp_path / "out.csv"
    assert main(["sentiment", "score", "--in", str(src), "--out", str(out)]) == 0
    with open(out, encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    assert list(rows[0]) == ["id", "text", "score", "label", "confidence", "reason"]
    assert [r["label"] for r in rows] == ["pos", "neg", "", "neu"]
    assert rows[2]["reason"] == "empty" and rows[2]["score"] == ""


def test_score_cli_workers_match_single_process(tmp_path):
    texts = [[f"利好{i}"] if i % 2 else [f"利空{i}"] for i in range(4_500)]
    src = _write_csv(tmp_path / "in.csv", ["text"], texts)
    a, b = tmp_path / "a.csv", tmp_path / "b.csv"
    assert main(["sentiment", "score", "--in", str(src), "--out", str(a)]) == 0
    assert main(["sentiment", "score", "--in", str(src), "--out", str(b), "--workers", "2"]) == 0
    assert a.read_bytes() == b.read_bytes()


@pytest.mark.parametrize("content,expect", [
    ("title,label\n利好,pos\n", "column text"),
    ("text,label\n利好,pos\n利空,bullish\n", "line 3, column label"),
])
def test_bad_files_exit_2_with_one_line(tmp_path, content, expect):
    path = tmp_path / "bad.csv"
    path.write_text(content, encoding="utf-8")
    proc = subprocess.run([sys.executable, "-m", "socialfund", "sentiment", "eval",
                           "--data", str(path), "--json"], cwd=REPO, capture_output=True,
                          text=True, env={**os.environ, "PYTHONPATH": str(REPO)})
    assert proc.returncode == 2
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and str(path) in lines[0] and expect in lines[0], proc.stderr
    assert proc.stdout == ""


def test_gbk_labelled_file_evaluates_as_posts_import_reads_it(tmp_path, capsys):
    # GBK is read as `posts import` reads it (io.csvrows), for eval, score and train alike
    path = tmp_path / "gbk.csv"
    path.write_bytes("text,label\n".encode() + "利好涨停,pos\n暴跌割肉,neg\n几点开盘,neu\n".encode("gbk"))
    assert main(["sentiment", "eval", "--data", str(path), "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["n"] == 3 and out["binary_accuracy"] == 1.0 and out["accuracy_3class"] == 1.0
    assert main(["sentiment", "score", "--in", str(path), "--out", str(tmp_path / "o.csv")]) == 0
    with open(tmp_path / "o.csv", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    assert [r["text"] for r in rows] == ["利好涨停", "暴跌割肉", "几点开盘"]
    assert [r["label"] for r in rows] == ["pos", "neg", "neu"]


def test_wrong_encoding_names_line(tmp_path, capsys):
    path = tmp_path / "bad.csv"
    path.write_bytes("text,label\n利好,pos\n".encode() + b"\xff\xfe,neg\n")   # neither UTF-8 nor GBK
    assert main(["sentiment", "score", "--in", str(path), "--out", str(tmp_path / "o.csv")]) == 2
    err = capsys.readouterr().err.strip()
    assert "line 3" in err and "UTF-8" in err and len(err.splitlines()) == 1


def test_missing_file_exit_2(tmp_path, capsys):
    assert main(["sentiment", "eval", "--data", str(tmp_path / "nope.csv")]) == 2
    assert "nope.csv" in capsys.readouterr().err
