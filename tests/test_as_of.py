"""As-of means as-of everywhere (issue 18.3): whatever is dated after a day D — a deletion, a
close, a visibility change, a rebalance, a confirmation, an unfollow, new posts, new prices —
leaves everything computed as of D unchanged: the leaderboard (ranks, every figure, the
screen summary, follower counts), every fund-idea feature and score at decision sessions up
to D, and the state of a paper copy at D.

The property test runs on a small world (six funds of the demo universe, a handful of
users' portfolios built through the services, synthetic posts) so that each example is
quick; the done-when check runs on the full demo community through the services the CLI
uses (``leaderboard --as-of``, ``ideas --as-of``).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import shutil
import sqlite3
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import update

from socialfund.cli.common import json_scalar
from socialfund.copying import CopyParams
from socialfund.core.errors import NotFoundError, PermissionDenied, ValidationError
from socialfund.core.hashing import post_content_hash
from socialfund.core.timeutil import to_utc_naive
from socialfund.ideas.features import FEATURES, build_features
from socialfund.ideas.ranking import ranked_list
from socialfund.ideas.scoring import run_scores
from socialfund.market.instruments import load_universe
from socialfund.market.providers import DemoProvider, PriceData
from socialfund.market.sessions import DEFAULT_BENCHMARK
from socialfund.services import copies, follows, ideas, leaderboard, portfolio_crud
from socialfund.store import Store, community, open_store, schema
from socialfund.store.engine import insert_ignore
from socialfund.store.users import get_or_create_user

FUNDS = ("000001", "001938", "005827", "110022", "159915.SZ", "159928.SZ")
START = dt.date(2024, 1, 2)
PRICES_END = dt.date(2026, 3, 31)        # the world's data today; "new prices" run to the demo's end
AS_OF_DAYS = (dt.date(2025, 9, 30), dt.date(2025, 12, 31), dt.date(2026, 2, 27))
WEIGHTS = ({"000001": 40, "159915.SZ": 30, "CASH": 30}, {"001938": 50, "005827": 50},
           {"110022": 60, "159928.SZ": 40}, {"000001": 25, "001938": 25, "110022": 25, "159915.SZ": 25},
           {"005827": 70, "CASH": 30}, {"159928.SZ": 50, "159915.SZ": 50})
WINDOWS = ("3M", "1Y", "all")


def at_shanghai(day: dt.date, hour: int = 10) -> dt.datetime:
    """Naive UTC of ``hour`` o'clock Beijing on ``day`` (the services' ``now``)."""
    return to_utc_naive(dt.datetime.combine(day, dt.time(hour)))


class WorldProvider:
    """The demo closes of FUNDS and the benchmark, up to ``end`` (later ones are "new prices")."""

    name = "demo"

    def __init__(self, base: DemoProvider, end: dt.date) -> None:
        self._base, self._end = base, end
        self._universe = [i for i in base.universe() if i.code in FUNDS or i.code == DEFAULT_BENCHMARK]

    def universe(self):  # type: ignore[no-untyped-def]
        return list(self._universe)

    def closes(self, codes: list[str] | None = None, start: dt.date | None = None,
               end: dt.date | None = None) -> PriceData:
        wanted = [i.code for i in self._universe] if codes is None else codes
        return self._base.closes(wanted, start, min(end or self._end, self._end))


@dataclasses.dataclass(frozen=True)
class World:
    path: Path
    owners: tuple[int, ...]
    portfolios: tuple[int, ...]      # created public or made public; one made public late
    copier: int


def _posts(day_from: dt.date, day_to: dt.date, seed: int) -> list[dict[str, object]]:
    """Synthetic forum posts (seeded): one in three days per fund, bullish or bearish words."""
    rng = np.random.default_rng(seed)
    texts = ("看好后市，继续加仓，利好不断", "大跌割肉，利空出尽了吗，亏损严重", "震荡整理，观望为主")
    rows = []
    for day in pd.date_range(day_from, day_to, freq="D"):
        for code in FUNDS:
            if rng.random() < 1 / 3:
                published = at_shanghai(day.date(), int(rng.integers(0, 24)))
                text = f"{texts[int(rng.integers(0, 3))]} #{code} {day.date()}"
                rows.append({"content_hash": post_content_hash(code, published.isoformat(), text), "code": code,
                             "text": text, "author": "tester", "published_at": published, "reads": None,
                             "comments": None, "url": None, "source": "test-forum", "imported_at": published})
    return rows


def _build(path: Path) -> World:
    store = open_store(f"sqlite:///{path}")
    with store.write() as conn:
        insert_ignore(conn, schema.instruments, [dataclasses.asdict(i) for i in load_universe()])
        insert_ignore(conn, schema.posts, _posts(START, PRICES_END, seed=7))
    owners = tuple(get_or_create_user(store, f"local:owner{i}", f"Owner {i}") for i in range(3))
    copier = get_or_create_user(store, "local:copier", "Copier")
    fans = [get_or_create_user(store, f"local:fan{i}", f"Fan {i}") for i in range(4)]
    ids = []
    for n, weights in enumerate(WEIGHTS):
        created = START + dt.timedelta(days=7 * n)
        vis = "private" if n == 5 else "public"
        pid = portfolio_crud.create_portfolio(store, owners[n % 3], f"组合 {n}", weights, visibility=vis,
                                              now=at_shanghai(created))
        ids.append(pid)
        # a rebalance every two months keeps each one active (eligible) on the leaderboard
        for k, day in enumerate(pd.date_range(created + dt.timedelta(days=60), PRICES_END, freq="60D")):
            shifted = {c: w for c, w in zip(list(weights)[::-1] if k % 2 == 0 else list(weights), weights.values())}
            portfolio_crud.rebalance(store, owners[n % 3], pid, shifted, f"调仓 {k}", now=at_shanghai(day.date()))
    # the private one goes public in 2025 (its earlier days are not public), and back and forth later
    portfolio_crud.set_visibility(store, owners[5 % 3], ids[5], "public", now=at_shanghai(dt.date(2025, 3, 3)))
    for i, fan in enumerate(fans):
        for pid in ids[: 2 + i]:
            follows.follow(store, fan, pid, now=at_shanghai(dt.date(2025, 1, 6) + dt.timedelta(days=30 * i)))
    follows.unfollow(store, fans[0], ids[0], now=at_shanghai(dt.date(2025, 6, 2)))
    portfolio_crud.confirm(store, owners[1], ids[1], now=at_shanghai(dt.date(2025, 8, 1)))
    store.dispose()
    return World(path, owners, tuple(ids), copier)


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> World:
    return _build(tmp_path_factory.mktemp("as_of") / "world.db")


@pytest.fixture(scope="module")
def base_provider() -> DemoProvider:
    return DemoProvider()


def _leaderboard_record(store: Store, provider: object, as_of: dt.date) -> str:
    """Every window's table as of ``as_of`` (closed rows included) and its screen summary, as JSON."""
    out = {}
    inputs = leaderboard.community_nav(store, provider, as_of)  # type: ignore[arg-type]
    for window in WINDOWS:
        table = leaderboard.leaderboard_table(store, provider, window, as_of, include_closed=True,  # type: ignore[arg-type]
                                              rf=0.015, inputs=inputs)
        rows = [{k: json_scalar(v) for k, v in row.items()} for row in table.to_dict("records")]
        out[window] = {"rows": rows, "summary": repr(table.attrs["screen_summary"])}
    return json.dumps(out, ensure_ascii=False, sort_keys=True, default=str)


def _ideas_record(store: Store, provider: object, as_of: dt.date) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """Features (FEATURES, reason, missing, crowd counts) and composite and model scores at
    every decision session up to ``as_of``."""
    fs = build_features(ideas.load_inputs(store, provider))  # type: ignore[arg-type]
    upto = fs.features.index.get_level_values("session") <= pd.Timestamp(as_of)
    columns = [*FEATURES, "reason", "missing", "crowd_holders", "crowd_n", "price"]
    scored = []
    for method in ("composite", "model"):
        table = run_scores(fs, method).table
        scored.append(table.loc[table.index.get_level_values("session") <= pd.Timestamp(as_of)])
    return fs.features.loc[upto, columns], scored[0], scored[1]


def _copy_record(store: Store, provider: object, world: World, as_of: dt.date) -> list[object]:
    """The paper-copy state at ``as_of`` of each world portfolio, as the copier sees it."""
    out: list[object] = []
    params = CopyParams(amount=Decimal("100000"), start=dt.date(2025, 4, 1), fee_bps=10, stop_loss=0.3)
    for pid in world.portfolios:
        try:
            result = copies.copy_simulation(store, provider, pid, params, viewer_id=world.copier,  # type: ignore[arg-type]
                                            as_of=as_of)
        except (NotFoundError, ValidationError) as exc:
            out.append(f"{type(exc).__name__}: {exc}")
            continue
        out.append((result.equity.to_dict(), result.leader_nav.to_dict(), result.leader_return, result.copier_return,
                    result.fees_paid, result.final_equity, repr(result.skipped_positions), result.stopped_out,
                    result.stopped_on, repr(result.gap), result.entry_session))
    return out


Mutation = Callable[[Store, World, dt.datetime], None]


def _delete(i: int) -> Mutation:
    return lambda s, w, now: portfolio_crud.delete_portfolio(s, w.owners[i % 3], w.portfolios[i], now=now)


def _close(i: int) -> Mutation:
    return lambda s, w, now: portfolio_crud.close(s, w.owners[i % 3], w.portfolios[i], now=now)


def _private(i: int) -> Mutation:
    return lambda s, w, now: portfolio_crud.set_visibility(s, w.owners[i % 3], w.portfolios[i], "private", now=now)


def _public(i: int) -> Mutation:
    return lambda s, w, now: portfolio_crud.set_visibility(s, w.owners[i % 3], w.portfolios[i], "public", now=now)


def _rebalance(i: int) -> Mutation:
    return lambda s, w, now: portfolio_crud.rebalance(s, w.owners[i % 3], w.portfolios[i], {"CASH": 100},
                                                      "all cash", now=now)


def _confirm(i: int) -> Mutation:
    return lambda s, w, now: portfolio_crud.confirm(s, w.owners[i % 3], w.portfolios[i], now=now)


def _unfollow(i: int) -> Mutation:
    def run(s: Store, w: World, now: dt.datetime) -> None:
        fan = get_or_create_user(s, "local:fan3", "Fan 3")
        follows.unfollow(s, fan, w.portfolios[i], now=now)
    return run


def _follow(i: int) -> Mutation:
    return lambda s, w, now: follows.follow(s, w.copier, w.portfolios[i], now=now)


def _posts_after(seed: int) -> Mutation:
    def run(s: Store, w: World, now: dt.datetime) -> None:
        day = (pd.Timestamp(now) + pd.Timedelta(hours=8)).date()
        with s.write() as conn:
            insert_ignore(conn, schema.posts, _posts(day, day + dt.timedelta(days=20), seed=seed))
    return run


KINDS = {"delete": _delete, "close": _close, "private": _private, "public": _public, "rebalance": _rebalance,
         "confirm": _confirm, "unfollow": _unfollow, "follow": _follow, "posts": _posts_after}

mutations = st.lists(st.tuples(st.sampled_from(sorted(KINDS)), st.integers(0, len(WEIGHTS) - 1),
                               st.integers(1, 120)), min_size=1, max_size=6)

_BASELINES: dict[dt.date, tuple[str, tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame], list[object]]] = {}


def _baseline(world: World, base: DemoProvider, as_of: dt.date) -> tuple[str, tuple[pd.DataFrame, ...], list[object]]:
    if as_of not in _BASELINES:
        store = Store(f"sqlite:///{world.path}")
        provider = WorldProvider(base, PRICES_END)
        _BASELINES[as_of] = (_leaderboard_record(store, provider, as_of), _ideas_record(store, provider, as_of),
                             _copy_record(store, provider, world, as_of))
        store.dispose()
    return _BASELINES[as_of]


@settings(max_examples=8, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(as_of=st.sampled_from(AS_OF_DAYS), changes=mutations, new_prices=st.booleans())
def test_anything_dated_after_the_day_leaves_everything_as_of_the_day_unchanged(
        world: World, base_provider: DemoProvider, tmp_path_factory: pytest.TempPathFactory, as_of: dt.date,
        changes: list[tuple[str, int, int]], new_prices: bool) -> None:
    board, (features, composite, model), copy_state = _baseline(world, base_provider, as_of)
    path = tmp_path_factory.mktemp("mutated") / "world.db"
    shutil.copy(world.path, path)
    store = Store(f"sqlite:///{path}")
    applied = 0
    for kind, index, days_after in sorted(changes, key=lambda c: c[2]):
        try:
            KINDS[kind](index)(store, world, at_shanghai(as_of + dt.timedelta(days=days_after)))
            applied += 1
        except (ValidationError, NotFoundError, PermissionDenied):
            pass   # e.g. rebalancing a portfolio closed or deleted by an earlier change
    assert applied >= 1 or all(k in ("delete", "close", "rebalance", "confirm") for k, _, _ in changes)
    provider = WorldProvider(base_provider, dt.date(2026, 11, 20) if new_prices else PRICES_END)
    assert _leaderboard_record(store, provider, as_of) == board
    after_features, after_composite, after_model = _ideas_record(store, provider, as_of)
    pd.testing.assert_frame_equal(after_features, features)
    pd.testing.assert_frame_equal(after_composite, composite)
    pd.testing.assert_frame_equal(after_model, model)
    assert _copy_record(store, provider, world, as_of) == copy_state
    store.dispose()


def test_the_world_is_not_trivial(world: World, base_provider: DemoProvider) -> None:
    """The property above could hold vacuously on an empty board or crowd: it does not."""
    store = Store(f"sqlite:///{world.path}")
    provider = WorldProvider(base_provider, PRICES_END)
    board = json.loads(_leaderboard_record(store, provider, AS_OF_DAYS[1]))
    assert sum(r["rank"] is not None for r in board["1Y"]["rows"]) >= 3
    assert any(r["followers"] > 0 for r in board["1Y"]["rows"])
    features, composite, _ = _ideas_record(store, provider, AS_OF_DAYS[1])
    assert (features["crowd_n"] > 0).any() and composite["score"].notna().any()
    store.dispose()


def test_visibility_followers_and_closing_are_read_as_of_the_day(world: World) -> None:
    store = Store(f"sqlite:///{world.path}")
    late = world.portfolios[5]          # created private, public from 2025-03-03
    before = community.portfolio_meta(store, [late], as_of=dt.date(2025, 3, 2)).iloc[0]
    after = community.portfolio_meta(store, [late], as_of=dt.date(2025, 3, 3)).iloc[0]
    assert (before["visibility"], after["visibility"]) == ("private", "public")
    first = world.portfolios[0]         # followed by fans 0..3 from 2025-01..04, fan 0 left on 2025-06-02
    counts = [int(community.portfolio_meta(store, [first], as_of=day).iloc[0]["followers"])
              for day in (dt.date(2025, 1, 5), dt.date(2025, 1, 6), dt.date(2025, 5, 1), dt.date(2025, 6, 2))]
    assert counts == [0, 1, 4, 3]
    portfolio_crud.close(store, world.owners[0], first, now=at_shanghai(dt.date(2026, 3, 2)))
    assert pd.isna(community.portfolio_meta(store, [first], as_of=dt.date(2026, 3, 1)).iloc[0]["closed_on"])
    assert community.portfolio_meta(store, [first], as_of=dt.date(2026, 3, 2)).iloc[0]["closed_on"] == \
        dt.date(2026, 3, 2)
    store.dispose()


def test_a_legacy_portfolio_without_history_keeps_its_visibility_at_every_date(tmp_path: Path) -> None:
    """A portfolio stored before visibilities were dated has no history row: its current
    visibility holds at every date, and a later change dates both (the old one from creation)."""
    store = open_store(f"sqlite:///{tmp_path / 'legacy.db'}")
    with store.write() as conn:
        insert_ignore(conn, schema.instruments, [dataclasses.asdict(i) for i in load_universe()])
    owner = get_or_create_user(store, "local:o", "O")
    pid = portfolio_crud.create_portfolio(store, owner, "旧组合", {"CASH": 100}, visibility="public",
                                          now=at_shanghai(dt.date(2024, 1, 2)))
    with store.write() as conn:
        conn.execute(schema.portfolio_visibility_changes.delete())
    assert community.portfolio_meta(store, [pid], as_of=dt.date(2024, 6, 1)).iloc[0]["visibility"] == "public"
    portfolio_crud.set_visibility(store, owner, pid, "private", now=at_shanghai(dt.date(2025, 1, 2)))
    seen = [community.portfolio_meta(store, [pid], as_of=d).iloc[0]["visibility"]
            for d in (dt.date(2024, 6, 1), dt.date(2025, 1, 1), dt.date(2025, 1, 2))]
    assert seen == ["public", "public", "private"]


def test_an_imported_history_is_not_backfilled_into_earlier_rankings(world: World) -> None:
    """``import_history`` dates the visibility at the import: rankings as of earlier days do not gain it."""
    from socialfund.io.history_file import Rebalance

    path = Path(str(world.path) + ".import.db")
    shutil.copy(world.path, path)
    store = Store(f"sqlite:///{path}")
    steps = [Rebalance(day=dt.date(2024, 3, 1), weights_bp={"000001": 10_000}, line=2)]
    pid = portfolio_crud.import_history(store, world.owners[0], "回测", steps, visibility="public",
                                        now=at_shanghai(dt.date(2026, 3, 2)))
    assert community.portfolio_meta(store, [pid], as_of=dt.date(2026, 3, 1)).iloc[0]["visibility"] == "private"
    assert community.portfolio_meta(store, [pid], as_of=dt.date(2026, 3, 2)).iloc[0]["visibility"] == "public"
    store.dispose()


# --------------------------------------------------------------------------- done-when, on the demo

DEMO_AS_OF = dt.date(2026, 6, 1)


def _demo_record(store: Store, provider: DemoProvider) -> tuple[str, str]:
    """``leaderboard --window 1Y --as-of D --json`` and ``ideas --as-of D --json`` (every fund,
    composite and model), through the services the CLI calls."""
    table = leaderboard.leaderboard_table(store, provider, "1Y", DEMO_AS_OF, rf=0.015)
    board = json.dumps([{k: json_scalar(v) for k, v in row.items()} for row in table.to_dict("records")],
                       ensure_ascii=False, default=str)
    fs = build_features(ideas.load_inputs(store, provider))
    ranked = {method: [(r["code"], r["rank"], round(float(r["score"]), 12))
                       for r in ranked_list(fs, run_scores(fs, method), DEMO_AS_OF).to_dict("records")
                       if pd.notna(r["score"])]
              for method in ("composite", "model")}
    return board, json.dumps(ranked)


def test_deleting_or_hiding_public_portfolios_today_leaves_the_demo_as_of_an_earlier_day_identical(
        demo_store: Store, provider: DemoProvider, tmp_path: Path) -> None:
    path = tmp_path / "demo.db"
    source = sqlite3.connect(demo_store.url.removeprefix("sqlite:///"))
    target = sqlite3.connect(path)
    source.backup(target)   # a consistent copy of the shared demo database
    source.close()
    target.close()
    store = Store(f"sqlite:///{path}")
    board, ranked = _demo_record(store, provider)
    rows = json.loads(board)
    leader, second = int(rows[0]["portfolio_id"]), int(rows[1]["portfolio_id"])
    # demo owners are read-only: hand the two portfolios to their owners so the services may act
    with store.write() as conn:
        for pid in (leader, second):
            owner = conn.execute(schema.portfolios.select().where(schema.portfolios.c.id == pid)).mappings().one()
            conn.execute(update(schema.portfolios).where(schema.portfolios.c.id == pid).values(is_demo=False))
            conn.execute(update(schema.users).where(schema.users.c.id == owner["owner_id"]).values(is_demo=False))
    owners = {int(r["id"]): int(r["owner_id"]) for r in community.portfolio_meta(store, [leader, second])
              .rename(columns={"portfolio_id": "id"}).to_dict("records")}
    portfolio_crud.delete_portfolio(store, owners[leader], leader)
    portfolio_crud.set_visibility(store, owners[second], second, "private")
    now_board = leaderboard.leaderboard_table(store, provider, "1Y", rf=0.015)
    assert leader not in set(now_board["portfolio_id"]) and second not in set(now_board["portfolio_id"])
    assert _demo_record(store, provider) == (board, ranked)
    store.dispose()


def test_a_follow_and_its_end_are_both_kept(world: World) -> None:
    path = Path(str(world.path) + ".follow.db")
    shutil.copy(world.path, path)
    store = Store(f"sqlite:///{path}")
    pid = world.portfolios[2]
    follows.follow(store, world.copier, pid, now=at_shanghai(dt.date(2026, 1, 5)))
    follows.unfollow(store, world.copier, pid, now=at_shanghai(dt.date(2026, 2, 2)))
    follows.follow(store, world.copier, pid, now=at_shanghai(dt.date(2026, 3, 2)))
    counts = [int(community.portfolio_meta(store, [pid], as_of=d).iloc[0]["followers"])
              for d in (dt.date(2026, 1, 4), dt.date(2026, 1, 5), dt.date(2026, 2, 2), dt.date(2026, 3, 2))]
    base = counts[0]
    assert counts == [base, base + 1, base, base + 1]
    with store.read() as conn:
        ended = conn.execute(schema.ended_follows.select()).mappings().all()
    assert any(r["user_id"] == world.copier and r["portfolio_id"] == pid for r in ended)
    store.dispose()



def test_a_deleted_public_portfolio_says_so_and_a_deleted_private_one_stays_missing(
        world: World, base_provider: DemoProvider) -> None:
    """The leaderboard keeps a deleted public portfolio as closed with its deletion day (the
    page's "deleted by its owner on …"); the portfolio page says the same for it, and nothing
    for a private one (indistinguishable from a missing id)."""
    from socialfund.view.i18n import t

    path = Path(str(world.path) + ".deleted.db")
    shutil.copy(world.path, path)
    store = Store(f"sqlite:///{path}")
    public, hidden = world.portfolios[0], world.portfolios[1]
    portfolio_crud.set_visibility(store, world.owners[1], hidden, "private", now=at_shanghai(dt.date(2026, 3, 2)))
    for pid, owner in ((public, world.owners[0]), (hidden, world.owners[1])):
        portfolio_crud.delete_portfolio(store, owner, pid, now=at_shanghai(dt.date(2026, 3, 3)))
    assert portfolio_crud.deleted_from_record(store, public) == dt.date(2026, 3, 3)
    assert portfolio_crud.deleted_from_record(store, hidden) is None
    assert portfolio_crud.deleted_from_record(store, "not an id") is None
    table = leaderboard.leaderboard_table(store, WorldProvider(base_provider, PRICES_END), "all", include_closed=True)
    row = table.loc[table["portfolio_id"] == public].iloc[0]
    assert bool(row["closed"]) and row["deleted_on"] == dt.date(2026, 3, 3)
    assert hidden not in set(table["portfolio_id"])
    assert t("lb.deleted_on", "en", day="2026-03-03") == "deleted by its owner on 2026-03-03 (kept in the record)"
    assert "已被所有者于 2026-03-03 删除" in t("lb.deleted_on", "zh", day="2026-03-03")
    store.dispose()
