"""Streaming posts import (issue 16 part 5): peak memory of ``python -m socialfund posts import``
against the file's size.

For each ``--mb`` size a seeded posts CSV (``code,text,published_at``, about 2.2 kB a post) is
generated into a temp directory, a fresh SQLite store gets the demo universe
(``python -m socialfund init-demo``, not timed), and the import runs as its own process; its peak
resident memory (``ru_maxrss`` of that child alone, from ``os.wait4``, MiB) and wall seconds are
reported. Bounded memory means the peak stays flat as the file grows (the file is read in chunks of
``CHUNK_ROWS`` rows in one transaction), where reading the file whole would grow by about 3-5×
its size (bytes + decoded text + rows). Prints one JSON object per size.

    .venv/bin/python benchmarks/stream_import.py [--mb 25 100]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
PAD = "看好后市，继续持有" * 80


def write_posts(path: Path, mb: float) -> int:
    rows = 0
    target = mb * 1e6
    with path.open("w", encoding="utf-8", newline="") as fh:
        fh.write("code,text,published_at\n")
        while fh.tell() < target:
            i = rows
            fh.write(f"510300.SS,帖子{i} {PAD},{2000 + i % 24:04d}-{1 + i % 12:02d}-{1 + i % 28:02d}T"
                     f"{i % 24:02d}:{(i // 24) % 60:02d}:{(i // 1440) % 60:02d}+08:00\n")
            rows += 1
    return rows


def run(args: list[str], env: dict[str, str]) -> tuple[int, float, float]:
    """(exit code, wall seconds, peak RSS MiB) of one child process."""
    start = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-m", "socialfund", *args], cwd=REPO, env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    return proc.returncode, time.perf_counter() - start, usage.ru_maxrss / 1024


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--mb", type=float, nargs="+", default=[25.0, 100.0])
    args = parser.parse_args()
    for mb in args.mb:
        with tempfile.TemporaryDirectory() as tmp:
            env = {**os.environ, "SOCIALFUND_DATA_DIR": tmp,
                   "SOCIALFUND_DATABASE_URL": f"sqlite:///{tmp}/bench.db"}
            code, _, _ = run(["init-demo"], env)
            assert code == 0, "init-demo failed"
            path = Path(tmp) / "posts.csv"
            rows = write_posts(path, mb)
            code, seconds, rss = run(["posts", "import", str(path), "--source", "bench"], env)
            print(json.dumps({"file_mb": round(path.stat().st_size / 1e6, 1), "posts": rows, "exit": code,
                              "seconds": round(seconds, 1), "peak_rss_mib": round(rss, 1),
                              "posts_per_second": round(rows / seconds) if seconds else None}))


if __name__ == "__main__":
    main()
