"""The Sentiment page draws the bull/bear meter of the chosen funds (issue 12 part 3): the
self-tag bull share the library computes, the model's share beside it, the window stated,
the demo discussion labelled as demo; and the ☆ 关注 button follows the fund. The fund
followed here is unfollowed at the end so the shared demo store is left as it was."""

from __future__ import annotations

from datetime import datetime, time

from conftest import app_test
from socialfund.services import discussion as ds
from socialfund.services import meter, watchlist
from socialfund.social import meter as maths
from socialfund.store.users import get_or_create_user
from socialfund.view.i18n import t


def test_sentiment_page_draws_the_meter_and_follows_a_fund(demo_store, provider) -> None:  # type: ignore[no-untyped-def]
    at = app_test("pages/3_Sentiment.py", "en", timeout=180)
    at.run()
    assert not at.exception, at.exception
    assert t("meter.title", "en") in [s.value for s in at.subheader]
    codes = list(at.multiselect(key="sent_funds").value)
    assert codes
    closes = provider.closes(codes).closes
    expected = meter.fund_meters(demo_store, None, codes, closes, provider.universe()).set_index("code")
    bull = [m for m in at.metric if m.label == t("meter.bull_share", "en")]
    model = [m for m in at.metric if m.label == t("meter.model_share", "en")]
    assert len(bull) == len(codes) == len(model)
    assert [m.value for m in bull] == [maths.share_text(expected.loc[c, "bull_share"]) for c in codes]
    assert expected["n_tagged"].sum() > 0                         # the demo discussion has self-tags
    captions = " ".join(str(c.value) for c in at.caption)
    assert "Self-tag / model agreement" in captions
    last = expected["last_session"].max().date()
    assert f"– {last}" in captions                               # the window is stated
    assert "includes demo data" in captions                      # demo posts are labelled
    owner = get_or_create_user(demo_store, "local:owner", "owner")
    code = codes[0]
    assert code not in watchlist.codes(demo_store, owner)
    try:
        at.button(key=f"meter-follow-{code}").click()
        at.run()
        assert not at.exception, at.exception
        assert code in watchlist.codes(demo_store, owner)
        assert at.button(key=f"meter-follow-{code}").label == t("follow.remove", "en")
    finally:
        watchlist.remove(demo_store, owner, code)


def _bull_counts(at) -> list[str]:  # type: ignore[no-untyped-def]
    return [str(c.value) for c in at.caption if str(c.value).startswith("bullish ")]


def test_a_hidden_post_leaves_the_meter_on_the_page(demo_store, provider) -> None:  # type: ignore[no-untyped-def]
    """A tagged post written inside the window (before the demo's last close, by the library
    with its clock) shows in the meter; once an editor hides it, it is gone from it."""
    at = app_test("pages/3_Sentiment.py", "en", timeout=180)
    at.run()
    code = list(at.multiselect(key="sent_funds").value)[0]
    closes = provider.closes([code]).closes
    last = closes[code].dropna().index[-1]
    before = meter.fund_meters(demo_store, None, [code], closes).iloc[0]
    author = get_or_create_user(demo_store, "local:meter-author", "meter author")
    editor = get_or_create_user(demo_store, "local:meter-editor", "meter editor")
    ds.grant_editor(demo_store, editor)
    when = datetime.combine(last.date(), time(1, 30))              # 09:30 Shanghai on the last session
    post = ds.post(demo_store, author, "温度计测试：看多", fund=code, tag="bull", now=when,
                   rules=ds.with_rules(ds.load_rules(), per_minute=None))
    try:
        at.run()
        assert not at.exception, at.exception
        shown = _bull_counts(at)[0]
        assert shown.startswith(f"bullish {int(before['n_bull']) + 1} · bearish {int(before['n_bear'])}"), shown
        ds.hide(demo_store, editor, post.id)
        at.run()
        assert not at.exception, at.exception
        assert _bull_counts(at)[0].startswith(f"bullish {int(before['n_bull'])} · "), _bull_counts(at)
    finally:
        ds.delete(demo_store, author, post.id)
        ds.revoke_editor(demo_store, editor)
