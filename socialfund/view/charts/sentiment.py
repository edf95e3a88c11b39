"""Figures for the Sentiment page (pure plotly, no streamlit).

Colours follow the Chinese convention of ``socialfund.view.charts``: red = bullish / up,
green = bearish / down. Sentiment scores lie in [0, 1] with 0.5 neutral.
"""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from socialfund.view.charts import base_layout
from socialfund.view.palette import DOWN, NEUTRAL, SERIES, UP

# Diverging scale for scores: green (bearish, 0) → white (neutral, 0.5) → red (bullish, 1).
SENTIMENT_SCALE = [[0.0, DOWN], [0.5, "#f7f7f7"], [1.0, UP]]


def fund_panel(daily: pd.DataFrame, close: pd.Series | None, *, title: str, labels: dict[str, str],
               smooth: int = 10) -> go.Figure:
    """One fund, three stacked panels sharing the session axis:

    1. mean sentiment per session (dots) and its ``smooth``-session rolling mean (line),
       with the adjusted close on a second y axis;
    2. bullishness B = ln((1+N_bull)/(1+N_bear)) per session, red above 0, green below;
    3. post count per session (bars).

    ``labels`` holds the translated names: sentiment, smooth, price, bullishness, posts.
    """
    fig = make_subplots(rows=3, cols=1, shared_xaxes=True, vertical_spacing=0.05, row_heights=[0.5, 0.25, 0.25],
                        specs=[[{"secondary_y": True}], [{}], [{}]])
    d = daily.sort_values("session")
    x = d["session"]
    fig.add_trace(go.Scatter(x=x, y=d["mean_score"], mode="markers", name=labels["sentiment"],
                             marker=dict(size=4, color=SERIES[0], opacity=0.45)), row=1, col=1)
    rolled = d["mean_score"].rolling(smooth, min_periods=1).mean().where(d["mean_score"].notna().rolling(
        smooth, min_periods=1).sum() > 0)
    fig.add_trace(go.Scatter(x=x, y=rolled, mode="lines", name=labels["smooth"], connectgaps=True,
                             line=dict(color=SERIES[0], width=2)), row=1, col=1)
    fig.add_hline(y=0.5, line=dict(color=NEUTRAL, width=1, dash="dot"), row=1, col=1)
    if close is not None and not close.dropna().empty:
        c = close.dropna()
        c = c[(c.index >= x.min()) & (c.index <= x.max())] if len(x) else c
        fig.add_trace(go.Scatter(x=c.index, y=c.values, mode="lines", name=labels["price"],
                                 line=dict(color=NEUTRAL, width=1.4)), row=1, col=1, secondary_y=True)
    # two series, each with its own fixed colour, so the legend swatch is the same in every
    # panel (one mixed-colour trace showed its first bar's colour: red here, green there)
    b = d["bullishness"]
    for mask, colour, sign in ((b >= 0, UP, "≥ 0"), (b < 0, DOWN, "< 0")):
        fig.add_trace(go.Bar(x=x[mask], y=b[mask], name=f"{labels['bullishness']} {sign}", marker_color=colour,
                             legendgroup="bullishness"), row=2, col=1)
    fig.add_trace(go.Bar(x=x, y=d["n_posts"], name=labels["posts"], marker_color=SERIES[1]), row=3, col=1)
    fig.update_yaxes(range=[0, 1], title_text=labels["sentiment"], row=1, col=1, secondary_y=False)
    # tidy price ticks: a few round steps with two decimals (not 3.574 / 3.714)
    fig.update_yaxes(title_text=labels["price"], row=1, col=1, secondary_y=True, showgrid=False, nticks=5,
                     tickformat=".2f")
    fig.update_yaxes(title_text="B", row=2, col=1)
    fig.update_yaxes(title_text=labels["posts"], row=3, col=1)
    fig.update_layout(bargap=0.1)
    return base_layout(fig, title, height=560)


MAX_LINES = 3
"""Beyond this many funds the comparison is drawn as small multiples (one panel per fund, same
axes), not as overlapping spaghetti."""


def compare_lines(daily: pd.DataFrame, names: dict[str, str], *, value: str = "mean_score", smooth: int = 5,
                  title: str | None = None, y_title: str = "") -> go.Figure:
    """Several funds: ``value`` per session, ``smooth``-session rolling mean; one chart for up
    to ``MAX_LINES`` funds, small multiples (shared axes, one colour per fund) beyond."""
    groups = list(daily.sort_values("session").groupby("code", sort=True))
    multiples = len(groups) > MAX_LINES
    cols = 2 if multiples else 1
    rows = -(-len(groups) // cols) if multiples else 1
    fig = (make_subplots(rows=rows, cols=cols, shared_xaxes=True, shared_yaxes=True, vertical_spacing=0.08,
                         subplot_titles=[names.get(str(c), str(c)) for c, _ in groups])
           if multiples else go.Figure())
    for i, (code, part) in enumerate(groups):
        y = part[value].rolling(smooth, min_periods=1).mean()
        trace = go.Scatter(x=part["session"], y=y, mode="lines", name=names.get(str(code), str(code)),
                           connectgaps=True, line=dict(color=SERIES[i % len(SERIES)], width=1.8))
        if multiples:
            fig.add_trace(trace, row=i // cols + 1, col=i % cols + 1)
        else:
            fig.add_trace(trace)
    ref = 0.5 if value == "mean_score" else 0.0 if value in ("bullishness", "z") else None
    if ref is not None:
        fig.add_hline(y=ref, line=dict(color=NEUTRAL, width=1, dash="dot"),
                      **({"row": "all", "col": "all"} if multiples else {}))
    fig.update_yaxes(title_text=y_title, col=1) if multiples else fig.update_yaxes(title_text=y_title)
    if multiples:
        fig.update_layout(showlegend=False)
    return base_layout(fig, title, height=380 if not multiples else 120 + 200 * rows)


def weekly_heatmap(table: pd.DataFrame, names: dict[str, str], *, title: str | None = None,
                   colorbar_title: str = "") -> go.Figure:
    """Funds (rows) × weeks (columns) of mean sentiment; diverging around 0.5."""
    fig = go.Figure(go.Heatmap(
        z=table.values, x=[pd.Timestamp(c).strftime("%Y-%m-%d") for c in table.columns],
        y=[names.get(c, c) for c in table.index], zmin=0.0, zmax=1.0, zmid=0.5, colorscale=SENTIMENT_SCALE,
        colorbar=dict(title=colorbar_title), hoverongaps=False,
        hovertemplate="%{y}<br>%{x}<br>%{z:.2f}<extra></extra>"))
    fig.update_xaxes(type="category")
    return base_layout(fig, title, height=max(260, 60 + 34 * len(table.index)))
