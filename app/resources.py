"""Bounded, cached factories for what every page shares, and every Streamlit cache key of
the glue in one place:

=====================  ================  =========================================  ============
factory                cache             key                                        bound
=====================  ================  =========================================  ============
``settings()``         st.cache_resource none: one ``Settings`` per process         1
``store()``            st.cache_resource none: one ``Store`` (engine, pool)          1
``provider()``         st.cache_resource none: one ``PriceProvider``                 1
``closes(codes)``      st.cache_data     the codes asked for (``None`` = all)       ttl 1 h, 8
``quality()``          st.cache_data     none: the report of ``_closes(None)``       ttl 1 h, 1
``scorer(spec)``       st.cache_resource the scorer spec (``finance``, ``snownlp``…) 4
=====================  ================  =========================================  ============

Only shared market data and process singletons live here, never one user's private data,
so sharing them across sessions is safe. Library errors (``SocialFundError``) propagate to
the caller and are never cached: ``app.errors.errors_shown`` turns them into ``st.error``
(the router wraps every page run in it). A bad configuration stops the page here, with a
bilingual message, because the language itself comes from the settings.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from socialfund.core.config import STORE_BACKED_PROVIDERS, Settings, load_settings
from socialfund.core.errors import ConfigError
from socialfund.market.pricedata import PriceData
from socialfund.market.providers import Instrument, PriceProvider, get_provider
from socialfund.market.quality import QualityReport
from socialfund.market.sessions import quality_report
from socialfund.sentiment import Scorer, get_scorer
from socialfund.services import datasets
from socialfund.services.datasets import DemoParts
from socialfund.store import Store, open_store
from socialfund.store.demo import ensure_demo

PRICE_SOURCES_KEY = "_price_sources"  # session state: code -> data source of the closes last shown


@st.cache_resource(show_spinner=False)
def _settings() -> Settings:
    return load_settings()


def settings() -> Settings:
    """The process's settings; a configuration error stops the page with one line."""
    try:
        return _settings()
    except ConfigError as exc:
        st.error(f"配置错误 / Configuration error: {exc}")
        st.stop()
        raise  # st.stop() raises inside a script run; this line is for type checkers


@st.cache_resource(show_spinner="正在准备数据库 / preparing the database…")
def store() -> Store:
    """The one store of the process, with the demo data loaded when missing."""
    config = settings()
    opened = open_store(config.database_url)
    if config.demo:
        ensure_demo(opened)
    return opened


@st.cache_resource(show_spinner=False)
def provider() -> PriceProvider:
    """The configured price provider (yfinance and akshare keep their price caches in the store)."""
    config = settings()
    return get_provider(config, store() if config.market_provider in STORE_BACKED_PROVIDERS else None)


@st.cache_data(ttl=3600, max_entries=8, show_spinner=False)
def _closes(codes: tuple[str, ...] | None) -> tuple[pd.DataFrame, dict[str, str], list[str]]:
    data = provider().closes(list(codes) if codes is not None else None)
    return data.closes, data.sources, data.notices


def closes(codes: list[str] | None = None) -> pd.DataFrame:
    """Adjusted closes (sessions × codes) from the configured provider; the data source of
    each code is kept in ``st.session_state[PRICE_SOURCES_KEY]``. The provider's notices are
    shown by the data-quality panel (``quality()``) on every page that shows prices."""
    frame, sources, _notices = _closes(tuple(codes) if codes is not None else None)
    st.session_state[PRICE_SOURCES_KEY] = sources
    return frame


@st.cache_data(ttl=3600, max_entries=1, show_spinner=False)
def quality() -> QualityReport:
    """The data quality of every series the provider serves, with its notices (the same
    prices as ``closes()``, checked once per price update)."""
    frame, sources, notices = _closes(None)
    return quality_report(PriceData(frame, sources, notices), universe())


def universe() -> list[Instrument]:
    return list(provider().universe())


def instrument_names(lang: str) -> dict[str, str]:
    """Code -> instrument name in ``lang``."""
    return {i.code: i.name(lang) for i in universe()}


def is_demo_market() -> bool:
    return settings().market_provider == "demo"


@st.cache_data(ttl=30, max_entries=1, show_spinner=False)
def demo_parts() -> DemoParts:
    """Which datasets are demo now (``services.datasets``); cached briefly, it changes only
    when data is imported or the store is made anew."""
    return datasets.demo_parts(store(), _closes(None)[1])


@st.cache_resource(max_entries=4, show_spinner=False)
def scorer(spec: str) -> Scorer:
    """One sentiment scorer per spec (snownlp's models load once per process)."""
    made: Scorer = get_scorer(spec)
    return made
