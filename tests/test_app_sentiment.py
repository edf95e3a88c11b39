"""AppTest of the Sentiment page (demo posts in the session's store)."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

from conftest import app_test, assert_drawn_png, figure_by_title, plotly_figures
from socialfund.demo.universe import BY_CODE
from socialfund.view.i18n import t
from socialfund.view.palette import DOWN, UP

PANEL_TRACES = ("sent.sentiment", "sent.smooth", "sent.price", "sent.bullishness", "sent.posts")


def _run(lang: str = "zh") -> AppTest:
    at = app_test("pages/3_Sentiment.py", lang, timeout=180)
    at.run()
    assert not at.exception, at.exception
    return at


def _assert_named_charts(at: AppTest, lang: str, codes: list[str]) -> None:
    """One panel per fund (its name in the title, every series named), the comparison of all
    of them and the weekly heatmap on the red-up / green-down scale."""
    figs = plotly_figures(at)
    names = [getattr(BY_CODE[c], f"name_{lang}") for c in codes]
    for name in names:
        panel = figure_by_title(figs, f"{name} · ")
        traces = {d.get("name"): d for d in panel["data"]}
        assert {t(k, lang) for k in PANEL_TRACES if k != "sent.bullishness"} <= set(traces), sorted(traces)
        # bullishness: two series, red at/above 0 and green below (one colour each in every panel)
        up, down = traces[t("sent.bullishness", lang) + " ≥ 0"], traces[t("sent.bullishness", lang) + " < 0"]
        assert up["type"] == down["type"] == "bar" and (up["marker"]["color"], down["marker"]["color"]) == (UP, DOWN)
    compare = figure_by_title(figs, t("sent.compare_title", lang))
    assert sorted(d["name"] for d in compare["data"]) == sorted(names)
    assert compare["layout"]["yaxis"]["title"]["text"] == t("sent.metric_mean_score", lang)
    heatmap = figure_by_title(figs, t("sent.heatmap_title", lang))
    (cells,) = heatmap["data"]
    assert cells["type"] == "heatmap" and heatmap["layout"]["xaxis"]["type"] == "category"
    scale = [colour for _, colour in cells["colorscale"]]
    assert scale[0] == DOWN and scale[-1] == UP
    assert set(cells["y"]) == set(names)


def test_default_view_shows_demo_label_charts_formulas_and_source(demo_store) -> None:  # type: ignore[no-untyped-def]
    at = _run("en")
    assert any("demo data" in w.value for w in at.warning), "demo posts must carry the demo badge"
    funds = at.multiselect[0]
    assert funds.value == ["510300.SS", "161725.SZ"]
    charts = at.get("plotly_chart")
    assert len(charts) >= 4  # two fund panels, the comparison, the heatmap
    _assert_named_charts(at, "en", ["510300.SS", "161725.SZ"])
    captions = " ".join(c.value for c in at.caption)
    assert "Post source: demo" in captions and "synthetic-demo" in captions
    assert "ln((1+N_bull)/(1+N_bear))" in captions and "previous 20 sessions" in captions
    assert "Scorer version: finance-" in captions
    assert "past performance does not predict" in captions
    assert len(at.dataframe) >= 1  # alerts or keywords (the top posts are cards: test_app_layout_numbers.py)
    assert not at.error


def test_choosing_funds_and_sources_and_language(demo_store) -> None:  # type: ignore[no-untyped-def]
    at = _run("zh")
    assert any("演示数据" in w.value for w in at.warning)
    at.multiselect[0].set_value(["005827", "512880.SS", "510300.SS"]).run()
    assert not at.exception, at.exception
    assert len(at.get("plotly_chart")) >= 5  # three fund panels + comparison + heatmap
    _assert_named_charts(at, "zh", ["005827", "512880.SS", "510300.SS"])
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
    # the default export is the first fund's panel: figure_png's 1200×700, drawn, with its
    # red (bullish) and green (bearish) bullishness bars
    assert chart == "510300.SS"
    assert_drawn_png(png, size=(1200, 700), min_colours=200, colours={UP: 200, DOWN: 200})
    assert at.get("download_button"), "the PNG download button appears once the image is made"
