"""Issue 14, findings 1 and 7 (and 12's unknown id): honest forms. Every input is checked by
the library's own bounds with a zh/en message under the field, the action is disabled until
the inputs are valid, a result whose inputs changed is replaced by "inputs changed — run
again", and a copy whose figures would mislead says why."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from conftest import app_test
from test_app_my_portfolios import _page, fresh_db  # noqa: F401  (fixture)
from socialfund.store import community
from socialfund.view.i18n import t

PF = "pages/2_Portfolio.py"


def _public_id(store) -> int:  # type: ignore[no-untyped-def]
    meta = community.portfolio_meta(store)
    return int(meta.loc[(meta["visibility"] == "public") & meta["closed_on"].isna(), "portfolio_id"].iloc[1])


def _pf(pid: int, lang: str = "zh") -> AppTest:
    at = app_test(PF, lang)
    at.session_state["portfolio_id"] = pid
    at.run()
    assert not at.exception, at.exception
    return at


def _copy_metrics(at: AppTest, lang: str = "zh") -> dict[str, str]:
    return {m.label: m.value for m in at.metric if m.label in (t("pf.c.copier_return", lang), t("pf.c.leader_return", lang))}


def test_out_of_range_copy_inputs_say_why_disable_run_and_hide_the_old_result(demo_store) -> None:  # type: ignore[no-untyped-def]
    at = _pf(_public_id(demo_store))
    at.button(key="pf_c_run").click().run()
    assert not at.exception, at.exception
    assert len(_copy_metrics(at)) == 2   # a result for these inputs
    for key, bad, message in (("pf_c_amount", -100, t("form.err.above", "zh", lo="0")),
                              ("pf_c_fee", -5, t("form.err.range", "zh", lo="0", hi="500")),
                              ("pf_c_fee", 10**12, t("form.err.range", "zh", lo="0", hi="500"))):
        at.number_input(key=key).set_value(bad).run()
        assert not at.exception, at.exception
        assert message in [e.value for e in at.error], (key, bad)
        assert at.button(key="pf_c_run").disabled
        assert _copy_metrics(at) == {}, "the old run's figures are still shown under new inputs"
        assert t("form.stale", "zh") in [i.value for i in at.info]
        at.number_input(key=key).set_value(100_000 if key == "pf_c_amount" else 10).run()
    assert not at.button(key="pf_c_run").disabled
    assert len(_copy_metrics(at)) == 2   # back to the inputs of the run: its result again


def test_a_start_before_the_allowed_range_is_refused_not_run_with_the_old_start(demo_store) -> None:  # type: ignore[no-untyped-def]
    import datetime as dt

    at = _pf(_public_id(demo_store), "en")
    at.button(key="pf_c_run").click().run()
    at.date_input(key="pf_c_start").set_value(dt.date(1995, 1, 3)).run()
    assert not at.exception, at.exception
    errors = [e.value for e in at.error]
    assert any(e.startswith("The date must be between ") for e in errors), errors
    assert at.button(key="pf_c_run").disabled and _copy_metrics(at, "en") == {}


def test_a_minimum_position_above_the_amount_warns_that_the_copy_stayed_in_cash(demo_store) -> None:  # type: ignore[no-untyped-def]
    at = _pf(_public_id(demo_store), "en")
    at.number_input(key="pf_c_amount").set_value(1_000)
    at.number_input(key="pf_c_floor").set_value(1_000_000)
    at.button(key="pf_c_run").click().run()
    assert not at.exception, at.exception
    assert t("pf.c.warn_all_cash", "en", amount="¥1,000", floor="¥1,000,000") in [w.value for w in at.warning]


def test_a_first_fill_after_the_data_is_explained(demo_store) -> None:  # type: ignore[no-untyped-def]
    import datetime as dt
    import re

    at = _pf(_public_id(demo_store), "en")
    at.date_input(key="pf_c_start").set_value(dt.date(2099, 1, 1)).run()
    (message,) = [e.value for e in at.error if e.value.startswith("The date must be")]
    latest = dt.date.fromisoformat(re.findall(r"\d{4}-\d{2}-\d{2}", message)[1])   # the last allowed start
    at.date_input(key="pf_c_start").set_value(latest)
    at.number_input(key="pf_c_delay").set_value(20).run()
    at.button(key="pf_c_run").click().run()
    assert not at.exception, at.exception
    warnings = [w.value for w in at.warning]
    assert any(w.startswith("The first fill falls after the data: 20 session(s) after the start "
                            f"{latest.isoformat()}") for w in warnings), warnings


def test_an_unknown_portfolio_id_says_so_and_renders_nothing_else(demo_store) -> None:  # type: ignore[no-untyped-def]
    at = app_test(PF, "en")
    at.query_params["portfolio"] = "999999"
    at.run()
    assert not at.exception, at.exception
    assert [e.value for e in at.error] == ["Portfolio 999999 not found."]
    assert not at.metric and not at.get("plotly_chart") and not at.tabs
    assert not at.selectbox   # no picker sitting on another portfolio either


# ---------------------------------------------------------------- my portfolios: search, snapshot form

@pytest.mark.usefixtures("fresh_db")
def test_typing_a_code_and_enter_adds_exactly_that_instrument() -> None:
    at = _page("zh", rows=[("CASH", 100.0)])
    at.text_input(key="new_q").input("510300").run()   # Enter
    assert not at.exception, at.exception
    assert at.session_state["new_base"] == [("CASH", 100.0), ("510300.SS", 0.0)]
    assert any(i.value.startswith("已加入 510300.SS") for i in at.info)
    at.text_input(key="new_q").input("沪深").run()       # several matches: one list, its best picked
    assert not at.exception, at.exception
    (pick,) = [s for s in at.selectbox if s.key and s.key.startswith("new_pick_")]
    assert pick.value is not None and not at.button(key="new_add").disabled
    at.button(key="new_add").click().run()
    assert len(at.session_state["new_base"]) == 3
    at.text_input(key="new_q").input("no-such-fund-xyz").run()
    assert at.button(key="new_add").disabled


def test_exact_code_match_wins_over_other_matches(demo_store) -> None:  # type: ignore[no-untyped-def]
    from app.forms_weights import exact_or_unique
    from socialfund.market.registry import stored_universe
    from socialfund.market.search import search_instruments

    universe = stored_universe(demo_store)
    for typed in ("510300", "510300.ss", " 510300 "):
        assert exact_or_unique(search_instruments(universe, typed), typed).code == "510300.SS"  # type: ignore[union-attr]
    several = search_instruments(universe, "5")
    assert len(several) > 1 and exact_or_unique(several, "5") is None   # a choice, not a guess


@pytest.mark.usefixtures("fresh_db")
def test_an_invalid_snapshot_form_creates_nothing_and_no_old_message_stays() -> None:
    at = _page("zh", rows=[("510300.SS", 60.0), ("CASH", 40.0)])
    at.text_input(key="new_name").input("快照测试").run()
    at.button(key="new_create").click().run()
    assert not at.exception, at.exception
    (vis,) = [r for r in at.radio if r.key and r.key.startswith("snap_vis_")]
    vis.set_value("private").run()
    (create,) = [b for b in at.button if b.key and b.key.startswith("snap_create_")]
    create.click().run()
    assert t("mp.snap_private", "zh") in [s.value for s in at.success]
    (amount,) = [n for n in at.number_input if n.key and n.key.startswith("snap_amount_")]
    (days,) = [n for n in at.number_input if n.key and n.key.startswith("snap_days_")]
    amount.set_value(-5.0)
    days.set_value(99_999)
    at.run()
    assert not at.exception, at.exception
    errors = [e.value for e in at.error]
    assert t("form.err.min", "zh", lo="0") in errors and t("form.err.range", "zh", lo="0", hi="3,650") in errors
    assert [b for b in at.button if b.key and b.key.startswith("snap_create_")][0].disabled
    assert t("mp.snap_private", "zh") not in [s.value for s in at.success]


def test_the_snapshot_service_refuses_what_the_form_refuses(demo_store) -> None:  # type: ignore[no-untyped-def]
    from socialfund.core.errors import ValidationError
    from socialfund.services import snapshots

    for amount, days in ((-5.0, 30), (0.0, 99_999)):
        with pytest.raises(ValidationError):
            snapshots.create_snapshot_from_form(demo_store, 1, 1, None, title="x", visibility="private",
                                                weights_only=True, amount_cny=amount, expires_in_days=days,
                                                is_demo_data=True, risk_free=0.0)


def test_a_negative_track_record_filter_says_so_and_shows_no_table(demo_store) -> None:  # type: ignore[no-untyped-def]
    at = app_test("pages/1_Leaderboard.py", "en")
    at.run()
    at.number_input(key="lb_track").set_value(-20).run()
    assert not at.exception, at.exception
    assert t("form.err.min", "en", lo="0") in [e.value for e in at.error]
    assert not at.dataframe
