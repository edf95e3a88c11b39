"""Streaming imports (issue 16 part 5): the command line imports a posts file larger than the page's
20 MB upload cap, in chunks, in one transaction: a bad row near the end leaves the store unchanged,
and the same file without it imports every row. The chunked reader gives the same rows and
errors as the whole-file parse, and reports progress. Peak memory: benchmarks/stream_import.py."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from sqlalchemy import func, select

from socialfund import cli
from socialfund.core.errors import ValidationError
from socialfund.io import posts_file
from socialfund.services import posts
from socialfund.store import Store, open_store, schema

PAD = "看好后市，继续持有" * 80      # about 2.2 kB a row: 10,000 rows pass the 20 MB cap


def write_posts(path: Path, rows: int, bad_at: int | None = None) -> None:
    with path.open("w", encoding="utf-8", newline="") as fh:
        fh.write("code,text,published_at\n")
        for i in range(rows):
            when = "2024-13-45T10:00:00+08:00" if i == bad_at else \
                f"2024-{1 + i % 12:02d}-{1 + i % 28:02d}T{i % 24:02d}:{i % 60:02d}:{(i // 60) % 60:02d}+08:00"
            fh.write(f"510300.SS,帖子{i} {PAD},{when}\n")


def _count(store: Store) -> int:
    with store.read() as conn:
        return int(conn.execute(select(func.count()).select_from(schema.posts)).scalar_one())


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Store:
    url = f"sqlite:///{tmp_path_factory.mktemp('stream') / 'stream.db'}"
    s = open_store(url)
    from socialfund.store.demo import ensure_demo

    ensure_demo(s)
    return s


def test_a_file_over_the_upload_cap_streams_through_the_command_all_or_nothing(
        store: Store, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOCIALFUND_DATABASE_URL", str(store.engine.url))
    monkeypatch.setattr(posts_file, "CHUNK_ROWS", 2_000)
    rows = 10_000
    bad = tmp_path / "big_bad.csv"
    write_posts(bad, rows, bad_at=rows - 3)
    assert bad.stat().st_size > posts_file.MAX_IMPORT_BYTES
    assert rows > 3 * posts_file.CHUNK_ROWS            # several chunks were inserted before the bad row
    before = _count(store)
    assert cli.main(["posts", "import", str(bad), "--source", "big"]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert err[-1].startswith(f"error: big_bad.csv, line {rows - 3 + 2}, column published_at")
    assert _count(store) == before                      # rolled back: nothing of the file is stored

    good = tmp_path / "big.csv"
    write_posts(good, rows)
    assert cli.main(["posts", "import", str(good), "--source", "big", "--json"]) == 0
    out, err_text = capsys.readouterr()
    assert '"imported": 10000' in out and '"duplicates": 0' in out
    assert "importing big.csv:" in err_text and "(100%)" in err_text
    assert _count(store) == before + rows
    assert cli.main(["posts", "import", str(good), "--source", "big"]) == 0      # idempotent
    assert "imported 0, duplicates skipped 10000" in capsys.readouterr().out


def test_chunked_reading_equals_the_whole_file_parse(tmp_path: Path) -> None:
    path = tmp_path / "p.csv"
    write_posts(path, 2_500)
    data = path.read_bytes()
    whole = posts_file.parse_posts(data, "p.csv", ["510300.SS"])
    seen: list[tuple[int, int]] = []
    with path.open("rb") as fh:          # a sample smaller than the file: the streamed passes
        stream = posts_file.PostsStream(fh, "p.csv", ["510300.SS"], chunk_rows=1_000, sample_bytes=4_096)
        chunks = list(stream.chunks(lambda done, total: seen.append((done, total))))
    assert [len(c) for c in chunks] == [1_000, 1_000, 500]
    assert [r["content_hash"] for c in chunks for r in c] == [r["content_hash"] for r in whole.rows]
    assert seen[-1] == (len(data), len(data)) and [d for d, _ in seen] == sorted(d for d, _ in seen)


def test_streamed_errors_name_the_line_and_keep_the_store_unchanged(store: Store, tmp_path: Path) -> None:
    path = tmp_path / "late.csv"
    write_posts(path, 3_000, bad_at=2_990)
    before = _count(store)
    with path.open("rb") as fh, pytest.raises(ValidationError) as err:
        posts.import_posts_file(store, fh, "late.csv", source="late", chunk_rows=500)
    assert "line 2992" in str(err.value) and "published_at" in str(err.value)
    assert _count(store) == before


def test_bytes_that_change_encoding_after_the_sample_are_refused(tmp_path: Path) -> None:
    head = "code,text,published_at\n" + "".join(f"510300.SS,好{i},2024-01-02T10:00:00+08:00\n" for i in range(200))
    data = head.encode("utf-8") + "510300.SS,坏,2024-01-03T10:00:00+08:00\n".encode("gbk")
    with pytest.raises(ValidationError) as err:     # found by the first pass, before any row is used
        posts_file.PostsStream(io.BytesIO(data), "mixed.csv", ["510300.SS"], sample_bytes=1_024)
    assert "unsupported encoding" in str(err.value) and "mixed.csv" in str(err.value)


def test_the_page_upload_keeps_its_cap(store: Store) -> None:
    with pytest.raises(ValidationError) as err:
        posts.import_posts(store, b"x" * (posts_file.MAX_IMPORT_BYTES + 1), "big.csv", source="page")
    assert "limit is 20 MB" in str(err.value)
