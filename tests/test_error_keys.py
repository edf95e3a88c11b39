"""Finding 5 (issue 14): library errors carry a message key and are shown in the UI's language."""

from __future__ import annotations

import pytest

from socialfund.core.errors import ValidationError
from socialfund.core.weights import validate_weights_bp
from socialfund.io.dates import DateError
from socialfund.services.access import clean_text

from app.errors import message


def _ascii_words(text: str) -> list[str]:
    import re
    return re.findall(r"[A-Za-z]{3,}", text)


def test_plain_message_still_works_in_english_and_never_shows_in_chinese() -> None:
    exc = ValidationError("plain message", file="a.csv", line=3)
    assert str(exc) == "a.csv, line 3: plain message"
    assert message(exc, "en") == "a.csv, line 3: plain message"
    # no translation yet: the Chinese UI says where in words, and keeps the library's text so the
    # message still names what is wrong
    assert message(exc, "zh") == "文件 a.csv，第 3 行：这里的内容无法使用（plain message）：请对照上方的格式说明检查这一处"


@pytest.mark.parametrize("call", [
    lambda: clean_text("  ", "portfolio name", 40, required=True),
    lambda: clean_text("x" * 41, "snapshot title", 40, required=True),
])
def test_names_empty_or_too_long_read_in_chinese(call) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ValidationError) as info:
        call()
    zh, en = message(info.value, "zh"), message(info.value, "en")
    assert _ascii_words(zh) == [], zh
    assert "portfolio name" in en or "snapshot title" in en
    assert str(info.value).isascii()       # the CLI's English text is unchanged


def test_weights_not_summing_and_unknown_codes() -> None:
    with pytest.raises(ValidationError) as info:
        validate_weights_bp([("510300", 6000), ("159915", 3000)])
    assert message(info.value, "zh") == "权重合计 90.00%，应为 100%"
    with pytest.raises(ValidationError) as info:
        validate_weights_bp([("999999", 10000)], universe={"510300"})
    assert "999999" in message(info.value, "zh") and _ascii_words(message(info.value, "zh")) == []


def test_csv_row_and_column_in_words() -> None:
    exc = ValidationError(str(DateError("published_at '昨天下午' is not ISO 8601", "unknown")),
                          file="posts.csv", line=7, column="发帖时间", key="error.date", args={"kind": "unknown"})
    zh = message(exc, "zh")
    assert zh.startswith("文件 posts.csv，第 7 行，“发帖时间”列：") and "YYYY-MM-DD" in zh
    assert "not ISO" not in zh
    assert message(exc, "en").startswith("file posts.csv, line 7, column 发帖时间: ")


def test_a_posts_file_with_a_relative_time_is_refused_in_chinese() -> None:
    from socialfund.io import posts_file
    data = "code,published_at,text\n510300,昨天下午,好\n".encode()
    with pytest.raises(ValidationError) as info:
        posts_file.parse_posts(data, "p.csv", codes={"510300"})
    assert info.value.key == "error.date"
    assert "ISO 8601" in message(info.value, "zh") and "not" not in message(info.value, "zh")


def test_snapshot_form_errors_read_in_chinese(demo_store) -> None:  # type: ignore[no-untyped-def]
    from socialfund.services import snapshots
    from socialfund.store.users import get_or_create_user

    me = get_or_create_user(demo_store, "local:owner", "keys")
    for bad in ({"amount_cny": -5, "expires_in_days": 7}, {"amount_cny": 100, "expires_in_days": 99_999}):
        with pytest.raises(ValidationError) as info:   # finding 1's snapshot: amount −5, 99,999 days
            snapshots.create_snapshot_from_form(demo_store, me, 1, None, title="t", visibility="private",
                                                weights_only=False, is_demo_data=True, risk_free=0.0, **bad)
        zh = message(info.value, "zh")
        assert info.value.key and _ascii_words(zh) == [], zh
        assert message(info.value, "en") == str(info.value)
