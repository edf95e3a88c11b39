"""Real browser: create a wish, share its guess link, a friend in a fresh browser context
guesses wrong and sends a simulated 5.20 tip, the owner sees the tip and the updated
progress, and the wish card downloads with its Chinese title in real glyphs (not tofu).

Runs its own `streamlit run` on a database of this test only."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import expect

from conftest import assert_drawn_png, running_streamlit, screenshot, wait_for_app
from socialfund.view import cards
from socialfund.view.palette import BENCHMARK, DEMO_BG
from wish_glyphs import assert_title_in_real_glyphs

TITLE = "攒钱买新手机"


@pytest.fixture(scope="module")
def own_app_url(tmp_path_factory, demo_store):  # type: ignore[no-untyped-def]
    db = tmp_path_factory.mktemp("browser-wishes") / "app.db"
    with running_streamlit({"SOCIALFUND_DATABASE_URL": f"sqlite:///{db}"}) as url:
        yield url


def _fresh_page(browser):  # type: ignore[no-untyped-def]
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, locale="zh-CN", accept_downloads=True)
    page = context.new_page()
    page.set_default_timeout(30_000)
    return context, page


def test_wish_guess_tip_progress_and_card(browser, own_app_url, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    owner_ctx, page = _fresh_page(browser)
    page.goto(own_app_url + "/Wishes")
    expect(page.get_by_text("你还没有心愿").first).to_be_visible(timeout=60_000)
    wait_for_app(page)

    page.get_by_role("tab", name="新建心愿").click()
    page.get_by_label("心愿名称").fill(TITLE)
    page.get_by_label("目标金额（元）").fill("3000")
    page.get_by_label("首次存入（元）").fill("100")
    page.get_by_label("每次存入（元）").fill("100")
    page.get_by_role("button", name="创建心愿").click()
    expect(page.get_by_text("已创建心愿").first).to_be_visible()
    wait_for_app(page)
    page.get_by_role("tab", name="我的心愿").click()
    expect(page.get_by_role("heading", name=TITLE)).to_be_visible()
    expect(page.get_by_text("预测不是承诺").first).to_be_visible()
    expect(page.get_by_text("按期达成概率").first).to_be_visible()
    expect(page.get_by_text("¥100.00").first).to_be_visible()

    page.get_by_role("button", name="生成竞猜链接").click()
    expect(page.get_by_text("竞猜链接只显示这一次")).to_be_visible()
    link = page.locator('[data-testid="stCode"] code').first.inner_text().strip()
    assert "/?wish=" in link and link.startswith(own_app_url)
    wait_for_app(page)
    screenshot(page, "wishes-owner-zh")

    # a friend in a fresh browser context: four candidates, a wrong guess, a simulated 5.20 tip
    friend_ctx, friend = _fresh_page(browser)
    friend.goto(link)
    expect(friend.get_by_text("猜猜我的心愿").first).to_be_visible(timeout=60_000)
    wait_for_app(friend)
    screenshot(friend, "wish-guess-open-zh")
    radios = friend.locator("label").filter(has=friend.locator('input[type="radio"]'))
    expect(radios).to_have_count(6)          # the four candidates and the language switch's two
    labels = [text for text in radios.all_inner_texts() if text.strip() not in ("中文", "English")]
    assert len(labels) == 4 and sum(TITLE in label for label in labels) == 1
    wrong = next(label for label in labels if TITLE not in label)
    friend.locator("label").filter(has_text=wrong.strip()).first.click()
    wait_for_app(friend)
    friend.get_by_role("button", name="揭晓答案").click()
    expect(friend.get_by_text(f"没猜中～ TA 的心愿是：🎁 {TITLE}")).to_be_visible()
    expect(friend.get_by_text("模拟：socialfund 不转移任何真实资金。").first).to_be_visible()
    wait_for_app(friend)
    friend.get_by_label("你的名字（可选）").fill("小红")
    friend.get_by_label("留言（可选）").fill("加油！")
    friend.get_by_text("¥5.20", exact=True).click()
    friend.get_by_role("button", name="送出模拟红包").click()
    expect(friend.get_by_text("已送出模拟打赏 5.20 元（模拟，不涉及真实资金）")).to_be_visible()
    wait_for_app(friend)
    screenshot(friend, "wish-guess-friend-zh")
    assert friend.get_by_role("button", name="生成竞猜链接").count() == 0
    friend_ctx.close()

    # the owner sees the tip, who guessed, and the updated progress
    page.reload()
    wait_for_app(page)
    page.get_by_role("tab", name="我的心愿").click()
    expect(page.get_by_text("猜中率 0%（1 次）· 模拟打赏合计 5.20 元")).to_be_visible(timeout=60_000)
    expect(page.get_by_text("小红").first).to_be_visible()
    expect(page.get_by_text("加油！").first).to_be_visible()
    expect(page.get_by_text("¥105.20").first).to_be_visible()
    wait_for_app(page)

    with page.expect_download() as info:
        page.get_by_role("button", name="下载心愿卡片（PNG）").click()
    card = tmp_path / "wish-card.png"
    info.value.save_as(card)
    assert_drawn_png(card, size=(cards.WIDTH, cards.HEIGHT), min_colours=300,
                     colours={BENCHMARK: 100_000, DEMO_BG: 20_000})
    assert_title_in_real_glyphs(card.read_bytes(), TITLE)
    screenshot(page, "wishes-owner-after-tip-zh")
    owner_ctx.close()
