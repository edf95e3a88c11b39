"""A big community store for benchmarks: the demo store with its portfolios cloned.

``build(n_portfolios, data_dir)`` writes ``DIR/socialfund.db``: ``init-demo`` once (300
portfolios, about 6,500 versions, the demo's prices and posts), then copies of the demo
portfolios — each copy with all its versions and weights, its placements shifted by
``copy % 5`` days so copies fill on different sessions — until there are ``n_portfolios``
(about 22 versions each, so 10,000 portfolios hold about 217,000 versions). The copies are
SQL ``INSERT … SELECT`` statements, so 100,000 portfolios build in about a minute. A
store already built for the same N is reused (``DIR/.portfolios`` holds N).
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def _demo_db(cache: Path) -> Path:
    db = cache / "socialfund.db"
    if not db.exists():
        env = {**os.environ, "SOCIALFUND_DATA_DIR": str(cache), "SOCIALFUND_MARKET_PROVIDER": "demo"}
        env.pop("SOCIALFUND_DATABASE_URL", None)
        subprocess.run([sys.executable, "-m", "socialfund", "init-demo", "--if-missing"], cwd=REPO, env=env,
                       check=True, stdout=subprocess.DEVNULL)
    return db


def build(n_portfolios: int, data_dir: Path) -> Path:
    """``DIR/socialfund.db`` with ``n_portfolios`` portfolios (at least the demo's 300)."""
    data_dir.mkdir(parents=True, exist_ok=True)
    marker = data_dir / ".portfolios"
    db = data_dir / "socialfund.db"
    if db.exists() and marker.exists() and marker.read_text() == str(n_portfolios):
        return db
    demo = _demo_db(data_dir.parent / "demo-store")
    shutil.copyfile(demo, db)
    con = sqlite3.connect(db)
    base = con.execute("SELECT count(*), max(id) FROM portfolios").fetchone()
    n_base, max_pid = int(base[0]), int(base[1])
    max_vid = int(con.execute("SELECT max(id) FROM portfolio_versions").fetchone()[0])
    copies = -(-max(n_portfolios - n_base, 0) // n_base)
    for k in range(1, copies + 1):
        limit = min(n_base, n_portfolios - n_base * k)
        pid_off, vid_off, shift = max_pid * k, max_vid * k, f"+{k % 5} days"
        con.execute(
            "INSERT INTO portfolios (id, owner_id, name, description, style, visibility, is_demo, created_at,"
            " closed_at, deleted_at, confirmed_at) SELECT id + ?, owner_id, name || ' #' || ?, description, style,"
            " visibility, is_demo, created_at, closed_at, deleted_at, confirmed_at FROM portfolios"
            " WHERE id <= ? ORDER BY id LIMIT ?", (pid_off, k, max_pid, limit))
        con.execute(
            "INSERT INTO portfolio_versions (id, portfolio_id, version, placed_at, note)"
            " SELECT id + ?, portfolio_id + ?, version,"
            " strftime('%Y-%m-%d %H:%M:%f000', placed_at, ?), note FROM portfolio_versions"
            " WHERE portfolio_id + ? IN (SELECT id FROM portfolios WHERE id > ?)",
            (vid_off, pid_off, shift, pid_off, pid_off))
        con.execute(
            "INSERT INTO portfolio_weights (version_id, code, weight_bp) SELECT w.version_id + ?, w.code, w.weight_bp"
            " FROM portfolio_weights w JOIN portfolio_versions v ON v.id = w.version_id"
            " WHERE v.id <= ? AND v.portfolio_id + ? IN (SELECT id FROM portfolios WHERE id > ?)",
            (vid_off, max_vid, pid_off, pid_off))
        con.execute(
            "INSERT INTO portfolio_visibility_changes (portfolio_id, changed_at, visibility)"
            " SELECT portfolio_id + ?, changed_at, visibility FROM portfolio_visibility_changes"
            " WHERE portfolio_id <= ? AND portfolio_id + ? IN (SELECT id FROM portfolios WHERE id > ?)",
            (pid_off, max_pid, pid_off, pid_off))
    con.commit()
    con.close()
    marker.write_text(str(n_portfolios))
    return db
