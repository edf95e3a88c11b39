"""Leaderboard: public portfolios ranked by the versioned rules (deflated Sharpe by default).

Thin page: widgets → the cached ranking (``app.cached_portfolios.leaderboard``) and its row
filters (``services.leaderboard.filter_rows``) → draw (``app.draw_leaderboard``)."""

from __future__ import annotations

import streamlit as st

from app import cached_portfolios, draw_leaderboard, errors, form_rules, navigation, resources, session
from socialfund.services import leaderboard
from socialfund.view.i18n import t

navigation.require_router()

lang = session.lang()
tr = session.tr


def _sort_label(key: str) -> str:
    return t(f"lb.sort.{key}", lang)


st.title(tr("lb.title"))

rf = resources.settings().risk_free
c1, c2 = st.columns([3, 2])
window = c1.radio(tr("lb.window"), leaderboard.WINDOWS, index=leaderboard.WINDOWS.index("1Y"), horizontal=True,
                  format_func=lambda w: t(f"lb.window_short.{w}", lang), key="lb_window",
                  help=tr("lb.window_help"))   # short labels: one line on a phone (finding 10)
sort_by = c2.selectbox(tr("lb.sort"), list(leaderboard.SORT_KEYS), index=0, format_func=_sort_label, key="lb_sort",
                        placeholder=tr("ui.choose_one"))

with st.sidebar:
    st.subheader(tr("lb.filters"))
    include_closed = st.toggle(tr("lb.include_closed"), value=False, help=tr("lb.include_closed_help"),
                               key="lb_closed")
    risk_classes = st.multiselect(tr("lb.risk_class"), list(range(1, 8)), default=[], key="lb_risk",
                                  placeholder=tr("lb.all"), select_all=False)
    filters = form_rules.Form("lb_filters")
    min_track = filters.number(st.sidebar, tr("lb.min_track"), "lb_track", 0, form_rules.Bound(lo=0, whole=True), step=20)
    st.caption(tr("lb.filter_note"))

# words and a bar while the ranking computes (seconds on a cold load; finding 9): Streamlit's own
# spinner text is English ("In progress...")
loading = st.progress(0.0, text=tr("loading.page"))
with errors.errors_shown(stop=True):
    full = cached_portfolios.leaderboard(window, sort_by, include_closed, rf)
loading.empty()
summary = full.attrs["screen_summary"]
with st.sidebar:
    chosen_styles = st.multiselect(tr("lb.style"), leaderboard.table_styles(full), default=[], key="lb_styles",
                                   placeholder=tr("lb.all"), select_all=False)
table = leaderboard.filter_rows(full, risk_classes=risk_classes or None, styles=chosen_styles or None,
                                min_track_sessions=int(min_track))

if not filters.valid:   # a refused filter shows no table filtered by something else
    st.warning(tr("form.fix_first", n=len(filters.problems)))
    draw_leaderboard.figures(summary, len(table), rf, _sort_label(sort_by))
elif table.empty:
    st.info(tr("lb.empty"))
    draw_leaderboard.figures(summary, len(table), rf, _sort_label(sort_by))
else:   # the table first, its figures right below it
    draw_leaderboard.ranked(table, summary, include_closed, rf, session.current_user(), _sort_label(sort_by))
st.caption(tr("lb.ranks_on_twr"))   # what the ranking measures, right under the table (not above: phone fold)
with st.expander(tr("lb.about")):   # below the table: on a phone the table starts above the fold (finding 10)
    st.write(tr("lb.intro"))
draw_leaderboard.excluded(full.attrs["excluded"])
draw_leaderboard.rules(leaderboard.leaderboard_rules(rf), summary.rules_version, rf, lang)
