"""Bring your own community (issue 11.8): a rebalance history ``date,code,weight`` becomes a
portfolio with backdated versions, each filled by the next-session rule; rejected files
store nothing."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from socialfund.core.errors import ValidationError
from socialfund.io.history_file import read_history_csv
from socialfund.portfolios import fill_session_index
from socialfund.services import portfolio_crud
from socialfund.store import open_store
from socialfund.store.demo import table_counts
from socialfund.store.users import get_or_create_user

REPO = Path(__file__).resolve().parent.parent
KNOWN = ["510300.SS", "159915.SZ", "110022", "000001"]
HISTORY = ("日期,代码,权重\n"
           "2023-01-03,510300,60%\n2023-01-03,159915.SZ,40\n"
           "2023/06/30,510300.SS,30\n2023/06/30,110022,50\n2023/06/30,CASH,20\n"
           "20240102,159915,100\n")


def test_blocks_by_date_resolved_codes_and_basis_points() -> None:
    steps = read_history_csv(HISTORY.encode("gbk"), "xq.csv", KNOWN)
    assert [s.day for s in steps] == [dt.date(2023, 1, 3), dt.date(2023, 6, 30), dt.date(2024, 1, 2)]
    assert steps[0].weights_bp == {"510300.SS": 6000, "159915.SZ": 4000}
    assert steps[1].weights_bp == {"510300.SS": 3000, "110022": 5000, "CASH": 2000}
    assert steps[2].weights_bp == {"159915.SZ": 10000} and steps[2].line == 7


@pytest.mark.parametrize("text, message", [
    ("date,code\n2023-01-03,510300\n", "missing column(s) weight"),
    ("date,code,weight\n2023-01-03,510300,60\n2023-01-03,159915,30\n",
     "xq.csv, line 2, column weight: weights on 2023-01-03 add up to 90%, not 100%"),
    ("date,code,weight\n03/01/2023,510300,100\n", "line 2, column date: date '03/01/2023' is not a date"),
    ("date,code,weight\n2023-01-03,999999,100\n", "line 2, column code: unknown code '999999'"),
    ("date,code,weight\n2023-01-03,510300,50\n2023-01-03,510300.SS,50\n",
     "line 3, column code: 510300.SS appears twice on 2023-01-03 (first on line 2)"),
    ("date,code,weight\n", "no rows"),
])
def test_rejected_history_names_what_is_wrong(text: str, message: str) -> None:
    with pytest.raises(ValidationError) as err:
        read_history_csv(text.encode("utf-8"), "xq.csv", KNOWN)
    assert message in str(err.value)


def test_import_history_backdates_versions_filled_at_the_next_session(tmp_path: Path) -> None:
    store = open_store(f"sqlite:///{tmp_path / 'h.db'}")
    from socialfund.store.demo import load_demo
    load_demo(store)
    owner = get_or_create_user(store, "local:owner", "owner")
    known = portfolio_crud.known_codes(store)
    steps = read_history_csv(HISTORY.replace("110022", "510500").encode("utf-8"), "xq.csv", known)
    pid = portfolio_crud.import_history(store, owner, "我的雪球组合", steps, visibility="public")
    info = portfolio_crud.get_portfolio(store, owner, pid)
    assert [v.version for v in info.versions] == [1, 2, 3]
    assert info.visibility == "public" and info.created_at == dt.datetime(2023, 1, 3, 7, 0)   # 15:00 Beijing
    placed = [v.placed_at for v in info.versions]
    assert [pd.Timestamp(p).tz_convert("Asia/Shanghai").date() for p in placed] == [s.day for s in steps]
    days = pd.bdate_range("2023-01-02", "2024-01-10").values
    fills = [pd.Timestamp(days[fill_session_index(days, pd.Timestamp(p))]).date() for p in placed]
    assert fills == [dt.date(2023, 1, 4), dt.date(2023, 7, 3), dt.date(2024, 1, 3)]   # next session after each date
    assert info.versions[-1].weights_bp == {"159915.SZ": 10000}
    before = table_counts(store)
    bad = read_history_csv(b"date,code,weight\n2999-01-03,510300,100\n", "future.csv", known)
    with pytest.raises(ValidationError, match="in the future"):
        portfolio_crud.import_history(store, owner, "x", bad)
    assert table_counts(store) == before


def test_cli_import_history_public_and_rejected_file_leaves_store_unchanged(tmp_path: Path) -> None:
    env = {**os.environ, "SOCIALFUND_DATA_DIR": str(tmp_path)}
    env.pop("SOCIALFUND_DATABASE_URL", None)

    def cli(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, "-m", "socialfund", "portfolio", "import-history", *args], cwd=REPO,
                              env=env, capture_output=True, text=True, timeout=120)

    good = tmp_path / "history.csv"
    good.write_text(HISTORY.replace("110022", "510500"), encoding="utf-8-sig")
    done = cli(str(good), "--name", "回测组合", "--public")
    assert done.returncode == 0, done.stderr
    assert done.stdout.count("\n") == 1 and "3 rebalance(s) from 2023-01-03 to 2024-01-02" in done.stdout
    store = open_store(f"sqlite:///{tmp_path / 'socialfund.db'}")
    before = table_counts(store)
    bad = tmp_path / "bad.csv"
    bad.write_text("date,code,weight\n2023-01-03,510300,60\n2023-02-01,510300,100\n2023-02-01,159915,1\n",
                   encoding="utf-8")
    rejected = cli(str(bad), "--name", "x")
    assert rejected.returncode == 2 and rejected.stderr.strip().count("\n") == 0
    assert "weights on 2023-01-03 add up to 60%, not 100%" in rejected.stderr
    assert table_counts(store) == before
