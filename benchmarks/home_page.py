"""Time until the home page shows its content in a real browser (Debian chromium + Playwright).

cold: a fresh server, first visit by a new browser profile (server caches and browser cache
      empty; the demo database already prepared).
warm: the same visitor opens the page again in a new tab (server caches warm, the browser has
      the app's static JavaScript cached, a new Streamlit session).
warm_new_visitor: another visitor, new browser profile, to the warm server (JavaScript
      downloaded and compiled again: about 0.5 s of the figure is the browser's).
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


def visit(ctx, url: str) -> float:  # type: ignore[no-untyped-def]
    """Seconds from navigation until the home page's content is visible, in a new tab of ``ctx``."""
    from playwright.sync_api import expect

    page = ctx.new_page()
    t0 = time.perf_counter()
    page.goto(url)
    expect(page.get_by_text("演示数据 / demo data").first).to_be_visible(timeout=60_000)
    expect(page.locator('[data-testid="stMetric"]').first).to_be_visible(timeout=60_000)
    expect(page.locator(".js-plotly-plot .main-svg").first).to_be_visible(timeout=60_000)
    elapsed = time.perf_counter() - t0
    page.close()
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
    cold, warm, new_visitor = [], [], []
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS, headless=True)
        for _ in range(args.runs):
            proc, url = start_server(env)
            try:
                ctx = browser.new_context(viewport={"width": 1400, "height": 1000})
                cold.append(visit(ctx, url))
                warm.append(visit(ctx, url))
                ctx.close()
                other = browser.new_context(viewport={"width": 1400, "height": 1000})
                new_visitor.append(visit(other, url))
                other.close()
            finally:
                proc.terminate()
                proc.wait(10)
        browser.close()

    def summary(values: list[float]) -> dict[str, object]:
        return {"seconds": [round(x, 3) for x in values], "median": round(statistics.median(values), 3)}

    print(json.dumps({"cold": summary(cold), "warm": summary(warm), "warm_new_visitor": summary(new_visitor),
                      "targets_seconds": {"cold": 3.0, "warm": 1.5}}))


if __name__ == "__main__":
    main()
