"""Draw the bull/bear meter (``socialfund.services.meter``) of the chosen funds, one card per
fund: the self-tag bull share as a bar with the model's share on the same posts beside it,
the volume, the agreement rate, the window stated and the demo label when demo posts count;
and the follow-fund button (☆ 关注 / ★ 已关注) for a signed-in user.

Not cached: the meter is read fresh on every run (a handful of queries on the written
posts), so a post hidden or deleted leaves it at once.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import pandas as pd
import streamlit as st

from socialfund.sentiment import Scorer
from socialfund.services import meter, watchlist
from socialfund.social import meter as maths

from app import errors, resources, session


def meters(codes: Sequence[str], names: Mapping[str, str], scorer: Scorer, closes: pd.DataFrame) -> pd.DataFrame:
    """The meter section of the Sentiment page for ``codes``; returns the meter table."""
    tr = session.tr
    st.divider()
    st.subheader(tr("meter.title"))
    table = pd.DataFrame(columns=maths.METER_COLUMNS)
    with errors.errors_shown(stop=False):
        table = meter.fund_meters(resources.store(), scorer, list(codes), closes, resources.universe())
    if table.empty:
        return table
    first, last = table["first_session"].dropna(), table["last_session"].dropna()
    if last.empty:
        st.caption(tr("meter.no_window"))
    else:
        st.caption(tr("meter.intro", n=maths.WINDOW_SESSIONS, start=first.min().date(), end=last.max().date()))
    st.caption(tr("meter.scorer", version=scorer.version))
    cols = st.columns(min(len(table), 3))
    for i, row in enumerate(table.itertuples(index=False)):
        with cols[i % len(cols)].container(border=True):
            _card(row, names)
    return table


def _card(row: object, names: Mapping[str, str]) -> None:
    tr = session.tr
    code = str(getattr(row, "code"))
    st.markdown(f"**{names.get(code, code)}** `{code}`")
    bull = float(getattr(row, "bull_share"))
    model = float(getattr(row, "model_bull_share"))
    left, right = st.columns(2)
    left.metric(tr("meter.bull_share"), maths.share_text(bull), help=tr("meter.bull_share_help"))
    right.metric(tr("meter.model_share"), maths.share_text(model), help=tr("meter.model_share_help"))
    left.progress(bull if bull == bull else 0.0)
    right.progress(model if model == model else 0.0)
    n = int(getattr(row, "n_tagged"))
    if n == 0:
        st.caption(tr("meter.no_tags"))
    st.caption(tr("meter.tags", bull=int(getattr(row, "n_bull")), bear=int(getattr(row, "n_bear"))))
    st.caption(tr("meter.volume", n=maths.WINDOW_SESSIONS, tagged=n, posts=int(getattr(row, "n_posts"))))
    mean = float(getattr(row, "model_mean"))
    if mean == mean:
        st.caption(tr("meter.model_mean", score=f"{mean:.2f}"))
    st.caption(tr("meter.agreement", rate=maths.share_text(float(getattr(row, "agreement"))),
                  compared=int(getattr(row, "n_compared")), neutral=int(getattr(row, "n_model_neutral")),
                  unscored=n - int(getattr(row, "n_scored"))))
    if int(getattr(row, "n_demo")):
        st.caption(f"🧪 `{tr('meter.demo', n=int(getattr(row, 'n_demo')))}`")
    follow_button(code, key=f"meter-follow-{code}")


def follow_button(code: str, key: str) -> None:
    """☆ 关注 / ★ 已关注 for fund ``code`` (nothing when signed out); a click toggles it."""
    user = session.current_user()
    if user.id is None:
        return
    store = resources.store()
    following = code in watchlist.codes(store, user.id)
    if st.button(session.tr("follow.remove" if following else "follow.add"), key=key,
                 help=session.tr("follow.help")):
        with errors.errors_shown():
            if following:
                watchlist.remove(store, user.id, code)
            else:
                watchlist.add(store, user.id, code)
            st.rerun()
