"""AppTest of the real-money panel on pages/2_Portfolio.py: the owner of a flows portfolio sees
XIRR beside TWR and the amounts in yuan; anyone else opening a public flows portfolio sees no
amount. The leaderboard says it ranks on time-weighted returns. Each on a fresh store."""

from __future__ import annotations

import pytest

from conftest import app_test
from socialfund.core.config import load_settings
from socialfund.io.flows_file import read_flows_csv
from socialfund.market.providers import get_provider
from socialfund.services import flows, portfolio_crud
from socialfund.store import open_store
from socialfund.store.demo import ensure_demo
from socialfund.store.users import get_or_create_user
from socialfund.view.i18n import t
from socialfund.wishes.money import yuan_text

FLOWS = ("date,code,amount,type\n2024-03-01,CASH,23456.78,deposit\n2024-03-04,510300,12345.67,buy\n"
         "2024-03-11,510500,5432.19,buy\n2024-09-02,510300,-3210.98,sell\n")


@pytest.fixture()
def fresh_db(tmp_path, monkeypatch, demo_store):  # type: ignore[no-untyped-def]
    import streamlit as st

    url = f"sqlite:///{tmp_path}/app.db"
    monkeypatch.setenv("SOCIALFUND_DATABASE_URL", url)
    st.cache_resource.clear()
    store = open_store(url)
    ensure_demo(store)
    yield store
    st.cache_resource.clear()


def _import(store, owner_key: str) -> tuple[int, flows.MoneyView]:  # type: ignore[no-untyped-def]
    owner = get_or_create_user(store, owner_key, owner_key.split(":")[1])
    provider = get_provider(load_settings(), store)
    parsed = read_flows_csv(FLOWS.encode("utf-8"), "real.csv", portfolio_crud.known_codes(store))
    pid = flows.import_flows(store, provider, owner, "真金白银", parsed, visibility="public").portfolio_id
    view = flows.money_view(store, provider, owner, pid)
    assert view is not None
    return pid, view


def _open(pid: int, lang: str):  # type: ignore[no-untyped-def]
    at = app_test("pages/2_Portfolio.py", lang, timeout=180)
    at.session_state["portfolio_id"] = pid
    at.run()
    assert not at.exception, at.exception
    return at


def _everything(at) -> str:  # type: ignore[no-untyped-def]
    parts = [str(m.label) + " " + str(m.value) + " " + str(m.help or "") for m in at.metric]
    parts += [str(e.value) for kind in ("caption", "markdown", "subheader", "info", "warning", "text")
              for e in getattr(at, kind)]
    return "\n".join(parts)


def test_owner_sees_xirr_beside_twr_and_amounts_in_yuan(fresh_db) -> None:  # type: ignore[no-untyped-def]
    pid, view = _import(fresh_db, "local:owner")      # the app's single local user owns it
    at = _open(pid, "en")
    metrics = {m.label: m for m in at.metric}
    fig = view.figures
    assert metrics[t("money.xirr", "en")].value == f"{fig.xirr:+.2%}"
    assert metrics[t("money.twr", "en")].value == f"{fig.twr:+.2%}"
    assert metrics[t("money.invested", "en")].value == yuan_text(fig.invested_fen) == "23,456.78"
    assert metrics[t("money.value", "en")].value == yuan_text(fig.value_fen)
    assert "ACT/365" in metrics[t("money.xirr", "en")].help
    assert any(f"{fig.start} to {fig.as_of}" in c.value and "yuan" in c.value for c in at.caption)
    zh = _open(pid, "zh")
    assert t("money.xirr", "zh") in {m.label for m in zh.metric}


def test_another_user_sees_no_amount_of_a_public_flows_portfolio(fresh_db) -> None:  # type: ignore[no-untyped-def]
    pid, view = _import(fresh_db, "local:someone")
    at = _open(pid, "en")
    shown = _everything(at)
    assert "Total return" in shown                         # the page itself is drawn (public portfolio)
    assert t("money.xirr", "en") not in shown and t("money.title", "en") not in shown
    fig = view.figures
    for fen in (fig.invested_fen, fig.value_fen, fig.gain_fen, 2345678, 1234567):
        assert yuan_text(fen) not in shown and f"{fen / 100:.2f}" not in shown


def test_leaderboard_says_it_ranks_on_time_weighted_returns(demo_store) -> None:  # type: ignore[no-untyped-def]
    for lang in ("en", "zh"):
        at = app_test("pages/1_Leaderboard.py", lang, timeout=180)
        at.run()
        assert not at.exception, at.exception
        assert any(t("lb.ranks_on_twr", lang) == c.value for c in at.caption)


def test_my_portfolios_upload_creates_a_flows_portfolio_and_a_bad_file_stores_nothing(fresh_db) -> None:  # type: ignore[no-untyped-def]
    from socialfund.store.demo import table_counts

    at = app_test("pages/5_My_Portfolios.py", "en", timeout=180)
    at.run()
    assert not at.exception, at.exception
    before = table_counts(fresh_db)
    at.file_uploader(key="flows_upload").set_value(("bad.csv", b"date,code,amount\n2024-03-04,510300,1.234\n",
                                                    "text/csv")).run()
    assert any("bad.csv, line 2, column amount" in e.value for e in at.error)
    assert table_counts(fresh_db) == before
    at.file_uploader(key="flows_upload").set_value(("real.csv", FLOWS.encode("utf-8"), "text/csv")).run()
    assert any("Read 4 flows, 2024-03-01 to 2024-09-02" in c.value for c in at.caption)
    at.text_input(key="flows_name").input("Real money").run()
    at.button(key="flows_create").click().run()
    assert not at.exception, at.exception
    owner = get_or_create_user(fresh_db, "local:owner", "owner")
    (mine,) = portfolio_crud.my_portfolios(fresh_db, owner)
    assert mine.name == "Real money" and len(mine.versions) == 4
    view = flows.money_view(fresh_db, get_provider(load_settings(), fresh_db), owner, mine.id)
    assert view is not None and view.figures.invested_fen == 2_345_678
