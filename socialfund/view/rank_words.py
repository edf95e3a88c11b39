""""Why this rank" in words, from a leaderboard row's own figures (issue 14, part 4).

A row's annualised Sharpe, its luck line (``luck_sharpe``: the best Sharpe its record would
reach by luck alone among the N screened, ``core.ranking_rules``) and its deflated Sharpe
(``dsr`` = Φ(z − Z*), the probability that the true Sharpe beats that line) are put in one
sentence, e.g. "夏普 1.93，低于 202 个组合中纯靠运气可达的 2.78 → 紧缩夏普 0.255：不能排除运气".

Verdicts: DSR ≥ ``SKILL_DSR`` (0.95) "unlikely to be luck"; Sharpe above the luck line
(DSR > 0.5) "above the line, evidence weak"; otherwise "luck cannot be ruled out"."""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

import pandas as pd

from socialfund.view.i18n import t

#: The deflated Sharpe from which a rank is called unlikely to be luck (a 95 % one-sided test).
SKILL_DSR = 0.95


def _finite(value: Any) -> float | None:
    try:
        f = float(value)
    except (TypeError, ValueError):
        return None
    return f if math.isfinite(f) else None


def clears_luck_line(row: Mapping[Any, Any]) -> bool:
    """The row's Sharpe is above its own luck line."""
    sharpe, luck = _finite(row.get("sharpe")), _finite(row.get("luck_sharpe"))
    return sharpe is not None and luck is not None and sharpe > luck


def verdict_key(row: Mapping[Any, Any]) -> str:
    dsr = _finite(row.get("dsr"))
    if dsr is not None and dsr >= SKILL_DSR:
        return "rank.verdict.skill"
    return "rank.verdict.weak" if clears_luck_line(row) else "rank.verdict.luck"


def rank_words(row: Mapping[Any, Any], n_screened: int, lang: str) -> str:
    """One leaderboard row's rank in words (``rank.words``)."""
    sharpe, luck, dsr = (_finite(row.get(k)) for k in ("sharpe", "luck_sharpe", "dsr"))
    if sharpe is None or luck is None or dsr is None:
        return t("rank.na", lang)
    relation = t("rank.above" if sharpe > luck else "rank.below", lang)
    return t("rank.words", lang, sharpe=f"{sharpe:.2f}", relation=relation, n=int(n_screened), luck=f"{luck:.2f}",
             dsr=f"{dsr:.3f}", verdict=t(verdict_key(row), lang))


def table_words(table: pd.DataFrame, n_screened: int, lang: str) -> list[str]:
    """``rank_words`` of every row of a leaderboard table, in its order."""
    return [rank_words(r, n_screened, lang) for r in table.to_dict("records")]


def cleared(table: pd.DataFrame) -> int:
    """How many rows have a Sharpe above their luck line."""
    return sum(clears_luck_line(r) for r in table.to_dict("records"))
