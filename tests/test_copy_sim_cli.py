"""``python -m socialfund copy-sim``."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from socialfund.cli import main

REPO = Path(__file__).resolve().parent.parent


def _json(capsys, argv: list[str]):  # type: ignore[no-untyped-def]
    assert main(argv) == 0
    return json.loads(capsys.readouterr().out)


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


def test_copy_settings_out_of_range_are_one_error_line_naming_the_field(demo_store, capsys, meta) -> None:  # type: ignore[no-untyped-def]
    pid = int(meta.loc[meta["visibility"] == "public", "portfolio_id"].iloc[0])
    assert main(["copy-sim", "--portfolio", str(pid), "--start", "2025-06-02", "--fee-bps", "501", "--json"]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.strip().splitlines() == ["error: fee_bps must be whole basis points in 0–500, got 501"]
