"""Real browser: create a portfolio from a CSV, take a snapshot, open its share link in a
fresh (not signed-in) browser context, download the card, revoke the link and see it gone.

Runs its own `streamlit run` on a database of this test only, so the shared demo store is
left untouched."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import expect

from conftest import assert_drawn_png, running_streamlit, screenshot, wait_for_app
from socialfund.view import cards
from socialfund.view.palette import BENCHMARK, DEMO_BG


@pytest.fixture(scope="module")
def own_app_url(tmp_path_factory, demo_store):  # type: ignore[no-untyped-def]
    db = tmp_path_factory.mktemp("browser-sharing") / "app.db"
    with running_streamlit({"SOCIALFUND_DATABASE_URL": f"sqlite:///{db}"}) as url:
        yield url


def _fresh_page(browser):  # type: ignore[no-untyped-def]
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, locale="zh-CN", accept_downloads=True)
    page = context.new_page()
    page.set_default_timeout(30_000)
    return context, page


def test_snapshot_share_link_read_only_card_and_revoke(browser, own_app_url, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    owner_ctx, page = _fresh_page(browser)
    page.goto(own_app_url + "/My_Portfolios")
    # with no portfolio yet the page opens on 新建组合 (where "你还没有组合" points)
    expect(page.get_by_role("tab", name="新建组合", selected=True)).to_be_visible(timeout=60_000)
    wait_for_app(page)

    # create from a GBK holdings file
    holdings = tmp_path / "持仓.csv"
    holdings.write_bytes("code,weight\n510300.SS,50%\n159915.SZ,30\nCASH,20\n".encode("gbk"))
    page.get_by_role("tab", name="新建组合").click()
    page.get_by_label("组合名称").fill("浏览器测试组合")
    page.get_by_text("持仓 CSV 导入 / 导出").click()
    # the new-portfolio tab has its own uploader; the page also has the rebalance-history one
    page.get_by_label("上传持仓 CSV").get_by_test_id("stFileUploaderDropzoneInput").set_input_files(str(holdings))
    expect(page.get_by_text("已读取 3 项持仓")).to_be_visible()
    page.get_by_role("button", name="用文件中的持仓填充表格").click()
    expect(page.get_by_text("合计：100%")).to_be_visible()
    wait_for_app(page)
    page.get_by_role("button", name="创建组合").click()
    expect(page.get_by_text("已创建组合")).to_be_visible()
    wait_for_app(page)

    # snapshot with a share link (shown once)
    page.get_by_role("tab", name="我的组合").click()
    expect(page.get_by_role("heading", name="浏览器测试组合")).to_be_visible()
    page.get_by_role("button", name="生成快照").click()
    expect(page.get_by_text("分享链接只显示这一次")).to_be_visible()
    link = page.locator('[data-testid="stCode"] code').first.inner_text().strip()
    assert "/?snapshot=" in link and link.startswith(own_app_url)
    wait_for_app(page)
    screenshot(page, "my-portfolios-zh")

    # a fresh browser context (no session, not signed in): read-only view
    viewer_ctx, viewer = _fresh_page(browser)
    viewer.goto(link)
    expect(viewer.get_by_text("组合快照（只读）")).to_be_visible(timeout=60_000)
    expect(viewer.get_by_text("浏览器测试组合").first).to_be_visible()
    expect(viewer.get_by_text("演示数据 / demo data").first).to_be_visible()
    expect(viewer.get_by_text("过往业绩不预示未来表现").first).to_be_visible()
    wait_for_app(viewer)
    assert viewer.get_by_role("button", name="创建组合").count() == 0
    assert viewer.get_by_role("button", name="撤销链接").count() == 0
    with viewer.expect_download() as info:
        viewer.get_by_role("button", name="下载分享卡片（PNG）").click()
    card = tmp_path / "card.png"
    info.value.save_as(card)
    assert card.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and card.stat().st_size > 20_000
    # the card's 1080×1350, drawn, with its navy header band (and holdings bars) and the demo label;
    # (a portfolio created today has no NAV yet, so the card draws no red or green line)
    assert_drawn_png(card, size=(cards.WIDTH, cards.HEIGHT), min_colours=500,
                     colours={BENCHMARK: 50_000, DEMO_BG: 5_000})
    screenshot(viewer, "snapshot-view-zh")
    viewer_ctx.close()

    # revoke, then the link is gone for everyone
    page.get_by_role("button", name="撤销链接").click()
    expect(page.get_by_text("链接已撤销")).to_be_visible()
    viewer_ctx, viewer = _fresh_page(browser)
    viewer.goto(link)
    expect(viewer.get_by_text("此链接无效（已撤销、已过期或不存在）。")).to_be_visible(timeout=60_000)
    wait_for_app(viewer)
    assert viewer.get_by_text("浏览器测试组合").count() == 0
    screenshot(viewer, "snapshot-revoked-zh")
    viewer_ctx.close()
    owner_ctx.close()
