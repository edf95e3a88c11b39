"""The wish projection's fan chart: the 10th–90th percentile band, the median and the target."""

from __future__ import annotations

import plotly.graph_objects as go

from socialfund.view.charts import base_layout
from socialfund.view.i18n import t
from socialfund.view.palette import BENCHMARK, UP
from socialfund.wishes.projection import Projection


def fan_chart(p: Projection, lang: str = "zh") -> go.Figure:
    """Yuan on the y axis (fen / 100), weekdays on the x axis; the target as a dashed line and
    the target date as a vertical line."""
    x = [d.isoformat() for d in p.chart_dates]
    fig = go.Figure()
    fig.add_trace(go.Scatter(x=x, y=[v / 100 for v in p.chart_p90], mode="lines", line=dict(width=0),
                             showlegend=False, hoverinfo="skip"))
    fig.add_trace(go.Scatter(x=x, y=[v / 100 for v in p.chart_p10], mode="lines", line=dict(width=0),
                             fill="tonexty", fillcolor="rgba(31,78,121,0.18)", name=t("wish.proj.band", lang)))
    fig.add_trace(go.Scatter(x=x, y=[v / 100 for v in p.chart_p50], mode="lines", line=dict(color=BENCHMARK, width=2),
                             name=t("wish.proj.median", lang)))
    fig.add_hline(y=p.target_fen / 100, line=dict(color=UP, dash="dash"), annotation_text=t("wish.proj.target_line", lang))
    fig.add_vline(x=p.target_date.isoformat(), line=dict(color=UP, dash="dot"))
    fig.update_yaxes(title_text="¥", tickformat=",.0f")
    return base_layout(fig, t("wish.proj.chart", lang), height=360)
