"""The fund-idea ranking at one as-of date: which decision session a date means, the ranked
list of funds (scored best first, then the unscored with their reason), the features that
drove each score and the per-feature contributions.

Every score is Σ_f c_f with c_f = coefficient_f · z_f (``scoring``), so the list can say
exactly which features pushed a fund up (c_f > 0) or down (c_f < 0), and whether the fund
is above (z_f ≥ 0) or below the cross-sectional mean on each. The words for people are
made from these ``Driver`` tuples by ``view.ideas_text``.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Hashable, Mapping
from typing import Any, NamedTuple

import numpy as np
import pandas as pd

from socialfund.core.errors import ValidationError
from socialfund.ideas.features import FEATURES, HORIZON, FeatureSet
from socialfund.ideas.scoring import MIN_FUNDS_PER_DATE, Scores, cross_sectional_z

TOP_DRIVERS = 2               # contributions named per fund
NEGLIGIBLE = 1e-9             # |contribution| at or below this names no driver


class Driver(NamedTuple):
    """One feature behind a score: ``up`` — it raised the score (contribution > 0);
    ``high`` — the fund's z-score of it is at or above the cross-sectional mean."""

    feature: str
    up: bool
    high: bool


def parse_as_of(value: dt.date | str) -> dt.date:
    """A YYYY-MM-DD date (or a date) → ``datetime.date``; anything else is a ValidationError."""
    if isinstance(value, dt.date):
        return value if not isinstance(value, dt.datetime) else value.date()
    try:
        return dt.date.fromisoformat(str(value).strip())
    except ValueError:
        raise ValidationError(f"as-of date is not a date: {value!r} (use YYYY-MM-DD)") from None


def resolve_session(fs: FeatureSet, as_of: dt.date | str | None) -> pd.Timestamp:
    """The decision session for ``as_of``: the last decision session on or before it
    (default: the latest, provisional one)."""
    if as_of is None:
        return fs.sessions[-1]
    stamp = pd.Timestamp(parse_as_of(as_of))
    pos = int(fs.sessions.searchsorted(stamp, side="right")) - 1
    if pos < 0:
        raise ValidationError(f"as-of date {stamp.date()} is before the first session {fs.sessions[0].date()}")
    return fs.sessions[pos]


def top_drivers(row: pd.Series, z_row: pd.Series | None, top: int = TOP_DRIVERS) -> tuple[Driver, ...]:
    """The ``top`` largest contributions |c_f| of one scored row (ties: FEATURES order),
    leaving out negligible ones; without ``z_row`` the contribution's sign stands in for z."""
    contrib = pd.Series({f: float(row.get(f"c_{f}", 0.0)) for f in FEATURES})
    contrib = contrib[contrib.abs() > NEGLIGIBLE]
    drivers = []
    for f in contrib.abs().sort_values(ascending=False, kind="mergesort").index[:top]:
        z = float(z_row[f]) if z_row is not None else float(np.sign(contrib[f]))
        drivers.append(Driver(str(f), bool(contrib[f] > 0), z >= 0))
    return tuple(drivers)


def ranked_list(fs: FeatureSet, scores: Scores, as_of: dt.date | str | None = None, *,
                top: int | None = None) -> pd.DataFrame:
    """The ranking at one decision session: one row per fund (scored first, best first;
    then unscored funds with their ``reason``). Columns: code, session, score, rank,
    rank_change (rank 20 sessions earlier − now; + = moved up), drivers (``top_drivers``;
    None when unscored), reason and c_*."""
    session = resolve_session(fs, as_of)
    feats = fs.features.xs(session, level="session")
    table = scores.table
    if session in table.index.get_level_values("session"):
        now = table.xs(session, level="session")
    else:
        now = table.iloc[:0].droplevel("session")
    pos = int(fs.sessions.searchsorted(session))      # session is on the axis
    before = fs.sessions[pos - HORIZON] if pos >= HORIZON else None
    prev_rank = (table.xs(before, level="session")["rank"]
                 if before is not None and before in table.index.get_level_values("session") else pd.Series(dtype=float))
    z = cross_sectional_z(fs.features)
    z_now = z.xs(session, level="session") if session in z.index.get_level_values("session") else None
    rows: list[dict[str, Any]] = []
    for code in feats.index:
        reason = feats.at[code, "reason"]
        if code in now.index:
            r = now.loc[code]
            rank = int(r["rank"])
            change = (int(prev_rank[code]) - rank) if code in prev_rank.index else None
            rows.append({"code": code, "score": float(r["score"]), "rank": rank, "rank_change": change,
                         "drivers": top_drivers(r, z_now.loc[code] if z_now is not None else None),
                         "reason": "", **{f"c_{f}": float(r[f"c_{f}"]) for f in FEATURES}})
        else:
            if not reason:
                reason = ("model not trained yet (too little history)" if scores.method == "model"
                          else f"fewer than {MIN_FUNDS_PER_DATE} funds with data that day")
            rows.append({"code": code, "score": math.nan, "rank": None, "rank_change": None, "drivers": None,
                         "reason": reason, **{f"c_{f}": math.nan for f in FEATURES}})
    out = pd.DataFrame(rows)
    out.insert(1, "session", session)
    out["_k"] = out["rank"].fillna(10**9)
    out = out.sort_values(["_k", "code"], kind="mergesort").drop(columns="_k").reset_index(drop=True)
    out["rank"] = out["rank"].astype("Int64")
    out["rank_change"] = out["rank_change"].astype("Int64")
    if top is not None:
        out = out[out["rank"].notna()].head(int(top))
    return out


def contributions_dict(row: Mapping[Hashable, Any] | pd.Series) -> dict[str, float]:
    """The c_* columns of one ranked row as {feature: contribution}, 6 decimals."""
    return {f: round(float(row[f"c_{f}"]), 6) + 0.0 for f in FEATURES}  # + 0.0: no "-0.0"
