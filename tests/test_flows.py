"""Portfolios of real money (issue 13.6): the flows file, booking at session closes, versions
from post-trade values, fen-exact figures, XIRR beside TWR, owner-only amounts, the CLI."""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pandas as pd
import pyxirr
import pytest
from hypothesis import given, settings, strategies as st

from socialfund.core.errors import ValidationError
from socialfund.core.flows import Flow, book_flows, money_figures, value_fen
from socialfund.core.weights import CASH
from socialfund.io.flows_file import read_flows_csv
from socialfund.market.providers import get_provider
from socialfund.core.config import load_settings
from socialfund.services import flows as flows_service, portfolio_crud
from socialfund.store import open_store
from socialfund.store.demo import load_demo, table_counts
from socialfund.store.users import get_or_create_user

REPO = Path(__file__).resolve().parent.parent
KNOWN = ["510300.SS", "159915.SZ", "110022", "000001"]
D = dt.date


def closes_frame() -> pd.DataFrame:
    days = pd.bdate_range("2024-01-02", "2024-03-29")
    return pd.DataFrame({"510300.SS": [3.0 + 0.01 * i for i in range(len(days))],
                         "110022": [2.0] * len(days)}, index=days)


# --------------------------------------------------------------------------- the file

def test_file_with_chinese_headers_gbk_types_and_signs() -> None:
    text = ("日期,代码,金额,类型\n2024-01-06,现金,\"10,000\",存入\n2024/01/08,510300,6000.5,买入\n"
            "20240201,510300.SS,-1000,卖出\n2024-03-01,CASH,-500,\n2024-03-04,110022,￥13.14元,分红\n"
            "2024-03-05,159915,200,\n")
    flows = read_flows_csv(text.encode("gbk"), "flows.csv", KNOWN)
    assert [(f.day, f.code, f.kind, f.amount_fen, f.line) for f in flows] == [
        (D(2024, 1, 6), CASH, "deposit", 1_000_000, 2), (D(2024, 1, 8), "510300.SS", "buy", 600_050, 3),
        (D(2024, 2, 1), "510300.SS", "sell", 100_000, 4), (D(2024, 3, 1), CASH, "withdraw", 50_000, 5),
        (D(2024, 3, 4), "110022", "dividend", 1314, 6), (D(2024, 3, 5), "159915.SZ", "buy", 20_000, 7)]


def test_english_header_utf8_bom_without_type_column() -> None:
    flows = read_flows_csv("\ufeffDate,Code,Amount\n2024-01-08,510300,0.01\n".encode("utf-8"), "f.csv", KNOWN)
    assert flows == [Flow(D(2024, 1, 8), "510300.SS", "buy", 1, 2)]


@pytest.mark.parametrize("text, message", [
    ("date,code\n2024-01-08,510300\n", "f.csv, line 1, column amount: missing column(s) amount"),
    ("date,code,amount\n2024-01-08,510300,10.001\n", "line 2, column amount: amount has more than two decimals"),
    ("date,code,amount\n2024-01-08,510300,abc\n", "line 2, column amount: amount is not a number of yuan"),
    ("date,code,amount\n2024-01-08,510300,0\n", "line 2, column amount: amount is zero"),
    ("date,code,amount\n2024-01-08,510300,\n", "line 2, column amount: amount is blank"),
    ("date,code,amount\n2024-01-08,999999,100\n", "line 2, column code: unknown code '999999'"),
    ("date,code,amount\n2024-13-08,510300,100\n", "line 2, column date"),
    ("date,code,amount,type\n2024-01-08,510300,100,gift\n", "line 2, column type: unknown type 'gift'"),
    ("date,code,amount,type\n2024-01-08,510300,-100,buy\n", "line 2, column amount: a buy must have a positive"),
    ("date,code,amount,type\n2024-01-08,CASH,100,buy\n", "line 2, column code: a buy needs an instrument code"),
    ("date,code,amount,type\n2024-01-08,510300,100,deposit\n", "line 2, column code: a deposit needs the code CASH"),
    ("date,code,amount\n", "no rows"),
])
def test_bad_file_names_file_line_and_column(text: str, message: str) -> None:
    with pytest.raises(ValidationError) as err:
        read_flows_csv(text.encode("utf-8"), "f.csv", KNOWN)
    assert message in str(err.value)


# --------------------------------------------------------------------------- booking

def test_units_at_the_session_close_and_weekend_moves_to_the_next_session() -> None:
    closes = closes_frame()
    book = book_flows([Flow(D(2024, 1, 6), CASH, "deposit", 1_000_000, 2),     # a Saturday
                       Flow(D(2024, 1, 8), "510300.SS", "buy", 600_000, 3)], closes)
    assert [t.session for t in book.trades] == [D(2024, 1, 8), D(2024, 1, 8)]
    price = float(closes.loc["2024-01-08", "510300.SS"])
    assert book.trades[1].price == price
    assert book.trades[1].units == (Decimal(6000) / Decimal(repr(price))).quantize(Decimal("1e-8"))
    # one version per session, post-trade values in bp summing to 10,000 exactly
    assert book.versions == ((D(2024, 1, 8), {"510300.SS": 6000, CASH: 4000}),)
    assert book.cash_fen == 400_000 and book.invested_fen == 1_000_000


def test_versions_follow_each_trading_session_and_sum_to_10000() -> None:
    closes = closes_frame()
    book = book_flows([Flow(D(2024, 1, 8), "510300.SS", "buy", 333_333, 1),
                       Flow(D(2024, 1, 8), "110022", "buy", 111_111, 2),
                       Flow(D(2024, 2, 1), "510300.SS", "sell", 100_000, 3),
                       Flow(D(2024, 3, 1), "110022", "sell", 111_111, 4)], closes)   # sells it all
    assert [day for day, _ in book.versions] == [D(2024, 1, 8), D(2024, 2, 1), D(2024, 3, 1)]
    assert all(sum(w.values()) == 10_000 for _, w in book.versions)
    assert "110022" not in book.units and set(book.versions[-1][1]) == {"510300.SS", CASH}
    assert book.invested_fen == 444_444          # buys without a deposit: money put in at each buy


@pytest.mark.parametrize("flows, message", [
    ([Flow(D(2024, 1, 8), CASH, "withdraw", 100, 5)], "withdraws 1.00 yuan on 2024-01-08 but the cash is 0.00"),
    ([Flow(D(2024, 1, 8), "510300.SS", "buy", 10_000, 2), Flow(D(2024, 1, 9), "510300.SS", "sell", 20_000, 3)],
     "sells 200.00 yuan of 510300.SS on 2024-01-09 but the holding is worth"),
    ([Flow(D(2024, 1, 8), "110022", "dividend", 100, 4)], "a dividend of 110022, which is not held"),
    ([Flow(D(2024, 4, 8), "510300.SS", "buy", 100, 6)], "no close of 510300.SS on or after 2024-04-08"),
    ([Flow(D(2024, 1, 8), "159915.SZ", "buy", 100, 7)], "no prices for 159915.SZ"),
])
def test_impossible_flows_are_refused_with_the_line(flows: list[Flow], message: str) -> None:
    with pytest.raises(ValidationError) as err:
        book_flows(flows, closes_frame())
    assert f"line {flows[-1].line}" in str(err.value) and message in str(err.value)


amounts = st.integers(min_value=1, max_value=10_000_000)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 50), st.sampled_from(["deposit", "buy", "sell", "withdraw"]), amounts),
                min_size=1, max_size=25))
def test_fen_arithmetic_never_loses_a_fen(steps: list[tuple[int, str, int]]) -> None:
    """Whatever the flows, cash stays integer fen and value = cash + holdings, gain = value −
    invested exactly; at a constant price of 1 nothing is gained or lost, to the fen."""
    days = pd.bdate_range("2024-01-02", periods=60)
    closes = pd.DataFrame({"110022": [1.0] * len(days)}, index=days)
    cash, held = 0, 0
    flows = []
    for i, (offset, kind, fen) in enumerate(steps):
        if kind == "deposit":
            cash += fen
        elif kind == "buy":
            cash = max(cash, fen) - fen
            held += fen
        elif kind == "sell":
            fen = min(fen, held)
            if fen == 0:
                continue
            held -= fen
            cash += fen
        else:
            fen = min(fen, cash)
            if fen == 0:
                continue
            cash -= fen
        flows.append(Flow(days[offset].date(), "110022" if kind in ("buy", "sell") else CASH, kind, fen, i + 2))
    flows.sort(key=lambda f: (f.day, f.line))
    if not flows:
        return
    try:
        book = book_flows(flows, closes)
    except ValidationError:
        return  # the model above books in list order; a reordered withdrawal may be refused: fine
    fig = money_figures(book, closes)
    assert isinstance(book.cash_fen, int)
    assert fig.value_fen == book.cash_fen + sum(value_fen(n, 1.0) for n in book.units.values())
    assert fig.gain_fen == fig.value_fen - fig.invested_fen == 0
    assert fig.invested_fen == fig.deposits_fen - fig.withdrawals_fen
    assert all(sum(w.values()) == 10_000 for _, w in book.versions)


def test_xirr_and_twr_beside_each_other_on_a_known_path() -> None:
    days = pd.bdate_range("2024-01-01", periods=3)          # Mon, Tue, Wed
    closes = pd.DataFrame({"110022": [1.0, 1.1, 1.21]}, index=days)
    book = book_flows([Flow(D(2024, 1, 1), "110022", "buy", 100_000, 2),
                       Flow(D(2024, 1, 2), "110022", "buy", 110_000, 3)], closes)
    fig = money_figures(book, closes)
    # 1000 yuan → 1000 units, +1100 yuan → 1000 units; 2000 units × 1.21 = 2420 yuan
    assert fig.invested_fen == 210_000 and fig.value_fen == 242_000 and fig.gain_fen == 32_000
    assert fig.twr == pytest.approx(0.21)                     # +10 % twice, whatever was added
    ref = pyxirr.xirr([D(2024, 1, 1), D(2024, 1, 2), D(2024, 1, 3)], [-1000.0, -1100.0, 2420.0])
    assert fig.xirr == pytest.approx(ref, rel=1e-9)
    assert fig.as_of == D(2024, 1, 3) and fig.start == D(2024, 1, 1)


def test_no_xirr_on_the_day_of_the_first_flow_and_the_reason_is_kept() -> None:
    closes = closes_frame()
    book = book_flows([Flow(D(2024, 1, 8), CASH, "deposit", 1000, 2)], closes)
    same_day = money_figures(book, closes, as_of=D(2024, 1, 8))
    assert same_day.xirr is None and "same day" in same_day.xirr_note
    later = money_figures(book, closes)
    assert later.value_fen == 1000 and later.gain_fen == 0 and later.twr == 0
    assert later.xirr == pytest.approx(0.0, abs=1e-9) and later.xirr_note == ""


# --------------------------------------------------------------------------- store and service

FILE = ("date,code,amount,type\n2024-03-01,CASH,20000,deposit\n2024-03-04,510300,12000,buy\n"
        "2024-03-09,510500,5000,buy\n2024-09-02,510300,-3000,sell\n2025-01-02,CASH,-1000,withdraw\n")


@pytest.fixture()
def real_store(tmp_path: Path):  # type: ignore[no-untyped-def]
    store = open_store(f"sqlite:///{tmp_path / 'f.db'}")
    load_demo(store)
    return store


def test_import_flows_stores_versions_and_flows_and_only_the_owner_sees_amounts(real_store) -> None:  # type: ignore[no-untyped-def]
    store = real_store
    provider = get_provider(load_settings(), store)
    owner = get_or_create_user(store, "local:owner", "owner")
    other = get_or_create_user(store, "local:other", "other")
    parsed = read_flows_csv(FILE.encode("utf-8"), "f.csv", portfolio_crud.known_codes(store))
    done = flows_service.import_flows(store, provider, owner, "真金白银", parsed, visibility="public")
    info = portfolio_crud.get_portfolio(store, owner, done.portfolio_id)
    # sessions with flows: 2024-03-01 (the deposit), 03-04, 03-11 (Sat 03-09 → Mon), 09-02, 2025-01-02
    assert [pd.Timestamp(v.placed_at).date() for v in info.versions] == [
        D(2024, 3, 1), D(2024, 3, 4), D(2024, 3, 11), D(2024, 9, 2), D(2025, 1, 2)]
    assert dict(info.versions[0].weights_bp) == {CASH: 10_000}
    assert [v.note for v in info.versions] == ["imported cash flows"] * 5
    assert all(sum(v.weights_bp.values()) == 10_000 for v in info.versions)
    view = flows_service.money_view(store, provider, owner, done.portfolio_id)
    assert view is not None and view.flows == 5
    assert view.figures.invested_fen == 1_900_000
    assert view.figures.gain_fen == view.figures.value_fen - 1_900_000
    # the figures from the stored flows equal those booked at import
    fresh = money_figures(done.book, flows_service.flow_closes(provider, ["510300.SS", "510500.SS"]))
    assert fresh == view.figures
    # public portfolio, but amounts are the owner's only
    assert flows_service.money_view(store, provider, other, done.portfolio_id) is None
    assert flows_service.money_view(store, provider, None, done.portfolio_id) is None


def test_bad_flows_store_nothing(real_store) -> None:  # type: ignore[no-untyped-def]
    store = real_store
    provider = get_provider(load_settings(), store)
    owner = get_or_create_user(store, "local:owner", "owner")
    before = table_counts(store)
    bad = read_flows_csv(b"date,code,amount\n2024-03-04,510300,100\n2024-03-05,CASH,-500\n", "bad.csv",
                         portfolio_crud.known_codes(store))
    with pytest.raises(ValidationError, match="line 3, column amount: withdraws 500.00 yuan on 2024-03-05 but the cash is 0.00"):
        flows_service.import_flows(store, provider, owner, "x", bad)
    assert table_counts(store) == before


def test_cli_import_flows_json_and_rejected_file(tmp_path: Path) -> None:
    env = {**os.environ, "SOCIALFUND_DATA_DIR": str(tmp_path)}
    env.pop("SOCIALFUND_DATABASE_URL", None)

    def cli(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, "-m", "socialfund", "portfolio", "import-flows", *args], cwd=REPO,
                              env=env, capture_output=True, text=True, timeout=180)

    good = tmp_path / "flows.csv"
    good.write_bytes(FILE.replace("date,code,amount,type", "日期,代码,金额,类型").encode("gbk"))
    done = cli(str(good), "--name", "真金白银", "--json")
    assert done.returncode == 0, done.stderr
    out = json.loads(done.stdout)
    assert out["flows"] == 5 and out["versions"] == 5 and out["invested_yuan"] == "19000.00"
    assert Decimal(out["gain_yuan"]) == Decimal(out["value_yuan"]) - Decimal("19000.00")
    assert isinstance(out["xirr"], float) and isinstance(out["twr"], float)
    line = cli(str(good), "--name", "again")
    assert line.returncode == 0 and line.stdout.count("\n") == 1 and "invested 19,000.00 yuan" in line.stdout
    store = open_store(f"sqlite:///{tmp_path / 'socialfund.db'}")
    before = table_counts(store)
    bad = tmp_path / "bad.csv"
    bad.write_text("date,code,amount\n2024-03-04,510300,100\n2024-03-05,510300,12.345\n", encoding="utf-8")
    rejected = cli(str(bad), "--name", "x")
    assert rejected.returncode == 2 and rejected.stderr.strip().count("\n") == 0
    assert "bad.csv, line 3, column amount: amount has more than two decimals" in rejected.stderr
    assert table_counts(store) == before


def test_stored_flows_of_buys_only_give_the_booked_figures(real_store) -> None:  # type: ignore[no-untyped-def]
    """Buys without deposits bring new money in (implicit deposits); the store's copy of the
    flows rebuilds the same invested amount and figures as the booking at import."""
    store = real_store
    provider = get_provider(load_settings(), store)
    owner = get_or_create_user(store, "local:owner", "owner")
    text = "date,code,amount\n2024-03-04,510300,1000.01\n2024-03-05,510300,-500\n2024-03-06,510500,700.99\n"
    parsed = read_flows_csv(text.encode("utf-8"), "buys.csv", portfolio_crud.known_codes(store))
    done = flows_service.import_flows(store, provider, owner, "buys", parsed)
    stored = flows_service.stored_book(store, done.portfolio_id)
    assert stored is not None and stored.external == done.book.external
    assert stored.invested_fen == 100_001 + 70_099 - 50_000    # the sale's cash paid part of the second buy
    assert stored.units == done.book.units and stored.cash_fen == done.book.cash_fen == 0
    view = flows_service.money_view(store, provider, owner, done.portfolio_id)
    assert view is not None and view.figures.invested_fen == 120_100
