"""Fund-idea scores: cross-sectional z-scores of the features, then either a fixed-weight
composite or a walk-forward ridge model; both are linear, so each score splits exactly into
per-feature contributions.

Scores
------
Both methods work on cross-sectional z-scores per session, z = (x − mean) / std over the
scoreable funds, clipped to ±3.
* **Composite**: score = Σ_f w_f · z_f with weights normalised to Σ|w_f| = 1; the
  contribution of f is w_f · z_f, so contributions sum exactly to the score.
* **Model**: a ridge regression (scikit-learn) of the cross-sectional percentile rank of the
  forward 20-session return (minus 0.5) on the z-scores, trained walk-forward: expanding
  window, retrained every 20 sessions, on decision sessions s ≤ t − 21 only (purged gap:
  the label of s needs the close of s + 20, which must be known by the close of t − 1).
  score = Σ_f β_f · z_f (the intercept is the same for every fund and is dropped: it
  changes no rank); the contribution of f is β_f · z_f — exact, because the model is linear.

Forward return (the label and the evidence) = close(t + 20) / close(t) − 1: from the first
close after the decision to 20 sessions later. (Under socialfund's own fill rule an order
placed during t fills at the close of t + 1; that extra session is not modelled.)
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

import numpy as np
import pandas as pd

from socialfund.core.errors import ValidationError
from socialfund.ideas.features import FEATURES, HORIZON, FeatureSet

RETRAIN_EVERY = 20            # sessions between model retrains
MIN_TRAIN_DATES = 60          # decision sessions with labels needed before the first model
Z_CLIP = 3.0
MIN_FUNDS_PER_DATE = 5        # fewer scoreable funds → no cross-section that day
METHODS: tuple[str, ...] = ("composite", "model")

#: Named weight presets (before normalisation). Fixed a priori, not fitted to any data.
PRESETS: Mapping[str, Mapping[str, float]] = MappingProxyType({
    "balanced": MappingProxyType({"mom_20": 0.5, "mom_60": 1.0, "mom_120": 1.0, "vol_60": -0.5, "drawdown": 0.5,
                                  "sent_level": 0.5, "sent_shift": 0.5, "post_volume_z": 0.0, "bullishness": 0.5,
                                  "crowd_share": 1.0, "crowd_flow": 1.0}),
    "momentum": MappingProxyType({"mom_20": 1.0, "mom_60": 2.0, "mom_120": 2.0, "vol_60": -1.0, "drawdown": 1.0}),
    "contrarian_sentiment": MappingProxyType({"sent_level": -1.0, "sent_shift": -2.0, "post_volume_z": -1.0,
                                              "bullishness": -1.0}),
    "follow_the_best": MappingProxyType({"crowd_share": 1.0, "crowd_flow": 2.0}),
})
DEFAULT_PRESET = "balanced"


@dataclass(frozen=True)
class Scores:
    """``table``: long frame indexed by (session, code): ``score``, ``rank`` (1 = best per
    session) and ``c_<feature>`` contributions (Σ contributions = score). ``method`` and
    ``weights`` (composite: normalised; model: the latest coefficients). ``models``:
    per retrain session, the coefficients used from it on (model only)."""

    table: pd.DataFrame
    method: str
    weights: Mapping[str, float]
    models: pd.DataFrame = field(default_factory=pd.DataFrame)


def cross_sectional_z(features: pd.DataFrame) -> pd.DataFrame:
    """z-scores of FEATURES per session over the scoreable funds (reason == ''), clipped to
    ±3; missing values and zero-dispersion features → 0. Sessions with fewer than
    ``MIN_FUNDS_PER_DATE`` scoreable funds are dropped."""
    ok = features.loc[features["reason"] == "", list(FEATURES)]
    sizes = ok.groupby(level="session").size()
    ok = ok[ok.index.get_level_values("session").isin(sizes.index[sizes >= MIN_FUNDS_PER_DATE])]
    grouped = ok.groupby(level="session")
    mean, std = grouped.transform("mean"), grouped.transform("std", ddof=0)
    z = (ok - mean) / std.where(std > 1e-12)
    return z.clip(-Z_CLIP, Z_CLIP).fillna(0.0)


def normalise_weights(weights: Mapping[str, float]) -> dict[str, float]:
    """Weights over FEATURES scaled to Σ|w| = 1 (unknown names rejected; all zero rejected)."""
    unknown = set(weights) - set(FEATURES)
    if unknown:
        raise ValidationError(f"unknown feature(s) in weights: {', '.join(sorted(unknown))}; "
                              f"choose from {', '.join(FEATURES)}")
    raw = {f: float(weights.get(f, 0.0)) for f in FEATURES}
    if any(not math.isfinite(v) for v in raw.values()):
        raise ValidationError("weights must be finite numbers")
    total = sum(abs(v) for v in raw.values())
    if total == 0:
        raise ValidationError("at least one weight must be non-zero")
    return {f: v / total for f, v in raw.items()}


def preset_weights(name: str) -> dict[str, float]:
    """The named preset over every feature (0 where the preset is silent), not normalised."""
    if name not in PRESETS:
        raise ValidationError(f"unknown preset {name!r}; choose from {', '.join(PRESETS)}")
    return {f: float(PRESETS[name].get(f, 0.0)) for f in FEATURES}


def _rank_within_session(score: pd.Series) -> pd.Series:
    """1 = highest score per session; ties broken by code (stable)."""
    frame = score.rename("score").reset_index().sort_values(["session", "score", "code"],
                                                             ascending=[True, False, True], kind="mergesort")
    frame["rank"] = frame.groupby("session").cumcount() + 1
    return frame.set_index(["session", "code"])["rank"].reindex(score.index)


def _scores_table(z: pd.DataFrame, coef: pd.DataFrame) -> pd.DataFrame:
    """contributions = coef × z (coef aligned row by row), score = their sum, rank."""
    contrib = z * coef.to_numpy()
    table = contrib.add_prefix("c_")
    table.insert(0, "score", contrib.sum(axis=1))
    table.insert(1, "rank", _rank_within_session(table["score"]).astype(int))
    return table


def composite_scores(fs: FeatureSet, weights: Mapping[str, float]) -> Scores:
    """Score = Σ w_f · z_f with Σ|w| = 1 (see the module docstring)."""
    norm = normalise_weights(weights)
    z = cross_sectional_z(fs.features)
    coef = pd.DataFrame([list(norm.values())] * len(z), index=z.index, columns=list(FEATURES))
    return Scores(table=_scores_table(z, coef), method="composite", weights=norm)


def forward_rank_label(fs: FeatureSet, index: pd.Index) -> pd.Series:
    """Cross-sectional percentile rank (0..1) of the forward return minus 0.5, per session."""
    fwd = fs.features.loc[index, "fwd_return"]
    return fwd.groupby(level="session").rank(pct=True) - 0.5


def walk_forward_model(fs: FeatureSet, *, alpha: float = 10.0, retrain_every: int = RETRAIN_EVERY,
                       min_train_dates: int = MIN_TRAIN_DATES, horizon: int = HORIZON) -> Scores:
    """Ridge regression of the forward-rank label on z-scores, walk-forward (expanding
    window, retrained every ``retrain_every`` sessions, training sessions s ≤ t − horizon − 1)."""
    # scikit-learn (with scipy) takes ~2 s to import and only this method needs it: loaded on first use.
    from sklearn.linear_model import Ridge

    z = cross_sectional_z(fs.features)
    label = forward_rank_label(fs, z.index)
    pos_of = {s: i for i, s in enumerate(fs.sessions)}
    z_pos = np.array([pos_of[s] for s in z.index.get_level_values("session")])
    has_label = label.notna().to_numpy()
    dates = np.unique(z_pos)
    coef_rows: dict[pd.Timestamp, np.ndarray] = {}
    current: np.ndarray | None = None
    next_retrain = None
    out_coef = np.full((len(z), len(FEATURES)), np.nan)
    for i in dates:
        if next_retrain is None or i >= next_retrain:
            train = (z_pos <= i - horizon - 1) & has_label
            if len(np.unique(z_pos[train])) >= min_train_dates:
                model = Ridge(alpha=alpha).fit(z.to_numpy()[train], label.to_numpy()[train])
                current = np.asarray(model.coef_, dtype=float)
                coef_rows[fs.sessions[i]] = current
                next_retrain = i + retrain_every
        if current is not None:
            out_coef[z_pos == i] = current
    keep = ~np.isnan(out_coef[:, 0])
    zk = z[keep]
    coef = pd.DataFrame(out_coef[keep], index=zk.index, columns=list(FEATURES))
    table = _scores_table(zk, coef) if len(zk) else _scores_table(z.iloc[:0], coef)
    models = pd.DataFrame.from_dict(coef_rows, orient="index", columns=list(FEATURES))
    models.index.name = "retrained_at"
    latest = dict(zip(FEATURES, map(float, current))) if current is not None else {}
    return Scores(table=table, method="model", weights=latest, models=models)


def run_scores(fs: FeatureSet, method: str = "composite", weights: Mapping[str, float] | None = None) -> Scores:
    """Composite (``weights``, default the balanced preset) or the walk-forward model."""
    if method == "composite":
        return composite_scores(fs, weights if weights is not None else preset_weights(DEFAULT_PRESET))
    if method == "model":
        return walk_forward_model(fs)
    raise ValidationError(f"unknown method {method!r}; choose composite or model")
