"""Import at the size of a real universe: 20 years x 500 funds of daily NAV (about 2.5 million
rows) read from files in real formats, stored, quality-checked and ranked.

The files are generated (seeded) into a temp directory, in the shapes people bring:
- ``--long`` funds in one long ``date,code,close`` file (UTF-8);
- the rest as one 天天基金 NAV export per fund (``净值日期,单位净值,累计净值,日增长率,…``, GBK,
  the code in the file name), as a fund marketer downloads them.

Stages, each timed (wall seconds; file generation not counted), with the peak resident
memory of the process at the end (``ru_maxrss``, MiB):

1. ``import``  ``services.prices_import.import_price_file`` on every file, as ``prices import``
               runs it: format sniffing and reading, code resolution, the quality check on
               each code's calendar, instruments registered and closes written (one
               transaction per file) into a fresh SQLite store;
2. ``quality`` the store provider's whole universe read back and checked
               (``market.sessions.quality_report``: staleness, gaps, non-sessions, jumps);
3. ``rank``    every fund ranked by deflated Sharpe over the last 252 sessions (excess over
               1.5 %, the leaderboard's luck line from comparable trials).

Goal (issue 11): the whole run under 60 s and under 2 GiB. Prints one JSON object.

    .venv/bin/python benchmarks/import_prices.py [--funds 500] [--years 20] [--long 250]
"""

from __future__ import annotations

import argparse
import json
import resource
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


def generate(root: Path, funds: int, years: int, long_funds: int, seed: int = 7) -> list[Path]:
    """Write the files; returns their paths. Prices: geometric random walks on weekdays."""
    rng = np.random.default_rng(seed)
    end = pd.Timestamp("2026-11-30")
    days = pd.bdate_range(end - pd.DateOffset(years=years), end)
    codes = [f"{100000 + 37 * i:06d}" for i in range(funds)]
    paths: list[Path] = []
    long_parts = []
    for i, code in enumerate(codes):
        r = rng.normal(0.0003, 0.012, len(days))
        acc = 1.0 * np.exp(np.cumsum(r))
        if i < long_funds:
            long_parts.append(pd.DataFrame({"date": days.strftime("%Y-%m-%d"), "code": code,
                                            "close": np.round(acc, 4)}))
            continue
        unit = np.round(acc, 4)
        growth = np.concatenate([[np.nan], np.diff(unit) / unit[:-1] * 100])
        frame = pd.DataFrame({"净值日期": days.strftime("%Y-%m-%d"), "单位净值": unit, "累计净值": np.round(acc, 4),
                              "日增长率": [("" if np.isnan(g) else f"{g:.2f}%") for g in growth],
                              "申购状态": "开放申购", "赎回状态": "开放赎回", "分红送配": ""})
        path = root / f"{code}.csv"
        path.write_bytes(frame.iloc[::-1].to_csv(index=False).encode("gbk"))
        paths.append(path)
    if long_parts:
        path = root / "long.csv"
        pd.concat(long_parts).to_csv(path, index=False)
        paths.insert(0, path)
    return paths


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--funds", type=int, default=500)
    parser.add_argument("--years", type=int, default=20)
    parser.add_argument("--long", type=int, default=250, help="funds written to the one long file")
    args = parser.parse_args()

    from socialfund.core.sessions import PERIODS_PER_YEAR
    from socialfund.core.panel import panel_metrics
    from socialfund.core.sharpe_inference import deflated_from_moments, luck_line
    from socialfund.market.providers import StoreProvider
    from socialfund.market.sessions import quality_report
    from socialfund.services.prices_import import import_price_file
    from socialfund.store import open_store

    out: dict[str, object] = {"funds": args.funds, "years": args.years}
    with tempfile.TemporaryDirectory() as tmp:
        t0 = time.perf_counter()
        paths = generate(Path(tmp), args.funds, args.years, args.long)
        out["generate_s"] = round(time.perf_counter() - t0, 2)
        out["files"] = len(paths)
        store = open_store(f"sqlite:///{tmp}/bench.db")

        t0 = time.perf_counter()
        rows = 0
        for p in paths:             # read (format sniffing, dates, numbers), resolve, check, store
            rows += import_price_file(store, p.read_bytes(), p.name).rows
        stages = {"import_s": time.perf_counter() - t0}
        out["rows"] = rows

        t0 = time.perf_counter()
        provider = StoreProvider(store)
        data = provider.closes()
        report = quality_report(data, provider.universe())
        stages["quality_s"] = time.perf_counter() - t0
        out["series_checked"] = len(report.series)
        out["series_flagged"] = len(report.flagged)

        t0 = time.perf_counter()      # rank the funds by deflated Sharpe over the last year
        last_year = data.closes.iloc[-PERIODS_PER_YEAR - 1:].pct_change(fill_method=None).iloc[1:]
        m = panel_metrics(last_year, risk_free=0.015)
        line = luck_line(m["n"], m["sr"], m["skew"], m["kurt"])
        dsr = deflated_from_moments(m["n"], m["sr"], m["skew"], m["kurt"], line.z_star)
        ranked = pd.Series(dsr, index=last_year.columns).sort_values(ascending=False)
        stages["rank_s"] = time.perf_counter() - t0
        out["ranked"] = int(ranked.notna().sum())
        out["luck_z_star"] = round(float(line.z_star), 3)
    out.update({k: round(v, 2) for k, v in stages.items()})
    out["total_s"] = round(sum(stages.values()), 2)
    out["peak_rss_mib"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
    print(json.dumps(out))


if __name__ == "__main__":
    main()
