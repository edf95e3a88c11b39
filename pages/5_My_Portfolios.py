"""My portfolios: create, rebalance, confirm, close, delete, import/export holdings,
snapshots with share links and cards, follows and the rebalance feed.

Thin page: widgets → ``socialfund.services`` (``portfolio_crud``, ``snapshots``, ``follows``;
``access`` enforces the permissions) → draw, section by section in ``app.forms_my_portfolios``
(the owner's portfolios), ``app.forms_weights`` (the weights editor) and ``app.forms_sharing``
(snapshots, follows). The acting user is ``session.current_user().id`` on every call.
"""

from __future__ import annotations

import streamlit as st

from app import forms_my_portfolios as mine_forms
from app import forms_history, forms_sharing, forms_weights, navigation, resources, session
from app import forms_flows
from socialfund.services import portfolio_crud

navigation.require_router()

lang = session.lang()
st.title(session.tr("mp.title"))
st.caption(session.tr("mp.intro"))

user = session.current_user()
if user.id is None:
    st.info(session.tr("auth.sign_in_needed"))
    st.stop()
offer = forms_weights.choices(resources.universe(), lang)

mine_forms.show_flash()
mine = portfolio_crud.my_portfolios(resources.store(), user.id)
# with none yet, open on 新建组合, where "mp.none" points
tab_mine, tab_new, tab_follow = st.tabs([session.tr("mp.tab.mine"), session.tr("mp.tab.create"),
                                         session.tr("mp.tab.follows")],
                                        default=None if mine else session.tr("mp.tab.create"))

with tab_new:
    mine_forms.create_form(user.id, offer)
    forms_history.history_import_form(user.id, offer)
    forms_flows.flows_import_form(user.id, offer)  # a real-money portfolio from cash flows

with tab_mine:
    if not mine:
        st.info(session.tr("mp.none"))
    else:
        info = mine_forms.pick(mine)
        mine_forms.summary(info)
        mine_forms.holdings_and_history(info, offer.names)
        mine_forms.actions(info, user.id)
        if info.closed_at is None:
            mine_forms.rebalance(info, user.id, offer)
        forms_sharing.snapshots_section(info, user.id, lang)

with tab_follow:
    forms_sharing.follows_tab(user.id, offer.names)
