"""The share-link page: ``/?snapshot=TOKEN`` shows a frozen snapshot, read-only, without
signing in (the router sends a share link here, token kept in ``?snapshot=``; the page is
hidden from the menu). A revoked, expired or unknown token shows one message and nothing
else (the library gives them one answer)."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from app import chrome, navigation, resources, session
from socialfund.view import cards, formats
from socialfund.services import snapshots
from socialfund.view.charts import base_layout
from socialfund.view.palette import DOWN, UP
from socialfund.core.errors import NotFoundError
from socialfund.core.weights import CASH

navigation.require_router()


def render(token: str) -> None:
    tr, lang = session.tr, session.lang()
    try:
        view = snapshots.open_snapshot(resources.store(), str(token))
    except NotFoundError:
        st.error(tr("snap.invalid"))
        st.page_link(navigation.HOME.path, label=tr("snap.home"), icon="🏠")
        return
    p = view.payload
    st.title(f"📸 {tr('snap.title')}")
    st.header(chrome.plain(view.title))
    if p.is_demo_data:
        chrome.demo_badge()
    st.caption(tr("snap.meta", owner=chrome.plain(p.owner_name), created=p.created_at.date().isoformat(),
                  version=p.version))
    if view.expires_at is not None:
        st.caption(tr("snap.expires", at=view.expires_at.strftime("%Y-%m-%d %H:%M")))
    st.info(tr("snap.readonly"))

    st.subheader(tr("snap.metrics"))
    m = p.metrics
    period = p.period
    st.caption(tr("card.period", start=period.start.isoformat(), end=period.end.isoformat(),
                  sessions=period.sessions) if period is not None else tr("card.no_nav"))
    c1, c2, c3, c4 = st.columns(4)
    c1.metric(tr("card.total_return"), cards.pct_text(m.get("total_return")))
    c2.metric(tr("card.volatility"), cards.pct_text(m.get("volatility"), signed=False))
    c3.metric(tr("card.max_drawdown"), cards.pct_text(m.get("max_drawdown")))
    c4.metric(tr("card.sharpe"), "—" if m.get("sharpe") is None else f"{m['sharpe']:.2f}")

    nav = p.nav
    if len(nav) >= 2:
        values = [v for _, v in nav]
        fig = go.Figure(go.Scatter(x=[d.isoformat() for d, _ in nav], y=values, mode="lines",
                                   line=dict(color=UP if values[-1] >= values[0] else DOWN, width=2)))
        st.plotly_chart(base_layout(fig, tr("snap.nav"), height=320), width="stretch")

    st.subheader(tr("snap.weights"))
    names = p.names
    weights = sorted(p.weights_bp.items(), key=lambda kv: (-kv[1], kv[0]))
    table = {
        tr("col.code"): [c for c, _ in weights],
        tr("col.name"): [tr("card.cash") if c == CASH else (names.get(c, (c, c))[0 if lang == "zh" else 1])
                         for c, _ in weights],
        tr("mp.col.weight"): [bp / 100 for _, bp in weights],
    }
    amounts = p.amounts_cny
    if amounts and not view.weights_only:
        table[tr("snap.amount")] = [formats.money(amounts.get(c, 0)) for c, _ in weights]   # ¥123,456.78
    st.dataframe(pd.DataFrame(table), hide_index=True, width="stretch",
                 column_config={tr("mp.col.weight"): st.column_config.NumberColumn(format=formats.PCT_COLUMN_FORMAT)})
    if view.weights_only:
        st.caption(tr("snap.hidden"))

    st.download_button(tr("mp.card"), cards.card_png(p, lang, title=view.title), file_name=f"snapshot-{view.id}.png",
                       mime="image/png", key="snapshot_card")


render(str(st.query_params.get(navigation.SNAPSHOT_PARAM, "")))
