"""The weights editor of the my-portfolios page: an editable table of (instrument, weight %)
with search-and-add and an explicit normalise button, whose rows live in session state under
a prefix (``<prefix>_base``, ``<prefix>_gen``); and how a weights error is shown."""

from __future__ import annotations

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


def _search_and_add(prefix: str, rows: Rows, offer: Choices) -> None:
    tr = session.tr
    c1, c2 = st.columns([3, 1])
    query = c1.text_input(tr("mp.search"), key=f"{prefix}_q", placeholder=tr("mp.search_hint"))
    matches = search_instruments(list(offer.universe), query, limit=15) if query else []
    if query and not matches:
        c1.caption(tr("mp.no_match"))
    pick = c1.selectbox(tr("mp.search"), [m.code for m in matches], format_func=lambda c: offer.option_of.get(c, c),
                        key=f"{prefix}_pick", label_visibility="collapsed", disabled=not matches)
    if c2.button(tr("mp.add"), key=f"{prefix}_add", disabled=not matches) and pick:
        if pick not in [c for c, _ in rows]:
            rows.append((pick, 0.0))
        reset_editor(prefix, rows)


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
        st.error(session.tr("error.generic", msg=exc))
