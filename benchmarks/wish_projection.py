"""Speed of the wish projection (``socialfund.wishes.projection.project``), printed as figures.

    .venv/bin/python benchmarks/wish_projection.py [--runs 5]

The case: 10,000 paths × a 5-year plan (monthly deposits, target 5 years out; the simulation
runs on to the horizon, the target date plus a year) on the demo money-market fund's own
weekday returns, block bootstrap with 20-day blocks — target < 1 s. A second figure on a
volatile equity-like history (the bootstrap's cost does not depend on the returns). Each
figure is the median of ``--runs`` runs; one JSON object is printed.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import statistics
import sys
import time

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from socialfund.core.money_fund import DEMO_MMF_CODE  # noqa: E402
from socialfund.market.providers import DemoProvider  # noqa: E402
from socialfund.wishes.plan import deposit_dates  # noqa: E402
from socialfund.wishes.projection import N_PATHS, project, step_dates, horizon_end, weekday_returns  # noqa: E402


def _time(history: np.ndarray, runs: int) -> tuple[float, dict[str, object]]:
    start = dt.date(2026, 11, 20)
    target = dt.date(2031, 11, 20)
    dates = deposit_dates(start, horizon_end(start, target), "month")
    seconds = []
    result = None
    for _ in range(runs):
        t0 = time.perf_counter()
        result = project(history, start=start, target_date=target, target_fen=8_000_000, balance_fen=100_000,
                         deposit_dates=dates, amount_fen=120_000)
        seconds.append(time.perf_counter() - t0)
    assert result is not None
    return statistics.median(seconds), {"probability": result.probability, "steps": len(step_dates(start, horizon_end(start, target))),
                                        "median_date": str(result.median_date)}


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    mmf = weekday_returns(DemoProvider().closes([DEMO_MMF_CODE]).closes[DEMO_MMF_CODE])
    equity = np.random.default_rng(1).normal(0.0003, 0.012, 750)
    mmf_s, mmf_info = _time(mmf, args.runs)
    eq_s, eq_info = _time(equity, args.runs)
    print(json.dumps({"paths": N_PATHS, "years": 5, "mmf_projection_s": round(mmf_s, 3), "mmf": mmf_info,
                      "equity_like_projection_s": round(eq_s, 3), "equity_like": eq_info, "target_s": 1.0}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
