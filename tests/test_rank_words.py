"""Issue 14, part 4: "why this rank" in words, from a row's own Sharpe, luck line and DSR."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from socialfund.view.rank_words import cleared, clears_luck_line, rank_words, table_words, verdict_key


def test_the_issue_example_reads_as_written() -> None:
    row = {"sharpe": 1.93, "luck_sharpe": 2.78, "dsr": 0.255}
    assert rank_words(row, 202, "zh") == "夏普 1.93，低于 202 个组合中纯靠运气可达的 2.78 → 紧缩夏普 0.255：不能排除运气"
    assert rank_words(row, 202, "en") == ("Sharpe 1.93, below the 2.78 that luck alone reaches among 202 portfolios "
                                          "→ deflated Sharpe 0.255: luck cannot be ruled out")


def test_verdicts_follow_the_luck_line_and_the_95_percent_dsr() -> None:
    assert verdict_key({"sharpe": 3.0, "luck_sharpe": 2.0, "dsr": 0.97}) == "rank.verdict.skill"
    assert verdict_key({"sharpe": 2.5, "luck_sharpe": 2.0, "dsr": 0.70}) == "rank.verdict.weak"
    assert verdict_key({"sharpe": 1.0, "luck_sharpe": 2.0, "dsr": 0.10}) == "rank.verdict.luck"
    assert "高于" in rank_words({"sharpe": 2.5, "luck_sharpe": 2.0, "dsr": 0.7}, 10, "zh")
    assert rank_words({"sharpe": math.nan, "luck_sharpe": 2.0, "dsr": math.nan}, 10, "en").startswith("too few")


def test_counting_rows_above_their_line() -> None:
    table = pd.DataFrame({"sharpe": [2.0, 1.0, np.nan], "luck_sharpe": [1.5, 1.5, 1.0], "dsr": [0.8, 0.2, np.nan]})
    assert cleared(table) == 1 and [clears_luck_line(r) for r in table.to_dict("records")] == [True, False, False]
    assert len(table_words(table, 3, "zh")) == 3


def test_on_the_demo_leaderboard_above_the_line_is_exactly_dsr_above_one_half(demo_store) -> None:  # type: ignore[no-untyped-def]
    from socialfund.core.config import load_settings
    from socialfund.market.providers import get_provider
    from socialfund.services.leaderboard import community_nav, leaderboard_table

    provider = get_provider(load_settings(), demo_store)
    inputs = community_nav(demo_store, provider)
    for window in ("1M", "1Y", "all"):
        table = leaderboard_table(demo_store, provider, window, include_closed=True, inputs=inputs)
        for row in table.to_dict("records"):
            if math.isfinite(row["dsr"]) and abs(row["dsr"] - 0.5) > 1e-9:
                assert clears_luck_line(row) == (row["dsr"] > 0.5), (window, row["portfolio_id"])
