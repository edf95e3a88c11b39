"""AppTest of the Sentiment page (demo posts in the session's store)."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

from conftest import app_test


def _run(lang: str = "zh") -> AppTest:
    at = app_test("pages/3_Sentiment.py", lang, timeout=180)
    at.run()
    assert not at.exception, at.exception
    return at


def test_default_view_shows_demo_label_charts_formulas_and_source(demo_store) -> None:  # type: ignore[no-untyped-def]
    at = _run("en")
    assert any("demo data" in w.value for w in at.warning), "demo posts must carry the demo badge"
    funds = at.multiselect[0]
    assert funds.value == ["510300.SS", "161725.SZ"]
    charts = at.get("plotly_chart")
    assert len(charts) >= 4  # two fund panels, the comparison, the heatmap
    captions = " ".join(c.value for c in at.caption)
    assert "Post source: demo" in captions and "synthetic-demo" in captions
    assert "ln((1+N_bull)/(1+N_bear))" in captions and "previous 20 sessions" in captions
    assert "Scorer version: finance-" in captions
    assert "past performance does not predict" in captions
    assert len(at.dataframe) >= 3  # alerts or keywords, and the two top-post tables
    assert not at.error


def test_choosing_funds_and_sources_and_language(demo_store) -> None:  # type: ignore[no-untyped-def]
    at = _run("zh")
    assert any("演示数据" in w.value for w in at.warning)
    at.multiselect[0].set_value(["005827", "512880.SS", "510300.SS"]).run()
    assert not at.exception, at.exception
    assert len(at.get("plotly_chart")) >= 5  # three fund panels + comparison + heatmap
    assert any("易方达蓝筹精选混合" in s.value for s in at.subheader)
    compare = [r for r in at.radio if "对比" in r.label or "指标" in r.label][0]
    compare.set_value("bullishness").run()
    assert not at.exception
    at.sidebar.multiselect[0].set_value([]).run()  # no source: a clear prompt, no charts
    assert not at.exception
    assert any("请至少选择一个帖子来源" in i.value for i in at.info)
    assert not at.get("plotly_chart")


def test_chart_png_export_renders_on_the_server(demo_store) -> None:  # type: ignore[no-untyped-def]
    at = _run("en")
    at.button(key="export-png-make").click().run()
    assert not at.exception and not at.error
    chart, png = at.session_state["sent_png"]
    assert png[:8] == b"\x89PNG\r\n\x1a\n" and len(png) > 10_000
    assert at.get("download_button"), "the PNG download button appears once the image is made"
