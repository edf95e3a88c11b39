"""Data quality as a result (issue 11 part 4, findings 5 and 6): per series first and last
date, staleness in sessions of its own exchange calendar, gaps, rows on non-sessions (dropped
and counted), jumps against the previous VALID price, explained dividend drops; the same
checks on every provider, in ``market check --json`` and in the app's data-quality panel."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import date
from decimal import Decimal
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from conftest import app_test
from socialfund.market.calendars import sessions_between
from socialfund.market.instruments import Instrument
from socialfund.market.providers import CsvProvider, YFinanceProvider
from socialfund.market.quality import check_prices, check_series, jump_warnings
from socialfund.market.sessions import align_to_sessions, cn_sessions, drop_non_sessions, quality_report, \
    session_prices
from socialfund.store import open_store
from socialfund.view.quality_text import issue_text
from test_market import yf_frame

REPO = Path(__file__).resolve().parent.parent

UNIVERSE = [
    Instrument("000300.SS", "沪深300", "CSI 300", "index", "SSE", "CNY", "000300.SS", "index", "XSHG"),
    Instrument("510300.SS", "沪深300ETF", "CSI 300 ETF", "etf", "SSE", "CNY", "510300.SS", "broad", "XSHG"),
    Instrument("SPY", "标普500ETF", "SPDR S&P 500", "etf", "US", "USD", "SPY", "overseas", "XNYS"),
]


def _on(calendar: str, start: str, end: str, value: float = 10.0, name: str = "X") -> pd.Series:
    """A flat series on every session of ``calendar`` from start to end."""
    return pd.Series(value, index=sessions_between(calendar, pd.Timestamp(start), pd.Timestamp(end)), name=name)


# --------------------------------------------------------------------------- jumps

def test_yahoo_unadjusted_split_of_minus_79_7_percent_is_flagged_as_a_split() -> None:
    # Yahoo's unadjusted close across a split: 150.00 → 30.45 overnight (−79.7 %, about 1/5)
    closes = _on("XNYS", "2024-06-03", "2024-06-28", 150.0, "SPLT")
    closes.loc["2024-06-17":] = 30.45
    q = check_series(closes, "XNYS")
    assert [(j.date, j.previous_date, j.suspicion) for j in q.jumps] == [(date(2024, 6, 17), date(2024, 6, 14), "split")]
    assert q.jumps[0].change == pytest.approx(-0.797)
    assert not q.ok
    assert "-79.7%" in issue_text(q.issues()[0], "en") and "split" in issue_text(q.issues()[0], "en")


def test_a_100x_unit_error_is_flagged_both_ways_as_a_unit_error() -> None:
    closes = _on("XSHG", "2024-03-01", "2024-03-29", 3.512, "510300.SS")
    closes.loc["2024-03-12"] = 351.2      # one day written in fen instead of yuan
    q = check_series(closes)
    assert [(j.date, j.suspicion) for j in q.jumps] == [(date(2024, 3, 12), "unit_100x"), (date(2024, 3, 13), "unit_100x")]
    assert "100×" in issue_text(q.issues()[0], "en") and "100 倍" in issue_text(q.issues()[0], "zh")
    # ordinary moves, even a limit-down day, are not jumps
    calm = _on("XSHG", "2024-03-01", "2024-03-29", 3.5, "510300.SS")
    calm.loc["2024-03-12":] = 3.15        # −10 %
    assert check_series(calm).jumps == ()


def test_a_jump_after_a_gap_is_caught_against_the_previous_valid_price() -> None:
    closes = _on("XSHG", "2024-03-01", "2024-03-29", 2.0, "161725")
    closes.loc["2024-03-11":"2024-03-13"] = np.nan      # three sessions without a price (blank rows)
    closes.loc["2024-03-14":] = 1.0                     # then −50 % against the last VALID close
    q = check_series(closes)
    assert [(j.date, j.previous_date) for j in q.jumps] == [(date(2024, 3, 14), date(2024, 3, 8))]
    assert q.gap_dates == (date(2024, 3, 11), date(2024, 3, 12), date(2024, 3, 13)) and q.longest_gap == 3
    # the row-by-row comparison missed it (NaN before the jump); jump_warnings no longer does
    wide = closes.to_frame()
    assert (wide / wide.shift(1)).loc["2024-03-14", "161725"] != (wide / wide.shift(1)).loc["2024-03-14", "161725"]
    warnings = jump_warnings(wide)
    assert len(warnings) == 1 and "2024-03-14" in warnings[0] and "2024-03-08" in warnings[0]


# --------------------------------------------------------------------------- non-sessions

def test_a_holiday_row_is_dropped_before_the_session_axis_and_counted(tmp_path: Path) -> None:
    days = sessions_between("XSHG", pd.Timestamp("2014-12-22"), pd.Timestamp("2015-01-09"))
    rows = [f"{d.date()},{code},{v}" for d in days for code, v in (("000300.SS", 3500.0), ("510300.SS", 3.5))]
    rows.append("2015-01-01,000300.SS,3500.0")          # New Year's Day: Shanghai was closed
    path = tmp_path / "prices.csv"
    path.write_text("date,code,close\n" + "\n".join(rows) + "\n", encoding="utf-8")
    provider = CsvProvider(path, universe=UNIVERSE)
    assert pd.Timestamp("2015-01-01") in provider.closes().closes.index       # the provider passes it on
    prices = session_prices(provider, ["510300.SS"])
    assert pd.Timestamp("2015-01-01") not in prices.index                     # never a session
    assert list(prices.index) == list(days)
    report = quality_report(provider.closes(), provider.universe())
    by_code = {q.code: q for q in report.series}
    assert by_code["000300.SS"].non_session_dates == (date(2015, 1, 1),)
    assert by_code["000300.SS"].non_sessions_dropped == 1 and by_code["510300.SS"].non_sessions_dropped == 0
    assert any(i.kind == "non_sessions" and i.code == "000300.SS" for i in report.issues())
    cleaned, dropped = drop_non_sessions(provider.closes().closes, {"000300.SS": "XSHG"})
    assert dropped == {"000300.SS": 1} and pd.Timestamp("2015-01-01") not in cleaned.index


def test_a_us_session_on_a_shanghai_holiday_is_kept_on_its_own_calendar() -> None:
    # 2015-01-02: NYSE open, Shanghai closed; each series is checked on its own calendar
    wide = pd.DataFrame({"SPY": [205.0, 205.4], "510300.SS": [np.nan, 3.6]},
                        index=pd.DatetimeIndex(["2015-01-02", "2015-01-05"]))
    cleaned, dropped = drop_non_sessions(wide, {"SPY": "XNYS", "510300.SS": "XSHG"})
    assert dropped == {} and cleaned["SPY"].tolist() == [205.0, 205.4]


# --------------------------------------------------------------------------- dividends

def test_a_unit_nav_dividend_drop_is_explained_where_dividend_data_exists() -> None:
    nav = _on("XSHG", "2023-06-01", "2023-06-30", 1.250, "110022")
    nav.loc["2023-06-15":] = 1.130                       # −9.6 %: the ex-date of a 0.12 per-unit dividend
    without = check_series(nav)
    assert without.dividends == () and without.ok        # below the jump limit: nothing to say without the data
    q = check_prices(nav.to_frame(), {"110022": "XSHG"}, dividends={"110022": [(date(2023, 6, 15), Decimal("0.12"))]})
    (drop,) = q.series[0].dividends
    assert drop.date == date(2023, 6, 15) and drop.cash == Decimal("0.12")
    assert drop.change == pytest.approx(-0.096) and drop.total_return == pytest.approx(0.0)
    assert q.series[0].ok                                # information, not a warning
    assert "0.12" in issue_text(q.series[0].issues()[0], "en")
    # a series already adjusted for it (no drop that day) is not "explained"
    assert check_series(_on("XSHG", "2023-06-01", "2023-06-30", 1.25, "110022"),
                        dividends=[(date(2023, 6, 15), 0.12)]).dividends == ()


def test_a_large_distribution_is_not_a_jump_when_its_cash_explains_it() -> None:
    nav = _on("XSHG", "2023-06-01", "2023-06-30", 2.00, "519069")
    nav.loc["2023-06-19":] = 1.10                        # −45 %: a big distribution (大比例分红) of 0.90
    assert [j.suspicion for j in check_series(nav).jumps] == ["data_error"]
    explained = check_series(nav, dividends=[(date(2023, 6, 17), Decimal("0.90"))])   # a Saturday record
    assert explained.jumps == () and explained.dividends[0].date == date(2023, 6, 19)


# --------------------------------------------------------------------------- staleness

def test_staleness_is_counted_in_sessions_of_the_series_own_calendar() -> None:
    # Spring Festival 2015: Shanghai closed 18–24 February. 11 calendar days, 9 weekdays, 4 sessions.
    fund = _on("XSHG", "2015-01-05", "2015-02-16", 1.0, "110022")
    q = check_series(fund, "XSHG", as_of=date(2015, 2, 27))
    assert q.last == date(2015, 2, 16) and q.stale_sessions == 4
    # XNYS: at a Shanghai date d the latest knowable US close is dated before d; 19 January was
    # Martin Luther King Day, so 15, 16 and 20 January are the sessions missed as of 21 January
    us = _on("XNYS", "2015-01-05", "2015-01-14", 200.0, "SPY")
    assert check_series(us, "XNYS", as_of=date(2015, 1, 21)).stale_sessions == 3
    assert check_series(us, "XNYS", as_of=date(2015, 1, 15)).stale_sessions == 0
    fresh = check_series(fund, "XSHG", as_of=date(2015, 2, 16))
    assert fresh.stale_sessions == 0 and fresh.ok


def test_us_closes_carried_forward_show_as_staleness_on_the_yfinance_path(tmp_path: Path,
                                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    """Finding 5: SPY's last Yahoo close 21 months before the CN series' own; the session axis
    carries it only within the carry limit, and the quality report names it stale."""
    import yfinance

    cn = sessions_between("XSHG", pd.Timestamp("2023-01-03"), pd.Timestamp("2024-12-31"))
    us = sessions_between("XNYS", pd.Timestamp("2023-01-03"), pd.Timestamp("2023-03-31"))
    dates = cn.union(us)
    frame = yf_frame(["000300.SS", "510300.SS", "SPY"], [d.date().isoformat() for d in dates], {
        "000300.SS": [3800.0 if d in cn else np.nan for d in dates],
        "510300.SS": [3.8 if d in cn else np.nan for d in dates],
        "SPY": [400.0 if d in us else np.nan for d in dates]})
    calls: list[dict] = []

    def fake_download(tickers, **kwargs):  # type: ignore[no-untyped-def]
        calls.append(kwargs)
        return frame

    monkeypatch.setattr(yfinance, "download", fake_download)
    provider = YFinanceProvider(open_store(f"sqlite:///{tmp_path / 'yf.db'}"), universe=UNIVERSE)
    data = provider.closes(None, date(2023, 1, 1), date(2024, 12, 31))
    assert calls[0]["repair"] is True                    # yfinance repairs its own 100× and split errors
    aligned = align_to_sessions(data.closes, cn_sessions(data.closes), {"SPY": "XNYS"})
    assert aligned["SPY"].loc["2023-04-03"] == 400.0     # the as-of alignment carries it a few sessions ...
    assert aligned["SPY"].iloc[-1] != aligned["SPY"].iloc[-1]   # ... not 21 months (NaN past the carry limit)
    report = quality_report(data, provider.universe())
    spy = next(q for q in report.series if q.code == "SPY")
    expected = len(sessions_between("XNYS", pd.Timestamp("2023-04-01"), pd.Timestamp("2024-12-30")))
    assert report.as_of == date(2024, 12, 31) and spy.last == date(2023, 3, 31)
    assert spy.stale_sessions == expected and expected > 400                      # and says so
    assert [q.code for q in report.flagged] == ["SPY"]
    assert "stale" in issue_text(next(i for i in spy.issues() if i.kind == "stale"), "en")


# --------------------------------------------------------------------------- every provider, the CLI, the app

def test_the_demo_prices_are_clean() -> None:
    from socialfund.market.providers import DemoProvider

    provider = DemoProvider()
    report = quality_report(provider.closes(), provider.universe())
    assert report.ok and len(report.series) == len(provider.universe())
    assert all(q.first is not None and q.stale_sessions == 0 and q.gaps == 0 for q in report.series)


def test_market_check_json_lists_every_series_quality(tmp_path: Path) -> None:
    days = sessions_between("XSHG", pd.Timestamp("2024-03-01"), pd.Timestamp("2024-03-29"))
    rows = [f"{d.date()},000300.SS,3500" for d in days]
    rows += [f"{d.date()},510300.SS,{351.2 if d == pd.Timestamp('2024-03-12') else 3.512}" for d in days
             if d != pd.Timestamp("2024-03-11")]
    rows += [f"{d.date()},110022,1.0" for d in days if d <= pd.Timestamp("2024-03-22")]
    rows.append("2024-03-09,000300.SS,3500")             # a Saturday
    path = tmp_path / "prices.csv"
    path.write_text("date,code,close\n" + "\n".join(rows) + "\n", encoding="utf-8")
    env = {**os.environ, "SOCIALFUND_MARKET_PROVIDER": "csv", "SOCIALFUND_PRICES_CSV": str(path),
           "SOCIALFUND_DATA_DIR": str(tmp_path)}
    out = subprocess.run([sys.executable, "-m", "socialfund", "market", "check", "--json"], cwd=REPO, env=env,
                         capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    result = json.loads(out.stdout)
    assert result["as_of"] == "2024-03-29" and result["quality_ok"] is False
    series = {s["code"]: s for s in result["series"]}
    assert set(series) == {"000300.SS", "510300.SS", "110022"}
    fields = {"code", "calendar", "first", "last", "rows", "stale_sessions", "gaps", "longest_gap", "gap_dates",
              "non_sessions_dropped", "non_session_dates", "jumps", "dividends", "ok", "notices"}
    assert all(set(s) == fields for s in series.values())
    assert series["000300.SS"]["non_session_dates"] == ["2024-03-09"] and series["000300.SS"]["gaps"] == 0
    etf = series["510300.SS"]
    assert etf["gap_dates"] == ["2024-03-11"]
    assert [(j["date"], j["previous_date"], j["suspicion"]) for j in etf["jumps"]] == [
        ("2024-03-12", "2024-03-08", "unit_100x"), ("2024-03-13", "2024-03-12", "unit_100x")]
    fund = series["110022"]
    assert fund["last"] == "2024-03-22" and fund["stale_sessions"] == 5 and fund["calendar"] == "XSHG"
    assert any("5 XSHG sessions stale" in n for n in fund["notices"])


def test_the_quality_panel_shows_notices_on_every_price_page(demo_store, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    import streamlit as st

    from app import resources
    from socialfund.market import sessions

    def with_a_unit_error(data, universe):  # type: ignore[no-untyped-def]
        closes = data.closes.copy()
        day = closes["510300.SS"].last_valid_index()
        closes.loc[day, "510300.SS"] *= 100                   # the demo's last ETF close in the wrong unit
        fallback = "No live data for SPY: showing DEMO prices for these (not real)"   # YFinanceProvider's notice
        return sessions.quality_report(type(data)(closes, data.sources, [fallback]), universe)

    st.cache_data.clear()
    at = app_test(None, "en")
    at.run()
    assert not at.exception, at.exception
    assert any("all 38 price series OK" in c.value for c in at.caption)      # clean: one compact line

    monkeypatch.setattr(resources, "quality_report", with_a_unit_error)
    st.cache_data.clear()
    for page in (None, "pages/1_Leaderboard.py"):
        at = app_test(page, "en")
        at.run()
        assert not at.exception, at.exception
        notices = [w.value for w in at.warning if "Data quality" in w.value]
        assert len(notices) == 1, [w.value for w in at.warning]
        assert "1 of 38 price series have notices" in notices[0]
        assert "510300" in notices[0] and "100× unit error suspected" in notices[0]
        assert "No live data for SPY" in notices[0]          # the provider's fallback notice, on every page
