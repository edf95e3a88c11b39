"""Wishes and guesses (socialfund.services.wishes): the permission matrix (owner / friend with
the link / revoked link / expired link / other user / signed out), validation that stores
nothing, deposits by hand and CSV, simulated tips, closing, and the CLI."""

from __future__ import annotations

import datetime as dt
import json
import shutil
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select

from socialfund.cli import main as cli_main
from socialfund.core.errors import NotFoundError, PermissionDenied, ValidationError
from socialfund.core.money_fund import DEMO_MMF_CODE
from socialfund.market.providers import DemoProvider
from socialfund.services import wishes
from socialfund.store import open_store, schema
from socialfund.store.users import get_or_create_user

TODAY = dt.date(2026, 11, 20)          # the demo's last price day: the projection sees all of it
NOW = datetime(2026, 11, 20, 4, 0)     # naive UTC
LATER = NOW + timedelta(days=40)


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("wishes") / "template.db"
    store = open_store(f"sqlite:///{path}")
    store.create_schema()
    get_or_create_user(store, "local:owner", "Owner")
    get_or_create_user(store, "local:friend", "Friend")
    return path


@pytest.fixture()
def store(template: Path, tmp_path: Path):  # type: ignore[no-untyped-def]
    path = tmp_path / "wishes.db"
    shutil.copy(template, path)
    return open_store(f"sqlite:///{path}")


def _ids(store) -> tuple[int, int]:  # type: ignore[no-untyped-def]
    return get_or_create_user(store, "local:owner", "Owner"), get_or_create_user(store, "local:friend", "Friend")


def _wish(store, owner: int, **kw):  # type: ignore[no-untyped-def]
    args = dict(title="新手机", emoji="📱", target="3000", by="2027-06-30", initial="100", every="week",
                amount="100", fund=DEMO_MMF_CODE, visibility="private", today=TODAY, now=NOW)
    args.update(kw)
    return wishes.create_wish(store, owner, **args)


def _count(store, table) -> int:  # type: ignore[no-untyped-def]
    with store.read() as conn:
        return int(conn.execute(select(func.count()).select_from(table)).scalar_one())


def test_create_records_the_initial_deposit_and_is_demo(store) -> None:  # type: ignore[no-untyped-def]
    owner, _ = _ids(store)
    w = _wish(store, owner)
    assert (w.target_fen, w.initial_fen, w.amount_fen, w.saved_fen) == (300_000, 10_000, 10_000, 10_000)
    assert w.is_demo and w.is_owner and len(w.decoys) == 3 and w.title not in [t for t, _ in w.decoys]
    assert [d.amount_fen for d in w.deposits] == [10_000]


@pytest.mark.parametrize("change, message", [
    ({"target": "3000.001"}, "more than two decimals"), ({"target": "-5"}, "negative"),
    ({"amount": "1e12"}, "too large"), ({"by": "2026-11-01"}, "must be after today"),
    ({"every": "year"}, "frequency"), ({"fund": "999999"}, "unknown fund code"), ({"title": "  "}, "empty"),
    ({"title": "x" * 65}, "longer than 64"), ({"by": "2040-01-01"}, "10 years"),
    ({"initial": "0", "amount": "0"}, "saves nothing"),
])
def test_bad_input_is_refused_and_nothing_is_stored(store, change, message) -> None:  # type: ignore[no-untyped-def]
    owner, _ = _ids(store)
    with pytest.raises(ValidationError, match=message):
        _wish(store, owner, **change)
    assert _count(store, schema.wishes) == 0 and _count(store, schema.wish_deposits) == 0


def test_view_and_change_permissions(store) -> None:  # type: ignore[no-untyped-def]
    owner, friend = _ids(store)
    private = _wish(store, owner, visibility="private")
    public = _wish(store, owner, visibility="public", title="旅行")
    # signed out: cannot create; cannot see a private wish; sees a public wish's public view only
    with pytest.raises(PermissionDenied, match="sign in"):
        _wish(store, None)
    for actor in (None, friend):
        with pytest.raises(NotFoundError, match=f"wish {private.id} not found"):
            wishes.get_wish(store, actor, private.id)
        seen = wishes.get_wish(store, actor, public.id)
        assert not seen.is_owner and seen.deposits == () and seen.guesses == () and seen.decoys == ()
        assert seen.saved_fen == 10_000
        # changes: the owner only (PermissionDenied when visible, NotFoundError when not)
        with pytest.raises(PermissionDenied):
            wishes.add_deposit(store, actor, public.id, "5", today=TODAY)
        with pytest.raises(NotFoundError):
            wishes.add_deposit(store, actor, private.id, "5", today=TODAY)
        with pytest.raises((PermissionDenied, NotFoundError)):
            wishes.create_guess_link(store, actor, private.id)
        with pytest.raises(PermissionDenied):
            wishes.close_wish(store, actor, public.id)
    assert wishes.get_wish(store, owner, private.id).is_owner
    assert [w.id for w in wishes.my_wishes(store, owner)] == [public.id, private.id]
    assert wishes.my_wishes(store, friend) == [] and wishes.my_wishes(store, None) == []


def test_guess_link_friend_revoked_expired_and_tips(store) -> None:  # type: ignore[no-untyped-def]
    owner, friend = _ids(store)
    w = _wish(store, owner, decoys=[("一次旅行", "✈️"), ("新电脑", "💻"), ("演唱会门票", "🎤")])
    link, token = wishes.create_guess_link(store, owner, w.id, now=NOW)
    short, short_token = wishes.create_guess_link(store, owner, w.id, expires_at=NOW + timedelta(days=1), now=NOW)
    with store.read() as conn:   # only the hash is stored
        stored = conn.execute(select(schema.wish_links.c.token_hash)).scalars().all()
    assert token not in stored and wishes.hash_token(token) in stored

    page = wishes.open_guess(store, token, now=NOW)     # a friend with the link, signed out
    titles = [t for t, _ in page.candidates]
    assert sorted(titles) == sorted(["新手机", "一次旅行", "新电脑", "演唱会门票"]) and page.saved_fen == 10_000
    wrong = next(i for i, t in enumerate(titles) if t != "新手机")
    result = wishes.submit_guess(store, None, token, wrong, now=NOW)
    assert not result.correct and result.title == "新手机" and result.receipt
    tipped = wishes.tip_guess(store, token, result.receipt, name="小红\u202e\n", message="加油！" * 3, tip="5.20", now=NOW)
    assert tipped.tip_fen == 520 and tipped.saved_fen == 10_520
    with pytest.raises(ValidationError, match="already has a simulated tip"):
        wishes.tip_guess(store, token, result.receipt, tip="13.14", now=NOW)
    with pytest.raises(NotFoundError, match="not yours"):
        wishes.tip_guess(store, token, "x" * 32, tip="13.14", now=NOW)
    right = wishes.submit_guess(store, friend, token, titles.index("新手机"), tip="13.14", now=NOW)
    assert right.correct and right.saved_fen == 10_520 + 1314
    with pytest.raises(ValidationError, match="tip is too large"):
        wishes.submit_guess(store, None, token, 0, tip="200.01", now=NOW)
    with pytest.raises(ValidationError, match="longer than 32"):
        wishes.submit_guess(store, None, token, 0, name="名" * 33, now=NOW)
    with pytest.raises(ValidationError, match="pick one of the 4"):
        wishes.submit_guess(store, None, token, 4, now=NOW)

    # the owner sees who guessed right and the tips; names are cleaned (no bidi/control characters)
    mine = wishes.get_wish(store, owner, w.id)
    assert [(g.correct, g.tip_fen) for g in mine.guesses] == [(False, 520), (True, 1314)]
    assert mine.guesses[0].name == "小红" and mine.tips_fen == 1834 and mine.guess_rate() == 0.5
    # a friend never sees others' guesses: the wish itself stays private (the link shows candidates only)
    with pytest.raises(NotFoundError):
        wishes.get_wish(store, friend, w.id)

    # expired and revoked links: one answer, as an unknown token's
    with pytest.raises(NotFoundError, match="not valid"):
        wishes.open_guess(store, short_token, now=NOW + timedelta(days=2))
    assert wishes.open_guess(store, short_token, now=NOW).wish_id == w.id
    with pytest.raises(NotFoundError, match="link"):     # a private wish: its links are invisible to others
        wishes.revoke_guess_link(store, friend, link.id)
    wishes.revoke_guess_link(store, owner, link.id)
    for bad in (token, "nonsense-token-that-is-long-enough", ""):
        with pytest.raises(NotFoundError, match="not valid"):
            wishes.open_guess(store, bad, now=NOW)
        with pytest.raises(NotFoundError, match="not valid"):
            wishes.submit_guess(store, None, bad, 0, now=NOW)
    assert [i.status(NOW) for i in wishes.list_guess_links(store, owner, w.id)] == ["active", "revoked"]
    assert short.id != link.id


def test_a_link_takes_a_bounded_number_of_guesses(store, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    owner, _ = _ids(store)
    w = _wish(store, owner)
    _link, token = wishes.create_guess_link(store, owner, w.id, now=NOW)
    monkeypatch.setattr(wishes, "MAX_GUESSES_PER_LINK", 2)
    wishes.submit_guess(store, None, token, 0, now=NOW)
    wishes.submit_guess(store, None, token, 1, tip="52", now=NOW)
    with pytest.raises(ValidationError, match="taken its 2 guesses"):
        wishes.submit_guess(store, None, token, 2, tip="52", now=NOW)
    assert wishes.get_wish(store, owner, w.id).tips_fen == 5_200


def test_deposits_csv_reached_and_close_keeps_history(store) -> None:  # type: ignore[no-untyped-def]
    owner, _ = _ids(store)
    w = _wish(store, owner, target="300")
    bad = "date,amount\n2026-11-20,100\n2026-11-20,1.001\n".encode()
    with pytest.raises(ValidationError, match=r"line 3, column amount: amount has more than two decimals"):
        wishes.import_deposits(store, owner, w.id, bad, "d.csv", today=TODAY)
    with pytest.raises(ValidationError, match="line 2, column date: the date 2026-12-01 is in the future"):
        wishes.import_deposits(store, owner, w.id, b"date,amount\n2026-12-01,1\n", "d.csv", today=TODAY)
    assert _count(store, schema.wish_deposits) == 1          # nothing from the bad files
    got = wishes.import_deposits(store, owner, w.id, "date,amount\n2026-11-20,50.50\n2026/11/20,49.50\n".encode("gbk"),
                                 "d.csv", today=TODAY, now=NOW)
    assert got.saved_fen == 10_000 + 5_050 + 4_950 and got.reached_at is None
    done = wishes.add_deposit(store, owner, w.id, "100", today=TODAY, now=NOW)
    assert done.reached and done.reached_at == NOW and done.progress == 1.0
    closed = wishes.close_wish(store, owner, w.id, now=LATER)
    assert closed.closed_at == LATER and len(closed.deposits) == 4      # history kept
    with pytest.raises(ValidationError, match="closed"):
        wishes.add_deposit(store, owner, w.id, "1", today=TODAY)
    assert wishes.round_up_fen(1230) == 70 and wishes.round_up_fen(1300) == 0
    with pytest.raises(ValidationError, match="closed"):
        wishes.add_round_up(store, owner, w.id, "12.30", today=TODAY)


def test_round_up_saving(store) -> None:  # type: ignore[no-untyped-def]
    owner, _ = _ids(store)
    w = _wish(store, owner)
    after = wishes.add_round_up(store, owner, w.id, "12.30", today=TODAY, now=NOW)
    assert after.saved_fen == 10_000 + 70 and after.deposits[-1].note == "round-up"
    with pytest.raises(ValidationError, match="nothing to round up"):
        wishes.add_round_up(store, owner, w.id, "13", today=TODAY)


def test_project_wish_on_the_demo_money_fund_without_look_ahead(store) -> None:  # type: ignore[no-untyped-def]
    owner, friend = _ids(store)
    w = _wish(store, owner)
    prices = wishes.vehicle_prices(DemoProvider(), wishes.vehicle_codes(store, owner, w))
    p = wishes.project_wish(store, owner, w.id, prices, today=TODAY)
    # 100 + 31 weekly 100s by 2027-06-30 = 3,200 yuan principal: reached by the target date
    assert p.probability == 1.0 and p.median_date is not None and p.median_date <= dt.date(2027, 6, 30)
    assert 320_000 < p.p10 <= p.p50 <= p.p90 < 330_000 and p.extra_per_period_fen == 0
    early = wishes.project_wish(store, owner, w.id, prices, today=dt.date(2025, 1, 2))
    assert early.history_days < p.history_days               # only the returns up to "today"
    with pytest.raises(PermissionDenied):
        wishes.project_wish(store, friend, _wish(store, owner, visibility="public").id, prices, today=TODAY)


def test_cli_create_project_deposit_share(tmp_path: Path, monkeypatch, capsys) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("SOCIALFUND_DATABASE_URL", f"sqlite:///{tmp_path / 'cli.db'}")
    monkeypatch.setenv("SOCIALFUND_DEMO", "0")
    monkeypatch.setenv("SOCIALFUND_MARKET_PROVIDER", "demo")
    by = (wishes.today_cn() + timedelta(days=200)).isoformat()
    assert cli_main(["wish", "create", "--title", "旅行", "--target", "3000", "--by", by, "--initial", "100",
                     "--every", "week", "--amount", "100", "--fund", DEMO_MMF_CODE, "--json"]) == 0
    wish_id = json.loads(capsys.readouterr().out)["wish_id"]
    assert cli_main(["wish", "project", str(wish_id), "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert set(out) >= {"probability", "median_date", "p10", "p50", "p90", "extra_per_period_for_80pct"}
    assert 0.0 <= out["probability"] <= 1.0 and "not a promise" in out["notice"]
    assert cli_main(["wish", "deposit", str(wish_id), "--amount", "5.20", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["saved"] == "105.20"
    assert cli_main(["wish", "deposit", str(wish_id), "--amount", "5.201"]) == 2
    assert "more than two decimals" in capsys.readouterr().err
    assert cli_main(["wish", "share", str(wish_id), "--base-url", "http://x"]) == 0
    assert capsys.readouterr().out.startswith("http://x/?wish=")
    assert cli_main(["wish", "deposit", str(wish_id), "--amount", "1", "--owner", "local:someone"]) == 2
    assert f"wish {wish_id} not found" in capsys.readouterr().err      # private: not even its existence


def test_a_wish_funded_by_ones_portfolio_projects_on_its_nav(tmp_path: Path) -> None:
    from socialfund.io.history_file import Rebalance
    from socialfund.market.sessions import session_prices
    from socialfund.services import portfolio_crud
    from socialfund.store.demo import ensure_demo

    store = open_store(f"sqlite:///{tmp_path / 'pf.db'}")
    ensure_demo(store)
    owner = get_or_create_user(store, "local:owner", "Owner")
    other = get_or_create_user(store, "local:other", "Other")
    pid = portfolio_crud.import_history(store, owner, "稳健", [
        Rebalance(dt.date(2024, 1, 2), {"511010.SS": 7_000, "510300.SS": 3_000}, 2)], now=NOW)
    w = wishes.create_wish(store, owner, title="旅行", target="20000", by="2028-01-31", initial="1000", every="month",
                           amount="500", portfolio_id=pid, today=TODAY, now=NOW)
    assert w.vehicle_kind == "portfolio" and w.vehicle_ref == str(pid)
    codes = wishes.vehicle_codes(store, owner, w)
    assert set(codes) == {"511010.SS", "510300.SS"}
    p = wishes.project_wish(store, owner, w.id, session_prices(DemoProvider(), codes), today=TODAY)
    assert p.history_days > 600 and 0.0 <= p.probability <= 1.0 and p.p10 < p.p90     # a risky vehicle: a spread
    with pytest.raises(NotFoundError, match=f"portfolio {pid} not found"):   # someone else's private portfolio
        wishes.create_wish(store, other, title="旅行", target="20000", by="2028-01-31", initial="1000", every="month",
                           amount="500", portfolio_id=pid, today=TODAY, now=NOW)
