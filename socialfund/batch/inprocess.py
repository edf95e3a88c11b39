"""The in-process batch engine: every shard read, scored and written here, one after another,
with the same ``read_shard`` / ``score_partition`` the Dask engine runs on its workers."""

from __future__ import annotations

import os

from socialfund.batch.shards import (BatchResult, Progress, output_name, prepare_out_dir, read_shard, score_partition,
                                     scorer_identity)


class InProcessEngine:
    """``--engine inprocess``: no cluster, no extra dependency."""

    name = "inprocess"

    def score(self, shards: list[str], out_dir: str, spec: str,
              progress: Progress | None = None) -> BatchResult:
        scorer, version = scorer_identity(spec)
        prepare_out_dir(out_dir)
        outputs: list[str] = []
        rows = 0
        for i, path in enumerate(shards):
            scored = score_partition(read_shard(path), spec)
            target = os.path.join(out_dir, output_name(i))
            scored.to_parquet(target, index=False)
            outputs.append(target)
            rows += len(scored)
            if progress is not None:
                progress(i + 1, len(shards))
        return BatchResult(self.name, scorer, version, tuple(shards), tuple(outputs), rows)
