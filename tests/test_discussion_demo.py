"""The demo discussion (issue 12 part 6): generated with its own frozen RNG stream into
``data/discussion.csv`` (byte-identical on regeneration), loaded once, labelled demo, with
self-tags, replies one level deep in their parent's thread, and none of the existing demo
data changed."""

from __future__ import annotations

import csv
from pathlib import Path

from socialfund.core.config import DEMO_DATA_DIR
from socialfund.demo import discussion as demo_discussion
from socialfund.demo.generate import FILES
from socialfund.services import discussion as ds
from socialfund.services.posts import post_sources
from socialfund.store import schema
from socialfund.core.sources import DEMO_DISCUSSION_SOURCE
from socialfund.store.discussion import load_demo_discussion


def test_regenerating_gives_the_committed_file(tmp_path: Path) -> None:
    demo_discussion.write_discussion(tmp_path)
    assert (tmp_path / "discussion.csv").read_bytes() == (DEMO_DATA_DIR / "discussion.csv").read_bytes()
    assert "discussion.csv" not in FILES      # the main generator's files are untouched


def test_file_contract() -> None:
    with (DEMO_DATA_DIR / "discussion.csv").open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert tuple(rows[0]) == demo_discussion.HEADER and 1000 <= len(rows) <= 3000
    keys = {r["post_key"]: r for r in rows}
    tops = [r for r in rows if not r["parent_key"]]
    replies = [r for r in rows if r["parent_key"]]
    assert replies and all(not keys[r["parent_key"]]["parent_key"] for r in replies)       # one level deep
    assert all(keys[r["parent_key"]]["code"] == r["code"] for r in replies)                 # same thread
    assert all(r["published_at"] >= keys[r["parent_key"]]["published_at"] for r in replies)
    tags = [r["self_tag"] for r in tops]
    assert {"bull", "bear", ""} == set(tags) and tags.count("bull") > 0.15 * len(tops)
    assert all(len(r["text"]) <= 500 for r in rows)


def test_loaded_once_and_labelled_demo(demo_store) -> None:  # type: ignore[no-untyped-def]
    n = sum(1 for _ in (DEMO_DATA_DIR / "discussion.csv").open(encoding="utf-8")) - 1
    assert post_sources(demo_store)[DEMO_DISCUSSION_SOURCE] == n
    assert load_demo_discussion(demo_store, DEMO_DATA_DIR) == 0          # idempotent
    with demo_store.read() as conn:
        d = schema.discussion_posts
        flags = {bool(r[0]) for r in conn.execute(d.select().with_only_columns(d.c.is_demo)
                                                  .where(d.c.author_id <= 200))}
    assert True in flags
    thread = ds.thread(demo_store, None, fund="510300.SS")
    assert thread and all(p.is_demo for p in thread if p.author_id <= 200)
    assert any(p.replies for p in thread) and any(p.tag for p in thread)
