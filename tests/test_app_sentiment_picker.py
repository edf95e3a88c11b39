"""Finding 6 (issue 14): the Sentiment fund picker filters by substring (typing 110022 offers
110022, not a fuzzy "Select 2 matches" that also adds a bond ETF) and offers no "Select all"."""

from __future__ import annotations

from streamlit.proto.SelectWidgetFilterMode_pb2 import SelectWidgetFilterMode

from conftest import app_test


def test_fund_picker_is_contains_filtered_without_select_all(demo_store) -> None:  # type: ignore[no-untyped-def]
    at = app_test("pages/3_Sentiment.py").run()
    assert not at.exception
    picker = at.multiselect(key="sent_funds")
    assert picker.proto.filter_mode == SelectWidgetFilterMode.FILTER_MODE_CONTAINS
    assert picker.proto.select_all == 0 and picker.proto.HasField("select_all")
