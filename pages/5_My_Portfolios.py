"""My portfolios: create, rebalance, confirm, close, delete, import/export holdings,
snapshots with share links and cards, follows and the rebalance feed.

Thin page: widgets → ``socialfund.services`` (``portfolio_crud``, ``snapshots``, ``follows``;
``access`` enforces the permissions) / ``holdings`` / ``cards`` → draw. The acting user is
``session.current_user().id`` on every call.
"""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pandas as pd
import streamlit as st

from app import chrome, errors, navigation, resources, session
from socialfund.market.search import search_instruments
from socialfund.view import cards
from socialfund.services import access, follows, portfolio_crud, snapshots
from socialfund.core.errors import SocialFundError
from socialfund.io.holdings import holdings_csv_bytes, read_holdings_csv
from socialfund.core.weights import CASH, WeightsSumError, bp_to_percent, format_pct, normalise_percent
from socialfund.core.timeutil import from_utc_naive, utcnow

navigation.require_router()

lang = session.lang()
tr = session.tr
PAGE_PATH = "/My_Portfolios"

st.title(tr("mp.title"))
st.caption(tr("mp.intro"))
is_demo_data = resources.is_demo_market()

user = session.current_user()
store = resources.store()
if user.id is None:
    st.info(tr("auth.sign_in_needed"))
    st.stop()

universe = resources.universe()
names = {i.code: i.name(lang) for i in universe}
names[CASH] = tr("card.cash")
known = [i.code for i in universe]
option_of = {code: f"{code} · {name}" for code, name in names.items()}
VIS_LABEL = {v: tr(f"mp.vis.{v}") for v in access.VISIBILITIES}


def _local(ts) -> str:  # type: ignore[no-untyped-def]
    """A naive-UTC store time as Shanghai wall-clock text."""
    return from_utc_naive(ts).strftime("%Y-%m-%d %H:%M") if ts is not None else "—"


# --------------------------------------------------------------------------- weights editor

def weights_editor(prefix: str, initial: dict[str, Decimal]) -> list[tuple[str, object]] | None:
    """An editable table of (instrument, weight %) with search-and-add and an explicit
    normalise button. Returns the rows as (code, percent) pairs (never rescaled silently)."""
    base_key, gen_key = f"{prefix}_base", f"{prefix}_gen"
    if base_key not in st.session_state:
        st.session_state[base_key] = [(c, float(p)) for c, p in initial.items()]
        st.session_state[gen_key] = 0
    base = pd.DataFrame(
        [{"instrument": option_of.get(c, c), "weight": w} for c, w in st.session_state[base_key]],
        columns=["instrument", "weight"]).astype({"instrument": object, "weight": float})
    st.caption(tr("mp.weights_table"))
    edited = st.data_editor(
        base, num_rows="dynamic", hide_index=True, width="stretch",
        key=f"{prefix}_editor_{st.session_state[gen_key]}",
        column_config={
            "instrument": st.column_config.SelectboxColumn(tr("col.name"), options=list(option_of.values()),
                                                           required=True, width="large"),
            "weight": st.column_config.NumberColumn(tr("mp.col.weight"), min_value=0.0, max_value=100.0,
                                                    step=0.01, format="%.2f"),
        })
    rows = [(str(r["instrument"]).split(" · ")[0], None if pd.isna(r["weight"]) else float(r["weight"]))
            for _, r in edited.iterrows() if isinstance(r["instrument"], str) and r["instrument"]]

    c1, c2 = st.columns([3, 1])
    query = c1.text_input(tr("mp.search"), key=f"{prefix}_q", placeholder=tr("mp.search_hint"))
    matches = search_instruments(universe, query, limit=15) if query else []
    if query and not matches:
        c1.caption(tr("mp.no_match"))
    pick = c1.selectbox(tr("mp.search"), [m.code for m in matches], format_func=lambda c: option_of.get(c, c),
                        key=f"{prefix}_pick", label_visibility="collapsed", disabled=not matches)
    if c2.button(tr("mp.add"), key=f"{prefix}_add", disabled=not matches) and pick:
        if pick not in [c for c, _ in rows]:
            rows.append((pick, 0.0))
        _reset_editor(prefix, rows)

    present = [(c, w) for c, w in rows if w is not None]
    total = sum((Decimal(repr(w)) for _, w in present), Decimal(0))
    st.caption(tr("mp.total", total=format_pct(total)))
    if present and total > 0 and abs(total - 100) > Decimal("0.01"):
        st.warning(tr("mp.normalise_offer", total=format_pct(total)))
        if st.button(tr("mp.normalise"), key=f"{prefix}_normalise"):
            with errors.errors_shown():
                scaled = normalise_percent(present, known)
                _reset_editor(prefix, [(c, float(p)) for c, p in scaled.items()], flash=tr("mp.normalised"))
    flash = st.session_state.pop(f"{prefix}_flash", None)
    if flash:
        st.info(flash)
    return rows


def _reset_editor(prefix: str, rows: list[tuple[str, object]], flash: str | None = None) -> None:
    st.session_state[f"{prefix}_base"] = list(rows)
    st.session_state[f"{prefix}_gen"] += 1
    if flash:
        st.session_state[f"{prefix}_flash"] = flash
    st.rerun()


def _forget_editor(prefix: str) -> None:
    for suffix in ("_base", "_gen"):
        st.session_state.pop(prefix + suffix, None)


def _show_weights_error(exc: SocialFundError) -> None:
    if isinstance(exc, WeightsSumError):
        st.error(tr("mp.normalise_offer", total=format_pct(exc.total_pct)))
    else:
        st.error(tr("error.generic", msg=exc))


def _new_picker() -> None:
    """A fresh picker widget on the next run, so it opens on ``mp_selected``: a kept widget
    would keep showing (and returning) the portfolio picked before a create or delete."""
    st.session_state["mp_pick_gen"] = st.session_state.get("mp_pick_gen", 0) + 1


def _flash(message: str) -> None:
    st.session_state["_mp_flash"] = message


# --------------------------------------------------------------------------- page

flash_message = st.session_state.pop("_mp_flash", None)
if flash_message:
    st.success(flash_message)

tab_mine, tab_new, tab_follow = st.tabs([tr("mp.tab.mine"), tr("mp.tab.create"), tr("mp.tab.follows")])

with tab_new:
    name = st.text_input(tr("mp.name"), key="new_name", max_chars=access.MAX_NAME)
    description = st.text_area(tr("mp.description"), key="new_desc", max_chars=access.MAX_DESCRIPTION, height=80)
    visibility = st.radio(tr("mp.visibility"), access.VISIBILITIES, index=2, format_func=VIS_LABEL.get,
                          key="new_vis", horizontal=True)
    with st.expander(tr("mp.csv")):
        st.caption(tr("mp.csv_help"))
        upload = st.file_uploader(tr("mp.upload"), type=["csv", "txt"], key="new_upload")
        if upload is not None:
            try:
                parsed = read_holdings_csv(upload.getvalue(), upload.name, known)
            except SocialFundError as exc:
                st.error(tr("error.generic", msg=exc))
            else:
                for warning in parsed.warnings:
                    st.warning(warning)
                st.caption(tr("mp.loaded", n=len(parsed.weights_pct)))
                if st.button(tr("mp.use_upload"), key="new_use_upload"):
                    _reset_editor("new", [(c, float(p)) for c, p in parsed.weights_pct.items()])
    rows = weights_editor("new", {})
    note = st.text_input(tr("mp.note"), key="new_note", max_chars=access.MAX_NOTE)
    if st.button(tr("mp.create"), key="new_create", type="primary"):
        try:
            pid = portfolio_crud.create_portfolio(store, user.id, name, rows or [], description=description,
                                                  visibility=visibility, note=note)
        except SocialFundError as exc:
            _show_weights_error(exc)
        else:
            _forget_editor("new")
            st.session_state["mp_selected"] = pid
            _new_picker()
            _flash(tr("mp.created", id=pid))
            st.rerun()

with tab_mine:
    mine = portfolio_crud.my_portfolios(store, user.id)
    if not mine:
        st.info(tr("mp.none"))
    else:
        by_id = {p.id: p for p in mine}
        ids = list(by_id)
        selected = st.session_state.get("mp_selected")
        pid = st.selectbox(tr("mp.pick"), ids, index=ids.index(selected) if selected in ids else 0,
                           format_func=lambda i: f"{by_id[i].name} (#{i})",
                           key=f"mp_pick_{st.session_state.get('mp_pick_gen', 0)}")
        st.session_state["mp_selected"] = pid
        info = by_id[pid]
        current = info.current
        status = tr("mp.status.closed") if info.closed_at else tr("mp.status.open")
        st.subheader(chrome.plain(info.name))
        if info.description:
            st.write(chrome.plain(info.description))
        st.caption(tr("mp.summary", id=info.id, visibility=VIS_LABEL[info.visibility], status=status,
                      version=current.version if current else 0,
                      placed=current.placed_at.strftime("%Y-%m-%d %H:%M") if current else "—"))
        if info.confirmed_at:
            st.caption(tr("mp.confirmed", at=_local(info.confirmed_at)))

        left, right = st.columns([3, 2])
        with left:
            st.markdown(f"**{tr('mp.holdings')}**")
            pct = bp_to_percent(info.current_weights)
            st.dataframe(pd.DataFrame({tr("col.code"): list(pct), tr("col.name"): [names.get(c, c) for c in pct],
                                       tr("mp.col.weight"): [float(p) for p in pct.values()]})
                         .sort_values(tr("mp.col.weight"), ascending=False),
                         hide_index=True, width="stretch",
                         column_config={tr("mp.col.weight"): st.column_config.NumberColumn(format="%.2f")})
            csv_names = {c: n for c, n in names.items() if c != CASH}
            st.download_button(tr("mp.export"), holdings_csv_bytes(info.current_weights, csv_names),
                               file_name=f"portfolio-{info.id}-holdings.csv", mime="text/csv", key="mp_export")
        with right:
            st.markdown(f"**{tr('mp.history')}**")
            st.dataframe(pd.DataFrame({tr("mp.col.version"): [v.version for v in reversed(info.versions)],
                                       tr("mp.col.placed"): [v.placed_at.strftime("%Y-%m-%d %H:%M")
                                                             for v in reversed(info.versions)],
                                       tr("mp.col.note"): [v.note for v in reversed(info.versions)]}),
                         hide_index=True, width="stretch")

        with st.expander(tr("mp.actions"), expanded=False):
            new_vis = st.radio(tr("mp.visibility"), access.VISIBILITIES,
                               index=access.VISIBILITIES.index(info.visibility), format_func=VIS_LABEL.get,
                               key=f"vis_{pid}", horizontal=True)
            if new_vis != info.visibility:
                with errors.errors_shown():
                    portfolio_crud.set_visibility(store, user.id, pid, new_vis)
                    st.rerun()
            c1, c2 = st.columns(2)
            if c1.button(tr("mp.confirm"), key=f"confirm_{pid}", disabled=info.closed_at is not None):
                with errors.errors_shown():
                    portfolio_crud.confirm(store, user.id, pid)
                    _flash(tr("mp.confirmed_ok"))
                    st.rerun()
            if c2.button(tr("mp.close"), key=f"close_{pid}", disabled=info.closed_at is not None):
                with errors.errors_shown():
                    portfolio_crud.close(store, user.id, pid)
                    _flash(tr("mp.closed_ok"))
                    st.rerun()
            sure = st.checkbox(tr("mp.delete_confirm"), key=f"sure_{pid}")
            if st.button(tr("mp.delete"), key=f"delete_{pid}", disabled=not sure):
                with errors.errors_shown():
                    portfolio_crud.delete_portfolio(store, user.id, pid)
                    st.session_state.pop("mp_selected", None)
                    _new_picker()
                    _flash(tr("mp.deleted_ok"))
                    st.rerun()

        if info.closed_at is None:
            with st.expander(tr("mp.rebalance")):
                prefix = f"rb_{pid}_{current.version if current else 0}"
                rb_rows = weights_editor(prefix, dict(bp_to_percent(info.current_weights)))
                rb_note = st.text_input(tr("mp.note"), key=f"{prefix}_note", max_chars=access.MAX_NOTE)
                if st.button(tr("mp.rebalance_save"), key=f"{prefix}_save", type="primary"):
                    try:
                        number = portfolio_crud.rebalance(store, user.id, pid, rb_rows or [], rb_note)
                    except SocialFundError as exc:
                        _show_weights_error(exc)
                    else:
                        _forget_editor(prefix)
                        _flash(tr("mp.rebalanced", version=number))
                        st.rerun()

        # ---- snapshots and share links
        st.subheader(tr("mp.snapshots"))
        new_link = st.session_state.pop("_mp_new_link", None)   # shown once, then forgotten
        if new_link and new_link[0] == pid:
            if new_link[1]:
                st.success(tr("mp.snap_created"))
                st.code(new_link[1], language=None)
            else:
                st.success(tr("mp.snap_private"))
        with st.form(f"snap_form_{pid}", clear_on_submit=True):
            title = st.text_input(tr("mp.snap_title"), value=info.name, max_chars=access.MAX_NAME)
            snap_vis = st.radio(tr("mp.snap_vis"), snapshots.SNAPSHOT_VISIBILITIES, index=1, horizontal=True,
                                format_func=lambda v: tr(f"mp.snap_vis.{v}"))
            weights_only = st.checkbox(tr("mp.weights_only"), value=True)
            amount = st.number_input(tr("mp.amount"), min_value=0.0, value=100_000.0, step=10_000.0)
            days = st.number_input(tr("mp.expires"), min_value=0, max_value=3650, value=30, step=1)
            submitted = st.form_submit_button(tr("mp.snap_create"), type="primary")
        if submitted:
            codes = info.priced_codes
            with errors.errors_shown():
                created = snapshots.create_snapshot(
                    store, user.id, pid, resources.closes(codes) if codes else None, title=title, visibility=snap_vis,
                    weights_only=weights_only, amount_cny=Decimal(str(amount)) if amount else None,
                    expires_at=utcnow() + timedelta(days=int(days)) if days else None,
                    is_demo_data=is_demo_data, risk_free=resources.settings().risk_free)
                link = None
                if created.token:
                    base = (st.context.url or "").split("?")[0].rstrip("/")
                    if base.endswith(PAGE_PATH):
                        base = base[: -len(PAGE_PATH)]
                    link = f"{base}/?snapshot={created.token}"
                st.session_state["_mp_new_link"] = (pid, link)
                st.rerun()

        st.markdown(f"**{tr('mp.snap_list')}**")
        snaps = snapshots.list_snapshots(store, user.id, pid)
        if not snaps:
            st.caption(tr("mp.snap_none"))
        now = utcnow()
        for snap in snaps:
            state = snap.status(now)
            c1, c2, c3 = st.columns([6, 2, 2])
            c1.write(tr("mp.snap_row", id=snap.id, title=chrome.plain(snap.title), version=snap.version,
                        created=_local(snap.created_at), visibility=tr(f"mp.snap_vis.{snap.visibility}"),
                        status=tr(f"mp.snap_status.{state}")))

            def _card(sid: int = snap.id, actor: int = user.id, card_lang: str = lang) -> bytes:
                # runs on click, in another thread: library calls only
                return cards.card_png(snapshots.get_snapshot(store, actor, sid).payload, card_lang)

            c2.download_button(tr("mp.card"), _card, file_name=f"snapshot-{snap.id}.png", mime="image/png",
                               key=f"card_{snap.id}")
            if state == "active" and snap.has_link:
                if c3.button(tr("mp.revoke"), key=f"revoke_{snap.id}"):
                    with errors.errors_shown():
                        snapshots.revoke_snapshot(store, user.id, snap.id)
                        _flash(tr("mp.revoked_ok"))
                        st.rerun()

with tab_follow:
    st.subheader(tr("mp.follows"))
    followed = follows.followed_portfolios(store, user.id)
    if followed.empty:
        st.caption(tr("mp.follows_none"))
    for row in followed.itertuples():
        c1, c2 = st.columns([6, 1])
        c1.write(f"{chrome.plain(row.name)} · {chrome.plain(row.owner_name)} (#{row.portfolio_id})")
        if c2.button(tr("mp.unfollow"), key=f"unfollow_{row.portfolio_id}"):
            with errors.errors_shown():
                follows.unfollow(store, user.id, int(row.portfolio_id))
                st.rerun()
    st.subheader(tr("mp.feed"))
    items = follows.feed(store, user.id, limit=30)
    if not items:
        st.caption(tr("mp.feed_none"))
    for item in items:
        st.markdown(f"**{tr('mp.feed_item', name=chrome.plain(item.portfolio_name), owner=chrome.plain(item.owner_name), version=item.version, placed=item.placed_at.strftime('%Y-%m-%d %H:%M'))}**")
        if item.note:
            st.caption(chrome.plain(item.note))
        changes = "; ".join(f"{names.get(c, c)} {p / 100:.2f}% → {n / 100:.2f}%" for c, p, n in item.changes)
        st.text(changes if item.version > 1 else f"{tr('mp.feed_first')}: {changes}")
