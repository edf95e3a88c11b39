"""Real browser: the Fund ideas page in Debian chromium (Playwright) against `streamlit run`."""

from __future__ import annotations

from playwright.sync_api import expect

from conftest import assert_drawn_png, screenshot, wait_for_app
from socialfund.view.palette import DOWN, UP


_TOP_FUNDS_JS = ("() => [...document.querySelector('.js-plotly-plot')"
                 ".querySelectorAll('.yaxislayer-above .ytick text')].map(e => e.textContent).reverse()")


def _top_funds(page) -> list[str]:  # type: ignore[no-untyped-def]
    """Fund labels of the contribution chart (first plotly chart), top to bottom."""
    return page.evaluate(_TOP_FUNDS_JS)


def test_fund_ideas_slider_changes_ranking_and_evidence_tab(page, app_url) -> None:  # type: ignore[no-untyped-def]
    page.goto(app_url + "/Fund_Ideas")
    expect(page.get_by_text("演示数据 / demo data").first).to_be_visible(timeout=90_000)
    expect(page.locator(".js-plotly-plot .main-svg").first).to_be_visible(timeout=90_000)
    wait_for_app(page)
    expect(page.get_by_text("灵感不是建议").first).to_be_visible()
    before = _top_funds(page)
    assert len(before) == 10 and all(before), before
    screenshot(page, "ideas-ranking-zh")

    # Move the "sentiment shift" weight to its maximum with the keyboard.
    slider = page.get_by_role("slider").nth(6)
    slider.focus()
    slider.press("End")
    expect(page.get_by_text("自定义").first).to_be_visible(timeout=30_000)
    wait_for_app(page)
    page.wait_for_function(
        f"before => {{ const t = ({_TOP_FUNDS_JS})(); return t.length > 0 && t.join('|') !== before.join('|'); }}",
        arg=before, timeout=60_000)
    after = _top_funds(page)
    assert after != before

    page.get_by_role("tab", name="样本外证据").click()
    expect(page.get_by_text("这里的证据对真实市场没有任何说服力").first).to_be_visible(timeout=30_000)
    expect(page.get_by_text("平均 Rank-IC").first).to_be_visible()
    expect(page.locator('[data-testid="stTabs"] .js-plotly-plot').nth(2)).to_be_visible()
    wait_for_app(page)
    path = screenshot(page, "ideas-evidence-zh")
    assert path.stat().st_size > 10_000
    # drawn at the page's width, with the Rank-IC bars in red (≥ 0) and green (< 0)
    assert_drawn_png(path, width=1400, min_height=1000, min_colours=1000, colours={UP: 1000, DOWN: 100})

    page.get_by_role("tab", name="单只基金").click()
    expect(page.get_by_text("复权收盘价").first).to_be_visible(timeout=30_000)
    screenshot(page, "ideas-detail-zh")
