"""The cached reads of the leaderboard, portfolio and my-portfolios pages, each keyed on
``app.cache_keys.nav_key()`` (so a change of visibility, a new version, a deletion, a close
or a price import misses at once) and, where the result depends on who is looking, on the viewer's id:

=====================  ==========================================================  ==============
function               caches / key                                                bound
=====================  ==========================================================  ==============
``leaderboard(...)``   the ranked public table (``services.leaderboard``), built   ttl 10 min, 16
                       on the community NAV (itself cached per ``as_of``); key:
                       window, sort, closed toggle, rf, community key. Public
                       portfolios only, so one entry serves every viewer.
``report(...)``        one portfolio's ``PortfolioReport``; key: portfolio id,    ttl 10 min, 64
                       benchmark, **viewer id**, rf, community key (an owner's
                       private portfolio is never served to anyone else).
                       ``forget_reports()`` empties it (followers changed).
``copy_result(...)``   one paper-copy simulation (``services.copies``); key:      ttl 10 min, 64
                       portfolio id, **viewer id**, the copy's settings, community
                       key.
=====================  ==========================================================  ==============

Library errors are never cached (Streamlit does not cache a raised exception): they reach
the caller, which shows them (``app.errors``).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pandas as pd
import streamlit as st

from socialfund.copying import CopyParams, CopyResult
from socialfund.services import copies, leaderboard as leaderboard_service
from socialfund.services.report import PortfolioReport, portfolio_report

from app import resources
from app.cache_keys import nav_key

TTL_SECONDS = 600


@st.cache_data(ttl=TTL_SECONDS, max_entries=16, show_spinner=False)
def _community_nav(as_of: dt.date | None, key: str) -> leaderboard_service.CommunityNav:
    # Public portfolios only (community_nav filters), so one shared cache is fine.
    return leaderboard_service.community_nav(resources.store(), resources.provider(), as_of)


@st.cache_data(ttl=TTL_SECONDS, max_entries=16, show_spinner=False)
def _leaderboard(window: str, as_of: dt.date | None, sort_by: str, include_closed: bool, rf: float,
                 key: str) -> pd.DataFrame:
    return leaderboard_service.leaderboard_table(resources.store(), resources.provider(), window, sort_by=sort_by,
                                                 include_closed=include_closed, rf=rf,
                                                 inputs=_community_nav(as_of, key))


def leaderboard(window: str, sort_by: str, include_closed: bool, rf: float) -> pd.DataFrame:
    """The full leaderboard of public portfolios on the latest data (no row filters)."""
    return _leaderboard(window, None, sort_by, include_closed, rf, nav_key())


@st.cache_data(ttl=TTL_SECONDS, max_entries=64, show_spinner=False)
def _report(pid: int, benchmark: str, viewer_id: int | None, rf: float, key: str) -> PortfolioReport:
    # viewer_id is part of the key: an owner's private portfolio is never served to anyone else.
    return portfolio_report(resources.store(), resources.provider(), pid, benchmark, rf, viewer_id=viewer_id)


def report(pid: int, benchmark: str, viewer_id: int | None, rf: float) -> PortfolioReport:
    """The report of portfolio ``pid`` against ``benchmark`` as ``viewer_id`` may see it."""
    return _report(pid, benchmark, viewer_id, rf, nav_key())


def forget_reports() -> None:
    """Drop every cached report (after a follow or unfollow: the follower count changed)."""
    _report.clear()


@st.cache_data(ttl=TTL_SECONDS, max_entries=64, show_spinner=False)
def _copy(pid: int, viewer_id: int | None, amount: str, start: dt.date, fee_bps: int, delay: int, floor: str,
          stop: float | None, key: str) -> CopyResult:
    params = CopyParams(Decimal(amount), start, fee_bps, delay, Decimal(floor), stop)
    return copies.copy_simulation(resources.store(), resources.provider(), pid, params, viewer_id=viewer_id)


def copy_result(pid: int, viewer_id: int | None, params: CopyParams, key: str | None = None) -> CopyResult:
    """A paper copy of portfolio ``pid`` with ``params``, as ``viewer_id`` may see it. Pass
    ``key`` (``nav_key()``) when simulating many copies in one run."""
    return _copy(pid, viewer_id, str(params.amount), params.start, params.fee_bps, params.delay_sessions,
                 str(params.min_position), params.stop_loss, key if key is not None else nav_key())
