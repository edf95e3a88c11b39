"""Portfolio page figures: pure plotly builders (no streamlit)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

import pandas as pd
import plotly.graph_objects as go

from socialfund.view.charts import base_layout
from socialfund.view.palette import BENCHMARK, DOWN, NEUTRAL, SERIES, UP


def nav_vs_benchmark(nav: pd.Series, benchmark_nav: pd.Series, *, title: str, nav_label: str,
                     benchmark_label: str) -> go.Figure:
    """Portfolio NAV and the benchmark, both 1.0 at the portfolio's first fill."""
    fig = go.Figure()
    fig.add_trace(go.Scatter(x=nav.index, y=nav, mode="lines", name=nav_label, line=dict(color=UP, width=2)))
    if not benchmark_nav.empty:
        fig.add_trace(go.Scatter(x=benchmark_nav.index, y=benchmark_nav, mode="lines", name=benchmark_label,
                                 line=dict(color=BENCHMARK, width=1.5)))
    fig.add_hline(y=1.0, line=dict(color=NEUTRAL, width=1, dash="dot"))
    return base_layout(fig, title)


def drawdown_area(drawdown: pd.Series, *, title: str, label: str) -> go.Figure:
    """Drawdown from the running peak (≤ 0), as a filled area."""
    fig = go.Figure(go.Scatter(x=drawdown.index, y=drawdown, mode="lines", fill="tozeroy", name=label,
                               line=dict(color=DOWN, width=1)))
    fig.update_yaxes(tickformat=".0%")
    return base_layout(fig, title, height=260)


def holdings_pie(weights: Mapping[str, float], names: Mapping[str, str], *, title: str) -> go.Figure:
    """Current (drifted) weights as a donut, largest first."""
    items = sorted(weights.items(), key=lambda kv: -kv[1])
    fig = go.Figure(go.Pie(labels=[names.get(c, c) for c, _ in items], values=[w for _, w in items], hole=0.45,
                           sort=False, marker=dict(colors=[SERIES[i % len(SERIES)] for i in range(len(items))]),
                           texttemplate="%{percent:.1%}", hovertemplate="%{label}: %{percent:.2%}<extra></extra>"))
    base_layout(fig, title, height=360)
    fig.update_layout(legend=dict(orientation="v", x=1.0, y=0.5), hovermode="closest")
    return fig


def rebalance_bars(deltas: pd.DataFrame, names: Mapping[str, str], *, title: str, y_label: str) -> go.Figure:
    """Each weight change (percentage points) at its placement date; red = bought more,
    green = sold. ``deltas`` as ``portfolios.rebalance_deltas``."""
    fig = go.Figure()
    if not deltas.empty:
        points = deltas["delta_bp"] / 100.0
        fig.add_trace(go.Bar(
            x=deltas["placed_at"].dt.tz_localize(None), y=points,
            marker_color=[UP if v >= 0 else DOWN for v in points],
            customdata=[names.get(c, c) for c in deltas["code"]],
            # labelled bars (issue 14 finding 11): which instrument and by how much, without hovering
            text=[f"{names.get(c, c)} {v:+.1f}" for c, v in zip(deltas["code"], points)],
            textposition="auto", insidetextanchor="middle", textfont=dict(size=11),
            hovertemplate="%{x|%Y-%m-%d} %{customdata}: %{y:+.2f} pp<extra></extra>"))
    fig.add_hline(y=0.0, line=dict(color=NEUTRAL, width=1))
    fig.update_yaxes(title=y_label)
    base_layout(fig, title, height=280)
    fig.update_layout(showlegend=False, hovermode="closest", barmode="relative")
    return fig


def copy_vs_leader(equity: pd.Series, leader_nav: pd.Series, amount: float, *, title: str, copier_label: str,
                   leader_label: str, stopped_on: dt.date | None = None, stop_label: str = "") -> go.Figure:
    """Copier equity and the leader, both as growth of 1 from the copy's first session
    (the copier's equity divided by the committed ``amount``)."""
    fig = go.Figure()
    fig.add_trace(go.Scatter(x=leader_nav.index, y=leader_nav, mode="lines", name=leader_label,
                             line=dict(color=BENCHMARK, width=1.5)))
    fig.add_trace(go.Scatter(x=equity.index, y=equity / amount, mode="lines", name=copier_label,
                             line=dict(color=UP, width=2)))
    if stopped_on is not None:
        fig.add_vline(x=pd.Timestamp(stopped_on), line=dict(color=DOWN, dash="dash"))
        fig.add_annotation(x=pd.Timestamp(stopped_on), y=1.0, text=stop_label, showarrow=False, yshift=10)
    fig.add_hline(y=1.0, line=dict(color=NEUTRAL, width=1, dash="dot"))
    return base_layout(fig, title)
