"""The Inbox page in AppTest: events newest first with unread ones marked and a link to their
thread / fund, mark one read and mark all read; the rules form rejects a bad rule (one
error, nothing stored) and adds a good one; the webhook form; English too."""

from __future__ import annotations

from datetime import datetime, timedelta

import pandas as pd
import pytest

from conftest import app_test
from socialfund.services import alert_rules as ar
from socialfund.services import discussion as ds
from socialfund.store import open_store
from socialfund.store.demo import ensure_demo
from socialfund.store.users import get_or_create_user

PAGE = "pages/10_Inbox.py"
FUND = "510300.SS"
T0 = datetime(2026, 3, 2, 2, 0)
RULES = ds.Rules(per_minute=None, per_day=None)


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory, demo_store):  # type: ignore[no-untyped-def]
    """A demo-loaded database file, built once and copied for each test."""
    path = tmp_path_factory.mktemp("inbox") / "demo.db"
    store = open_store(f"sqlite:///{path}")
    ensure_demo(store)
    store.engine.dispose()
    return path


@pytest.fixture()
def world(tmp_path, monkeypatch, demo_db):  # type: ignore[no-untyped-def]
    """A database of this test only (demo loaded, as the app would), with two events for the
    local owner: a reply to their post and a sentiment shift on FUND."""
    import shutil

    import streamlit as st

    shutil.copy(demo_db, tmp_path / "inbox.db")
    url = f"sqlite:///{tmp_path}/inbox.db"
    monkeypatch.setenv("SOCIALFUND_DATABASE_URL", url)
    st.cache_resource.clear()
    store = open_store(url)
    me = get_or_create_user(store, "local:owner", "owner")
    other = get_or_create_user(store, "local:bob", "Bob")
    ar.add_rule(store, me, "reply", now=T0)
    ar.add_rule(store, me, "sentiment_shift", fund=FUND, now=T0)
    mine = ds.post(store, me, "看好", fund=FUND, tag="bull", rules=RULES, now=T0 + timedelta(minutes=1))
    ds.reply(store, other, mine.id, "同意", rules=RULES, now=T0 + timedelta(minutes=2))
    session = pd.Timestamp("2026-03-02")
    data = ar.MarketData(session=session, closes=pd.DataFrame({FUND: [1.0]}, index=[session]),
                         sentiment_z=pd.Series({FUND: -2.5}))
    ar.run_alerts(store, data=data, now=T0 + timedelta(minutes=3))
    yield store, me
    st.cache_resource.clear()


def _errors(at) -> list[str]:  # type: ignore[no-untyped-def]
    return [e.value for e in at.error] + [str(e.value) for e in at.exception]


def _markdown(at) -> str:  # type: ignore[no-untyped-def]
    """The page's markdown without the escapes ``chrome.plain`` puts before markdown characters."""
    return "\n".join(m.value for m in at.markdown).replace("\\", "")


def test_inbox_lists_marks_read_and_links(world) -> None:  # type: ignore[no-untyped-def]
    store, me = world
    at = app_test(PAGE, timeout=180).run()
    assert not _errors(at), _errors(at)
    assert at.title[0].value == "🔔 消息与提醒"
    text = _markdown(at)
    assert "2 条未读" in text
    assert text.count("🔵") == 2
    # newest first: the sentiment shift (raised second) above the reply
    assert text.index("舆情突变") < text.index("回复了你的帖子")
    assert "z = -2.50" in text and "Bob 回复了你的帖子" in text
    links = [p.proto.label for p in at.get("page_link")]
    assert any(f"去 {FUND} 的讨论" in label for label in links) and "打开基金舆情" in links
    assert any("过往业绩不预示未来表现" in c.value for c in at.caption)   # the risk notice

    next(b for b in at.button if b.label == "标为已读").click()
    at.run()
    assert not _errors(at)
    assert "1 条未读" in _markdown(at) and _markdown(at).count("🔵") == 1 and ar.unread_count(store, me) == 1
    next(b for b in at.button if b.label == "全部标为已读").click()
    at.run()
    assert "全部已读" in _markdown(at) and "🔵" not in _markdown(at) and ar.unread_count(store, me) == 0


def test_rules_form_rejects_bad_input_and_adds_a_rule(world) -> None:  # type: ignore[no-untyped-def]
    store, me = world
    at = app_test(PAGE, timeout=180).run()
    before = [r.id for r in ar.rules(store, me)]
    at.selectbox(key="inbox-rule-kind").set_value("drawdown")
    at.text_input(key="inbox-rule-fund").input("999999")
    next(b for b in at.button if b.label == "添加规则").click()
    at.run()
    assert any("999999" in e.value for e in at.error), _errors(at)
    assert [r.id for r in ar.rules(store, me)] == before

    at.selectbox(key="inbox-rule-kind").set_value("drawdown")
    at.text_input(key="inbox-rule-fund").input(FUND)
    at.text_input(key="inbox-rule-threshold").input("15")
    next(b for b in at.button if b.label == "添加规则").click()
    at.run()
    assert not _errors(at), _errors(at)
    assert any("已添加规则" in s.value for s in at.success)
    added = ar.rules(store, me)[-1]
    assert (added.rule, added.fund_code, added.threshold) == ("drawdown", FUND, 15.0)
    assert f"回撤超过 X% · {FUND}，阈值 15" in _markdown(at)

    at.text_input(key="inbox-webhook-url").input("not a url")
    next(b for b in at.button if b.label == "保存 Webhook").click()
    at.run()
    assert any("webhook URL" in e.value for e in at.error) and ar.webhook(store, me) is None
    at.text_input(key="inbox-webhook-url").input("http://127.0.0.1:9/hook")
    next(b for b in at.button if b.label == "保存 Webhook").click()
    at.run()
    assert ar.webhook(store, me) == "http://127.0.0.1:9/hook"


def test_inbox_in_english(world) -> None:  # type: ignore[no-untyped-def]
    at = app_test(PAGE, lang="en", timeout=180).run()
    assert not _errors(at), _errors(at)
    assert at.title[0].value == "🔔 Inbox and alerts"
    assert "2 unread" in _markdown(at) and "Mark all read" in [b.label for b in at.button]
    assert "Bob replied to your post" in _markdown(at)
