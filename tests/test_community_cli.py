"""``python -m socialfund leaderboard`` and ``copy-sim``."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from socialfund.store import community
from socialfund.cli import main

REPO = Path(__file__).resolve().parent.parent
KEYS = {"portfolio_id", "name", "rank", "dsr", "psr", "sharpe", "total_return", "max_drawdown", "volatility",
        "risk_class", "sessions", "followers"}


def _json(capsys, argv: list[str]):  # type: ignore[no-untyped-def]
    assert main(argv) == 0
    return json.loads(capsys.readouterr().out)


@pytest.fixture(scope="module")
def meta(demo_store):  # type: ignore[no-untyped-def]
    return community.portfolio_meta(demo_store)


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


def test_copy_sim_keys_and_fee_free_copy_matches_the_leader(demo_store, capsys, meta) -> None:  # type: ignore[no-untyped-def]
    pid = int(meta.loc[meta["visibility"] == "public", "portfolio_id"].iloc[0])
    base = ["copy-sim", "--portfolio", str(pid), "--amount", "100000", "--start", "2025-06-02", "--json"]
    out = _json(capsys, base + ["--fee-bps", "10", "--delay", "1", "--min-position", "1000", "--stop-loss", "0.4"])
    assert {"leader_return", "copier_return", "fees_paid", "skipped_positions", "stopped_out", "stopped_on"} <= set(out)
    assert out["fees_paid"] > 0
    assert isinstance(out["skipped_positions"], list)
    free = _json(capsys, base + ["--fee-bps", "0", "--delay", "0", "--min-position", "0", "--stop-loss", "0"])
    assert free["fees_paid"] == 0
    assert free["copier_return"] == pytest.approx(free["leader_return"], abs=1e-6)
    assert free["stopped_out"] is False and free["stopped_on"] is None


def test_private_portfolio_is_not_found_exit_2_one_line(demo_store, meta) -> None:  # type: ignore[no-untyped-def]
    pid = int(meta.loc[meta["visibility"] == "private", "portfolio_id"].iloc[0])
    proc = subprocess.run([sys.executable, "-m", "socialfund", "copy-sim", "--portfolio", str(pid), "--start",
                           "2025-06-02", "--json"], cwd=REPO, env=dict(os.environ), capture_output=True, text=True,
                          timeout=120)
    assert proc.returncode == 2
    assert proc.stdout == ""
    assert proc.stderr.strip().splitlines() == [f"error: portfolio {pid} not found"]


def test_unlisted_portfolio_can_be_copied_by_id(demo_store, capsys, meta) -> None:  # type: ignore[no-untyped-def]
    import datetime as dt

    unlisted = meta.loc[(meta["visibility"] == "unlisted") & (meta["created_on"] < dt.date(2026, 1, 1))
                        & meta["closed_on"].isna()]
    pid = int(unlisted["portfolio_id"].iloc[0])
    out = _json(capsys, ["copy-sim", "--portfolio", str(pid), "--start", "2026-06-01", "--json"])
    assert out["portfolio_id"] == pid and out["entry_session"] > "2026-06-01"


def test_results_on_demo_data_say_so_on_stderr_and_keep_stdout_json(demo_store) -> None:  # type: ignore[no-untyped-def]
    import json

    proc = subprocess.run([sys.executable, "-m", "socialfund", "leaderboard", "--top", "3", "--json"], cwd=REPO,
                          env=dict(os.environ), capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0
    assert len(json.loads(proc.stdout)) == 3
    assert "demo data" in proc.stderr and "not investment advice" in proc.stderr
