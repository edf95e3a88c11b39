"""AppTest of the price upload on the home page (issue 11.3): on a store without the demo
(``SOCIALFUND_DEMO=0``, so the store provider), an uploaded export is stored, its new codes
join the universe and the page shows them; a rejected file shows one error and stores nothing."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from conftest import app_test
from socialfund.market.registry import stored_universe
from socialfund.store import open_store, schema

# 天天基金 NAV export of fund 110022, the code from the file name
NAV = ("净值日期,单位净值,累计净值,日增长率,申购状态,赎回状态,分红送配\n"
       "2024-01-01,1.0000,3.5000,0.00%,开放申购,开放赎回,\n"   # New Year's Day: no session
       "2024-01-02,1.0000,3.5000,0.00%,开放申购,开放赎回,\n"
       "2024-01-03,1.0100,3.5100,1.00%,开放申购,开放赎回,\n"
       "2024-01-04,,,,暂停申购,暂停赎回,\n").encode("gbk")


@pytest.fixture()
def own_store(tmp_path, monkeypatch):  # type: ignore[no-untyped-def]
    """The app on a store of this test only, the demo declined and no provider set (→ store)."""
    import streamlit as st

    url = f"sqlite:///{tmp_path}/own.db"
    monkeypatch.setenv("SOCIALFUND_DATABASE_URL", url)
    monkeypatch.setenv("SOCIALFUND_DEMO", "0")
    monkeypatch.delenv("SOCIALFUND_MARKET_PROVIDER", raising=False)
    st.cache_resource.clear()
    yield url
    st.cache_resource.clear()


def _home():  # type: ignore[no-untyped-def]
    at = app_test(None, "en", timeout=180)
    at.run()
    assert not at.exception, at.exception
    return at


def _price_rows(url: str) -> int:
    with open_store(url).read() as conn:
        return int(conn.execute(select(func.count()).select_from(schema.prices)).scalar_one())


def test_upload_stores_the_file_registers_its_code_and_the_home_page_shows_it(own_store) -> None:  # type: ignore[no-untyped-def]
    at = _home()
    assert any("No prices yet" in i.value for i in at.info)
    assert {m.label: m.value for m in at.metric}["Funds and indices"] == "0"
    at.file_uploader(key="prices_upload").set_value(("110022.csv", NAV, "text/csv")).run()
    at.button(key="prices_import").click().run()
    assert not at.exception, at.exception
    assert not at.error, [e.value for e in at.error]
    done = [s.value for s in at.success]
    assert len(done) == 1 and "Imported 2 closes (1 codes, 2024-01-02 to 2024-01-03, format eastmoney_nav, " \
                              "source file:110022.csv); 1 new instruments, 1 gaps, 1 rows on days the market was " \
                              "closed not stored." == done[0]
    assert any("110022" in w.value and "2024-01-01" in w.value for w in at.warning)   # the quality notice
    assert _price_rows(own_store) == 2 and [i.code for i in stored_universe(open_store(own_store))] == ["110022"]
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Funds and indices"] == "1" and metrics["Latest data date"] == "2024-01-03"
    assert not any("No prices yet" in i.value for i in at.info)
    assert any("file:110022.csv" in c.value for c in at.caption)           # the data source line
    assert not any("demo data" in w.value for w in at.warning)            # nothing here is demo


def test_a_rejected_upload_shows_one_error_and_stores_nothing(own_store) -> None:  # type: ignore[no-untyped-def]
    at = _home()
    at.file_uploader(key="prices_upload").set_value(("prices.csv", b"when,what\n2024-01-02,3.5\n", "text/csv")).run()
    at.button(key="prices_import").click().run()
    assert not at.exception, at.exception
    assert len(at.error) == 1 and "prices.csv, line 1" in at.error[0].value
    assert "date,code,close" in at.error[0].value                          # the columns it expected
    assert _price_rows(own_store) == 0 and stored_universe(open_store(own_store)) == []
