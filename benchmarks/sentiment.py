"""Benchmark the sentiment scorers on a labelled ``text,label`` CSV.

    .venv/bin/python benchmarks/sentiment.py [--data PATH] [--half all|a|b] [--skip-snownlp]

Default data: ../shared/data/sentiment/finfe_dev.csv relative to the repository root
(FinFE dev; not part of the repository, never committed). Prints, for snownlp, finance,
finance --adapt, and a model trained on a random half and evaluated on the other half:
binary accuracy / macro-F1 (neg+pos, pos iff score >= 0.5, unscored = wrong),
3-class accuracy / macro-F1 and texts per second. Labels only grade the results.

``--half a`` / ``--half b`` keep the rows whose text's md5 is even / odd: a fixed split,
so rules tuned on one half can be measured on the other. Then, per rule of the
``finance`` scorer (``scorers.rules.rules_fired``): on how many texts it fires, and the
3-class and binary accuracy where it fires and where it does not. Last, the cold start:
seconds for a fresh interpreter to import the scorer and score its first text.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import subprocess
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
    parser.add_argument("--half", choices=("all", "a", "b"), default="all",
                        help="a / b: rows whose text md5 is even / odd (default all)")
    args = parser.parse_args()
    if not os.path.exists(args.data):
        print(f"benchmark data not found: {args.data}\n"
              "pass --data PATH to a CSV with text,label columns", file=sys.stderr)
        return 2

    from socialfund.cli.sentiment import evaluate, read_labelled
    from socialfund.scorers.trained import ModelScorer, train_model
    from socialfund.sentiment import get_scorer

    texts, labels = read_labelled(args.data)
    if args.half != "all":
        keep = [in_half(t, args.half) for t in texts]
        texts = [t for t, k in zip(texts, keep) if k]
        labels = [g for g, k in zip(labels, keep) if k]
    print(f"data: {args.data} half {args.half} ({len(texts)} texts)")
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
    per_rule(texts, labels, get_scorer("finance").score_many(texts))
    print(f"cold start (import + first score, fresh interpreter): {cold_start():.2f} s")
    return 0


def in_half(text: str, half: str) -> bool:
    """The fixed split: half 'a' holds the texts whose md5 is even."""
    even = int(hashlib.md5(text.encode("utf-8")).hexdigest(), 16) % 2 == 0
    return even if half == "a" else not even


def per_rule(texts, labels, results) -> None:
    """Accuracy of the finance scorer where each rule fires and where it does not."""
    from socialfund.scorers.lexicon import normalise
    from socialfund.scorers.rules import rules_fired
    from socialfund.sentiment import MAX_SCORED_CHARS

    fired = [rules_fired(normalise(t[:MAX_SCORED_CHARS])) for t in texts]
    right3 = [r.label == g for r, g in zip(results, labels)]
    right2 = [None if g == "neu" else (r.score is not None and (r.score >= 0.5) == (g == "pos"))
              for r, g in zip(results, labels)]

    def rates(rows):
        n2 = [right2[i] for i in rows if right2[i] is not None]
        acc3 = sum(right3[i] for i in rows) / len(rows) if rows else float("nan")
        acc2 = sum(n2) / len(n2) if n2 else float("nan")
        return len(rows), acc3, acc2

    print("\nfinance, per rule: texts where it fires | 3c acc / bin acc there | "
          "3c acc / bin acc elsewhere")
    names = sorted(set().union(*fired))
    for name in names:
        on = [i for i, f in enumerate(fired) if name in f]
        off = [i for i, f in enumerate(fired) if name not in f]
        n, a3, a2 = rates(on)
        _, b3, b2 = rates(off)
        print(f"  {name:<24} {n:>6}   {a3:.4f} / {a2:.4f}   {b3:.4f} / {b2:.4f}")
    n, a3, a2 = rates(list(range(len(texts))))
    print(f"  {'(all texts)':<24} {n:>6}   {a3:.4f} / {a2:.4f}")


def cold_start() -> float:
    """Seconds for a fresh interpreter to import the finance scorer and score one text."""
    code = ("import time; t = time.perf_counter(); from socialfund.sentiment import get_scorer; "
            "get_scorer('finance').score_many(['今天大涨']); print(time.perf_counter() - t)")
    out = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True,
                         check=True)
    return float(out.stdout.strip())


if __name__ == "__main__":
    raise SystemExit(main())
