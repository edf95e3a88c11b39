"""Real browser: the Sentiment page in Debian chromium (Playwright) against `streamlit run`."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import expect

from conftest import running_streamlit, screenshot, wait_for_app


def _funds_input(page):  # type: ignore[no-untyped-def]
    return page.locator('[data-testid="stMainBlockContainer"] [data-testid="stMultiSelect"]').first.locator("input")


def test_pick_two_funds_see_charts_and_download_the_csv(page, app_url, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    page.goto(app_url + "/Sentiment")
    expect(page.get_by_text("演示数据 / demo data").first).to_be_visible(timeout=60_000)
    expect(page.get_by_text("华泰柏瑞沪深300ETF (510300.SS)", exact=True)).to_be_visible(timeout=60_000)
    wait_for_app(page)
    # replace the second default fund (招商白酒) with 易方达蓝筹: Backspace drops the last chip
    funds = _funds_input(page)
    funds.click()
    funds.press("Backspace")
    funds.fill("蓝筹精选")
    page.keyboard.press("Enter")
    page.keyboard.press("Escape")
    expect(page.get_by_text("易方达蓝筹精选混合 (005827)", exact=True)).to_be_visible(timeout=60_000)
    expect(page.get_by_text("招商中证白酒指数(LOF)A (161725.SZ)", exact=True)).to_have_count(0)
    wait_for_app(page)
    expect(page.locator(".js-plotly-plot .main-svg").first).to_be_visible(timeout=60_000)
    assert page.locator(".js-plotly-plot").count() >= 2
    expect(page.get_by_text("看涨指数 B = ln((1+看涨帖数)/(1+看跌帖数))", exact=False)).to_be_visible()
    screenshot(page, "sentiment-zh")

    page.get_by_role("tab", name="周热力图").click()
    expect(page.get_by_text("每格 = 该周").first).to_be_visible()
    page.get_by_role("tab", name="代表性帖子").click()
    expect(page.get_by_text("最看涨的帖子")).to_be_visible()
    page.get_by_role("tab", name="导出").click()
    with page.expect_download() as info:
        page.get_by_role("button", name="下载聚合表（CSV）").click()
    target = tmp_path / "sentiment.csv"
    info.value.save_as(target)
    raw = target.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf"), "UTF-8 with BOM for Excel"
    text = raw.decode("utf-8-sig")
    # the first download has headers in the page's language ...
    readable = text.splitlines()[0].split(",")
    assert readable[:3] == ["交易日", "代码", "基金"] and "看涨度 B" in readable and "帖子来源" in readable
    assert "510300.SS" in text and "005827" in text and "161725.SZ" not in text
    # ... the second the field names, for machines
    with page.expect_download() as info:
        page.get_by_role("button", name="机器可读（英文字段名）").click()
    target = tmp_path / "sentiment.fields.csv"
    info.value.save_as(target)
    raw = target.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf"), "UTF-8 with BOM for Excel"
    text = raw.decode("utf-8-sig")
    header = text.splitlines()[0].split(",")
    assert header[:3] == ["session", "code", "name"] and "bullishness" in header and "n_posts" in header
    assert "510300.SS" in text and "005827" in text and "161725.SZ" not in text
    assert "易方达蓝筹精选混合" in text
    assert "post_source" in header and "price_source" in header and ",demo," in text and "synthetic-demo" in text


@pytest.fixture()
def own_server(tmp_path: Path):  # type: ignore[no-untyped-def]
    """A separate app with its own data dir, so an upload never touches the shared test store."""
    with running_streamlit({"SOCIALFUND_DATA_DIR": str(tmp_path / "data")}) as url:
        yield url


def test_upload_own_posts_shows_the_result_and_the_new_source(browser, own_server, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, locale="en-US")
    page = context.new_page()
    page.set_default_timeout(60_000)
    try:
        page.goto(own_server + "/Sentiment")
        expect(page.get_by_text("演示数据 / demo data").first).to_be_visible(timeout=90_000)
        wait_for_app(page)
        page.get_by_role("tab", name="导入帖子").click()
        good = tmp_path / "mine.csv"
        good.write_text("code,text,published_at\n510300,<script>alert(1)</script> 利好,2026-01-05T10:00:00\n"
                        "510300.SS,=HYPERLINK(\"http://x\"),2026-01-06T10:00:00+08:00\n", encoding="utf-8")
        page.locator('[data-testid="stFileUploaderDropzoneInput"]').set_input_files(str(good))
        # the upload reaches the server asynchronously: click only once the widget lists the file
        expect(page.get_by_text("mine.csv").first).to_be_visible()
        # the button is drawn by the rerun the upload starts; on a loaded machine (the whole suite
        # running beside a cold page) that rerun can take longer than a click's default wait
        import_button = page.get_by_role("button", name="导入", exact=True)
        expect(import_button).to_be_visible(timeout=180_000)
        wait_for_app(page)
        import_button.click()
        expect(page.get_by_text("已导入 2 条，跳过重复 0 条（来源：my-posts）")).to_be_visible()
        expect(page.get_by_text("Asia/Shanghai", exact=False).first).to_be_visible()
        bad = tmp_path / "bad.csv"
        bad.write_text("code,text,published_at\n510300.SS,x,昨天下午\n", encoding="utf-8")   # a relative time: refused
        page.locator('[data-testid="stFileUploaderDropzoneInput"]').set_input_files(str(bad))
        expect(page.get_by_text("bad.csv").first).to_be_visible()
        wait_for_app(page)
        expect(import_button).to_be_visible(timeout=180_000)
        import_button.click()
        expect(page.get_by_text("文件 bad.csv，第 2 行，“published_at”列", exact=False)).to_be_visible()
        screenshot(page, "sentiment-import")
        # no script tag ever reaches the DOM as HTML
        assert page.locator("script:text('alert(1)')").count() == 0
    finally:
        context.close()
