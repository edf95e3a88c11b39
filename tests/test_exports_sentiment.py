"""Finding 8 (issue 14): chart exports carry the demo label; the sentiment CSV has readable
headers and a machine-readable variant, the price beside the sentiment, and the posts behind
the charts can be downloaded."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from conftest import app_test
from socialfund.view.charts import with_demo_label


def test_demo_label_is_drawn_into_the_exported_figure() -> None:
    fig = go.Figure(go.Scatter(x=[1, 2], y=[1, 2]))
    out = with_demo_label(fig, "演示数据 / demo data")
    assert [a.text for a in out.layout.annotations] == ["演示数据 / demo data"]
    assert "demo data" in out.to_html(include_plotlyjs=False)
    assert not fig.layout.annotations            # the page's own figure is unchanged


def test_sentiment_export_puts_the_close_beside_each_session_and_translates_headers() -> None:
    from app.sentiment_tabs import EXPORT_FIELDS, export_frame
    from socialfund.io.exports import with_headers
    from socialfund.social.selection import Window
    from socialfund.view.i18n import t

    daily = pd.DataFrame({"session": pd.to_datetime(["2026-01-05", "2026-01-06"]), "code": ["510300.SS"] * 2,
                          "mean_score": [0.6, 0.4], "n_posts": [3, 2], "bullishness": [0.5, -0.3]})
    closes = pd.DataFrame({"510300.SS": [3.91, 3.87]}, index=pd.to_datetime(["2026-01-05", "2026-01-06"]))
    out = export_frame(Window(daily, pd.DataFrame()), {"510300.SS": "沪深300ETF"}, "v1", ["demo"], ["demo"], closes)
    assert list(out["close"]) == [3.91, 3.87]
    assert list(out.columns[:4]) == ["session", "code", "name", "close"]
    readable = with_headers(out, {c: t(f"sent.field.{c}", "zh") for c in EXPORT_FIELDS})
    assert "复权收盘价" in readable.columns and "平均情绪（0–1）" in readable.columns
    assert "close" not in readable.columns


def test_sentiment_export_has_price_readable_and_machine_headers_and_posts(demo_store) -> None:  # type: ignore[no-untyped-def]
    from app import sentiment_tabs
    at = app_test("pages/3_Sentiment.py").run()
    assert not at.exception
    labels = [b.proto.label for b in at.get("download_button")]
    assert "下载图表背后的帖子（CSV）" in labels
    assert "机器可读（英文字段名）" in labels
    assert "close" in sentiment_tabs.EXPORT_FIELDS


def test_date_axes_follow_the_language_and_price_ticks_are_tidy() -> None:
    """Finding 5/11 (issue 14): Chinese month labels in the zh UI, not "Jan 2026"."""
    from socialfund.view.charts import localise
    from socialfund.view.charts.sentiment import fund_panel

    x = pd.date_range("2026-01-05", periods=60, freq="B")
    daily = pd.DataFrame({"session": x, "mean_score": 0.5, "bullishness": 0.1, "n_posts": 2})
    close = pd.Series(range(60), index=x, dtype=float) / 100 + 3.5
    labels = {"sentiment": "情绪", "smooth": "均值", "price": "价格", "bullishness": "B", "posts": "帖子"}
    zh = localise(fund_panel(daily, close, title="t", labels=labels), "zh")
    formats = [s.value for s in zh.layout.xaxis.tickformatstops]
    assert "%Y年%-m月" in formats and "%b %Y" not in formats
    en = localise(fund_panel(daily, close, title="t", labels=labels), "en")
    assert "%b %Y" in [s.value for s in en.layout.xaxis.tickformatstops]
    assert zh.layout.yaxis2.tickformat == ".2f"


def test_bullishness_legend_has_one_colour_per_series_whatever_the_data() -> None:
    """Finding 11: the legend swatch was red in one panel and green in the next."""
    from socialfund.view.charts.sentiment import fund_panel
    from socialfund.view.palette import DOWN, UP

    x = pd.date_range("2026-01-05", periods=4, freq="B")
    labels = {"sentiment": "情绪", "smooth": "均值", "price": "价格", "bullishness": "B", "posts": "帖子"}
    colours = []
    for b in ([-0.5, 0.2, 0.3, -0.1], [0.4, -0.2, -0.3, 0.1]):
        fig = fund_panel(pd.DataFrame({"session": x, "mean_score": 0.5, "bullishness": b, "n_posts": 1}), None,
                         title="t", labels=labels)
        colours.append({tr.name: tr.marker.color for tr in fig.data if tr.name.startswith("B ")})
    assert colours[0] == colours[1] == {"B ≥ 0": UP, "B < 0": DOWN}


def test_more_than_three_funds_are_small_multiples_not_spaghetti() -> None:
    """Finding 11: a six-fund comparison was unreadable spaghetti on one axis."""
    from socialfund.view.charts.sentiment import compare_lines

    x = pd.date_range("2026-01-05", periods=5, freq="B")
    daily = pd.concat([pd.DataFrame({"session": x, "code": f"F{i}", "mean_score": 0.5}) for i in range(6)])
    six = compare_lines(daily, {}, title="t")
    assert len({tr.xaxis for tr in six.data}) == 6 and not six.layout.showlegend
    three = compare_lines(daily[daily["code"].isin(["F0", "F1", "F2"])], {}, title="t")
    assert {tr.xaxis for tr in three.data} == {None} or len({tr.xaxis for tr in three.data}) == 1


def test_rebalance_bars_are_labelled_with_instrument_and_change() -> None:
    """Finding 11: rebalance bars had no labels (hover only)."""
    from socialfund.view.charts.portfolio import rebalance_bars

    deltas = pd.DataFrame({"placed_at": pd.to_datetime(["2026-01-05", "2026-01-05"]).tz_localize("UTC"),
                           "code": ["510300.SS", "159915.SZ"], "delta_bp": [1500, -1500]})
    fig = rebalance_bars(deltas, {"510300.SS": "沪深300ETF"}, title="t", y_label="pp")
    assert list(fig.data[0].text) == ["沪深300ETF +15.0", "159915.SZ -15.0"]
