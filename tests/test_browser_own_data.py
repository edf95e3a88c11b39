"""Real browser, a store with NO demo data (issue 11, done-when): prices imported from
real-format files, a community from a rebalance history, posts from a 股吧 export
(``tests/own_data.build_own_store``, the README's commands). The walk opens home,
leaderboard, portfolio, sentiment, fund ideas and my portfolios, in zh and en, at 1280×800
and at a 390×844 phone size, and on each page sees: no demo label, no error box or exception,
and the data-quality notice naming the ETF's suspension gap. Screenshots go to
``test-artifacts/own-*.png``."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import expect

from conftest import running_streamlit, screenshot, wait_for_app

PAGES = (("", "home"), ("/Leaderboard", "leaderboard"), ("/Portfolio?portfolio=1", "portfolio"),
         ("/Sentiment", "sentiment"), ("/Fund_Ideas", "ideas"), ("/My_Portfolios", "my-portfolios"))
GAP = {"zh": "3 个 XSHG 交易日没有价格", "en": "3 XSHG sessions without a price"}


@pytest.fixture(scope="module")
def own_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    from own_data import build_own_store

    data_dir = tmp_path_factory.mktemp("browser-own-data")
    build_own_store(data_dir)
    with running_streamlit({"SOCIALFUND_DATA_DIR": str(data_dir), "SOCIALFUND_DEMO": "0",
                            "SOCIALFUND_MARKET_PROVIDER": "store"}) as url:
        yield url


@pytest.mark.parametrize("size", [(1280, 800), (390, 844)], ids=["desktop", "phone"])
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_walk_every_page_on_own_data(browser, own_url: str, lang: str, size: tuple[int, int]) -> None:  # type: ignore[no-untyped-def]
    context = browser.new_context(viewport={"width": size[0], "height": size[1]},
                                  locale="zh-CN" if lang == "zh" else "en-US")
    page = context.new_page()
    page.set_default_timeout(60_000)
    try:
        for path, name in PAGES:
            sep = "&" if "?" in path else "?"
            page.goto(f"{own_url}{path}{sep}lang={lang}")
            wait_for_app(page)
            main = page.locator('[data-testid="stMain"]')
            expect(main.get_by_text(GAP[lang]).first).to_be_attached(timeout=60_000)
            expect(page.locator('[data-testid="stException"]')).to_have_count(0)
            expect(page.locator('[data-testid="stAlertContentError"]')).to_have_count(0)
            body = page.locator("body").inner_text()
            assert "演示数据" not in body and "demo data" not in body.lower(), f"{name}: a demo label"
            screenshot(page, f"own-{name}-{lang}-{'phone' if size[0] < 500 else 'desktop'}")
    finally:
        context.close()
