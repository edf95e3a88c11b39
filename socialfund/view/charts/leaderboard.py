"""Leaderboard figures: pure plotly builders (no streamlit)."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from socialfund.view.charts import base_layout
from socialfund.view.palette import BENCHMARK, DOWN, NEUTRAL, UP


def sharpe_by_rank(table: pd.DataFrame, expected_best_sharpe: float, *, title: str, luck_label: str,
                   x_label: str, y_label: str, hover_name: str = "name") -> go.Figure:
    """Annualised Sharpe of each listed portfolio against its rank (bars, red ≥ 0, green
    < 0), with a dashed line at the annualised Sharpe the best of the N screened
    portfolios would reach by luck alone (``expected_best_sharpe``)."""
    sharpe = table["sharpe"].astype(float).to_numpy()
    colours = [UP if (v >= 0) else DOWN for v in np.nan_to_num(sharpe)]
    fig = go.Figure(go.Bar(
        x=table["rank"], y=sharpe, marker_color=colours, name=y_label,
        customdata=np.stack([table[hover_name].astype(str), table["portfolio_id"]], axis=1),
        hovertemplate="#%{x} %{customdata[0]} (id %{customdata[1]})<br>" + y_label + " %{y:.2f}<extra></extra>"))
    if math.isfinite(expected_best_sharpe):
        fig.add_hline(y=expected_best_sharpe, line=dict(color=BENCHMARK, width=2, dash="dash"),
                      annotation_text=f"{luck_label}: {expected_best_sharpe:.2f}", annotation_position="top left")
        top = max(float(np.nanmax(sharpe)) if len(sharpe) and np.isfinite(sharpe).any() else 0.0,
                  expected_best_sharpe) * 1.15
        bottom = min(float(np.nanmin(sharpe)) if len(sharpe) and np.isfinite(sharpe).any() else 0.0, 0.0) * 1.1
        fig.update_yaxes(range=[bottom, top])
    fig.add_hline(y=0.0, line=dict(color=NEUTRAL, width=1))
    fig.update_xaxes(title=x_label)
    fig.update_yaxes(title=y_label)
    base_layout(fig, title, height=340)
    fig.update_layout(hovermode="closest", showlegend=False)
    return fig
