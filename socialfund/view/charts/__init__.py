"""Plotly figure builders: pure functions, no streamlit. Colours come from ``view.palette``
(red up, green down: the Chinese convention).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from socialfund.view.palette import DOWN, NEUTRAL, SERIES, UP

FONT = "Noto Sans CJK SC, Microsoft YaHei, PingFang SC, sans-serif"


def figure_png(fig: go.Figure, width: int = 1200, height: int = 700) -> bytes:
    """Render a figure to PNG on the server with kaleido, which drives a local Chrome or
    Chromium (no download). Without one, a ``SocialFundError`` says what to install."""
    from socialfund.core.errors import SocialFundError

    try:
        png: bytes = fig.to_image(format="png", width=width, height=height, scale=1)
        return png
    except Exception as exc:  # noqa: BLE001 - kaleido/choreographer raise many types when Chrome is missing
        raise SocialFundError(
            "PNG export needs Chrome or Chromium on the server (Debian: apt-get install chromium "
            f"fonts-noto-cjk); download the HTML instead ({type(exc).__name__})") from None


_DAY_MS = 86_400_000
DATE_TICKS = {
    # (dtick range in ms, d3 format): days, months, years
    "zh": ((None, 28 * _DAY_MS, "%m月%d日"), (28 * _DAY_MS, 365 * _DAY_MS, "%Y年%-m月"), (365 * _DAY_MS, None, "%Y年")),
    "en": ((None, 28 * _DAY_MS, "%b %d"), (28 * _DAY_MS, 365 * _DAY_MS, "%b %Y"), (365 * _DAY_MS, None, "%Y")),
}
"""Date tick labels per language: Chinese month labels (2026年1月), never "Jan 2026" in the zh UI."""


def _is_dates(values: object) -> bool:
    try:
        first = next(iter(values))  # type: ignore[call-overload]
    except (TypeError, StopIteration):
        return False
    if isinstance(first, np.datetime64) or getattr(getattr(values, "dtype", None), "kind", "") == "M":
        return True
    return isinstance(first, (pd.Timestamp,)) or hasattr(first, "isoformat") or (
        isinstance(first, str) and len(first) >= 10 and first[4] == "-" and first[7] == "-")


def localise(fig: go.Figure, lang: str) -> go.Figure:
    """Date axes labelled in ``lang`` (``DATE_TICKS``) and thousands separators on numbers;
    only axes whose traces carry dates are touched (categorical and numeric axes keep theirs)."""
    stops = [dict(dtickrange=[lo, hi], value=fmt) for lo, hi, fmt in DATE_TICKS["zh" if lang == "zh" else "en"]]
    seen = set()
    for trace in fig.data:
        axis = getattr(trace, "xaxis", None) or "x"
        if axis in seen or getattr(trace, "orientation", None) == "h" or trace.x is None or not _is_dates(trace.x):
            continue
        seen.add(axis)
        name = "xaxis" if axis == "x" else f"xaxis{axis[1:]}"
        if fig.layout[name].type == "category":
            continue
        fig.layout[name].tickformatstops = stops
    fig.update_layout(separators=".,")
    return fig


def with_demo_label(fig: go.Figure, text: str) -> go.Figure:
    """A copy of ``fig`` carrying ``text`` (the demo label) in its top-right corner, for the
    exported PNG and HTML: a chart sent on stays labelled as demo (issue 14 finding 8)."""
    out = go.Figure(fig)
    out.add_annotation(text=text, xref="paper", yref="paper", x=1, y=1.02, xanchor="right", yanchor="bottom",
                       showarrow=False, font=dict(size=13, color="#856404"), bgcolor="#fff3cd",
                       bordercolor="#856404", borderwidth=1, name="demo-label")
    return out


def signed_color(value: float) -> str:
    """Red for ≥ 0, green for < 0 (China convention)."""
    return UP if value >= 0 else DOWN


def base_layout(fig: go.Figure, title: str | None = None, height: int = 380) -> go.Figure:
    fig.update_layout(title=title, height=height, margin=dict(l=10, r=10, t=50 if title else 20, b=40),
                      font=dict(family=FONT), legend=dict(orientation="h", yanchor="top", y=-0.12, x=0),
                      hovermode="x unified", template="plotly_white")
    return fig


def rebased_lines(closes: pd.DataFrame, labels: dict[str, str], title: str | None = None) -> go.Figure:
    """Each column rebased to 1 at its first valid value; NaN gaps stay gaps (no filling)."""
    fig = go.Figure()
    for i, code in enumerate(closes.columns):
        s = closes[code].dropna()
        if s.empty:
            continue
        fig.add_trace(go.Scatter(x=s.index, y=s / s.iloc[0], mode="lines", name=labels.get(code, code),
                                 line=dict(color=SERIES[i % len(SERIES)], width=1.8)))
    fig.add_hline(y=1.0, line=dict(color=NEUTRAL, width=1, dash="dot"))
    return base_layout(fig, title)
