"""``python -m socialfund posts import``: one line on success (exit 0) or on rejection
(exit 2, naming file, line and column), and the store unchanged on rejection."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from sqlalchemy import func, select

from socialfund.store import open_store, schema
from socialfund.store.engine import insert_ignore

REPO = Path(__file__).resolve().parent.parent
HEADER = "code,text,published_at,author,reads\n"


def _store(tmp_path: Path):  # type: ignore[no-untyped-def]
    url = f"sqlite:///{tmp_path}/cli.db"
    store = open_store(url)
    with store.write() as conn:
        insert_ignore(conn, schema.instruments, [
            {"code": c, "name_zh": c, "name_en": c, "kind": "etf", "market": "SSE", "currency": "CNY",
             "yahoo": None, "category": "broad", "calendar": "XSHG"} for c in ("510300.SS", "159915.SZ", "110022")])
    return store, url


def _run(url: str, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "SOCIALFUND_DATABASE_URL": url}
    return subprocess.run([sys.executable, "-m", "socialfund", "posts", "import", *args], cwd=REPO, env=env,
                          capture_output=True, text=True, timeout=120)


def _count(store) -> int:  # type: ignore[no-untyped-def]
    with store.read() as conn:
        return int(conn.execute(select(func.count()).select_from(schema.posts)).scalar_one())


def test_import_prints_one_line_and_is_idempotent(tmp_path: Path) -> None:
    store, url = _store(tmp_path)
    f = tmp_path / "我的帖子.csv"
    f.write_text(HEADER + "510300,利好来了,2024-01-03T10:00:00+08:00,a,5\n"
                 "110022,割肉了,2024-01-03T16:00:00,b,\n", encoding="gbk")
    first = _run(url, str(f), "--source", "my-forum")
    assert first.returncode == 0, first.stderr
    assert first.stdout.splitlines() == ["imported 2, duplicates skipped 0"]
    assert "Asia/Shanghai" in first.stderr  # the naive-time assumption is stated
    again = _run(url, str(f), "--source", "my-forum")
    assert again.returncode == 0 and again.stdout.splitlines() == ["imported 0, duplicates skipped 2"]
    assert _count(store) == 2


def test_rejected_file_exits_2_with_one_line_naming_line_and_column(tmp_path: Path) -> None:
    store, url = _store(tmp_path)
    good = tmp_path / "good.csv"
    good.write_text(HEADER + "510300.SS,已有,2024-01-03T10:00:00+08:00,a,1\n", encoding="utf-8")
    assert _run(url, str(good)).returncode == 0
    bad = tmp_path / "bad.csv"
    bad.write_text(HEADER + "510300.SS,好,2024-01-04T10:00:00+08:00,a,1\n"
                   "600000,坏代码,2024-01-04T10:00:00+08:00,a,1\n", encoding="utf-8")
    result = _run(url, str(bad))
    assert result.returncode == 2
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert "bad.csv" in lines[0] and "line 3" in lines[0] and "column code" in lines[0] and "600000" in lines[0]
    assert _count(store) == 1, "the good row of a rejected file must not be imported"


def test_missing_file_oversize_and_reserved_source_in_process(tmp_path: Path, capsys, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from socialfund import cli
    from socialfund.io import posts_file

    store, url = _store(tmp_path)
    monkeypatch.setenv("SOCIALFUND_DATABASE_URL", url)
    assert cli.main(["posts", "import", str(tmp_path / "nope.csv")]) == 2
    assert "nope.csv" in capsys.readouterr().err
    big = tmp_path / "big.csv"
    with open(big, "wb") as fh:
        fh.truncate(posts_file.MAX_IMPORT_BYTES + 10)  # sparse: NUL bytes, over the page's upload cap
    assert cli.main(["posts", "import", str(big)]) == 2   # the command line streams any size: refused by content
    err = capsys.readouterr().err.strip()
    assert "big.csv" in err and "unsupported encoding" in err and len(err.splitlines()) == 1
    ok = tmp_path / "ok.csv"
    ok.write_text(HEADER + "510300.SS,x,2024-01-03T10:00:00+08:00,a,1\n", encoding="utf-8")
    assert cli.main(["posts", "import", str(ok), "--source", "demo"]) == 2
    assert "reserved" in capsys.readouterr().err
    assert _count(store) == 0
