"""The weights editor of the my-portfolios page: an editable table of (instrument, weight %)
with search-and-add and an explicit normalise button, whose rows live in session state under
a prefix (``<prefix>_base``, ``<prefix>_gen``); and how a weights error is shown."""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal

import pandas as pd
import streamlit as st

from socialfund.core.errors import SocialFundError
from socialfund.core.weights import CASH, WeightsSumError, format_pct, normalise_percent
from socialfund.market.instruments import Instrument
from socialfund.market.search import search_instruments

from app import errors, session

Rows = list[tuple[str, object]]   # (code, weight in percent or None) as typed, never rescaled silently


@dataclass(frozen=True)
class Choices:
    """What the editor offers: the universe, code → name (cash included), code → the
    option text ``code · name``, and the known codes."""

    universe: tuple[Instrument, ...]
    names: Mapping[str, str]
    option_of: Mapping[str, str]
    known: tuple[str, ...]


def choices(universe: Sequence[Instrument], lang: str) -> Choices:
    names = {i.code: i.name(lang) for i in universe}
    names[CASH] = session.tr("card.cash")
    return Choices(tuple(universe), names, {code: f"{code} · {name}" for code, name in names.items()},
                   tuple(i.code for i in universe))


def weights_editor(prefix: str, initial: Mapping[str, Decimal], offer: Choices) -> Rows:
    """An editable table of (instrument, weight %) with search-and-add and an explicit
    normalise button. Returns the rows as (code, percent) pairs (never rescaled silently)."""
    tr = session.tr
    base_key, gen_key = f"{prefix}_base", f"{prefix}_gen"
    if base_key not in st.session_state:
        st.session_state[base_key] = [(c, float(p)) for c, p in initial.items()]
        st.session_state[gen_key] = 0
    base = pd.DataFrame(
        [{"instrument": offer.option_of.get(c, c), "weight": w} for c, w in st.session_state[base_key]],
        columns=["instrument", "weight"]).astype({"instrument": object, "weight": float})
    st.caption(tr("mp.weights_table"))
    edited = st.data_editor(
        base, num_rows="dynamic", hide_index=True, width="stretch",
        key=f"{prefix}_editor_{st.session_state[gen_key]}",
        column_config={
            "instrument": st.column_config.SelectboxColumn(tr("col.name"), options=list(offer.option_of.values()),
                                                           required=True, width="large"),
            "weight": st.column_config.NumberColumn(tr("mp.col.weight"), min_value=0.0, max_value=100.0,
                                                    step=0.01, format="%.2f"),
        })
    rows: Rows = [(str(r["instrument"]).split(" · ")[0], None if pd.isna(r["weight"]) else float(r["weight"]))
                  for _, r in edited.iterrows() if isinstance(r["instrument"], str) and r["instrument"]]
    _search_and_add(prefix, rows, offer)
    _offer_normalise(prefix, rows, offer)
    flash = st.session_state.pop(f"{prefix}_flash", None)
    if flash:
        st.info(flash)
    return rows


def exact_or_unique(matches: Sequence[Instrument], query: str) -> Instrument | None:
    """The one instrument a search means: the match whose code (with or without its
    exchange suffix) is what was typed, else the only match; None when it is a choice."""
    q = (query or "").strip().casefold()
    exact = [m for m in matches if q in (m.code.casefold(), m.code.casefold().split(".")[0])]
    if len(exact) == 1:
        return exact[0]
    return matches[0] if len(matches) == 1 else None


def _search(offer: Choices, query: str) -> list[Instrument]:
    return search_instruments(list(offer.universe), query, limit=15) if query.strip() else []


def _entered(prefix: str, offer: Choices) -> None:
    """Enter in the search box: the instrument meant (``exact_or_unique``) is added."""
    query = str(st.session_state.get(f"{prefix}_q") or "")
    meant = exact_or_unique(_search(offer, query), query)
    if meant is not None:
        st.session_state[f"{prefix}_pending"] = meant.code
        st.session_state[f"{prefix}_q"] = ""   # ready for the next one


def _add(prefix: str, rows: Rows, code: str, offer: Choices) -> None:
    tr = session.tr
    label = offer.option_of.get(code, code)
    if code in [c for c, _ in rows]:
        st.session_state[f"{prefix}_flash"] = tr("mp.search_already", label=label)
        st.rerun()
    rows.append((code, 0.0))
    reset_editor(prefix, rows, flash=tr("mp.search_added", label=label))


def _search_and_add(prefix: str, rows: Rows, offer: Choices) -> None:
    """Search by code or name: an exact code (or the only match) is picked at once and added
    on Enter; several matches are one single-choice list, best (exact code) first, picked on
    the first; Add is enabled only when something is picked (finding 3)."""
    tr = session.tr
    pending = st.session_state.pop(f"{prefix}_pending", None)
    if pending:
        _add(prefix, rows, str(pending), offer)
    c1, c2 = st.columns([3, 1], vertical_alignment="bottom")
    query = c1.text_input(tr("mp.search"), key=f"{prefix}_q", placeholder=tr("mp.search_hint"),
                          on_change=_entered, args=(prefix, offer))
    matches = _search(offer, query)
    meant = exact_or_unique(matches, query)
    pick: str | None = None
    if query.strip() and not matches:
        c1.caption(tr("mp.no_match"))
    elif meant is not None:
        pick = meant.code
        c1.caption(tr("mp.search_enter", label=offer.option_of.get(pick, pick)))
    elif matches:
        c1.caption(tr("mp.search_many", n=len(matches)))
        digest = hashlib.sha1(query.encode()).hexdigest()[:8]   # a new query: a fresh list, on its best match
        pick = c1.selectbox(tr("mp.search_pick"), [m.code for m in matches], index=0,
                            format_func=lambda c: offer.option_of.get(c, c), key=f"{prefix}_pick_{digest}",
                            placeholder=tr("ui.choose_one"))
    if c2.button(tr("mp.add"), key=f"{prefix}_add", disabled=pick is None) and pick:
        _add(prefix, rows, pick, offer)


def _offer_normalise(prefix: str, rows: Rows, offer: Choices) -> None:
    tr = session.tr
    present = [(c, w) for c, w in rows if w is not None]
    total = sum((Decimal(repr(w)) for _, w in present), Decimal(0))
    st.caption(tr("mp.total", total=format_pct(total)))
    if present and total > 0 and abs(total - 100) > Decimal("0.01"):
        st.warning(tr("mp.normalise_offer", total=format_pct(total)))
        if st.button(tr("mp.normalise"), key=f"{prefix}_normalise"):
            with errors.errors_shown():
                scaled = normalise_percent(present, list(offer.known))
                reset_editor(prefix, [(c, float(p)) for c, p in scaled.items()], flash=tr("mp.normalised"))


def reset_editor(prefix: str, rows: Rows, flash: str | None = None) -> None:
    """Replace the editor's rows (a fresh table widget) and rerun."""
    st.session_state[f"{prefix}_base"] = list(rows)
    st.session_state[f"{prefix}_gen"] += 1
    if flash:
        st.session_state[f"{prefix}_flash"] = flash
    st.rerun()


def forget_editor(prefix: str) -> None:
    """Drop the editor's rows (after they were saved)."""
    for suffix in ("_base", "_gen"):
        st.session_state.pop(prefix + suffix, None)


def show_weights_error(exc: SocialFundError) -> None:
    """Weights not adding up to 100 % say so with their total; any other error in one line."""
    if isinstance(exc, WeightsSumError):
        st.error(session.tr("mp.normalise_offer", total=format_pct(exc.total_pct)))
    else:
        st.error(session.tr("error.generic", msg=errors.message(exc, session.lang())))
