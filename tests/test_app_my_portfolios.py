"""AppTest of pages/5_My_Portfolios.py and the share-link view (through the router), each on a fresh store."""

from __future__ import annotations

import pytest
from urllib.parse import parse_qs, urlsplit

from sqlalchemy import select

from conftest import app_test
from socialfund.services import follows, portfolio_crud, snapshots
from socialfund.store import open_store, schema
from socialfund.store.users import get_or_create_user

PAGE = "pages/5_My_Portfolios.py"


@pytest.fixture()
def fresh_db(tmp_path, monkeypatch, demo_store):  # type: ignore[no-untyped-def]
    """The app's cached store and settings point at a database of this test only."""
    import streamlit as st

    url = f"sqlite:///{tmp_path}/app.db"
    monkeypatch.setenv("SOCIALFUND_DATABASE_URL", url)
    st.cache_resource.clear()
    yield url
    st.cache_resource.clear()


def _page(lang: str = "zh", rows: list[tuple[str, float]] | None = None):  # type: ignore[no-untyped-def]
    at = app_test(PAGE, lang, timeout=180)
    if rows is not None:  # the weights table's content (AppTest cannot type into a data editor)
        at.session_state["new_base"] = rows
        at.session_state["new_gen"] = 0
    at.run()
    assert not at.exception, at.exception
    return at


def _texts(at) -> str:  # type: ignore[no-untyped-def]
    parts = [e.value for kind in ("success", "info", "warning", "error", "caption", "markdown", "code")
             for e in getattr(at, kind)]
    return "\n".join(str(p) for p in parts)


def test_empty_page_shows_demo_label_risk_notice_and_how_to_start(fresh_db) -> None:  # type: ignore[no-untyped-def]
    at = _page("zh")
    assert at.title[0].value == "我的组合"
    assert any("演示数据" in w.value for w in at.warning)
    assert any("你还没有组合" in i.value for i in at.info)
    assert any("过往业绩不预示未来表现" in c.value for c in at.caption)
    assert not at.error


def test_weights_not_adding_to_100_offer_normalise_and_are_never_saved(fresh_db) -> None:  # type: ignore[no-untyped-def]
    at = _page("en", rows=[("510300.SS", 35.0), ("159915.SZ", 35.0)])
    assert "add up to 70%" in _texts(at)
    at.text_input(key="new_name").input("Seventy").run()
    at.button(key="new_create").click().run()
    assert not at.exception
    assert any("70%" in e.value for e in at.error)
    store = open_store(fresh_db)
    assert portfolio_crud.my_portfolios(store, get_or_create_user(store, "local:owner", "x")) == []
    at.button(key="new_normalise").click().run()
    assert not at.exception
    assert at.session_state["new_base"] == [("159915.SZ", 50.0), ("510300.SS", 50.0)]
    assert "Rescaled to 100%" in _texts(at)


def test_create_snapshot_share_link_revoke_rebalance_and_delete(fresh_db) -> None:  # type: ignore[no-untyped-def]
    at = _page("zh", rows=[("510300.SS", 60.0), ("CASH", 40.0)])
    at.text_input(key="new_name").input("我的第一个组合 🚀").run()
    at.button(key="new_create").click().run()
    assert not at.exception, at.exception
    assert "已创建组合" in _texts(at)
    assert any("我的第一个组合" in s.value for s in at.subheader)

    store = open_store(fresh_db)
    with store.read() as conn:
        row = conn.execute(select(schema.portfolios).where(
            schema.portfolios.c.name == "我的第一个组合 🚀")).mappings().one()
    pid = row["id"]
    assert row["visibility"] == "private"
    assert portfolio_crud.get_portfolio(store, row["owner_id"], pid).current_weights == {"510300.SS": 6000, "CASH": 4000}

    # snapshot: the link is shown once
    submit = [b for b in at.button if b.label == "生成快照"][0]
    submit.click().run()
    assert not at.exception, at.exception
    codes = [c.value for c in at.code]
    assert len(codes) == 1 and "?snapshot=" in codes[0]
    token = parse_qs(urlsplit(codes[0]).query)["snapshot"][0]  # the link also carries ?lang=
    assert snapshots.open_snapshot(store, token).portfolio_id == pid
    at.run()
    assert not [c for c in at.code if "?snapshot=" in c.value], "the token must be shown only once"

    # the share-link view, not signed in
    view = app_test(None, "zh")  # the share link /?snapshot=TOKEN opens the home URL
    view.query_params["snapshot"] = token
    view.run()
    assert not view.exception, view.exception
    assert any("组合快照" in t.value for t in view.title)
    assert any("只读" in i.value for i in view.info)
    assert len(view.dataframe) == 1 and not view.button  # nothing to edit there
    assert any("演示数据" in w.value for w in view.warning)

    # revoke: the link stops working
    revoke = [b for b in at.button if b.label == "撤销链接"][0]
    revoke.click().run()
    assert not at.exception
    assert "链接已撤销" in _texts(at)
    gone = app_test(None, "en")
    gone.query_params["snapshot"] = token
    gone.run()
    assert not gone.exception
    assert [e.value for e in gone.error] == ["This link is not valid (revoked, expired or unknown)."]
    assert not gone.dataframe

    # rebalance to all cash with a note: version 2
    at.session_state[f"rb_{pid}_1_base"] = [("CASH", 100.0)]
    at.session_state[f"rb_{pid}_1_gen"] = 0
    at.run()
    at.text_input(key=f"rb_{pid}_1_note").input("全部换成现金").run()
    at.button(key=f"rb_{pid}_1_save").click().run()
    assert not at.exception, at.exception
    assert "已保存第 2 版" in _texts(at)
    info = portfolio_crud.get_portfolio(store, row["owner_id"], pid)
    assert info.current.version == 2 and info.current.note == "全部换成现金"
    assert info.current_weights == {"CASH": 10_000}

    # confirm, then delete
    at.button(key=f"confirm_{pid}").click().run()
    assert "已确认" in _texts(at)
    at.checkbox(key=f"sure_{pid}").check().run()
    at.button(key=f"delete_{pid}").click().run()
    assert not at.exception
    assert "组合已删除" in _texts(at)
    assert portfolio_crud.my_portfolios(store, row["owner_id"]) == []


def test_follows_tab_lists_feed_of_followed_public_portfolio(fresh_db) -> None:  # type: ignore[no-untyped-def]
    at = _page("en")
    store = open_store(fresh_db)
    me = get_or_create_user(store, "local:owner", "x")
    with store.read() as conn:
        pid = conn.execute(select(schema.portfolios.c.id).where(schema.portfolios.c.visibility == "public")
                           .order_by(schema.portfolios.c.id)).scalars().first()
    follows.follow(store, me, pid)
    at.run()
    assert not at.exception
    assert at.button(key=f"unfollow_{pid}")
    assert "version" in _texts(at)
    at.button(key=f"unfollow_{pid}").click().run()
    assert not at.exception
    assert not follows.is_following(store, me, pid)


def test_with_oidc_configured_a_visitor_is_anonymous_and_sees_the_login_button(fresh_db) -> None:  # type: ignore[no-untyped-def]
    at = app_test(PAGE, "en", timeout=180)
    at.secrets["auth"] = {"redirect_uri": "http://localhost:8501/oauth2callback", "cookie_secret": "x" * 32,
                          "client_id": "id", "client_secret": "secret",
                          "server_metadata_url": "https://example.com/.well-known/openid-configuration"}
    at.run()
    assert not at.exception, at.exception
    assert any("Sign in to create" in i.value for i in at.info)
    assert [b.label for b in at.sidebar.button] == ["Log in"]
    assert not at.text_input, "an anonymous visitor gets no editing controls"
