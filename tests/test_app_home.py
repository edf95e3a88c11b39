"""AppTest of the home page (the router's default page) and of the router's page table."""

from __future__ import annotations

from pathlib import Path

from streamlit.testing.v1 import AppTest

from app import navigation
from conftest import app_test
from socialfund.core.config import load_settings
from socialfund.market.providers import get_provider
from socialfund.services.overview import community_size
from socialfund.view.i18n import keys

REPO = Path(__file__).resolve().parent.parent


def _run(lang: str | None = None) -> AppTest:
    at = app_test(None, lang)
    at.run()
    assert not at.exception, at.exception
    return at


def test_home_shows_overview_demo_label_chart_and_risk_notice(demo_store) -> None:  # type: ignore[no-untyped-def]
    at = _run()
    assert at.title[0].value.startswith("socialfund")
    assert any("演示数据" in w.value for w in at.warning)
    labels = {m.label: m.value for m in at.metric}
    # the counts are the store's and the provider's own, exactly (read after the run: the
    # run itself registers the local owner as a user the first time)
    size = community_size(demo_store)
    assert labels["基金与指数"] == str(len(get_provider(load_settings()).universe()))
    assert labels["社区用户"] == f"{size.users:,}" and size.users >= 150
    assert labels["公开组合 / 全部组合"] == f"{size.public_portfolios:,} / {size.portfolios:,}"
    assert labels["帖子"] == f"{size.posts:,}" and size.posts > 0
    assert at.get("plotly_chart"), "the overview chart is missing"
    assert any("过往业绩不预示未来表现" in c.value for c in at.caption)


def test_language_switch_changes_text_and_is_kept_in_session(demo_store) -> None:  # type: ignore[no-untyped-def]
    at = _run()
    at.sidebar.radio[0].set_value("en").run()
    assert not at.exception
    assert at.session_state["lang"] == "en"
    assert any(m.label == "Funds and indices" for m in at.metric)
    assert any("demo data" in w.value for w in at.warning)
    assert at.query_params.get("lang") in ("en", ["en"]), "a reload must come back in English"
    at.switch_page("pages/1_Leaderboard.py").run()
    assert not at.exception
    assert at.title[0].value == "Copy-trading leaderboard" and at.session_state["lang"] == "en"


def test_a_reload_with_lang_in_the_url_keeps_the_language(demo_store) -> None:  # type: ignore[no-untyped-def]
    at = app_test(None)
    at.query_params["lang"] = "en"
    at.run()
    assert not at.exception, at.exception
    assert at.session_state["lang"] == "en"
    assert any(m.label == "Funds and indices" for m in at.metric)


def test_every_page_script_is_routed_with_existing_labels() -> None:
    files = {str(p.relative_to(REPO)) for p in (REPO / "pages").glob("*.py")}
    assert files == {spec.path for spec in navigation.PAGES}
    for path in files:  # Streamlit may start a page without the router (app.navigation explains)
        assert "\nnavigation.require_router()\n" in (REPO / path).read_text(encoding="utf-8"), path
    used = {k for spec in navigation.PAGES for k in (spec.menu_key, spec.tab_key, spec.link_key) if k}
    assert used <= keys()
    assert [spec for spec in navigation.PAGES if spec.default] == [navigation.HOME]
