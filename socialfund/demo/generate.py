"""Generate the offline demo data set (``data/*.csv``) from one fixed seed.

Run ``python -m socialfund.demo.generate [--out data] [--seed N]``. Every random draw
comes from numpy's legacy ``RandomState`` (its streams are frozen across numpy
versions), one stream per stage derived from the single seed, so the files are
byte-identical on every run. The layout follows the demo data contract: UTF-8
without BOM, ``\\n`` line endings, a header row, rows sorted deterministically
(prices by date then code, everything else by id).

Nothing here is real market data: prices come from a factor model, the community
and the posts are invented. Only the instrument codes and names are real.
"""

from __future__ import annotations

import argparse
import csv
import math
import sys
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

import numpy as np
import pandas as pd

from socialfund.core.sources import DEMO_POST_SOURCE, DEMO_PRICE_SOURCE
from socialfund.demo import DEMO_END, DEMO_SEED, DEMO_START
from socialfund.demo.forum import compose_post
from socialfund.demo.universe import BY_CODE, FACTORS, UNIVERSE, Instrument

START = date.fromisoformat(DEMO_START)
END = date.fromisoformat(DEMO_END)
WEEKDAYS_PER_YEAR = 261  # the return model steps on every weekday (holidays accumulate)
TRACKING_ERROR = 0.01    # annual tracking error of an ETF against the index it tracks
TRACKING_FEE = 0.005     # annual fee drag of a tracker

N_USERS = 200
N_PORTFOLIOS = 300
N_FOLLOWS = 2000
N_COPIES = 300
N_POSTS = 20000

FILES = ("universe.csv", "prices.csv", "users.csv", "portfolios.csv",
         "portfolio_versions.csv", "portfolio_weights.csv", "follows.csv", "copies.csv",
         "posts.csv")


# --------------------------------------------------------------------------- helpers

def stage_rng(seed: int, stage: int) -> np.random.RandomState:
    """The legacy RandomState of one generation stage (stages stay independent, so
    changing posts never reshuffles prices)."""
    return np.random.RandomState((seed * 7919 + stage) % (2 ** 32))


def sessions(calendar: str) -> pd.DatetimeIndex:
    """Trading sessions of an exchange calendar (``XSHG``/``XNYS``) in the demo window."""
    import exchange_calendars as xcals

    days: pd.DatetimeIndex = xcals.get_calendar(calendar).sessions_in_range(DEMO_START, DEMO_END)
    return days


def write_csv(path: Path, header: Sequence[str], rows: Iterable[Sequence[object]]) -> int:
    """Write a UTF-8 CSV with ``\\n`` endings (no BOM); return the number of data rows."""
    count = 0
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow(header)
        for row in rows:
            writer.writerow(row)
            count += 1
    return count


def to_basis_points(weights: np.ndarray) -> list[int]:
    """Largest-remainder rounding of weights (summing to 1) to integer bp summing to
    exactly 10000. Ties go to the earlier position, so the result is deterministic."""
    raw = np.asarray(weights, dtype=float) / float(np.sum(weights)) * 10000.0
    floors = np.floor(raw).astype(int)
    short = 10000 - int(floors.sum())
    order = np.argsort(-(raw - floors), kind="stable")
    floors[order[:short]] += 1
    return [int(x) for x in floors]


def iso_at(day: date, seconds: int) -> str:
    """``YYYY-MM-DDTHH:MM:SS+08:00`` for a China wall-clock time ``seconds`` after midnight."""
    hh, rest = divmod(int(seconds), 3600)
    mm, ss = divmod(rest, 60)
    return f"{day.isoformat()}T{hh:02d}:{mm:02d}:{ss:02d}+08:00"


# --------------------------------------------------------------------------- prices

@dataclass(frozen=True)
class Regime:
    """A market phase: factor moves in standard-deviation units of the daily factor
    shock, spread evenly over the phase, and a volatility multiplier."""

    start: str
    end: str
    vol_mult: float
    moves: dict[str, float]


# Plausible-looking phases so the charts read like markets: a winter drawdown, a
# spring rebound, a summer bleed, a short explosive rally, a tariff-style shock,
# a long rally and a 2026 correction. Invented, not a record of what happened.
REGIMES: tuple[Regime, ...] = (
    Regime("2023-11-20", "2024-02-05", 1.2, {"mkt": -14, "growth": -10, "hk": -6}),
    Regime("2024-02-06", "2024-05-17", 1.0, {"mkt": 12, "value": 5, "hk": 8, "gold": 6}),
    Regime("2024-05-20", "2024-09-23", 0.9, {"mkt": -10, "growth": -5, "bond": 6}),
    Regime("2024-09-24", "2024-10-08", 2.2, {"mkt": 24, "growth": 10, "hk": 12}),
    Regime("2024-10-09", "2025-04-03", 1.2, {"mkt": -3, "growth": 4, "gold": 6}),
    Regime("2025-04-04", "2025-04-08", 2.5,
           {"mkt": -6, "growth": -3, "us": -8, "hk": -8, "gold": -2}),
    Regime("2025-04-09", "2025-12-31", 0.9,
           {"mkt": 14, "growth": 10, "value": 6, "us": 10, "hk": 6, "gold": 8}),
    Regime("2026-01-01", "2026-03-13", 1.0, {"mkt": 4, "value": 3}),
    Regime("2026-03-16", "2026-06-30", 1.3, {"mkt": -12, "growth": -8, "us": -6}),
    Regime("2026-07-01", "2026-11-20", 0.9, {"mkt": 14, "growth": 4, "value": 4, "us": 6}),
)


def weekday_grid() -> pd.DatetimeIndex:
    """Every weekday of the demo window: the model's time step. Exchange holidays are
    weekdays without a session, so their returns pile into the next session."""
    return pd.bdate_range(DEMO_START, DEMO_END)


def factor_shocks(rs: np.random.RandomState, grid: pd.DatetimeIndex) -> np.ndarray:
    """Daily factor shocks (days × FACTORS) in sd units: N(0,1) scaled by the regime
    volatility multiplier (normalised to mean square 1) plus the regime drift."""
    n = len(grid)
    z = rs.standard_normal((n, len(FACTORS)))
    mult = np.ones(n)
    drift = np.zeros((n, len(FACTORS)))
    for regime in REGIMES:
        mask = np.asarray((grid >= pd.Timestamp(regime.start)) & (grid <= pd.Timestamp(regime.end)))
        days = int(mask.sum())
        if days == 0:
            continue
        mult[mask] = regime.vol_mult
        for factor, move in regime.moves.items():
            drift[mask, FACTORS.index(factor)] = move / days
    mult /= math.sqrt(float(np.mean(mult ** 2)))
    return z * mult[:, None] + drift


def simulate_log_returns(rs: np.random.RandomState,
                         grid: pd.DatetimeIndex) -> dict[str, np.ndarray]:
    """Daily log returns on the weekday grid for every instrument (day 0 is 0).

    r_i = (mu_i - s_i²/2)/261 + s_i/√261 · (Σ_k w_ik g_k + idio_i e_i) / ‖(w_i, idio_i)‖
    with g the factor shocks and e_i ~ N(0,1), so the shock part has annual vol s_i.
    A tracker copies its index: r = r_index + TE/√261 · e − fee/261.
    """
    g = factor_shocks(rs, grid)
    step = 1.0 / WEEKDAYS_PER_YEAR
    out: dict[str, np.ndarray] = {}
    for inst in UNIVERSE:  # fixed order: the idiosyncratic draws are consumed in order
        e = rs.standard_normal(len(grid))
        if inst.tracks:
            continue
        w = np.array([inst.loadings.get(f, 0.0) for f in FACTORS])
        norm = math.sqrt(float(w @ w) + inst.idio ** 2)
        shock = (g @ w + inst.idio * e) / norm
        r = (inst.drift - 0.5 * inst.vol ** 2) * step + inst.vol * math.sqrt(step) * shock
        r[0] = 0.0
        out[inst.code] = r
    for inst in UNIVERSE:
        if inst.tracks:
            e = rs.standard_normal(len(grid))
            r = out[inst.tracks] + TRACKING_ERROR * math.sqrt(step) * e - TRACKING_FEE * step
            r[0] = 0.0
            out[inst.code] = r
    return out


@dataclass
class PriceBook:
    """Simulated prices: the weekday-grid log price of every code (for forward looks
    in the planted skill) and each code's closes on its own calendar."""

    grid: pd.DatetimeIndex
    grid_log_price: dict[str, np.ndarray]
    session_dates: dict[str, pd.DatetimeIndex]
    closes: dict[str, np.ndarray]


def simulate_prices(seed: int) -> PriceBook:
    rs = stage_rng(seed, 1)
    grid = weekday_grid()
    returns = simulate_log_returns(rs, grid)
    cal_sessions = {cal: sessions(cal) for cal in ("XSHG", "XNYS")}
    log_price: dict[str, np.ndarray] = {}
    dates: dict[str, pd.DatetimeIndex] = {}
    closes: dict[str, np.ndarray] = {}
    for inst in UNIVERSE:
        lp = math.log(inst.start_price) + np.cumsum(returns[inst.code])
        log_price[inst.code] = lp
        sess = cal_sessions[inst.calendar]
        pos = grid.get_indexer(sess)
        if (pos < 0).any():
            raise AssertionError(f"{inst.calendar} has a session outside the weekday grid")
        dates[inst.code] = sess
        closes[inst.code] = np.round(np.exp(lp[pos]), 6)
    return PriceBook(grid, log_price, dates, closes)


def price_rows(book: PriceBook) -> list[tuple[str, str, str, str]]:
    rows = []
    for inst in UNIVERSE:
        for day, close in zip(book.session_dates[inst.code], book.closes[inst.code]):
            if close <= 0:  # exp() cannot give this; kept as a guard for edits
                raise AssertionError(f"non-positive price for {inst.code} on {day}")
            rows.append((day.strftime("%Y-%m-%d"), inst.code, f"{close:.6f}", DEMO_PRICE_SOURCE))
    rows.sort(key=lambda r: (r[0], r[1]))
    return rows


# --------------------------------------------------------------------------- users

PINYIN_SURNAMES = ("wang", "li", "zhang", "liu", "chen", "yang", "zhao", "huang", "zhou",
                   "wu", "xu", "sun", "hu", "zhu", "gao", "lin", "he", "guo", "ma", "luo")
PINYIN_GIVEN = ("wei", "fang", "jun", "lei", "jing", "min", "qiang", "yan", "hao", "yu",
                "xin", "tao", "ming", "chao", "ping", "hui", "jie", "bo", "lin", "kai")
HANDLE_WORDS = ("laowang", "xiaoli", "jiucai", "niushi", "touzi", "dingtou", "jijin",
                "gushen", "lanchou", "banzhuan", "tangping", "huiben", "qifei", "chaodi",
                "changxian", "jiazhi", "fengkou", "xiaosan", "laogu", "manman")
EN_FIRST = ("Tom", "Amy", "Kevin", "Lucy", "Jason", "Eric", "David", "Grace", "Leo", "Nina",
            "Sam", "Iris", "Frank", "Cindy", "Alan", "Vivian")
ZH_SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗"
ZH_NICK_PREFIX = ("老", "小", "阿", "大")
ZH_NICK_SUFFIX = ("爱定投", "的基金", "不割肉", "看长线", "在路上", "学投资", "慢慢变富", "",
                  "", "的养老钱")
ZH_PHRASES = ("韭菜的自我修养", "价值投资小学生", "躺平基民", "满仓侠", "定投十年", "牛市在哪里",
              "佛系持有", "股海一粟", "白酒信仰者", "半导体老兵", "稳健第一", "复利的力量",
              "回本就跑", "小散一枚", "宁静致远", "海边的基民", "慢慢变富", "不追高",
              "长期主义者", "周期猎人", "红利收割机", "黄金党", "债基守门员", "均衡配置派")


@dataclass(frozen=True)
class User:
    user_id: int
    handle: str
    display_name: str
    joined_on: date


def make_users(seed: int) -> list[User]:
    """~N_USERS users; a third joined before the demo window opened."""
    rs = stage_rng(seed, 2)
    handles: set[str] = set()
    drafts: list[tuple[date, str, str]] = []
    first_day = START - timedelta(days=260)
    span = (END - timedelta(days=10) - first_day).days
    while len(drafts) < N_USERS:
        style = rs.random_sample()
        english = 0.7 <= style < 0.85
        if style < 0.35:
            handle = f"{HANDLE_WORDS[rs.randint(len(HANDLE_WORDS))]}_{rs.randint(10, 9999)}"
        elif style < 0.7:
            handle = (f"{PINYIN_SURNAMES[rs.randint(len(PINYIN_SURNAMES))]}"
                      f"{PINYIN_GIVEN[rs.randint(len(PINYIN_GIVEN))]}{rs.randint(1970, 2006)}")
        elif style < 0.85:
            handle = (f"{EN_FIRST[rs.randint(len(EN_FIRST))].lower()}_"
                      f"{PINYIN_SURNAMES[rs.randint(len(PINYIN_SURNAMES))]}")
        else:
            handle = f"{HANDLE_WORDS[rs.randint(len(HANDLE_WORDS))]}{rs.randint(2, 99)}hao"
        if handle in handles:
            continue
        handles.add(handle)
        kind = rs.random_sample()
        if english and kind < 0.7:
            first, last = handle.split("_")
            display = f"{first.capitalize()} {last.capitalize()}"
        elif english or kind < 0.5:
            display = (ZH_NICK_PREFIX[rs.randint(len(ZH_NICK_PREFIX))]
                       + ZH_SURNAMES[rs.randint(len(ZH_SURNAMES))]
                       + ZH_NICK_SUFFIX[rs.randint(len(ZH_NICK_SUFFIX))])
        else:
            display = ZH_PHRASES[rs.randint(len(ZH_PHRASES))]
            if rs.random_sample() < 0.4:
                display += str(rs.randint(1, 99))
        joined = first_day + timedelta(days=int(rs.beta(1.1, 2.0) * span))
        drafts.append((joined, handle, display))
    drafts.sort(key=lambda d: (d[0], d[1]))
    return [User(i + 1, h, d, j) for i, (j, h, d) in enumerate(drafts)]


# --------------------------------------------------------------------------- portfolios

@dataclass(frozen=True)
class Style:
    """How a portfolio style picks and weights holdings.

    ``pool`` maps codes to a preference; ``anchor`` codes (if any) always hold between
    ``anchor_share`` of the non-cash weight; ``freq_days`` are typical calendar days
    between rebalances; ``swap_prob`` the chance a rebalance replaces a holding.
    """

    pool: dict[str, float]
    n_range: tuple[int, int]
    cash_prob: float
    cash_max: float
    swap_prob: float
    freq_days: tuple[int, ...]
    alpha: float = 2.0
    anchor: tuple[str, ...] = ()
    anchor_share: tuple[float, float] = (0.0, 0.0)


STYLES: dict[str, Style] = {
    "稳健配置": Style({"510300.SS": 3, "510880.SS": 3, "510050.SS": 2, "511010.SS": 3,
                      "511260.SS": 2, "217022": 2, "518880.SS": 2, "161005": 1.5,
                      "000001": 1, "163406": 1.5}, (3, 6), 0.4, 0.15, 0.25,
                     (30, 60, 90), alpha=3.0),
    "行业轮动": Style({"512880.SS": 2, "512480.SS": 2, "515030.SS": 1.5, "512170.SS": 1.5,
                      "512690.SS": 1, "512660.SS": 1.2, "512800.SS": 1, "159928.SZ": 1,
                      "161725.SZ": 1.5, "588000.SS": 1}, (2, 5), 0.3, 0.2, 0.7,
                     (7, 14, 21, 30), alpha=1.5),
    "成长进攻": Style({"588000.SS": 2, "159915.SZ": 2, "159949.SZ": 1.5, "512480.SS": 2,
                      "515030.SS": 1.5, "513180.SS": 1, "001938": 1, "005827": 1,
                      "513100.SS": 1}, (2, 6), 0.15, 0.1, 0.4, (7, 14, 30, 45), alpha=1.5),
    "债券打底": Style({"511010.SS": 3, "511260.SS": 2, "217022": 3, "510300.SS": 1,
                      "510880.SS": 1.5, "518880.SS": 1, "161005": 0.7}, (2, 5), 0.3, 0.1,
                     0.2, (30, 60, 90, 120), alpha=2.5,
                     anchor=("511010.SS", "511260.SS", "217022"), anchor_share=(0.6, 0.85)),
    "黄金避险": Style({"518880.SS": 3, "GLD": 1, "511010.SS": 2, "510880.SS": 1.5,
                      "511260.SS": 1, "510300.SS": 1}, (2, 5), 0.3, 0.15, 0.2,
                     (30, 60, 90), alpha=2.0, anchor=("518880.SS", "GLD"),
                     anchor_share=(0.3, 0.6)),
    "全球配置": Style({"513100.SS": 2, "SPY": 1.5, "QQQ": 1.2, "159920.SZ": 1,
                      "513180.SS": 1, "510300.SS": 1.5, "518880.SS": 1, "GLD": 0.8,
                      "511010.SS": 1}, (3, 8), 0.25, 0.1, 0.3, (30, 60, 90), alpha=2.5),
    "定投指数": Style({"510300.SS": 3, "510500.SS": 2, "159915.SZ": 2, "510050.SS": 1,
                      "588000.SS": 1, "159949.SZ": 1, "510880.SS": 1}, (2, 4), 0.2, 0.1,
                     0.1, (14, 30, 30), alpha=6.0),
    "明星基金": Style({"110022": 1.5, "005827": 2, "161005": 1.5, "163406": 1.2,
                      "000001": 0.8, "003095": 1.5, "001938": 1, "260108": 1.2,
                      "217022": 0.8}, (3, 6), 0.2, 0.1, 0.25, (30, 60, 90, 120), alpha=2.0),
}
STYLE_PROBS: dict[str, float] = {"稳健配置": 0.18, "行业轮动": 0.16, "成长进攻": 0.15,
                                 "债券打底": 0.10, "黄金避险": 0.08, "全球配置": 0.10,
                                 "定投指数": 0.13, "明星基金": 0.10}
NAME_STEMS: dict[str, tuple[str, ...]] = {
    "稳健配置": ("稳健配置", "均衡小组合", "全天候", "养老钱组合", "攻守兼备", "稳稳的幸福"),
    "行业轮动": ("行业轮动", "赛道轮动", "风口追踪", "景气度轮动", "板块猎手", "热点切换"),
    "成长进攻": ("成长进攻", "科技成长", "硬科技", "高弹性", "冲锋队", "新质生产力"),
    "债券打底": ("债券打底", "固收+", "低波动", "稳如老狗", "睡得着组合", "债基加一点"),
    "黄金避险": ("黄金避险", "金子最靠谱", "避险三件套", "乱世买黄金", "金债组合"),
    "全球配置": ("全球配置", "环球旅行", "中美港", "全球资产", "海外加A股"),
    "定投指数": ("定投指数", "懒人定投", "宽基定投", "指数慢慢涨", "核心宽基"),
    "明星基金": ("明星基金", "基金经理天团", "主动基精选", "老将组合", "十年长跑"),
}
NAME_SUFFIXES = ("", "", "", "1号", "2号", "2.0", "实盘", "长期", "(年轻人版)", "·月度",
                 "·慢慢来", "Pro")
DESCRIPTIONS: dict[str, tuple[str, ...]] = {
    "稳健配置": ("股债平衡，回撤控制优先。", "宽基+红利+债券，追求稳稳的年化。",
                "不追热点，只做均衡配置。"),
    "行业轮动": ("跟踪行业景气度，哪个强买哪个。", "短线轮动，高风险，慎跟。",
                "行业ETF轮动，止损严格。"),
    "成长进攻": ("重仓科技成长，波动大，收益也大。", "相信硬科技的长期价值。",
                "高弹性组合，适合能扛回撤的朋友。"),
    "债券打底": ("债券打底，少量权益增强。", "固收为主，追求绝对收益。",
                "回撤小，适合保守型。"),
    "黄金避险": ("黄金+国债，对冲不确定性。", "乱世黄金，盛世古董。", "避险为主，兼顾红利。"),
    "全球配置": ("A股、港股、美股一起配。", "不把鸡蛋放在一个篮子里。", "用QDII做全球资产配置。"),
    "定投指数": ("宽基指数定投，长期持有。", "每月定投，不择时。", "懒人组合，跟踪核心宽基。"),
    "明星基金": ("精选明星基金经理的主动基金。", "相信专业的力量。", "主动基金组合，长期持有。"),
}
FIRST_NOTES = ("建仓", "新建组合", "首次建仓", "开张大吉", "初始配置")
PLAIN_NOTES = ("例行再平衡", "微调权重", "定期再平衡", "小幅调仓", "", "", "按计划调仓",
               "止盈一部分", "逢低加仓")


@dataclass
class Portfolio:
    portfolio_id: int
    owner_id: int
    name: str
    description: str
    style: str
    visibility: str
    created_on: date
    closed_on: date | None
    popularity: float
    versions: list[tuple[str, str, list[tuple[str, int]]]]  # placed_at, note, weights


def _alias(code: str) -> str:
    inst = BY_CODE[code]
    return inst.aliases[0] if inst.aliases else inst.name_zh


class ForwardLook:
    """Next-~20-session log returns on the weekday grid, used only to plant skill in
    a minority of demo portfolios (fine for synthetic data; never used for posts)."""

    HORIZON = 28  # weekdays ≈ 20 sessions

    def __init__(self, book: PriceBook) -> None:
        self.grid_days = np.array([d.date() for d in book.grid])
        self.lp = book.grid_log_price

    def zscores(self, day: date, codes: Sequence[str]) -> np.ndarray:
        # First weekday > day. numpy's stubs take no datetime.date needle; an object array of dates does.
        j = int(np.searchsorted(self.grid_days, day, side="right"))  # type: ignore[call-overload]
        last = len(self.grid_days) - 1
        if j > last - 5:
            return np.zeros(len(codes))
        k = min(j + self.HORIZON, last)
        fwd = np.array([self.lp[c][k] - self.lp[c][j] for c in codes])
        sd = float(fwd.std())
        return (fwd - fwd.mean()) / sd if sd > 0 else np.zeros(len(codes))


def _draw_weights(rs: np.random.RandomState, style: Style, holdings: list[str],
                  tilt: np.ndarray, previous: dict[str, float]) -> list[tuple[str, int]]:
    """Weights for ``holdings`` (+ maybe CASH) in bp, blended with the previous version."""
    fresh = rs.dirichlet(np.full(len(holdings), style.alpha)) * np.exp(0.4 * tilt)
    fresh /= fresh.sum()
    if previous:
        prev = np.array([previous.get(c, 0.0) for c in holdings])
        if prev.sum() > 0:
            prev = prev / prev.sum()
            keep = prev > 0
            fresh = np.where(keep, 0.5 * prev + 0.5 * fresh, fresh)
            fresh /= fresh.sum()
    if style.anchor:
        is_anchor = np.array([c in style.anchor for c in holdings])
        if is_anchor.any() and (~is_anchor).any():
            share = rs.uniform(*style.anchor_share)
            fresh = np.where(is_anchor, fresh / fresh[is_anchor].sum() * share,
                             fresh / fresh[~is_anchor].sum() * (1 - share))
    codes = list(holdings)
    if rs.random_sample() < style.cash_prob:
        cash = rs.uniform(0.02, style.cash_max)
        fresh = np.append(fresh * (1 - cash), cash)
        codes.append("CASH")
    fresh = np.maximum(fresh, 0.02)  # no sliver positions: every row rounds to > 0 bp
    bp = to_basis_points(fresh / fresh.sum())
    return sorted(zip(codes, bp))


def _choose(rs: np.random.RandomState, candidates: list[str], prefs: np.ndarray,
            k: int) -> list[str]:
    p = prefs / prefs.sum()
    picked = rs.choice(len(candidates), size=k, replace=False, p=p)
    return [candidates[i] for i in picked]


def _placed_at(rs: np.random.RandomState, day: date, is_session: bool) -> str:
    """A China wall-clock time for a rebalance: during trading hours on some session
    days, otherwise in the evening."""
    if is_session and rs.random_sample() < 0.55:
        if rs.random_sample() < 0.5:
            sec = 9 * 3600 + 30 * 60 + rs.randint(0, 2 * 3600)        # 09:30–11:30
        else:
            sec = 13 * 3600 + rs.randint(0, 2 * 3600)                  # 13:00–15:00
    elif is_session or rs.random_sample() < 0.7:
        sec = 19 * 3600 + rs.randint(0, 4 * 3600 + 30 * 60)           # 19:00–23:30
    else:
        sec = 10 * 3600 + rs.randint(0, 12 * 3600)                     # weekend daytime
    return iso_at(day, int(sec))


def make_portfolios(seed: int, users: list[User], book: PriceBook) -> list[Portfolio]:
    rs = stage_rng(seed, 3)
    look = ForwardLook(book)
    xshg = [d.date() for d in book.session_dates["510300.SS"]]
    session_set = set(xshg)
    last_fill_day = END - timedelta(days=1)   # a rebalance placed on day t fills at t+1
    recent_cut = xshg[-60]                    # created after this: < 60 sessions of history
    joined = np.array([u.joined_on for u in users])
    activity = rs.pareto(1.5, len(users)) + 0.2
    style_names = list(STYLE_PROBS)
    style_p = np.array([STYLE_PROBS[s] for s in style_names])
    drafts = []
    for _ in range(N_PORTFOLIOS):
        if rs.random_sample() < 0.10:
            created = recent_cut + timedelta(days=int(rs.randint(1, (END - recent_cut).days - 2)))
        else:
            created = START + timedelta(days=int(rs.randint(0, (recent_cut - START).days)))
        eligible = np.flatnonzero(joined <= created)
        w = activity[eligible]
        owner = users[int(eligible[rs.choice(len(eligible), p=w / w.sum())])]
        style_name = style_names[rs.choice(len(style_names), p=style_p)]
        drafts.append((created, owner.user_id, style_name, rs.randint(2 ** 31 - 1)))
    drafts.sort(key=lambda d: (d[0], d[1], d[2], d[3]))

    # Exact shares rather than coin flips: ~10 % closed (among portfolios old enough),
    # a few stale open ones, 80 / 10 / 10 % public / unlisted / private.
    ages = np.array([(END - d[0]).days for d in drafts])
    old = np.flatnonzero(ages > 150)
    closed_idx = set(int(i) for i in rs.choice(old, N_PORTFOLIOS // 10, replace=False))
    very_old = [int(i) for i in np.flatnonzero(ages > 220) if int(i) not in closed_idx]
    stale_idx = set(int(i) for i in rs.choice(very_old, N_PORTFOLIOS // 25, replace=False))
    n_unlisted = n_private = N_PORTFOLIOS // 10
    visibilities = rs.permutation(["unlisted"] * n_unlisted + ["private"] * n_private
                                  + ["public"] * (N_PORTFOLIOS - n_unlisted - n_private))

    portfolios: list[Portfolio] = []
    used_names: set[str] = set()
    for idx, (created, owner_id, style_name, sub_seed) in enumerate(drafts):
        pid = idx + 1
        prs = np.random.RandomState(sub_seed)  # per-portfolio stream derived from the seed
        style = STYLES[style_name]
        candidates = list(style.pool)
        prefs = np.array([style.pool[c] for c in candidates], dtype=float)
        # Planted skill (synthetic demo only): a few portfolios lean toward holdings
        # with better next-~20-session returns; most have none.
        skill = prs.uniform(0.3, 1.0) if prs.random_sample() < 0.15 else 0.0
        freq = style.freq_days[prs.randint(len(style.freq_days))]
        if prs.random_sample() < 0.15:
            freq = int(prs.choice([7, 14, 120]))
        age = (END - created).days
        closed_on: date | None = None
        stop = last_fill_day
        if idx in closed_idx:
            closed_on = created + timedelta(days=int(prs.randint(45, age - 2)))
            stop = min(stop, closed_on - timedelta(days=1))
        elif idx in stale_idx:  # open, but no rebalance in > 90 days
            stop = END - timedelta(days=int(prs.randint(95, min(300, age - 30))))
        visibility = str(visibilities[idx])

        versions: list[tuple[str, str, list[tuple[str, int]]]] = []
        holdings: list[str] = []
        previous: dict[str, float] = {}
        day = created
        lo, hi = style.n_range
        while day <= stop:
            # z: the skill tilt in log-preference units (all zeros without skill).
            z = skill * look.zscores(day, candidates) if skill else np.zeros(len(candidates))
            tilted = prefs * np.exp(z)
            before = set(holdings)
            if not holdings:
                n = prs.randint(lo, min(hi, len(candidates)) + 1)
                holdings = []
                if style.anchor:
                    anchors = [c for c in candidates if c in style.anchor]
                    holdings.append(anchors[prs.randint(len(anchors))])
                rest = [c for c in candidates if c not in holdings]
                rest_p = np.array([tilted[candidates.index(c)] for c in rest])
                holdings += _choose(prs, rest, rest_p, n - len(holdings))
                note = FIRST_NOTES[prs.randint(len(FIRST_NOTES))]
            else:
                if prs.random_sample() < style.swap_prob:
                    drop_w = np.array([np.exp(-z[candidates.index(c)]) for c in holdings])
                    droppable = [c for c in holdings if not (style.anchor and c in style.anchor
                                                             and sum(h in style.anchor for h in holdings) == 1)]
                    if droppable:
                        dw = np.array([drop_w[holdings.index(c)] for c in droppable])
                        holdings.remove(_choose(prs, droppable, dw, 1)[0])
                if len(holdings) < min(hi, len(candidates)) and (
                        len(holdings) < lo or prs.random_sample() < 0.5):
                    rest = [c for c in candidates if c not in holdings]
                    rest_p = np.array([tilted[candidates.index(c)] for c in rest])
                    holdings.append(_choose(prs, rest, rest_p, 1)[0])
                added = sorted(set(holdings) - before)
                removed = sorted(before - set(holdings))
                if added and removed:
                    note = f"减{_alias(removed[0])}，加{_alias(added[0])}"
                elif added:
                    note = f"调入{_alias(added[0])}"
                elif removed:
                    note = f"清仓{_alias(removed[0])}"
                else:
                    note = PLAIN_NOTES[prs.randint(len(PLAIN_NOTES))]
            tilt = np.array([z[candidates.index(c)] for c in holdings])
            weights = _draw_weights(prs, style, holdings, tilt, previous)
            previous = {c: bp / 10000 for c, bp in weights if c != "CASH"}
            versions.append((_placed_at(prs, day, day in session_set), note, weights))
            interval = max(1, int(round(freq * prs.uniform(0.7, 1.3))))
            day = day + timedelta(days=interval)

        stem_list = NAME_STEMS[style_name]
        name = stem_list[prs.randint(len(stem_list))] + NAME_SUFFIXES[prs.randint(len(NAME_SUFFIXES))]
        if prs.random_sample() < 0.3:
            owner = users[owner_id - 1]
            name = f"{owner.display_name}的{name}"
        base, k = name, 2
        while name in used_names:
            name, k = f"{base}({k})", k + 1
        used_names.add(name)
        desc = DESCRIPTIONS[style_name][prs.randint(len(DESCRIPTIONS[style_name]))]
        desc += {7: "每周调仓。", 14: "双周调仓。", 21: "三周一调。", 30: "每月再平衡。",
                 45: "一个半月调一次。", 60: "两个月调一次。", 90: "季度调仓。",
                 120: "半年左右调一次。"}.get(freq, "")
        popularity = float(prs.pareto(1.2) + 0.05) * (1.0 + 0.5 * skill)
        portfolios.append(Portfolio(pid, owner_id, name, desc, style_name, visibility,
                                    created, closed_on, popularity, versions))
    return portfolios


# --------------------------------------------------------------------------- follows, copies

def _random_day(rs: np.random.RandomState, lo: date, hi: date) -> date:
    return lo + timedelta(days=int(rs.randint(0, (hi - lo).days + 1)))


def make_follows(seed: int, users: list[User],
                 portfolios: list[Portfolio]) -> list[tuple[int, int, str]]:
    """Follows with power-law popularity; private portfolios get none, unlisted few."""
    rs = stage_rng(seed, 4)
    vis_factor = {"public": 1.0, "unlisted": 0.1, "private": 0.0}
    pop = np.array([p.popularity * vis_factor[p.visibility] for p in portfolios])
    pop /= pop.sum()
    seen: set[tuple[int, int]] = set()
    rows: list[tuple[int, int, str]] = []
    attempts = 0
    while len(rows) < N_FOLLOWS and attempts < N_FOLLOWS * 20:
        attempts += 1
        p = portfolios[rs.choice(len(portfolios), p=pop)]
        u = users[rs.randint(len(users))]
        lo = max(u.joined_on, p.created_on)
        hi = p.closed_on or END
        if u.user_id == p.owner_id or (u.user_id, p.portfolio_id) in seen or lo > hi:
            continue
        seen.add((u.user_id, p.portfolio_id))
        rows.append((u.user_id, p.portfolio_id, _random_day(rs, lo, hi).isoformat()))
    rows.sort()
    return rows


def make_copies(seed: int, users: list[User],
                portfolios: list[Portfolio]) -> list[tuple[object, ...]]:
    """Paper copies: mostly of the most popular public portfolios."""
    rs = stage_rng(seed, 5)
    vis_factor = {"public": 1.0, "unlisted": 0.2, "private": 0.0}
    pop = np.array([p.popularity ** 1.3 * vis_factor[p.visibility] for p in portfolios])
    pop /= pop.sum()
    seen: set[tuple[int, int]] = set()
    drafts: list[tuple[date, int, int, int, int, int, int, int]] = []
    attempts = 0
    while len(drafts) < N_COPIES and attempts < N_COPIES * 30:
        attempts += 1
        p = portfolios[rs.choice(len(portfolios), p=pop)]
        u = users[rs.randint(len(users))]
        lo = max(u.joined_on, p.created_on + timedelta(days=1))
        hi = min(p.closed_on or END, END) - timedelta(days=1)
        if u.user_id == p.owner_id or (u.user_id, p.portfolio_id) in seen or lo > hi:
            continue
        seen.add((u.user_id, p.portfolio_id))
        drafts.append((_random_day(rs, lo, hi), u.user_id, p.portfolio_id,
                       int(rs.choice([5000, 10000, 20000, 30000, 50000, 100000, 200000],
                                     p=[0.12, 0.28, 0.2, 0.12, 0.15, 0.1, 0.03])),
                       int(rs.choice([0, 1, 3, 5, 10, 15], p=[0.1, 0.2, 0.25, 0.25, 0.1, 0.1])),
                       int(rs.choice([0, 1, 2, 3, 5], p=[0.15, 0.45, 0.2, 0.12, 0.08])),
                       int(rs.choice([0, 100, 500, 1000], p=[0.2, 0.4, 0.3, 0.1])),
                       int(rs.choice([5, 8, 10, 15, 20, 30], p=[0.05, 0.1, 0.3, 0.25, 0.2, 0.1]))))
    drafts.sort(key=lambda d: (d[0], d[1], d[2]))
    return [(i, uid, pid, day.isoformat(), amount, fee, delay, min_pos, stop)
            for i, (day, uid, pid, amount, fee, delay, min_pos, stop) in enumerate(drafts, 1)]


# --------------------------------------------------------------------------- posts

SESSION_HOURS = np.array([2, 1, .5, .3, .3, .3, .6, 1.5, 3, 7, 8, 6, 3, 6, 7, 6,
                          4, 3, 3, 4, 5, 5, 4, 3], dtype=float)
OFF_DAY_HOURS = np.array([2, 1.5, .8, .4, .3, .3, .5, 1, 2, 3, 3.5, 3.5, 3, 3, 3, 3,
                          3, 3, 3.5, 4.5, 5, 5, 4, 3], dtype=float)
REACTION_HOURS = np.array([0] * 15 + [8, 7, 5, 4, 4, 5, 5, 4, 3], dtype=float)
FORUM_NAME_PREFIXES = ("股友", "雪球用户", "基民", "天天基金用户", "财富号", "韭菜")


def _known_close_seconds(inst: Instrument, book: PriceBook) -> np.ndarray:
    """When each close became public, as China wall-clock seconds since 1970-01-01:
    15:00 the same day for XSHG, about 05:00 the next China morning for XNYS."""
    days = book.session_dates[inst.code].values.astype("datetime64[s]").astype(np.int64)
    if inst.calendar == "XSHG":
        return days + 15 * 3600
    return days + 29 * 3600


def make_posts(seed: int, users: list[User], book: PriceBook) -> list[tuple[object, ...]]:
    """~N_POSTS forum posts. Volume: a popularity base (less on days off) plus
    after-close reaction posts on big-move sessions. Tone reacts only to closes that
    were public before the post (last 5 sessions up → more bullish)."""
    rs = stage_rng(seed, 6)
    insts = [i for i in UNIVERSE if i.kind != "index" and i.forum_popularity > 0]
    days = pd.date_range(DEMO_START, DEMO_END, freq="D")
    n_days, n_codes = len(days), len(insts)
    xshg_days = set(book.session_dates["510300.SS"])
    is_session = np.array([d in xshg_days for d in days])
    pop = np.array([i.forum_popularity for i in insts])
    base = np.outer(np.where(is_session, 1.0, 0.45), pop)
    react = np.zeros((n_days, n_codes))
    day_pos = {d: k for k, d in enumerate(days)}
    for j, inst in enumerate(insts):
        if inst.calendar != "XSHG":
            continue
        sd = inst.vol / math.sqrt(243)
        r = np.diff(np.log(book.closes[inst.code]), prepend=np.log(book.closes[inst.code][0]))
        excess = np.maximum(np.abs(r) / sd - 1.0, 0.0) ** 1.5
        for d, x in zip(book.session_dates[inst.code], excess):
            react[day_pos[d], j] = 1.5 * pop[j] * x
    scale = N_POSTS / (base.sum() + react.sum())
    n_base = rs.poisson(base * scale)
    n_react = rs.poisson(react * scale)

    # One row per post: day index, code index, whether it is an after-close reaction.
    d_idx = np.concatenate([np.repeat(np.arange(n_days), n_base.sum(1)),
                            np.repeat(np.arange(n_days), n_react.sum(1))])
    c_idx = np.concatenate([np.concatenate([np.repeat(np.arange(n_codes), row) for row in n_base]),
                            np.concatenate([np.repeat(np.arange(n_codes), row) for row in n_react])])
    reaction = np.concatenate([np.zeros(int(n_base.sum()), bool), np.ones(int(n_react.sum()), bool)])
    n = len(d_idx)
    hours = np.where(
        reaction, rs.choice(24, size=n, p=REACTION_HOURS / REACTION_HOURS.sum()),
        np.where(is_session[d_idx], rs.choice(24, size=n, p=SESSION_HOURS / SESSION_HOURS.sum()),
                 rs.choice(24, size=n, p=OFF_DAY_HOURS / OFF_DAY_HOURS.sum())))
    sec_of_day = hours * 3600 + rs.randint(0, 3600, size=n)
    day_sec = days.values.astype("datetime64[s]").astype(np.int64)
    ts = day_sec[d_idx] + sec_of_day
    order = np.lexsort((np.arange(n), c_idx, ts))
    d_idx, c_idx, ts, sec_of_day, reaction = (d_idx[order], c_idx[order], ts[order],
                                              sec_of_day[order], reaction[order])

    # Past-only signal: log return over the last 5 closes public at the post time.
    signal = np.zeros(n)
    move_pct = np.zeros(n)
    for j, inst in enumerate(insts):
        mask = c_idx == j
        known = _known_close_seconds(inst, book)
        lp = np.log(book.closes[inst.code])
        last = np.searchsorted(known, ts[mask], side="right") - 1
        ok = last >= 0
        r5 = np.where(ok, lp[np.maximum(last, 0)] - lp[np.maximum(last - 5, 0)], 0.0)
        sd5 = inst.vol / math.sqrt(243) * math.sqrt(5)
        signal[mask] = r5 / sd5
        move_pct[mask] = np.abs(np.expm1(r5)) * 100
    p_pos = 0.30 + 0.28 * np.tanh(0.9 * signal)
    p_neg = 0.30 - 0.28 * np.tanh(0.9 * signal)
    u = rs.random_sample(n)
    tones = np.where(u < p_pos, "pos", np.where(u < p_pos + p_neg, "neg", "neu"))

    # Authors: users who had joined by the post's day (users are sorted by joined_on),
    # a few heavy posters writing most; the rest are anonymous forum names.
    joined_sec = np.array([np.datetime64(u_.joined_on, "s").astype(np.int64) for u_ in users])
    n_joined_at = np.searchsorted(joined_sec, day_sec[d_idx], side="right")
    post_weight = np.cumsum(rs.lognormal(0.0, 0.8, len(users)))
    handles = [u_.handle for u_ in users]
    others_by_code = {
        inst.code: [o.aliases[0] for o in insts
                    if o.code != inst.code and o.category == inst.category and o.aliases]
        for inst in insts}
    rows: list[tuple[object, ...]] = []
    for k in range(n):
        inst = insts[c_idx[k]]
        day = days[d_idx[k]].date()
        text = compose_post(rs, str(tones[k]), name_zh=inst.name_zh,
                            short_code=inst.short_code, aliases=inst.aliases,
                            other_aliases=others_by_code[inst.code], handles=handles,
                            move_pct=float(move_pct[k]))
        n_joined = int(n_joined_at[k])
        if n_joined > 0 and rs.random_sample() < 0.72:
            pick = int(np.searchsorted(post_weight[:n_joined],
                                       rs.random_sample() * post_weight[n_joined - 1],
                                       side="right"))
            author = handles[min(pick, n_joined - 1)]
        else:
            prefix = FORUM_NAME_PREFIXES[rs.randint(len(FORUM_NAME_PREFIXES))]
            author = f"{prefix}{rs.randint(100000, 99999999)}"
        reads = int(math.exp(rs.normal(5.3, 1.1)) * (1.6 if reaction[k] else 1.0)) + 1
        comments = int(rs.poisson(math.sqrt(reads) / 4))
        rows.append((k + 1, inst.code, text, author, iso_at(day, int(sec_of_day[k])),
                     reads, comments, DEMO_POST_SOURCE))
    return rows


# --------------------------------------------------------------------------- main

def universe_rows() -> list[tuple[str, ...]]:
    return sorted((i.code, i.name_zh, i.name_en, i.kind, i.market, i.currency, i.yahoo,
                   i.category, i.calendar) for i in UNIVERSE)


def generate(out_dir: Path, seed: int = DEMO_SEED) -> dict[str, int]:
    """Write every demo CSV into ``out_dir``; return data-row counts per file name."""
    out_dir.mkdir(parents=True, exist_ok=True)
    counts: dict[str, int] = {}
    counts["universe.csv"] = write_csv(
        out_dir / "universe.csv",
        ("code", "name_zh", "name_en", "kind", "market", "currency", "yahoo", "category",
         "calendar"), universe_rows())
    book = simulate_prices(seed)
    counts["prices.csv"] = write_csv(out_dir / "prices.csv", ("date", "code", "close", "source"),
                                     price_rows(book))
    users = make_users(seed)
    counts["users.csv"] = write_csv(
        out_dir / "users.csv", ("user_id", "handle", "display_name", "joined_on"),
        ((u.user_id, u.handle, u.display_name, u.joined_on.isoformat()) for u in users))
    portfolios = make_portfolios(seed, users, book)
    counts["portfolios.csv"] = write_csv(
        out_dir / "portfolios.csv",
        ("portfolio_id", "owner_id", "name", "description", "style", "visibility",
         "created_on", "closed_on"),
        ((p.portfolio_id, p.owner_id, p.name, p.description, p.style, p.visibility,
          p.created_on.isoformat(), p.closed_on.isoformat() if p.closed_on else "")
         for p in portfolios))
    counts["portfolio_versions.csv"] = write_csv(
        out_dir / "portfolio_versions.csv", ("portfolio_id", "version", "placed_at", "note"),
        ((p.portfolio_id, v, placed, note) for p in portfolios
         for v, (placed, note, _) in enumerate(p.versions, start=1)))
    counts["portfolio_weights.csv"] = write_csv(
        out_dir / "portfolio_weights.csv", ("portfolio_id", "version", "code", "weight_bp"),
        ((p.portfolio_id, v, code, bp) for p in portfolios
         for v, (_, _, weights) in enumerate(p.versions, start=1) for code, bp in weights))
    counts["follows.csv"] = write_csv(out_dir / "follows.csv",
                                      ("user_id", "portfolio_id", "since"),
                                      make_follows(seed, users, portfolios))
    counts["copies.csv"] = write_csv(
        out_dir / "copies.csv",
        ("copy_id", "user_id", "portfolio_id", "started_on", "amount_cny", "fee_bps",
         "delay_sessions", "min_position_cny", "stop_loss_pct"),
        make_copies(seed, users, portfolios))
    counts["posts.csv"] = write_csv(
        out_dir / "posts.csv",
        ("post_id", "code", "text", "author", "published_at", "reads", "comments", "source"),
        make_posts(seed, users, book))
    return counts


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m socialfund.demo.generate",
                                     description="Write the offline demo data set.")
    parser.add_argument("--out", type=Path, default=Path("data"),
                        help="output folder (default: data)")
    parser.add_argument("--seed", type=int, default=DEMO_SEED,
                        help=f"RandomState seed (default: {DEMO_SEED}, the committed data)")
    args = parser.parse_args(argv)
    t0 = time.perf_counter()
    counts = generate(args.out, args.seed)
    elapsed = time.perf_counter() - t0
    total = 0
    for name in FILES:
        size = (args.out / name).stat().st_size
        total += size
        print(f"{name:24s} {counts[name]:>7d} rows {size / 1024:>9.1f} KiB")
    print(f"{'total':24s} {sum(counts.values()):>7d} rows {total / 1024:>9.1f} KiB "
          f"in {elapsed:.1f} s -> {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
