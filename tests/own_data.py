"""A user's own data in the shapes people bring, generated (seeded) for the no-demo tests.

``write_own_data(root)`` writes, for about two and a half years of real Shanghai sessions
(exchange-calendars XSHG):

* two 天天基金 open-end fund NAV exports (GBK, newest first, ``净值日期,单位净值,累计净值,
  日增长率,申购状态,赎回状态,分红送配``; one cash dividend, where 单位净值 drops and 日增长率 does not);
* a NetEase index export (GBK, ``日期,股票代码,名称,收盘价,…``, codes written ``'000300``);
* an akshare/efinance-style ETF bar file (``日期,开盘,收盘,最高,最低,成交量,…``, UTF-8 BOM) with a
  three-day suspension written as blank cells (a gap the data-quality notices name);
* a rebalance history for ``portfolio import-history`` (``date,code,weight``, percent blocks,
  the last one 30 sessions before the end, so the portfolio passes the leaderboard's activity gate);
* forum posts with Chinese headers (``代码,内容,发帖时间``, ``2025/07/07 10:08:52`` times).

The prices are geometric random walks, not real quotes: these files test formats and paths.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import exchange_calendars as xcals
import numpy as np
import pandas as pd

FIRST, LAST = "2024-06-03", "2026-11-27"
FUNDS = {"110022": "易方达消费行业股票", "161725": "招商中证白酒指数(LOF)A"}
ETF = ("510300", "华泰柏瑞沪深300ETF")
INDEX = ("000300", "沪深300")


@dataclass(frozen=True)
class OwnData:
    prices: list[tuple[Path, str | None]]    # (file, --code or None)
    history: Path
    posts: Path
    sessions: pd.DatetimeIndex


def _walk(rng: np.random.Generator, n: int, start: float, vol: float) -> np.ndarray:
    return start * np.exp(np.cumsum(rng.normal(0.0003, vol, n)))


def write_own_data(root: Path, seed: int = 11) -> OwnData:
    root.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(seed)
    sessions = xcals.get_calendar("XSHG").sessions_in_range(FIRST, LAST)
    days = sessions.strftime("%Y-%m-%d")
    n = len(days)
    prices: list[tuple[Path, str | None]] = []

    for k, (code, _name) in enumerate(FUNDS.items()):
        acc = _walk(rng, n, 1.2 + k, 0.011)
        unit = acc.copy()
        dividend_at = n // 2
        unit[dividend_at:] -= 0.05           # a 0.05 cash dividend per unit: unit NAV drops, returns do not
        growth = np.concatenate([[np.nan], acc[1:] / acc[:-1] - 1]) * 100
        rows = ["净值日期,单位净值,累计净值,日增长率,申购状态,赎回状态,分红送配"]
        for i in range(n - 1, -1, -1):
            note = "每份派现金0.0500元" if i == dividend_at else ""
            g = "" if i == 0 else f"{growth[i]:.2f}%"
            rows.append(f"{days[i]},{unit[i]:.4f},{acc[i] + (0.05 if i >= dividend_at else 0):.4f},{g},"
                        f"开放申购,开放赎回,{note}")
        path = root / f"{code}.csv"
        path.write_bytes("\r\n".join(rows).encode("gbk"))
        prices.append((path, None))

    index = _walk(rng, n, 3500.0, 0.012)
    rows = ["日期,股票代码,名称,收盘价,最高价,最低价,开盘价,前收盘,涨跌额,涨跌幅,成交量,成交金额"]
    for i in range(n - 1, -1, -1):
        prev = index[i - 1] if i else index[i]
        rows.append(f"{days[i]},'{INDEX[0]},{INDEX[1]},{index[i]:.3f},{index[i] * 1.01:.3f},{index[i] * 0.99:.3f},"
                    f"{prev:.3f},{prev:.3f},{index[i] - prev:.3f},{(index[i] / prev - 1) * 100:.4f},"
                    f"{int(rng.integers(5e7, 2e8))},{int(rng.integers(5e10, 2e11))}")
    path = root / "沪深300_历史数据.csv"
    path.write_bytes("\r\n".join(rows).encode("gbk"))
    prices.append((path, INDEX[0] + ".SS"))

    etf = _walk(rng, n, 3.9, 0.012)
    bars = pd.DataFrame({"日期": days, "开盘": np.round(etf * 0.998, 3), "收盘": np.round(etf, 3),
                         "最高": np.round(etf * 1.01, 3), "最低": np.round(etf * 0.99, 3),
                         "成交量": rng.integers(1e6, 9e6, n), "成交额": rng.integers(1e9, 9e9, n)})
    suspended = bars.index[[n - 40, n - 39, n - 38]]        # a three-day suspension: blank cells, a gap
    bars.loc[suspended, ["开盘", "收盘", "最高", "最低"]] = np.nan
    bars.loc[suspended, ["成交量", "成交额"]] = 0
    path = root / f"{ETF[0]}.SS.csv"
    path.write_bytes(bars.to_csv(index=False).encode("utf-8-sig"))
    prices.append((path, None))

    history = root / "我的调仓.csv"
    history.write_text("date,code,weight\n"
                       f"{days[20]},110022,40\n{days[20]},510300.SS,40\n{days[20]},CASH,20\n"
                       f"{days[300]},110022,30\n{days[300]},161725,30\n{days[300]},510300.SS,40\n"
                       f"{days[n - 30]},110022,35\n{days[n - 30]},161725,25\n{days[n - 30]},510300.SS,40\n",
                       encoding="utf-8")

    posts = root / "股吧帖子.csv"
    lines = ["代码,内容,发帖时间"]
    texts = ["消费板块估值修复，继续看好，加仓", "白酒又跌了，割肉离场，太难了", "沪深300ETF 定投第三年，稳稳的",
             "基金经理换了，观望一下", "大涨！收益回来了，开心"]
    for i in range(40):
        code = ("110022", "161725", "510300")[i % 3]
        day = pd.Timestamp(days[n - 60 + i])
        lines.append(f"{code},{texts[i % len(texts)]},{day:%Y/%m/%d} 10:{i % 60:02d}:52")
    posts.write_bytes("\n".join(lines).encode("gbk"))
    return OwnData(prices, history, posts, sessions)


def _cli(env: dict[str, str], *args: str) -> str:
    import subprocess
    import sys

    done = subprocess.run([sys.executable, "-m", "socialfund", *args], env=env, capture_output=True, text=True,
                          cwd=Path(__file__).resolve().parents[1], timeout=600)
    assert done.returncode == 0, f"{args}: {done.stdout}\n{done.stderr}"
    return done.stdout


def build_own_store(data_dir: Path) -> OwnData:
    """A store with NO demo, as a newcomer builds it: ``init``, then ``prices import`` of each
    file, the rebalance history (public), then ``posts import`` — the same commands the README
    gives, run as subprocesses with ``SOCIALFUND_DEMO=0``.

    The history goes through the service with ``now`` one day after its last rebalance: a
    portfolio's visibility is dated at its import (``services.portfolio_crud.import_history``),
    and prices here end on a fixed past day, so an import dated by today's clock would be public
    only after the last price, never at the ranking date."""
    import os
    from datetime import datetime, timedelta

    from socialfund.io.history_file import read_history_csv
    from socialfund.services import portfolio_crud
    from socialfund.store import open_store
    from socialfund.store.users import get_or_create_user

    data = write_own_data(data_dir / "files")
    env = {**os.environ, "SOCIALFUND_DATA_DIR": str(data_dir), "SOCIALFUND_DEMO": "0"}
    env.pop("SOCIALFUND_MARKET_PROVIDER", None)
    env.pop("SOCIALFUND_DATABASE_URL", None)
    _cli(env, "init")
    for path, code in data.prices:
        _cli(env, "prices", "import", str(path), *(("--code", code) if code else ()))
    store = open_store(f"sqlite:///{data_dir / 'socialfund.db'}")
    history = read_history_csv(data.history.read_bytes(), data.history.name, portfolio_crud.known_codes(store))
    owner = get_or_create_user(store, "local:owner", "owner")
    imported_at = datetime.combine(history[-1].day, datetime.min.time()) + timedelta(days=1, hours=12)
    portfolio_crud.import_history(store, owner, "我的消费组合", history, visibility="public", now=imported_at)
    _cli(env, "posts", "import", str(data.posts))
    return data
