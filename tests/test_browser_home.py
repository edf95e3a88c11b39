"""Real browser: Debian chromium driven by Playwright against `streamlit run dashboard.py`."""

from __future__ import annotations

from playwright.sync_api import expect

from conftest import screenshot, wait_for_app


def test_home_in_a_real_browser_switch_language_demo_label_and_chart(page, app_url) -> None:  # type: ignore[no-untyped-def]
    page.goto(app_url)
    expect(page.get_by_text("演示数据 / demo data").first).to_be_visible(timeout=60_000)
    expect(page.locator(".js-plotly-plot .main-svg").first).to_be_visible(timeout=60_000)
    wait_for_app(page)
    path = screenshot(page, "home-zh")
    assert path.stat().st_size > 10_000

    page.get_by_text("English").click()
    expect(page.get_by_text("Funds and indices")).to_be_visible(timeout=30_000)
    expect(page.get_by_text("demo data / 演示数据").first).to_be_visible()
    expect(page.locator(".js-plotly-plot .main-svg").first).to_be_visible()
    wait_for_app(page)
    screenshot(page, "home-en")
