"""Real-browser walk (issue 14): every page of ``app.navigation.PAGES`` (menu pages and the
snapshot link) at 1280×800 and 390×844, in zh and en, screenshotted to
``test-artifacts/walk-<lang>-<width>-<page>.png``. In the zh walk no visible text may be one
of Streamlit's English built-ins or an English library message."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from conftest import screenshot, wait_for_app
from app import navigation

VIEWPORTS = ((1280, 800), (390, 844))
LANGS = ("zh", "en")

STREAMLIT_BUILTINS = ("Choose an option", "Choose options", "Select all", "No options to select", "No results",
                      "Press Enter to apply", "Press Enter to submit", "Drag and drop file here", "Browse files",
                      "Limit 200MB per file", "Clear all", "Running...", "Please wait...", "In progress...")
"""Streamlit's own English widget strings (the ones a page can show without being asked)."""

ENGLISH_LIBRARY = ("is empty", "is not ISO 8601", "unknown code", "sum to", "is longer than", "must be",
                   "Something went wrong", "Traceback", "Error:")
"""Fragments of the library's English messages (``socialfund.core.errors``), never in the zh UI."""


@pytest.fixture(scope="module")
def share_token(demo_store) -> str:  # type: ignore[no-untyped-def]
    from socialfund.market.providers import DemoProvider
    from socialfund.market.sessions import session_prices
    from socialfund.services import portfolio_crud, snapshots
    from socialfund.store.users import get_or_create_user

    me = get_or_create_user(demo_store, "local:owner", "walk")
    pid = portfolio_crud.create_portfolio(demo_store, me, "漫游组合", {"510300.SS": 60, "159915.SZ": 40},
                                          now=datetime(2024, 12, 2, 2))
    created = snapshots.create_snapshot(demo_store, me, pid, session_prices(DemoProvider()), weights_only=False,
                                        amount_cny=Decimal(100_000), is_demo_data=True)
    assert created.token
    return created.token


def _url(app_url: str, spec: navigation.PageSpec, lang: str, token: str) -> str:
    if spec is navigation.SNAPSHOT:
        return f"{app_url}/?{navigation.SNAPSHOT_PARAM}={token}&lang={lang}"
    return f"{app_url}{spec.url_path}?lang={lang}"


@pytest.mark.parametrize("width,height", VIEWPORTS)
@pytest.mark.parametrize("lang", LANGS)
def test_walk_every_page(browser, app_url, share_token, lang: str, width: int, height: int) -> None:  # type: ignore[no-untyped-def]
    context = browser.new_context(viewport={"width": width, "height": height},
                                  locale="zh-CN" if lang == "zh" else "en-US")
    pg = context.new_page()
    pg.set_default_timeout(60_000)
    problems: list[str] = []
    try:
        for spec in navigation.PAGES:
            pg.goto(_url(app_url, spec, lang, share_token))
            expect(pg.locator('[data-testid="stMainBlockContainer"]').first).to_be_visible(timeout=90_000)
            wait_for_app(pg)
            pg.wait_for_timeout(500)
            wait_for_app(pg)
            name = spec.url_path.strip("/") or "Home"
            screenshot(pg, f"walk-{lang}-{width}-{name}")
            text = pg.locator('[data-testid="stApp"]').inner_text()
            assert "Traceback" not in text, (spec.path, text[:500])
            assert f"lang={lang}" in pg.url or lang == "zh" and "lang=" not in pg.url, (spec.path, pg.url)
            if lang == "zh":
                hits = [s for s in STREAMLIT_BUILTINS + ENGLISH_LIBRARY if s in text]
                if hits:
                    problems.append(f"{spec.path}: {hits}")
    finally:
        context.close()
    assert problems == [], problems
