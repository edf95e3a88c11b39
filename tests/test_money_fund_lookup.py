"""The demo's money-market fund (000198, outside the universe) is found like any other fund:
by a typed ``--fund`` code through the one code resolver, and by the instrument search."""

from __future__ import annotations

import datetime as dt

import pytest

from socialfund.core.errors import ValidationError
from socialfund.core.money_fund import DEMO_MMF_CODE
from socialfund.services import wishes
from socialfund.store import open_store
from socialfund.store.demo import load_demo
from socialfund.store.users import get_or_create_user

NOW = dt.datetime(2026, 11, 20, 4, 0)


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    s = open_store(f"sqlite:///{tmp_path_factory.mktemp('mmf') / 'mmf.db'}")
    load_demo(s)
    return s


@pytest.mark.parametrize("typed, code", [("000198", DEMO_MMF_CODE), (" 000198 ", DEMO_MMF_CODE),
                                         ("000198.OF", DEMO_MMF_CODE), ("510300", "510300.SS"),
                                         ("sh510300", "510300.SS"), ("510300.SS", "510300.SS")])
def test_fund_code_is_resolved_like_any_typed_code(store, typed: str, code: str) -> None:  # type: ignore[no-untyped-def]
    owner = get_or_create_user(store, "local:owner", "Owner")
    wish = wishes.create_wish(store, owner, title="新手机", target="3000", by="2027-06-30", initial="100",
                              every="week", amount="100", fund=typed, today=dt.date(2026, 11, 20), now=NOW)
    assert wish.vehicle_kind == "fund" and wish.vehicle_ref == code
    if code == DEMO_MMF_CODE:
        assert wish.is_demo                  # the demo MMF's series is synthetic: labelled demo


def test_unknown_fund_code_is_still_refused(store) -> None:  # type: ignore[no-untyped-def]
    owner = get_or_create_user(store, "local:owner", "Owner")
    with pytest.raises(ValidationError, match="unknown fund code '999999'"):
        wishes.create_wish(store, owner, title="x", target="3000", by="2027-06-30", initial="100", every="week",
                           amount="100", fund="999999", today=dt.date(2026, 11, 20), now=NOW)


@pytest.mark.parametrize("query", ["000198", "余额宝", "Yu'ebao", "money market"])
def test_instrument_search_finds_the_money_fund(store, query: str) -> None:  # type: ignore[no-untyped-def]
    found = wishes.search_funds(store, query)
    assert found and found[0].code == DEMO_MMF_CODE


def test_instrument_search_still_finds_universe_funds_first_by_exact_code(store) -> None:  # type: ignore[no-untyped-def]
    assert wishes.search_funds(store, "510300")[0].code == "510300.SS"
