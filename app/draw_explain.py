"""Explain on the Sentiment page (issue 17.7): a marketer picks one of the top posts and
sees which words moved its score and by how much — the finance scorer's ``explain``
output (one bar per lexicon word: its weight after the rules, red = bullish, green =
bearish, the Chinese convention), with each word's lexicon weight and the rules that
changed it in the hover. Called with one line from ``app.sentiment_tabs.posts_tab``.

The words are the lexicon's: an adapted scorer adds a model's evidence on top (the note
says so), snownlp has no words to show, so the explanation is always the finance lexicon's.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from socialfund.social import aggregate
from socialfund.view.charts import base_layout
from socialfund.view.palette import DOWN, NEUTRAL, UP

from app import resources

Tr = Callable[..., str]
MAX_BARS = 20


def explain_figure(items: Sequence[dict[str, Any]], tr: Tr) -> go.Figure:
    """Horizontal bars, one per explained word in text order (top first): x = weight."""
    shown = list(items)[:MAX_BARS]
    labels = [f"{h['word']} · {h['start']}" for h in shown]  # offset keeps repeated words apart
    weights = [float(h["weight"]) for h in shown]
    hover = [f"{tr('sent.explain_base')}: {h['base_weight']:+.2f}<br>"
             f"{tr('sent.explain_mods')}: {', '.join(h['modifiers']) or '—'}" for h in shown]
    fig = go.Figure(go.Bar(x=weights, y=labels, orientation="h", customdata=hover,
                           hovertemplate="%{y}: %{x:+.2f}<br>%{customdata}<extra></extra>",
                           marker_color=[UP if w > 0 else DOWN if w < 0 else NEUTRAL for w in weights]))
    base_layout(fig, tr("sent.explain_title"), height=max(220, 60 + 28 * len(shown)))
    fig.update_layout(hovermode="closest", showlegend=False)
    fig.update_xaxes(title=tr("sent.explain_weight"), zeroline=True, zerolinecolor=NEUTRAL)
    fig.update_yaxes(title=tr("sent.explain_word"), autorange="reversed")
    return fig


def _options(posts: pd.DataFrame) -> pd.DataFrame:
    """The top bullish then the top bearish posts (as the tables above), one row each."""
    top = pd.concat([aggregate.top_posts(posts, positive=True), aggregate.top_posts(posts, positive=False)])
    return top.drop_duplicates(subset=["text"]).reset_index(drop=True)


def explain_top_posts(tr: Tr, posts: pd.DataFrame) -> None:
    """A picker over the window's top posts and the chart of the picked post's words."""
    options = _options(posts)
    if options.empty:
        return
    st.markdown(f"**{tr('sent.explain_title')}**")
    picked = st.selectbox(tr("sent.explain_pick"), range(len(options)), key="explain-post", placeholder=tr("ui.choose_one"),
                          format_func=lambda i: f"{options['score'].iloc[i]:.2f} · "
                                                f"{str(options['text'].iloc[i])[:60]}")
    text = str(options["text"].iloc[picked if picked is not None else 0])
    items = resources.scorer("finance").explain(text)  # type: ignore[attr-defined]
    if not items:
        st.info(tr("sent.explain_none"))
    else:
        st.plotly_chart(explain_figure(items, tr), width="stretch", key="explain-chart")
    st.caption(tr("sent.explain_note"))
