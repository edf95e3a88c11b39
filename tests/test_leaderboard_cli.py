"""``python -m socialfund leaderboard``."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path


from socialfund.cli import main

REPO = Path(__file__).resolve().parent.parent
KEYS = {"portfolio_id", "name", "rank", "dsr", "psr", "sharpe", "luck_sharpe", "total_return", "max_drawdown", "volatility",
        "risk_class", "sessions", "followers"}


def _json(capsys, argv: list[str]):  # type: ignore[no-untyped-def]
    assert main(argv) == 0
    return json.loads(capsys.readouterr().out)


def test_leaderboard_json_keys_and_order(demo_store, capsys, meta) -> None:  # type: ignore[no-untyped-def]
    rows = _json(capsys, ["leaderboard", "--window", "1Y", "--top", "15", "--json"])
    assert len(rows) == 15
    assert all(set(r) == KEYS for r in rows)
    assert [r["rank"] for r in rows] == list(range(1, 16))
    dsr = [r["dsr"] for r in rows if r["dsr"] is not None]
    assert dsr == sorted(dsr, reverse=True)
    public = set(meta.loc[meta["visibility"] == "public", "portfolio_id"])
    assert {r["portfolio_id"] for r in rows} <= public
    by_sharpe = _json(capsys, ["leaderboard", "--window", "all", "--sort", "sharpe", "--top", "5", "--json"])
    sharpes = [r["sharpe"] for r in by_sharpe]
    assert sharpes == sorted(sharpes, reverse=True)


def test_results_on_demo_data_say_so_on_stderr_and_keep_stdout_json(demo_store) -> None:  # type: ignore[no-untyped-def]
    import json

    proc = subprocess.run([sys.executable, "-m", "socialfund", "leaderboard", "--top", "3", "--json"], cwd=REPO,
                          env=dict(os.environ), capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0
    assert len(json.loads(proc.stdout)) == 3
    assert "demo data" in proc.stderr and "not investment advice" in proc.stderr
