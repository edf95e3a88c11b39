"""The bull/bear meter (``services.meter.fund_meters``) on the demo store: every fund of the
demo universe, the demo discussion (self-tagged, labelled demo) scored by the rules scorer
(``finance``, not adapted: the benchmark measures the meter, not the adaptation). Timed
twice: cold (the discussion's texts scored first) and warm (scores cached: what a page run
pays). Prints one JSON object (wall and CPU seconds: the machine may be shared, CPU is steadier; posts counted, funds with tagged posts).

A fresh SQLite store in a temp directory (``ensure_demo``), so nothing of yours is touched.

    .venv/bin/python benchmarks/meter.py
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        os.environ["SOCIALFUND_DATA_DIR"] = tmp
        os.environ.pop("SOCIALFUND_DATABASE_URL", None)
        os.environ["SOCIALFUND_MARKET_PROVIDER"] = "demo"
        from socialfund.market.providers import DemoProvider
        from socialfund.sentiment import get_scorer
        from socialfund.services import meter
        from socialfund.store import open_store
        from socialfund.store.demo import ensure_demo

        store = open_store(f"sqlite:///{Path(tmp) / 'bench.db'}")
        ensure_demo(store)
        provider = DemoProvider()
        universe = list(provider.universe())
        codes = [i.code for i in universe]
        closes = provider.closes(codes).closes
        scorer = get_scorer("finance")
        t0, c0 = time.perf_counter(), time.process_time()
        cold = meter.fund_meters(store, scorer, codes, closes, universe)
        t1, c1 = time.perf_counter(), time.process_time()
        warm = meter.fund_meters(store, scorer, codes, closes, universe)
        t2, c2 = time.perf_counter(), time.process_time()
        assert cold.equals(warm)
        print(json.dumps({"funds": len(codes), "posts_in_window": int(warm["n_posts"].sum()),
                          "tagged_in_window": int(warm["n_tagged"].sum()),
                          "funds_with_tags": int((warm["n_tagged"] > 0).sum()),
                          "cold_s": round(t1 - t0, 3), "warm_s": round(t2 - t1, 3),
                          "cold_cpu_s": round(c1 - c0, 3), "warm_cpu_s": round(c2 - c1, 3)}))


if __name__ == "__main__":
    main()
