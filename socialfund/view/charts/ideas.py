"""Figures for the Fund ideas page (pure plotly, no streamlit).

Red = positive / up, green = negative / down (Chinese convention, ``socialfund.view.charts``).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from socialfund.view.charts import base_layout
from socialfund.view.palette import DOWN, NEUTRAL, SERIES, UP


#: One colour per feature, by family: prices in blues/purples, sentiment in oranges, crowd in
#: teals. Pure red and green are avoided: they mean up/down here.
FEATURE_COLORS = {
    "mom_20": "#9ecae1", "mom_60": "#4292c6", "mom_120": "#08519c", "vol_60": "#8c6bb1", "drawdown": "#c5b0d5",
    "sent_level": "#fdae6b", "sent_shift": "#f16913", "post_volume_z": "#a63603", "bullishness": "#ffd54f",
    "crowd_share": "#17becf", "crowd_flow": "#00695c",
}
_DAY_MS = 86_400_000


def sparkline(prices: pd.Series, n: int = 60) -> list[float]:
    """The last ``n`` known closes (for ``st.column_config.LineChartColumn``), rebased to 1."""
    s = prices.dropna().tail(n)
    if s.empty:
        return []
    return [round(float(v), 4) for v in (s / s.iloc[0])]


def contributions_bar(table: pd.DataFrame, features: Sequence[str], labels: Mapping[str, str],
                      fund_labels: Mapping[str, str], title: str | None = None) -> go.Figure:
    """Horizontal stacked bars: one bar per fund (best at the top), one segment per feature
    contribution (``c_<feature>`` columns); a black diamond marks the score (their sum)."""
    t = table.iloc[::-1]
    y = [fund_labels.get(c, c) for c in t["code"]]
    fig = go.Figure()
    for i, f in enumerate(features):
        values = t[f"c_{f}"].astype(float)
        if not np.any(np.abs(values.to_numpy()) > 1e-12):
            continue
        fig.add_trace(go.Bar(x=values, y=y, orientation="h", name=labels.get(f, f),
                             marker_color=FEATURE_COLORS.get(f, SERIES[i % len(SERIES)])))
    fig.add_trace(go.Scatter(x=t["score"], y=y, mode="markers", name="Σ",
                             marker=dict(symbol="diamond", size=10, color="black")))
    fig.update_layout(barmode="relative", hovermode="y unified")
    fig.add_vline(x=0, line=dict(color=NEUTRAL, width=1))
    return base_layout(fig, title, height=max(320, 34 * len(t) + 120))


def ic_bars(ic: pd.Series, headline_dates: pd.DatetimeIndex, title: str | None = None) -> go.Figure:
    """Rank-IC per date: red above 0, green below; the non-overlapping dates the statistics
    use are drawn opaque, the others faint."""
    picked = ic.index.isin(headline_dates)
    fig = go.Figure()
    # explicit widths: on a date axis plotly would widen sparse bars to their spacing
    for mask, opacity, name, days in ((~picked, 0.25, "all", 1), (picked, 1.0, "used", 4)):
        part = ic[mask]
        fig.add_trace(go.Bar(x=part.index, y=part.values, name=name, opacity=opacity, showlegend=False,
                             width=days * _DAY_MS,
                             marker_color=[UP if v >= 0 else DOWN for v in part.values]))
    fig.update_layout(barmode="overlay", bargap=0)
    fig.add_hline(y=0, line=dict(color=NEUTRAL, width=1))
    fig.update_yaxes(title_text="rank-IC", range=[-1, 1])
    return base_layout(fig, title, height=320)


def spread_curve(curve: pd.Series, title: str | None = None) -> go.Figure:
    """Compounded top-minus-bottom quintile return; red when above 0, green below."""
    fig = go.Figure()
    if len(curve):
        last = float(curve.iloc[-1])
        fig.add_trace(go.Scatter(x=curve.index, y=curve.values, mode="lines+markers", showlegend=False,
                                 line=dict(color=UP if last >= 0 else DOWN, width=2), marker=dict(size=4)))
    fig.add_hline(y=0, line=dict(color=NEUTRAL, width=1, dash="dot"))
    fig.update_yaxes(tickformat=".0%")
    return base_layout(fig, title, height=320)


def fund_detail(price: pd.Series, sentiment: pd.Series, crowd: pd.Series, rank: pd.Series,
                labels: Mapping[str, str], title: str | None = None) -> go.Figure:
    """Four stacked panels over time for one fund: close, sentiment level (0.5 neutral),
    DSR-weighted crowd share, and its rank (1 at the top)."""
    fig = make_subplots(rows=4, cols=1, shared_xaxes=True, vertical_spacing=0.04,
                        row_heights=[0.34, 0.22, 0.22, 0.22],
                        subplot_titles=[labels["price"], labels["sentiment"], labels["crowd"], labels["rank"]])
    p = price.dropna()
    fig.add_trace(go.Scatter(x=p.index, y=p.values, mode="lines", name=labels["price"],
                             line=dict(color=SERIES[0], width=1.6)), row=1, col=1)
    s = sentiment.dropna()
    fig.add_trace(go.Scatter(x=s.index, y=s.values, mode="lines", name=labels["sentiment"],
                             line=dict(color=SERIES[1], width=1.4)), row=2, col=1)
    fig.add_hline(y=0.5, line=dict(color=NEUTRAL, width=1, dash="dot"), row=2, col=1)
    c = crowd.dropna()
    fig.add_trace(go.Scatter(x=c.index, y=c.values, mode="lines", name=labels["crowd"], fill="tozeroy",
                             line=dict(color=SERIES[2], width=1.4)), row=3, col=1)
    r = rank.dropna()
    fig.add_trace(go.Scatter(x=r.index, y=r.values, mode="lines", name=labels["rank"],
                             line=dict(color=SERIES[3], width=1.2)), row=4, col=1)
    fig.update_yaxes(range=[0, 1], row=2, col=1)
    fig.update_yaxes(tickformat=".0%", row=3, col=1)
    fig.update_yaxes(autorange="reversed", row=4, col=1)
    fig.update_layout(showlegend=False)
    return base_layout(fig, title, height=720)
