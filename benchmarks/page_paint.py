"""Cold first paint and content time of every page (``app.navigation.PAGES``) on the demo, in a
real browser (Debian chromium + Playwright). Issue 14 goals: first paint < 1 s, content < 3 s.

cold: a fresh server for each page and a new browser profile (server caches and browser cache
      empty; the demo database already prepared), so every page is measured on its own cold load.
warm: right after the cold load, the same page again in a new tab of the same browser context on
      the same server (a new Streamlit session; server caches and browser cache warm).
"first paint" = the first words in the page body (its title, or a loading bar's text);
"content"     = the script has finished its run (``data-test-script-state="notRunning"``): the
                page's body is drawn.

    .venv/bin/python benchmarks/page_paint.py [--runs 1]
Prints a table: page, cold first paint and content (s), warm first paint and content (s); medians
over the runs; and the load average before and after.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from _server import start_server  # noqa: E402

REPO = Path(__file__).resolve().parent.parent
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"]
MAIN = '[data-testid="stMainBlockContainer"]'
FIRST_WORDS = (f"{MAIN} h1, {MAIN} [data-testid=stProgress], {MAIN} [data-testid=stAlert], "
               f"{MAIN} [data-testid=stSpinner]")


def _visit(ctx, url: str) -> tuple[float, float]:  # type: ignore[no-untyped-def]
    from playwright.sync_api import expect

    page = ctx.new_page()
    t0 = time.perf_counter()
    page.goto(url)
    expect(page.locator(FIRST_WORDS).first).to_be_visible(timeout=90_000)
    paint = time.perf_counter() - t0
    expect(page.locator('[data-testid="stApp"][data-test-script-state="notRunning"]')).to_have_count(1, timeout=90_000)
    content = time.perf_counter() - t0
    page.close()
    return paint, content


def measure(browser, url: str) -> tuple[float, float, float, float]:  # type: ignore[no-untyped-def]
    """(cold paint, cold content, warm paint, warm content) for one fresh server."""
    ctx = browser.new_context(viewport={"width": 1280, "height": 800})
    try:
        cold = _visit(ctx, url)
        warm = _visit(ctx, url)
    finally:
        ctx.close()
    return cold + warm


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=1)
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    from app import navigation

    data_dir = tempfile.mkdtemp(prefix="sf-bench-")
    env = {**os.environ, "SOCIALFUND_DATA_DIR": data_dir, "SOCIALFUND_MARKET_PROVIDER": "demo"}
    subprocess.run([sys.executable, "-m", "socialfund", "init-demo", "--if-missing"], cwd=REPO, env=env, check=True,
                   stdout=subprocess.DEVNULL)
    rows: list[tuple[str, float, float, float, float]] = []
    load_before = os.getloadavg()
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS, headless=True)
        for spec in navigation.PAGES:
            path = f"/?{navigation.SNAPSHOT_PARAM}=unknown" if spec is navigation.SNAPSHOT else spec.url_path or "/"
            runs = []
            for _ in range(args.runs):
                proc, url = start_server(env)
                try:
                    runs.append(measure(browser, url + path))
                finally:
                    proc.terminate()
                    proc.wait(10)
            medians = [statistics.median(r[i] for r in runs) for i in range(4)]
            rows.append((spec.path, *medians))  # type: ignore[arg-type]
        browser.close()
    load_after = os.getloadavg()
    print(f"{'page':<28} {'cold paint s':>12} {'cold content s':>15} {'warm paint s':>12} {'warm content s':>15}"
          "  goals (cold): paint < 1 s, content < 3 s")
    for path, paint, content, warm_paint, warm_content in rows:
        flag = "" if paint < 1 and content < 3 else "  (over goal)"
        print(f"{path:<28} {paint:>12.2f} {content:>15.2f} {warm_paint:>12.2f} {warm_content:>15.2f}{flag}")
    print(f"load average before {load_before[0]:.2f} {load_before[1]:.2f} {load_before[2]:.2f}, "
          f"after {load_after[0]:.2f} {load_after[1]:.2f} {load_after[2]:.2f} ({os.cpu_count()} cores)")


if __name__ == "__main__":
    main()
