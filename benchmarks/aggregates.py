"""The stored sentiment sums (issue 16 part 3): a posts import that updates them, the
Sentiment history read from them against the per-post computation it replaced, and
re-scoring posts whose scores are all cached. Prints one JSON object (wall seconds).

A fresh SQLite store in a temp directory, synthetic posts about the demo universe's funds
(labelled as a benchmark source), the ``finance`` rules scorer.

    .venv/bin/python benchmarks/aggregates.py [--posts 50000]
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

WORDS = ("利好", "大涨", "加仓", "持有", "大跌", "割肉", "观望", "牛市", "熊市", "震荡")


def posts_csv(codes: list[str], n: int) -> bytes:
    rng = np.random.RandomState(16)
    start = datetime(2024, 1, 2)
    lines = ["code,text,published_at,author,reads,comments,url"]
    for i in range(n):
        at = start + timedelta(minutes=int(rng.randint(0, 60 * 24 * 700)))
        text = f"{WORDS[rng.randint(len(WORDS))]}{WORDS[rng.randint(len(WORDS))]} 第{i}帖"
        lines.append(f"{codes[rng.randint(len(codes))]},{text},{at.isoformat()}+00:00,u{i % 97},"
                     f"{rng.randint(0, 5000)},0,")
    return ("\n".join(lines) + "\n").encode()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--posts", type=int, default=50_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        os.environ["SOCIALFUND_DATA_DIR"] = tmp
        os.environ.pop("SOCIALFUND_DATABASE_URL", None)
        from socialfund.market.providers import DemoProvider
        from socialfund.sentiment import get_scorer
        from socialfund.services import posts, scores, sentiment_view
        from socialfund.social import aggregate
        from socialfund.store import open_store, schema

        store = open_store(f"sqlite:///{Path(tmp) / 'bench.db'}")
        provider = DemoProvider()
        universe = list(provider.universe())
        codes = [i.code for i in universe]
        with store.write() as conn:
            conn.execute(schema.instruments.insert(), [
                {"code": i.code, "name_zh": i.name_zh, "name_en": i.name_en, "kind": i.kind, "market": i.market,
                 "currency": i.currency, "yahoo": i.yahoo, "category": i.category, "calendar": i.calendar}
                for i in universe])
        data = posts_csv(codes, args.posts)
        t0 = time.perf_counter()
        with tempfile.NamedTemporaryFile(suffix=".csv") as fh:
            fh.write(data)
            fh.flush()
            with open(fh.name, "rb") as src:
                result = posts.import_posts_file(store, src, "bench.csv", source="bench",
                                                 now_utc=datetime(2026, 1, 1))
        import_s = time.perf_counter() - t0
        scorer = get_scorer("finance")
        t0 = time.perf_counter()
        n_scored = scores.score_posts(store, scorer)
        score_s = time.perf_counter() - t0
        t0 = time.perf_counter()
        again = scores.score_posts(store, scorer)
        rescore_s = time.perf_counter() - t0
        closes = provider.closes(codes).closes
        picked = codes[:2]
        t0 = time.perf_counter()
        hist = sentiment_view.history(store, universe, closes, scorer.version, picked, ["bench"])
        history_s = time.perf_counter() - t0
        t0 = time.perf_counter()   # what the page did before: every post of the funds, then per-post maths
        every = scores.scored_posts(store, scorer.version, picked, ["bench"])
        before = aggregate.daily_sentiment(every, aggregate.sessions_from_closes(closes),
                                           {i.code: i.calendar for i in universe})
        per_post_s = time.perf_counter() - t0
        t0 = time.perf_counter()
        counts = posts.posts_per_fund(store, ["bench"])
        counts_s = time.perf_counter() - t0
        same = bool(np.allclose(hist.daily["mean_score"].to_numpy(float), before["mean_score"].to_numpy(float),
                                equal_nan=True)) and list(hist.daily["n_posts"]) == list(before["n_posts"])
        print(json.dumps({
            "posts_imported": result.imported, "import_with_sums_seconds": round(import_s, 2),
            "texts_scored": n_scored, "score_seconds": round(score_s, 2),
            "rescore_unchanged_texts": again, "rescore_unchanged_seconds": round(rescore_s, 3),
            "history_from_sums_seconds": round(history_s, 3), "history_per_post_seconds": round(per_post_s, 3),
            "history_sessions": len(hist.daily), "history_equal": same,
            "fund_counts_seconds": round(counts_s, 4), "funds": len(counts)}))
        store.dispose()


if __name__ == "__main__":
    main()
