"""Graceful degradation (issue 11, part 5): one broken series never fails a page.

A last price is carried for at most ``MAX_CARRY_SESSIONS`` sessions; beyond it a portfolio
is excluded from the ranking with the reason named (service, CLI, leaderboard and portfolio
pages) while every other portfolio ranks as before, and a fund gets no idea score."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, replace
from decimal import Decimal

import numpy as np
import pandas as pd
import pytest
from conftest import app_test

from socialfund.copying import CopyParams, simulate_copy
from socialfund.core.errors import ValidationError
from socialfund.core.models import PortfolioVersion
from socialfund.core.sessions import MAX_CARRY_SESSIONS
from socialfund.ideas.features import build_features, stale_reason
from socialfund.ideas.ranking import ranked_list
from socialfund.ideas.scoring import composite_scores, preset_weights
from socialfund.market.providers import DemoProvider, PriceData
from socialfund.portfolios import nav_matrix, nav_with_status
from socialfund.store import community

DAYS = pd.bdate_range("2024-01-01", periods=20)


def _v(version: int, placed: str, weights: dict[str, int]) -> PortfolioVersion:
    return PortfolioVersion(version, pd.Timestamp(placed), weights)


def _prices() -> pd.DataFrame:
    return pd.DataFrame({"A": np.linspace(10.0, 12.0, len(DAYS)), "B": np.linspace(20.0, 30.0, len(DAYS))},
                        index=DAYS)


# --------------------------------------------------------------------------- the carry limit

def test_the_limit_is_five_sessions() -> None:
    assert MAX_CARRY_SESSIONS == 5


def test_carry_within_five_sessions_values_at_the_last_price_and_the_sixth_excludes() -> None:
    books = {1: [_v(1, "2024-01-01T12:00+08:00", {"A": 5000, "B": 5000})],
             2: [_v(1, "2024-01-01T12:00+08:00", {"B": 10000})]}
    last_a = 14   # A's last quote: the 15th session; then a gap to the end (5 sessions)
    five = _prices()
    five.iloc[last_a + 1:, 0] = np.nan
    assert five["A"].isna().sum() == MAX_CARRY_SESSIONS
    valued = nav_with_status(five, books)
    assert valued.status[1].ok and valued.excluded == {}
    a0, b0 = five["A"].iloc[1], five["B"].iloc[1]          # bought at the close of Jan 2
    expected = 0.5 * five["A"].iloc[last_a] / a0 + 0.5 * five["B"].iloc[-1] / b0
    assert valued.nav[1].iloc[-1] == pytest.approx(expected)

    six = five.copy()
    six.iloc[last_a, 0] = np.nan                           # one session more: 6 without a price
    valued = nav_with_status(six, books)
    status = valued.status[1]
    assert not status.ok and status.state == "excluded"
    assert (status.code, status.kind, status.version) == ("A", "stale", 1)
    assert status.last_price_on == DAYS[last_a - 1].date()
    assert status.session == DAYS[-1].date()               # the 6th session without a price
    assert status.reason == (f"A has no price since {DAYS[last_a - 1].date()}: more than 5 sessions "
                             f"before {DAYS[-1].date()}")
    assert valued.nav[1].iloc[:-1].notna().iloc[1:].all() and np.isnan(valued.nav[1].iloc[-1])
    assert valued.status[2].ok                             # the other portfolio is valued as before
    assert np.array_equal(valued.nav[2].to_numpy(), nav_with_status(_prices(), books).nav[2].to_numpy(),
                          equal_nan=True)
    with pytest.raises(ValidationError, match="portfolio 1: version 1: A has no price since"):
        nav_matrix(six, books)                             # the strict form names it


def test_a_fill_may_use_a_price_up_to_five_sessions_old_not_six() -> None:
    five = _prices()
    five.iloc[3:8, 0] = np.nan                             # A unquoted on sessions 3..7: 5 sessions
    placed = (DAYS[6] + pd.Timedelta(hours=12)).tz_localize("Asia/Shanghai")   # fills at session 7
    ok = nav_with_status(five, {1: [PortfolioVersion(1, placed, {"A": 10000})]})
    assert ok.status[1].ok and ok.nav[1][DAYS[7]] == pytest.approx(1.0)
    assert ok.nav[1][DAYS[8]] == pytest.approx(five["A"].iloc[8] / five["A"].iloc[2])   # bought at the last price
    six = _prices()
    six.iloc[3:9, 0] = np.nan                              # 6 sessions: the fill at session 8 is refused
    late = (DAYS[7] + pd.Timedelta(hours=12)).tz_localize("Asia/Shanghai")
    bad = nav_with_status(six, {1: [PortfolioVersion(1, late, {"A": 10000})]})
    assert bad.status[1].reason == (f"A has no price at its fill session {DAYS[8].date()}: last price "
                                    f"{DAYS[2].date()}, more than 5 sessions earlier")
    assert bad.nav[1].isna().all()


def test_unknown_code_excludes_instead_of_failing() -> None:
    valued = nav_with_status(_prices(), {1: [_v(1, "2024-01-01T12:00+08:00", {"Z": 10000})],
                                         2: [_v(1, "2024-01-01T12:00+08:00", {"A": 10000})]})
    assert valued.status[1].kind == "no_prices" and "Z" in valued.status[1].reason
    assert valued.status[2].ok


def test_copying_an_excluded_leader_is_a_clear_error_naming_the_code() -> None:
    six = _prices()
    six.iloc[10:, 0] = np.nan
    params = CopyParams(amount=Decimal("10000"), start=dt.date(2024, 1, 2))
    with pytest.raises(ValidationError, match="cannot copy this portfolio: version 1: A has no price since"):
        simulate_copy(six, [_v(1, "2024-01-01T12:00+08:00", {"A": 10000})], params)


def test_a_copier_holding_a_series_past_the_limit_is_a_clear_error() -> None:
    """The leader sells A within the limit; a copier 2 sessions late would hold it past it."""
    gone = _prices()
    gone.iloc[11:, 0] = np.nan                             # A's last quote: session 10
    sell = (DAYS[14] + pd.Timedelta(hours=12)).tz_localize("Asia/Shanghai")   # fills at 15: 5 sessions
    leader = [_v(1, "2024-01-01T12:00+08:00", {"A": 10000}), PortfolioVersion(2, sell, {"B": 10000})]
    assert nav_with_status(gone, {1: leader}).status[1].ok
    on_time = simulate_copy(gone, leader, CopyParams(amount=Decimal("10000"), start=dt.date(2024, 1, 1),
                                                     delay_sessions=0, stop_loss=None))
    assert on_time.copier_return == pytest.approx(on_time.leader_return, abs=0.01)
    with pytest.raises(ValidationError, match=f"copy: A has no price since {DAYS[10].date()}"):
        simulate_copy(gone, leader, CopyParams(amount=Decimal("10000"), start=dt.date(2024, 1, 1),
                                               delay_sessions=2, stop_loss=None))


# --------------------------------------------------------------------------- the leaderboard

@dataclass
class BrokenProvider:
    """The demo prices with ``code`` unquoted on the last ``sessions`` sessions."""

    code: str
    sessions: int
    inner: DemoProvider

    name = "demo"

    def universe(self):  # type: ignore[no-untyped-def]
        return self.inner.universe()

    def closes(self, codes=None, start=None, end=None) -> PriceData:  # type: ignore[no-untyped-def]
        data = self.inner.closes(codes, start, end)
        closes = data.closes.copy()
        if self.code in closes.columns:
            quoted = closes.index[closes[self.code].notna()]
            closes.loc[closes.index >= quoted[-self.sessions], self.code] = np.nan
        return replace(data, closes=closes)


MASKED = 30   # sessions without a price at the end of the data: far beyond the carry limit


def _least_held_cn_fund(store, provider: DemoProvider) -> tuple[str, set[int], set[int]]:  # type: ignore[no-untyped-def]
    """The XSHG fund held in the fewest public portfolio versions; the public portfolios
    that ever held it, and those that must be excluded when its last ``MASKED`` sessions
    are gone (open, and holding it in a version placed before the gap with none after)."""
    calendars = {i.code: i.calendar for i in provider.universe() if i.kind != "index"}
    meta = community.portfolio_meta(store)
    meta = meta.loc[meta["visibility"] == "public"]
    versions = community.versions_by_portfolio(store, [int(i) for i in meta["portfolio_id"]])
    counts: dict[str, int] = {}
    for vs in versions.values():
        for v in vs:
            for c in v.weights_bp:
                if calendars.get(c) == "XSHG":
                    counts[c] = counts.get(c, 0) + 1
    code = min(counts, key=lambda c: (counts[c], c))
    closes = provider.closes([code]).closes[code].dropna()
    gap_starts = closes.index[-MASKED].date()
    ever = {pid for pid, vs in versions.items() if any(code in v.weights_bp for v in vs)}
    still_open = set(meta.loc[meta["closed_on"].isna() & meta["deleted_on"].isna(), "portfolio_id"].astype(int))
    held = {pid for pid in ever & still_open
            if code in versions[pid][-1].weights_bp and versions[pid][-1].placed_date < gap_starts}
    return code, ever, held


@pytest.fixture(scope="module")
def broken(demo_store):  # type: ignore[no-untyped-def]
    code, ever, held = _least_held_cn_fund(demo_store, DemoProvider())
    assert held, "the demo should have open portfolios holding the fund"
    return code, ever, held, BrokenProvider(code, MASKED, DemoProvider())


def test_leaderboard_ranks_every_other_portfolio_and_names_the_excluded(demo_store, broken) -> None:  # type: ignore[no-untyped-def]
    from socialfund.services import leaderboard

    code, ever, held, provider = broken
    good = leaderboard.leaderboard_table(demo_store, DemoProvider(), "all", include_closed=True)
    table = leaderboard.leaderboard_table(demo_store, provider, "all", include_closed=True)
    excluded = leaderboard.excluded_portfolios(demo_store, provider)
    ids = {r["portfolio_id"] for r in excluded}
    assert held <= ids <= ever
    assert all(code in r["reason"] and "no price" in r["reason"] for r in excluded)
    names = dict(zip(good["portfolio_id"], good["name"]))
    assert all(r["name"] and r["name"] == names.get(r["portfolio_id"], r["name"]) for r in excluded)
    # every other portfolio is still ranked, with the same Sharpe (only the luck hurdle's N moved)
    assert set(table["portfolio_id"]) == set(good["portfolio_id"]) - ids
    assert len(table) > 20
    same = good.set_index("portfolio_id").loc[table["portfolio_id"], "sharpe"].to_numpy()
    np.testing.assert_allclose(table["sharpe"].to_numpy(), same, equal_nan=True)
    assert [r["portfolio_id"] for r in table.attrs["excluded"]] == sorted(ids)
    assert leaderboard.excluded_portfolios(demo_store, DemoProvider()) == []


def test_cli_leaderboard_keeps_ranking_and_lists_the_excluded(demo_store, broken, monkeypatch, capsys) -> None:  # type: ignore[no-untyped-def]
    from socialfund import cli
    from socialfund.market import providers

    code, ever, held, provider = broken
    monkeypatch.setattr(providers, "get_provider", lambda settings, store=None: provider)
    assert cli.main(["leaderboard", "--excluded", "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    ids = {r["portfolio_id"] for r in rows}
    assert held <= ids <= ever
    assert all(set(r) == {"portfolio_id", "name", "reason"} and code in r["reason"] for r in rows)
    assert cli.main(["leaderboard", "--json", "--top", "500", "--window", "all"]) == 0
    ranked = json.loads(capsys.readouterr().out)
    assert len(ranked) > 20 and not ids & {r["portfolio_id"] for r in ranked}


# --------------------------------------------------------------------------- the pages

@pytest.fixture
def broken_app(broken, monkeypatch):  # type: ignore[no-untyped-def]
    import streamlit as st

    from app import resources

    monkeypatch.setattr(resources, "get_provider", lambda settings, store=None: broken[3])
    st.cache_resource.clear()
    st.cache_data.clear()
    yield broken
    st.cache_resource.clear()   # the provider and the figures built from the broken prices
    st.cache_data.clear()


def test_leaderboard_page_shows_the_excluded_list_and_no_error(demo_store, broken_app) -> None:  # type: ignore[no-untyped-def]
    code, ever, held, _provider = broken_app
    for lang, title in (("en", "Left out of the ranking"), ("zh", "未参与排名的组合")):
        at = app_test("pages/1_Leaderboard.py", lang)
        at.run()
        assert not at.exception, at.exception
        assert not at.error, [e.value for e in at.error]
        assert any(w.value.startswith(title) for w in at.warning)
        # the data-quality panel above the page may draw its own table first
        frames = [d.value for d in at.dataframe]
        at_ranked = next(i for i, f in enumerate(frames) if "name" in f.columns and len(f) > 20)
        ranked, listed = frames[at_ranked], frames[at_ranked + 1]
        assert held <= set(listed.iloc[:, 0]) <= ever
        assert len(ranked) > 20 and not set(listed.iloc[:, 1]) & set(ranked["name"])
        reasons = list(listed.iloc[:, 2])
        assert all(code in r for r in reasons)
        assert all(("no price since" in r) if lang == "en" else ("起无价格" in r) for r in reasons)


def test_portfolio_page_of_an_excluded_portfolio_says_why_without_an_error(demo_store, broken_app) -> None:  # type: ignore[no-untyped-def]
    code, ever, held, _provider = broken_app
    at = app_test("pages/2_Portfolio.py", "en")
    at.session_state["portfolio_id"] = min(held)
    at.run()
    assert not at.exception, at.exception
    assert not at.error, [e.value for e in at.error]
    notes = [w.value for w in at.warning if "left out of the leaderboard" in w.value]
    assert len(notes) == 1 and code in notes[0] and "no price since" in notes[0]
    assert len(at.get("plotly_chart")) >= 2      # the NAV up to the gap is still drawn


def test_ideas_page_gives_the_stale_fund_no_score_with_the_reason(demo_store, broken_app) -> None:  # type: ignore[no-untyped-def]
    code, _ever, _held, _provider = broken_app
    at = app_test("pages/4_Fund_Ideas.py", "en", timeout=300)
    at.run()
    assert not at.exception, at.exception
    assert not at.error, [e.value for e in at.error]
    ranked = next(d.value for d in at.dataframe if len(d.value) >= 20)   # after the data-quality panel's table
    assert code not in set(ranked[ranked.columns[2]])
    unscored = next(d.value for d in at.dataframe if "Why no score" in d.value.columns)
    reason = unscored.set_index(unscored.columns[1]).at[code, "Why no score"]
    assert reason.startswith("no price since ") and reason.endswith("(more than 5 sessions)")


# --------------------------------------------------------------------------- fund ideas

def test_a_stale_series_gets_no_idea_score_with_the_reason() -> None:
    from test_ideas import make_inputs

    inputs = make_inputs(n_sessions=190, n_funds=7, drift=0.004)
    closes = inputs.closes.copy()
    top = closes.columns[-1]                        # the strongest drift: momentum's favourite
    stop = 150
    closes.iloc[stop + 1:, closes.columns.get_loc(top)] = np.nan
    fs = build_features(replace(inputs, closes=closes))
    scores = composite_scores(fs, preset_weights("momentum"))
    sessions = fs.sessions
    last_close = closes.index[stop]
    # within the limit it is still scored (the test can fail) ...
    within = ranked_list(fs, scores, sessions[stop + MAX_CARRY_SESSIONS + 1].date())
    assert within.set_index("code").at[top, "reason"] == ""
    # ... one session more and it has no score, with the reason, on every later session
    for pos in (stop + MAX_CARRY_SESSIONS + 2, len(sessions) - 1):
        table = ranked_list(fs, scores, sessions[pos].date()).set_index("code")
        assert table.at[top, "reason"] == stale_reason(last_close) == f"no price since {last_close.date()}"
        assert np.isnan(table.at[top, "score"]) and pd.isna(table.at[top, "rank"])
        assert table["rank"].notna().sum() == len(table) - 1


def test_the_ideas_page_says_why_a_stale_fund_has_no_score_in_both_languages() -> None:
    from app.ideas_tabs import reason_text
    from socialfund.view.i18n import t

    reason = stale_reason(dt.date(2021, 3, 4))
    assert reason_text(lambda key, **fmt: t(key, "en", **fmt), reason) == \
        "no price since 2021-03-04 (more than 5 sessions)"
    assert reason_text(lambda key, **fmt: t(key, "zh", **fmt), reason) == "自 2021-03-04 起无价格（超过 5 个交易日）"


# --------------------------------------------------------------------------- snapshots

def _info(versions: tuple[PortfolioVersion, ...]):  # type: ignore[no-untyped-def]
    from socialfund.services.portfolio_crud import PortfolioInfo

    return PortfolioInfo(id=1, owner_id=1, owner_name="me", name="mine", description="", visibility="public",
                         is_demo=False, created_at=dt.datetime(2024, 1, 1), closed_at=None, deleted_at=None,
                         confirmed_at=None, versions=versions, version_ids=tuple(range(1, len(versions) + 1)))


def test_a_snapshot_of_an_excluded_portfolio_is_refused_naming_the_code() -> None:
    from socialfund.services.snapshots import build_snapshot_payload

    info = _info((_v(1, "2024-01-01T12:00+08:00", {"A": 5000, "B": 5000}),))
    kwargs = dict(names={}, is_demo_data=False, weights_only=True, amount_cny=None, risk_free=0.0,
                  now=dt.datetime(2024, 2, 1))
    assert build_snapshot_payload(info, _prices(), **kwargs).period.sessions == len(DAYS) - 1  # type: ignore[arg-type]
    six = _prices()
    six.iloc[13:, 0] = np.nan
    with pytest.raises(ValidationError, match="cannot snapshot this portfolio: version 1: A has no price since"):
        build_snapshot_payload(info, six, **kwargs)  # type: ignore[arg-type]


def test_snapshots_of_cn_and_us_holdings_are_valued_on_the_session_axis(demo_store) -> None:  # type: ignore[no-untyped-def]
    """On raw closes (the union of CN and US dates) a CN fund misses 6 rows over Golden Week,
    beyond the limit; on the XSHG session axis the snapshot form now uses, it is valued."""
    from socialfund.market.sessions import session_prices
    from socialfund.services.snapshots import build_snapshot_payload

    provider = DemoProvider()
    calendars = {i.code: i.calendar for i in provider.universe()}
    meta = community.portfolio_meta(demo_store)
    versions = community.versions_by_portfolio(demo_store, [int(i) for i in meta["portfolio_id"]])
    kwargs = dict(names={}, is_demo_data=True, weights_only=True, amount_cny=None, risk_free=0.0,
                  now=dt.datetime(2027, 1, 1))
    for vs in versions.values():
        codes = sorted({c for v in vs for c in v.weights_bp if c != "CASH"})
        if {calendars.get(c) for c in codes} >= {"XSHG", "XNYS"}:
            raw = nav_with_status(provider.closes(codes).closes, {0: vs})
            if not raw.status[0].ok:
                break
    else:
        pytest.fail("the demo should have a CN+US portfolio that raw closes cannot value")
    info = _info(tuple(vs))
    payload = build_snapshot_payload(info, session_prices(provider, codes), **kwargs)  # type: ignore[arg-type]
    assert payload.period is not None and payload.period.sessions > 100
