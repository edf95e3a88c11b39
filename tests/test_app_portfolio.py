"""AppTest of pages/2_Portfolio.py (through the router): report, benchmark switch, paper copy, saved copies."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

from conftest import app_test, figure_by_title, plotly_figures
from socialfund.store import community
from socialfund.view.i18n import t

PAGE = "pages/2_Portfolio.py"
RUN = "pf_c_run"


def _public_id(store) -> int:  # type: ignore[no-untyped-def]
    meta = community.portfolio_meta(store)
    return int(meta.loc[(meta["visibility"] == "public") & meta["closed_on"].isna(), "portfolio_id"].iloc[1])


def _run(pid: int | None, lang: str = "en") -> AppTest:
    at = app_test(PAGE, lang)
    if pid is not None:
        at.session_state["portfolio_id"] = pid
    at.run()
    assert not at.exception, at.exception
    return at


def test_portfolio_page_shows_charts_metrics_with_formulas(demo_store) -> None:  # type: ignore[no-untyped-def]
    pid = _public_id(demo_store)
    at = _run(pid)
    assert at.query_params["portfolio"] == [str(pid)] or at.query_params["portfolio"] == str(pid)
    labels = {m.label: m for m in at.metric}
    for label in ("Total return", "Sharpe ratio", "Max drawdown", "Risk class SRRI (1–7)", "Followers", "Copiers"):
        assert label in labels, label
    assert "√252" in labels["Sharpe ratio"].help and "1.50%" in labels["Sharpe ratio"].help
    assert len(at.get("plotly_chart")) >= 4  # NAV, drawdown, holdings, rebalances
    figs = plotly_figures(at)
    nav = figure_by_title(figs, t("pf.nav_title", "en"))
    nav_traces = [d["name"] for d in nav["data"]]
    assert nav_traces[0] == t("pf.nav", "en") and len(nav_traces) >= 2  # the portfolio and its benchmark
    dd = figure_by_title(figs, t("pf.dd_title", "en"))
    assert [d["name"] for d in dd["data"]] == [t("pf.dd", "en")] and dd["layout"]["yaxis"]["tickformat"].endswith("%")
    assert all(y <= 0 for y in dd["data"][0]["y"] if y is not None)  # a drawdown is never above the peak
    (pie,) = figure_by_title(figs, t("pf.holdings_title", "en"))["data"]
    assert pie["type"] == "pie" and len(pie["labels"]) >= 1
    rebal = figure_by_title(figs, t("pf.rebal_title", "en"))
    assert rebal["data"][0]["type"] == "bar" and rebal["layout"]["yaxis"]["title"]["text"] == t("pf.rebal_y", "en")
    assert any("hypothetical" in w.value for w in at.warning)
    assert any("demo data" in w.value for w in at.warning)
    at.selectbox(key="pf_bench").set_value("SPY").run()
    assert not at.exception


def test_run_and_save_a_paper_copy(demo_store) -> None:  # type: ignore[no-untyped-def]
    at = _run(_public_id(demo_store))
    at.number_input(key="pf_c_fee").set_value(0)
    at.number_input(key="pf_c_delay").set_value(0)
    at.number_input(key="pf_c_floor").set_value(0)
    at.number_input(key="pf_c_stop").set_value(0)
    at.button(key=RUN).click().run()
    assert not at.exception, at.exception
    values = {m.label: m.value for m in at.metric}
    assert values["Copier return"] == values["Leader return"]
    assert values["Fees paid"] == "¥0.00"
    assert any("Where the gap comes from" in m.value for m in at.markdown)
    at.button(key="pf_c_save").click().run()
    assert not at.exception
    assert any("Saved (copy" in s.value for s in at.success)
    saved = at.dataframe[-1].value
    assert len(saved) >= 1 and "Copier return" in saved.columns


def test_private_portfolio_of_someone_else_looks_missing(demo_store) -> None:  # type: ignore[no-untyped-def]
    meta = community.portfolio_meta(demo_store)
    private = int(meta.loc[meta["visibility"] == "private", "portfolio_id"].iloc[0])
    missing = _run(999_999)
    hidden = _run(private)
    assert [e.value for e in missing.error] == ["Portfolio 999999 not found."]
    assert [e.value for e in hidden.error] == [f"Portfolio {private} not found."]


def test_query_parameter_opens_that_portfolio(demo_store) -> None:  # type: ignore[no-untyped-def]
    pid = _public_id(demo_store)
    at = app_test(PAGE)
    at.session_state["lang"] = "en"
    at.query_params["portfolio"] = str(pid)
    at.run()
    assert not at.exception, at.exception
    assert at.selectbox(key="pf_pick").value == pid


def test_a_portfolio_created_after_the_last_data_date_says_no_nav_yet(demo_store) -> None:  # type: ignore[no-untyped-def]
    from socialfund.services import portfolio_crud
    from socialfund.store.users import get_or_create_user

    owner = get_or_create_user(demo_store, "local:owner", "local")   # the app's local-mode user
    pid = portfolio_crud.create_portfolio(demo_store, owner, "刚建的组合", {"510300.SS": 60, "CASH": 40})
    try:
        at = _run(pid, "en")
        assert not at.error, [e.value for e in at.error]
        assert any("no NAV yet" in i.value for i in at.info)
    finally:
        portfolio_crud.delete_portfolio(demo_store, owner, pid)
