"""socialfund.ideas: no look-ahead (property-based), planted signal vs pure noise,
contributions that add up, reasons for funds without data, and the CLI."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from socialfund.core.models import PortfolioVersion
from socialfund.ideas.evidence import evidence
from socialfund.ideas.features import FEATURES, HORIZON, FeatureSet, IdeasInputs, build_features, post_decision_index
from socialfund.ideas.ranking import contributions_dict, ranked_list, resolve_session
from socialfund.ideas.scoring import (RETRAIN_EVERY, composite_scores, normalise_weights, preset_weights,
                                      walk_forward_model)
from socialfund.view.ideas_text import verdict_text, with_why

OPEN_UTC = pd.Timedelta(hours=1, minutes=30)


def make_inputs(n_sessions: int = 190, n_funds: int = 7, seed: int = 0, drift: float = 0.0,
                n_portfolios: int = 3, noise: float = 0.01) -> IdeasInputs:
    """Synthetic funds F0..Fn: returns = fund drift (linearly spread in ±``drift`` per
    session) + noise; ~1 post per fund per session; public portfolios rebalancing every
    20 sessions into 3 random funds."""
    rng = np.random.default_rng(seed)
    sessions = pd.bdate_range("2024-01-02", periods=n_sessions)
    codes = [f"F{i}" for i in range(n_funds)]
    drifts = np.linspace(-drift, drift, n_funds)
    returns = drifts + rng.normal(0.0, noise, size=(n_sessions, n_funds))
    closes = pd.DataFrame(np.cumprod(1.0 + returns, axis=0), index=sessions, columns=codes)
    funds = pd.DataFrame({"code": codes, "name_zh": codes, "name_en": codes, "category": "broad"})
    n_posts = n_sessions * n_funds
    day = rng.integers(0, n_sessions, n_posts)
    published = sessions[day] + pd.to_timedelta(rng.integers(0, 24 * 60, n_posts), unit="min") - pd.Timedelta(hours=8)
    score = rng.uniform(0, 1, n_posts)
    label = np.where(score > 0.6, "pos", np.where(score < 0.4, "neg", "neu"))
    posts = pd.DataFrame({"code": rng.choice(codes, n_posts), "published_at": published, "score": score,
                          "label": label}).sort_values("published_at").reset_index(drop=True)
    versions: dict[int, list[PortfolioVersion]] = {}
    for pid in range(1, n_portfolios + 1):
        vs = []
        for k, i in enumerate(range(pid, n_sessions - 1, 20)):
            picks = rng.choice(codes, 3, replace=False)
            raw = rng.integers(1, 10, 3)
            bp = (raw / raw.sum() * 10_000).astype(int)
            bp[0] += 10_000 - bp.sum()
            placed = (sessions[i] + pd.Timedelta(hours=11)).tz_localize("Asia/Shanghai")
            vs.append(PortfolioVersion(k + 1, placed, dict(zip(picks, map(int, bp)))))
        versions[pid] = vs
    meta = pd.DataFrame({"portfolio_id": list(versions), "visibility": "public",
                         "created_on": sessions[0].date(), "closed_on": None})
    return IdeasInputs(closes=closes, funds=funds, posts=posts, versions=versions, meta=meta)


BASE = make_inputs()
BASE_FS = build_features(BASE)
TRAIN_MIN = 5


def _state_at(fs: FeatureSet, session: pd.Timestamp) -> dict[str, pd.DataFrame]:
    comp = composite_scores(fs, preset_weights("balanced"))
    model = walk_forward_model(fs, min_train_dates=TRAIN_MIN)
    feats = fs.features.xs(session, level="session")[[*FEATURES, "reason", "crowd_holders", "crowd_n"]]
    return {"features": feats,
            "composite": ranked_list(fs, comp, session.date()).drop(columns="drivers"),
            "model": ranked_list(fs, model, session.date()).drop(columns="drivers")}


def _perturb(inputs: IdeasInputs, session: pd.Timestamp, kind: str, data: st.DataObject) -> IdeasInputs:
    sessions = inputs.closes.index
    pos = sessions.get_loc(session)
    codes = list(inputs.closes.columns)
    if kind == "price":
        closes = inputs.closes.copy()
        for _ in range(data.draw(st.integers(1, 5))):
            row = data.draw(st.integers(pos, len(sessions) - 1))
            col = data.draw(st.sampled_from(codes))
            closes.iloc[row, codes.index(col)] *= data.draw(st.floats(0.5, 2.0))
        return IdeasInputs(closes, inputs.funds, inputs.posts, inputs.versions, inputs.meta)
    if kind == "post":
        open_t = session + OPEN_UTC   # 09:30 Shanghai on t, as naive UTC
        late = inputs.posts["published_at"] >= open_t
        posts = inputs.posts.copy()
        posts.loc[late, "score"] = 1.0 - posts.loc[late, "score"]   # flip every later post
        posts.loc[late, "label"] = "pos"
        n = data.draw(st.integers(1, 30))
        extra = pd.DataFrame({
            "code": [data.draw(st.sampled_from(codes)) for _ in range(n)],
            "published_at": [open_t + pd.Timedelta(minutes=data.draw(st.integers(0, 60 * 24 * 20))) for _ in range(n)],
            "score": [data.draw(st.floats(0, 1)) for _ in range(n)],
            "label": [data.draw(st.sampled_from(["pos", "neg", "neu"])) for _ in range(n)]})
        return IdeasInputs(inputs.closes, inputs.funds, pd.concat([posts, extra], ignore_index=True),
                                 inputs.versions, inputs.meta)
    # rebalances: every version placed after the previous session's day is replaced
    prev_day = sessions[pos - 1].date()
    versions = {}
    for pid, vs in inputs.versions.items():
        kept = [v for v in vs if v.placed_date <= prev_day]
        for k in range(data.draw(st.integers(0, 3))):
            day = data.draw(st.integers(pos, len(sessions) - 2))
            placed = (sessions[day] + pd.Timedelta(hours=data.draw(st.integers(0, 23)))).tz_localize("Asia/Shanghai")
            if placed.date() <= prev_day:
                continue
            code = data.draw(st.sampled_from(codes))
            kept.append(PortfolioVersion(len(kept) + 1, placed, {code: 10_000}))
        versions[pid] = kept
    return IdeasInputs(inputs.closes, inputs.funds, inputs.posts, versions, inputs.meta)


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data(), kind=st.sampled_from(["price", "post", "rebalance"]), offset=st.integers(150, 185))
def test_no_look_ahead_changing_anything_after_t_changes_nothing_at_t(data, kind, offset) -> None:  # type: ignore[no-untyped-def]
    session = BASE.closes.index[offset]
    before = _state_at(BASE_FS, session)
    changed = build_features(_perturb(BASE, session, kind, data))
    after = _state_at(changed, session)
    for name in before:
        pd.testing.assert_frame_equal(before[name], after[name], check_exact=False, rtol=1e-10, atol=1e-12,
                                      obj=f"{name} at {session.date()} after changing a {kind}")


def test_the_look_ahead_check_would_catch_a_change_at_t_minus_one() -> None:
    """Sanity check of the property above: a change to the close *before* t must show."""
    session = BASE.closes.index[170]
    closes = BASE.closes.copy()
    closes.iloc[169] *= np.linspace(0.8, 1.3, closes.shape[1])
    changed = build_features(IdeasInputs(closes, BASE.funds, BASE.posts, BASE.versions, BASE.meta))
    a = BASE_FS.features.xs(session, level="session")["mom_20"]
    b = changed.features.xs(session, level="session")["mom_20"]
    assert not np.allclose(a, b)


def test_posts_before_the_open_count_for_that_session_and_later_ones_for_the_next() -> None:
    sessions = pd.DatetimeIndex(["2024-01-05", "2024-01-08", "2024-01-09"])   # Fri, Mon, Tue
    utc = pd.Series(pd.to_datetime([
        "2024-01-05 01:29",   # 09:29 Shanghai Fri → Fri
        "2024-01-05 01:30",   # 09:30 Fri (the open) → Mon
        "2024-01-05 08:00",   # 16:00 Fri, after the close → Mon
        "2024-01-07 12:00",   # Sunday → Mon
        "2024-01-08 06:00",   # 14:00 Mon, during the session → Tue
        "2024-01-09 02:00",   # 10:00 Tue → beyond the axis
    ]))
    assert list(post_decision_index(utc, sessions)) == [0, 1, 1, 1, 2, 3]


def test_planted_signal_gives_a_significant_positive_ic_for_composite_and_model() -> None:
    inputs = make_inputs(n_sessions=460, n_funds=12, seed=3, drift=0.002, noise=0.008, n_portfolios=2)
    fs = build_features(inputs)
    comp = composite_scores(fs, preset_weights("momentum"))
    ev = evidence(fs, comp)
    assert ev.verdict == "edge", ev.as_dict()
    assert ev.mean_ic > 0.2 and ev.ic_tstat > 2 and ev.hit_rate > 0.7 and ev.quintile_spread > 0
    assert ev.spread_curve.iloc[-1] > 0
    model_ev = evidence(fs, walk_forward_model(fs))
    assert model_ev.verdict == "edge" and model_ev.mean_ic > 0.1, model_ev.as_dict()
    assert "没有证据" not in verdict_text(ev, "zh")


def test_pure_noise_says_no_edge_in_plain_words() -> None:
    # Fixed seed: at |t| >= 2 about 1 noise sample in 20 would look significant by chance;
    # seeds 11-13 were all checked to be "none" for every score below.
    inputs = make_inputs(n_sessions=460, n_funds=12, seed=11, drift=0.0, noise=0.01, n_portfolios=2)
    fs = build_features(inputs)
    for scores in (composite_scores(fs, preset_weights("momentum")),
                   composite_scores(fs, preset_weights("contrarian_sentiment")),
                   walk_forward_model(fs)):
        ev = evidence(fs, scores)
        assert ev.verdict in ("none", "insufficient"), ev.as_dict()
        assert ev.n_dates >= 8
        assert "在这些数据上没有证据表明存在优势" in verdict_text(ev, "zh")
        assert "No evidence of an edge on this data" in verdict_text(ev, "en")
        demo = verdict_text(ev, "en", is_demo=True)
        assert "generated demo data" in demo and "proves nothing about real markets" in demo


def test_non_overlapping_dates_are_horizon_apart() -> None:
    ev = evidence(BASE_FS, composite_scores(BASE_FS, preset_weights("balanced")))
    pos = [BASE_FS.sessions.get_loc(d) for d in ev.ic_dates]
    assert len(pos) >= 2 and set(np.diff(pos)) == {HORIZON}
    assert ev.n_dates == len(pos) and ev.n_dates_all > ev.n_dates


@pytest.mark.parametrize("method", ["composite", "model"])
def test_contributions_sum_to_the_score(method: str) -> None:
    scores = (composite_scores(BASE_FS, {"mom_60": 1, "sent_shift": -0.5, "crowd_flow": 2})
              if method == "composite" else walk_forward_model(BASE_FS, min_train_dates=TRAIN_MIN))
    table = scores.table
    assert len(table) > 100
    total = table[[f"c_{f}" for f in FEATURES]].sum(axis=1)
    np.testing.assert_allclose(total, table["score"], rtol=0, atol=1e-12)
    ranked = ranked_list(BASE_FS, scores)
    row = ranked.iloc[0]
    assert sum(contributions_dict(row).values()) == pytest.approx(row["score"], abs=1e-5)
    if method == "composite":
        assert sum(abs(w) for w in scores.weights.values()) == pytest.approx(1.0)
        assert scores.weights["mom_60"] == pytest.approx(1 / 3.5)


def test_model_never_trains_on_labels_not_yet_known() -> None:
    scores = walk_forward_model(BASE_FS, min_train_dates=TRAIN_MIN)
    first_scored = scores.table.index.get_level_values("session").min()
    first_label_session = BASE_FS.features.dropna(subset=["mom_120"]).index.get_level_values("session").min()
    gap = BASE_FS.sessions.get_loc(first_scored) - BASE_FS.sessions.get_loc(first_label_session)
    assert gap >= HORIZON + TRAIN_MIN   # purge + the minimum number of training dates
    assert (np.diff([BASE_FS.sessions.get_loc(d) for d in scores.models.index]) == RETRAIN_EVERY).all()


def test_funds_without_enough_data_get_no_score_and_a_reason() -> None:
    closes = BASE.closes.copy()
    closes["NEW"] = np.nan
    closes.iloc[-100:, closes.columns.get_loc("NEW")] = np.linspace(1, 1.2, 100)
    closes["QUIET"] = closes["F0"] * 1.01
    funds = pd.concat([BASE.funds, pd.DataFrame({"code": ["NEW", "QUIET"], "name_zh": ["新", "静"],
                                                 "name_en": ["New", "Quiet"], "category": "broad"})])
    fs = build_features(IdeasInputs(closes, funds, BASE.posts, BASE.versions, BASE.meta))
    table = ranked_list(fs, composite_scores(fs, preset_weights("balanced")))
    by_code = table.set_index("code")
    assert by_code.loc["NEW", "reason"] == "fewer than 120 sessions of prices"
    assert by_code.loc["QUIET", "reason"] == "no posts in 20 sessions"
    assert pd.isna(by_code.loc["NEW", "rank"]) and np.isnan(by_code.loc["QUIET", "score"])
    assert by_code["rank"].notna().sum() == len(BASE.funds)
    assert list(table["code"][-2:]) == ["NEW", "QUIET"]   # unscored funds come last


def test_reasons_name_the_largest_contributions_in_words() -> None:
    table = ranked_list(BASE_FS, composite_scores(BASE_FS, preset_weights("balanced")))
    scored = table[table["rank"].notna()]
    for _, row in scored.iterrows():
        contrib = {f: row[f"c_{f}"] for f in FEATURES}
        largest = sorted(contrib, key=lambda f: -abs(contrib[f]))[:2]
        assert [d.feature for d in row["drivers"]] == largest
        assert [d.up for d in row["drivers"]] == [contrib[f] > 0 for f in largest]
    words = with_why(table, "en")
    assert list(words.columns) == [("why" if c == "drivers" else c) for c in table.columns]
    assert words.loc[scored.index, "why"].str.match(r"^[↑↓]").all()
    assert (words.loc[table["rank"].isna(), "why"] == "").all()


def test_weights_and_dates_are_validated() -> None:
    from socialfund.core.errors import ValidationError

    with pytest.raises(ValidationError, match="non-zero"):
        normalise_weights({"mom_20": 0})
    with pytest.raises(ValidationError, match="unknown feature"):
        normalise_weights({"price_target": 1})
    with pytest.raises(ValidationError, match="YYYY-MM-DD"):
        resolve_session(BASE_FS, "2024-02-30")
    with pytest.raises(ValidationError, match="before the first session"):
        resolve_session(BASE_FS, "2001-01-01")
    assert resolve_session(BASE_FS, None) > BASE_FS.last_close   # provisional next session


def test_cli_ranking_and_evidence_json(demo_store, capsys) -> None:  # type: ignore[no-untyped-def]
    from socialfund.cli import main

    assert main(["ideas", "--top", "5", "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert [r["rank"] for r in rows] == [1, 2, 3, 4, 5]
    assert set(rows[0]) == {"code", "name", "score", "rank", "contributions"}
    assert sum(rows[0]["contributions"].values()) == pytest.approx(rows[0]["score"], abs=1e-4)
    assert main(["ideas", "evidence", "--method", "model", "--json"]) == 0
    ev = json.loads(capsys.readouterr().out)
    assert {"mean_ic", "ic_tstat", "hit_rate", "quintile_spread", "n_dates"} <= set(ev)
    assert ev["n_dates"] >= 8 and "demo" in ev["verdict_text"]
    assert main(["ideas", "--as-of", "2025-02-30", "--json"]) == 2
    assert "YYYY-MM-DD" in capsys.readouterr().err
