"""The Dask batch engine: the shards scored on an existing Dask cluster (``distributed``).

Graph: ``dask.dataframe.from_map(read_shard, shards)`` (one partition per shard, in shard
order) → ``map_partitions(score_partition, spec)`` → one write per partition
(``part-00000.parquet``…), run on the workers. Only the scorer's spec string travels with
the tasks: each worker builds the scorer with ``sentiment.get_scorer`` from its own
``socialfund`` (so workers need the same socialfund release, and any ``model:PATH`` file, and
the shard and output paths must be visible to them: a shared file system, or fsspec URLs).
A worker that reports another scorer version than this client fails the run.

dask is imported here only, so ``socialfund`` runs without it; ``--engine dask`` without dask
installed is a ``ConfigError`` naming the package to install.
"""

from __future__ import annotations

import importlib
import logging
import os
from typing import Any

import pandas as pd

from socialfund.batch.shards import (BatchResult, Progress, empty_output, output_name, prepare_out_dir,
                                     read_shard, score_partition, scorer_identity)
from socialfund.core.errors import ConfigError

DASK_REQUIREMENT = "dask[distributed,dataframe]"


def write_part(frame: pd.DataFrame, target: str) -> tuple[int, str]:
    """Write one scored partition (on the worker) → (rows, scorer version it was scored with)."""
    frame.to_parquet(target, index=False)
    version = str(frame["scorer_version"].iloc[0]) if len(frame) else ""
    return len(frame), version


class DaskEngine:
    """``--engine dask --scheduler ADDRESS``: a client of an existing cluster (none is started)."""

    name = "dask"

    def __init__(self, scheduler: str, timeout: float = 10.0) -> None:
        self.scheduler = scheduler
        self.timeout = timeout

    def _client(self) -> Any:
        try:
            distributed: Any = importlib.import_module("distributed")
        except ImportError:
            raise ConfigError(f"--engine dask needs {DASK_REQUIREMENT}: pip install '{DASK_REQUIREMENT}'") from None
        quiet = [logging.getLogger(n) for n in ("distributed", "distributed.client", "distributed.comm")]
        levels = [lg.level for lg in quiet]
        for lg in quiet:
            lg.setLevel(logging.CRITICAL)
        try:
            return distributed.Client(self.scheduler, timeout=self.timeout, set_as_default=False)
        except (OSError, TimeoutError, ValueError) as exc:
            reason = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
            raise ConfigError(f"cannot reach the Dask scheduler at {self.scheduler!r} within {self.timeout:g} s: "
                              f"{reason[:200]}") from None
        finally:
            for lg, level in zip(quiet, levels):
                lg.setLevel(level)

    def score(self, shards: list[str], out_dir: str, spec: str,
              progress: Progress | None = None) -> BatchResult:
        # dask ships partial type hints: held as Any so mypy checks our side only
        dd: Any = importlib.import_module("dask.dataframe")
        delayed: Any = importlib.import_module("dask").delayed
        as_completed: Any = importlib.import_module("distributed").as_completed

        scorer, version = scorer_identity(spec)
        client = self._client()
        try:
            prepare_out_dir(out_dir)
            frames = dd.from_map(read_shard, [os.path.abspath(p) for p in shards],
                                 meta=empty_output().iloc[:, :5], label="read-shard", enforce_metadata=False)
            scored = frames.map_partitions(score_partition, spec, meta=empty_output())
            targets = [os.path.abspath(os.path.join(out_dir, output_name(i))) for i in range(len(shards))]
            writes = [delayed(write_part)(part, target, dask_key_name=f"write-part-{i:05d}")
                      for i, (part, target) in enumerate(zip(scored.to_delayed(), targets))]
            futures = client.compute(writes)
            done = 0
            for _ in as_completed(futures, loop=client.loop):
                done += 1
                if progress is not None:
                    progress(done, len(shards))
            results = client.gather(futures)
        finally:
            client.close()
        versions = {v for _, v in results if v}
        if versions - {version}:
            raise ConfigError(f"the Dask workers scored with {', '.join(sorted(versions))}, this client has "
                              f"{version}: install the same socialfund release on the workers")
        return BatchResult(self.name, scorer, version, tuple(shards), tuple(targets), sum(n for n, _ in results))
