"""The metrics engine against empyrical and plain NaN-aware numpy on one array (issue 16.1).

For a returns array of ``--rows`` sessions x ``--cols`` portfolios (normal returns, 1 % of
cells NaN, seeded), times Sharpe + Sortino + max drawdown + annual volatility in
``socialfund.core.metrics``, in ``empyrical`` (the same 2-D array) and in numpy
(``nanmean``/``nanstd``, cumprod drawdown), interleaved over ``--runs`` runs; prints the
median CPU seconds of each, the ratios, and the largest difference from empyrical.

    .venv/bin/python benchmarks/metrics_engine.py [--rows 750] [--cols 10000] [--runs 5]
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import empyrical as ep  # noqa: E402

from socialfund.core import metrics as m  # noqa: E402


def ours(x: np.ndarray) -> list[np.ndarray]:
    return [m.sharpe(x), m.sortino(x), m.max_drawdown(x), m.annual_volatility(x)]


def empyrical(x: np.ndarray) -> list[np.ndarray]:
    return [ep.sharpe_ratio(x), ep.sortino_ratio(x), ep.max_drawdown(x), ep.annual_volatility(x)]


def numpy_only(x: np.ndarray) -> list[np.ndarray]:
    mean, std = np.nanmean(x, axis=0), np.nanstd(x, axis=0, ddof=1)
    down = np.sqrt(np.nanmean(np.minimum(x, 0.0) ** 2, axis=0)) * np.sqrt(252)
    wealth = np.cumprod(1 + np.nan_to_num(x), axis=0)
    peak = np.maximum(np.maximum.accumulate(wealth, axis=0), 1.0)
    return [mean / std * np.sqrt(252), mean * 252 / down, (wealth / peak - 1).min(axis=0), std * np.sqrt(252)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=750)
    parser.add_argument("--cols", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    rng = np.random.default_rng(0)
    x = rng.normal(0.0004, 0.01, (args.rows, args.cols))
    x[rng.random(x.shape) < 0.01] = np.nan
    times: dict[str, list[float]] = {"socialfund": [], "empyrical": [], "numpy": []}
    for _ in range(args.runs):
        for name, fn in (("socialfund", ours), ("empyrical", empyrical), ("numpy", numpy_only)):
            t0 = time.process_time()
            fn(x)
            times[name].append(time.process_time() - t0)
    med = {k: statistics.median(v) for k, v in times.items()}
    diff = max(float(np.nanmax(np.abs(a - b))) for a, b in zip(ours(x), empyrical(x)))
    print(json.dumps({"shape": [args.rows, args.cols], "median_cpu_s": {k: round(v, 3) for k, v in med.items()},
                      "socialfund_over_empyrical": round(med["socialfund"] / med["empyrical"], 2),
                      "socialfund_over_numpy": round(med["socialfund"] / med["numpy"], 2),
                      "max_abs_diff_vs_empyrical": diff}))


if __name__ == "__main__":
    main()
