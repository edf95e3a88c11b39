"""The Watchlist page (issue 12 part 4): the empty state says how to add a fund; adding one
through the picker follows it and its row shows the figures (price change from the closes,
post volume, idea rank, the meter's bull share); removing it empties the list again. The
local owner's watchlist is emptied at the end so the shared demo store is left as it was."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from conftest import app_test
from socialfund.services import meter, watchlist
from socialfund.services.watchlist_view import price_change, watch_table
from socialfund.store.users import get_or_create_user
from socialfund.view.i18n import t

CODE = "510300.SS"


def _row(at, lang: str) -> pd.Series:  # type: ignore[no-untyped-def]
    df = next(d.value for d in at.dataframe if t("wl.col.fund", lang) in d.value.columns)
    fund = df[t("wl.col.fund", lang)]
    return df[fund.str.contains(CODE, regex=False)].iloc[0]


def test_watchlist_empty_then_follow_a_fund_and_see_its_figures(demo_store, provider) -> None:  # type: ignore[no-untyped-def]
    owner = get_or_create_user(demo_store, "local:owner", "owner")
    for code in watchlist.codes(demo_store, owner):
        watchlist.remove(demo_store, owner, code)
    try:
        at = app_test("pages/9_Watchlist.py", "en", timeout=240)
        at.run()
        assert not at.exception, at.exception
        assert t("wl.title", "en") in [x.value for x in at.title]
        assert any(i.value == t("wl.empty", "en") for i in at.info)
        assert not any(t("wl.col.fund", "en") in d.value.columns for d in at.dataframe)
        at.selectbox(key="wl-pick").set_value(CODE).run()     # picking enables Add (as in a browser)
        at.button(key="wl-add").click()
        at.run()
        assert not at.exception, at.exception
        assert watchlist.codes(demo_store, owner) == [CODE]
        assert not at.error, [e.value for e in at.error]
        row = _row(at, "en")
        closes = provider.closes([CODE]).closes
        want = price_change(closes[CODE])
        assert row[t("wl.col.d1", "en")] == pytest.approx(want["d1_pct"])
        assert row[t("wl.col.m1", "en")] == pytest.approx(want["m1_pct"])
        assert row[t("wl.col.posts", "en")] > 0                     # the demo forum talks about it
        assert not math.isnan(row[t("wl.col.level", "en")])
        assert str(row[t("wl.col.level_session", "en")]) <= str(want["as_of"].date())   # never after the last close
        assert row[t("wl.col.rank", "en")] >= 1                     # ranked by the Fund ideas default
        m = meter.fund_meters(demo_store, None, [CODE], closes, provider.universe()).iloc[0]
        assert row[t("wl.col.bull", "en")] == pytest.approx(m["bull_share"] * 100)
        captions = " ".join(str(c.value) for c in at.caption)
        assert f"As of {want['as_of'].date()}" in captions and "1D change = last close" in captions
        at.button(key=f"wl-remove-{CODE}").click()
        at.run()
        assert not at.exception, at.exception
        assert watchlist.codes(demo_store, owner) == []
        assert any(i.value == t("wl.empty", "en") for i in at.info)
    finally:
        for code in watchlist.codes(demo_store, owner):
            watchlist.remove(demo_store, owner, code)


def test_price_change_and_posts_window_formulas() -> None:
    idx = pd.bdate_range("2026-01-01", "2026-03-02")
    close = pd.Series([100.0 + i for i in range(len(idx))], index=idx)
    got = price_change(close)
    assert got["as_of"] == idx[-1]
    assert got["d1_pct"] == (close.iloc[-1] / close.iloc[-2] - 1) * 100
    month = close[close.index <= pd.Timestamp("2026-02-02")].iloc[-1]       # one month before 03-02
    assert got["m1_pct"] == (close.iloc[-1] / month - 1) * 100
    short = price_change(close.iloc[:3])
    assert math.isnan(short["m1_pct"]) and not math.isnan(short["d1_pct"])
    daily = pd.DataFrame({"code": "F", "session": idx[-10:], "n_posts": range(10), "n_scored": [1] * 9 + [0],
                          "mean_score": [0.5] * 8 + [0.7, float("nan")], "z": [float("nan")] * 8 + [2.5, float("nan")]})
    late = pd.DataFrame({"code": ["F"], "session": [idx[-1] + pd.Timedelta(days=1)], "n_posts": [99], "n_scored": [99],
                         "mean_score": [0.1], "z": [-9.0]})                 # after the last close: never counted
    table = watch_table(["F"], pd.DataFrame({"F": close}), pd.concat([daily, late]), pd.DataFrame(
        {"code": ["F"], "bull_share": [0.25]}), pd.DataFrame({"code": ["F"], "rank": [3]})).iloc[0]
    assert table["posts_7"] == sum(range(3, 10))                            # the last 7 sessions
    assert table["level"] == 0.7 and table["z"] == 2.5 and table["level_session"] == idx[-2]
    assert table["rank"] == 3 and table["bull_share"] == 0.25
