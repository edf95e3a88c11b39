"""The leaderboard's fast path (versions as arrays, NAV from arrays, the stored NAV artefact
rebuilt only for what changed, activity from the last placement) gives exactly the numbers
of the reference path (a ``PortfolioVersion`` per row, ``nav_with_status``, every placement
read again) on a random community, cold, warm and after a new version, a closing and a
price change."""

from __future__ import annotations

import datetime as dt
import sqlite3
from datetime import datetime, timedelta
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from socialfund import portfolios
from socialfund.market.providers import PriceData
from socialfund.market.sessions import DEFAULT_BENCHMARK, session_prices
from socialfund.services import leaderboard, nav_artefact
from socialfund.services.portfolio_data import closed_by, latest_session
from socialfund.store import Store, community, open_store
from socialfund.store.artefacts import Artefacts

N_RANDOM = 60


def _random_community(db: Path, codes: list[str], first: dt.date, last: dt.date, seed: int = 11) -> list[int]:
    """Add ``N_RANDOM`` random portfolios (public mostly; some closed, some private, one
    holding a code without prices) with 1-8 versions placed at any hour of any day."""
    rng = np.random.default_rng(seed)
    con = sqlite3.connect(db)
    owner = int(con.execute("SELECT min(id) FROM users").fetchone()[0])
    pid0 = int(con.execute("SELECT max(id) FROM portfolios").fetchone()[0]) + 1
    span = (last - first).days
    ids = []
    for k in range(N_RANDOM):
        pid = pid0 + k
        created = datetime.combine(first, datetime.min.time()) + timedelta(days=int(rng.integers(0, span - 200)))
        closed = created + timedelta(days=int(rng.integers(150, 400))) if rng.random() < 0.15 else None
        visibility = "private" if rng.random() < 0.1 else "public"
        con.execute("INSERT INTO portfolios (id, owner_id, name, description, style, visibility, is_demo, created_at,"
                    " closed_at) VALUES (?, ?, ?, '', 'random', ?, 0, ?, ?)",
                    (pid, owner, f"R{k}", visibility, created.isoformat(" "),
                     closed.isoformat(" ") if closed else None))
        con.execute("INSERT INTO portfolio_visibility_changes (portfolio_id, changed_at, visibility) VALUES (?, ?, ?)",
                    (pid, created.isoformat(" "), visibility))
        at = created
        for version in range(1, int(rng.integers(1, 9)) + 1):
            at = at + timedelta(minutes=int(rng.integers(60, 60 * 24 * 90)))
            picked = rng.choice(codes, size=int(rng.integers(1, 5)), replace=False).tolist()
            if k == 7 and version == 2:
                picked = ["999999.XX"]                          # no prices: excluded from then on
            if rng.random() < 0.3:
                picked.append("CASH")
            cuts = np.sort(rng.choice(np.arange(1, 10_000), size=len(picked) - 1, replace=False))
            bps = np.diff(np.concatenate([[0], cuts, [10_000]])).tolist()
            vid = con.execute("INSERT INTO portfolio_versions (portfolio_id, version, placed_at, note) VALUES (?, ?, ?, '')",
                              (pid, version, at.isoformat(" "))).lastrowid
            con.executemany("INSERT INTO portfolio_weights (version_id, code, weight_bp) VALUES (?, ?, ?)",
                            [(vid, c, int(b)) for c, b in zip(picked, bps)])
        ids.append(pid)
    con.commit()
    con.close()
    return ids


def _reference(store: Store, provider, as_of: dt.date | None = None) -> leaderboard.CommunityNav:  # type: ignore[no-untyped-def]
    """``community_nav`` as it was before the array path: an object per version, every
    placement read again."""
    meta = community.portfolio_meta(store, as_of=as_of)
    as_of = as_of or latest_session(provider, DEFAULT_BENCHMARK)
    meta = meta.loc[meta["visibility"] == "public"].copy()
    meta["closed_on"] = [community.closed_or_deleted(c, None if pd.isna(d) else min(d, as_of))
                         for c, d in zip(meta["closed_on"], meta["deleted_on"])]
    meta = meta.loc[meta["created_on"].isna() | (meta["created_on"] <= as_of)]
    ids = [int(i) for i in meta["portfolio_id"]]
    cutoff = pd.Timestamp(community.day_end_utc(as_of)).tz_localize("UTC")
    versions = {pid: [v for v in vs if v.placed_at < cutoff]
                for pid, vs in community.versions_by_portfolio(store, ids).items()}
    versions = {pid: versions[pid] for pid in ids if versions.get(pid)}
    codes = {c for vs in versions.values() for v in vs for c in v.weights_bp if c != "CASH"}
    prices = session_prices(provider, codes, as_of, DEFAULT_BENCHMARK)
    closed = {int(pid): closed_by(c, as_of) for pid, c in zip(meta["portfolio_id"], meta["closed_on"])}
    valued = portfolios.nav_with_status(prices, versions, closed)
    left_out = valued.excluded
    excluded = leaderboard.excluded_frame(meta, left_out)
    nav = valued.nav.drop(columns=list(left_out))
    meta = meta.loc[~meta["portfolio_id"].isin(left_out)]
    activity = community.activity(store, [pid for pid in versions if pid not in left_out])
    lb_meta = meta.assign(category=meta["style"])
    lb_meta["closed_on"] = [closed_by(c, as_of) for c in lb_meta["closed_on"]]
    return leaderboard.CommunityNav(nav=nav, meta=lb_meta.reset_index(drop=True), activity=activity, as_of=as_of,
                                    excluded=excluded)


def _assert_same(store: Store, provider, fast: leaderboard.CommunityNav,  # type: ignore[no-untyped-def]
                 ref: leaderboard.CommunityNav, windows: tuple[str, ...] = ("1Y",)) -> None:
    pd.testing.assert_frame_equal(fast.nav, ref.nav, check_exact=True)
    pd.testing.assert_frame_equal(fast.meta, ref.meta, check_exact=True)
    pd.testing.assert_frame_equal(fast.excluded, ref.excluded, check_exact=True)
    for window in windows:
        for sort_by in ("dsr", "calmar"):
            got = leaderboard.leaderboard_table(store, provider, window, sort_by=sort_by, include_closed=True,
                                                inputs=fast)
            want = leaderboard.leaderboard_table(store, provider, window, sort_by=sort_by, include_closed=True,
                                                 inputs=ref)
            pd.testing.assert_frame_equal(got, want, check_exact=True)
            assert got.attrs["screen_summary"] == want.attrs["screen_summary"]


class _OneCodeChanged:
    """The demo prices with one code's closes after ``since`` scaled by 1.1."""

    def __init__(self, base, code: str, since: dt.date) -> None:  # type: ignore[no-untyped-def]
        self.base, self.code, self.since = base, code, pd.Timestamp(since)

    def universe(self):  # type: ignore[no-untyped-def]
        return self.base.universe()

    def closes(self, codes=None, start=None, end=None) -> PriceData:  # type: ignore[no-untyped-def]
        data = self.base.closes(codes, start, end)
        frame = data.closes.copy()
        if self.code in frame.columns:
            frame.loc[frame.index > self.since, self.code] *= 1.1
        return PriceData(frame, data.notices) if hasattr(data, "notices") else PriceData(frame)


@pytest.fixture(scope="module")
def random_store(demo_store, provider, tmp_path_factory):  # type: ignore[no-untyped-def]
    db = tmp_path_factory.mktemp("random-community") / "socialfund.db"
    source = sqlite3.connect(demo_store.url.removeprefix("sqlite:///"))
    target = sqlite3.connect(db)
    source.backup(target)
    source.close()
    target.close()
    codes = sorted(c for c in session_prices(provider).columns if c != DEFAULT_BENCHMARK)
    prices = session_prices(provider)
    _random_community(db, codes, prices.index[0].date(), prices.index[-1].date())
    return open_store(f"sqlite:///{db}")


def test_fast_path_equals_the_reference_cold_warm_and_after_changes(random_store, provider, tmp_path) -> None:  # type: ignore[no-untyped-def]
    store = random_store
    ref = _reference(store, provider)
    assert len(ref.excluded) >= 1 and ref.meta["closed_on"].notna().any()
    _assert_same(store, provider, leaderboard.community_nav(store, provider, use_artefacts=False), ref,
                 leaderboard.WINDOWS)

    artefacts = Artefacts(tmp_path / "artefacts")
    meta = ref.meta  # the ranked ones; value_community is given every public one below
    public = community.portfolio_meta(store)
    public = public.loc[public["visibility"] == "public"]
    as_of = ref.as_of
    closed = {int(p): closed_by(community.closed_or_deleted(c, d), as_of)
              for p, c, d in zip(public["portfolio_id"], public["closed_on"], public["deleted_on"])}
    first = nav_artefact.value_community(store, provider, public, closed, as_of, DEFAULT_BENCHMARK, artefacts)
    again = nav_artefact.value_community(store, provider, public, closed, as_of, DEFAULT_BENCHMARK, artefacts)
    assert first.revalued == len(public) and again.revalued == 0
    pd.testing.assert_frame_equal(again.valued.nav, first.valued.nav, check_exact=True)
    assert again.valued.status == first.valued.status
    assert (again.last_placed_ns == first.last_placed_ns).all()
    assert len(meta) > 0

    # through the service, with its own artefact: built, then reused
    _assert_same(store, provider, leaderboard.community_nav(store, provider), ref)
    _assert_same(store, provider, leaderboard.community_nav(store, provider), ref)

    # a new version of one portfolio: only it is revalued, and the numbers follow
    con = sqlite3.connect(store.url.removeprefix("sqlite:///"))
    pid = int(ref.meta["portfolio_id"].iloc[3])
    last_vid, number = con.execute("SELECT id, version FROM portfolio_versions WHERE portfolio_id = ?"
                                   " ORDER BY id DESC LIMIT 1", (pid,)).fetchone()
    placed = pd.Timestamp(as_of) - pd.Timedelta(days=40)
    vid = con.execute("INSERT INTO portfolio_versions (portfolio_id, version, placed_at, note) VALUES (?, ?, ?, '')",
                      (pid, number + 1, placed.isoformat(" "))).lastrowid
    con.execute("INSERT INTO portfolio_weights (version_id, code, weight_bp) VALUES (?, 'CASH', 10000)", (vid,))
    # and a closing of another
    closing = int(ref.meta["portfolio_id"].iloc[5])
    con.execute("UPDATE portfolios SET closed_at = ? WHERE id = ?",
                ((pd.Timestamp(as_of) - pd.Timedelta(days=20)).isoformat(" "), closing))
    con.commit()
    con.close()
    public = community.portfolio_meta(store)
    public = public.loc[public["visibility"] == "public"]
    closed = {int(p): closed_by(community.closed_or_deleted(c, d), as_of)
              for p, c, d in zip(public["portfolio_id"], public["closed_on"], public["deleted_on"])}
    changed = nav_artefact.value_community(store, provider, public, closed, as_of, DEFAULT_BENCHMARK, artefacts)
    assert changed.revalued == 2
    ref2 = _reference(store, provider)
    assert not ref2.nav[pid].equals(ref.nav[pid])
    _assert_same(store, provider, leaderboard.community_nav(store, provider), ref2)

    # one code's prices change: only the portfolios that hold it are revalued
    code = sorted({c for c in session_prices(provider).columns if c != DEFAULT_BENCHMARK})[2]
    moved = _OneCodeChanged(provider, code, as_of - dt.timedelta(days=300))
    repriced = nav_artefact.value_community(store, moved, public, closed, as_of, DEFAULT_BENCHMARK, artefacts)
    assert 0 < repriced.revalued < len(public)
    ref3 = _reference(store, moved)
    pd.testing.assert_frame_equal(repriced.valued.nav.drop(columns=list(repriced.valued.excluded)), ref3.nav,
                                  check_exact=True)
    _assert_same(store, moved, leaderboard.community_nav(store, moved), ref3)


def test_an_unreadable_artefact_is_a_miss_and_is_replaced(random_store, provider, tmp_path) -> None:  # type: ignore[no-untyped-def]
    artefacts = Artefacts(tmp_path / "artefacts")
    public = community.portfolio_meta(random_store)
    public = public.loc[public["visibility"] == "public"].head(40)
    as_of = latest_session(provider, DEFAULT_BENCHMARK)
    closed = {int(p): closed_by(c, as_of) for p, c in zip(public["portfolio_id"], public["closed_on"])}
    name = nav_artefact.artefact_name(as_of, DEFAULT_BENCHMARK)
    artefacts.root.mkdir(parents=True)
    artefacts.path(name).write_bytes(b"not an npz")
    assert artefacts.load(name) is None
    first = nav_artefact.value_community(random_store, provider, public, closed, as_of, DEFAULT_BENCHMARK, artefacts)
    assert first.revalued == len(public) and artefacts.load(name) is not None
    with pytest.raises(ValueError, match="artefact name"):
        artefacts.path("../escape")
