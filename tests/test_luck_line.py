"""Issue 18.1 and 18.2: the luck line from comparable trials and one Sharpe on the leaderboard.

Worlds of independent normal daily returns, seeded. A "full-window" portfolio has the 1Y
window's 252 returns; a "short record" starts late and has 60–246 of them (it is screened,
so it counts among the N trials, but does not cover the window, so it is not listed).
"""

from __future__ import annotations

import datetime as dt
import math

import numpy as np
import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from socialfund.core import sharpe_inference as si
from socialfund.core.metrics import risk_free_per_period
from socialfund.core.panel import panel_metrics
from socialfund.core.ranking_rules import LeaderboardRules, rank_portfolios, screen_summary

INDEX = pd.bdate_range("2025-01-01", periods=253)   # 253 NAVs = the 1Y window's 252 returns
AS_OF = INDEX[-1].date()
SIGMA = 0.01                                       # daily volatility of every portfolio


def _meta(n: int) -> pd.DataFrame:
    return pd.DataFrame({
        "portfolio_id": range(1, n + 1), "name": [f"p{i}" for i in range(1, n + 1)], "visibility": "public",
        "owner_id": 1, "created_on": INDEX[0].date(), "closed_on": None,
        "last_rebalance_at": pd.Timestamp(AS_OF - dt.timedelta(days=5)).tz_localize("Asia/Shanghai"),
        "category": "broad", "followers": 0, "copiers": 0})


def _world(true_sharpes: np.ndarray, lengths: np.ndarray, seed: int) -> tuple[pd.DataFrame, pd.DataFrame]:
    """NAVs of portfolios with the given true daily Sharpe ratios and numbers of returns (a
    record shorter than 252 starts late: NaN NAV before its first session)."""
    rng = np.random.default_rng(seed)
    returns = rng.normal(0.0, 1.0, (len(INDEX) - 1, len(true_sharpes))) * SIGMA + true_sharpes * SIGMA
    nav = np.vstack([np.ones((1, len(true_sharpes))), np.cumprod(1 + returns, axis=0)])
    for j, length in enumerate(lengths):
        nav[: len(INDEX) - 1 - length, j] = np.nan
    frame = pd.DataFrame(nav, index=INDEX, columns=pd.Index(range(1, len(true_sharpes) + 1), name="portfolio_id"))
    return frame, _meta(len(true_sharpes))


def _luck_noise(n_trials: int, luck: float) -> float:
    """One standard deviation of the luck line from sampling alone: the line scales with
    √V_z, and a sample variance of N near-normal values has relative sd √(2/(N − 1)), so
    √V_z has about half that."""
    return luck * 0.5 * math.sqrt(2.0 / (n_trials - 1))


def test_short_records_with_the_same_true_sharpe_do_not_move_the_luck_line() -> None:
    """200 full-window portfolios plus 200 short records, all with the same true Sharpe
    (0.8 a year), give the same luck line as 400 full-window ones, within two sampling
    standard deviations. (Pooling raw Sharpe ratios, as rules 2026.11-1 did, the short
    records' noisier estimates raised the line by about a fifth.)"""
    rng = np.random.default_rng(18)
    skill = np.full(400, 0.8 / math.sqrt(252))
    short = rng.integers(60, 247, 200)
    full_nav, full_meta = _world(skill, np.full(400, 252), seed=1)
    mixed_nav, mixed_meta = _world(skill, np.concatenate([np.full(200, 252), short]), seed=1)
    full = screen_summary(full_nav, full_meta, "1Y", AS_OF)
    mixed = screen_summary(mixed_nav, mixed_meta, "1Y", AS_OF)
    assert full.n_screened == mixed.n_screened == 400
    assert mixed.n_eligible == 200    # the short records are trials, not listed
    noise = _luck_noise(400, full.expected_best_sharpe)
    assert abs(mixed.expected_best_sharpe - full.expected_best_sharpe) <= 2 * noise, (full, mixed)
    assert abs(mixed.luck_z - full.luck_z) <= 2 * _luck_noise(400, full.luck_z)
    # the full-window portfolios that both worlds share keep their order
    a = rank_portfolios(full_nav, full_meta, "1Y", AS_OF)
    b = rank_portfolios(mixed_nav, mixed_meta, "1Y", AS_OF)
    shared = a.loc[a["portfolio_id"] <= 200, "portfolio_id"].tolist()
    assert b["portfolio_id"].tolist() == shared


def test_pure_noise_short_records_do_not_lower_the_top_dsr() -> None:
    """200 full-window portfolios whose true Sharpe ratios differ (sd 1.4 a year: some have
    skill) and 200 short records of pure noise (true Sharpe 0, 60–120 returns): the leader's
    DSR is no lower than among the full-window portfolios alone. Standardised, a noise
    record's z is N(0, 1) whatever its length, less dispersed than the skilled ones', so it
    lowers V_z by more than doubling N raises the expected maximum; pooled raw Sharpes
    (rules 2026.11-1) let the short records' noise of about 1/(n − 1) inflate V and lowered
    the leader's DSR."""
    rng = np.random.default_rng(5)
    skill = rng.normal(0.0, 1.4, 200) / math.sqrt(252)
    alone_nav, alone_meta = _world(skill, np.full(200, 252), seed=2)
    noise_nav, _ = _world(np.zeros(200), rng.integers(60, 121, 200), seed=3)
    noise_nav.columns = pd.Index(range(201, 401), name="portfolio_id")
    with_nav = pd.concat([alone_nav, noise_nav], axis=1)
    alone = rank_portfolios(alone_nav, alone_meta, "1Y", AS_OF)
    with_noise = rank_portfolios(with_nav, _meta(400), "1Y", AS_OF)
    assert with_noise.attrs["screen_summary"].n_screened == 400
    assert with_noise["dsr"].iloc[0] >= alone["dsr"].iloc[0], (alone["dsr"].iloc[0], with_noise["dsr"].iloc[0])
    assert with_noise["portfolio_id"].tolist() == alone["portfolio_id"].tolist()


# --------------------------------------------------------------------------- one Sharpe

#: Daily returns: anything from −5 % to +5 %, or exactly the risk-free rate plus ± the same
#: step (an excess mean of 0 up to rounding, where the Sharpe's sign is decided by noise).
_step = st.floats(0.0001, 0.05, allow_nan=False)


@st.composite
def _portfolio(draw: st.DrawFn, rf_p: float, sessions: int) -> list[float]:
    if draw(st.booleans()):
        return draw(st.lists(st.floats(-0.05, 0.05, allow_nan=False), min_size=sessions, max_size=sessions))
    steps = draw(st.lists(_step, min_size=sessions // 2, max_size=sessions // 2))
    paired = [rf_p + s for s in steps] + [rf_p - s for s in steps]
    order = draw(st.permutations(range(len(paired))))
    return [paired[i] for i in order] + [rf_p] * (sessions - len(paired))


@settings(max_examples=60, deadline=None)
@given(data=st.data(), rf=st.floats(0.0, 0.08), sessions=st.integers(8, 30), count=st.integers(2, 6))
def test_sharpe_is_positive_exactly_when_psr_is_above_a_half(data: st.DataObject, rf: float, sessions: int,
                                                             count: int) -> None:
    """Issue 18.2: the Sharpe column, PSR and DSR are one excess-return Sharpe, so on every
    listed row Sharpe > 0 exactly when PSR > 0.5, at any risk-free rate."""
    rf_p = risk_free_per_period(rf)
    columns = [data.draw(_portfolio(rf_p, sessions)) for _ in range(count)]
    returns = np.array(columns, dtype=float).T
    index = pd.bdate_range("2026-01-05", periods=sessions + 1)
    nav = pd.DataFrame(np.vstack([np.ones((1, count)), np.cumprod(1 + returns, axis=0)]), index=index,
                       columns=pd.Index(range(1, count + 1), name="portfolio_id"))
    meta = _meta(count).assign(created_on=index[0].date(), last_rebalance_at=pd.Timestamp(index[-1]).tz_localize(
        "Asia/Shanghai"))
    rules = LeaderboardRules(min_sessions=5, risk_free_rate=rf)
    board = rank_portfolios(nav, meta, "all", index[-1].date(), rules)
    for row in board.itertuples():
        assert (row.sharpe > 0) == (row.psr > 0.5), row


def test_the_chart_draws_each_rows_own_luck_line() -> None:
    """The Sharpe-by-rank chart compares each bar with that portfolio's luck line, in the same
    (excess, annualised) units: the dashed trace is the table's luck_sharpe, and a bar is above
    its point exactly when the row's DSR is above ½."""
    from socialfund.view.charts.leaderboard import sharpe_by_rank

    rng = np.random.default_rng(9)
    nav, meta = _world(rng.normal(0.0, 1.4, 60) / math.sqrt(252), rng.integers(150, 253, 60), seed=4)
    board = rank_portfolios(nav, meta, "all", AS_OF, LeaderboardRules(risk_free_rate=0.015))
    fig = sharpe_by_rank(board, title="t", luck_label="luck line", x_label="rank", y_label="Sharpe")
    bars, line = fig.data
    np.testing.assert_array_equal(np.asarray(bars.y, dtype=float), board["sharpe"].to_numpy(dtype=float))
    np.testing.assert_array_equal(np.asarray(line.y, dtype=float), board["luck_sharpe"].to_numpy(dtype=float))
    assert line.name == "luck line"
    assert fig.layout.annotations[0].text == f"luck line: {board['luck_sharpe'].iloc[0]:.2f}"
    assert ((board["sharpe"] > board["luck_sharpe"]) == (board["dsr"] > 0.5)).all()
    assert (board["dsr"] > 0.5).any() and (board["dsr"] < 0.5).any()


def test_an_excess_mean_of_zero_up_to_rounding_is_a_sharpe_of_zero() -> None:
    """Returns of exactly rf_p ± d in pairs have an excess mean of 0 but for the rounding of the
    mean, whose sign is noise; Φ cannot tell a t-statistic that small from ½, so the panel
    sets such a Sharpe to 0 (PSR ½) and the Sharpe's sign still agrees with PSR − ½. Without
    that, about a third of these columns showed Sharpe > 0 next to PSR = 0.5 (or the reverse)."""
    rng = np.random.default_rng(11)
    index = pd.bdate_range("2026-01-05", periods=20)
    for rf in rng.uniform(0.0, 0.08, 40):
        rf_p = risk_free_per_period(float(rf))
        steps = rng.uniform(0.0001, 0.05, (10, 50))
        returns = np.concatenate([rf_p + steps, rf_p - steps])[rng.permutation(20)]
        panel = panel_metrics(pd.DataFrame(returns, index=index), float(rf))
        psr = si.psr_from_moments(panel["n"], panel["sr"], panel["skew"], panel["kurt"], 0.0)
        assert (panel["sr"] == 0).all() and (panel["sharpe"] == 0).all() and (psr == 0.5).all()
    # a real excess return, however small against its noise, keeps its sign
    small = pd.DataFrame({"up": [0.01, -0.01] * 10, "down": [0.01, -0.01] * 10}, index=index)
    small["up"] += 1e-9
    small["down"] -= 1e-9
    panel = panel_metrics(small)
    psr = si.psr_from_moments(panel["n"], panel["sr"], panel["skew"], panel["kurt"], 0.0)
    assert panel["sharpe"][0] > 0 and psr[0] > 0.5 and panel["sharpe"][1] < 0 and psr[1] < 0.5
