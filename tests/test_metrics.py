"""Metrics against empyrical, edge cases, PSR/DSR, SRRI and the metrics CLI."""

from __future__ import annotations

import json
import math

import empyrical as ep
import numpy as np
import pandas as pd
import pytest
from scipy import stats

from socialfund.core import metrics as m
from socialfund.core import relative_metrics as rel
from socialfund.core import sharpe_inference as si
from socialfund.core.panel import panel_metrics
from socialfund.cli import main as cli_main
from socialfund.core.errors import ValidationError
from socialfund.io.returns_file import read_returns_csv


def _sessions(n: int, start: str = "2021-01-04") -> pd.DatetimeIndex:
    return pd.bdate_range(start, periods=n)


def _series_bank() -> dict[str, pd.Series]:
    rng = np.random.default_rng(20261125)
    n = 700
    idx = _sessions(n)
    normal = pd.Series(rng.normal(0.0004, 0.011, n), index=idx)
    fat = pd.Series(stats.t.rvs(3, size=n, random_state=rng) * 0.008 + 0.0002, index=idx)
    # "Real-looking": a CSI-300-like path with a volatile crash regime, holiday gaps
    # (NaN) and a leading stretch before the portfolio existed.
    vol = np.where((np.arange(n) > 250) & (np.arange(n) < 330), 0.028, 0.012)
    real = pd.Series(rng.normal(0.0003, 1.0, n) * vol, index=idx)
    real.iloc[:40] = np.nan
    for k in (95, 96, 97, 98, 99, 270, 271, 410, 600, 601, 602):
        real.iloc[k] = np.nan
    losing = pd.Series(-np.abs(rng.normal(0.002, 0.01, n)), index=idx)  # all-negative days
    short = pd.Series(rng.normal(0.001, 0.02, 15), index=idx[:15])
    return {"normal": normal, "fat": fat, "real": real, "losing": losing, "short": short}


BANK = _series_bank()


def _rel(a: float, b: float) -> float:
    return abs(a - b) / max(abs(b), 1e-300)


@pytest.mark.parametrize("name", list(BANK))
def test_matches_empyrical_on_series(name):
    r = BANK[name]
    assert _rel(m.sharpe(r), ep.sharpe_ratio(r)) < 1e-9
    assert _rel(m.sortino(r), ep.sortino_ratio(r)) < 1e-9
    assert _rel(m.max_drawdown(r), ep.max_drawdown(r)) < 1e-9
    assert _rel(m.annual_volatility(r), ep.annual_volatility(r)) < 1e-9
    assert _rel(m.downside_risk(r), ep.downside_risk(r)) < 1e-9


@pytest.mark.parametrize("rf", [0.0, 0.02, 0.05])
def test_sharpe_risk_free_is_annual_and_converted_per_period(rf):
    r = BANK["real"]
    per_period = (1 + rf) ** (1 / 252) - 1
    assert _rel(m.sharpe(r, rf), ep.sharpe_ratio(r, risk_free=per_period)) < 1e-9
    assert m.risk_free_per_period(rf) == pytest.approx(per_period, rel=1e-15)
    if rf:
        assert m.sharpe(r, rf) < m.sharpe(r)


def test_matches_empyrical_on_dataframe_and_other_periods():
    frame = pd.DataFrame({k: v for k, v in BANK.items() if k != "short"})
    for ours, theirs in [
        (m.sharpe(frame), ep.sharpe_ratio(frame)),
        (m.sortino(frame), ep.sortino_ratio(frame)),
        (m.max_drawdown(frame), ep.max_drawdown(frame)),
        (m.annual_volatility(frame), ep.annual_volatility(frame)),
    ]:
        np.testing.assert_allclose(np.asarray(ours), np.asarray(theirs), rtol=1e-9)
    weekly = BANK["normal"].iloc[:200]
    assert _rel(m.sharpe(weekly, 0, 52), ep.sharpe_ratio(weekly, period="weekly")) < 1e-9
    assert _rel(m.annual_volatility(weekly, 52), ep.annual_volatility(weekly, period="weekly")) < 1e-9


def test_matches_empyrical_on_2d_array_with_nans_and_short_columns():
    """The 2-D ndarray path (one pass of moments over every column, NaN masks once) gives
    empyrical's values column by column to 1e-12: gaps, a leading stretch, an all-NaN
    column, a constant column and an all-negative one included."""
    rng = np.random.default_rng(16)
    x = rng.normal(0.0004, 0.01, (300, 40))
    x[rng.random(x.shape) < 0.05] = np.nan
    x[:120, 3] = np.nan
    x[:, 5] = np.nan
    x[:, 7] = 0.001
    x[:, 9] = -np.abs(x[:, 9])
    x[:298, 11] = np.nan          # two returns only
    # where empyrical gives inf (a constant column's ratios) or 0 (no returns) we say NaN
    for ours, theirs, special in [
        (m.sharpe(x), ep.sharpe_ratio(x), [5, 7]),
        (m.sortino(x), ep.sortino_ratio(x), [5, 7]),
        (m.max_drawdown(x), ep.max_drawdown(x), [5]),
        (m.annual_volatility(x), ep.annual_volatility(x), [5]),
    ]:
        ours, theirs = np.asarray(ours, dtype=float), np.asarray(theirs, dtype=float)
        assert ours.shape == (40,)
        assert np.isnan(ours[special]).all()
        rest = np.setdiff1d(np.arange(40), special)
        np.testing.assert_allclose(ours[rest], theirs[rest], rtol=1e-12, atol=1e-15)


def test_beta_alpha_match_empyrical():
    r, b = BANK["normal"], BANK["fat"]
    assert _rel(rel.beta(r, b), ep.beta(r, b)) < 1e-9
    assert _rel(rel.alpha(r, b), ep.alpha(r, b)) < 1e-9
    active = r - b
    assert rel.tracking_error(r, b) == pytest.approx(active.std(ddof=1) * math.sqrt(252), rel=1e-12)
    assert rel.information_ratio(r, b) == pytest.approx(active.mean() / active.std(ddof=1) * math.sqrt(252), rel=1e-12)


def test_total_return_cagr_calmar():
    r = BANK["normal"]
    assert m.total_return(r) == pytest.approx(float(np.prod(1 + r.values) - 1), rel=1e-12)
    # 700 sessions from 2021-01-04: the first return's period starts one average spacing earlier.
    days = (r.index[-1] - r.index[0]).days * 700 / 699
    expected = (1 + m.total_return(r)) ** (365.25 / days) - 1
    assert m.cagr(r) == pytest.approx(expected, rel=1e-12)
    assert m.calmar(r) == pytest.approx(m.cagr(r) / abs(m.max_drawdown(r)), rel=1e-12)


def test_cagr_needs_365_calendar_days():
    idx = pd.date_range("2024-01-01", periods=366, freq="D")
    nav = pd.Series(np.linspace(1, 1.1, 366), index=idx)
    returns = nav.pct_change()  # leading NaN: history starts at the first NAV date
    assert (idx[-2] - idx[0]).days == 364
    assert math.isnan(m.cagr(returns.iloc[:-1]))
    assert math.isnan(m.calmar(returns.iloc[:-1]))
    assert (idx[-1] - idx[0]).days == 365
    assert m.cagr(returns) == pytest.approx(1.1 ** (365.25 / 365) - 1, rel=1e-12)


def test_edge_cases_are_nan_not_fake_numbers():
    empty = pd.Series([], dtype=float, index=pd.DatetimeIndex([]))
    for value in m.summary(empty).values():
        assert math.isnan(value)
    one = pd.Series([0.01], index=_sessions(1))
    assert m.total_return(one) == pytest.approx(0.01)
    for f in (m.sharpe, m.sortino, m.annual_volatility, si.probabilistic_sharpe_ratio, m.cagr):
        assert math.isnan(f(one)), f.__name__
    flat = pd.Series([0.001] * 50, index=_sessions(50))
    assert m.annual_volatility(flat) == 0.0
    assert math.isnan(m.sharpe(flat))            # empyrical: inf
    assert math.isnan(m.sortino(flat))           # no downside: empyrical inf
    assert math.isnan(si.probabilistic_sharpe_ratio(flat))
    assert m.max_drawdown(flat) == 0.0
    all_nan = pd.Series([np.nan] * 10, index=_sessions(10))
    assert math.isnan(m.max_drawdown(all_nan))   # empyrical: 0
    assert math.isnan(m.total_return(all_nan))
    losing = BANK["losing"]
    assert m.sharpe(losing) < 0 and m.sortino(losing) < 0 and m.max_drawdown(losing) < -0.5
    assert m.max_drawdown_duration(losing) == len(losing)
    with pytest.raises(ValidationError):
        m.sharpe(pd.Series([0.1, np.inf]))
    with pytest.raises(ValidationError):
        m.sharpe(BANK["normal"], periods_per_year=0)
    with pytest.raises(ValidationError):
        m.sharpe([0.1, 0.2])


def test_leading_nan_changes_nothing():
    r = BANK["normal"]
    padded = pd.concat([pd.Series([np.nan] * 30, index=pd.bdate_range(end=r.index[0] - pd.Timedelta(days=3), periods=30)), r])
    for f in (m.sharpe, m.sortino, m.max_drawdown, m.annual_volatility, m.total_return,
              si.probabilistic_sharpe_ratio, m.max_drawdown_duration):
        assert f(padded) == pytest.approx(f(r), rel=1e-12), f.__name__


def test_max_drawdown_duration_by_hand():
    r = pd.Series([0.1, -0.1, 0.05, 0.06, 0.0, -0.2, 0.01, 0.01], index=_sessions(8))
    # wealth 1.1, .99, 1.0395, 1.10187 (new peak), same, .8815, ..: first run 2, then 3 to the end.
    assert m.max_drawdown_duration(r) == 3
    frame = pd.DataFrame({"a": r, "b": -r})
    # -r: .9, .99, .9405, .884, .884, 1.061 (recovered above 1.0), then 2 more under water.
    assert list(m.max_drawdown_duration(frame)) == [3.0, 5.0]


def test_psr_matches_formula_and_is_sane():
    r = BANK["fat"].dropna()
    sr = r.mean() / r.std(ddof=1)
    g3 = stats.skew(r)
    g4 = stats.kurtosis(r, fisher=False)  # NOT excess
    n = len(r)
    expected = stats.norm.cdf(sr * math.sqrt(n - 1) / math.sqrt(1 - g3 * sr + (g4 - 1) / 4 * sr ** 2))
    assert si.probabilistic_sharpe_ratio(r) == pytest.approx(expected, rel=1e-10)
    assert si.probabilistic_sharpe_ratio(r, benchmark_sharpe=sr) == pytest.approx(0.5, abs=1e-12)
    assert si.probabilistic_sharpe_ratio(BANK["losing"]) < 0.01
    assert 0.0 <= si.probabilistic_sharpe_ratio(BANK["normal"]) <= 1.0


def test_expected_max_sharpe_against_monte_carlo():
    rng = np.random.default_rng(3)
    for n in (10, 100, 1000):
        simulated = rng.standard_normal((2000, n)).max(axis=1).mean()
        assert si.expected_max_sharpe(n, 1.0) == pytest.approx(simulated, rel=0.04)
    assert si.expected_max_sharpe(1, 0.3) == 0.0
    assert si.expected_max_sharpe(100, 0.04) == pytest.approx(0.2 * si.expected_max_sharpe(100, 1.0))
    assert si.expected_max_sharpe(1000, 1.0) > si.expected_max_sharpe(100, 1.0)
    with pytest.raises(ValidationError):
        si.expected_max_sharpe(0, 1.0)
    with pytest.raises(ValidationError):
        si.expected_max_sharpe(10, -1.0)


def test_deflated_sharpe_uses_screened_count_and_variance():
    rng = np.random.default_rng(11)
    frame = pd.DataFrame(rng.normal(0.0005, 0.01, (500, 50)), index=_sessions(500))
    dsr = si.deflated_sharpe_ratio(frame)
    psr = si.probabilistic_sharpe_ratio(frame)
    sr = m.sharpe_per_period(frame)
    hurdle = si.expected_max_sharpe(50, float(np.var(sr, ddof=1)))
    assert hurdle > 0
    assert (dsr <= psr + 1e-15).all()
    np.testing.assert_allclose(dsr, si.probabilistic_sharpe_ratio(frame, hurdle), rtol=1e-12)
    one = frame[0]
    assert si.deflated_sharpe_ratio(one, 50, float(np.var(sr, ddof=1))) == pytest.approx(dsr[0], rel=1e-12)
    # More trials screened -> higher luck hurdle -> lower DSR.
    assert si.deflated_sharpe_ratio(one, 5000, float(np.var(sr, ddof=1))) < dsr[0]
    with pytest.raises(ValidationError):
        si.deflated_sharpe_ratio(one)


def test_srri_bands():
    cases = {0.0: 1, 0.0049: 1, 0.005: 2, 0.0199: 2, 0.02: 3, 0.0499: 3, 0.05: 4, 0.0999: 4,
             0.10: 5, 0.1499: 5, 0.15: 6, 0.2499: 6, 0.25: 7, 0.9: 7}
    for vol, cls in cases.items():
        assert m.srri_class_from_volatility(vol) == cls, vol
    assert math.isnan(m.srri_class_from_volatility(float("nan")))


def test_srri_class_from_weekly_returns():
    rng = np.random.default_rng(5)
    idx = _sessions(5 * 52 * 5)
    calm = pd.Series(rng.normal(0, 0.03 / math.sqrt(252), len(idx)), index=idx)     # ~3 % a year
    wild = pd.Series(rng.normal(0, 0.40 / math.sqrt(252), len(idx)), index=idx)     # ~40 % a year
    assert m.srri_class(calm) == 3
    assert m.srri_class(wild) == 7
    frame = pd.DataFrame({"calm": calm, "wild": wild})
    assert list(m.srri_class(frame)) == [3.0, 7.0]
    weekly = m.weekly_returns(calm)
    expected = m.srri_class_from_volatility(weekly.std(ddof=1) * math.sqrt(52))
    assert m.srri_class(calm) == expected
    assert math.isnan(m.srri_class(calm.iloc[:3]))  # a single week


def test_weekly_returns_and_positive_weeks():
    idx = pd.DatetimeIndex(["2024-01-02", "2024-01-03", "2024-01-08", "2024-01-09",
                            "2024-02-04",  # a Sunday make-up session stays in its own week
                            "2024-02-05"])
    r = pd.Series([0.01, 0.01, -0.02, np.nan, 0.03, -0.01], index=idx)
    weekly = m.weekly_returns(r)
    assert list(weekly.index) == [idx[1], idx[3], idx[4], idx[5]]
    np.testing.assert_allclose(weekly.values, [1.01 ** 2 - 1, -0.02, 0.03, -0.01])
    assert m.pct_positive_weeks(r) == pytest.approx(0.5)


def test_metrics_cli_json(tmp_path, capsys):
    r = BANK["real"].dropna()
    path = tmp_path / "returns.csv"
    lines = ["date,return"] + [f"{d.date().isoformat()},{v!r}" for d, v in r.items()]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert cli_main(["metrics", "--returns", str(path), "--rf", "0.02", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert list(out) == ["total_return", "cagr", "volatility", "sharpe", "sortino", "max_drawdown", "calmar"]
    assert out["sharpe"] == pytest.approx(ep.sharpe_ratio(r.values, risk_free=(1.02 ** (1 / 252) - 1)), rel=1e-9)
    assert out["max_drawdown"] == pytest.approx(ep.max_drawdown(r.values), rel=1e-9)
    assert out["cagr"] is not None and out["calmar"] is not None

    short = tmp_path / "short.csv"
    short.write_text("date,return\n2024-01-02,0.01\n2024-01-03,0.02\n2024-01-04,-0.01\n", encoding="utf-8")
    assert cli_main(["metrics", "--returns", str(short), "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["cagr"] is None and out["calmar"] is None
    assert out["total_return"] == pytest.approx(1.01 * 1.02 * 0.99 - 1)


@pytest.mark.parametrize("body, line, column", [
    ("date,ret\n2024-01-02,0.01\n", 1, None),
    ("date,return\n2024-01-02,0.01\n2024-13-03,0.01\n", 3, "date"),
    ("date,return\n2024-01-02,0.01\n2024-01-03,abc\n", 3, "return"),
    ("date,return\n2024-01-02,0.01\n2024-01-02,0.02\n", 3, "date"),
    ("date,return\n2024-01-02,-1.5\n", 2, "return"),
    ("date,return\n2024-01-02,0.01,7\n", 2, None),
])
def test_metrics_cli_bad_file(tmp_path, capsys, body, line, column):
    path = tmp_path / "bad.csv"
    path.write_text(body, encoding="utf-8")
    with pytest.raises(ValidationError) as info:
        read_returns_csv(str(path))
    assert info.value.file == str(path) and info.value.line == line and info.value.column == column
    assert cli_main(["metrics", "--returns", str(path), "--json"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: ") and f"line {line}" in err


def test_returns_file_reads_gbk_bom_and_quoted_cells(tmp_path, capsys):
    path = tmp_path / "收益.csv"
    path.write_bytes("date,return\n2024-01-02,0.01\n\"2024-01-03\",\"-0.02\"\n2024-01-04,\n".encode("gbk"))
    series = read_returns_csv(str(path))
    assert series.index.tolist() == list(pd.to_datetime(["2024-01-02", "2024-01-03", "2024-01-04"]))
    assert series.iloc[:2].tolist() == [0.01, -0.02] and math.isnan(series.iloc[2])
    bom = tmp_path / "bom.csv"
    bom.write_bytes(b"\xef\xbb\xbfdate,return\n2024-01-02,0.01\n")
    assert read_returns_csv(str(bom)).tolist() == [0.01]
    assert cli_main(["metrics", "--returns", str(path), "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["total_return"] == pytest.approx(1.01 * 0.98 - 1)


def test_returns_file_header_is_exact(tmp_path):
    path = tmp_path / "r.csv"
    path.write_text("Date,Return\n2024-01-02,0.01\n", encoding="utf-8")
    with pytest.raises(ValidationError, match="header must be date,return"):
        read_returns_csv(str(path))
    empty = tmp_path / "empty.csv"
    empty.write_bytes(b"")
    with pytest.raises(ValidationError, match="empty file") as info:
        read_returns_csv(str(empty))
    assert info.value.line == 1


def test_metrics_cli_missing_file(tmp_path, capsys):
    assert cli_main(["metrics", "--returns", str(tmp_path / "nope.csv"), "--json"]) == 2
    assert "nope.csv" in capsys.readouterr().err


def test_panel_metrics_equal_the_single_functions():
    frame = pd.DataFrame({k: v for k, v in BANK.items() if k != "short"})
    frame["flat"] = 0.001
    frame["empty"] = np.nan
    panel = panel_metrics(frame, risk_free=0.03)
    singles = {
        "sharpe": m.sharpe(frame, 0.03), "volatility": m.annual_volatility(frame),
        "total_return": m.total_return(frame), "max_drawdown": m.max_drawdown(frame),
        "risk_class": m.srri_class(frame),
        "sr": m.sharpe(frame, 0.03) / math.sqrt(252),   # the excess Sharpe per period
    }
    for key, expected in singles.items():
        np.testing.assert_allclose(panel[key], np.asarray(expected, dtype=float), rtol=1e-12, err_msg=key)
    n, sr, skew, kurt = si.sharpe_moments(frame)
    excess = frame - m.risk_free_per_period(0.03)   # the panel's Sharpe, PSR and DSR are on excess returns
    np.testing.assert_allclose(si.psr_from_moments(panel["n"], panel["sr"], panel["skew"], panel["kurt"], 0.0),
                               si.probabilistic_sharpe_ratio(excess), rtol=1e-12)


def test_cagr_is_exact_on_regular_yearly_quarterly_and_monthly_series():
    """Issue 18.5: empyrical's regression case, three yearly returns of exactly 3 %, gives 3 %
    (it gave 3.0021 % when the start was extrapolated by a 365-day spacing over 365.25)."""
    import empyrical

    yearly = pd.Series([0.03, 0.03, 0.03], index=pd.date_range("2000-1-30", periods=3, freq="YE"))
    assert m.cagr(yearly) == pytest.approx(0.03, abs=1e-12)
    assert m.cagr(yearly) == pytest.approx(empyrical.cagr(yearly, period="yearly"), abs=1e-12)
    quarterly = pd.Series([0.02] * 8, index=pd.date_range("2001-03-31", periods=8, freq="QE"))
    assert m.cagr(quarterly) == pytest.approx(1.02 ** 4 - 1, abs=1e-12)
    monthly = pd.Series([0.01] * 24, index=pd.date_range("2000-01-31", periods=24, freq="BME"))
    assert m.cagr(monthly) == pytest.approx(1.01 ** 12 - 1, abs=1e-12)
    # A monthly NAV's returns with the fill month in front (first label NaN): 12 months = 1 year.
    nav_returns = pd.Series([np.nan] + [0.01] * 12, index=pd.date_range("2020-01-15", periods=13, freq="MS")
                            + pd.Timedelta(days=14))
    assert m.cagr(nav_returns) == pytest.approx(1.01 ** 12 - 1, abs=1e-12)
    # Irregular (daily) series keep calendar days / 365.25.
    daily = pd.Series([0.001] * 3, index=pd.to_datetime(["2020-01-02", "2020-01-03", "2020-01-06"]))
    assert math.isnan(m.cagr(daily))
