"""Fund ideas in words (zh or en): the plain-language verdict of the evidence and the main
reasons behind each fund's score, from the plain results of ``socialfund.ideas``."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence

import pandas as pd

from socialfund.ideas.evidence import Evidence
from socialfund.ideas.features import FEATURES
from socialfund.ideas.ranking import Driver
from socialfund.view.i18n import t

#: feature → (i18n key when the fund's z ≥ 0, key when z < 0)
REASON_WORDS: Mapping[str, tuple[str, str]] = {
    f: (f"ideas.why.{f}.high", f"ideas.why.{f}.low") for f in FEATURES}


def verdict_text(ev: Evidence, lang: str = "zh", *, is_demo: bool = False) -> str:
    """The plain-language verdict (zh or en), with the demo caveat when on demo data."""
    fmt = {"ic": f"{ev.mean_ic:+.3f}" if math.isfinite(ev.mean_ic) else "—",
           "t": f"{ev.ic_tstat:+.2f}" if math.isfinite(ev.ic_tstat) else "—", "n": ev.n_dates}
    text = t(f"ideas.verdict.{ev.verdict}", lang, **fmt)
    if is_demo:
        text += " " + t("ideas.verdict.demo", lang)
    return text


def reasons_in_words(drivers: Sequence[Driver] | None, lang: str = "zh") -> str:
    """A scored fund's drivers as words: ↑ pushes the score up, ↓ down ('' when unscored,
    i.e. ``drivers`` is None; the "no clear reason" text when it is empty)."""
    if drivers is None:
        return ""
    if not drivers:
        return t("ideas.why.none", lang)
    parts = [("↑" if d.up else "↓") + t(REASON_WORDS[d.feature][0 if d.high else 1], lang) for d in drivers]
    return t("ideas.why.sep", lang).join(parts)


def with_why(ranked: pd.DataFrame, lang: str = "zh") -> pd.DataFrame:
    """``ideas.ranking.ranked_list`` with its ``drivers`` column replaced, in place, by
    ``why``: the reasons in words."""
    out = ranked.copy()
    at = list(out.columns).index("drivers")
    why = [reasons_in_words(d, lang) for d in out.pop("drivers")]
    out.insert(at, "why", why)
    return out
