"""No amount leaks through a weights-only share (issue 13, done-when): whatever amount the owner
types and whatever real money the portfolio holds (a flows portfolio: invested, value, gain),
a ``weights_only`` snapshot keeps none of it — not in the stored JSON, not in what its share
link opens, not in any text drawn on its card. The same checks with amounts on show the
test can fail."""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given, settings, strategies as st
from PIL import ImageDraw
from sqlalchemy import select

from socialfund.core.config import load_settings
from socialfund.core.snapshot import SnapshotPayload
from socialfund.io.flows_file import read_flows_csv
from socialfund.market.providers import get_provider
from socialfund.services import flows as flows_service, portfolio_crud, snapshots
from socialfund.store import open_store, schema
from socialfund.store.demo import load_demo
from socialfund.store.users import get_or_create_user
from socialfund.view import cards

FLOWS = ("date,code,amount,type\n2024-03-01,CASH,23456.78,deposit\n2024-03-04,510300,12345.67,buy\n"
         "2024-03-11,510500,5432.19,buy\n2024-09-02,510300,-3210.98,sell\n")

# amounts with cents, large enough that their text cannot be mistaken for a weight or a NAV
amounts = st.decimals(min_value=Decimal("1000.01"), max_value=Decimal("99999999.99"), places=2).filter(
    lambda d: d % 1 != 0)


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    store = open_store(f"sqlite:///{tmp_path_factory.mktemp('leak') / 'leak.db'}")
    load_demo(store)
    provider = get_provider(load_settings(), store)
    owner = get_or_create_user(store, "local:owner", "owner")
    parsed = read_flows_csv(FLOWS.encode("utf-8"), "real.csv", portfolio_crud.known_codes(store))
    pid = flows_service.import_flows(store, provider, owner, "真金白银", parsed, visibility="public").portfolio_id
    view = flows_service.money_view(store, provider, owner, pid)
    assert view is not None
    info = portfolio_crud.get_portfolio(store, owner, pid)
    prices = flows_service.flow_closes(provider, info.priced_codes)
    fig = view.figures
    money_texts = {f"{fen / 100:.2f}" for fen in (fig.invested_fen, fig.value_fen, fig.gain_fen, *fig.values_fen.values())}
    money_texts |= {"23456.78", "12345.67", "5432.19", "3210.98"}
    return {"store": store, "owner": owner, "pid": pid, "prices": prices, "money": money_texts}


def _amount_texts(amount: Decimal) -> set[str]:
    return {str(amount), f"{amount:,.2f}", f"{float(amount):,.0f}", f"{amount:.2f}"}


def _drawn_texts(payload: SnapshotPayload, lang: str) -> list[str]:
    """Every string ``render_card`` draws."""
    drawn: list[str] = []
    original = ImageDraw.ImageDraw.text

    def recording(self: ImageDraw.ImageDraw, xy: Any, text: Any, *args: Any, **kwargs: Any) -> Any:
        drawn.append(str(text))
        return original(self, xy, text, *args, **kwargs)

    ImageDraw.ImageDraw.text = recording  # type: ignore[method-assign]
    try:
        cards.render_card(payload, lang)
    finally:
        ImageDraw.ImageDraw.text = original  # type: ignore[method-assign]
    return drawn


def _share(world: dict[str, Any], amount: Decimal, weights_only: bool, visibility: str) -> tuple[str, SnapshotPayload]:
    store = world["store"]
    made = snapshots.create_snapshot(store, world["owner"], world["pid"], world["prices"], visibility=visibility,
                                     weights_only=weights_only, amount_cny=amount)
    with store.read() as conn:
        stored = conn.execute(select(schema.snapshots.c.payload_json).where(
            schema.snapshots.c.id == made.info.id)).scalar_one()
    assert made.token is not None
    opened = snapshots.open_snapshot(store, made.token)
    return stored, opened.payload


@settings(max_examples=25, deadline=None)
@given(amount=amounts, visibility=st.sampled_from(["unlisted", "public"]), lang=st.sampled_from(["zh", "en"]))
def test_weights_only_share_keeps_no_amount_anywhere(world: dict[str, Any], amount: Decimal, visibility: str,
                                                     lang: str) -> None:
    stored, payload = _share(world, amount, True, visibility)
    data = json.loads(stored)
    assert "amount_cny" not in data and "amounts_cny" not in data and data["weights_only"] is True
    assert payload.amount_cny is None and not payload.amounts_cny
    leaked = [t for t in _amount_texts(amount) | world["money"] if t in stored]
    assert not leaked
    drawn = " | ".join(_drawn_texts(payload, lang))
    assert "¥" not in drawn and "￥" not in drawn and "元" not in drawn
    assert not [t for t in _amount_texts(amount) | world["money"] if t in drawn]


@settings(max_examples=5, deadline=None)
@given(amount=amounts)
def test_control_a_share_with_amounts_does_show_them(world: dict[str, Any], amount: Decimal) -> None:
    stored, payload = _share(world, amount, False, "unlisted")
    assert json.loads(stored)["amount_cny"] == str(amount) and payload.amount_cny == amount
    assert "¥" in " | ".join(_drawn_texts(payload, "zh"))


@settings(max_examples=60, deadline=None)
@given(weights=st.dictionaries(st.sampled_from(["510300.SS", "159915.SZ", "110022", "CASH"]),
                               st.integers(1, 10_000), min_size=1), amount=amounts)
def test_weights_only_payload_round_trip_drops_amounts(weights: dict[str, int], amount: Decimal) -> None:
    """The payload itself: ``build_snapshot_payload`` given an amount but ``weights_only`` keeps
    none, and its JSON read back has none."""
    from socialfund.core.weights import normalise_to_bp
    from socialfund.services.portfolio_crud import PortfolioInfo
    from socialfund.core.models import PortfolioVersion
    import datetime as dt
    import pandas as pd

    bp = normalise_to_bp(weights)
    version = PortfolioVersion(1, pd.Timestamp("2024-03-01 15:00", tz="Asia/Shanghai"), bp, "")
    info = PortfolioInfo(1, 1, "owner", "p", "", "unlisted", False, dt.datetime(2024, 3, 1), None, None, None,
                         (version,), (1,))
    payload = snapshots.build_snapshot_payload(info, None, names={}, is_demo_data=False, weights_only=True,
                                               amount_cny=amount, risk_free=0.0, now=dt.datetime(2024, 3, 2))
    text = json.dumps(payload.to_dict(), ensure_ascii=False)
    assert "amount" not in text and str(amount) not in text
    assert SnapshotPayload.from_dict(json.loads(text)).amounts_cny == {}

