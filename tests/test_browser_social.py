"""Real browser, two users in two browser contexts (issue 12, "Done when"): alice sets a reply
alert in her inbox and writes a 看多-tagged post on 510300's thread; bob (another user, and an
editor) sees it, replies and reports it; after ``alerts run`` (the library) alice's menu says
'消息 (1)' and her inbox shows bob's reply; bob hides the post as editor and it leaves every
aggregate (the posts the sentiment meter and the aggregates read).

Two ``streamlit run`` processes share one database of this test only, each serving its own
local user (``SOCIALFUND_LOCAL_USER``, app.session.local_user); bob is an editor through
``SOCIALFUND_EDITORS``. Every wait is an ``expect(...)`` on what the page shows."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from conftest import running_streamlit, screenshot, wait_for_app
from socialfund.core.sources import DISCUSSION_SOURCE
from socialfund.services import alert_rules, discussion
from socialfund.services.scores import scored_posts
from socialfund.store import open_store
from socialfund.store.demo import ensure_demo
from socialfund.store.users import get_or_create_user

FUND = "510300.SS"
TEXT = "浏览器测试：沪深300估值合理，看多到年底"
REPLY = "同意楼主，我也在定投"
SLOW = 180_000     # a cold Sentiment page scores the store's posts first


@pytest.fixture(scope="module")
def two_apps(tmp_path_factory, demo_store):  # type: ignore[no-untyped-def]
    db = tmp_path_factory.mktemp("browser-social") / "app.db"
    url = f"sqlite:///{db}"
    store = open_store(url)
    ensure_demo(store)
    common = {"SOCIALFUND_DATABASE_URL": url, "SOCIALFUND_EDITORS": "local:bob"}
    with running_streamlit({**common, "SOCIALFUND_LOCAL_USER": "alice"}) as alice_url, \
            running_streamlit({**common, "SOCIALFUND_LOCAL_USER": "bob"}) as bob_url:
        yield store, alice_url, bob_url


def _page(browser):  # type: ignore[no-untyped-def]
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, locale="zh-CN")
    page = context.new_page()
    page.set_default_timeout(60_000)
    return context, page


def _post_block(page):  # type: ignore[no-untyped-def]
    """The innermost block holding the test post: its text, its buttons (popovers' buttons)."""
    return page.locator('[data-testid="stVerticalBlock"]').filter(has_text=TEXT).last


def _open_thread(page, url: str) -> None:  # type: ignore[no-untyped-def]
    page.goto(url + "/Sentiment")
    expect(page.get_by_text("💬 讨论").first).to_be_visible(timeout=SLOW)
    wait_for_app(page)


def test_two_users_post_reply_report_alert_and_editor_hide(browser, two_apps) -> None:  # type: ignore[no-untyped-def]
    store, alice_url, bob_url = two_apps
    alice_ctx, alice = _page(browser)
    bob_ctx, bob = _page(browser)
    try:
        # alice: a reply alert, set in her inbox
        alice.goto(alice_url + "/Inbox")
        expect(alice.get_by_text("还没有消息。")).to_be_visible(timeout=SLOW)
        wait_for_app(alice)
        alice.get_by_role("tab", name="提醒规则").click()
        alice.get_by_role("combobox", name="规则").click()
        alice.get_by_role("option", name="有人回复我的帖子").click()
        alice.get_by_role("button", name="添加规则").click()
        expect(alice.get_by_text("已添加规则")).to_be_visible()
        wait_for_app(alice)
        alice_id = get_or_create_user(store, "local:alice", "alice")
        bob_id = get_or_create_user(store, "local:bob", "bob")
        assert [r.rule for r in alert_rules.rules(store, alice_id)] == ["reply"]

        # alice writes a bullish post on 510300's thread
        _open_thread(alice, alice_url)
        alice.get_by_label("说点什么").fill(TEXT)
        alice.locator('[data-testid="stRadio"]').filter(has_text="我的观点").first.get_by_text(
            "看多", exact=True).click()
        alice.get_by_role("button", name="发布").click()
        expect(alice.get_by_text("已发布。")).to_be_visible()
        expect(_post_block(alice).get_by_text(TEXT)).to_be_visible()
        [mine] = [p for p in discussion.thread(store, alice_id, fund=FUND) if p.text == TEXT]
        assert (mine.author_id, mine.tag, mine.status) == (alice_id, "bull", "visible")
        assert mine.id in set(discussion.tagged_posts(store, [FUND])["post_id"])
        assert TEXT in set(scored_posts(store, "any", [FUND], [DISCUSSION_SOURCE])["text"])

        # bob, in his own browser context, sees it, replies and reports it
        _open_thread(bob, bob_url)
        block = _post_block(bob)
        expect(block.get_by_text(TEXT)).to_be_visible()
        expect(block.get_by_text("看多").first).to_be_visible()
        block.get_by_role("button", name="回复").click()
        bob.get_by_label("回复内容").fill(REPLY)
        bob.get_by_role("button", name="发送回复").click()
        expect(_post_block(bob).get_by_text(REPLY)).to_be_visible()
        wait_for_app(bob)
        # reopen the page: on the rerun after a new post the Sentiment page's fund picker drops
        # 510300 (its option label carries the post count, which just changed; see the report)
        _open_thread(bob, bob_url)
        _post_block(bob).get_by_role("button", name="举报").click()
        bob.get_by_role("button", name="提交举报").click()
        expect(bob.get_by_text("已提交举报，编辑会处理。")).to_be_visible()
        assert [r.post_id for r in discussion.reports(store, bob_id, rules=discussion.load_rules(
            {"SOCIALFUND_EDITORS": "local:bob"}))] == [mine.id]

        # alerts run (the library, as `python -m socialfund alerts run` does): alice's reply alert
        raised = alert_rules.run_alerts(store)
        assert [(e.rule, e.detail["parent_id"]) for e in raised] == [("reply", mine.id)]
        assert alert_rules.run_alerts(store) == []                      # raised once
        alice.goto(alice_url + "/Inbox")
        expect(alice.get_by_role("link", name="消息 (1)")).to_be_visible(timeout=SLOW)   # the sidebar
        expect(alice.get_by_text("bob 回复了你的帖子")).to_be_visible()
        expect(alice.get_by_text("1 条未读")).to_be_visible()
        wait_for_app(alice)
        screenshot(alice, "inbox-reply-alert")
        alice.get_by_role("button", name="标为已读", exact=True).click()
        expect(alice.get_by_text("全部已读")).to_be_visible()
        expect(alice.get_by_role("link", name="消息", exact=True)).to_be_visible()
        assert alert_rules.unread_count(store, alice_id) == 0

        # bob, an editor, hides the post: it leaves the thread's readers and every aggregate
        _open_thread(bob, bob_url)
        _post_block(bob).get_by_role("button", name="隐藏").first.click()        # the post's own (its reply's is below)
        expect(_post_block(bob).get_by_text("已隐藏").first).to_be_visible()
        assert mine.id not in set(discussion.tagged_posts(store, [FUND])["post_id"])
        assert TEXT not in set(scored_posts(store, "any", [FUND], [DISCUSSION_SOURCE])["text"])
        assert TEXT not in {p.text for p in discussion.thread(store, None, fund=FUND)}
    finally:
        alice_ctx.close()
        bob_ctx.close()
