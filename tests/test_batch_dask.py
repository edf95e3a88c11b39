"""``sentiment score --engine dask``: a corpus of 3 shards scored on a local Dask cluster of two
worker processes (started here) equals the in-process scores row for row; an unreachable
scheduler is one error line and exit 2."""

from __future__ import annotations

import json
import os
import random
from pathlib import Path

import pandas as pd
import pytest

from socialfund.cli import main
from socialfund.sentiment import get_scorer

REPO = Path(__file__).resolve().parent.parent
WORDS = ["利好", "涨停", "割肉", "抄底", "套牢", "跑路", "韭菜", "不", "没有", "大涨", "暴跌", "稳了", "🚀", "今天",
         "基金", "加仓", "清仓", "但是", "主力", "出货"]


def _corpus(folder: Path) -> list[pd.DataFrame]:
    """Three seeded shards (two Parquet, one CSV) with text, code and published_at; a few
    empty and emoji-only texts among them so unscored rows travel too."""
    rng = random.Random(16)
    folder.mkdir()
    shards = []
    for i in range(3):
        texts = ["".join(rng.choice(WORDS) for _ in range(rng.randint(1, 6))) for _ in range(40 + 10 * i)]
        texts[3], texts[7] = "", "🚀🚀"
        frame = pd.DataFrame({"code": [rng.choice(["510300.SS", "159915.SZ"]) for _ in texts],
                              "published_at": [f"2024-03-{1 + k % 28:02d} 10:00:00" for k in range(len(texts))],
                              "text": texts})
        if i == 1:
            frame.to_csv(folder / f"shard-{i}.csv", index=False)
        else:
            frame.to_parquet(folder / f"shard-{i}.parquet", index=False)
        shards.append(frame)
    return shards


@pytest.fixture(scope="module")
def cluster():  # type: ignore[no-untyped-def]
    distributed = pytest.importorskip("distributed")
    # the worker processes import socialfund from this checkout, as a real worker imports its install
    old = os.environ.get("PYTHONPATH")
    os.environ["PYTHONPATH"] = os.pathsep.join(p for p in (str(REPO), old) if p)
    try:
        with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                      dashboard_address=None, silence_logs=40) as local:
            yield local
    finally:
        if old is None:
            os.environ.pop("PYTHONPATH", None)
        else:
            os.environ["PYTHONPATH"] = old


def test_dask_engine_scores_like_the_in_process_scorer(cluster, tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    shards = _corpus(tmp_path / "corpus")
    out = tmp_path / "scored"
    code = main(["sentiment", "score", "--engine", "dask", "--scheduler", cluster.scheduler_address,
                 "--input", str(tmp_path / "corpus"), "--out", str(out), "--scorer", "finance"])
    assert code == 0
    summary = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    scorer = get_scorer("finance")
    assert summary["engine"] == "dask" and summary["shards"] == 3 and summary["version"] == scorer.version
    parts = sorted(p.name for p in out.iterdir())
    assert parts == ["part-00000.parquet", "part-00001.parquet", "part-00002.parquet"]
    names = ["shard-0.parquet", "shard-1.csv", "shard-2.parquet"]          # sorted shard order
    for part, name, frame in zip(parts, names, shards):
        got = pd.read_parquet(out / part)
        expected = scorer.score_many(frame["text"].fillna("").tolist())
        assert got["shard"].tolist() == [name] * len(frame)
        assert got["row"].tolist() == list(range(len(frame)))
        assert got["text"].fillna("").tolist() == frame["text"].fillna("").tolist()
        assert got["code"].tolist() == frame["code"].tolist()
        assert got["published_at"].tolist() == frame["published_at"].tolist()
        assert [None if pd.isna(s) else s for s in got["score"]] == [r.score for r in expected]
        assert [None if pd.isna(v) else v for v in got["label"]] == [r.label for r in expected]
        assert [None if pd.isna(v) else v for v in got["reason"]] == [r.reason for r in expected]
        assert set(got["scorer_version"]) == {scorer.version}
    assert {None if pd.isna(v) else v for v in pd.read_parquet(out / parts[0])["reason"]} >= {"empty", None}

    # the in-process engine writes the same parts, value for value
    local = tmp_path / "local"
    assert main(["sentiment", "score", "--input", str(tmp_path / "corpus" / "shard-*"), "--out", str(local)]) == 0
    for part in parts:
        pd.testing.assert_frame_equal(pd.read_parquet(local / part), pd.read_parquet(out / part))


def test_unknown_scheduler_is_one_error_line(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    pytest.importorskip("distributed")
    _corpus(tmp_path / "corpus")
    code = main(["sentiment", "score", "--engine", "dask", "--scheduler", "tcp://127.0.0.1:9",
                 "--connect-timeout", "1", "--input", str(tmp_path / "corpus"), "--out", str(tmp_path / "o")])
    err = capsys.readouterr().err.strip().splitlines()
    assert code == 2
    assert len(err) == 1 and err[0].startswith("error: cannot reach the Dask scheduler at 'tcp://127.0.0.1:9'")
    assert not (tmp_path / "o").exists()


def test_dask_engine_needs_a_scheduler(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    _corpus(tmp_path / "corpus")
    code = main(["sentiment", "score", "--engine", "dask", "--input", str(tmp_path / "corpus"),
                 "--out", str(tmp_path / "o")])
    assert code == 2 and "--scheduler ADDRESS" in capsys.readouterr().err


def test_dask_is_imported_only_by_the_dask_engine() -> None:
    import subprocess
    import sys

    probe = ("import sys, socialfund.cli, socialfund.batch, socialfund.batch.inprocess; "
             "from socialfund.cli import build_parser; build_parser(); print('dask' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", probe], cwd=REPO, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
