"""batch: score a partitioned corpus of posts outside the store, in-process or on a Dask cluster.

One port, two engines, one scoring function:

* the corpus is a directory or a glob of shards (``*.parquet`` / ``*.csv``), read one shard =
  one partition (``list_shards``: sorted by path, so the order is deterministic); each shard
  holds a ``text`` column and, when present, ``code`` and ``published_at``;
* ``score_partition(frame, spec)`` scores one partition with ``sentiment.get_scorer(spec)``,
  the registry the in-process CLI and the pages use: the scorer is built where the partition
  is scored (a Dask worker builds it from the spec string, which is all that travels; no
  scorer object and no code from a path is pickled);
* results are written as partitioned Parquet, ``part-00000.parquet`` for the first shard and
  so on (one output shard per input partition), columns ``OUTPUT_COLUMNS``: the shard's name,
  the row's 0-based position in it, code, published_at (as text), text, score (null when
  unscored), label, confidence, reason, scorer name and version.

Engines (``get_engine``): ``inprocess`` (``batch.inprocess``) and ``dask``
(``batch.dask_engine``, imported only when asked for, so dask is an optional dependency).
"""

from __future__ import annotations

from socialfund.batch.shards import BatchEngine, BatchResult, list_shards
from socialfund.core.errors import ConfigError

ENGINES = ("inprocess", "dask")
__all__ = ["ENGINES", "BatchEngine", "BatchResult", "get_engine", "list_shards"]


def get_engine(name: str, scheduler: str | None = None, timeout: float = 10.0) -> BatchEngine:
    """``inprocess`` or ``dask`` (needs ``scheduler``, a Dask scheduler address)."""
    if name == "inprocess":
        from socialfund.batch.inprocess import InProcessEngine

        return InProcessEngine()
    if name == "dask":
        if not scheduler:
            raise ConfigError("--engine dask needs --scheduler ADDRESS (e.g. tcp://10.0.0.5:8786)")
        from socialfund.batch.dask_engine import DaskEngine

        return DaskEngine(scheduler, timeout=timeout)
    raise ConfigError(f"unknown engine {name!r}: use {' or '.join(ENGINES)}")
