"""Demo portfolios: styles, names, descriptions and the rebalance history (versions
with bp weights) of each invented portfolio, with skill planted in a minority through a
forward look at the simulated prices; the rows behind ``portfolios.csv``,
``portfolio_versions.csv`` and ``portfolio_weights.csv``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

import numpy as np

from socialfund.core.weights import normalise_to_bp
from socialfund.demo.common import END, START, iso_at, stage_rng
from socialfund.demo.prices import PriceBook
from socialfund.demo.universe import BY_CODE
from socialfund.demo.users import User

N_PORTFOLIOS = 300


def to_basis_points(weights: np.ndarray) -> list[int]:
    """Weights (any positive scale) → integer bp summing to exactly 10000, by the project's
    one rounding rule (``core.weights.normalise_to_bp``: largest remainder, exact). Positions
    are keyed in order, so ties go to the earlier position; a position rounding to 0 bp is 0."""
    keys = [f"{i:06d}" for i in range(len(weights))]
    bp = normalise_to_bp({k: float(w) for k, w in zip(keys, weights)})
    return [bp.get(k, 0) for k in keys]


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
