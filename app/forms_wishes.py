"""The sections of the wishes page, each widgets → ``services.wishes`` → draw: the create
form, a wish's progress (with the celebration when reached), its projection (fan chart and
the risk notice), deposits by hand or CSV, "guess my wish" links, the friends' guesses and
simulated tips (owner only), the wish card and closing."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import streamlit as st

from socialfund.core.errors import SocialFundError
from socialfund.core.timeutil import utcnow
from socialfund.services import access, portfolio_crud, wishes
from socialfund.view import cards
from socialfund.view.charts.wishes import fan_chart
from socialfund.wishes.money import yuan_text
from socialfund.wishes.projection import Projection

from app import chrome, errors, resources, session
from app.forms_my_portfolios import local_time
from app.share_links import wish_link

FLASH = "_wish_flash"
NEW_LINK = "_wish_new_link"         # (wish id, link) just made, shown once
CELEBRATED = "_wish_celebrated"     # wish ids whose balloons were shown this session


def show_flash() -> None:
    message = st.session_state.pop(FLASH, None)
    if message:
        st.success(message)


def _vehicle_label(w: wishes.WishView, lang: str) -> str:
    if w.vehicle_kind == "fund":
        return wishes.fund_name(w.vehicle_ref, lang) or resources.instrument_names(lang).get(w.vehicle_ref, w.vehicle_ref)
    return f"{session.tr('wish.f.portfolio')} #{w.vehicle_ref}"


def create_form(user_id: int, lang: str) -> None:
    tr = session.tr
    today = wishes.today_cn()
    mine = portfolio_crud.my_portfolios(resources.store(), user_id)
    with st.form("wish_create", clear_on_submit=False):
        title = st.text_input(tr("wish.f.title"), max_chars=64)
        emoji = st.selectbox(tr("wish.f.emoji"), ["🎁", "📱", "✈️", "💻", "🎤", "📚", "🚲", "🐱", "🎧", "🏠"], placeholder=tr("ui.choose_one"))
        target = st.text_input(tr("wish.f.target"), value="3000")
        by = st.date_input(tr("wish.f.by"), value=today + dt.timedelta(days=180), min_value=today + dt.timedelta(days=1))
        initial = st.text_input(tr("wish.f.initial"), value="100")
        every = st.selectbox(tr("wish.f.every"), ["day", "week", "month"], index=1,
                             format_func=lambda v: tr(f"wish.every.{v}"), placeholder=tr("ui.choose_one"))
        amount = st.text_input(tr("wish.f.amount"), value="100")
        kind = st.radio(tr("wish.f.vehicle"), ["fund", "portfolio"], horizontal=True,
                        format_func=lambda v: tr(f"wish.f.vehicle.{v}"))
        fund = st.text_input(tr("wish.f.fund"), value="000198")
        portfolio = st.selectbox(tr("wish.f.portfolio"), [p.id for p in mine] or [None],
                                 format_func=lambda i: "—" if i is None else next(p.name for p in mine if p.id == i),
                                 placeholder=tr("ui.choose_one"))
        visibility = st.selectbox(tr("wish.f.visibility"), list(access.VISIBILITIES), index=1,
                                  format_func=lambda v: tr(f"wish.vis.{v}"), placeholder=tr("ui.choose_one"))
        decoy_text = st.text_area(tr("wish.f.decoys"), height=100)
        submitted = st.form_submit_button(tr("wish.f.create"), type="primary")
    if submitted:
        decoys = [(line.strip(), "") for line in decoy_text.splitlines() if line.strip()]
        with errors.errors_shown():
            view = wishes.create_wish(
                resources.store(), user_id, title=title, emoji=emoji, target=target, by=by, initial=initial,
                every=every, amount=amount, fund=fund if kind == "fund" else None,
                portfolio_id=portfolio if kind == "portfolio" else None, visibility=visibility,
                decoys=decoys or None, lang=lang, is_demo_data=resources.is_demo_market())
            st.session_state[FLASH] = tr("wish.created", id=view.id)
            st.session_state["wish_pick"] = view.id
            st.rerun()


def progress(w: wishes.WishView, lang: str) -> None:
    tr = session.tr
    st.header(f"{w.emoji} {chrome.plain(w.title)}")
    if w.is_demo:
        chrome.demo_badge()
    if w.closed_at is not None:
        st.info(tr("wish.closed"))
    today = wishes.today_cn()
    planned = w.planned_fen(min(today, w.target_date))
    c1, c2, c3, c4 = st.columns(4)
    c1.metric(tr("wish.saved"), f"¥{yuan_text(w.saved_fen)}")
    c2.metric(tr("wish.target"), f"¥{yuan_text(w.target_fen)}")
    c3.metric(tr("wish.progress"), f"{w.progress:.1%}")
    c4.metric(tr("wish.planned"), f"¥{yuan_text(planned)}",
              delta=tr("wish.vs_plan", diff=yuan_text(w.saved_fen - planned)))
    st.progress(w.progress)
    st.caption(tr("wish.progress_note"))
    st.caption(tr("wish.plan_text", initial=yuan_text(w.initial_fen), every=tr(f"wish.every.{w.every}"),
                  amount=yuan_text(w.amount_fen), vehicle=_vehicle_label(w, lang), target=yuan_text(w.target_fen),
                  by=w.target_date.isoformat()))
    if w.reached:
        st.success(tr("wish.reached"))
        done = st.session_state.setdefault(CELEBRATED, set())
        if w.id not in done:
            done.add(w.id)
            st.balloons()


def projection(w: wishes.WishView, user_id: int, lang: str) -> Projection | None:
    tr = session.tr
    st.subheader(tr("wish.projection"))
    st.warning(tr("wish.risk"))
    if w.closed_at is not None or w.target_date <= wishes.today_cn():
        return None
    store = resources.store()
    try:
        codes = wishes.vehicle_codes(store, user_id, w)
        prices = wishes.vehicle_prices(resources.provider(), codes)
        p = wishes.project_wish(store, user_id, w.id, prices)
    except SocialFundError as exc:
        st.error(tr("wish.proj.error", error=exc))
        return None
    c1, c2, c3 = st.columns(3)
    c1.metric(tr("wish.proj.probability"), f"{p.probability:.0%}")
    c2.metric(tr("wish.proj.median_date"), p.median_date.isoformat() if p.median_date else tr("wish.proj.not_reached"))
    c3.metric(tr("wish.proj.extra"), tr("wish.proj.extra_none") if p.extra_per_period_fen is None
              else tr("wish.proj.extra_value", amount=yuan_text(p.extra_per_period_fen)))
    d1, d2, d3 = st.columns(3)
    d1.metric(tr("wish.proj.p10"), yuan_text(p.p10))
    d2.metric(tr("wish.proj.p50"), yuan_text(p.p50))
    d3.metric(tr("wish.proj.p90"), yuan_text(p.p90))
    st.plotly_chart(fan_chart(p, lang), width="stretch")
    st.caption(tr("wish.proj.method", vehicle=_vehicle_label(w, lang), block=p.block_length, paths=p.paths,
                  seed=p.seed, days=p.history_days))
    return p


def deposits(w: wishes.WishView, user_id: int) -> None:
    tr = session.tr
    if w.closed_at is None:
        with st.form(f"wish_deposit_{w.id}", clear_on_submit=True):
            c1, c2 = st.columns(2)
            amount = c1.text_input(tr("wish.deposit.amount"))
            on = c2.date_input(tr("wish.deposit.date"), value=wishes.today_cn(), min_value=w.start_date,
                               max_value=wishes.today_cn())
            add = st.form_submit_button(tr("wish.deposit.add"))
        if add:
            with errors.errors_shown():
                wishes.add_deposit(resources.store(), user_id, w.id, amount, on=on)
                st.session_state[FLASH] = tr("wish.deposit.done", amount=amount)
                st.rerun()
        with st.form(f"wish_roundup_{w.id}", clear_on_submit=True):
            spent = st.text_input(tr("wish.roundup.spent"))
            round_up = st.form_submit_button(tr("wish.roundup.add"))
        if round_up:
            with errors.errors_shown():
                wishes.add_round_up(resources.store(), user_id, w.id, spent)
                st.session_state[FLASH] = tr("wish.roundup.done")
                st.rerun()
        upload = st.file_uploader(tr("wish.deposit.csv"), type=["csv", "txt"], key=f"wish_csv_{w.id}")
        if upload is not None and st.button(tr("wish.deposit.import"), key=f"wish_csv_go_{w.id}"):
            with errors.errors_shown():
                wishes.import_deposits(resources.store(), user_id, w.id, upload.getvalue(), upload.name)
                st.session_state[FLASH] = tr("wish.deposit.imported")
                st.rerun()
    if w.deposits:
        with st.expander(tr("wish.deposits")):
            st.dataframe(pd.DataFrame({
                tr("wish.col.date"): [d.on_date.isoformat() for d in w.deposits],
                tr("wish.col.amount"): [yuan_text(d.amount_fen) for d in w.deposits],
                tr("wish.col.note"): [d.note for d in w.deposits]}), hide_index=True, width="stretch")


def sharing(w: wishes.WishView, user_id: int) -> None:
    tr = session.tr
    st.subheader(tr("wish.share"))
    new = st.session_state.pop(NEW_LINK, None)
    if new and new[0] == w.id:
        st.success(tr("wish.share.once"))
        st.code(new[1], language=None)
    if w.closed_at is None:
        days = st.number_input(tr("wish.share.expires"), min_value=0, max_value=3650, value=30, key=f"wish_days_{w.id}")
        if st.button(tr("wish.share.make"), key=f"wish_share_{w.id}", type="primary"):
            with errors.errors_shown():
                expires = (utcnow() + dt.timedelta(days=int(days))) if days else None
                _link, token = wishes.create_guess_link(resources.store(), user_id, w.id, expires_at=expires)
                st.session_state[NEW_LINK] = (w.id, wish_link(token))
                st.rerun()
    links = wishes.list_guess_links(resources.store(), user_id, w.id)
    if links:
        st.caption(tr("wish.share.links"))
        for link in links:
            status = link.status()
            c1, c2 = st.columns([3, 1])
            c1.write(f"#{link.id} · {local_time(link.created_at)} · {tr(f'wish.share.status.{status}')}")
            if status == "active" and c2.button(tr("wish.share.revoke", id=link.id), key=f"wish_revoke_{link.id}"):
                wishes.revoke_guess_link(resources.store(), user_id, link.id)
                st.session_state[FLASH] = tr("wish.share.revoked")
                st.rerun()


def guesses(w: wishes.WishView) -> None:
    tr = session.tr
    st.subheader(tr("wish.guesses"))
    st.caption(tr("wish.simulated"))
    if not w.guesses:
        st.info(tr("wish.guesses.none"))
        return
    rate = w.guess_rate()
    st.write(tr("wish.guesses.rate", rate=f"{rate:.0%}" if rate is not None else "—", n=len(w.guesses),
                tips=yuan_text(w.tips_fen)))
    st.table(pd.DataFrame({   # a small table, as text (names and messages readable and findable)
        tr("wish.col.name"): [g.name or tr("wish.anonymous") for g in w.guesses],
        tr("wish.col.picked"): [g.picked for g in w.guesses],
        tr("wish.col.correct"): ["✓" if g.correct else "✗" for g in w.guesses],
        tr("wish.col.message"): [g.message for g in w.guesses],
        tr("wish.col.tip"): [yuan_text(g.tip_fen) for g in w.guesses]}).set_index(tr("wish.col.name")))


def card_and_close(w: wishes.WishView, p: Projection | None, user_id: int, lang: str) -> None:
    tr = session.tr
    data = cards.WishCardData(
        title=w.title, emoji=w.emoji, owner_name=w.owner_name, saved_fen=w.saved_fen, target_fen=w.target_fen,
        target_date=w.target_date, is_demo=w.is_demo, projected_date=p.median_date if p else None,
        projected=p is not None, probability=p.probability if p else None, paths=p.paths if p else 0,
        guess_rate=w.guess_rate(), guesses=len(w.guesses), tips_fen=w.tips_fen)
    st.download_button(tr("wish.card"), cards.wish_card_png(data, lang), file_name=f"wish-{w.id}.png",
                       mime="image/png", key=f"wish_card_{w.id}")
    if w.closed_at is None and st.button(tr("wish.close"), key=f"wish_close_{w.id}"):
        wishes.close_wish(resources.store(), user_id, w.id)
        st.session_state[FLASH] = tr("wish.closed_done")
        st.rerun()
