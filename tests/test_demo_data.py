"""The committed demo data (data/*.csv): determinism and the file contract."""

from __future__ import annotations

import re
import time
from pathlib import Path

import exchange_calendars as xcals
import numpy as np
import pandas as pd
import pytest

from socialfund.demo import DEMO_END, DEMO_START
from socialfund.demo.generate import FILES, generate
from socialfund.demo.portfolios import to_basis_points

DATA = Path(__file__).resolve().parents[1] / "data"

HEADERS = {
    "universe.csv": "code,name_zh,name_en,kind,market,currency,yahoo,category,calendar",
    "prices.csv": "date,code,close,source",
    "fx.csv": "date,code,close,source",
    "users.csv": "user_id,handle,display_name,joined_on",
    "portfolios.csv": "portfolio_id,owner_id,name,description,style,visibility,created_on,closed_on",
    "portfolio_versions.csv": "portfolio_id,version,placed_at,note",
    "portfolio_weights.csv": "portfolio_id,version,code,weight_bp",
    "follows.csv": "user_id,portfolio_id,since",
    "copies.csv": "copy_id,user_id,portfolio_id,started_on,amount_cny,fee_bps,delay_sessions,"
                  "min_position_cny,stop_loss_pct",
    "posts.csv": "post_id,code,text,author,published_at,reads,comments,source",
    "money_fund.csv": "date,code,close,yield_7d_pct,source",
}
ISO_CN = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\+08:00$")
# Intended annualised volatility bands per category (realised, sessions × √252).
VOL_BANDS = {"bond": (0.015, 0.05), "broad": (0.14, 0.26), "sector": (0.22, 0.38),
             "growth": (0.22, 0.38), "gold": (0.10, 0.20), "overseas": (0.15, 0.28),
             "index": (0.14, 0.32)}


def read(name: str) -> pd.DataFrame:
    return pd.read_csv(DATA / name, dtype=str, keep_default_na=False)


@pytest.fixture(scope="module")
def regenerated(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, float]:
    out = tmp_path_factory.mktemp("demo")
    t0 = time.perf_counter()
    generate(out)
    return out, time.perf_counter() - t0


@pytest.fixture(scope="module")
def universe() -> pd.DataFrame:
    return read("universe.csv")


@pytest.fixture(scope="module")
def prices() -> pd.DataFrame:
    df = pd.read_csv(DATA / "prices.csv", dtype={"code": str, "date": str, "close": str,
                                                  "source": str})
    df["value"] = df["close"].astype(float)
    return df


@pytest.fixture(scope="module")
def posts() -> pd.DataFrame:
    return read("posts.csv")


# --------------------------------------------------------------------------- determinism

def test_regeneration_is_byte_identical(regenerated: tuple[Path, float]) -> None:
    out, _seconds = regenerated  # generation time: benchmarks/library_speed.py
    for name in FILES:
        assert (out / name).read_bytes() == (DATA / name).read_bytes(), name


def test_files_are_plain_utf8_with_exact_headers() -> None:
    total = 0
    for name in FILES:
        raw = (DATA / name).read_bytes()
        total += len(raw)
        assert not raw.startswith(b"\xef\xbb\xbf"), name
        assert b"\r" not in raw, name
        text = raw.decode("utf-8")
        assert text.endswith("\n"), name
        assert text.split("\n", 1)[0] == HEADERS[name], name
    assert total < 8 * 1024 * 1024, f"data/ is {total / 1e6:.1f} MB"


def test_largest_remainder_rounding_sums_to_10000() -> None:
    assert to_basis_points(np.array([1, 1, 1])) == [3334, 3333, 3333]
    rs = np.random.RandomState(0)
    for _ in range(200):
        w = rs.dirichlet(np.ones(rs.randint(1, 10)))
        bp = to_basis_points(w)
        assert sum(bp) == 10000
        assert max(abs(b - x * 10000) for b, x in zip(bp, w)) < 1.0


# --------------------------------------------------------------------------- universe, prices

def test_universe(universe: pd.DataFrame) -> None:
    assert 30 <= len(universe) <= 40
    assert universe["code"].is_unique
    assert list(universe["code"]) == sorted(universe["code"])
    assert set(universe["kind"]) <= {"etf", "lof", "fund", "index"}
    assert set(universe["market"]) <= {"SSE", "SZSE", "OTC", "US"}
    assert set(universe["category"]) <= set(VOL_BANDS)
    for row in universe.itertuples():
        us = row.market == "US"
        assert row.calendar == ("XNYS" if us else "XSHG"), row.code
        assert row.currency == ("USD" if us else "CNY"), row.code
        if row.kind == "fund":
            assert re.fullmatch(r"\d{6}", row.code) and row.yahoo == "" and row.market == "OTC"
        else:
            assert row.yahoo == row.code
        if row.market == "SSE":
            assert row.code.endswith(".SS")
        if row.market == "SZSE":
            assert row.code.endswith(".SZ")
    names = dict(zip(universe["code"], universe["name_zh"]))
    assert names["510300.SS"] == "华泰柏瑞沪深300ETF"
    assert names["110022"] == "易方达消费行业股票"
    assert {"000300.SS", "SPY", "QQQ", "159915.SZ", "161725.SZ"} <= set(names)


def test_prices_on_calendar_sessions_only(universe: pd.DataFrame, prices: pd.DataFrame) -> None:
    assert set(prices["source"]) == {"synthetic-demo"}
    assert (prices["value"] > 0).all()
    assert prices["close"].str.fullmatch(r"\d+\.\d{6}").all()
    assert set(prices["code"]) == set(universe["code"])
    assert not prices.duplicated(["date", "code"]).any()
    keys = list(zip(prices["date"], prices["code"]))
    assert keys == sorted(keys)
    calendars = dict(zip(universe["code"], universe["calendar"]))
    expected = {
        cal: {d.strftime("%Y-%m-%d")
              for d in xcals.get_calendar(cal).sessions_in_range(DEMO_START, DEMO_END)}
        for cal in ("XSHG", "XNYS")}
    for code, dates in prices.groupby("code")["date"]:
        assert set(dates) == expected[calendars[code]], code


def test_start_levels_are_realistic(prices: pd.DataFrame) -> None:
    first = prices[prices["date"] == DEMO_START].set_index("code")["value"]
    assert 3500 <= first["000300.SS"] <= 4000
    assert 450 <= first["SPY"] <= 600
    assert 1 <= first["110022"] <= 6


def test_annualised_vol_per_category_in_band(universe: pd.DataFrame,
                                             prices: pd.DataFrame) -> None:
    category = dict(zip(universe["code"], universe["category"]))
    vols: dict[str, list[float]] = {}
    for code, series in prices.groupby("code")["value"]:
        r = np.diff(np.log(series.to_numpy()))
        vols.setdefault(category[code], []).append(float(r.std(ddof=1) * np.sqrt(252)))
    for cat, values in vols.items():
        lo, hi = VOL_BANDS[cat]
        assert lo <= min(values) and max(values) <= hi, (cat, values)
    # And the categories are ordered the way markets are.
    mean = {cat: float(np.mean(v)) for cat, v in vols.items()}
    assert mean["bond"] < mean["gold"] < mean["broad"] < mean["sector"]


# --------------------------------------------------------------------------- community

def test_users_and_portfolios() -> None:
    users = read("users.csv")
    assert list(users["user_id"].astype(int)) == list(range(1, len(users) + 1))
    assert users["handle"].is_unique and 150 <= len(users) <= 250
    pf = read("portfolios.csv")
    ids = pf["portfolio_id"].astype(int)
    assert list(ids) == list(range(1, len(pf) + 1)) and 250 <= len(pf) <= 350
    assert set(pf["owner_id"].astype(int)) <= set(users["user_id"].astype(int))
    assert set(pf["visibility"]) == {"public", "unlisted", "private"}
    assert 0.7 <= (pf["visibility"] == "public").mean() <= 0.9
    joined = dict(zip(users["user_id"], users["joined_on"]))
    assert all(joined[o] <= c for o, c in zip(pf["owner_id"], pf["created_on"]))
    closed = pf[pf["closed_on"] != ""]
    assert 0.05 <= len(closed) / len(pf) <= 0.15
    assert (closed["closed_on"] > closed["created_on"]).all()
    # Some portfolios are younger than 60 XSHG sessions (eligibility gates matter).
    sessions = xcals.get_calendar("XSHG").sessions_in_range(DEMO_START, DEMO_END)
    assert (pf["created_on"] > sessions[-60].strftime("%Y-%m-%d")).sum() >= 10


def test_versions_and_weights() -> None:
    pf = read("portfolios.csv").set_index("portfolio_id")
    versions = read("portfolio_versions.csv")
    weights = read("portfolio_weights.csv")
    codes = set(read("universe.csv")["code"]) | {"CASH"}
    assert versions["placed_at"].str.match(ISO_CN).all()
    keys = list(zip(versions["portfolio_id"].astype(int), versions["version"].astype(int)))
    assert keys == sorted(keys) and len(set(keys)) == len(keys)
    for pid, group in versions.groupby("portfolio_id"):
        v = group["version"].astype(int).tolist()
        assert v == list(range(1, len(v) + 1)), pid
        days = group["placed_at"].str[:10]
        assert days.iloc[0] == pf.loc[pid, "created_on"]
        assert days.is_monotonic_increasing and days.max() < DEMO_END
        if pf.loc[pid, "closed_on"]:
            assert days.max() < pf.loc[pid, "closed_on"], pid  # nothing after closing
    assert set(pf.index) == set(versions["portfolio_id"])
    assert set(weights["code"]) <= codes
    bp = weights["weight_bp"].astype(int)
    assert (bp > 0).all()
    sums = bp.groupby([weights["portfolio_id"], weights["version"]]).sum()
    assert (sums == 10000).all()
    assert set(sums.index) == set(zip(versions["portfolio_id"], versions["version"]))
    assert not weights.duplicated(["portfolio_id", "version", "code"]).any()
    held = weights[weights["code"] != "CASH"].groupby(["portfolio_id", "version"]).size()
    assert held.between(2, 8).all() and held.nunique() >= 5
    # Some portfolios have gone stale (no rebalance in > 90 days) while still open.
    last = pd.to_datetime(versions.groupby("portfolio_id")["placed_at"].max().str[:10])
    open_ids = pf.index[pf["closed_on"] == ""]
    assert ((pd.Timestamp(DEMO_END) - last[open_ids]).dt.days > 90).sum() >= 5
    # Rebalances both during China trading hours and in the evening.
    hhmm = versions["placed_at"].str[11:16]
    assert hhmm.between("09:30", "15:00").mean() > 0.2 and (hhmm >= "19:00").mean() > 0.2


def test_follows_and_copies() -> None:
    users = set(read("users.csv")["user_id"])
    pf = read("portfolios.csv").set_index("portfolio_id")
    follows = read("follows.csv")
    assert 1500 <= len(follows) <= 2500
    assert not follows.duplicated(["user_id", "portfolio_id"]).any()
    assert set(follows["user_id"]) <= users and set(follows["portfolio_id"]) <= set(pf.index)
    assert (pf.loc[follows["portfolio_id"], "visibility"] != "private").all()
    counts = follows["portfolio_id"].value_counts()
    assert counts.iloc[0] >= 10 * counts.median()  # power law: a few portfolios are stars
    assert (follows["since"].to_numpy() >= pf.loc[follows["portfolio_id"], "created_on"].to_numpy()).all()
    copies = read("copies.csv")
    assert 250 <= len(copies) <= 350
    assert list(copies["copy_id"].astype(int)) == list(range(1, len(copies) + 1))
    assert set(copies["user_id"]) <= users and set(copies["portfolio_id"]) <= set(pf.index)
    assert (copies["amount_cny"].astype(int) > 0).all()
    assert copies["delay_sessions"].astype(int).between(0, 10).all()
    assert copies["stop_loss_pct"].astype(float).between(0, 100).all()
    assert (copies["started_on"] < DEMO_END).all()


# --------------------------------------------------------------------------- posts

def test_posts_contract(universe: pd.DataFrame, posts: pd.DataFrame) -> None:
    assert 15000 <= len(posts) <= 25000
    assert list(posts["post_id"].astype(int)) == list(range(1, len(posts) + 1))
    assert set(posts["source"]) == {"demo"}
    assert posts["published_at"].str.match(ISO_CN).all()
    assert posts["published_at"].is_monotonic_increasing
    assert posts["published_at"].str[:10].between(DEMO_START, DEMO_END).all()
    kinds = dict(zip(universe["code"], universe["kind"]))
    assert all(kinds[c] != "index" for c in posts["code"])
    assert {"SPY", "QQQ"} <= set(posts["code"])
    lengths = posts["text"].str.len()
    assert lengths.min() >= 4 and lengths.max() <= 150 and lengths.max() > 100
    assert posts["text"].nunique() > 0.5 * len(posts)
    assert (posts["reads"].astype(int) >= 0).all() and (posts["comments"].astype(int) >= 0).all()
    text = "".join(posts["text"])
    for word in ("利好", "利空", "抄底", "割肉", "套牢", "吃肉", "韭菜", "加仓", "补仓", "回本",
                 "起飞", "腰斩", "绿油油", "大A", "国家队", "主力洗盘", "不会跌", "没有利好",
                 "涨停", "跌停", "满仓", "清仓", "跑路", "还能上车吗", "虽然", "但是",
                 "又是被收割的一天", "@", "哈哈哈", "🚀", "📈", "📉", "😭", "🤡", "💰", "🐂", "🐻"):
        assert word in text, word
    stamps = pd.to_datetime(posts["published_at"].str[:19])
    assert (stamps.dt.weekday >= 5).mean() > 0.05
    assert (stamps.dt.hour >= 15).mean() > 0.3


def test_post_volume_rises_on_big_move_days(prices: pd.DataFrame, posts: pd.DataFrame) -> None:
    series = prices[prices["code"] == "512480.SS"].set_index("date")["value"]
    move = np.log(series).diff().abs().dropna()
    per_day = posts[posts["code"] == "512480.SS"]["published_at"].str[:10].value_counts()
    volume = per_day.reindex(move.index, fill_value=0)
    big = move >= move.quantile(0.9)
    assert volume[big].mean() > 1.5 * volume[~big].mean()


def test_post_tone_reacts_to_past_returns_only(prices: pd.DataFrame,
                                               posts: pd.DataFrame) -> None:
    """Bullish words are more common after a 5-session rise than after a fall; the
    signal is the closes public at posting time (XSHG close 15:00 China time)."""
    cn = posts[posts["code"].str.fullmatch(r"\d{6}(?:\.S[SZ])?")]
    bull = cn["text"].str.contains("起飞|吃肉|回本|牛回|稳了|红了|冲冲冲|主升浪|新高")
    bear = cn["text"].str.contains("割|腰斩|绿|套牢|跌麻|跑路|崩|地狱|收割|拉胯|亏")
    r5 = pd.Series(0.0, index=cn.index)
    stamps = pd.to_datetime(cn["published_at"].str[:19])
    for code, idx in cn.groupby("code").groups.items():
        closes = prices[prices["code"] == code]
        known = pd.to_datetime(closes["date"]) + pd.Timedelta(hours=15)
        logp = np.log(closes["value"].to_numpy())
        last = known.searchsorted(stamps[idx], side="right") - 1
        r5[idx] = np.where(last >= 5, logp[last] - logp[np.maximum(last - 5, 0)], 0.0)
    up, down = r5 > r5.quantile(0.8), r5 < r5.quantile(0.2)
    assert bull[up].mean() > 1.5 * bull[down].mean()
    assert bear[down].mean() > 1.5 * bear[up].mean()
