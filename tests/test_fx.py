"""USD and HKD legs inside a CNY portfolio are valued in CNY (issue 11, finding 9 / spec 7)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from socialfund.market.fx import foreign_currencies, fx_code, to_base_currency
from socialfund.market.providers import DemoProvider
from socialfund.market.sessions import align_to_sessions, cn_sessions, session_prices


def test_conversion_uses_the_rate_known_at_each_session_and_nothing_later() -> None:
    days = pd.DatetimeIndex(["2024-01-02", "2024-01-03", "2024-01-04", "2024-01-05"])
    aligned = pd.DataFrame({"SPY": [100.0, 101.0, 102.0, 103.0], "510300.SS": [3.0, 3.1, 3.2, 3.3]}, index=days)
    rates = pd.DataFrame({"USDCNY": [7.0, np.nan, 7.2]}, index=pd.DatetimeIndex(["2024-01-02", "2024-01-03",
                                                                                "2024-01-06"]))
    out = to_base_currency(aligned, {"SPY": "USD", "510300.SS": "CNY"}, rates)
    # 01-03 has no rate: the 01-02 rate is the latest known; 01-06's rate is never used earlier
    assert list(out["SPY"]) == [700.0, 707.0, 714.0, 721.0]
    assert list(out["510300.SS"]) == list(aligned["510300.SS"])
    none = to_base_currency(aligned, {"SPY": "HKD"}, rates)   # no HKDCNY series: unpriced, never unconverted
    assert none["SPY"].isna().all()
    assert foreign_currencies(["SPY", "510300.SS", "X"], {"SPY": "usd", "510300.SS": "CNY"}) == ["USD"]
    assert fx_code("hkd") == "HKDCNY"


def test_demo_portfolio_prices_of_us_legs_are_in_cny() -> None:
    provider = DemoProvider()
    prices = session_prices(provider, ["SPY", "510300.SS"])
    raw = provider.closes(["SPY", "000300.SS"]).closes
    calendars = {i.code: i.calendar for i in provider.universe()}
    unconverted = align_to_sessions(raw, cn_sessions(raw), calendars)["SPY"]
    rate = provider.closes(["USDCNY"]).closes["USDCNY"].reindex(prices.index).ffill()
    ratio = (prices["SPY"] / unconverted).dropna()
    assert len(ratio) > 500
    assert np.allclose(ratio.to_numpy(), rate.reindex(ratio.index).to_numpy(), rtol=1e-12)
    assert 6.5 < ratio.median() < 7.8   # CNY per USD, not 1
    assert prices["510300.SS"].equals(session_prices(provider, ["510300.SS"])["510300.SS"])


def test_the_demo_fx_series_are_labelled_demo() -> None:
    data = DemoProvider().closes(["USDCNY", "HKDCNY"])
    assert set(data.sources.values()) == {"synthetic-demo"} and data.is_demo
    assert data.closes["HKDCNY"].median() == pytest.approx(data.closes["USDCNY"].median() / 7.8, rel=0.01)


def test_portfolio_page_states_its_currency_and_the_converted_legs(demo_store) -> None:  # type: ignore[no-untyped-def]
    from sqlalchemy import select

    from conftest import app_test
    from socialfund.store import schema

    p, v, w = schema.portfolios, schema.portfolio_versions, schema.portfolio_weights
    with demo_store.read() as conn:
        pid = conn.execute(select(p.c.id).join(v, v.c.portfolio_id == p.c.id).join(w, w.c.version_id == v.c.id)
                           .where(p.c.visibility == "public", w.c.code == "SPY").order_by(p.c.id).limit(1)).scalar_one()
    at = app_test("pages/2_Portfolio.py", "en")
    at.session_state["portfolio_id"] = pid
    at.run()
    assert not at.exception, at.exception
    notes = [c.value for c in at.caption if c.value.startswith("Portfolio currency: CNY")]
    assert notes and "SPY (USD → CNY, USDCNY)" in notes[0]


def test_fx_series_are_not_instruments() -> None:
    provider = DemoProvider()
    everything = provider.closes().closes
    assert "USDCNY" not in everything.columns and "HKDCNY" not in everything.columns
    assert set(everything.columns) == {i.code for i in provider.universe()}
    assert "USDCNY" not in session_prices(provider, None).columns
