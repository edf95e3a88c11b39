"""Post 10,000 posts through the library (``services.discussion.post``), one write
transaction each, as the pages and ``discuss post`` do: text cleaned, tag and cashtags
checked, blocked words looked for, the author's rate-limit window read, the posts row and
its side row written. Then the fund thread is read back and the posts loaded for the
aggregates (``services.posts.load_posts``), each timed.

A fresh SQLite store in a temp directory with three instruments and 100 users (rate limits
at their defaults, 5 a minute and 200 a day: the clock is injected and moves 2 s per post,
so no user is limited); every 10th post is a reply, every 4th carries a cashtag, every
50th holds a blocked word.

Goal (issue 12): the 10,000 posts in under 10 s. Prints one JSON object (wall seconds).

    .venv/bin/python benchmarks/discussion.py [--posts 10000] [--users 100]
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sqlalchemy import insert  # noqa: E402

from socialfund.services import discussion as ds  # noqa: E402
from socialfund.services.posts import load_posts  # noqa: E402
from socialfund.store import open_store, schema  # noqa: E402
from socialfund.store.users import get_or_create_user  # noqa: E402

FUNDS = ("510300.SS", "510500.SS", "159915.SZ")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--posts", type=int, default=10_000)
    parser.add_argument("--users", type=int, default=100)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        store = open_store(f"sqlite:///{Path(tmp) / 'bench.db'}")
        with store.write() as conn:
            conn.execute(insert(schema.instruments), [
                {"code": c, "name_zh": c, "name_en": c, "kind": "etf", "market": "SSE", "currency": "CNY",
                 "yahoo": None, "category": "equity", "calendar": "XSHG"} for c in FUNDS])
        users = [get_or_create_user(store, f"local:u{i}", f"user {i}") for i in range(args.users)]
        rules = ds.with_rules(ds.load_rules({}))
        t0 = datetime(2026, 3, 2, 1, 0)
        tops: list[int] = []
        held = 0
        start = time.perf_counter()
        for i in range(args.posts):
            actor = users[i % len(users)]
            now = t0 + timedelta(seconds=2 * i)
            text = f"第{i}帖：今天怎么看？" + (" $510500$" if i % 4 == 0 else "") + (" 加微信" if i % 50 == 0 else "")
            if i % 10 == 9 and tops:
                view = ds.reply(store, actor, tops[-1], text, rules=rules, now=now)
            else:
                view = ds.post(store, actor, text, fund=FUNDS[i % len(FUNDS)], tag=("bull", "bear", None)[i % 3],
                               rules=rules, now=now)
                if view.status == "visible":
                    tops.append(view.id)
            held += view.status == "held"
        post_s = time.perf_counter() - start
        start = time.perf_counter()
        thread = ds.thread(store, None, fund=FUNDS[0], rules=rules, limit=200)
        thread_s = time.perf_counter() - start
        start = time.perf_counter()
        loaded = load_posts(store)
        load_s = time.perf_counter() - start
        store.dispose()
    print(json.dumps({"posts": args.posts, "users": args.users, "held": held, "post_seconds": round(post_s, 2),
                      "posts_per_second": round(args.posts / post_s), "goal_seconds": 10,
                      "thread_read_seconds": round(thread_s, 3), "thread_top_posts": len(thread),
                      "load_posts_seconds": round(load_s, 3), "aggregate_posts": len(loaded)}))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
