"""Discussion (issue 12 parts 1-2): who sees, writes, hides and deletes what across owner /
other / signed-out / token holder / editor, including a private portfolio's thread; rules
(length, tags, cashtags, replies one level deep), blocked words, rate limits with an injected
clock; and that held, hidden, deleted and portfolio-thread posts leave every aggregate."""

from __future__ import annotations

from datetime import datetime, timedelta

import pandas as pd
import pytest
from sqlalchemy import insert

from socialfund.core.errors import NotFoundError, PermissionDenied, ValidationError
from socialfund.services import discussion as ds
from socialfund.services import posts as posts_service
from socialfund.services.overview import community_size
from socialfund.services.portfolio_crud import create_portfolio
from socialfund.services.scores import scored_posts
from socialfund.services.snapshots import create_snapshot, open_snapshot
from socialfund.social import aggregate, threads
from socialfund.store import open_store, schema
from socialfund.store.community import community_fingerprint
from socialfund.store.users import get_or_create_user

T0 = datetime(2026, 3, 2, 2, 0)   # a Monday, 10:00 Shanghai (naive UTC)
RULES = ds.Rules(per_minute=None, per_day=None, blocked_words=threads.parse_word_list("加微信\n稳赚不赔\n"))


class World:
    def __init__(self, tmp_path):  # type: ignore[no-untyped-def]
        self.store = open_store(f"sqlite:///{tmp_path / 'd.db'}")
        with self.store.write() as conn:
            conn.execute(insert(schema.instruments), [
                {"code": c, "name_zh": n, "name_en": n, "kind": "etf", "market": "SSE", "currency": "CNY",
                 "yahoo": None, "category": "equity", "calendar": "XSHG"}
                for c, n in (("510300.SS", "沪深300ETF"), ("510500.SS", "中证500ETF"), ("159915.SZ", "创业板ETF"))])
        s = self.store
        self.owner = get_or_create_user(s, "local:owner", "owner")
        self.other = get_or_create_user(s, "local:other", "other")
        self.editor = get_or_create_user(s, "local:editor", "editor")
        ds.grant_editor(s, self.editor)
        weights = {"510300.SS": 60, "510500.SS": 40}
        self.private = create_portfolio(s, self.owner, "私有", weights, visibility="private", now=T0)
        self.public = create_portfolio(s, self.owner, "公开", weights, visibility="public", now=T0)
        self.unlisted = create_portfolio(s, self.owner, "不公开", weights, visibility="unlisted", now=T0)
        self.clock = T0

    def tick(self) -> datetime:
        self.clock += timedelta(minutes=1)
        return self.clock

    def post(self, actor, text="说两句", **kw):  # type: ignore[no-untyped-def]
        return ds.post(self.store, actor, text, rules=kw.pop("rules", RULES), now=self.tick(), **kw)


@pytest.fixture()
def w(tmp_path):  # type: ignore[no-untyped-def]
    return World(tmp_path)


def ids(posts: list[ds.PostView]) -> set[int]:
    return {p.id for p in posts} | {r.id for p in posts for r in p.replies}


# --------------------------------------------------------------------------- who sees, who writes

def test_fund_thread_is_public_and_writing_needs_sign_in(w: World) -> None:
    p = w.post(w.owner, "看好 $510500$", fund="510300", tag="bull")
    assert (p.fund, p.tag, p.cashtags, p.status) == ("510300.SS", "bull", ("510500.SS",), "visible")
    for viewer in (None, w.other, w.editor, w.owner):
        assert ids(ds.thread(w.store, viewer, fund="510300.SS", rules=RULES)) == {p.id}
    with pytest.raises(PermissionDenied):
        ds.post(w.store, None, "hi", fund="510300", rules=RULES)
    for act in (ds.like, ds.report, ds.hide, ds.delete):
        with pytest.raises(PermissionDenied):
            act(w.store, None, p.id, rules=RULES)


def test_private_portfolio_thread_is_the_owners_only(w: World) -> None:
    mine = w.post(w.owner, "只给自己看", portfolio=w.private)
    assert ids(ds.thread(w.store, w.owner, portfolio=w.private, rules=RULES)) == {mine.id}
    for outsider in (w.other, None, w.editor):   # editors moderate public threads; a private one is not theirs
        with pytest.raises(NotFoundError, match=f"portfolio {w.private} not found"):
            ds.thread(w.store, outsider, portfolio=w.private, rules=RULES)
        with pytest.raises(NotFoundError):
            ds.get_post(w.store, outsider, mine.id, rules=RULES)
        if outsider is not None:
            with pytest.raises(NotFoundError):
                ds.post(w.store, outsider, "x", portfolio=w.private, rules=RULES)
            with pytest.raises(NotFoundError):
                ds.reply(w.store, outsider, mine.id, "x", rules=RULES, now=w.tick())
            with pytest.raises(NotFoundError):
                ds.like(w.store, outsider, mine.id, rules=RULES)


def test_a_share_token_opens_the_snapshot_not_the_thread(w: World) -> None:
    mine = w.post(w.owner, "私聊", portfolio=w.private)
    created = create_snapshot(w.store, w.owner, w.private, None, visibility="unlisted")
    assert created.token and open_snapshot(w.store, created.token).portfolio_id == w.private
    # the token holder is anonymous everywhere but on the link
    with pytest.raises(NotFoundError):
        ds.thread(w.store, None, portfolio=w.private, rules=RULES)
    with pytest.raises(NotFoundError):
        ds.get_post(w.store, None, mine.id, rules=RULES)


def test_public_and_unlisted_threads_follow_the_portfolio(w: World) -> None:
    a = w.post(w.other, "公开组合不错", portfolio=w.public)
    b = w.post(w.other, "链接进来的", portfolio=w.unlisted)
    assert ids(ds.thread(w.store, None, portfolio=w.public, rules=RULES)) == {a.id}
    assert ids(ds.thread(w.store, None, portfolio=w.unlisted, rules=RULES)) == {b.id}
    # made private: the thread goes with it, for everyone but the owner
    from socialfund.services.portfolio_crud import set_visibility
    set_visibility(w.store, w.owner, w.public, "private")
    with pytest.raises(NotFoundError):
        ds.thread(w.store, w.other, portfolio=w.public, rules=RULES)
    assert ids(ds.thread(w.store, w.owner, portfolio=w.public, rules=RULES)) == {a.id}


def test_hide_owner_on_their_portfolio_editor_anywhere_others_never(w: World) -> None:
    on_portfolio = w.post(w.other, "广告", portfolio=w.public)
    on_fund = w.post(w.other, "广告", fund="510300")
    with pytest.raises(PermissionDenied):
        ds.hide(w.store, w.owner, on_fund.id, rules=RULES)        # the fund thread is not the owner's
    with pytest.raises(PermissionDenied):
        ds.hide(w.store, w.other, on_portfolio.id, rules=RULES)   # the author cannot hide (they delete)
    hidden = ds.hide(w.store, w.owner, on_portfolio.id, rules=RULES)
    assert hidden.status == "hidden" and hidden.can_unhide
    assert ds.hide(w.store, w.editor, on_fund.id, rules=RULES).status == "hidden"
    # hidden: gone for readers; seen (marked) by its author, the owner and editors
    assert ids(ds.thread(w.store, None, fund="510300", rules=RULES)) == set()
    assert ids(ds.thread(w.store, w.other, fund="510300", rules=RULES)) == {on_fund.id}
    assert ids(ds.thread(w.store, w.owner, portfolio=w.public, rules=RULES)) == {on_portfolio.id}
    assert ids(ds.thread(w.store, w.editor, fund="510300", rules=RULES)) == {on_fund.id}
    third = get_or_create_user(w.store, "local:third", "third")
    assert ids(ds.thread(w.store, third, portfolio=w.public, rules=RULES)) == set()
    assert ds.unhide(w.store, w.editor, on_fund.id, rules=RULES).status == "visible"
    assert ids(ds.thread(w.store, third, fund="510300", rules=RULES)) == {on_fund.id}


def test_delete_is_the_authors_alone(w: World) -> None:
    p = w.post(w.other, "我说错了", fund="510300")
    for not_author in (w.owner, w.editor):
        with pytest.raises(PermissionDenied, match="only its author"):
            ds.delete(w.store, not_author, p.id, rules=RULES)
    ds.delete(w.store, w.other, p.id, rules=RULES)
    for viewer in (w.other, w.editor, None):
        assert ids(ds.thread(w.store, viewer, fund="510300", rules=RULES)) == set()
        with pytest.raises(NotFoundError):
            ds.get_post(w.store, viewer, p.id, rules=RULES)


def test_editors_see_reports_others_do_not(w: World) -> None:
    p = w.post(w.owner, "有争议的观点", fund="510300")
    with pytest.raises(ValidationError, match="your own post"):
        ds.report(w.store, w.owner, p.id, "自己", rules=RULES)
    ds.report(w.store, w.other, p.id, "spam", rules=RULES)
    ds.report(w.store, w.other, p.id, "again", rules=RULES)        # once per user
    for nobody in (w.owner, w.other, None):
        with pytest.raises(PermissionDenied):
            ds.reports(w.store, nobody, rules=RULES)
    got = ds.reports(w.store, w.editor, rules=RULES)
    assert [(r.post_id, r.reason, r.reporter) for r in got] == [(p.id, "spam", "other")]
    assert ds.get_post(w.store, w.editor, p.id, rules=RULES).reports == 1
    assert ds.get_post(w.store, w.other, p.id, rules=RULES).reports == 0   # counts are for editors


def test_editor_by_configured_key(w: World) -> None:
    p = w.post(w.owner, "hi", fund="510300")
    with pytest.raises(PermissionDenied):
        ds.hide(w.store, w.other, p.id, rules=RULES)
    rules = ds.with_rules(RULES, editor_keys=("local:other",))
    assert ds.is_editor(w.store, w.other, rules)
    assert ds.hide(w.store, w.other, p.id, rules=rules).status == "hidden"
    assert ds.load_rules({"SOCIALFUND_EDITORS": " local:a , oidc:x|y "}).editor_keys == ("local:a", "oidc:x|y")


# --------------------------------------------------------------------------- rules of a post

def test_text_tag_and_cashtag_validation_store_nothing(w: World) -> None:
    before = posts_service.posts_fingerprint(w.store)
    bad = [dict(text="   "), dict(text="长" * (threads.MAX_POST_CHARS + 1)), dict(tag="up"),
           dict(text="看 $999999$"), dict(fund="999999"), dict(fund=None),
           dict(fund="510300", portfolio=w.public)]
    for case in bad:
        kw = {"text": "ok", "fund": "510300", **case}
        text = kw.pop("text")
        with pytest.raises(ValidationError):
            ds.post(w.store, w.owner, text, rules=RULES, now=w.tick(), **kw)
    assert posts_service.posts_fingerprint(w.store) == before
    ok = w.post(w.owner, "  " + "长" * threads.MAX_POST_CHARS + " ", fund="510300")
    assert len(ok.text) == threads.MAX_POST_CHARS


def test_replies_are_one_level_deep_and_join_the_parents_thread(w: World) -> None:
    top = w.post(w.owner, "顶楼", fund="510300")
    r = ds.reply(w.store, w.other, top.id, "二楼", rules=RULES, now=w.tick())
    assert (r.parent_id, r.fund, r.can_reply) == (top.id, "510300.SS", False)
    with pytest.raises(ValidationError, match="one level deep"):
        ds.reply(w.store, w.owner, r.id, "三楼", rules=RULES, now=w.tick())
    with pytest.raises(ValidationError, match="parent"):
        ds.post(w.store, w.owner, "x", fund="510300", parent=top.id, rules=RULES, now=w.tick())
    [shown] = ds.thread(w.store, None, fund="510300", rules=RULES)
    assert [x.id for x in shown.replies] == [r.id]
    ds.hide(w.store, w.editor, top.id, rules=RULES)
    with pytest.raises(NotFoundError):
        ds.reply(w.store, w.other, top.id, "x", rules=RULES, now=w.tick())


def test_likes_count_once_per_user(w: World) -> None:
    p = w.post(w.owner, "点赞", fund="510300")
    assert ds.like(w.store, w.other, p.id, rules=RULES) == 1
    assert ds.like(w.store, w.other, p.id, rules=RULES) == 1
    assert ds.like(w.store, w.editor, p.id, rules=RULES) == 2
    assert ds.get_post(w.store, w.other, p.id, rules=RULES).liked
    assert ds.like(w.store, w.other, p.id, on=False, rules=RULES) == 1


# --------------------------------------------------------------------------- blocked words, rate limits

def test_blocked_word_holds_the_post_until_an_editor_approves(w: World) -> None:
    p = w.post(w.other, "稳赚不赔！ＡＢ加微信", fund="510300")
    assert p.status == "held"
    assert ids(ds.thread(w.store, None, fund="510300", rules=RULES)) == set()
    assert ids(ds.thread(w.store, w.other, fund="510300", rules=RULES)) == {p.id}   # the author sees it, marked
    assert p.id not in set(posts_service.load_posts(w.store)["id"])
    with pytest.raises(PermissionDenied):
        ds.held(w.store, w.owner, rules=RULES)
    assert [h.id for h in ds.held(w.store, w.editor, rules=RULES)] == [p.id]
    with pytest.raises(NotFoundError):               # someone else's held post is not even there for them
        ds.approve(w.store, w.owner, p.id, rules=RULES)
    with pytest.raises(PermissionDenied):            # its author sees it but cannot publish it
        ds.approve(w.store, w.other, p.id, rules=RULES)
    assert ds.approve(w.store, w.editor, p.id, rules=RULES).status == "visible"
    assert p.id in set(posts_service.load_posts(w.store)["id"])


def test_blocked_words_match_full_width_and_case() -> None:
    words = threads.parse_word_list("# comment\nWeChat\n\n加群  # inline\n加群\n")
    assert words == ("wechat", "加群")
    assert threads.blocked_words_in("加我ＷＥＣＨＡＴ", words) == ["wechat"]
    assert threads.blocked_words_in("欢迎加群", words) == ["加群"]
    assert threads.blocked_words_in("群里加", words) == []


def test_blocked_word_file_and_config_override(tmp_path, w: World) -> None:  # type: ignore[no-untyped-def]
    assert "稳赚不赔" in ds.load_rules({}).blocked_words          # the shipped list
    path = tmp_path / "words.txt"
    path.write_text("内幕\n", encoding="utf-8")
    rules = ds.load_rules({"SOCIALFUND_BLOCKED_WORDS_FILE": str(path), "SOCIALFUND_POSTS_PER_MINUTE": "0"})
    assert rules.blocked_words == ("内幕",) and rules.per_minute is None
    assert w.post(w.owner, "有内幕", fund="510300", rules=rules).status == "held"
    assert w.post(w.owner, "稳赚不赔", fund="510300", rules=rules).status == "visible"
    from socialfund.core.errors import ConfigError
    with pytest.raises(ConfigError):
        ds.load_rules({"SOCIALFUND_BLOCKED_WORDS_FILE": str(tmp_path / "missing.txt")})
    with pytest.raises(ConfigError):
        ds.load_rules({"SOCIALFUND_POSTS_PER_DAY": "lots"})


def test_rate_limit_per_minute_and_per_day_with_an_injected_clock(w: World) -> None:
    rules = ds.with_rules(RULES, per_minute=3, per_day=5)
    t = T0

    def at(seconds: float, text: str = "刷屏"):  # type: ignore[no-untyped-def]
        return ds.post(w.store, w.other, f"{text}{seconds}", fund="510300", rules=rules, now=t + timedelta(seconds=seconds))

    for s in (0, 10, 20):
        at(s)
    with pytest.raises(ValidationError, match="per minute"):
        at(59.9)
    with pytest.raises(ValidationError, match="per minute"):   # replies count too
        ds.reply(w.store, w.other, ds.thread(w.store, None, fund="510300", rules=rules)[0].id, "r",
                 rules=rules, now=t + timedelta(seconds=30))
    at(60.5)                                          # the first one left the 60 s window
    first = ds.thread(w.store, None, fund="510300", rules=rules)[-1].id
    ds.delete(w.store, w.other, first, rules=rules)   # deleting frees no slot
    at(3600)
    with pytest.raises(ValidationError, match="per 24 hours"):
        at(7200)
    at(86400.5)                                       # the first left the 24 h window
    # another user is not limited by this one
    ds.post(w.store, w.owner, "我的", fund="510300", rules=rules, now=t + timedelta(seconds=59))


def test_rate_limit_maths() -> None:
    now = T0
    recent = [now - timedelta(seconds=s) for s in (1, 30, 59)]
    assert threads.rate_limit_problem(recent, now, 3, None) is not None
    assert threads.rate_limit_problem(recent, now, 4, None) is None
    assert threads.rate_limit_problem(recent, now + timedelta(seconds=2), 3, None) is None   # the 59 s one aged out
    assert threads.rate_limit_problem(recent, now, None, 3) is not None
    assert threads.rate_limit_problem([], now, 0 or None, None) is None


def test_cashtags_parse() -> None:
    assert threads.cashtags("买 $510300$ 和 ＄159915＄，再 $510300$") == ["510300", "159915"]
    assert threads.cashtags("$ 不是 $") == []
    assert threads.split_cashtags("看 $510300$ 吧") == [("看 ", False), ("510300", True), (" 吧", False)]
    assert threads.check_tag("BULL") == "bull" and threads.check_tag("") is None
    with pytest.raises(ValueError):
        threads.check_tag("long")


# --------------------------------------------------------------------------- aggregates

def test_only_visible_fund_posts_reach_any_aggregate(w: World) -> None:
    keep = w.post(w.owner, "基本面很好，长期看好", fund="510300", tag="bull")
    hide = w.post(w.other, "要跌了快跑", fund="510300", tag="bear")
    gone = w.post(w.other, "删掉的", fund="510300")
    held = w.post(w.other, "加微信", fund="510300")
    private = w.post(w.owner, "组合里的私话", portfolio=w.private)
    public_pf = w.post(w.owner, "公开组合的话", portfolio=w.public)
    fp0 = posts_service.posts_fingerprint(w.store)
    cf0 = community_fingerprint(w.store)
    ds.hide(w.store, w.editor, hide.id, rules=RULES)
    ds.delete(w.store, w.other, gone.id, rules=RULES)
    assert posts_service.posts_fingerprint(w.store) != fp0 and community_fingerprint(w.store) != cf0
    loaded = set(posts_service.load_posts(w.store)["id"])
    assert loaded == {keep.id}
    assert {private.id, public_pf.id, held.id, hide.id, gone.id}.isdisjoint(loaded)
    assert posts_service.post_sources(w.store) == {"discussion": 1}
    assert posts_service.posts_per_fund(w.store).to_dict() == {"510300.SS": 1}
    assert set(scored_posts(w.store, "none")["id"]) == {keep.id}
    assert community_size(w.store).posts == 1
    assert list(ds.tagged_posts(w.store)["post_id"]) == [keep.id]
    # the private text is nowhere in what the aggregates read
    assert not posts_service.load_posts(w.store)["text"].str.contains("私话").any()


def test_a_written_post_counts_from_the_first_session_closing_after_it(w: World) -> None:
    sessions = pd.DatetimeIndex(["2026-03-02", "2026-03-03", "2026-03-04"])
    # 10:00 Shanghai on a session day -> that day's close; 15:30 (after the close) -> the next
    morning = ds.post(w.store, w.owner, "早盘", fund="510300", rules=RULES, now=datetime(2026, 3, 2, 2, 0))
    evening = ds.post(w.store, w.owner, "收盘后", fund="510300", rules=RULES, now=datetime(2026, 3, 2, 7, 30))
    df = posts_service.load_posts(w.store).set_index("id")
    got = aggregate.assign_sessions(df["published_at"], sessions, "XSHG")
    assert got[morning.id] == pd.Timestamp("2026-03-02") and got[evening.id] == pd.Timestamp("2026-03-03")
    assert (got >= df["published_at"].dt.normalize()).all()   # never a session closed before it was written


def test_replies_to_my_posts_for_alerts(w: World) -> None:
    top = w.post(w.owner, "问个问题", fund="510300")
    own = ds.reply(w.store, w.owner, top.id, "自己补充", rules=RULES, now=w.tick())
    theirs = ds.reply(w.store, w.other, top.id, "回答", rules=RULES, now=w.tick())
    pf = w.post(w.owner, "组合里问", portfolio=w.public)
    on_pf = ds.reply(w.store, w.other, pf.id, "组合里答", rules=RULES, now=w.tick())
    got = ds.replies_to(w.store, w.owner)
    assert list(got["reply_id"]) == [theirs.id, on_pf.id] and own.id not in set(got["reply_id"])
    assert list(ds.replies_to(w.store, w.owner, after_id=theirs.id)["reply_id"]) == [on_pf.id]
    ds.hide(w.store, w.editor, theirs.id, rules=RULES)
    assert list(ds.replies_to(w.store, w.owner)["reply_id"]) == [on_pf.id]


def test_imports_cannot_take_the_discussion_sources() -> None:
    from socialfund.io.posts_file import check_source_name

    for name in ("discussion", "Discussion", "demo:discussion", "demo:x"):
        with pytest.raises(ValidationError, match="reserved"):
            check_source_name(name)
    assert check_source_name("import:雪球") == "import:雪球"
