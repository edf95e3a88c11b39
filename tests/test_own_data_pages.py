"""Every page on a store with NO demo data (issue 11, done-when): prices imported from
real-format files, a community from a rebalance history, posts from a 股吧 export
(``tests/own_data.build_own_store``). Each page runs without an exception or an error box,
shows no demo label, and shows the data-quality notices (the ETF's three-day suspension).
The same walk in a real browser: ``tests/test_browser_own_data.py``."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from conftest import app_test

PAGES = ("pages/0_Home.py", "pages/1_Leaderboard.py", "pages/2_Portfolio.py", "pages/3_Sentiment.py",
         "pages/4_Fund_Ideas.py", "pages/5_My_Portfolios.py")


@pytest.fixture(scope="module")
def own_store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    import os

    import streamlit as st

    from own_data import build_own_store

    data_dir = tmp_path_factory.mktemp("own-data")
    build_own_store(data_dir)
    saved = {k: os.environ.get(k) for k in ("SOCIALFUND_DATA_DIR", "SOCIALFUND_DEMO", "SOCIALFUND_MARKET_PROVIDER")}
    os.environ.update({"SOCIALFUND_DATA_DIR": str(data_dir), "SOCIALFUND_DEMO": "0"})
    os.environ.pop("SOCIALFUND_MARKET_PROVIDER", None)
    st.cache_resource.clear()
    st.cache_data.clear()
    yield data_dir
    for k, v in saved.items():
        if v is None:
            os.environ.pop(k, None)
        else:
            os.environ[k] = v
    st.cache_resource.clear()
    st.cache_data.clear()


def _texts(at) -> list[str]:  # type: ignore[no-untyped-def]
    kinds = ("markdown", "caption", "warning", "info", "success", "error", "title", "header", "subheader")
    return [str(e.value) for kind in kinds for e in getattr(at, kind)]


@pytest.mark.parametrize("page", PAGES)
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_every_page_works_on_own_data_with_no_demo_label(own_store: Path, page: str, lang: str) -> None:
    at = app_test(page, lang, timeout=300)
    at.run()
    assert not at.exception, [str(e.value) for e in at.exception]
    assert not at.error, [e.value for e in at.error]
    texts = [t.replace("\\", "") for t in _texts(at)]     # markdown escapes (510300\.SS)
    assert not [t for t in texts if "演示数据" in t or "demo data" in t.lower()], page
    quality = [t for t in texts if "数据质量" in t or "data quality" in t.lower()]
    assert quality, f"{page}: no data-quality notice"
    gap = "3 个 XSHG 交易日没有价格" if lang == "zh" else "3 XSHG sessions"
    assert any("510300.SS" in t and gap in t for t in quality), f"{page}: the ETF's suspension gap is not named"


def test_own_leaderboard_ranks_the_imported_portfolio(own_store: Path) -> None:
    at = app_test("pages/1_Leaderboard.py", "en", timeout=300)
    at.run()
    ranked = next(d.value for d in at.dataframe if "name" in d.value.columns)
    assert list(ranked["name"]) == ["我的消费组合"]
