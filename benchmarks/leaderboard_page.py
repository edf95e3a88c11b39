"""Render time of the leaderboard page (pages/1_Leaderboard.py, through the router
``dashboard.py`` as a browser gets it) with Streamlit's AppTest.

cold: first run in a fresh process (empty st.cache_data: NAVs of every public portfolio
are computed and ranked); warm: later runs (cached leaderboard); switch: a run after
changing the window to one not computed yet (NAVs cached, ranking recomputed).
The demo database is prepared in a temporary data dir before timing.

    .venv/bin/python benchmarks/leaderboard_page.py [--runs 5]
Prints JSON with seconds per run and the medians.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    os.environ["SOCIALFUND_DATA_DIR"] = tempfile.mkdtemp(prefix="sf-bench-lb-")
    os.environ.pop("SOCIALFUND_DATABASE_URL", None)
    os.environ["SOCIALFUND_MARKET_PROVIDER"] = "demo"
    sys.path.insert(0, str(REPO))
    from socialfund.store.community import portfolio_meta, public_only
    from socialfund.store import open_store
    from socialfund.store.demo import ensure_demo

    store = open_store()
    ensure_demo(store)
    n_public = len(public_only(portfolio_meta(store)))
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(REPO / "dashboard.py"), default_timeout=300)
    at.switch_page("pages/1_Leaderboard.py")
    at.session_state["lang"] = "zh"
    t0 = time.perf_counter()
    at.run()
    cold = time.perf_counter() - t0
    assert not at.exception, at.exception
    warm = []
    for _ in range(args.runs):
        t0 = time.perf_counter()
        at.run()
        warm.append(time.perf_counter() - t0)
    t0 = time.perf_counter()
    at.radio(key="lb_window").set_value("all").run()
    switch = time.perf_counter() - t0
    assert not at.exception, at.exception
    print(json.dumps({"public_portfolios": n_public, "rows_shown": len(at.dataframe[0].value),
                      "cold_seconds": round(cold, 3), "warm_seconds": [round(x, 3) for x in warm],
                      "warm_median": round(statistics.median(warm), 3), "window_switch_seconds": round(switch, 3),
                      "target_warm": 2.0}))


if __name__ == "__main__":
    main()
