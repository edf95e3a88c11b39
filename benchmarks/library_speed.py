"""Speed of three library hot paths, printed as figures (the tests assert behaviour only).

    .venv/bin/python benchmarks/library_speed.py [--runs 3]

* ``finance_texts_per_s``: the finance sentiment scorer on the distinct demo post texts
  (``data/posts.csv``; scoring only, no store) — target ≥ 10,000 texts/s;
* ``nav_matrix_300x750_s``: ``portfolios.nav_matrix`` for 300 random portfolios × 750
  sessions — target < 1 s;
* ``demo_generate_s``: ``python -m socialfund.demo.generate`` into a temp dir — target < 20 s.
Each figure is the median of ``--runs`` runs; one JSON object is printed.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from socialfund.core.models import PortfolioVersion  # noqa: E402
from socialfund.core.weights import normalise_to_bp  # noqa: E402
from socialfund.demo.generate import generate  # noqa: E402
from socialfund.portfolios import nav_matrix  # noqa: E402
from socialfund.sentiment import get_scorer  # noqa: E402

REPO = Path(__file__).resolve().parent.parent


def _books(n_portfolios: int, n_sessions: int, seed: int = 1) -> tuple[pd.DataFrame, dict[int, list[PortfolioVersion]]]:
    rng = np.random.default_rng(seed)
    index = pd.bdate_range("2023-01-02", periods=n_sessions)
    codes = [f"C{i:02d}" for i in range(20)]
    prices = pd.DataFrame(np.exp(np.cumsum(rng.normal(0, 0.01, (n_sessions, len(codes))), axis=0)),
                          index=index, columns=codes)
    books: dict[int, list[PortfolioVersion]] = {}
    for pid in range(n_portfolios):
        versions = []
        for k, day in enumerate(sorted(rng.choice(n_sessions - 1, 4, replace=False))):
            held = rng.choice(codes, 5, replace=False)
            weights = normalise_to_bp({str(c): float(w) for c, w in zip(held, rng.uniform(1, 5, 5))})
            versions.append(PortfolioVersion(k + 1, pd.Timestamp(index[day]).tz_localize("Asia/Shanghai"), weights))
        books[pid] = versions
    return prices, books


def _median_seconds(fn, runs: int) -> float:  # type: ignore[no-untyped-def]
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    texts = list(dict.fromkeys(pd.read_csv(REPO / "data" / "posts.csv", dtype=str)["text"]))
    scorer = get_scorer("finance")
    scorer.score_many(texts[:100])  # warm the lexicon
    score_s = _median_seconds(lambda: scorer.score_many(texts), args.runs)
    prices, books = _books(300, 750)
    nav_s = _median_seconds(lambda: nav_matrix(prices, books, max_carry=3), args.runs)
    with tempfile.TemporaryDirectory() as tmp:
        gen_s = _median_seconds(lambda: generate(Path(tmp)), 1)
    print(json.dumps({"finance_texts": len(texts), "finance_texts_per_s": round(len(texts) / score_s),
                      "nav_matrix_300x750_s": round(nav_s, 3), "demo_generate_s": round(gen_s, 2),
                      "runs": args.runs}))


if __name__ == "__main__":
    main()
