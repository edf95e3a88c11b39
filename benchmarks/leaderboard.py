"""Benchmark: the leaderboard, from the store (default) or the ranking alone.

    .venv/bin/python benchmarks/leaderboard.py --portfolios 10000 [--runs 3] [--data-dir DIR]
    .venv/bin/python benchmarks/leaderboard.py --ranking-only --portfolios 10000 --sessions 750

Full pipeline (issue 16.2): a store of ``--portfolios`` portfolios (the demo's cloned,
``benchmarks/_community_store.py``; built once into ``--data-dir``) and the demo prices ->
``services.leaderboard.community_nav`` (metadata, versions, prices on the session axis,
``nav_from_arrays``, activity) -> ``leaderboard_table`` (window 1Y, default sort). Three
cases, each the median wall seconds over ``--runs`` (stages and total):

* ``cold``: no NAV artefact (``use_artefacts=False``): every version read and valued;
* ``artefact``: the stored NAV artefact is current (``services.nav_artefact``): no version read;
* ``one_changed``: one portfolio got a new version since the artefact was saved: only it is
  read and valued (the version is inserted, timed, then removed again before the next run).

and the peak RSS. ``--profile`` prints the top of a cProfile of one ``artefact`` run instead
(``--profile-cold``: of a cold one).

Ranking only (``--ranking-only``):

Synthetic daily returns (normal, a few portfolios closed or started late, some gaps)
-> NAV matrix -> ``rank_portfolios`` (all metrics, gates, deflated Sharpe, sort).
Prints one JSON object: ``seconds`` (metrics + ranking only, not data generation),
``peak_rss_mb`` (whole process, from ``resource``) and ``peak_traced_mb`` (Python and
numpy allocations during the ranking, from ``tracemalloc``).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import sys
import time
import tracemalloc

import numpy as np
import pandas as pd

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from socialfund.core.ranking_rules import LeaderboardRules, rank_portfolios  # noqa: E402


def synthetic(portfolios: int, sessions: int, seed: int = 7) -> tuple[pd.DataFrame, pd.DataFrame]:
    rng = np.random.default_rng(seed)
    index = pd.bdate_range("2023-01-02", periods=sessions)
    drift = rng.normal(0.0003, 0.0004, portfolios).astype(np.float32)
    vol = rng.uniform(0.003, 0.025, portfolios).astype(np.float32)
    nav = np.empty((sessions, portfolios), dtype=np.float64)
    step = 512  # generate in row blocks to keep the float32 noise small
    level = np.ones(portfolios)
    for lo in range(0, sessions, step):
        hi = min(lo + step, sessions)
        noise = rng.standard_normal((hi - lo, portfolios), dtype=np.float32) * vol + drift
        nav[lo:hi] = level * np.cumprod(1.0 + noise, axis=0)
        level = nav[hi - 1]
    starts = rng.integers(0, sessions // 2, portfolios)
    starts[: portfolios // 2] = 0
    nav[np.arange(sessions)[:, None] < starts[None, :]] = np.nan
    closed = rng.random(portfolios) < 0.05
    close_at = rng.integers(sessions // 2, sessions, portfolios)
    nav[(np.arange(sessions)[:, None] > close_at[None, :]) & closed[None, :]] = np.nan
    ids = np.arange(1, portfolios + 1)
    frame = pd.DataFrame(nav, index=index, columns=pd.Index(ids, name="portfolio_id"))
    last = index[-1]
    meta = pd.DataFrame({
        "portfolio_id": ids,
        "name": [f"P{i}" for i in ids],
        "visibility": np.where(rng.random(portfolios) < 0.8, "public", "private"),
        "owner_id": rng.integers(1, 1000, portfolios),
        "created_on": index[starts].date,
        "closed_on": [index[c].date() if k else None for c, k in zip(close_at, closed)],
        "last_rebalance_at": (last - pd.to_timedelta(rng.integers(0, 150, portfolios), unit="D")).tz_localize("Asia/Shanghai"),
        "category": "broad",
        "followers": rng.integers(0, 500, portfolios),
        "copiers": rng.integers(0, 50, portfolios),
    })
    return frame, meta


def pipeline(args: argparse.Namespace) -> int:
    import statistics
    from pathlib import Path

    from _community_store import build

    data_dir = Path(args.data_dir or f"/tmp/socialfund-bench/p{args.portfolios}")
    t0 = time.perf_counter()
    db = build(args.portfolios, data_dir)
    built = time.perf_counter() - t0
    os.environ["SOCIALFUND_DATABASE_URL"] = f"sqlite:///{db}"
    os.environ["SOCIALFUND_DATA_DIR"] = str(data_dir)   # where the NAV artefact is kept
    os.environ["SOCIALFUND_MARKET_PROVIDER"] = "demo"
    from socialfund.cli.common import configured_store
    from socialfund.market.providers import get_provider
    from socialfund.services import leaderboard

    store, settings = configured_store()
    provider = get_provider(settings, store)

    def once(use_artefacts: bool = True) -> tuple[float, float, int]:
        a = time.perf_counter()
        inputs = leaderboard.community_nav(store, provider, use_artefacts=use_artefacts)
        b = time.perf_counter()
        table = leaderboard.leaderboard_table(store, provider, inputs=inputs)
        return b - a, time.perf_counter() - b, len(table)

    if args.profile or args.profile_cold:
        import cProfile
        import pstats
        once()
        prof = cProfile.Profile()
        prof.enable()
        once(use_artefacts=not args.profile_cold)
        prof.disable()
        pstats.Stats(prof).sort_stats("cumulative").print_stats(35)
        return 0

    def one_changed() -> tuple[float, float, int]:
        """Time a visit after one public portfolio's new version (copied from its last one)."""
        import sqlite3
        con = sqlite3.connect(db)
        pid, vid, version = con.execute(
            "SELECT v.portfolio_id, v.id, v.version FROM portfolio_versions v JOIN portfolios p ON p.id = v.portfolio_id"
            " WHERE p.visibility = 'public' ORDER BY v.id DESC LIMIT 1").fetchone()
        new_id = int(con.execute("SELECT max(id) FROM portfolio_versions").fetchone()[0]) + 1
        con.execute("INSERT INTO portfolio_versions (id, portfolio_id, version, placed_at, note) SELECT ?, portfolio_id,"
                    " version + 1000, placed_at, 'bench' FROM portfolio_versions WHERE id = ?", (new_id, vid))
        con.execute("INSERT INTO portfolio_weights (version_id, code, weight_bp) SELECT ?, code, weight_bp"
                    " FROM portfolio_weights WHERE version_id = ?", (new_id, vid))
        con.commit()
        try:
            return once()
        finally:
            con.execute("DELETE FROM portfolio_weights WHERE version_id = ?", (new_id,))
            con.execute("DELETE FROM portfolio_versions WHERE id = ?", (new_id,))
            con.commit()
            con.close()
            once()   # the artefact of the store as it is again

    def median(runs: list[tuple[float, float, int]]) -> dict[str, float]:
        return {"community_nav_s": round(statistics.median(r[0] for r in runs), 3),
                "leaderboard_table_s": round(statistics.median(r[1] for r in runs), 3),
                "total_s": round(statistics.median(r[0] + r[1] for r in runs), 3)}

    once()  # warm the price provider's caches (a page visit after the first) and save the artefact
    cold = [once(use_artefacts=False) for _ in range(args.runs)]
    warm = [once() for _ in range(args.runs)]
    changed = [one_changed() for _ in range(args.runs)]
    assert cold[0][2] == warm[0][2], "the artefact path must rank the same portfolios"
    print(json.dumps({
        "mode": "pipeline", "portfolios": args.portfolios, "runs": args.runs, "store_build_s": round(built, 1),
        "cold": median(cold), "artefact": median(warm), "one_changed": median(changed), "rows": warm[0][2],
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        "load_avg_1m": round(os.getloadavg()[0], 2),
    }))
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--portfolios", type=int, default=10_000)
    parser.add_argument("--ranking-only", action="store_true", help="rank synthetic NAVs (no store, no NAV)")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--data-dir", default=None, help="where the benchmark store is built (and reused)")
    parser.add_argument("--profile", action="store_true")
    parser.add_argument("--profile-cold", action="store_true")
    parser.add_argument("--sessions", type=int, default=750)
    parser.add_argument("--window", default="all")
    parser.add_argument("--no-trace", action="store_true", help="skip tracemalloc (it slows allocation a little)")
    args = parser.parse_args()
    if not args.ranking_only:
        return pipeline(args)
    nav, meta = synthetic(args.portfolios, args.sessions)
    as_of = nav.index[-1].date()
    if not args.no_trace:
        tracemalloc.start()
    t0 = time.perf_counter()
    board = rank_portfolios(nav, meta, args.window, as_of, LeaderboardRules())
    seconds = time.perf_counter() - t0
    traced = tracemalloc.get_traced_memory()[1] / 2**20 if not args.no_trace else None
    summary = board.attrs["screen_summary"]
    print(json.dumps({
        "portfolios": args.portfolios, "sessions": args.sessions, "window": args.window,
        "seconds": round(seconds, 3),
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        "peak_traced_mb": None if traced is None else round(traced, 1),
        "n_screened": summary.n_screened, "n_eligible": summary.n_eligible, "n_ranked": len(board),
        "expected_best_sharpe": round(summary.expected_best_sharpe, 4),
    }))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
