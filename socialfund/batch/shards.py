"""Shards, the partition scorer and the engine port of ``socialfund.batch`` (see the package
docstring)."""

from __future__ import annotations

import glob
import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

import pandas as pd

from socialfund.core.errors import ValidationError
from socialfund.sentiment import get_scorer

SHARD_SUFFIXES = (".parquet", ".csv")
#: Output columns and their pandas dtypes (nullable, so an unscored row stores nulls).
OUTPUT_DTYPES: dict[str, str] = {
    "shard": "string", "row": "int64", "code": "string", "published_at": "string", "text": "string",
    "score": "Float64", "label": "string", "confidence": "Float64", "reason": "string",
    "scorer": "string", "scorer_version": "string",
}
OUTPUT_COLUMNS = tuple(OUTPUT_DTYPES)

#: Progress callback: (partitions done, partitions in all).
Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class BatchResult:
    """What a batch run wrote: one output file per input shard, in shard order."""

    engine: str
    scorer: str
    version: str
    shards: tuple[str, ...]
    outputs: tuple[str, ...]
    rows: int

    def record(self) -> dict[str, object]:
        return {"engine": self.engine, "scorer": self.scorer, "version": self.version,
                "shards": len(self.shards), "rows": self.rows, "outputs": list(self.outputs)}


class BatchEngine(Protocol):
    """Score every shard and write one Parquet file per shard into ``out_dir``."""

    name: str

    def score(self, shards: list[str], out_dir: str, spec: str,
              progress: Progress | None = None) -> BatchResult: ...


def list_shards(spec: str) -> list[str]:
    """A directory (its ``*.parquet`` and ``*.csv`` files), a glob pattern or one file → the
    shard paths, sorted. No shard, or a shard of another type, is a ``ValidationError``."""
    if os.path.isdir(spec):
        paths = [str(p) for p in Path(spec).iterdir() if p.is_file() and p.suffix.lower() in SHARD_SUFFIXES]
    elif glob.has_magic(spec):
        paths = [p for p in glob.glob(spec) if os.path.isfile(p)]
    elif os.path.isfile(spec):
        paths = [spec]
    else:
        raise ValidationError("no such file, directory or glob match", file=spec)
    odd = [p for p in paths if Path(p).suffix.lower() not in SHARD_SUFFIXES]
    if odd:
        raise ValidationError(f"shards must be .parquet or .csv files, found {Path(odd[0]).name}", file=spec)
    if not paths:
        raise ValidationError("no .parquet or .csv shards found", file=spec)
    return sorted(paths)


def output_name(index: int) -> str:
    """The output file of the ``index``-th shard (0-based)."""
    return f"part-{index:05d}.parquet"


def prepare_out_dir(out_dir: str) -> None:
    """Create ``out_dir``; earlier ``part-*.parquet`` results in it are removed (a re-run
    replaces them), and any other file makes it refuse (it is not a results directory)."""
    path = Path(out_dir)
    if path.exists() and not path.is_dir():
        raise ValidationError("--out must be a directory for partitioned results", file=out_dir)
    path.mkdir(parents=True, exist_ok=True)
    others = [p.name for p in path.iterdir() if not (p.name.startswith("part-") and p.suffix == ".parquet")]
    if others:
        raise ValidationError(f"the output directory holds other files ({others[0]}): use an empty directory",
                              file=out_dir)
    for p in path.iterdir():
        p.unlink()


def read_shard(path: str) -> pd.DataFrame:
    """One shard → a frame of ``shard, row, code, published_at, text`` (strings; code and
    published_at null when the shard has no such column). CSV is read as every CSV of the
    project (``io.csvrows``: UTF-8/BOM/GBK, errors name file, line and column)."""
    name = Path(path).name
    if path.lower().endswith(".csv"):
        from socialfund.io.csvrows import read_csv_file

        table = read_csv_file(path, required=("text",), lower=True, ragged=True)
        raw = pd.DataFrame({c: [row.cells.get(c, "") for row in table] for c in table.header})
    else:
        raw = pd.read_parquet(path)
        if "text" not in raw.columns:
            raise ValidationError("missing column 'text'", file=path, column="text")
    n = len(raw)
    frame = pd.DataFrame({
        "shard": [name] * n, "row": range(n),
        "code": _text_column(raw, "code", n), "published_at": _text_column(raw, "published_at", n),
        "text": _text_column(raw, "text", n),
    })
    return frame.astype({c: OUTPUT_DTYPES[c] for c in frame.columns})


def _text_column(raw: pd.DataFrame, column: str, n: int) -> list[str | None]:
    if column not in raw.columns:
        return [None] * n
    out: list[str | None] = []
    for value in raw[column].tolist():
        if value is None or (isinstance(value, float) and value != value) or value is pd.NA or value is pd.NaT:
            out.append(None)
        elif isinstance(value, pd.Timestamp):
            out.append(value.isoformat())
        else:
            out.append(str(value))
    return out


def score_partition(frame: pd.DataFrame, spec: str) -> pd.DataFrame:
    """Score one partition (``read_shard``'s frame) with ``get_scorer(spec)`` → ``OUTPUT_COLUMNS``.
    A null text is scored as the empty text (unscored, reason 'empty')."""
    scorer = get_scorer(spec)
    texts = [t if isinstance(t, str) else "" for t in frame["text"].tolist()]
    results = scorer.score_many(texts)
    out = frame.copy()
    out["score"] = [r.score for r in results]
    out["label"] = [r.label for r in results]
    out["confidence"] = [r.confidence for r in results]
    out["reason"] = [r.reason for r in results]
    out["scorer"] = scorer.name
    out["scorer_version"] = scorer.version
    return out[list(OUTPUT_COLUMNS)].astype(OUTPUT_DTYPES).reset_index(drop=True)


def empty_output() -> pd.DataFrame:
    """An empty frame of the output schema (Dask's ``meta``)."""
    return pd.DataFrame({c: pd.Series([], dtype=d) for c, d in OUTPUT_DTYPES.items()})


def scorer_identity(spec: str) -> tuple[str, str]:
    """(name, version) of the scorer a spec builds, checked before any work is sent out."""
    scorer = get_scorer(spec)
    return scorer.name, scorer.version
