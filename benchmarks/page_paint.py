"""Cold first paint and content time of every page (``app.navigation.PAGES``) on the demo, in a
real browser (Debian chromium + Playwright). Issue 14 goals: first paint < 1 s, content < 3 s.

cold: a fresh server for each page and a new browser profile (server caches and browser cache
      empty; the demo database already prepared), so every page is measured on its own cold load.
"first paint" = the first words in the page body (its title, or a loading bar's text);
"content"     = the script has finished its run (``data-test-script-state="notRunning"``): the
                page's body is drawn.

    .venv/bin/python benchmarks/page_paint.py [--runs 1]
Prints a table: page, first paint (s), content (s), per run's median.
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
FIRST_WORDS = f"{MAIN} h1, {MAIN} [data-testid=stProgress], {MAIN} [data-testid=stAlert]"


def measure(browser, url: str) -> tuple[float, float]:  # type: ignore[no-untyped-def]
    from playwright.sync_api import expect

    ctx = browser.new_context(viewport={"width": 1280, "height": 800})
    page = ctx.new_page()
    t0 = time.perf_counter()
    page.goto(url)
    expect(page.locator(FIRST_WORDS).first).to_be_visible(timeout=90_000)
    paint = time.perf_counter() - t0
    expect(page.locator('[data-testid="stApp"][data-test-script-state="notRunning"]')).to_have_count(1, timeout=90_000)
    content = time.perf_counter() - t0
    ctx.close()
    return paint, content


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
    rows: list[tuple[str, float, float]] = []
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS, headless=True)
        for spec in navigation.PAGES:
            path = f"/?{navigation.SNAPSHOT_PARAM}=unknown" if spec is navigation.SNAPSHOT else spec.url_path or "/"
            paints, contents = [], []
            for _ in range(args.runs):
                proc, url = start_server(env)
                try:
                    paint, content = measure(browser, url + path)
                finally:
                    proc.terminate()
                    proc.wait(10)
                paints.append(paint)
                contents.append(content)
            rows.append((spec.path, statistics.median(paints), statistics.median(contents)))
        browser.close()
    print(f"{'page':<28} {'first paint s':>14} {'content s':>10}  goals: paint < 1 s, content < 3 s")
    for path, paint, content in rows:
        flag = "" if paint < 1 and content < 3 else "  (over goal)"
        print(f"{path:<28} {paint:>14.2f} {content:>10.2f}{flag}")


if __name__ == "__main__":
    main()
