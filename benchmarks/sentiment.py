"""Benchmark the sentiment scorers on a labelled ``text,label`` CSV.

    .venv/bin/python benchmarks/sentiment.py [--data PATH]

Default data: ../shared/data/sentiment/finfe_dev.csv relative to the repository root
(FinFE dev; not part of the repository, never committed). Prints, for snownlp, finance,
finance --adapt, and a model trained on a random half and evaluated on the other half:
binary accuracy / macro-F1 (neg+pos, pos iff score >= 0.5, unscored = wrong),
3-class accuracy / macro-F1 and texts per second. Labels only grade the results.
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

DEFAULT_DATA = REPO.parent / "shared" / "data" / "sentiment" / "finfe_dev.csv"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", default=str(DEFAULT_DATA))
    parser.add_argument("--skip-snownlp", action="store_true", help="it is slow (~400 texts/s)")
    args = parser.parse_args()
    if not os.path.exists(args.data):
        print(f"benchmark data not found: {args.data}\n"
              "pass --data PATH to a CSV with text,label columns", file=sys.stderr)
        return 2

    from socialfund.cli.sentiment import evaluate, read_labelled
    from socialfund.scorers.trained import ModelScorer, train_model
    from socialfund.sentiment import get_scorer

    texts, labels = read_labelled(args.data)
    print(f"data: {args.data} ({len(texts)} texts)")
    print(f"{'scorer':<28} {'bin acc':>8} {'bin F1':>7} {'3c acc':>7} {'3c F1':>7} {'texts/s':>9}")

    def show(name, results, gold, seconds):
        m = evaluate(results, gold)
        fmt = lambda v: "   n/a" if v is None else f"{v:.4f}"  # noqa: E731
        print(f"{name:<28} {fmt(m['binary_accuracy']):>8} {fmt(m['binary_macro_f1']):>7} "
              f"{fmt(m['accuracy_3class']):>7} {fmt(m['macro_f1_3class']):>7} "
              f"{len(gold) / seconds:>9.0f}", flush=True)

    runs = [("finance", False), ("finance --adapt", True)]
    if not args.skip_snownlp:
        runs.insert(0, ("snownlp", False))
    for name, adapt in runs:
        start = time.perf_counter()
        scorer = get_scorer(name.split()[0])
        if adapt:
            scorer = scorer.adapt(texts)
        results = scorer.score_many(texts)
        show(name, results, labels, time.perf_counter() - start)

    # supervised model: train on a random half, evaluate on the other half
    order = list(range(len(texts)))
    random.Random(0).shuffle(order)
    half = len(order) // 2
    train_idx, test_idx = order[:half], order[half:]
    pipeline, info = train_model([texts[i] for i in train_idx], [labels[i] for i in train_idx],
                                 folds=0)
    scorer = ModelScorer(pipeline, {"model_sha256": "benchmark"}, path="<memory>")
    start = time.perf_counter()
    results = scorer.score_many([texts[i] for i in test_idx])
    show("model (half -> other half)", results, [labels[i] for i in test_idx],
         time.perf_counter() - start)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
