"""Real browser: leaderboard → change sort → open a portfolio → run a paper copy."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from conftest import ARTIFACTS, screenshot, wait_for_app


def test_leaderboard_to_portfolio_to_paper_copy_in_a_real_browser(page, app_url) -> None:  # type: ignore[no-untyped-def]
    page.goto(app_url + "/Leaderboard")
    expect(page.get_by_text("筛选组合数 N")).to_be_visible(timeout=90_000)
    expect(page.locator(".js-plotly-plot .main-svg").first).to_be_visible(timeout=60_000)
    expect(page.get_by_text("演示数据 / demo data").first).to_be_visible()
    wait_for_app(page)
    screenshot(page, "leaderboard-zh")
    chart = page.locator(".js-plotly-plot").first
    chart.scroll_into_view_if_needed()
    expect(chart.get_by_text("运气可达的最高夏普").first).to_be_visible()
    page.screenshot(path=str(ARTIFACTS / "leaderboard-luck-chart.png"))

    sort_box = page.get_by_test_id("stSelectbox").filter(has_text="排序依据")
    sort_box.scroll_into_view_if_needed()
    sort_box.locator("input").click()
    page.get_by_role("option", name="夏普比率（年化）").click()
    expect(page.get_by_text("当前排序：夏普比率（年化）")).to_be_visible(timeout=60_000)
    wait_for_app(page)
    screenshot(page, "leaderboard-sorted-by-sharpe")

    page.get_by_role("button", name="打开组合").click()
    expect(page.get_by_role("heading", name="组合详情与模拟跟投")).to_be_visible(timeout=60_000)
    expect(page.get_by_text("风险等级 SRRI（1–7）")).to_be_visible(timeout=60_000)
    expect(page).to_have_url(re.compile(r"/Portfolio\?portfolio=\d+"))
    expect(page.locator(".js-plotly-plot .main-svg").first).to_be_visible(timeout=60_000)
    wait_for_app(page)
    screenshot(page, "portfolio-zh")

    page.get_by_role("tab", name="模拟跟投").click()
    page.get_by_role("button", name="开始模拟").click()
    expect(page.get_by_text("收益差距从哪里来")).to_be_visible(timeout=60_000)
    expect(page.get_by_text("跟投者收益")).to_be_visible()
    wait_for_app(page)
    screenshot(page, "portfolio-paper-copy")
