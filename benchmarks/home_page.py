"""Time until the home page shows its content in a real browser (Debian chromium + Playwright).

cold: a fresh server, first visit (caches empty; the demo database already prepared).
warm: a second visit in a new browser context to the same server.
"Content shown" = the demo label, the overview metrics and the plotly chart are visible.

    .venv/bin/python benchmarks/home_page.py [--runs 3]
Prints JSON: seconds for each run, and the median of each.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _server import start_server  # noqa: E402

REPO = Path(__file__).resolve().parent.parent
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"]


def visit(browser, url: str) -> float:  # type: ignore[no-untyped-def]
    from playwright.sync_api import expect

    ctx = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = ctx.new_page()
    t0 = time.perf_counter()
    page.goto(url)
    expect(page.get_by_text("演示数据 / demo data").first).to_be_visible(timeout=60_000)
    expect(page.locator('[data-testid="stMetric"]').first).to_be_visible(timeout=60_000)
    expect(page.locator(".js-plotly-plot .main-svg").first).to_be_visible(timeout=60_000)
    elapsed = time.perf_counter() - t0
    ctx.close()
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    data_dir = tempfile.mkdtemp(prefix="sf-bench-")
    env = {**os.environ, "SOCIALFUND_DATA_DIR": data_dir, "SOCIALFUND_MARKET_PROVIDER": "demo"}
    subprocess.run([sys.executable, "-m", "socialfund", "init-demo", "--if-missing"], cwd=REPO, env=env, check=True,
                   stdout=subprocess.DEVNULL)
    cold, warm = [], []
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS, headless=True)
        for _ in range(args.runs):
            proc, url = start_server(env)
            try:
                cold.append(visit(browser, url))
                warm.append(visit(browser, url))
            finally:
                proc.terminate()
                proc.wait(10)
        browser.close()
    print(json.dumps({"cold_seconds": [round(x, 3) for x in cold], "warm_seconds": [round(x, 3) for x in warm],
                      "cold_median": round(statistics.median(cold), 3),
                      "warm_median": round(statistics.median(warm), 3),
                      "targets": {"cold": 3.0, "warm": 1.5}}))


if __name__ == "__main__":
    main()
