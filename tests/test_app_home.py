"""AppTest of the home page."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

from conftest import app_test


def _run(lang: str | None = None) -> AppTest:
    at = app_test("dashboard.py", lang)
    at.run()
    assert not at.exception, at.exception
    return at


def test_home_shows_overview_demo_label_chart_and_risk_notice(demo_store) -> None:  # type: ignore[no-untyped-def]
    at = _run()
    assert at.title[0].value.startswith("socialfund")
    assert any("演示数据" in w.value for w in at.warning)
    labels = {m.label: m.value for m in at.metric}
    assert labels["基金与指数"] == "36" or int(labels["基金与指数"]) >= 30
    assert int(labels["社区用户"].replace(",", "")) >= 150
    assert at.get("plotly_chart"), "the overview chart is missing"
    assert any("过往业绩不预示未来表现" in c.value for c in at.caption)


def test_language_switch_changes_text_and_is_kept_in_session(demo_store) -> None:  # type: ignore[no-untyped-def]
    at = _run()
    at.sidebar.radio[0].set_value("en").run()
    assert not at.exception
    assert at.session_state["lang"] == "en"
    assert any(m.label == "Funds and indices" for m in at.metric)
    assert any("demo data" in w.value for w in at.warning)
