"""Leaderboard ranking rules: visibility, gates, closed portfolios, no look-ahead, luck correction."""

from __future__ import annotations

import datetime as dt
import math

import numpy as np
import pandas as pd
import pytest

from socialfund.core import metrics as m
from socialfund.core import sharpe_inference as si
from socialfund.core.errors import ValidationError
from socialfund.core.ranking_rules import (OUTPUT_COLUMNS, RULES_VERSION, LeaderboardRules, rank_portfolios,
                                           screen_summary, screen_table)

INDEX = pd.bdate_range("2024-01-01", periods=300)
AS_OF = INDEX[249].date()       # rank at session 250; sessions after it exist (look-ahead bait)


def _world(n: int = 40, seed: int = 0):
    rng = np.random.default_rng(seed)
    drift = rng.normal(0.0004, 0.0006, n)
    returns = rng.normal(0, 1, (len(INDEX), n)) * rng.uniform(0.004, 0.02, n) + drift
    nav = pd.DataFrame(np.cumprod(1 + returns, axis=0), index=INDEX, columns=pd.Index(range(1, n + 1), name="portfolio_id"))
    meta = pd.DataFrame({
        "portfolio_id": range(1, n + 1),
        "name": [f"组合{i}" for i in range(1, n + 1)],
        "visibility": "public",
        "owner_id": rng.integers(1, 10, n),
        "created_on": INDEX[0].date(),
        "closed_on": None,
        "last_rebalance_at": pd.Timestamp(AS_OF - dt.timedelta(days=10)).tz_localize("Asia/Shanghai"),
        "category": "broad",
        "followers": rng.integers(0, 1000, n),
        "copiers": rng.integers(0, 100, n),
    })
    return nav, meta


def test_output_shape_and_order():
    nav, meta = _world()
    board = rank_portfolios(nav, meta, "6M", AS_OF)
    assert tuple(board.columns) == OUTPUT_COLUMNS
    assert list(board["rank"]) == list(range(1, len(board) + 1))
    assert board["dsr"].is_monotonic_decreasing
    assert (board["sessions"] == 126).all()
    assert board["risk_class"].between(1, 7).all()
    summary = board.attrs["screen_summary"]
    assert summary.rules_version == RULES_VERSION and summary.n_screened == 40 and summary.n_eligible == 40
    # The returns it ranks on are exactly the last 126 daily returns up to as_of.
    window = nav.loc[:pd.Timestamp(AS_OF)].iloc[-127:].pct_change()
    top = board.iloc[0]
    assert top["sharpe"] == pytest.approx(m.sharpe(window[top["portfolio_id"]]), rel=1e-12)
    assert top["max_drawdown"] == pytest.approx(m.max_drawdown(window[top["portfolio_id"]]), rel=1e-12)
    assert top["psr"] == pytest.approx(si.probabilistic_sharpe_ratio(window[top["portfolio_id"]]), rel=1e-12)
    series = window[top["portfolio_id"]]
    assert top["volatility"] == pytest.approx(m.annual_volatility(series), rel=1e-12)
    assert top["total_return"] == pytest.approx(m.total_return(series), rel=1e-12)
    assert top["risk_class"] == m.srri_class(series)
    assert (board["dsr"] <= board["psr"] + 1e-12).all()


def test_only_public_portfolios_ever_appear():
    nav, meta = _world()
    # Make the private/unlisted ones the best performers by far.
    meta.loc[meta["portfolio_id"].isin([3, 4]), "visibility"] = "private"
    meta.loc[meta["portfolio_id"] == 5, "visibility"] = "unlisted"
    meta.loc[meta["portfolio_id"] == 6, "visibility"] = "Public"   # not exactly 'public'
    for pid in (3, 4, 5, 6):
        nav[pid] = np.cumprod(np.full(len(INDEX), 1.003) + np.random.default_rng(pid).normal(0, 1e-4, len(INDEX)))
    for window in ("1M", "3M", "6M", "1Y", "all"):
        for sort_by in ("dsr", "sharpe", "total_return", "volatility"):
            board = rank_portfolios(nav, meta, window, AS_OF, sort_by=sort_by, include_closed=True)
            assert not set(board["portfolio_id"]) & {3, 4, 5, 6}
            assert set(board["portfolio_id"]) <= set(meta.loc[meta["visibility"] == "public", "portfolio_id"])
    table, summary = screen_table(nav, meta, "all", AS_OF)
    assert not set(table["portfolio_id"]) & {3, 4, 5, 6}
    assert summary.n_screened == 36   # hidden portfolios are not even screened


def test_gates_track_record_coverage_and_activity():
    nav, meta = _world()
    nav.loc[: INDEX[209], 1] = np.nan    # 39 daily returns at as_of: too short
    nav.loc[: INDEX[200], 2] = np.nan    # 48 daily returns: still under 60
    nav.loc[: INDEX[150], 3] = np.nan    # 98 returns: enough, but starts inside the 6M window
    meta.loc[meta["portfolio_id"] == 4, "last_rebalance_at"] = pd.Timestamp("2024-01-05T10:00+08:00")   # stale
    meta.loc[meta["portfolio_id"] == 5, "last_rebalance_at"] = \
        pd.Timestamp(AS_OF - dt.timedelta(days=90)).tz_localize("Asia/Shanghai")   # exactly 90 days: ok
    table, _ = screen_table(nav, meta, "6M", AS_OF)
    reasons = table.set_index("portfolio_id")["reason"]
    assert "track record" in reasons[1] and "track record" in reasons[2]
    assert reasons[3] == "does not cover the whole window"
    assert "no rebalance" in reasons[4]
    assert reasons[5] == ""
    board6 = rank_portfolios(nav, meta, "6M", AS_OF)
    assert not set(board6["portfolio_id"]) & {1, 2, 3, 4}
    assert 5 in set(board6["portfolio_id"])
    board_all = rank_portfolios(nav, meta, "all", AS_OF)
    assert 3 in set(board_all["portfolio_id"]) and not set(board_all["portfolio_id"]) & {1, 2, 4}
    # Ineligible portfolios with a full sample (3: coverage, 4: activity) were still
    # screened and count towards N; 1 and 2 have under 60 returns, too few to screen.
    assert board6.attrs["screen_summary"].n_screened == 38
    assert board6.attrs["screen_summary"].n_eligible == 36


def test_closed_portfolios_are_kept_in_history():
    nav, meta = _world()
    close_day = INDEX[230]
    nav.loc[nav.index > close_day, 7] = np.nan
    meta.loc[meta["portfolio_id"] == 7, "closed_on"] = close_day.date()
    meta.loc[meta["portfolio_id"] == 7, "last_rebalance_at"] = pd.Timestamp("2024-02-01T10:00+08:00")
    hidden = rank_portfolios(nav, meta, "all", AS_OF)
    shown = rank_portfolios(nav, meta, "all", AS_OF, include_closed=True)
    assert 7 not in set(hidden["portfolio_id"])
    assert shown.loc[shown["portfolio_id"] == 7, "closed"].item() is True
    assert not shown.loc[shown["portfolio_id"] != 7, "closed"].any()
    assert hidden.attrs["screen_summary"].n_screened == shown.attrs["screen_summary"].n_screened == 40
    # Its metrics stop at the close: 230 returns.
    assert shown.loc[shown["portfolio_id"] == 7, "sessions"].item() == 230
    # Closed inside a fixed window: not compared on that window (a few sessions would
    # make a meaningless Sharpe); with 44 of 63 returns it is not screened there either.
    quarter = rank_portfolios(nav, meta, "3M", AS_OF, include_closed=True)
    assert 7 not in set(quarter["portfolio_id"])
    assert quarter.attrs["screen_summary"].n_screened == 39
    table, _ = screen_table(nav, meta, "3M", AS_OF)
    assert table.set_index("portfolio_id").loc[7, "reason"] == "too few returns in the window"
    # Ranked at a date before it closed, it is simply open.
    early = rank_portfolios(nav, meta.assign(last_rebalance_at=pd.Timestamp("2024-09-01T10:00+08:00")),
                            "all", INDEX[200].date())
    assert not early["closed"].any()


def test_no_look_ahead_prices_after_as_of_do_not_matter():
    nav, meta = _world(seed=4)
    base = rank_portfolios(nav, meta, "3M", AS_OF)
    shocked = nav.copy()
    after = shocked.index > pd.Timestamp(AS_OF)
    shocked.loc[after] = shocked.loc[after] * np.random.default_rng(1).uniform(0.1, 3, (after.sum(), nav.shape[1]))
    shocked.loc[after, 9] = np.nan  # even closing/vanishing later changes nothing
    again = rank_portfolios(shocked, meta, "3M", AS_OF)
    pd.testing.assert_frame_equal(base, again)
    assert base.attrs["screen_summary"] == again.attrs["screen_summary"]
    truncated = rank_portfolios(nav.loc[:pd.Timestamp(AS_OF)], meta, "3M", AS_OF)
    pd.testing.assert_frame_equal(base, truncated)


def test_future_meta_does_not_leak_and_activity_is_used():
    nav, meta = _world(seed=5)
    later = meta.copy()
    later.loc[later["portfolio_id"] == 2, "created_on"] = INDEX[280].date()   # created after as_of
    later.loc[later["portfolio_id"] == 3, "closed_on"] = INDEX[280].date()    # closed after as_of: open
    board = rank_portfolios(nav, later, "all", AS_OF, include_closed=True)
    assert 2 not in set(board["portfolio_id"])
    assert board.loc[board["portfolio_id"] == 3, "closed"].item() is False
    future = meta.assign(last_rebalance_at=pd.Timestamp(INDEX[290]).tz_localize("Asia/Shanghai"))
    with pytest.raises(ValidationError, match="after as_of"):
        rank_portfolios(nav, future, "all", AS_OF)
    activity = pd.DataFrame({
        "portfolio_id": list(range(1, 41)) * 2,
        "at": [pd.Timestamp("2024-01-02T10:00+08:00")] * 40 + [pd.Timestamp(INDEX[290]).tz_localize("Asia/Shanghai")] * 40,
    })
    # Only the January rebalance is known at as_of: everyone is stale.
    assert rank_portfolios(nav, future, "all", AS_OF, activity=activity).empty


def test_sorting_and_popularity_not_used():
    nav, meta = _world(seed=6)
    by_vol = rank_portfolios(nav, meta, "1Y", AS_OF, sort_by="volatility")
    assert by_vol["volatility"].is_monotonic_increasing
    by_dd = rank_portfolios(nav, meta, "1Y", AS_OF, sort_by="max_drawdown")
    assert by_dd["max_drawdown"].is_monotonic_decreasing
    by_tr = rank_portfolios(nav, meta, "1M", AS_OF, sort_by="total_return")
    assert by_tr["total_return"].is_monotonic_decreasing
    popular = meta.assign(followers=meta["followers"][::-1].to_numpy() * 100, copiers=0)
    a = rank_portfolios(nav, meta, "1Y", AS_OF)
    b = rank_portfolios(nav, popular, "1Y", AS_OF)
    assert list(a["portfolio_id"]) == list(b["portfolio_id"])
    assert list(b["followers"]) != list(a["followers"])
    with pytest.raises(ValidationError, match="unknown sort"):
        rank_portfolios(nav, meta, "1Y", AS_OF, sort_by="followers")
    with pytest.raises(ValidationError, match="unknown window"):
        rank_portfolios(nav, meta, "2Y", AS_OF)
    with pytest.raises(ValidationError, match="missing column"):
        rank_portfolios(nav, meta.drop(columns=["copiers"]), "1Y", AS_OF)


def test_screen_summary_luck_line():
    """The luck line from comparable trials, recomputed from scipy's moments: z_i = SR̂_i/σ̂_i,
    Z* = expected_max_sharpe(N, var z), DSR_i = Φ(z_i − Z*), luck_sharpe_i = Z*·σ̂_i·√252."""
    from scipy import stats

    nav, meta = _world(seed=7)
    summary = screen_summary(nav, meta, "1Y", AS_OF)
    window = nav.loc[:pd.Timestamp(AS_OF)].iloc[-253:].pct_change().iloc[1:]
    sr = m.sharpe_per_period(window).to_numpy()
    skew = stats.skew(window, axis=0)
    kurt = stats.kurtosis(window, axis=0, fisher=False)
    se = np.sqrt((1 - skew * sr + (kurt - 1) / 4 * sr ** 2) / (len(window) - 1))
    z = sr / se
    z_star = si.expected_max_sharpe(40, float(np.var(z, ddof=1)))
    assert summary.n_screened == 40 and summary.reference_sessions == 252
    assert summary.z_variance == pytest.approx(float(np.var(z, ddof=1)), rel=1e-10)
    assert summary.luck_z == pytest.approx(z_star, rel=1e-10)
    assert summary.expected_best_sharpe_per_period == pytest.approx(z_star / math.sqrt(251), rel=1e-10)
    assert summary.expected_best_sharpe == pytest.approx(z_star / math.sqrt(251) * math.sqrt(252), rel=1e-10)
    board = rank_portfolios(nav, meta, "1Y", AS_OF).set_index("portfolio_id").sort_index()
    np.testing.assert_allclose(board["dsr"], stats.norm.cdf(z - z_star), rtol=1e-10)
    np.testing.assert_allclose(board["luck_sharpe"], z_star * se * math.sqrt(252), rtol=1e-10)
    # consistent with PSR: the DSR is the PSR against the row's own luck line
    for pid in board.index[:3]:
        psr_at_line = si.probabilistic_sharpe_ratio(window[pid], board.loc[pid, "luck_sharpe"] / math.sqrt(252))
        assert board.loc[pid, "dsr"] == pytest.approx(psr_at_line, rel=1e-10)
    assert ((board["sharpe"] > board["luck_sharpe"]) == (board["dsr"] > 0.5)).all()


def test_rules_description():
    rules = LeaderboardRules()
    assert (rules.min_sessions, rules.max_days_since_rebalance, rules.default_sort) == (60, 90, "dsr")
    assert dict(rules.windows) == {"1M": 21, "3M": 63, "6M": 126, "1Y": 252, "all": None}
    assert rules.version == RULES_VERSION  # the text: tests/test_leaderboard_service.py
    with pytest.raises(ValidationError):
        LeaderboardRules(default_sort="followers")
    strict = LeaderboardRules(min_sessions=250)
    nav, meta = _world()
    assert rank_portfolios(nav, meta, "all", AS_OF, rules=strict).shape[0] == 0
