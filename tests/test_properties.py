"""Properties (hypothesis) that the area tests do not already cover.

Already covered elsewhere (not repeated here): ``normalise_to_bp`` sums/order/scale
(tests/test_portfolios.py), holdings CSV export → import of Chinese and emoji names
(tests/test_holdings.py), no look-ahead in fund-idea features (tests/test_ideas.py).

Here:
* percent → basis points on the user path (``core.weights.normalise_percent`` /
  ``percent_to_bp``): exactly 10,000, every weight ≥ 0, independent of input order;
* linear scaling: a paper copy with amount × k has equity × k (to the cent), and a
  portfolio's NAV does not depend on the price level of its instruments;
* splits: adjusted closes built from raw prices and split factors give the same NAV and
  copy returns as the series without the split, whichever way it is adjusted (back or
  forward), while the raw unadjusted series is flagged as a > 50 % one-day move;
* no look-ahead: changing prices after session t, or adding a rebalance placed after t,
  leaves NAV and copy equity up to t unchanged; adding or changing posts published after
  t's close leaves every daily sentiment value (counts, means, z, alert) up to t unchanged;
* posts export (formula-safe CSV, UTF-8 BOM) → import round-trips Chinese text and emoji.
"""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

import numpy as np
import pandas as pd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from socialfund.io import posts_file
from socialfund.social import aggregate
from socialfund.copying import CopyParams, simulate_copy
from socialfund.io.exports import to_safe_csv
from socialfund.core.weights import normalise_percent, percent_to_bp
from socialfund.market.quality import MAX_ONE_DAY_RATIO, jump_warnings
from socialfund.core.models import PortfolioVersion
from socialfund.portfolios import nav_series
from socialfund.core.weights import CASH, FULL_BP, normalise_to_bp

CODES = ["510300.SS", "159915.SZ", "000001", "518880.SS"]
SETTINGS = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])


# --------------------------------------------------------------------------- strategies

@st.composite
def market(draw, min_sessions: int = 25, max_sessions: int = 60):  # type: ignore[no-untyped-def]
    """(prices, versions): adjusted closes for 2-4 codes (daily moves within ±9 %, no
    gaps) and 1-3 versions placed on session days (fill at the next session's close)."""
    n = draw(st.integers(min_sessions, max_sessions))
    codes = draw(st.lists(st.sampled_from(CODES), min_size=2, max_size=4, unique=True))
    seed = draw(st.integers(0, 2**32 - 1))
    rng = np.random.default_rng(seed)
    index = pd.bdate_range("2024-01-02", periods=n)
    start = rng.uniform(0.5, 200.0, size=len(codes))
    moves = rng.uniform(-0.09, 0.09, size=(n, len(codes)))
    moves[0] = 0.0
    prices = pd.DataFrame(start * np.cumprod(1 + moves, axis=0), index=index, columns=codes)
    n_versions = draw(st.integers(1, 3))
    days = sorted(draw(st.lists(st.integers(0, n - 3), min_size=n_versions, max_size=n_versions, unique=True)))
    versions = []
    for k, day in enumerate(days, start=1):
        held = draw(st.lists(st.sampled_from([*codes, CASH]), min_size=1, max_size=len(codes) + 1, unique=True))
        raw = {c: draw(st.integers(1, 100)) for c in held}
        placed = pd.Timestamp(index[day]) + pd.Timedelta(hours=draw(st.integers(0, 23)))
        versions.append(PortfolioVersion(k, placed.tz_localize("Asia/Shanghai"), normalise_to_bp(raw)))
    return prices, versions


percent_text = st.decimals(min_value=Decimal("0.01"), max_value=Decimal("100"), places=2).map(str)


# --------------------------------------------------------------------------- basis points

@SETTINGS
@given(st.dictionaries(st.sampled_from([*CODES, CASH]), percent_text, min_size=1, max_size=5), st.randoms())
def test_percent_weights_become_basis_points_summing_to_10000(raw: dict[str, str], rnd: random.Random) -> None:
    pct = normalise_percent(raw, CODES)              # the explicit 'normalise' action
    bp = percent_to_bp(pct, CODES)
    assert sum(bp.values()) == FULL_BP and all(isinstance(v, int) and v >= 0 for v in bp.values())
    pairs = list(raw.items())
    rnd.shuffle(pairs)
    assert percent_to_bp(normalise_percent(pairs, CODES), CODES) == bp
    # the same percentages written with a % sign or in full-width digits parse the same
    fancy = [(c, v.translate(str.maketrans("0123456789.", "０１２３４５６７８９．")) + "％") for c, v in pairs]
    assert percent_to_bp(normalise_percent(fancy, CODES), CODES) == bp


# --------------------------------------------------------------------------- linear scaling

@SETTINGS
@given(market(), st.integers(2, 1000), st.integers(0, 30), st.integers(0, 2))
def test_copy_equity_scales_linearly_with_the_amount(mkt, k: int, fee_bps: int, delay: int) -> None:  # type: ignore[no-untyped-def]
    prices, versions = mkt
    start = versions[0].placed_at.date()  # copying starts the day the first version is placed
    base = simulate_copy(prices, versions, CopyParams(Decimal("10000"), start, fee_bps, delay, Decimal(0), None))
    scaled = simulate_copy(prices, versions, CopyParams(Decimal("10000") * k, start, fee_bps, delay, Decimal(0), None))
    assert base.equity.index.equals(scaled.equity.index)
    # equity is rounded to cents: k × (a cent-rounded value) is within k/2 + 1/2 cents
    assert np.all(np.abs(scaled.equity.to_numpy() - k * base.equity.to_numpy()) <= 0.005 * (k + 1) + 1e-6)


@SETTINGS
@given(market(), st.lists(st.floats(0.01, 100.0), min_size=4, max_size=4))
def test_nav_does_not_depend_on_price_levels(mkt, factors: list[float]) -> None:  # type: ignore[no-untyped-def]
    prices, versions = mkt
    rescaled = prices * np.array(factors[: prices.shape[1]])
    pd.testing.assert_series_equal(nav_series(prices, versions), nav_series(rescaled, versions), rtol=1e-9)


# --------------------------------------------------------------------------- splits

@SETTINGS
@given(market(), st.data(), st.sampled_from([2, 3, 10]))
def test_a_split_in_raw_prices_and_factors_leaves_adjusted_returns_unchanged(mkt, data, ratio: int) -> None:  # type: ignore[no-untyped-def]
    prices, versions = mkt
    code = data.draw(st.sampled_from(list(prices.columns)))
    split_at = data.draw(st.integers(1, len(prices) - 1))
    # raw prices: the true economic series until the split, then divided by the ratio
    raw = prices.copy()
    raw.iloc[split_at:, raw.columns.get_loc(code)] /= ratio
    factor = pd.DataFrame(1.0, index=prices.index, columns=prices.columns)
    factor.iloc[split_at:, factor.columns.get_loc(code)] = ratio            # forward adjustment
    forward = raw * factor                  # history at its true level, split undone after the split
    backward = forward.copy()               # the usual back-adjustment: history divided by the ratio
    backward[code] = forward[code] / ratio
    start = versions[0].placed_at.date()
    ref_nav = nav_series(prices, versions)
    ref_copy = simulate_copy(prices, versions, CopyParams(Decimal("50000"), start, 5, 1, Decimal(0), None))
    for adjusted in (forward, backward):
        pd.testing.assert_series_equal(nav_series(adjusted, versions), ref_nav, rtol=1e-9)
        got = simulate_copy(adjusted, versions, CopyParams(Decimal("50000"), start, 5, 1, Decimal(0), None))
        assert np.allclose(got.equity.to_numpy(), ref_copy.equity.to_numpy(), atol=0.011)
    # the raw series, used unadjusted, is flagged instead of silently booked as a crash
    # whenever the one-day ratio is beyond 1.5x either way (a 2:1 split on an up day included)
    ratio_day = raw[code].iloc[split_at] / raw[code].iloc[split_at - 1]
    flagged = [w for w in jump_warnings(raw) if w.startswith(f"{code}:")]
    assert bool(flagged) == (abs(np.log(ratio_day)) >= np.log(MAX_ONE_DAY_RATIO) - 1e-12)
    if flagged:
        assert str(prices.index[split_at].date()) in flagged[0]


# --------------------------------------------------------------------------- no look-ahead

@SETTINGS
@given(market(min_sessions=30), st.data())
def test_nav_and_copy_up_to_t_ignore_everything_after_t(mkt, data) -> None:  # type: ignore[no-untyped-def]
    prices, versions = mkt
    t = data.draw(st.integers(2, len(prices) - 2))
    changed = prices.copy()
    rng = np.random.default_rng(data.draw(st.integers(0, 2**32 - 1)))
    changed.iloc[t + 1:] *= rng.uniform(0.5, 1.5, size=changed.iloc[t + 1:].shape)
    later = list(versions)
    placed = pd.Timestamp(prices.index[t]).tz_localize("Asia/Shanghai") + pd.Timedelta(hours=16)  # after t's close
    if placed > later[-1].placed_at:
        later.append(PortfolioVersion(len(later) + 1, placed, {prices.columns[0]: FULL_BP}))
    before = nav_series(prices, versions).iloc[: t + 1]
    after = nav_series(changed, later).iloc[: t + 1]
    pd.testing.assert_series_equal(before, after)
    start = versions[0].placed_at.date()
    a = simulate_copy(prices, versions, CopyParams(Decimal("10000"), start, 10, 1, Decimal(0), None)).equity
    b = simulate_copy(changed, later, CopyParams(Decimal("10000"), start, 10, 1, Decimal(0), None)).equity
    cut = prices.index[t]
    pd.testing.assert_series_equal(a[a.index <= cut], b[b.index <= cut])


SESSIONS = pd.bdate_range("2024-01-02", periods=60)


@st.composite
def scored_posts(draw, n_min: int = 30, n_max: int = 200):  # type: ignore[no-untyped-def]
    """Posts with code, published_at (naive UTC), score, label, reads over SESSIONS."""
    n = draw(st.integers(n_min, n_max))
    seed = draw(st.integers(0, 2**32 - 1))
    rng = np.random.default_rng(seed)
    start = pd.Timestamp(SESSIONS[0]) - pd.Timedelta(days=1)
    span = (SESSIONS[-1] - start).total_seconds()
    published = start + pd.to_timedelta(np.sort(rng.uniform(0, span, n)), unit="s")
    score = rng.uniform(0, 1, n)
    score[rng.uniform(size=n) < 0.1] = np.nan                     # some unscored posts
    label = np.where(np.isnan(score), None, np.where(score > 0.6, "pos", np.where(score < 0.4, "neg", "neu")))
    return pd.DataFrame({
        "code": rng.choice(["510300.SS", "159915.SZ"], n), "published_at": published.floor("s"),
        "score": score, "label": label, "reads": rng.integers(0, 5000, n).astype(float),
    })


def _close_utc(session: pd.Timestamp) -> pd.Timestamp:
    """15:00 Shanghai on ``session`` as naive UTC: a post at or after it counts for a later session."""
    return pd.Timestamp(session) + pd.Timedelta(hours=7)


@SETTINGS
@given(scored_posts(), st.integers(15, 55), st.data())
def test_daily_sentiment_up_to_t_ignores_posts_after_t(posts_df: pd.DataFrame, t: int, data) -> None:  # type: ignore[no-untyped-def]
    session = SESSIONS[t]
    sessions = {"510300.SS": SESSIONS, "159915.SZ": SESSIONS}
    before = aggregate.daily_sentiment(posts_df, sessions)
    cutoff = _close_utc(session)
    late = posts_df["published_at"] >= cutoff
    changed = posts_df.copy()
    rng = np.random.default_rng(data.draw(st.integers(0, 2**32 - 1)))
    changed.loc[late, "score"] = rng.uniform(0, 1, late.sum())      # rescore every later post
    changed.loc[late, "label"] = "pos"
    changed.loc[late, "reads"] = 1e6
    extra = pd.DataFrame({"code": ["510300.SS"] * 5, "published_at": [cutoff + pd.Timedelta(minutes=m)
                                                                       for m in (0, 1, 60, 600, 6000)],
                          "score": [0.0, 1.0, 0.0, 1.0, 0.0], "label": ["neg", "pos", "neg", "pos", "neg"],
                          "reads": [9e6] * 5})
    changed = pd.concat([changed, extra], ignore_index=True)
    after = aggregate.daily_sentiment(changed, sessions)
    keep_b = before[before["session"] <= session].reset_index(drop=True)
    keep_a = after[after["session"] <= session].reset_index(drop=True)
    pd.testing.assert_frame_equal(keep_b, keep_a, check_dtype=False)
    # sanity: the change is visible after t (the property is not vacuous)
    assert not after[after["session"] > session].reset_index(drop=True).equals(
        before[before["session"] > session].reset_index(drop=True))


# --------------------------------------------------------------------------- round trip

post_text = st.text(alphabet=st.sampled_from(list("贵州茅台沪深三百基金定投看好涨跌🚀📈😀🫠🌕 ,;\"'\nabcXYZ123。，！？")),
                    min_size=1, max_size=40).filter(lambda s: s.strip() != "")


@SETTINGS
@given(st.lists(post_text, min_size=1, max_size=8, unique=True))
def test_posts_export_then_import_round_trips_chinese_and_emoji(texts: list[str]) -> None:
    published = [dt.datetime(2024, 3, 4, 2, 30) + dt.timedelta(minutes=i) for i in range(len(texts))]
    frame = pd.DataFrame({"code": "510300.SS", "text": texts,
                          # export times with their offset: import reads them back exactly
                          "published_at": [p.replace(tzinfo=dt.timezone.utc).isoformat() for p in published]})
    exported = to_safe_csv(frame)
    assert exported.startswith(b"\xef\xbb\xbf")  # UTF-8 with BOM: Excel-friendly, carries emoji
    parsed = posts_file.parse_posts(exported, "export.csv", ["510300.SS"], now_utc=dt.datetime(2025, 1, 1))
    assert [r["text"] for r in parsed.rows] == texts
    assert [r["published_at"] for r in parsed.rows] == published
    assert parsed.warnings == []
