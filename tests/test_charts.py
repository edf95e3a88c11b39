"""Figure builders and the server-side PNG export (kaleido + the Debian chromium the tests install)."""

from __future__ import annotations

import io

import pandas as pd
import plotly.graph_objects as go
import pytest
from PIL import Image

from socialfund.view.charts import figure_png, rebased_lines, signed_color
from socialfund.view.palette import DOWN, UP
from socialfund.core.errors import SocialFundError


def test_red_up_green_down() -> None:
    assert signed_color(0.01) == UP and signed_color(-0.01) == DOWN and UP != DOWN


def test_rebased_lines_start_at_one_and_keep_gaps() -> None:
    closes = pd.DataFrame({"A": [2.0, None, 3.0], "B": [None, 10.0, 5.0]},
                          index=pd.to_datetime(["2024-01-02", "2024-01-03", "2024-01-04"]))
    fig = rebased_lines(closes, {"A": "甲", "B": "乙"})
    a, b = fig.data
    assert a.name == "甲" and list(a.y) == [1.0, 1.5] and list(b.y) == [1.0, 0.5]


def test_figure_png_renders_a_real_png_of_the_requested_size() -> None:
    fig = rebased_lines(pd.DataFrame({"510300.SS": [1.0, 1.1, 1.05]},
                                     index=pd.date_range("2024-01-02", periods=3)), {"510300.SS": "沪深300ETF"}, "测试")
    png = figure_png(fig, width=640, height=360)
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    with Image.open(io.BytesIO(png)) as img:
        assert img.size == (640, 360)
        assert len(set(img.convert("L").getdata())) > 10  # drawn, not a blank canvas


def test_figure_png_without_a_browser_is_one_clear_error(monkeypatch: pytest.MonkeyPatch) -> None:
    def no_chrome(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        raise RuntimeError("Kaleido requires Google Chrome to be installed.")

    monkeypatch.setattr(go.Figure, "to_image", no_chrome)
    with pytest.raises(SocialFundError, match="needs Chrome or Chromium"):
        figure_png(go.Figure())
