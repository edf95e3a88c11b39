"""The data-quality panel (``socialfund.market.quality``, worded by ``view.quality_text``),
drawn by the router above every page that shows prices: a compact "all series OK" line when
clean, else a warning with the first notices and the per-series details in an expander."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import streamlit as st

from socialfund.market.quality import QualityReport
from socialfund.view.quality_text import report_lines, summary_line

from app import resources, session
from app.chrome import plain

SHOWN = 3   # notices in the warning itself; the rest are in the details


def page_panel(shows: Sequence[str]) -> None:
    """The router's hook: the panel on a page whose datasets (``PageSpec.shows``) include prices."""
    if "prices" in shows:
        panel(resources.quality(), resources.instrument_names(session.lang()))


def panel(report: QualityReport, names: Mapping[str, str]) -> None:
    lang, tr = session.lang(), session.tr
    if report.ok:
        st.caption(f"✅ {summary_line(report, lang)}")
        return
    labels = {code: f"{code} {name}" if name and name != code else code for code, name in names.items()}
    lines = [*report.notices, *report_lines(report, lang, labels)]
    more = [tr("quality.more", n=len(lines) - SHOWN)] if len(lines) > SHOWN else []
    st.warning("  \n".join([f"**{summary_line(report, lang)}**", *map(plain, lines[:SHOWN]), *more]), icon="🩺")
    with st.expander(tr("quality.details")):
        if report.notices:
            st.markdown(f"**{tr('quality.provider')}**  \n" + "  \n".join(plain(n) for n in report.notices))
        flagged = report.flagged
        if flagged:
            st.dataframe([{tr("col.code"): q.code, tr("col.name"): names.get(q.code, ""),
                           tr("quality.col.first"): q.first, tr("quality.col.last"): q.last,
                           tr("quality.col.stale"): q.stale_sessions, tr("quality.col.gaps"): q.gaps,
                           tr("quality.col.non_sessions"): q.non_sessions_dropped,
                           tr("quality.col.jumps"): len(q.jumps), tr("quality.col.dividends"): len(q.dividends)}
                          for q in flagged], hide_index=True, width="stretch")
        st.markdown("\n".join(f"- {plain(line)}" for line in report_lines(report, lang, labels)))
        st.caption(tr("quality.method"))
