"""The pure helpers behind the Sentiment and Fund ideas pages (social.selection, ideas.display)."""

from __future__ import annotations

import math
from datetime import date

import pandas as pd

from socialfund.social import selection


def test_default_sources_funds_and_range() -> None:
    assert selection.default_sources({"demo": 5, "mine": 2}, "demo") == ["mine"]
    assert selection.default_sources({"demo": 5}, "demo") == ["demo"]
    assert selection.default_funds(["161725.SZ", "005827", "510300.SS"]) == ["510300.SS", "161725.SZ"]
    assert selection.default_funds(["005827", "512880.SS", "110022"]) == ["005827", "512880.SS"]
    assert selection.default_range(date(2024, 1, 1), date(2024, 12, 31)) == (date(2024, 7, 2), date(2024, 12, 31))
    assert selection.default_range(date(2024, 11, 1), date(2024, 12, 31)) == (date(2024, 11, 1), date(2024, 12, 31))


def test_window_and_fund_summary() -> None:
    sessions = pd.to_datetime(["2024-01-02", "2024-01-03", "2024-01-04"])
    daily = pd.DataFrame({"code": "A", "session": sessions, "n_posts": [1, 2, 3], "z": [None, 1.5, None]})
    tagged = pd.DataFrame({"code": ["A", "A", "A", "B"], "session": sessions[[0, 1, 1, 1]],
                           "score": [0.9, 0.1, None, 0.5], "label": ["pos", "neg", None, "neu"]})
    win = selection.window(daily, tagged, date(2024, 1, 3), date(2024, 1, 4))
    assert list(win.daily["n_posts"]) == [2, 3] and len(win.posts) == 3 and not win.empty
    s = selection.fund_summary(win, "A")
    assert s.mean_score == 0.1 and s.bull_share == 0.0 and s.n_posts == 5 and s.latest_z == 1.5
    assert math.isclose(s.bullishness, math.log((1 + 0) / (1 + 1)))   # ln((1+N_bull)/(1+N_bear))
    none = selection.fund_summary(win, "C")
    assert none.mean_score is None and none.bull_share is None and none.latest_z is None and none.n_posts == 0
    assert selection.window(daily, tagged, date(2025, 1, 1), date(2025, 2, 1)).empty


def test_keyword_rows_newest_first() -> None:
    kw = pd.DataFrame({"period": pd.to_datetime(["2024-01-01", "2024-01-01", "2024-01-08"]),
                       "rank": [1, 2, 1], "keyword": ["涨", "买", "跌"], "weight": [1.0, 0.5, 1.0],
                       "n_posts": [4, 4, 2]})
    rows = selection.keyword_rows(kw)
    assert list(rows["period"]) == [date(2024, 1, 8), date(2024, 1, 1)]
    assert list(rows["keywords"]) == ["跌", "涨 · 买"] and list(rows["n_posts"]) == [2, 4]
    assert selection.keyword_rows(kw.iloc[0:0]).empty
