"""Real browser: Debian chromium driven by Playwright against `streamlit run dashboard.py`."""

from __future__ import annotations

from playwright.sync_api import expect

from conftest import assert_drawn_png, running_streamlit, screenshot, wait_for_app
from socialfund.view.palette import SERIES


def test_home_in_a_real_browser_switch_language_demo_label_and_chart(page, app_url) -> None:  # type: ignore[no-untyped-def]
    page.goto(app_url)
    expect(page.get_by_text("演示数据 / demo data").first).to_be_visible(timeout=60_000)
    expect(page.locator(".js-plotly-plot .main-svg").first).to_be_visible(timeout=60_000)
    wait_for_app(page)
    path = screenshot(page, "home-zh")
    assert path.stat().st_size > 10_000
    # the whole 1400-px-wide page, drawn (not one colour), with the overview chart's first two lines
    assert_drawn_png(path, width=1400, min_height=1000, min_colours=1000, colours={SERIES[0]: 200, SERIES[1]: 200})

    page.get_by_text("English").click()
    expect(page.get_by_text("Funds and indices")).to_be_visible(timeout=30_000)
    expect(page.get_by_text("demo data / 演示数据").first).to_be_visible()
    expect(page.locator(".js-plotly-plot .main-svg").first).to_be_visible()
    wait_for_app(page)
    screenshot(page, "home-en")


def test_a_deep_link_on_a_fresh_server_runs_through_the_router(browser, demo_store) -> None:  # type: ignore[no-untyped-def]
    """The first request a new server process gets is a page URL, not /: Streamlit would run
    the page script on its own (old pages/ mode); require_router() hands it to the router,
    so the menu, the demo label and the risk notice are there."""
    with running_streamlit() as url:
        context = browser.new_context(viewport={"width": 1400, "height": 1000}, locale="zh-CN")
        pg = context.new_page()
        try:
            pg.goto(url + "/Leaderboard")
            expect(pg.get_by_text("跟投排行榜").first).to_be_visible(timeout=60_000)
            expect(pg.get_by_text("过往业绩不预示未来表现").first).to_be_visible(timeout=60_000)
            expect(pg.get_by_text("演示数据 / demo data").first).to_be_visible()
            expect(pg.get_by_role("link", name="基金舆情").first).to_be_visible()
            wait_for_app(pg)
            assert pg.url.rstrip("/").endswith("/Leaderboard")
        finally:
            context.close()
