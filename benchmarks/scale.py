"""Scale benchmark (issue 16 part 7): a store of N portfolios and M posts, then the time of
every stage and page on it.

    .venv/bin/python benchmarks/scale.py --portfolios 1000 --posts 100000 [--data-dir DIR] [--build-only]

Build (into ``DIR``, default ``/tmp/socialfund-scale/pN-mM``; reused when built before for
the same N and M):

* the store: ``init-demo`` once, then the demo portfolios cloned to N with their versions
  (``benchmarks/_community_store.py``, SQL ``INSERT … SELECT``);
* the posts: M rows written as CSV files of at most ``--file-posts`` posts, each with a new
  text from the demo generator's composer (``demo.forum.compose_post``, a random tone about
  a random demo fund) at the time, fund, reads and comments of a demo post; then imported
  with ``python -m socialfund posts import`` (streamed, one transaction per file) — the
  ``import`` stage.

``--build-only`` stops there: ``SOCIALFUND_DATA_DIR=DIR streamlit run dashboard.py`` serves
that store as it is. Otherwise it measures, each command in its own process (wall seconds
and the process' peak RSS from ``os.wait4``):

* ``score``: every post scored into the store (``services.scores.score_posts``, finance
  scorer); ``rescore``: the same again (everything cached);
* ``leaderboard --json`` twice (first: no NAV artefact; then: the artefact is current);
* ``ideas --json`` twice;
* each page of ``app.navigation.PAGES`` in a real browser (Playwright, /usr/bin/chromium)
  on one server started for the run: ``cold`` = the page's first visit since the server
  started, ``warm`` = the median of ``--runs`` visits after it, each in a new browser
  context; time to the script's end (``page_paint.measure``'s "content"); the server's peak
  RSS (``VmHWM``) after every page.

Prints a table (and ``--json`` one object) with the load average when it ended.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import sqlite3
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(REPO))


def _env(data_dir: Path) -> dict[str, str]:
    env = {**os.environ, "SOCIALFUND_DATA_DIR": str(data_dir), "SOCIALFUND_MARKET_PROVIDER": "demo"}
    env.pop("SOCIALFUND_DATABASE_URL", None)
    return env


def _timed(cmd: list[str], env: dict[str, str]) -> tuple[float, float, str]:
    """(wall seconds, peak RSS MiB of that process alone, stdout) of one command; exits on failure."""
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=REPO, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    import threading
    chunks: dict[str, bytes] = {}

    def drain(name: str, stream) -> None:  # type: ignore[no-untyped-def]
        chunks[name] = stream.read()

    readers = [threading.Thread(target=drain, args=(n, s)) for n, s in (("out", proc.stdout), ("err", proc.stderr))]
    for r in readers:
        r.start()
    _, status, usage = os.wait4(proc.pid, 0)
    for r in readers:
        r.join()
    proc.returncode = os.waitstatus_to_exitcode(status)
    wall = time.perf_counter() - t0
    if proc.returncode:
        raise SystemExit(f"{' '.join(cmd)} failed:\n{chunks.get('err', b'').decode(errors='replace')[-2000:]}")
    return wall, usage.ru_maxrss / 1024, chunks.get("out", b"").decode(errors="replace")


def write_posts(db: Path, n_posts: int, out_dir: Path, per_file: int, seed: int = 16) -> list[Path]:
    """``n_posts`` posts as CSV files: new texts by the demo composer, at the demo posts'
    funds and times (cycled, shifted by a random number of minutes)."""
    import numpy as np

    from socialfund.demo.forum import compose_post
    from socialfund.demo.universe import UNIVERSE

    con = sqlite3.connect(db)
    templates = con.execute("SELECT code, published_at, reads, comments FROM posts ORDER BY id").fetchall()
    handles = [h for (h,) in con.execute("SELECT handle FROM users ORDER BY id LIMIT 500")]
    con.close()
    by_code = {i.code: i for i in UNIVERSE}
    others = {i.code: [o.aliases[0] for o in UNIVERSE if o.code != i.code and o.category == i.category and o.aliases]
              for i in UNIVERSE}
    rs = np.random.RandomState(seed)
    tones = rs.choice(np.array(["pos", "neg", "neu"]), size=n_posts, p=[0.34, 0.3, 0.36])
    shift = rs.randint(0, 24 * 60, size=n_posts)
    out_dir.mkdir(parents=True, exist_ok=True)
    files: list[Path] = []
    fh = writer = None
    import datetime as dt
    for k in range(n_posts):
        if k % per_file == 0:
            if fh is not None:
                fh.close()
            path = out_dir / f"posts-{len(files):03d}.csv"
            files.append(path)
            fh = open(path, "w", newline="", encoding="utf-8")
            writer = csv.writer(fh)
            writer.writerow(["code", "text", "published_at", "author", "reads", "comments"])
        code, published, reads, comments = templates[k % len(templates)]
        inst = by_code.get(code)
        if inst is None:
            continue
        text = compose_post(rs, str(tones[k]), name_zh=inst.name_zh, short_code=inst.short_code,
                            aliases=inst.aliases, other_aliases=others[code], handles=handles,
                            move_pct=float(rs.uniform(0, 6)))
        at = dt.datetime.fromisoformat(str(published)) + dt.timedelta(minutes=int(shift[k]))
        assert writer is not None
        writer.writerow([code, text, at.isoformat(sep=" "), handles[k % len(handles)], reads or "", comments or ""])
    if fh is not None:
        fh.close()
    return files


def build(n_portfolios: int, n_posts: int, data_dir: Path, per_file: int) -> dict[str, float]:
    """The store in ``data_dir`` (reused when its marker says it was built for N and M)."""
    from _community_store import build as build_portfolios

    marker = data_dir / ".scale"
    want = f"{n_portfolios} {n_posts}"
    if marker.exists() and marker.read_text() == want and (data_dir / "socialfund.db").exists():
        return {}
    stages: dict[str, float] = {}
    t0 = time.perf_counter()
    db = build_portfolios(n_portfolios, data_dir)
    stages["build_portfolios_s"] = time.perf_counter() - t0
    t0 = time.perf_counter()
    files = write_posts(db, n_posts, data_dir / "posts-csv", per_file)
    stages["write_posts_s"] = time.perf_counter() - t0
    walls, peaks = [], []
    for path in files:
        wall, rss, _ = _timed([sys.executable, "-m", "socialfund", "posts", "import", str(path), "--json"],
                              _env(data_dir))
        walls.append(wall)
        peaks.append(rss)
    stages["import_s"], stages["import_peak_mb"] = sum(walls), max(peaks, default=0.0)
    marker.write_text(want)
    return stages


SCORE = ("from socialfund.cli.common import configured_store; from socialfund.sentiment import get_scorer;"
         " from socialfund.services.scores import score_posts; s, _ = configured_store();"
         " print(score_posts(s, get_scorer('finance')))")


def pages(data_dir: Path, runs: int) -> tuple[list[tuple[str, float, float, float]], float]:
    """(page, cold s, warm s, server peak RSS MiB after it) for every page, on one server."""
    from playwright.sync_api import sync_playwright

    from _server import start_server
    from page_paint import ARGS, measure

    from app import navigation

    rows = []
    proc, url = start_server(_env(data_dir), timeout=180)
    peak = 0.0
    try:
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS, headless=True)
            for spec in navigation.PAGES:
                path = (f"/?{navigation.SNAPSHOT_PARAM}=unknown" if spec is navigation.SNAPSHOT
                        else spec.url_path or "/")
                cold = measure(browser, url + path)[1]
                warm = statistics.median(measure(browser, url + path)[1] for _ in range(runs))
                peak = _vm_hwm(proc.pid)
                rows.append((spec.path, cold, warm, peak))
            browser.close()
    finally:
        proc.terminate()
        proc.wait(20)
    return rows, peak


def _vm_hwm(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--portfolios", type=int, default=1000)
    parser.add_argument("--posts", type=int, default=100_000)
    parser.add_argument("--data-dir", default=None)
    parser.add_argument("--build-only", action="store_true")
    parser.add_argument("--file-posts", type=int, default=250_000, help="posts per imported CSV file")
    parser.add_argument("--runs", type=int, default=2, help="warm visits per page (median)")
    parser.add_argument("--no-browser", action="store_true", help="skip the page visits")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    data_dir = Path(args.data_dir or f"/tmp/socialfund-scale/p{args.portfolios}-m{args.posts}")
    t0 = time.perf_counter()
    built = build(args.portfolios, args.posts, data_dir, args.file_posts)
    built["build_total_s"] = time.perf_counter() - t0
    results: dict[str, object] = {"portfolios": args.portfolios, "posts": args.posts, "data_dir": str(data_dir),
                                  "build": {k: round(v, 1) for k, v in built.items()}}
    if not args.build_only:
        env = _env(data_dir)
        stages: list[tuple[str, float, float]] = []
        for name, cmd in (("score", [sys.executable, "-c", SCORE]), ("rescore", [sys.executable, "-c", SCORE]),
                          ("leaderboard --json (no artefact)", [sys.executable, "-m", "socialfund", "leaderboard",
                                                                "--json"]),
                          ("leaderboard --json (artefact)", [sys.executable, "-m", "socialfund", "leaderboard", "--json"]),
                          ("ideas --json", [sys.executable, "-m", "socialfund", "ideas", "--json"]),
                          ("ideas --json (again)", [sys.executable, "-m", "socialfund", "ideas", "--json"])):
            if name.startswith("leaderboard") and "no artefact" in name:
                import shutil
                shutil.rmtree(data_dir / "artefacts", ignore_errors=True)
            wall, rss, _ = _timed(cmd, env)
            stages.append((name, wall, rss))
        results["stages"] = [{"stage": n, "s": round(w, 2), "peak_mb": round(r)} for n, w, r in stages]
        if not args.no_browser:
            rows, peak = pages(data_dir, args.runs)
            results["pages"] = [{"page": p, "cold_s": round(c, 2), "warm_s": round(w, 2), "server_peak_mb": round(m)}
                                for p, c, w, m in rows]
            results["server_peak_mb"] = round(peak)
    results["load_avg"] = [round(x, 2) for x in os.getloadavg()]
    if args.json:
        print(json.dumps(results, ensure_ascii=False))
        return 0
    print(f"store: {args.portfolios} portfolios, {args.posts} posts in {data_dir}")
    for k, v in results["build"].items():  # type: ignore[union-attr]
        print(f"  {k:<28} {v:>10}")
    for row in results.get("stages", []):  # type: ignore[union-attr]
        print(f"  {row['stage']:<36} {row['s']:>8.2f} s  peak {row['peak_mb']:>6} MiB")
    if "pages" in results:
        print(f"  {'page':<28} {'cold s':>8} {'warm s':>8} {'server peak MiB':>16}")
        for row in results["pages"]:  # type: ignore[union-attr]
            print(f"  {row['page']:<28} {row['cold_s']:>8.2f} {row['warm_s']:>8.2f} {row['server_peak_mb']:>16}")
    print(f"  load average at the end: {results['load_avg']}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
