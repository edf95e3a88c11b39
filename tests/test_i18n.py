"""Every user-facing string exists in Chinese and English, and every key the app uses exists."""

from __future__ import annotations

import re

from socialfund.services.datasets import DATASETS
from pathlib import Path

from socialfund.view.i18n import _table, keys, t

REPO = Path(__file__).resolve().parent.parent
APP_FILES = [REPO / "dashboard.py", *sorted((REPO / "app").glob("*.py")), *sorted((REPO / "pages").glob("*.py"))]
# tr("key"...), t("key", lang...), session.tr("key"...) with a literal key
KEY_CALL = re.compile(r"""\b(?:tr|t)\(\s*["']([a-z][a-z0-9_]*(?:\.[a-z0-9_]+)+)["']""")


def test_every_string_has_both_languages() -> None:
    table = _table()
    assert len(table) > 200
    for key, (zh, en) in table.items():
        assert zh.strip() and en.strip(), key
    # the Chinese text is Chinese: most entries contain CJK characters
    cjk = sum(1 for zh, _ in table.values() if re.search(r"[\u4e00-\u9fff]", zh))
    assert cjk / len(table) > 0.8


def test_every_literal_key_used_by_the_app_exists() -> None:
    used = {k for f in APP_FILES for k in KEY_CALL.findall(f.read_text(encoding="utf-8"))}
    assert len(used) > 100, "the scan should find the app's keys"
    missing = sorted(used - keys())
    assert missing == []


def test_lookup_formats_in_both_languages() -> None:
    assert t("risk.notice", "en").startswith("Risk notice")
    assert "风险提示" in t("risk.notice", "zh")
    assert t("error.config", "en", msg="X") == "Configuration error: X"


# --------------------------------------------------------------------------- f-string key families
# tr(f"pf.m.{key}") and the like: the scan finds every family (prefix + suffix around one
# placeholder); each must be listed below with the members the code can produce, and every
# member must have its key (in both languages: the table check above holds for every key).

SCANNED_FILES = [*APP_FILES, *sorted((REPO / "socialfund").rglob("*.py"))]
# an f-string key: "prefix.{expr}suffix" (tr(f"kind.{i.kind}"), f"ideas.why.{f}.high", ...)
FSTRING_KEY = re.compile(r"""\bf["']([a-z][a-z0-9_]*(?:\.[a-z0-9_]+)*[._])\{[^{}]*\}([a-z0-9_.]*)["']""")


def _source(relative: str) -> str:
    return (REPO / relative).read_text(encoding="utf-8")


def _strings(literal: str) -> set[str]:
    return set(re.findall(r"""["']([a-z0-9_]+)["']""", literal))


def _one(pattern: str, relative: str) -> str:
    found = re.findall(pattern, _source(relative), flags=re.S | re.M)
    assert len(found) == 1, f"{pattern!r} in {relative}: the test reads the family's values from there"
    return found[0]


def _portfolio_metric_keys() -> set[str]:
    """The metric keys of the Portfolio page's metric grid (``app.draw_portfolio.METRIC_ROWS``)."""
    from app.draw_portfolio import METRIC_ROWS

    keys = {key for row in METRIC_ROWS for key, _kind in row}
    assert len(keys) >= 10, keys
    return keys


def _family_members() -> dict[tuple[str, str], set[str] | None]:
    """(prefix, suffix) → every value the placeholder can take (None: the caller falls back
    to the raw value when the key is missing, so only the family's existence is checked)."""
    import inspect

    import pandas as pd

    from app import cached_sentiment, sentiment_tabs
    from app.draw_leaderboard import SECONDARY
    from socialfund.demo.universe import UNIVERSE
    from socialfund.market.instruments import REGISTERED_KINDS
    from socialfund.ideas import features, scoring
    from socialfund.market import quality
    from socialfund.services import access, leaderboard, snapshots
    from socialfund.social import aggregate
    from socialfund.services import wishes
    from socialfund.wishes import plan as wish_plan

    visibilities = set(access.VISIBILITIES)
    metrics = _portfolio_metric_keys()
    alerts = set(aggregate.alert_level(pd.Series([0.0, aggregate.SHIFT_Z + 0.01, aggregate.EXTREME_Z + 1.0,
                                                  -aggregate.EXTREME_Z - 1.0]))) - {""}
    verdicts = set(re.findall(r"""verdict = ["'](\w+)["']""", _source("socialfund/ideas/evidence.py")))
    statuses = set(re.findall(r"""return ["'](\w+)["']""", inspect.getsource(snapshots.SnapshotInfo.status)))
    assert alerts == {"shift", "extreme"} and len(verdicts) >= 3 and statuses >= {"active", "revoked"}
    return {
        ("kind.", ""): {i.kind for i in UNIVERSE} | set(REGISTERED_KINDS),   # + imported codes
        ("category.", ""): {i.category for i in UNIVERSE} | {"other"},  # Fund Ideas: categories.get(c, 'other')
        ("sent.field.", ""): set(sentiment_tabs.EXPORT_FIELDS),
        ("error.what.", ""): None,   # app.errors.message falls back to the raw name
        ("lb.window.", ""): set(leaderboard.WINDOWS),
        ("lb.sort.", ""): set(leaderboard.SORT_KEYS),
        ("lb.col.", ""): {key for key, _ in SECONDARY},
        ("lb.window_short.", ""): set(leaderboard.WINDOWS),   # the picked row's other figures
        ("pf.m.", ""): metrics,
        ("pf.h.", ""): metrics,
        ("pf.vis.", ""): visibilities,
        ("mp.vis.", ""): visibilities,
        ("mp.snap_vis.", ""): set(snapshots.SNAPSHOT_VISIBILITIES),
        ("mp.snap_status.", ""): statuses,
        ("sent.", ""): set(cached_sentiment.PANEL_LABELS),
        ("sent.metric_", ""): set(sentiment_tabs.COMPARE_METRICS),
        ("sent.scorer_", ""): _strings(_one(r"""^SCORERS = \(([^)]*)\)""", "pages/3_Sentiment.py")),
        ("sent.alert_", ""): alerts,
        ("ideas.feature.", ""): set(features.FEATURES),
        ("ideas.why.", ".high"): set(features.FEATURES),
        ("ideas.why.", ".low"): set(features.FEATURES),
        ("ideas.method.", ""): set(scoring.METHODS),
        ("ideas.preset.", ""): set(scoring.PRESETS),
        ("ideas.preset_desc.", ""): set(scoring.PRESETS),
        ("ideas.verdict.", ""): verdicts,
        ("ideas.reason.", ""): None,  # Fund Ideas shows the raw reason when it has no key
        ("demo.part.", ""): set(DATASETS),
        ("quality.issue.", ""): set(quality.ISSUE_KINDS),
        ("quality.suspicion.", ""): set(quality.SUSPICIONS),
        ("wish.every.", ""): set(wish_plan.FREQUENCIES),
        ("wish.vis.", ""): visibilities,
        ("wish.f.vehicle.", ""): set(wishes.VEHICLE_KINDS),
        ("wish.share.status.", ""): set(re.findall(r"""return ["'](\w+)["']""", inspect.getsource(wishes.LinkInfo.status))),
    }


def _scanned_families() -> set[tuple[str, str]]:
    found = {m for f in SCANNED_FILES for m in FSTRING_KEY.findall(f.read_text(encoding="utf-8"))}
    # keep only i18n families: a key prefix some table entry starts with, or a known family
    known = _family_members()
    return {(p, s) for p, s in found if (p, s) in known or any(k.startswith(p) for k in keys())}


def test_every_fstring_key_family_is_known_and_has_keys() -> None:
    families = _scanned_families()
    assert len(families) >= 20, f"the scan should find the f-string key families: {sorted(families)}"
    known = _family_members()
    assert families - set(known) == set(), "a new f-string key family: list its values in _family_members"
    for prefix, suffix in families:
        assert any(k.startswith(prefix) and k.endswith(suffix) for k in keys()), (prefix, suffix)


def test_every_member_of_every_fstring_family_has_a_key_in_both_languages() -> None:
    table = _table()
    missing = []
    for (prefix, suffix), members in _family_members().items():
        if members is None:
            continue
        assert members, f"{prefix}{{…}}{suffix}: no values found"
        for member in sorted(members):
            key = f"{prefix}{member}{suffix}"
            if key not in table:
                missing.append(key)
            else:
                zh, en = table[key]
                assert zh.strip() and en.strip(), key
    assert missing == []
