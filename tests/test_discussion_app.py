"""The discussion drawn on the Sentiment page (the chosen fund's thread) and on the Portfolio
page (the open portfolio's thread), in zh and en: the local owner writes a tagged post through
the post box and sees it, with the demo discussion labelled as demo. Posts written here are
deleted at the end so the shared demo store is left as the other tests expect it."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

from conftest import app_test
from socialfund.services import discussion as ds
from socialfund.store import community
from socialfund.store.users import get_or_create_user
from socialfund.view.i18n import t


def _texts(at: AppTest) -> list[str]:
    return [str(x.value) for x in at.text]


def _captions(at: AppTest) -> str:
    return " ".join(str(c.value) for c in at.caption)


def test_sentiment_page_thread_post_box_and_demo_label(demo_store) -> None:  # type: ignore[no-untyped-def]
    at = app_test("pages/3_Sentiment.py", "en", timeout=180)
    at.run()
    assert not at.exception, at.exception
    assert t("disc.title", "en") in [s.value for s in at.subheader]
    code = at.selectbox(key="disc-fund").value if any(s.key == "disc-fund" for s in at.selectbox) \
        else at.multiselect[0].value[0]
    assert t("disc.demo", "en") in _captions(at)                 # the demo discussion is labelled
    at.text_area(key=f"disc-text-f-{code}").input("UI测试帖 $510500$ 看好")
    at.radio(key=f"disc-tag-f-{code}").set_value("bull")
    next(b for b in at.button if b.label == t("disc.submit", "en")).click()
    at.run()
    assert not at.exception, at.exception
    assert any(s.value == t("disc.posted", "en") for s in at.success)
    assert "UI测试帖 $510500$ 看好" in _texts(at)
    assert t("disc.tag_bull", "en") in _captions(at)
    owner = get_or_create_user(demo_store, "local:owner", "owner")
    mine = [p for p in ds.thread(demo_store, owner, fund=code) if p.text == "UI测试帖 $510500$ 看好"]
    assert len(mine) == 1 and mine[0].tag == "bull" and mine[0].cashtags == ("510500.SS",)
    ds.delete(demo_store, owner, mine[0].id)


def test_portfolio_page_draws_its_thread_in_chinese(demo_store) -> None:  # type: ignore[no-untyped-def]
    meta = community.portfolio_meta(demo_store)
    pid = int(meta.loc[(meta["visibility"] == "public") & meta["closed_on"].isna(), "portfolio_id"].iloc[0])
    owner = get_or_create_user(demo_store, "local:owner", "owner")
    post = ds.post(demo_store, owner, "组合页面测试帖", portfolio=pid, tag="bear",
                   rules=ds.with_rules(ds.load_rules(), per_minute=None))
    try:
        at = app_test("pages/2_Portfolio.py", "zh", timeout=180)
        at.session_state["portfolio_id"] = pid
        at.run()
        assert not at.exception, at.exception
        assert t("disc.title", "zh") in [s.value for s in at.subheader]
        assert "组合页面测试帖" in _texts(at)
        assert t("disc.tag_bear", "zh") in _captions(at)
        assert any(b.label == t("disc.delete", "zh") for b in at.button)   # the author may delete it
    finally:
        ds.delete(demo_store, owner, post.id)
