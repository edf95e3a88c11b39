"""What the fund-ideas view shows, computed from the plain results of ``features``,
``scoring`` and ``ranking``: fund names and categories, the data day behind a decision
session, one fund's history for its detail chart, and the ranking's export frame.
(Words for people come translated from the caller; nothing here knows a language's text.)"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import pandas as pd

from socialfund.ideas.features import FEATURES, FeatureSet
from socialfund.ideas.scoring import Scores

TOP_CONTRIBUTIONS = 10   # funds shown in the contributions bar
EXPORT_COLUMNS = ["session", "rank", "code", "name", "score", "rank_change", "why", "reason",
                  *[f"c_{f}" for f in FEATURES]]


def fund_names(funds: pd.DataFrame, lang: str) -> dict[str, str]:
    """Code → the fund's name in ``lang`` ('zh' or 'en') from ``IdeasInputs.funds``."""
    return {r["code"]: (r["name_zh"] if lang == "zh" else r["name_en"]) for r in funds.to_dict("records")}


def fund_categories(funds: pd.DataFrame) -> dict[str, str]:
    return dict(zip(funds["code"], funds["category"]))


def data_day(fs: FeatureSet, session: pd.Timestamp) -> dt.date:
    """The last session whose close a decision at ``session`` may use (the one before it;
    the session itself when it is the first)."""
    pos = int(fs.sessions.searchsorted(session))   # the sessions are unique and sorted: get_loc
    return fs.sessions[pos - 1].date() if pos > 0 else session.date()


def is_provisional(fs: FeatureSet, session: pd.Timestamp) -> bool:
    """True when ``session`` is after the last close (a decision for the next session)."""
    return bool(session > fs.last_close)


@dataclass(frozen=True)
class FundHistory:
    """One fund's series up to a session: price, sentiment level, crowd share, rank."""

    price: pd.Series
    sentiment: pd.Series
    crowd: pd.Series
    rank: pd.Series


def fund_history(fs: FeatureSet, scores: Scores, code: str, session: pd.Timestamp) -> FundHistory:
    f = fs.features.xs(code, level="code")
    f = f[f.index <= session]
    rank = (scores.table.xs(code, level="code")["rank"] if code in scores.table.index.get_level_values("code")
            else pd.Series(dtype=float, index=pd.DatetimeIndex([])))   # a fund never ranked (no posts, stale)
    return FundHistory(f["price"], f["sent_level"], f["crowd_share"], rank[rank.index <= session])


def export_frame(table: pd.DataFrame, names: Mapping[str, str], reasons: Sequence[str],
                 data_source: str) -> pd.DataFrame:
    """The ranked list as a file: fund names, ``reasons`` (one per row, already in words),
    the per-feature contributions and the data source (demo data stays labelled as demo);
    sessions as YYYY-MM-DD text."""
    export = table.assign(name=[names.get(c, c) for c in table["code"]], reason=list(reasons))
    export = export[EXPORT_COLUMNS].assign(data_source=data_source)
    return export.assign(session=export["session"].dt.date.astype(str))
