"""socialfund.services.leaderboard over the demo store: visibility, closed portfolios, sorts and
filters, no look-ahead, price alignment, survivorship, the rules' text."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest


from socialfund.market import sessions as market_sessions
from socialfund.core.ranking_rules import RULES_VERSION, LeaderboardRules
from socialfund.services import leaderboard
from socialfund.core.errors import ValidationError
from socialfund.market.providers import DemoProvider, PriceData
from socialfund.store import schema


@pytest.fixture(scope="module")
def inputs(demo_store, provider) -> leaderboard.CommunityNav:  # type: ignore[no-untyped-def]
    return leaderboard.community_nav(demo_store, provider)


def test_private_and_unlisted_portfolios_never_reach_the_leaderboard(demo_store, provider, meta, inputs) -> None:  # type: ignore[no-untyped-def]
    hidden = set(meta.loc[meta["visibility"] != "public", "portfolio_id"])
    assert len(hidden) >= 10, "the demo data should have private and unlisted portfolios"
    assert hidden.isdisjoint(inputs.nav.columns)
    assert hidden.isdisjoint(inputs.meta["portfolio_id"])
    for window in leaderboard.WINDOWS:
        table = leaderboard.leaderboard_table(demo_store, provider, window, include_closed=True, inputs=inputs)
        assert len(table) > 20
        assert hidden.isdisjoint(table["portfolio_id"]), window


def test_closed_portfolios_are_listed_only_when_asked_but_always_screened(demo_store, provider, inputs) -> None:  # type: ignore[no-untyped-def]
    default = leaderboard.leaderboard_table(demo_store, provider, "all", inputs=inputs)
    with_closed = leaderboard.leaderboard_table(demo_store, provider, "all", include_closed=True, inputs=inputs)
    assert not default["closed"].any()
    assert with_closed["closed"].sum() > 0
    assert default.attrs["screen_summary"].n_screened == with_closed.attrs["screen_summary"].n_screened
    assert list(with_closed["rank"]) == list(range(1, len(with_closed) + 1))


def test_default_order_is_by_deflated_sharpe_and_other_sorts_work(demo_store, provider, inputs) -> None:  # type: ignore[no-untyped-def]
    table = leaderboard.leaderboard_table(demo_store, provider, "1Y", inputs=inputs)
    dsr = table["dsr"].to_numpy(dtype=float)
    assert np.all(np.diff(dsr[np.isfinite(dsr)]) <= 1e-15)
    calmar = leaderboard.leaderboard_table(demo_store, provider, "all", sort_by="calmar", inputs=inputs)
    values = calmar["calmar"].to_numpy(dtype=float)
    finite = values[np.isfinite(values)]
    assert finite.size > 10 and np.all(np.diff(finite) <= 1e-12)
    with pytest.raises(ValidationError):
        leaderboard.leaderboard_table(demo_store, provider, "1Y", sort_by="followers", inputs=inputs)


def test_filters_hide_rows_without_changing_ranks(demo_store, provider, inputs) -> None:  # type: ignore[no-untyped-def]
    full = leaderboard.leaderboard_table(demo_store, provider, "1Y", inputs=inputs)
    risky = leaderboard.leaderboard_table(demo_store, provider, "1Y", risk_classes=[6, 7], min_track_sessions=300,
                                      inputs=inputs)
    assert 0 < len(risky) < len(full)
    assert set(risky["risk_class"]) <= {6, 7}
    assert (risky["track_sessions"] >= 300).all()
    ranks = dict(zip(full["portfolio_id"], full["rank"]))
    assert all(ranks[p] == r for p, r in zip(risky["portfolio_id"], risky["rank"]))


class _FutureChanged:
    """The demo prices with everything after ``cutoff`` replaced by noise."""

    def __init__(self, base: DemoProvider, cutoff: dt.date) -> None:
        self.base, self.cutoff = base, pd.Timestamp(cutoff)

    def universe(self):  # type: ignore[no-untyped-def]
        return self.base.universe()

    def closes(self, codes=None, start=None, end=None) -> PriceData:  # type: ignore[no-untyped-def]
        frame = self.base.closes(codes, start, end).closes.copy()
        later = frame.index > self.cutoff
        rng = np.random.default_rng(1)
        frame.loc[later] = frame.loc[later] * rng.uniform(0.5, 1.5, size=frame.loc[later].shape)
        return PriceData(frame)


def test_no_look_ahead_prices_after_as_of_do_not_change_the_ranking(demo_store, provider) -> None:  # type: ignore[no-untyped-def]
    as_of = dt.date(2026, 3, 31)
    real = leaderboard.leaderboard_table(demo_store, provider, "6M", as_of=as_of)
    changed = leaderboard.leaderboard_table(demo_store, _FutureChanged(provider, as_of), "6M", as_of=as_of)
    assert len(real) > 20
    assert real.attrs["as_of"] == as_of
    pd.testing.assert_frame_equal(real, changed)
    # and the future really would change a ranking computed on it
    later = leaderboard.leaderboard_table(demo_store, _FutureChanged(provider, as_of), "6M")
    assert not later[["portfolio_id", "dsr"]].equals(real[["portfolio_id", "dsr"]])


def test_us_closes_align_to_the_last_close_strictly_before_each_shanghai_session() -> None:
    idx = pd.DatetimeIndex(["2026-01-05", "2026-01-06", "2026-01-07", "2026-01-08"])
    closes = pd.DataFrame({"CN": [1.0, np.nan, 1.2, 1.3], "US": [10.0, 11.0, np.nan, 13.0]}, index=idx)
    sessions = pd.DatetimeIndex(["2026-01-05", "2026-01-06", "2026-01-07", "2026-01-08"])
    out = market_sessions.align_to_sessions(closes, sessions, {"CN": "XSHG", "US": "XNYS"})
    assert np.isnan(out["CN"].iloc[1])            # a CN gap stays a gap
    assert np.isnan(out["US"].iloc[0])            # no US close before the first session
    assert list(out["US"].iloc[1:]) == [10.0, 11.0, 11.0]  # the previous US close, never the same day's


def test_a_deleted_public_portfolio_stays_in_the_record_as_closed(tmp_path, provider) -> None:  # type: ignore[no-untyped-def]
    """Survivorship: deleting a public portfolio does not shrink the number screened."""
    from socialfund.store import open_store
    from socialfund.store.demo import ensure_demo
    from socialfund.core.timeutil import utcnow

    store = open_store(f"sqlite:///{tmp_path / 'del.db'}")
    ensure_demo(store)
    before = leaderboard.leaderboard_table(store, provider, "all", include_closed=True)
    victim = int(before.loc[~before["closed"], "portfolio_id"].iloc[0])
    with store.write() as conn:
        conn.execute(schema.portfolios.update().where(schema.portfolios.c.id == victim).values(deleted_at=utcnow()))
    after = leaderboard.leaderboard_table(store, provider, "all", include_closed=True)
    assert after.attrs["screen_summary"].n_screened == before.attrs["screen_summary"].n_screened
    assert bool(after.loc[after["portfolio_id"] == victim, "closed"].iloc[0])
    assert victim not in set(leaderboard.leaderboard_table(store, provider, "all")["portfolio_id"])


def test_rules_description_names_the_version_and_parameters() -> None:
    rules = LeaderboardRules()
    assert RULES_VERSION in leaderboard.rules_description(rules, "en")
    assert "60 sessions" in leaderboard.rules_description(rules, "en")
    assert RULES_VERSION in leaderboard.rules_description(rules, "zh")
    assert "仅含公开组合" in leaderboard.rules_description(rules, "zh")


def test_rules_description_text_is_unchanged() -> None:
    """The published text of rules 2026.12-1 word for word (the luck line from comparable
    trials and one excess-return Sharpe, issue 18)."""
    rules = LeaderboardRules(min_sessions=120, max_days_since_rebalance=30, default_sort="sharpe",
                             risk_free_rate=0.0225)
    assert leaderboard.rules_description(rules, "en") == (
        "Leaderboard rules 2026.12-1. Only public portfolios. Eligible: at least 120 sessions of track record up to "
        "the ranking date; a NAV over the whole window (1M/3M/6M/1Y = 21/63/126/252 sessions; 'all' = each "
        "portfolio's full history); rebalanced or confirmed within 30 days (closed portfolios are exempt and are "
        "kept in the screened count, so there is no survivorship bias). Screened = public portfolios with at least "
        "min(120, window) daily returns in the window. Default order: Sharpe ratio (annualised), i.e. the "
        "probability that the true Sharpe beats the best Sharpe the screened number of portfolios would reach by "
        "luck. The luck hurdle comes from comparable trials: each portfolio's Sharpe is first divided by its own "
        "standard error (the PSR denominator with its own number of returns, skewness and kurtosis), and the "
        "expected maximum of N is taken over these standardised Sharpes, so short, noisy records do not raise "
        "every portfolio's hurdle. Returns are time-weighted daily NAV returns; the Sharpe, PSR, DSR and luck line "
        "are all on the excess return over a 2.25% annual risk-free rate, the Sharpe annualised with 252 sessions "
        "a year. Followers and copiers are shown, never used to rank. Only data up to the ranking date is used.")
    assert leaderboard.rules_description(LeaderboardRules(), "zh") == (
        "排行榜规则 2026.12-1。仅含公开组合。入榜条件：截至排名日至少 60 个交易日的业绩记录；覆盖整个统计区间"
        "（1M/3M/6M/1Y = 21/63/126/252 个交易日，“all” 为各组合全部历史）；最近 90 天内调仓或确认持仓（已关闭组合"
        "免此条件，并始终计入筛选总数，避免幸存者偏差）。筛选总数 = 区间内至少有 min(60, 区间长度) 个日收益的公开"
        "组合。默认排序：紧缩夏普比率（扣除运气），即真实夏普比率超过“同等数量组合仅凭运气可达到的最高夏普”的概率。"
        "运气门槛取自可比的试验：每个组合的夏普先除以它自己的标准误（PSR 的分母，用它自己的收益个数、偏度与峰度），"
        "再对这些标准化夏普取 N 个中的期望最大值，因此记录短、噪声大的组合不会抬高所有组合的门槛。"
        "收益为时间加权的每日净值收益；夏普、PSR、DSR 与运气线都按超过无风险利率（年化 0.00%）的超额收益计算，"
        "夏普按每年 252 个交易日年化。关注数与跟投数仅作展示，不参与排名。只使用排名日及之前的数据。")


def test_one_sharpe_on_the_demo_leaderboard(demo_store, provider, inputs) -> None:  # type: ignore[no-untyped-def]
    """Issue 18.2 on the demo store: in every window, a row's Sharpe (over the 1.5 % risk-free
    rate) is above 0 exactly when its PSR is above ½, and above its luck line exactly when its
    DSR is above ½ (before, five 1Y rows showed Sharpe < 0 next to PSR > 0.5)."""
    for window in leaderboard.WINDOWS:
        table = leaderboard.leaderboard_table(demo_store, provider, window, include_closed=True, rf=0.015,
                                              inputs=inputs)
        assert len(table) > 20
        assert ((table["sharpe"] > 0) == (table["psr"] > 0.5)).all(), window
        assert ((table["sharpe"] > table["luck_sharpe"]) == (table["dsr"] > 0.5)).all(), window


def test_every_sort_has_a_label_in_both_languages() -> None:
    from socialfund.view.i18n import keys

    assert {f"lb.sort.{k}" for k in leaderboard.SORT_KEYS} <= keys()


def test_filter_rows_hides_rows_without_reranking() -> None:
    import pandas as pd

    from socialfund.services.leaderboard import filter_rows, table_styles

    table = pd.DataFrame({"rank": [1, 2, 3], "risk_class": [3, 4, 3], "style": ["a", None, "b"],
                          "track_sessions": [10, 300, 500]})
    assert filter_rows(table).equals(table)
    assert list(filter_rows(table, risk_classes=[3])["rank"]) == [1, 3]
    assert list(filter_rows(table, styles=["b"])["rank"]) == [3]
    assert list(filter_rows(table, min_track_sessions=200)["rank"]) == [2, 3]
    assert list(filter_rows(table, min_track_sessions=0)["rank"]) == [1, 2, 3]
    assert table_styles(table) == ["a", "b"]
