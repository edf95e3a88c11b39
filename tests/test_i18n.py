"""Every user-facing string exists in Chinese and English, and every key the app uses exists."""

from __future__ import annotations

import re
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
