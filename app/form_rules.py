"""The one form helper of every page: honest numeric and date inputs.

A browser refuses a value outside a widget's ``min_value``/``max_value`` without telling the
script, so the page keeps showing the last run under inputs it never ran (issue 14, finding 1).
Here widgets take any value; each is checked against a ``Bound`` built from the library's own
constants (``socialfund.copying``, ``services.snapshots``...), the problem is written in the
page's language right under the field, the action button stays disabled until every field is
valid, and a result that no longer matches the inputs is reported stale
(``Form.stale`` → ``stale_notice``: "inputs changed — run again") instead of being shown as if
it belonged to them.

Usage::

    form = Form("pf_copy")
    amount = form.number(col, tr("pf.c.amount"), "pf_c_amount", 100_000, Bound(lo=0, lo_open=True), step=10_000)
    ...
    if form.button(tr("pf.c.run"), key="pf_c_run"):
        form.remember()            # these are the inputs of the result now shown
    if form.stale():
        stale_notice()             # and do not draw the old result
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from typing import Any, TypeVar

import streamlit as st
from streamlit.delta_generator import DeltaGenerator

from socialfund.core.errors import SocialFundError

from app import session

N = TypeVar("N", int, float)

#: What a date widget lets a browser pick; the real range is checked by a ``DateBound``.
WIDEST_DATES = (dt.date(1990, 1, 1), dt.date(2100, 12, 31))


def _num(value: float) -> str:
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,}"


@dataclass(frozen=True)
class Bound:
    """A number's allowed range: ``lo``/``hi`` inclusive unless ``lo_open``/``hi_open``;
    ``whole`` = an integer. ``problem`` says what is wrong in the page language, or None."""

    lo: float | None = None
    hi: float | None = None
    lo_open: bool = False
    hi_open: bool = False
    whole: bool = False

    def problem(self, value: float | None) -> str | None:
        tr = session.tr
        if value is None:
            return tr("form.err.missing")
        if self.whole and not float(value).is_integer():
            return tr("form.err.whole")
        too_low = self.lo is not None and (value <= self.lo if self.lo_open else value < self.lo)
        too_high = self.hi is not None and (value >= self.hi if self.hi_open else value > self.hi)
        if not (too_low or too_high):
            return None
        if self.lo is not None and self.hi is not None:
            return tr("form.err.range", lo=_num(self.lo), hi=_num(self.hi))
        if self.lo is not None:
            return tr("form.err.above" if self.lo_open else "form.err.min", lo=_num(self.lo))
        return tr("form.err.max", hi=_num(self.hi or 0))


@dataclass(frozen=True)
class DateBound:
    """A date's allowed range (inclusive); ``why`` names where the range comes from."""

    lo: dt.date
    hi: dt.date
    why: str = ""

    def problem(self, value: dt.date | None) -> str | None:
        if value is None:
            return session.tr("form.err.missing")
        if self.lo <= value <= self.hi:
            return None
        text = session.tr("form.err.date_range", lo=self.lo.isoformat(), hi=self.hi.isoformat())
        return f"{text} {self.why}".strip()


class Form:
    """The fields of one action: their values, their problems, the run they last produced."""

    def __init__(self, key: str) -> None:
        self.key = key
        self.values: dict[str, Hashable] = {}
        self.problems: dict[str, str] = {}

    # ------------------------------------------------------------------ fields
    def _check(self, where: DeltaGenerator, key: str, value: Any, problem: str | None) -> None:
        self.values[key] = value
        if problem:
            self.problems[key] = problem
            where.error(problem, icon="⚠️")

    def number(self, where: DeltaGenerator, label: str, key: str, value: N, bound: Bound, *,
               step: N | None = None, help: str | None = None) -> N:
        """A number input the browser never silently refuses; its problem is shown under it."""
        got = where.number_input(label, value=value, step=step, key=key, help=help)
        self._check(where, key, got, bound.problem(got))
        return got  # type: ignore[no-any-return]

    def date(self, where: DeltaGenerator, label: str, key: str, value: dt.date, bound: DateBound, *,
             help: str | None = None) -> dt.date:
        """A date input checked against ``bound`` (the browser may pick any date in ``WIDEST_DATES``)."""
        got = where.date_input(label, value=value, min_value=min(WIDEST_DATES[0], bound.lo),
                               max_value=max(WIDEST_DATES[1], bound.hi), key=key, help=help)
        day = got if isinstance(got, dt.date) else None
        self._check(where, key, day, bound.problem(day))
        return day or value

    def track(self, key: str, value: Hashable) -> None:
        """A field without a rule (a text, a choice) that still belongs to the run's inputs."""
        self.values[key] = value

    def library_check(self, build: Callable[[], object], where: DeltaGenerator | None = None) -> object | None:
        """Build the library object of these inputs (its own validation is the last word);
        a ``SocialFundError`` becomes a problem of the form. Returns the object or None."""
        if self.problems:
            return None
        try:
            return build()
        except SocialFundError as exc:
            text = session.tr("error.generic", msg=exc)
            self.problems["_library"] = text
            (where or st).error(text, icon="⚠️")
            return None

    # ------------------------------------------------------------------ action and runs
    @property
    def valid(self) -> bool:
        return not self.problems

    def button(self, label: str, key: str, where: DeltaGenerator | None = None) -> bool:
        """The action: disabled while a field is invalid (and says so)."""
        target = where or st
        clicked = target.button(label, key=key, type="primary", disabled=not self.valid)
        if not self.valid:
            target.caption(session.tr("form.fix_first", n=len(self.problems)))
        return bool(clicked) and self.valid

    @property
    def _ran_key(self) -> str:
        return f"_form_ran_{self.key}"

    def remember(self, extra: dict[str, Hashable] | None = None) -> None:
        """These inputs are the ones of the result shown from now on."""
        st.session_state[self._ran_key] = dict(self.values, **(extra or {}))

    def last_run(self) -> dict[str, Hashable] | None:
        ran: dict[str, Hashable] | None = st.session_state.get(self._ran_key)
        return ran

    def forget(self) -> None:
        st.session_state.pop(self._ran_key, None)

    def stale(self) -> bool:
        """A run exists but its inputs are not the ones on screen now."""
        ran = self.last_run()
        return ran is not None and any(ran.get(k) != v for k, v in self.values.items())


def stale_notice(where: DeltaGenerator | None = None) -> None:
    """What replaces a result whose inputs changed."""
    (where or st).info(session.tr("form.stale"), icon="🔁")
