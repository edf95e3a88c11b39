"""Adaptation on by default (issue 17.5): ``adapt_cached`` (threshold, corpus-hash version,
weights cached as npz + JSON, never pickle), ``services.scorer_choice.choose_scorer`` on a
store, ``sentiment score`` adapting a large file by default, ``eval`` not, and the page's
caption naming the scorer. Corpora are made up (seeded), never a labelled set."""

from __future__ import annotations

import csv
import os
import random
from datetime import datetime

import pytest

from socialfund.cli import main
from socialfund.scorers import adapted as A
from socialfund.scorers.adapted import AdaptedFinanceScorer, adapt_cached, cache_path, corpus_hash
from socialfund.scorers.rules import FinanceScorer
from socialfund.services import posts as P
from socialfund.services.scorer_choice import choose_scorer, corpus_texts
from socialfund.store import open_store, schema
from socialfund.store.engine import insert_ignore

POS = ["利好来了", "大涨起飞", "抄底成功", "主力吸筹", "看好加仓", "吃肉了"]
NEG = ["利空暴跌", "割肉离场", "套牢站岗", "庄家出货", "垃圾股", "亏麻了"]
NEU = ["明天几点开盘", "公司在哪个城市", "成交量多少", "代码是什么"]
FILLER = ["今天", "这票", "兄弟们", "老铁", "明天", "下午"]


def corpus(n: int, seed: int = 0) -> list[str]:
    """n distinct made-up forum posts (seeded)."""
    rng = random.Random(seed)
    out = []
    for i in range(n):
        group = (POS, NEG, NEU)[i % 3]
        out.append(f"{rng.choice(FILLER)}{rng.choice(group)}{rng.choice(FILLER)}#{i}")
    return out


@pytest.fixture(scope="module")
def fin() -> FinanceScorer:
    return FinanceScorer()


def test_small_corpus_keeps_the_base_scorer(fin, tmp_path):
    assert adapt_cached(fin, corpus(1_999), str(tmp_path)) is fin
    assert os.listdir(tmp_path) == []


def test_corpus_at_threshold_adapts_and_is_versioned_by_corpus_hash(fin, tmp_path):
    texts = corpus(2_000)
    made = adapt_cached(fin, texts, str(tmp_path))
    assert isinstance(made, AdaptedFinanceScorer)
    assert made.version == f"{fin.version}-adapt-{corpus_hash(texts)}"
    other = adapt_cached(fin, corpus(2_000, seed=1), str(tmp_path))
    assert other.version != made.version
    assert sorted(os.listdir(tmp_path)) == sorted(
        os.path.basename(p) + ext for p in (cache_path(str(tmp_path), fin.version, made.corpus),
                                            cache_path(str(tmp_path), fin.version, other.corpus))
        for ext in ("", ".json"))


def test_cached_weights_are_loaded_not_fitted_again_and_score_the_same(fin, tmp_path, monkeypatch):
    texts = corpus(2_100)
    first = adapt_cached(fin, texts, str(tmp_path))
    probe = ["兄弟们利好来了", "割肉离场了", "几点开盘", "没有词典词的句子"]
    monkeypatch.setattr(AdaptedFinanceScorer, "fit", classmethod(lambda *a, **k: pytest.fail("fitted again")))
    again = adapt_cached(fin, texts, str(tmp_path))
    assert isinstance(again, AdaptedFinanceScorer) and again.version == first.version
    assert [r.score for r in again.score_many(probe)] == [r.score for r in first.score_many(probe)]


def test_cache_file_is_npz_with_json_sidecar_not_pickle(fin, tmp_path):
    made = adapt_cached(fin, corpus(2_000), str(tmp_path))
    path = cache_path(str(tmp_path), fin.version, made.corpus)
    with open(path, "rb") as fh:
        assert fh.read(4) == b"PK\x03\x04"  # a zip of .npy arrays, read with allow_pickle=False
    assert '"format": "socialfund-adapted-scorer/1"' in open(path + ".json", encoding="utf-8").read()


def test_damaged_cache_entry_is_fitted_again(fin, tmp_path):
    texts = corpus(2_000)
    made = adapt_cached(fin, texts, str(tmp_path))
    path = cache_path(str(tmp_path), fin.version, made.corpus)
    with open(path, "wb") as fh:
        fh.write(b"\x80\x04garbage")  # e.g. a pickle someone put there: never loaded
    again = adapt_cached(fin, texts, str(tmp_path))
    assert isinstance(again, AdaptedFinanceScorer) and again.version == made.version
    with open(path, "rb") as fh:
        assert fh.read(4) == b"PK\x03\x04"


def test_weights_of_another_base_version_are_refused(fin, tmp_path):
    made = adapt_cached(fin, corpus(2_000), str(tmp_path))
    path = cache_path(str(tmp_path), fin.version, made.corpus)

    class Other(FinanceScorer):
        def __init__(self) -> None:
            self.version = "finance-other"

    from socialfund.core.errors import ValidationError
    with pytest.raises(ValidationError, match="made for"):
        AdaptedFinanceScorer.load(Other(), path)


# --- the store: services.scorer_choice -------------------------------------------------------

HEADER = "code,text,published_at,author,reads,comments,url\n"


def _store_with_posts(tmp_path, texts):  # type: ignore[no-untyped-def]
    store = open_store(f"sqlite:///{tmp_path}/s.db")
    with store.write() as conn:
        insert_ignore(conn, schema.instruments, [{
            "code": "510300.SS", "name_zh": "沪深300ETF", "name_en": "CSI 300 ETF", "kind": "etf", "market": "SSE",
            "currency": "CNY", "yahoo": None, "category": "broad", "calendar": "XSHG"}])
    if texts:
        rows = "".join(f"510300.SS,{t},2024-01-{2 + i % 20:02d}T10:00:00+08:00,u{i},1,0,\n" for i, t in enumerate(texts))
        P.import_posts(store, (HEADER + rows).encode(), "p.csv", source="forum", now_utc=datetime(2024, 6, 1))
    return store


def test_store_with_2000_posts_gets_the_adapted_scorer(fin, tmp_path):
    texts = corpus(2_000)
    store = _store_with_posts(tmp_path, texts)
    assert sorted(corpus_texts(store)) == sorted(texts)
    made = choose_scorer(store, fin, cache_dir=str(tmp_path / "scorers"))
    assert made.adapted and made.n_texts == 2_000 and made.scorer.name == "finance-adapted"
    assert made.corpus is not None and made.scorer.version.endswith(made.corpus)
    assert os.path.exists(cache_path(str(tmp_path / "scorers"), fin.version, made.corpus))


def test_store_under_2000_posts_scores_each_post_on_its_own(fin, tmp_path):
    store = _store_with_posts(tmp_path, corpus(300))
    made = choose_scorer(store, fin, cache_dir=str(tmp_path / "scorers"))
    assert not made.adapted and made.scorer is fin and made.n_texts == 300 and made.corpus is None


def test_adaptation_can_be_turned_off_and_other_scorers_never_adapt(fin, tmp_path):
    store = _store_with_posts(tmp_path, corpus(2_000))
    assert choose_scorer(store, fin, cache_dir=None, adapt=False).scorer is fin

    class Plain:
        name, version = "plain", "plain-1"

        def score_many(self, texts):  # type: ignore[no-untyped-def]
            return []

    plain = Plain()
    assert choose_scorer(store, plain, cache_dir=None).scorer is plain  # type: ignore[arg-type]


def test_page_caption_names_scorer_version_and_corpus(fin, tmp_path):
    from app.cached_scorer import caption

    store = _store_with_posts(tmp_path, corpus(2_000))
    made = choose_scorer(store, fin, cache_dir=None)
    zh, en = caption(made, "zh"), caption(made, "en")
    for text in (zh, en):
        assert "finance-adapted" in text and str(made.corpus) in text and "2,000" in text
    assert "自适应" in zh and "adapted" in en
    (tmp_path / "small").mkdir()
    small = choose_scorer(_store_with_posts(tmp_path / "small", corpus(10)), fin, cache_dir=None)
    assert "on its own" in caption(small, "en") and "10 posts" in caption(small, "en")
    assert "逐条" in caption(small, "zh")


# --- the CLI ---------------------------------------------------------------------------------


def _write(path, texts, labels=None):  # type: ignore[no-untyped-def]
    with open(path, "w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["text", "label"] if labels else ["text"])
        for i, t in enumerate(texts):
            w.writerow([t, labels[i]] if labels else [t])
    return str(path)


def test_score_adapts_a_large_file_by_default(tmp_path, capsys):
    src = _write(tmp_path / "in.csv", corpus(2_000))
    assert main(["sentiment", "score", "--in", src, "--out", str(tmp_path / "out.csv")]) == 0
    err = capsys.readouterr().err
    assert "finance-adapted" in err and "-adapt-" in err
    assert os.listdir(os.path.join(os.environ["SOCIALFUND_DATA_DIR"], "scorers"))


def test_score_no_adapt_and_small_files_score_each_text_on_its_own(tmp_path, capsys):
    big = _write(tmp_path / "in.csv", corpus(2_000))
    assert main(["sentiment", "score", "--in", big, "--out", str(tmp_path / "o1.csv"), "--no-adapt"]) == 0
    assert "-adapt-" not in capsys.readouterr().err
    small = _write(tmp_path / "small.csv", corpus(50))
    assert main(["sentiment", "score", "--in", small, "--out", str(tmp_path / "o2.csv")]) == 0
    assert "-adapt-" not in capsys.readouterr().err


def test_eval_scores_each_text_on_its_own_unless_adapt(tmp_path, capsys):
    import json

    texts = corpus(2_000)
    labels = [("pos", "neg", "neu")[i % 3] for i in range(len(texts))]
    data = _write(tmp_path / "l.csv", texts, labels)
    assert main(["sentiment", "eval", "--data", data, "--json"]) == 0
    plain = json.loads(capsys.readouterr().out)
    assert plain["adapted"] is False and "-adapt-" not in plain["version"]
    assert main(["sentiment", "eval", "--data", data, "--adapt", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["adapted"] is True


def test_min_texts_constant_is_2000():
    assert A.ADAPT_MIN_TEXTS == 2_000
