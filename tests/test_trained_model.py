"""The trained ``model:PATH`` scorer, format /4 (issue 17.6): char + word n-grams + the
lexicon's own features, temperature-calibrated probabilities, cross-validated figures
printed and saved, weights saved as npz + JSON (never pickle), and old pickles refused
with a clear message. Made-up corpora only."""

from __future__ import annotations

import json
import pickle

import numpy as np
import pytest

from socialfund.cli import main
from socialfund.core.errors import ValidationError
from socialfund.scorers import trained as T
from socialfund.sentiment import get_scorer

POS = ["利好来了明天涨停", "大涨起飞吃肉", "抄底成功翻倍了", "主力吸筹准备拉升", "看好加仓"]
NEG = ["利空暴跌跌停", "割肉离场亏麻了", "套牢站岗绿油油", "庄家出货快跑", "垃圾股腰斩"]
NEU = ["明天几点开盘", "公司在哪个城市", "今天成交量多少", "这个代码是什么", "几点开会"]


def corpus(n: int = 40, classes=("pos", "neg", "neu")):  # type: ignore[no-untyped-def]
    groups = {"pos": POS, "neg": NEG, "neu": NEU}
    texts, labels = [], []
    for i in range(n):
        for label in classes:
            texts.append(f"{groups[label][i % 5]}{'！' * (i % 3)}第{i}次")
            labels.append(label)
    return texts, labels


def _write(path, texts, labels):  # type: ignore[no-untyped-def]
    import csv

    with open(path, "w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["text", "label"])
        w.writerows(zip(texts, labels))
    return str(path)


@pytest.fixture(scope="module")
def trained(tmp_path_factory):  # type: ignore[no-untyped-def]
    d = tmp_path_factory.mktemp("model")
    texts, labels = corpus()
    data = _write(d / "train.csv", texts, labels)
    out = d / "m.model"
    assert main(["sentiment", "train", "--data", data, "--out", str(out), "--folds", "3"]) == 0
    return out


def test_train_prints_and_saves_cross_validated_figures(tmp_path, capsys):
    texts, labels = corpus(30)
    data = _write(tmp_path / "t.csv", texts, labels)
    assert main(["sentiment", "train", "--data", data, "--out", str(tmp_path / "m"), "--folds", "3"]) == 0
    printed = json.loads(capsys.readouterr().out)
    saved = json.loads((tmp_path / "m.json").read_text(encoding="utf-8"))
    assert printed["cv"] == saved["cv"] and saved["cv"]["folds"] == 3
    for key in ("accuracy", "macro_f1", "binary_accuracy", "log_loss", "temperature"):
        assert key in saved["cv"]
    assert saved["format"] == T.MODEL_FORMAT and "word" in saved["model"] and "calibrated" in saved["model"]


def test_saved_model_is_an_npz_archive_not_a_pickle(trained):
    head = trained.read_bytes()[:4]
    assert head == b"PK\x03\x04"
    with np.load(trained, allow_pickle=False) as arrays:  # loads with pickles forbidden
        assert {"char_vocab", "word_vocab", "coef", "intercept", "classes", "temperature"} <= set(arrays.files)
        assert arrays["coef"].shape[1] == (len(arrays["char_vocab"]) + len(arrays["word_vocab"])
                                           + T.N_LEXICON_FEATURES)


def test_loaded_model_scores_like_the_trained_one(trained):
    scorer = get_scorer(f"model:{trained}")
    res = scorer.score_many(["利好来了明天涨停", "割肉离场亏麻了", "明天几点开盘", "🚀", ""])
    assert [r.label for r in res[:3]] == ["pos", "neg", "neu"]
    assert res[0].score > 0.5 > res[1].score
    assert [r.reason for r in res[3:]] == ["emoji-only", "empty"]
    assert all(0 < r.confidence <= 1 for r in res[:3])


def test_probabilities_are_temperature_calibrated():
    logits = np.array([[4.0, 0.0], [4.0, 0.0], [4.0, 0.0], [4.0, 0.0]])
    gold = np.array([0, 0, 0, 1])  # 75% right at a logit gap of 4: overconfident, t < 1
    t = T.fit_temperature(logits, gold)
    assert t < 1.0
    p = T._softmax(logits * t)[0, 0]
    assert abs(p - 0.75) < 0.03
    assert T.fit_temperature(np.array([[2.0, 0.0]] * 10), np.zeros(10, dtype=int)) == 3.0  # always right: sharpen


def test_lexicon_features_carry_score_and_negations():
    rows = T.LexiconFeatures().transform(["利好", "不看好也不是利好", "今天开会"]).toarray() / T.LEXICON_FEATURE_SCALE
    score, negations = rows[:, -2], rows[:, -1]
    assert score[0] > 0 and score[2] == 0.0  # lexicon score - 0.5: bullish, no hit
    assert negations[1] > 0 and negations[0] == 0 and negations[2] == 0
    assert rows.shape[1] == T.N_LEXICON_FEATURES


def test_binary_only_labels_train_and_score(tmp_path):
    texts, labels = corpus(20, classes=("pos", "neg"))
    model, info = T.train_model(texts, labels, folds=2)
    assert info["classes"] == ["neg", "pos"] and info["cv"]["binary_accuracy"] > 0.8
    T.save_model(model, str(tmp_path / "b"), {"n": len(texts)})
    res = T.load_model(str(tmp_path / "b")).score_many(["利好来了", "割肉离场"])
    assert res[0].label == "pos" and res[1].label == "neg"


def test_old_joblib_pickle_is_refused_with_a_clear_message(tmp_path):
    path = tmp_path / "old.joblib"
    path.write_bytes(pickle.dumps({"a": 1}, protocol=4))
    (tmp_path / "old.joblib.json").write_text(json.dumps({"format": "socialfund-sentiment-model/3"}), encoding="utf-8")
    with pytest.raises(ValidationError, match="pickle.*train it again"):
        get_scorer(f"model:{path}")


def test_a_pickle_behind_a_current_sidecar_is_never_unpickled(tmp_path):
    path = tmp_path / "evil.model"
    path.write_bytes(pickle.dumps({"a": 1}, protocol=4))
    sha = T.file_sha256(str(path))
    (tmp_path / "evil.model.json").write_text(json.dumps({"format": T.MODEL_FORMAT, "model_sha256": sha}),
                                              encoding="utf-8")
    with pytest.raises(ValidationError, match="pickle"):
        get_scorer(f"model:{path}")
