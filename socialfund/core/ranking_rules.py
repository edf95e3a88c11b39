"""Leaderboard ranking rules: versioned, published rules that rank public portfolios by a
luck-corrected, risk-adjusted measure (deflated Sharpe by default). Pure data and
computation: the store-aware table is ``socialfund.services.leaderboard``; the rules' text
in both languages is ``lb.rules.description`` / ``lb.sort.<key>`` in
``socialfund.view.i18n.leaderboard``.

Rules (``RULES_VERSION``):

* Only ``visibility == 'public'`` portfolios are ever screened or shown.
* Everything is computed from data up to ``as_of`` (NAV rows dated after it are
  dropped; a portfolio created or closed after ``as_of`` is treated as not yet
  existing / still open), so a ranking can be reproduced later and has no look-ahead.
* **Screened** = public portfolios created by ``as_of`` with at least
  ``min(min_sessions, W)`` daily returns in the window (W = window sessions;
  ``min_sessions`` for ``all``), *including closed and otherwise ineligible ones* (no
  survivorship bias); shorter samples are left out because the normal approximation of
  a Sharpe's standard error is poor on a few returns.
* **One Sharpe**: the Sharpe column, PSR, DSR and the luck line are all computed on the
  excess returns ``r − rf_p`` over the stated annual ``risk_free_rate`` (``rf_p`` its
  per-session equivalent), so a row's Sharpe is above 0 exactly when its PSR is above ½.
* **Luck line from comparable trials** (``sharpe_inference.luck_line``): each screened
  portfolio's per-period Sharpe is standardised by its own standard error (the PSR
  denominator with its own n, skewness and kurtosis), ``z_i = SR̂_i / σ̂(SR̂_i)``; the
  hurdle is ``Z* = √V_z · E[max of N standard normals]`` with ``V_z`` the variance of
  the N screened z's, and ``DSR_i = Φ(z_i − Z*)``. Drawn in Sharpe units, a portfolio's
  luck line is ``Z*·σ̂(SR̂_i)`` (annualised ×√periods: ``luck_sharpe``). Pooling raw
  Sharpes instead would let the noisy Sharpes of short records inflate the variance and
  so the hurdle of every portfolio.
* **Eligible** (shown) = screened and
  1. track record: at least ``min_sessions`` daily returns from the first fill up to
     ``as_of`` (whatever the window);
  2. window coverage: for a fixed window of W sessions, a NAV at the session before the
     window and at its last session (so all compared returns cover the same W sessions;
     a portfolio closed inside the window is not compared on it); window ``all`` uses
     each portfolio's whole history;
  3. activity: an open portfolio was rebalanced or confirmed within
     ``max_days_since_rebalance`` calendar days before ``as_of`` (Shanghai dates);
     closed portfolios are exempt (their record is final) but only shown with
     ``include_closed=True``.
* Followers and copiers are shown, never used to rank. Ties are broken by portfolio id.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import TypeAlias

import numpy as np
import pandas as pd

from socialfund.core import sharpe_inference as si
from socialfund.core.panel import panel_metrics
from socialfund.core.errors import ValidationError
from socialfund.core.sessions import MARKET_TZ, PERIODS_PER_YEAR

RULES_VERSION = "2026.12-1"

#: What ``as_of`` may be given as (read on the Shanghai calendar when tz-aware).
DateLike: TypeAlias = "dt.date | str | pd.Timestamp | np.datetime64"

WINDOW_SESSIONS: Mapping[str, int | None] = MappingProxyType(
    {"1M": 21, "3M": 63, "6M": 126, "1Y": PERIODS_PER_YEAR, "all": None})

#: Sort keys -> True when larger is better. max_drawdown is ≤ 0, so larger (closer
#: to 0) is better; lower volatility is better.
SORT_KEYS: Mapping[str, bool] = MappingProxyType({
    "dsr": True, "psr": True, "sharpe": True, "total_return": True,
    "max_drawdown": True, "volatility": False})

META_COLUMNS = ("portfolio_id", "name", "visibility", "owner_id", "created_on", "closed_on",
                "last_rebalance_at", "category", "followers", "copiers")

OUTPUT_COLUMNS = ("portfolio_id", "name", "rank", "dsr", "psr", "sharpe", "luck_sharpe", "total_return",
                  "max_drawdown", "volatility", "risk_class", "sessions", "followers", "copiers", "closed")

#: Columns are processed in blocks so 100,000 portfolios do not need several
#: copies of a 100,000 x 750 matrix at once.
_BLOCK = 4096


@dataclass(frozen=True)
class LeaderboardRules:
    """The published, versioned ranking rules. Rates are annual; the Sharpe column, PSR,
    DSR and the luck line are all on excess returns over ``risk_free_rate``."""

    min_sessions: int = 60
    max_days_since_rebalance: int = 90
    default_sort: str = "dsr"
    risk_free_rate: float = 0.0
    periods_per_year: int = PERIODS_PER_YEAR
    windows: Mapping[str, int | None] = field(default_factory=lambda: WINDOW_SESSIONS)
    version: str = RULES_VERSION

    def __post_init__(self) -> None:
        if self.min_sessions < 2:
            raise ValidationError("min_sessions must be at least 2")
        if self.max_days_since_rebalance < 0:
            raise ValidationError("max_days_since_rebalance must be >= 0")
        if self.default_sort not in SORT_KEYS:
            raise ValidationError(f"unknown sort {self.default_sort!r}; choose from {', '.join(SORT_KEYS)}")


@dataclass(frozen=True)
class ScreenSummary:
    """What the luck correction is based on (``sharpe_inference.luck_line``):
    ``n_screened`` trials N, ``z_variance`` V_z of their standardised Sharpes and
    ``luck_z`` Z*, the hurdle in standard errors. Each row's hurdle in Sharpe units is its
    ``luck_sharpe``; ``expected_best_sharpe`` (annualised, per-period value × √periods)
    is that line for a skill-less record of ``reference_sessions`` returns (σ̂ at SR̂ = 0
    is 1/√(n − 1)): the window's W, or for ``all`` the median screened record."""

    rules_version: str
    window: str
    as_of: dt.date
    n_screened: int
    n_eligible: int
    z_variance: float
    luck_z: float
    reference_sessions: int
    expected_best_sharpe_per_period: float
    expected_best_sharpe: float


# --------------------------------------------------------------------------- helpers

def _as_date(value: DateLike, what: str) -> dt.date:
    try:
        stamp = pd.Timestamp(value)
    except (TypeError, ValueError):
        raise ValidationError(f"{what} is not a date: {value!r}") from None
    if pd.isna(stamp):
        raise ValidationError(f"{what} is missing")
    if stamp.tzinfo is not None:
        stamp = stamp.tz_convert(MARKET_TZ)
    return stamp.date()


def _date_column(values: pd.Series, what: str) -> pd.Series:
    """Column of dates (NaT kept) from dates, strings or tz-aware timestamps, read on the
    Shanghai calendar."""
    if values.dtype == object:  # blank cells from CSV mean "no date"
        values = values.where(values.astype(str).str.strip() != "", None)
    try:
        try:
            parsed = pd.to_datetime(values, format="mixed")
        except ValueError:  # mixed offsets / naive and aware together
            parsed = pd.to_datetime(values, utc=True, format="mixed")
    except (TypeError, ValueError) as exc:
        raise ValidationError(f"meta column {what} has a value that is not a date/time ({exc})") from None
    if isinstance(parsed.dtype, pd.DatetimeTZDtype):
        # Naive values are Shanghai dates already; aware ones are read on its calendar.
        parsed = parsed.dt.tz_convert(MARKET_TZ).dt.tz_localize(None)
    return parsed.dt.normalize()


def _check_meta(meta: pd.DataFrame) -> None:
    if not isinstance(meta, pd.DataFrame):
        raise ValidationError("meta must be a DataFrame")
    missing = [c for c in META_COLUMNS if c not in meta.columns]
    if missing:
        raise ValidationError(f"meta is missing column(s): {', '.join(missing)}")
    if meta["portfolio_id"].duplicated().any():
        dup = meta.loc[meta["portfolio_id"].duplicated(), "portfolio_id"].iloc[0]
        raise ValidationError(f"meta has portfolio_id {dup} more than once")


def _window_metrics(block: np.ndarray, index: pd.Index, rules: LeaderboardRules) -> dict[str, np.ndarray]:
    """Metrics of one block of window returns (sessions x portfolios)."""
    return panel_metrics(pd.DataFrame(block, index=index), rules.risk_free_rate, rules.periods_per_year)


def screen_table(nav: pd.DataFrame, meta: pd.DataFrame, window: str, as_of: DateLike,
                 rules: LeaderboardRules | None = None,
                 activity: pd.DataFrame | None = None) -> tuple[pd.DataFrame, ScreenSummary]:
    """Every public portfolio existing at ``as_of`` with its window metrics, ``screened``
    and ``eligible`` flags and, when not eligible, the ``reason`` (first failed gate).

    ``nav``: sessions (tz-naive DatetimeIndex) x portfolio ids, NaN where a portfolio
    has no NAV (``socialfund.portfolios.nav_matrix``). ``activity`` (optional):
    ``portfolio_id, at`` rows for every rebalance/confirmation, needed for a historical
    ``as_of``; without it ``meta.last_rebalance_at`` is used and must not be after
    ``as_of``."""
    rules = rules or LeaderboardRules()
    if window not in rules.windows:
        raise ValidationError(f"unknown window {window!r}; choose from {', '.join(rules.windows)}")
    if not isinstance(nav, pd.DataFrame) or not isinstance(nav.index, pd.DatetimeIndex) or nav.index.tz is not None:
        raise ValidationError("nav must be a DataFrame indexed by tz-naive session dates")
    _check_meta(meta)
    as_of_date = _as_date(as_of, "as_of")
    cutoff = pd.Timestamp(as_of_date)

    # Visibility first: nothing else about a non-public portfolio is even looked at.
    public = meta.loc[meta["visibility"].astype(str) == "public"].copy()
    public["created"] = _date_column(public["created_on"], "created_on")
    public["closed_day"] = _date_column(public["closed_on"], "closed_on")
    public = public.loc[public["created"].isna() | (public["created"] <= cutoff)]
    public["closed"] = public["closed_day"].notna() & (public["closed_day"] <= cutoff)

    if activity is not None:
        if not {"portfolio_id", "at"} <= set(activity.columns):
            raise ValidationError("activity needs columns portfolio_id, at")
        acts = activity.assign(day=_date_column(activity["at"], "activity.at"))
        acts = acts.loc[acts["day"] <= cutoff]
        last_active = acts.groupby("portfolio_id")["day"].max()
        # keep a datetime column even when nothing happened by the cutoff (empty map → object NaN)
        public["last_active"] = pd.to_datetime(public["portfolio_id"].map(last_active))
    else:
        public["last_active"] = _date_column(public["last_rebalance_at"], "last_rebalance_at")
        late = public.loc[public["last_active"] > cutoff]
        if len(late):
            raise ValidationError(
                f"portfolio {late['portfolio_id'].iloc[0]}: last_rebalance_at is after as_of {as_of_date}; "
                f"pass activity= (all rebalance times) to rank at a past date")

    history = nav.loc[nav.index <= cutoff]
    ids = public["portfolio_id"].loc[public["portfolio_id"].isin(history.columns)].tolist()
    sessions_w = rules.windows[window]
    rows = history.shape[0] if sessions_w is None else min(history.shape[0], sessions_w + 1)
    window_nav = history.iloc[history.shape[0] - rows:]

    columns = ("n", "sr", "skew", "kurt", "sharpe", "total_return", "max_drawdown", "volatility", "risk_class")
    results = {c: np.full(len(ids), np.nan) for c in columns}
    track = np.zeros(len(ids))
    covered = np.zeros(len(ids), dtype=bool)
    returns_index = window_nav.index[1:]
    for lo in range(0, len(ids), _BLOCK):
        block_ids = ids[lo:lo + _BLOCK]
        values = window_nav[block_ids].to_numpy(dtype=float)
        track[lo:lo + len(block_ids)] = np.maximum(history[block_ids].notna().to_numpy().sum(axis=0) - 1, 0)
        if values.shape[0] == 0:
            continue
        # A fixed window is covered when the NAV exists at its base and at its last session.
        covered[lo:lo + len(block_ids)] = (~np.isnan(values[0]) & ~np.isnan(values[-1])) \
            if sessions_w is not None else True
        with np.errstate(invalid="ignore", divide="ignore"):
            block_returns = values[1:] / values[:-1] - 1.0
        for key, val in _window_metrics(block_returns, returns_index, rules).items():
            results[key][lo:lo + len(block_ids)] = val

    table = pd.DataFrame({"portfolio_id": ids, **results, "track_sessions": track, "covers_window": covered})
    table = public.merge(table, on="portfolio_id", how="left")
    # Screened = had enough returns in the window to be a candidate (see the module docstring).
    min_screen = rules.min_sessions if sessions_w is None else min(rules.min_sessions, sessions_w)
    table["screened"] = np.isfinite(table["sr"].to_numpy(dtype=float)) & (table["n"].fillna(0) >= min_screen)
    days_idle = (cutoff - table["last_active"]).dt.days
    active = table["closed"] | (days_idle <= rules.max_days_since_rebalance)
    reason = np.select(
        [table["track_sessions"].fillna(0) < rules.min_sessions, ~table["screened"],
         ~table["covers_window"].fillna(False).astype(bool), ~active],
        [f"fewer than {rules.min_sessions} sessions of track record", "too few returns in the window",
         "does not cover the whole window", f"no rebalance or confirmation in {rules.max_days_since_rebalance} days"],
        default="")
    table["reason"] = reason
    table["eligible"] = reason == ""

    moments = (table["n"], table["sr"], table["skew"], table["kurt"])
    screened = table.loc[table["screened"]]
    luck = si.luck_line(screened["n"], screened["sr"], screened["skew"], screened["kurt"])
    table["psr"] = si.psr_from_moments(*moments, 0.0)
    table["dsr"] = si.deflated_from_moments(*moments, luck.z_star)
    per_year = math.sqrt(rules.periods_per_year)
    table["luck_sharpe"] = luck.z_star * si.sharpe_standard_error(*moments) * per_year
    table["sessions"] = table["n"].fillna(0).astype("int64")
    table["risk_class"] = table["risk_class"].astype("Int64")
    reference = sessions_w if sessions_w is not None else \
        (int(np.median(screened["n"])) if len(screened) else 0)
    best = luck.z_star / math.sqrt(reference - 1) if reference > 1 else float("nan")
    summary = ScreenSummary(
        rules_version=rules.version, window=window, as_of=as_of_date, n_screened=luck.n_trials,
        n_eligible=int(table["eligible"].sum()), z_variance=luck.z_variance, luck_z=luck.z_star,
        reference_sessions=reference, expected_best_sharpe_per_period=best, expected_best_sharpe=best * per_year)
    return table, summary


def rank_portfolios(nav: pd.DataFrame, meta: pd.DataFrame, window: str, as_of: DateLike,
                    rules: LeaderboardRules | None = None, sort_by: str | None = None,
                    include_closed: bool = False, activity: pd.DataFrame | None = None) -> pd.DataFrame:
    """The leaderboard: eligible public portfolios, best first, with ``rank`` 1..n.

    Columns: portfolio_id, name, rank, dsr, psr, sharpe (annualised, on excess returns),
    luck_sharpe (the row's annualised luck line, ``Z*·σ̂(SR̂)·√periods``), total_return, max_drawdown,
    volatility, risk_class (SRRI 1–7), sessions (daily returns in the window),
    followers, copiers, closed. ``sort_by`` one of ``SORT_KEYS`` (default the rules'
    ``default_sort``); NaN sorts last; ties by portfolio id. Closed portfolios appear
    only with ``include_closed`` (they always count as screened). The
    ``ScreenSummary`` is in ``result.attrs['screen_summary']``; see the module docstring
    for the gates."""
    rules = rules or LeaderboardRules()
    sort_by = sort_by or rules.default_sort
    if sort_by not in SORT_KEYS:
        raise ValidationError(f"unknown sort {sort_by!r}; choose from {', '.join(SORT_KEYS)}")
    table, summary = screen_table(nav, meta, window, as_of, rules, activity)
    shown = table.loc[table["eligible"] & (include_closed | ~table["closed"])].copy()
    key = shown[sort_by].astype(float)
    shown["_key"] = -key if SORT_KEYS[sort_by] else key
    shown = shown.sort_values(["_key", "portfolio_id"], na_position="last", kind="mergesort")
    shown["rank"] = np.arange(1, len(shown) + 1)
    out = shown.loc[:, list(OUTPUT_COLUMNS)].reset_index(drop=True)
    out["closed"] = out["closed"].astype(bool)
    out.attrs["screen_summary"] = summary
    out.attrs["rules_version"] = rules.version
    out.attrs["sort_by"] = sort_by
    return out


def screen_summary(nav: pd.DataFrame, meta: pd.DataFrame, window: str, as_of: DateLike,
                   rules: LeaderboardRules | None = None, activity: pd.DataFrame | None = None) -> ScreenSummary:
    """N screened, N eligible and the best Sharpe expected by luck (see ``ScreenSummary``)."""
    return screen_table(nav, meta, window, as_of, rules, activity)[1]
