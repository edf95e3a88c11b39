"""The leaderboard as a service over the store: every public portfolio's NAV on one
session axis (``community_nav``) ranked by the published rules (``leaderboard_table``).

This module only *wires*: it loads public portfolios, versions and prices, puts prices on
one explicit session axis (``socialfund.market.sessions``) and hands everything to the
pure library (``socialfund.portfolios`` for NAVs, ``socialfund.core.metrics`` for every
figure, ``socialfund.core.ranking_rules`` for the ranking). The CLI and the page call
these functions, so a number is computed one way only.

Visibility: the leaderboard reads public portfolios only (private and unlisted ones
never reach the ranking; deleted public ones stay in its record as closed).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from socialfund import portfolios
from socialfund.core import metrics, ranking_rules
from socialfund.core.config import load_settings
from socialfund.core.errors import ValidationError
from socialfund.market.providers import PriceProvider
from socialfund.market.sessions import DEFAULT_BENCHMARK
from socialfund.services import nav_artefact
from socialfund.services.portfolio_data import closed_by, latest_session
from socialfund.store import Store, community
from socialfund.store.artefacts import Artefacts
from socialfund.view.i18n import t

#: Sorts offered by the leaderboard: the library's keys plus Calmar (larger is better),
#: which the library does not rank by, so it is sorted here with the same rule
#: (NaN last, ties by portfolio id).
SORT_KEYS: Mapping[str, bool] = {**ranking_rules.SORT_KEYS, "calmar": True}
WINDOWS: tuple[str, ...] = tuple(ranking_rules.WINDOW_SESSIONS)

#: Columns of ``CommunityNav.excluded`` (see ``excluded_frame``).
EXCLUDED_COLUMNS = ("portfolio_id", "name", "reason", "kind", "code", "session", "last_price_on", "max_carry")

TABLE_COLUMNS = ("portfolio_id", "name", "rank", "dsr", "psr", "sharpe", "luck_sharpe", "total_return",
                 "max_drawdown", "volatility", "calmar", "risk_class", "sessions", "track_sessions", "followers", "copiers",
                 "closed", "deleted_on", "style", "owner_name")


# --------------------------------------------------------------------------- community

@dataclass(frozen=True)
class CommunityNav:
    """Everything the leaderboard needs, computed once per ``as_of``: the NAV of every
    public portfolio on the XSHG session axis, their metadata (leaderboard columns plus
    style and owner name) and every rebalance/confirmation time (``activity``). Portfolios
    in ``excluded`` are in neither ``nav`` nor ``meta``: they are not ranked nor screened."""

    nav: pd.DataFrame
    meta: pd.DataFrame
    activity: pd.DataFrame
    as_of: dt.date
    #: public portfolios left out of the ranking because a holding has no usable price
    #: (``portfolios.NavStatus``): ``EXCLUDED_COLUMNS``, by portfolio id.
    excluded: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=list(EXCLUDED_COLUMNS)))


def community_nav(store: Store, provider: PriceProvider, as_of: dt.date | None = None,
                  benchmark: str = DEFAULT_BENCHMARK, *, use_artefacts: bool = True) -> CommunityNav:
    """NAVs of every public portfolio from data up to ``as_of`` (default: the latest
    session). Private and unlisted portfolios are dropped before anything is loaded about
    them. Public portfolios that were later deleted stay in the record as closed on their
    deletion date (no survivorship bias: they count among the screened). Visibility,
    deletion, closing and followers are read as of ``as_of`` (``community.portfolio_meta``):
    a portfolio public then is ranked as of then even if deleted or made private since.
    ``use_artefacts``: reuse and update the stored NAV artefact (``services.nav_artefact``;
    False values every portfolio afresh and stores nothing — the same numbers)."""
    # The community as it was at the end of ``as_of`` (visibility, deletion, closing,
    # followers: ``community.portfolio_meta``); without one, as it is now.
    meta = community.portfolio_meta(store, as_of=as_of)
    as_of = as_of or latest_session(provider, benchmark)
    meta = meta.loc[meta["visibility"] == "public"].copy()
    # a deletion after the latest data date still takes the portfolio off the live list now
    meta["closed_on"] = [community.closed_or_deleted(c, None if pd.isna(d) else min(d, as_of))
                         for c, d in zip(meta["closed_on"], meta["deleted_on"])]
    meta = meta.loc[meta["created_on"].isna() | (meta["created_on"] <= as_of)]
    closed = {int(pid): closed_by(c, as_of) for pid, c in zip(meta["portfolio_id"], meta["closed_on"])}
    # versions placed by the end of Shanghai day as_of, valued as arrays; columns whose
    # inputs did not change since the last visit come from the stored artefact
    artefacts = Artefacts.of_store(store, load_settings().data_dir) if use_artefacts else None
    valuation = nav_artefact.value_community(store, provider, meta, closed, as_of, benchmark, artefacts)
    valued = valuation.valued
    left_out = valued.excluded   # a property that walks every status: read it once
    excluded = excluded_frame(meta, left_out)
    nav = valued.nav.drop(columns=list(left_out)) if left_out else valued.nav
    meta = meta.loc[~meta["portfolio_id"].isin(left_out)]
    kept = ~np.isin(valuation.portfolio_ids, np.asarray(list(left_out), dtype=np.int64))
    # the activity gate needs the last placement by as_of (read with the versions) and every confirmation
    activity = community.activity_with_placements(store, valuation.portfolio_ids[kept],
                                                  valuation.last_placed_ns[kept])
    lb_meta = meta.assign(category=meta["style"])
    lb_meta["closed_on"] = [closed_by(c, as_of) for c in lb_meta["closed_on"]]
    return CommunityNav(nav=nav, meta=lb_meta.reset_index(drop=True), activity=activity, as_of=as_of,
                        excluded=excluded)


def excluded_frame(meta: pd.DataFrame, excluded: Mapping[int, portfolios.NavStatus]) -> pd.DataFrame:
    """One row per excluded portfolio (``EXCLUDED_COLUMNS``, by id): its name and the
    status' reason (English, names the code), kind, code, session and last price date
    (what the pages translate)."""
    names = dict(zip(meta["portfolio_id"].astype(int), meta["name"]))
    rows = [(pid, names.get(pid, ""), s.reason, s.kind, s.code, s.session, s.last_price_on, s.max_carry)
            for pid, s in sorted(excluded.items())]
    return pd.DataFrame(rows, columns=list(EXCLUDED_COLUMNS))


def excluded_portfolios(store: Store, provider: PriceProvider, as_of: dt.date | None = None, *,
                        inputs: CommunityNav | None = None) -> list[dict[str, Any]]:
    """The public portfolios left out of the leaderboard: ``[{portfolio_id, name, reason}]``
    by id (what ``leaderboard --excluded --json`` prints)."""
    inputs = inputs or community_nav(store, provider, as_of)
    return [{"portfolio_id": int(r["portfolio_id"]), "name": str(r["name"]), "reason": str(r["reason"])}
            for r in inputs.excluded.to_dict("records")]


def leaderboard_rules(rf: float | None = None) -> ranking_rules.LeaderboardRules:
    """The published rules with the annual risk-free rate ``rf`` (default: the configured one)."""
    if rf is None:
        rf = load_settings().risk_free
    return ranking_rules.LeaderboardRules(risk_free_rate=rf)


def rules_description(rules: ranking_rules.LeaderboardRules, lang: str) -> str:
    """The rules in words (``lb.rules.description``), with their parameters filled in."""
    return t("lb.rules.description", lang, version=rules.version, min_sessions=rules.min_sessions,
             max_days_since_rebalance=rules.max_days_since_rebalance,
             sort_label=t(f"lb.sort.{rules.default_sort}", lang), periods_per_year=rules.periods_per_year,
             risk_free_rate=rules.risk_free_rate)


def _window_calmar(nav: pd.DataFrame, window: str, ids: Sequence[int],
                   rules: ranking_rules.LeaderboardRules) -> pd.Series:
    """Calmar over the same rows the library uses for the window (last W+1 NAVs)."""
    sessions = rules.windows[window]
    block = nav[list(ids)] if sessions is None else nav[list(ids)].iloc[-(sessions + 1):]
    returns = block / block.shift(1) - 1.0
    return metrics.calmar(returns.iloc[1:], rules.periods_per_year)


def leaderboard_table(store: Store, provider: PriceProvider, window: str = "1Y", as_of: dt.date | None = None,
                      sort_by: str = "dsr", include_closed: bool = False, *,
                      risk_classes: Iterable[int] | None = None, styles: Iterable[str] | None = None,
                      min_track_sessions: int | None = None, rf: float | None = None,
                      inputs: CommunityNav | None = None) -> pd.DataFrame:
    """The leaderboard (``TABLE_COLUMNS``), best first by ``sort_by`` (``SORT_KEYS``).

    Ranks come from ``ranking_rules.rank_portfolios`` over *all* eligible public
    portfolios; the optional filters (SRRI ``risk_classes``, ``styles``, minimum
    ``min_track_sessions`` daily returns of track record) only hide rows afterwards, so
    a rank and the luck hurdle never change with a filter. ``attrs``:
    ``screen_summary`` (N screened, V_z, the luck hurdle Z*; see ``ranking_rules``), ``rules_version``,
    ``risk_free``, ``sort_by``, ``window``, ``as_of`` and ``excluded`` (the portfolios left
    out because a holding has no usable price: records of ``EXCLUDED_COLUMNS``)."""
    if sort_by not in SORT_KEYS:
        raise ValidationError(f"unknown sort {sort_by!r}; choose from {', '.join(SORT_KEYS)}")
    if window not in WINDOWS:
        raise ValidationError(f"unknown window {window!r}; choose from {', '.join(WINDOWS)}")
    inputs = inputs or community_nav(store, provider, as_of)
    rules = leaderboard_rules(rf)
    table = ranking_rules.rank_portfolios(inputs.nav, inputs.meta, window, inputs.as_of, rules,
                                          sort_by="dsr" if sort_by == "calmar" else sort_by,
                                          include_closed=include_closed, activity=inputs.activity)
    summary = table.attrs["screen_summary"]
    history = inputs.nav.loc[inputs.nav.index <= pd.Timestamp(inputs.as_of)]
    ids = table["portfolio_id"].tolist()
    table["calmar"] = np.asarray(_window_calmar(history, window, ids, rules), dtype=float) if ids else []
    # daily returns of track record: valued sessions − 1, one column count over the block
    table["track_sessions"] = (np.maximum(history[ids].notna().sum(axis=0).to_numpy(dtype=np.int64) - 1, 0)
                               if ids else np.zeros(0, dtype=np.int64))
    extra = inputs.meta.set_index("portfolio_id")[["style", "owner_name", "deleted_on"]]
    table = table.join(extra, on="portfolio_id")
    if sort_by == "calmar":
        key = -table["calmar"].astype(float)
        table = table.assign(_k=key).sort_values(["_k", "portfolio_id"], na_position="last", kind="mergesort")
        table = table.drop(columns="_k")
        table["rank"] = np.arange(1, len(table) + 1)
    table = filter_rows(table, risk_classes=risk_classes, styles=styles, min_track_sessions=min_track_sessions)
    out = table.loc[:, list(TABLE_COLUMNS)].reset_index(drop=True)
    # attrs hold plain, picklable values only (pandas deep-copies attrs on every slice).
    out.attrs.update(screen_summary=summary, rules_version=rules.version, risk_free=rules.risk_free_rate,
                     sort_by=sort_by, window=window, as_of=inputs.as_of,
                     excluded=inputs.excluded.to_dict("records"))
    return out


def filter_rows(table: pd.DataFrame, *, risk_classes: Iterable[int] | None = None,
                styles: Iterable[str] | None = None, min_track_sessions: int | None = None) -> pd.DataFrame:
    """Hide leaderboard rows, never re-rank them: keep the SRRI ``risk_classes`` and the
    ``styles`` given (None = every one) and at least ``min_track_sessions`` daily returns of
    track record (None or 0 = any). The rows keep their index."""
    if risk_classes is not None:
        wanted = {int(c) for c in risk_classes}
        table = table.loc[table["risk_class"].isin(wanted)]
    if styles is not None:
        table = table.loc[table["style"].isin(set(styles))]
    if min_track_sessions:
        table = table.loc[table["track_sessions"] >= int(min_track_sessions)]
    return table


def table_styles(table: pd.DataFrame) -> list[str]:
    """The investment styles present in a leaderboard table, sorted (for the style filter)."""
    return sorted(str(s) for s in table["style"].dropna().unique())
