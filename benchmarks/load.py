"""Load: 20 concurrent browser-less sessions for a bounded time against a real server.

Starts ``streamlit run dashboard.py`` on 127.0.0.1 (loopback only) on a fresh demo store,
then runs ``--sessions`` threads until ``--seconds`` have passed (an iteration in flight
finishes; no new one starts). Each iteration of a session:

1. HTTP GET ``/_stcore/health`` on the server (must answer ``ok``);
2. one page run on the REAL server, browser-less: a websocket to ``/_stcore/stream``
   speaking Streamlit's own protocol (a ``BackMsg.rerun_script`` for the page, exactly what
   the browser sends on load), timed until the server's ``script_finished`` — this is the
   "page run" latency (every page of ``app.navigation.PAGES`` that is in the menu, in
   turn, each through the router ``dashboard.py``). An exception element,
   a page-not-found or a run that does not finish successfully is an error;
3. one AppTest run of the same page in this process (the library path the tests use);
4. a store read (``community.portfolio_meta``) and a store write (a read-modify-write
   increment of ``counters['load']`` through ``Store.retrying``).

AppTest keeps process-global state (page registry, script-run context): two AppTests
running at once in one process break each other (measured: "Could not find page" and
session-state KeyErrors that never happen one at a time), so at most one AppTest runs at a
time here (a session skips its AppTest while another one runs, rather than queueing); the
concurrent load on the server comes from the websocket sessions.

Errors counted: health not ok / HTTP failure, a page run that fails (server or AppTest),
any exception from the store; and after the run the counter must equal the number of
successful writes (no lost update). Prints JSON with errors and p50/p95 latencies.

    .venv/bin/python benchmarks/load.py [--sessions 20] [--seconds 30]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import traceback
import urllib.request
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _server import start_server  # noqa: E402

REPO = Path(__file__).resolve().parent.parent


def pct(values: list[float], q: float) -> float | None:
    if not values:
        return None
    ordered = sorted(values)
    return round(ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))], 3)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sessions", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=30.0)
    parser.add_argument("--page-timeout", type=float, default=180.0)
    args = parser.parse_args()

    data_dir = tempfile.mkdtemp(prefix="sf-load-")
    env = {**os.environ, "SOCIALFUND_DATA_DIR": data_dir, "SOCIALFUND_MARKET_PROVIDER": "demo"}
    env.pop("SOCIALFUND_DATABASE_URL", None)
    subprocess.run([sys.executable, "-m", "socialfund", "init-demo", "--if-missing"], cwd=REPO, env=env, check=True,
                   stdout=subprocess.DEVNULL)
    os.environ.update({"SOCIALFUND_DATA_DIR": data_dir, "SOCIALFUND_MARKET_PROVIDER": "demo"})
    os.environ.pop("SOCIALFUND_DATABASE_URL", None)
    sys.path.insert(0, str(REPO))

    from sqlalchemy import insert, select, update
    from streamlit.testing.v1 import AppTest

    from socialfund.store import community
    from socialfund.store import open_store, schema

    store = open_store()
    with store.write() as conn:
        conn.execute(insert(schema.counters).values(name="load", value=0))
    from app import navigation

    scripts = [spec.path for spec in navigation.PAGES if not spec.hidden]  # the snapshot page needs a token

    proc, url = start_server(env)
    ws_url = url.replace("http://", "ws://") + "/_stcore/stream"
    lock = threading.Lock()
    apptest_lock = threading.Lock()  # see the module docstring: AppTest is not thread-safe
    health_ms: list[float] = []
    page_s: dict[str, list[float]] = {s: [] for s in scripts}
    apptest_s: list[float] = []
    store_ms: list[float] = []
    errors: Counter[str] = Counter()
    examples: list[str] = []
    writes = [0]
    deadline = time.monotonic() + args.seconds

    def fail(kind: str, detail: str) -> None:
        with lock:
            errors[kind] += 1
            if len(examples) < 5:
                examples.append(f"{kind}: {detail[:300]}")

    def bump(conn):  # type: ignore[no-untyped-def]
        c = schema.counters
        value = conn.execute(select(c.c.value).where(c.c.name == "load")).scalar_one()
        conn.execute(update(c).where(c.c.name == "load").values(value=value + 1))

    def page_name(script: str) -> str:
        """The page's URL name (app.navigation): pages/1_Leaderboard.py → Leaderboard; home → ''."""
        return next(spec for spec in navigation.PAGES if spec.path == script).url_path.lstrip("/")

    def server_page_run(script: str) -> None:
        from streamlit.proto.BackMsg_pb2 import BackMsg
        from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
        from websockets.sync.client import connect

        t0 = time.perf_counter()
        with connect(ws_url, subprotocols=["streamlit"], origin=url, max_size=None,
                     open_timeout=30) as ws:
            back = BackMsg()
            back.rerun_script.query_string = ""
            back.rerun_script.page_name = page_name(script)
            back.rerun_script.widget_states.SetInParent()
            ws.send(back.SerializeToString())
            while True:
                msg = ForwardMsg()
                msg.ParseFromString(ws.recv(timeout=args.page_timeout))
                kind = msg.WhichOneof("type")
                if kind == "page_not_found":
                    fail("page", f"{script}: server says page not found")
                    return
                if (kind == "delta" and msg.delta.WhichOneof("type") == "new_element"
                        and msg.delta.new_element.WhichOneof("type") == "exception"):
                    fail("page", f"{script}: {msg.delta.new_element.exception.message}")
                    return
                if kind == "script_finished":
                    if msg.script_finished != ForwardMsg.FINISHED_SUCCESSFULLY:
                        fail("page", f"{script}: script finished with status {msg.script_finished}")
                        return
                    break
        with lock:
            page_s[script].append(time.perf_counter() - t0)

    def apptest_run(script: str, lang: str) -> None:
        if not apptest_lock.acquire(blocking=False):
            return  # another session's AppTest is running: skip rather than queue (keeps the server busy)
        try:
            t0 = time.perf_counter()
            at = AppTest.from_file(str(REPO / "dashboard.py"), default_timeout=args.page_timeout)
            at.switch_page(script)
            at.session_state["lang"] = lang
            at.run()
        finally:
            apptest_lock.release()
        if at.exception:
            fail("apptest", f"{script}: {at.exception[0].message}")
        else:
            with lock:
                apptest_s.append(time.perf_counter() - t0)

    def session(n: int) -> None:
        i = n  # sessions start on different pages
        while time.monotonic() < deadline:
            t0 = time.perf_counter()
            try:
                with urllib.request.urlopen(url + "/_stcore/health", timeout=10) as resp:
                    if resp.read().strip() != b"ok":
                        fail("health", "not ok")
                with lock:
                    health_ms.append((time.perf_counter() - t0) * 1000)
            except OSError as exc:
                fail("health", repr(exc))
            script = scripts[i % len(scripts)]
            i += 1
            try:
                server_page_run(script)
            except Exception:  # noqa: BLE001 - counted, the run goes on
                fail("page", f"{script}: {traceback.format_exc(limit=2)}")
            if time.monotonic() < deadline:
                try:
                    apptest_run(script, "zh" if n % 2 else "en")
                except Exception:  # noqa: BLE001
                    fail("apptest", f"{script}: {traceback.format_exc(limit=2)}")
            t0 = time.perf_counter()
            try:
                community.portfolio_meta(store)
                store.retrying(bump)
                with lock:
                    writes[0] += 1
                    store_ms.append((time.perf_counter() - t0) * 1000)
            except Exception as exc:  # noqa: BLE001
                fail("store", repr(exc))

    started = time.monotonic()
    threads = [threading.Thread(target=session, args=(n,), daemon=True) for n in range(args.sessions)]
    for th in threads:
        th.start()
    for th in threads:
        th.join(args.seconds + args.page_timeout + 60)
    wall = time.monotonic() - started
    alive = sum(th.is_alive() for th in threads)
    if alive:
        errors["hung"] += alive
    with store.read() as conn:
        counter = conn.execute(select(schema.counters.c.value).where(schema.counters.c.name == "load")).scalar_one()
    if counter != writes[0]:
        errors["lost_update"] += writes[0] - counter
    healthy_after = False
    try:
        healthy_after = urllib.request.urlopen(url + "/_stcore/health", timeout=5).read().strip() == b"ok"
    except OSError:
        pass
    proc.terminate()
    try:
        proc.wait(10)
    except subprocess.TimeoutExpired:
        proc.kill()

    all_pages = [x for v in page_s.values() for x in v]
    print(json.dumps({
        "sessions": args.sessions, "seconds": args.seconds, "wall_seconds": round(wall, 1),
        "errors": sum(errors.values()), "errors_by_kind": dict(errors), "error_examples": examples,
        "page_runs": len(all_pages),
        "page_run_seconds": {"p50": pct(all_pages, 0.5), "p95": pct(all_pages, 0.95),
                             "max": round(max(all_pages), 3) if all_pages else None},
        "page_run_p50_by_script": {s: pct(v, 0.5) for s, v in page_s.items()},
        "apptest_runs": len(apptest_s),
        "apptest_run_seconds": {"p50": pct(apptest_s, 0.5), "p95": pct(apptest_s, 0.95)},
        "health_ms": {"n": len(health_ms), "p50": pct(health_ms, 0.5), "p95": pct(health_ms, 0.95)},
        "store_read_write_ms": {"n": len(store_ms), "p50": pct(store_ms, 0.5), "p95": pct(store_ms, 0.95)},
        "store_writes": writes[0], "counter_final": counter, "server_healthy_after": healthy_after,
        "mean_page_runs_per_second": round(len(all_pages) / wall, 2) if wall else None,
        "median_page_run_seconds": round(statistics.median(all_pages), 3) if all_pages else None,
    }, ensure_ascii=False))


if __name__ == "__main__":
    main()
