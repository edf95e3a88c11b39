"""Leaderboard figures: pure plotly builders (no streamlit)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from socialfund.view.charts import base_layout
from socialfund.view.palette import BENCHMARK, DOWN, NEUTRAL, UP


def sharpe_by_rank(table: pd.DataFrame, *, title: str, luck_label: str, x_label: str, y_label: str,
                   hover_name: str = "name") -> go.Figure:
    """Annualised excess Sharpe of each listed portfolio against its rank (bars, red ≥ 0,
    green < 0), with each portfolio's own luck line (``luck_sharpe`` = Z*·σ̂(SR̂)·√periods,
    dashed points joined across ranks): a bar above its point is exactly DSR > ½."""
    sharpe = table["sharpe"].astype(float).to_numpy()
    luck = table["luck_sharpe"].astype(float).to_numpy()
    colours = [UP if (v >= 0) else DOWN for v in np.nan_to_num(sharpe)]
    names = np.stack([table[hover_name].astype(str), table["portfolio_id"]], axis=1)
    fig = go.Figure(go.Bar(
        x=table["rank"], y=sharpe, marker_color=colours, name=y_label, customdata=names,
        hovertemplate="#%{x} %{customdata[0]} (id %{customdata[1]})<br>" + y_label + " %{y:.2f}<extra></extra>"))
    if np.isfinite(luck).any():
        fig.add_trace(go.Scatter(
            x=table["rank"], y=luck, mode="lines+markers", name=luck_label, customdata=names,
            line=dict(color=BENCHMARK, width=2, dash="dash"), marker=dict(color=BENCHMARK, size=5),
            hovertemplate="#%{x} %{customdata[0]}<br>" + luck_label + " %{y:.2f}<extra></extra>"))
        first = int(np.flatnonzero(np.isfinite(luck))[0])   # label the line once, at the best-ranked row
        fig.add_annotation(x=table["rank"].iloc[first], y=luck[first], text=f"{luck_label}: {luck[first]:.2f}",
                           showarrow=False, yshift=12, xanchor="left", font=dict(color=BENCHMARK))
        both = np.concatenate([sharpe, luck])
        both = both[np.isfinite(both)]
        fig.update_yaxes(range=[min(float(both.min()), 0.0) * 1.1, max(float(both.max()), 0.0) * 1.15])
    fig.add_hline(y=0.0, line=dict(color=NEUTRAL, width=1))
    fig.update_xaxes(title=x_label)
    fig.update_yaxes(title=y_label)
    base_layout(fig, title, height=340)
    fig.update_layout(hovermode="closest", showlegend=False)
    return fig
