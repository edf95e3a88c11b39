"""socialfund home page: what is here, how big the community is, and how markets moved."""

from __future__ import annotations

import streamlit as st

from app import navigation, resources, session
from app.forms_prices import prices_upload_form
from socialfund.view.charts import rebased_lines
from socialfund.view import formats
from socialfund.view.i18n import t
from socialfund.core.sessions import PERIODS_PER_YEAR
from socialfund.market.snapshot import representatives, trailing_return
from socialfund.services.overview import community_size

navigation.require_router()

lang = session.lang()
tr = session.tr

st.title(tr("app.title"))
st.write(tr("app.tagline"))

universe = resources.universe()
closes = resources.closes()
size = community_size(resources.store())
latest = closes.index.max().date() if not closes.empty else None

c1, c2, c3, c4, c5 = st.columns(5)
c1.metric(tr("home.universe"), len(universe))
c2.metric(tr("home.users"), f"{size.users:,}")
c3.metric(tr("home.portfolios"), f"{size.public_portfolios:,} / {size.portfolios:,}")
c4.metric(tr("home.posts"), f"{size.posts:,}")
c5.metric(tr("data.latest"), latest.isoformat() if latest else "—")
sources = sorted(set(st.session_state.get(resources.PRICE_SOURCES_KEY, {}).values()))
st.caption(tr("data.source", source=", ".join(sources) or "—"))
if closes.empty:
    st.info(tr("prices.none"))
prices_upload_form()


@st.cache_resource(ttl=3600, max_entries=8, show_spinner=False)
def _market_chart(lang: str, last: object, shape: tuple[int, int], _closes, _universe):  # type: ignore[no-untyped-def]
    """The home chart (shared market data only), built once per language and price update
    instead of on every visit (plotly figure building was most of a warm home run). The key
    (language, last session, shape) names what the unhashed ``_`` arguments hold.
    st.cache_resource: no copy per hit; st.plotly_chart only reads the figure."""
    names = {i.code: i.name(lang) for i in _universe}
    category_of = {i.code: i.category for i in _universe if i.category != "index"}
    chosen = representatives(category_of, _closes)
    if not chosen:
        return None
    last_year = _closes[list(chosen)].iloc[-PERIODS_PER_YEAR:]
    return rebased_lines(last_year, {c: f"{names[c]} · {t('category.' + chosen[c], lang)}" for c in chosen},
                         t("home.chart_title", lang))


names = {i.code: i.name(lang) for i in universe}
fig = _market_chart(lang, closes.index.max() if not closes.empty else None, closes.shape, closes, universe)
if fig is not None:
    st.plotly_chart(fig, width="stretch")
    st.caption(tr("home.chart_note"))

st.subheader(tr("home.pages"))
for spec in navigation.LINKED:
    st.page_link(spec.path, label=tr(spec.link_key), icon=spec.icon)

with st.expander(tr("home.universe_table")):
    ret = trailing_return(closes)
    rows = [{tr("col.code"): i.code, tr("col.name"): i.name(lang), tr("col.kind"): tr(f"kind.{i.kind}"),
             tr("col.market"): i.market, tr("col.category"): tr(f"category.{i.category}"), tr("col.currency"): i.currency,
             tr("col.yahoo"): i.yahoo or "—",
             tr("col.return_1y"): None if ret.get(i.code) is None else ret[i.code] * 100} for i in universe]
    st.dataframe(rows, hide_index=True, width="stretch",
                 column_config={tr("col.return_1y"): st.column_config.NumberColumn(format=formats.PCT_COLUMN_FORMAT)})
