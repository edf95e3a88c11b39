"""The one colour palette: charts, cards and the Streamlit theme all use the same colours."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest

from socialfund.view import cards, palette
from socialfund.view import charts

CONFIG = Path(__file__).resolve().parent.parent / ".streamlit" / "config.toml"
HEX = re.compile(r"^#[0-9a-f]{6}$")


def test_streamlit_theme_colours_equal_the_palette() -> None:
    theme = tomllib.loads(CONFIG.read_text(encoding="utf-8"))["theme"]
    colours = {k: str(v).lower() for k, v in theme.items() if k.lower().endswith("color")}
    assert colours == palette.STREAMLIT_THEME
    assert palette.STREAMLIT_THEME["primaryColor"] == palette.UP


def test_palette_is_red_up_green_down_and_well_formed() -> None:
    named = [palette.UP, palette.DOWN, palette.NEUTRAL, palette.BENCHMARK, palette.INK, palette.MUTED,
             palette.FAINT, palette.DEMO_BG, palette.DEMO_INK, *palette.SERIES]
    assert all(HEX.match(c) for c in named), named
    r, g, _ = palette.rgb(palette.UP)
    assert r > g                                   # up is red
    r, g, _ = palette.rgb(palette.DOWN)
    assert g > r                                   # down is green
    assert palette.UP not in palette.SERIES and palette.DOWN not in palette.SERIES


def test_cards_and_charts_draw_with_the_palette() -> None:
    assert cards.UP == palette.rgb(palette.UP) == (214, 39, 40)
    assert cards.DOWN == palette.rgb(palette.DOWN) == (44, 160, 44)
    assert cards.HEADER_BG == palette.rgb(palette.BENCHMARK)
    assert charts.signed_color(1.0) == palette.UP and charts.signed_color(-1.0) == palette.DOWN


@pytest.mark.parametrize("bad", ["d62728", "#d6272", "#d627288"])
def test_rgb_refuses_what_is_not_rrggbb(bad: str) -> None:
    with pytest.raises(ValueError):
        palette.rgb(bad)
