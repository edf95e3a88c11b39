"""Finding 5 (issue 14), Streamlit's own words: in the Chinese UI no selectbox or multiselect
of any page shows Streamlit's English placeholder ("Choose an option", "Choose options",
"No options to select") and no multiselect offers Streamlit's English "Select all" bulk
action. Each widget must pass a translated ``placeholder=`` (and ``select_all=False``)."""

from __future__ import annotations

import pytest

from app import navigation
from conftest import app_test


def _widgets_with_builtins(page: str) -> list[str]:
    at = app_test(page, "zh")
    at.run()
    assert not at.exception, at.exception
    problems = []
    for box in at.selectbox:
        # an empty proto placeholder makes the browser fall back to "Choose an option"
        if not box.proto.placeholder.strip():
            problems.append(f"selectbox {box.label!r}: no placeholder")
    for multi in at.multiselect:
        if not multi.proto.placeholder.strip():
            problems.append(f"multiselect {multi.label!r}: no placeholder")
        if multi.proto.select_all != 0 and len(multi.options) >= 2:
            problems.append(f"multiselect {multi.label!r}: offers 'Select all'")
    return problems


@pytest.mark.parametrize("page", [spec.path for spec in navigation.PAGES if spec is not navigation.SNAPSHOT])
def test_no_streamlit_english_placeholder_in_zh(demo_store, page: str) -> None:  # type: ignore[no-untyped-def]
    assert _widgets_with_builtins(page) == []
