"""``python -m socialfund sentiment eval|score|train``.

* ``eval --data FILE.csv [--scorer finance|snownlp|model:PATH] [--adapt] --json``:
  FILE has ``text,label`` columns (labels neg/neu/pos, or only neg/pos). Prints one
  JSON object: ``n, binary_accuracy, binary_macro_f1, accuracy_3class, macro_f1_3class,
  unscored, texts_per_second, adapted, scorer, version``.
  Binary metrics use the neg+pos rows and predict pos iff score >= 0.5; an unscored text
  counts as WRONG in every metric (never silently dropped, never a free 'pos').
  3-class metrics compare the scorer's label with the gold label (null when the file has
  no neu row). Labels are read only to grade the scores. ``texts_per_second`` counts the
  scoring time, including the adaptation training with ``--adapt``.
* ``score --in FILE --out FILE [--scorer ...] [--adapt | --no-adapt] [--workers N]``: CSV
  with a ``text`` column in, the same rows plus ``score,label,confidence,reason`` out; a
  progress bar goes to stderr. Adaptation is on by default: ``finance`` is adapted to the
  file's texts when it holds at least 2,000 distinct texts (``scorers.adapted.adapt_cached``;
  the weights are cached per corpus hash in ``DATA_DIR/scorers``); ``--adapt`` adapts a
  smaller file too, ``--no-adapt`` scores each text on its own. The scorer and version used
  go to stderr.
* ``score --input SHARDS --out DIR [--engine inprocess|dask --scheduler ADDRESS]``: a corpus of
  shards (a directory or glob of ``.parquet`` / ``.csv`` files with a ``text`` column, and
  ``code`` / ``published_at`` when present) scored by ``socialfund.batch`` with the same
  ``get_scorer`` functions, here or on an existing Dask cluster; one Parquet part per shard in
  DIR (``part-00000.parquet``…: shard, row, code, published_at, text, score, label, confidence,
  reason, scorer, scorer_version), one JSON summary on stdout. An unreachable scheduler is one
  error line (exit 2) after ``--connect-timeout`` seconds.
* ``train --data FILE.csv --out MODEL``: fits the supervised model (``scorers.trained``),
  prints its cross-validated figures, writes MODEL (npz weights, no pickle) and MODEL.json
  (data sha256, date, n, classes, cross-validated metrics, calibration).

Every input CSV is read as ``posts import`` reads it (``io.csvrows``: UTF-8 with or without
BOM, or GBK; errors name file, line and column).
"""

from __future__ import annotations

import argparse
import csv
import datetime
import json
import multiprocessing
import sys
import time
from collections.abc import Sequence
from typing import Any

from socialfund.cli.common import print_record
from socialfund.core.errors import ConfigError, ValidationError
from socialfund.io.csvrows import CsvTable, read_csv_file
from socialfund.scorers.trained import DEFAULT_C, file_sha256, save_model, train_model
from socialfund.sentiment import Scorer, SentimentResult, get_scorer

LABEL_ALIASES = {"neg": "neg", "negative": "neg", "neu": "neu", "neutral": "neu",
                 "pos": "pos", "positive": "pos"}


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser("sentiment", help="Chinese finance sentiment scoring")
    sub = parser.add_subparsers(dest="sentiment_command", required=True)

    ev = sub.add_parser("eval", help="grade a scorer on a labelled text,label CSV")
    ev.add_argument("--data", required=True, help="CSV with text,label columns")
    ev.add_argument("--scorer", default="finance", help="finance | snownlp | model:PATH")
    ev.add_argument("--adapt", action="store_true",
                    help="adapt the finance scorer to the file's texts first (no labels used)")
    ev.add_argument("--json", action="store_true", help="print one JSON object")
    ev.set_defaults(func=cmd_eval)

    sc = sub.add_parser("score", help="score the text column of a CSV")
    sc.add_argument("--in", "--input", dest="input", required=True,
                    help="CSV with a text column; or a corpus of shards (a directory or glob of .parquet/.csv)")
    sc.add_argument("--out", required=True, help="output CSV (a directory of Parquet parts for a corpus)")
    sc.add_argument("--scorer", default="finance", help="finance | snownlp | model:PATH")
    sc.add_argument("--adapt", action="store_true", default=None,
                    help="adapt finance to the input texts even under 2,000 texts "
                         "(default: adapt when the file holds >= 2,000)")
    sc.add_argument("--no-adapt", dest="adapt", action="store_false",
                    help="score each text on its own")
    sc.add_argument("--workers", type=int, default=1, help="processes (default 1)")
    sc.add_argument("--engine", choices=("inprocess", "dask"), default="inprocess",
                    help="where a corpus of shards is scored: here (default) or on a Dask cluster")
    sc.add_argument("--scheduler", default=None, help="the Dask scheduler address (tcp://HOST:8786) for --engine dask")
    sc.add_argument("--connect-timeout", type=float, default=10.0,
                    help="seconds to wait for the Dask scheduler (default 10)")
    sc.set_defaults(func=cmd_score)

    tr = sub.add_parser("train", help="train a model on a labelled text,label CSV")
    tr.add_argument("--data", required=True, help="CSV with text,label columns")
    tr.add_argument("--out", required=True, help="model file to write (plus MODEL.json)")
    tr.add_argument("--folds", type=int, default=5, help="cross-validation folds (default 5)")
    tr.add_argument("--C", dest="c", type=float, default=DEFAULT_C,
                    help=f"inverse regularisation of the logistic regression (default {DEFAULT_C:g})")
    tr.set_defaults(func=cmd_train)


# ---------------------------------------------------------------------------
# CSV reading with errors that name file, line and column
# ---------------------------------------------------------------------------


def read_rows(path: str, required: Sequence[str]) -> CsvTable:
    """Read a CSV as every import does (``io.csvrows``: UTF-8 with or without BOM, or GBK;
    header case kept; short rows padded) -> its table. Raises ValidationError naming the
    file, line and column for a missing file, bad encoding or a missing column."""
    return read_csv_file(path, required=required, lower=False, ragged=True)


def read_labelled(path: str) -> tuple[list[str], list[str]]:
    """texts and canonical labels (neg/neu/pos); an unknown label names its line."""
    table = read_rows(path, ("text", "label"))
    texts: list[str] = []
    labels: list[str] = []
    for row in table:
        label = LABEL_ALIASES.get(row["label"].strip().lower())
        if label is None:
            raise ValidationError(f"unknown label {row['label']!r}: use neg, neu or pos",
                                  file=path, line=row.line, column="label")
        texts.append(row["text"])
        labels.append(label)
    if not texts:
        raise ValidationError("no data rows", file=path, line=2)
    return texts, labels


# ---------------------------------------------------------------------------
# Metrics
# ---------------------------------------------------------------------------


def macro_f1(gold: Sequence[str], pred: Sequence[str | None], classes: Sequence[str]) -> float:
    """Mean over ``classes`` of F1 = 2PR/(P+R); a prediction of None is wrong for all."""
    f1s = []
    for c in classes:
        tp = sum(1 for g, p in zip(gold, pred) if g == c and p == c)
        fp = sum(1 for g, p in zip(gold, pred) if g != c and p == c)
        fn = sum(1 for g, p in zip(gold, pred) if g == c and p != c)
        denom = 2 * tp + fp + fn
        f1s.append(2 * tp / denom if denom else 0.0)
    return sum(f1s) / len(f1s)


def evaluate(results: Sequence[SentimentResult], labels: Sequence[str]) -> dict[str, Any]:
    """Metrics of scorer results against gold labels (see module docstring)."""
    binary = [(r, g) for r, g in zip(results, labels) if g in ("neg", "pos")]
    bin_gold = [g for _, g in binary]
    bin_pred = [None if r.score is None else ("pos" if r.score >= 0.5 else "neg")
                for r, _ in binary]
    out: dict[str, Any] = {
        "n": len(labels),
        "binary_accuracy": None, "binary_macro_f1": None,
        "accuracy_3class": None, "macro_f1_3class": None,
        "unscored": sum(1 for r in results if r.score is None),
    }
    if binary:
        out["binary_accuracy"] = round(sum(p == g for p, g in zip(bin_pred, bin_gold))
                                       / len(binary), 4)
        out["binary_macro_f1"] = round(macro_f1(bin_gold, bin_pred, ("neg", "pos")), 4)
    if "neu" in labels:
        pred = [r.label for r in results]
        out["accuracy_3class"] = round(sum(p == g for p, g in zip(pred, labels)) / len(labels), 4)
        out["macro_f1_3class"] = round(macro_f1(labels, pred, ("neg", "neu", "pos")), 4)
    return out


# ---------------------------------------------------------------------------
# Handlers
# ---------------------------------------------------------------------------


def _scorer_for(spec: str, adapt: bool, texts: Sequence[str]) -> Scorer:
    scorer = get_scorer(spec)
    if adapt:
        adapt_to = getattr(scorer, "adapt", None)
        if adapt_to is None:
            raise ConfigError(f"scorer {spec!r} cannot adapt; --adapt works with finance")
        adapted: Scorer = adapt_to(texts)
        return adapted
    return scorer


def _default_adapted(spec: str, adapt: bool | None, texts: Sequence[str]) -> Scorer:
    """``score``'s scorer: ``--adapt`` / ``--no-adapt`` as asked; by default ``finance`` is
    adapted when the texts hold >= ``ADAPT_MIN_TEXTS`` distinct texts (weights cached)."""
    if adapt is not None or spec.strip() != "finance":
        return _scorer_for(spec, bool(adapt), texts)
    from socialfund.core.config import load_settings
    from socialfund.scorers.adapted import adapt_cached

    corpus = list(dict.fromkeys(t for t in texts if isinstance(t, str)))
    cache_dir = str(load_settings().data_dir / "scorers")
    made: Scorer = adapt_cached(get_scorer(spec), corpus, cache_dir)  # type: ignore[type-var]
    return made


def cmd_eval(args: argparse.Namespace) -> int:
    texts, labels = read_labelled(args.data)
    start = time.perf_counter()
    scorer = _scorer_for(args.scorer, args.adapt, texts)
    results = scorer.score_many(texts)
    elapsed = time.perf_counter() - start
    out = evaluate(results, labels)
    out["texts_per_second"] = round(len(texts) / elapsed, 1) if elapsed > 0 else None
    out["adapted"] = bool(args.adapt and scorer.name.endswith("adapted"))
    out["scorer"] = args.scorer
    out["version"] = scorer.version
    print_record(out, args.json)
    return 0


_WORKER_SCORER: Scorer | None = None


def _init_worker(scorer: Scorer) -> None:
    global _WORKER_SCORER
    _WORKER_SCORER = scorer


def _score_chunk(texts: list[str]) -> list[SentimentResult]:
    assert _WORKER_SCORER is not None, "worker started without _init_worker"
    return _WORKER_SCORER.score_many(texts)


class ProgressBar:
    """A small stderr bar: ``scoring [#####.....] 512/1024 (50%)``; silent when
    stderr is not a terminal except for a final line."""

    def __init__(self, total: int, label: str = "scoring", width: int = 30, unit: str = "texts") -> None:
        self.total, self.label, self.width, self.unit = total, label, width, unit
        self.tty = sys.stderr.isatty()
        self.last = -1.0

    def update(self, done: int) -> None:
        now = time.monotonic()
        if not self.tty or (now - self.last < 0.1 and done < self.total):
            return
        self.last = now
        frac = done / self.total if self.total else 1.0
        filled = int(frac * self.width)
        sys.stderr.write(f"\r{self.label} [{'#' * filled}{'.' * (self.width - filled)}] "
                         f"{done}/{self.total} ({frac:.0%})")
        sys.stderr.flush()

    def close(self) -> None:
        if self.tty:
            sys.stderr.write("\n")
        else:
            sys.stderr.write(f"{self.label}: {self.total} {self.unit}\n")
        sys.stderr.flush()


def _is_corpus(spec: str) -> bool:
    """A directory, a glob pattern or a Parquet file: a corpus of shards, not one CSV."""
    import glob
    import os

    return os.path.isdir(spec) or glob.has_magic(spec) or spec.lower().endswith(".parquet")


def cmd_score_batch(args: argparse.Namespace) -> int:
    """A corpus of shards through ``socialfund.batch`` (in-process or Dask): one Parquet part per
    shard in ``--out``; the scorer is ``--scorer`` as given (adaptation needs one corpus in
    memory, so it is not offered here). Prints one JSON object (engine, scorer, version,
    shards, rows, outputs); progress goes to stderr."""
    from socialfund.batch import get_engine, list_shards

    if args.adapt:
        raise ConfigError("--adapt scores one CSV in memory; a corpus of shards is scored without adaptation")
    if args.workers != 1:
        raise ValidationError("--workers is for one CSV scored here; a corpus uses --engine dask for more workers")
    if args.scheduler and args.engine != "dask":
        raise ConfigError("--scheduler is only used with --engine dask")
    shards = list_shards(args.input)
    engine = get_engine(args.engine, args.scheduler, timeout=args.connect_timeout)
    bar = ProgressBar(len(shards), label=f"scoring ({engine.name})", unit="shards")
    result = engine.score(shards, args.out, args.scorer, progress=lambda done, _total: bar.update(done))
    bar.close()
    sys.stderr.write(f"scorer: {result.scorer} {result.version}\n")
    print(json.dumps(result.record(), ensure_ascii=False))
    return 0


def cmd_score(args: argparse.Namespace) -> int:
    if args.engine == "dask" or _is_corpus(args.input):
        return cmd_score_batch(args)
    if args.scheduler:
        raise ConfigError("--scheduler is only used with --engine dask")
    if args.workers < 1:
        raise ValidationError(f"--workers must be >= 1, got {args.workers}")
    table = read_rows(args.input, ("text",))
    header, rows = table.header, [row.cells for row in table]
    texts = [row["text"] for row in rows]
    scorer = _default_adapted(args.scorer, args.adapt, texts)
    sys.stderr.write(f"scorer: {scorer.name} {scorer.version}\n")
    chunk = 2_000
    chunks = [texts[i:i + chunk] for i in range(0, len(texts), chunk)]
    bar = ProgressBar(len(texts))
    results: list[SentimentResult] = []
    if args.workers == 1 or len(chunks) < 2:
        for part in chunks:
            results.extend(scorer.score_many(part))
            bar.update(len(results))
    else:
        with multiprocessing.get_context().Pool(args.workers, _init_worker, (scorer,)) as pool:
            for scored in pool.imap(_score_chunk, chunks):
                results.extend(scored)
                bar.update(len(results))
    bar.close()
    added = ["score", "label", "confidence", "reason"]
    out_header = [h for h in header if h not in added] + added
    with open(args.out, "w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(out_header)
        for row, r in zip(rows, results):
            out_row: dict[str, object] = {
                **row, "score": "" if r.score is None else r.score, "label": r.label or "",
                "confidence": "" if r.confidence is None else r.confidence, "reason": r.reason or ""}
            writer.writerow([out_row.get(h, "") for h in out_header])
    return 0


def cmd_train(args: argparse.Namespace) -> int:
    texts, labels = read_labelled(args.data)
    if len(set(labels)) < 2:
        raise ValidationError("need at least two different labels to train", file=args.data)
    model, info = train_model(texts, labels, folds=args.folds, c=args.c)
    metadata = save_model(model, args.out, {
        "data": args.data,
        "data_sha256": file_sha256(args.data),
        "trained_at": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
        "model": "char 1-3-gram + jieba word 1-2-gram TF-IDF + finance lexicon features (score, "
                 "evidence, hits, negations, rules fired) -> LogisticRegression, temperature-calibrated",
        **info,
    })
    print(json.dumps({"model": args.out, "n": metadata["n"], "classes": metadata["classes"],
                      "cv": metadata["cv"]}, ensure_ascii=False))
    return 0
