"""Real browser, issue 14 finding 10: at 1280×800 the leaderboard shows its drawdown and risk
class columns without scrolling sideways, opening a portfolio from it is one history entry
(Back returns in one press) and no metric label or value on the portfolio page is cut off;
at 390×844 (a phone) the leaderboard table starts above the fold."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from conftest import screenshot, wait_for_app

HEADERS_JS = """() => [...document.querySelector('[data-testid="stDataFrame"]')
                           .querySelectorAll('[role=columnheader], th')].map(e => e.textContent.trim())"""
"""The header cells the grid has drawn: it draws only the columns inside its visible width."""

CUT_METRICS_JS = """() => [...document.querySelectorAll(
        '[data-testid="stMetricLabel"] p, [data-testid="stMetricLabel"] div, [data-testid="stMetricValue"] div')]
    .filter(e => e.offsetParent !== null && e.scrollWidth > e.clientWidth + 1).map(e => e.textContent.trim())"""
"""The metric labels and values drawn narrower than their text (shown with an ellipsis)."""


def _leaderboard(browser, app_url: str, width: int, height: int):  # type: ignore[no-untyped-def]
    context = browser.new_context(viewport={"width": width, "height": height}, locale="zh-CN")
    pg = context.new_page()
    pg.set_default_timeout(60_000)
    pg.goto(app_url + "/Leaderboard")
    expect(pg.get_by_test_id("stDataFrame").first).to_be_visible(timeout=120_000)
    wait_for_app(pg)
    pg.wait_for_timeout(1000)   # the grid lays out its columns after it is attached
    return context, pg


def test_leaderboard_fits_1280_and_back_returns_in_one_press(browser, app_url) -> None:  # type: ignore[no-untyped-def]
    context, pg = _leaderboard(browser, app_url, 1280, 800)
    try:
        headers = pg.evaluate(HEADERS_JS)
        assert "最大回撤" in headers and "风险等级" in headers, headers
        screenshot(pg, "layout-leaderboard-1280")

        pg.get_by_role("button", name="打开组合").click()
        expect(pg).to_have_url(re.compile(r"/Portfolio\?portfolio=\d+"), timeout=60_000)
        expect(pg.get_by_test_id("stMetricValue").first).to_be_visible(timeout=90_000)
        wait_for_app(pg)
        pg.wait_for_timeout(1000)
        assert pg.evaluate(CUT_METRICS_JS) == []
        screenshot(pg, "layout-portfolio-1280")

        pg.go_back()   # one press
        expect(pg).to_have_url(re.compile(r"/Leaderboard(\?|$)"), timeout=30_000)
        expect(pg.get_by_role("heading", name="跟投排行榜")).to_be_visible(timeout=60_000)
    finally:
        context.close()


def test_leaderboard_table_starts_above_the_fold_on_a_phone(browser, app_url) -> None:  # type: ignore[no-untyped-def]
    context, pg = _leaderboard(browser, app_url, 390, 844)
    try:
        top = pg.evaluate("""() => document.querySelector('[data-testid="stDataFrame"]')
                                      .getBoundingClientRect().top""")
        assert top < 844 - 120, top   # the header and the first rows are on the first screen
        screenshot(pg, "layout-leaderboard-390")
    finally:
        context.close()
