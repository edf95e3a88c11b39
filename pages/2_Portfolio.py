"""One portfolio: NAV vs benchmark, drawdown, holdings, rebalances, every metric, and the
paper copy simulator. Open with ``?portfolio=ID`` or from the leaderboard.

Thin page: widgets (``app.forms_portfolio``) → cached services (``app.cached_portfolios``:
``services.report``, ``services.copies``) → draw (``app.draw_portfolio``)."""

from __future__ import annotations

import streamlit as st

from app import cached_portfolios, draw_portfolio, errors, forms_portfolio, navigation, resources, session
from app import draw_discussion
from app import draw_money
from socialfund.services.report import NoNavYet

navigation.require_router()

lang = session.lang()
st.title(session.tr("pf.title"))

user = session.current_user()
rf = resources.settings().risk_free
names = resources.instrument_names(lang)

# ---------------------------------------------------------------- which portfolio, which benchmark
p1, p2 = st.columns([3, 1])
pid = forms_portfolio.pick_portfolio(p1, user.id)
benchmark = forms_portfolio.pick_benchmark(p2, resources.universe(), names)

no_nav_yet = None
# words and a bar while the report computes (seconds on a cold load; finding 9): Streamlit's own
# spinner text is English ("In progress...")
loading = st.progress(0.0, text=session.tr("loading.page"))
with errors.errors_shown(stop=True):
    try:
        report = cached_portfolios.report(pid, benchmark, user.id, rf)
    except NoNavYet as missing:  # a new portfolio: say so, not an error
        no_nav_yet = missing
loading.empty()
if no_nav_yet is not None:
    st.info(session.tr("pf.no_nav_yet", as_of=no_nav_yet.as_of.isoformat()), icon="⏳")
    st.page_link(navigation.MY_PORTFOLIOS.path, label=session.tr("menu.my_portfolios"), icon="🗂️")
    st.stop()

# ---------------------------------------------------------------- header and tabs
draw_portfolio.header(report, user, pid)
tab_perf, tab_hold, tab_copy = st.tabs([session.tr("pf.tab.performance"), session.tr("pf.tab.holdings"),
                                        session.tr("pf.tab.copy")], default=forms_portfolio.opening_tab())
with tab_perf:
    draw_portfolio.performance(report, names, benchmark, rf)
    draw_money.money(pid, user)  # the owner's real money: XIRR beside TWR, amounts (app/draw_money.py)
with tab_hold:
    draw_portfolio.holdings(report, names)

# ---------------------------------------------------------------- paper copy
with tab_copy:
    st.write(session.tr("pf.copy_intro"))
    st.warning(session.tr("pf.hypothetical"))
    values = forms_portfolio.copy_form(report, pid)
    if values is not None:
        outcome = None
        with errors.errors_shown():
            params = forms_portfolio.copy_params(values)
            outcome = (params, cached_portfolios.copy_result(pid, user.id, params))
        if outcome is not None:
            draw_portfolio.copy_outcome(outcome[1], outcome[0], user, pid)
    draw_portfolio.saved_copies(user)

draw_discussion.portfolio_thread(pid)  # the portfolio's discussion (app/draw_discussion.py)
