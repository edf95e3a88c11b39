"""Finding 9 (issue 14): an as-of date on which no fund can be ranked says why, in the
page's language, instead of showing an empty table."""

from __future__ import annotations

from conftest import app_test


def test_first_session_as_of_says_why_nothing_is_ranked(demo_store) -> None:  # type: ignore[no-untyped-def]
    at = app_test("pages/4_Fund_Ideas.py").run()
    assert not at.exception
    first = at.sidebar.date_input(key="ideas_as_of").min
    at.sidebar.date_input(key="ideas_as_of").set_value(first).run()
    assert not at.exception
    warnings = [w.value for w in at.warning]
    assert any("没有可排序的基金" in w and "更晚的日期" in w for w in warnings), warnings
    # no empty ranking table under the message
    assert all(getattr(d, "key", None) != "ideas_table" for d in at.dataframe)
