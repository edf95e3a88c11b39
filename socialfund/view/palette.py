"""The one colour palette of charts, snapshot cards and the Streamlit theme (hex ``#rrggbb``).

Chinese readers see red as up and green as down, so ``UP`` is red and ``DOWN`` green.
``.streamlit/config.toml`` cannot import Python: its ``[theme]`` colours are listed in
``STREAMLIT_THEME`` and a test checks that the file says the same.
"""

from __future__ import annotations

UP = "#d62728"          # red: up / positive / bullish
DOWN = "#2ca02c"        # green: down / negative / bearish
NEUTRAL = "#7f7f7f"     # grey: reference lines, no direction
BENCHMARK = "#1f4e79"   # navy: benchmark lines and the card's header band
SERIES = ["#1f77b4", "#ff7f0e", "#9467bd", "#8c564b", "#e377c2", "#17becf", "#bcbd22", "#7f7f7f"]
"""Line colours for several instruments, in order (neither red nor green, so no up/down reading)."""

INK = "#212529"         # body text
MUTED = "#6c757d"       # secondary text
FAINT = "#e9ecef"       # rules and light backgrounds
DEMO_BG = "#fff3cd"     # the demo-data label: background
DEMO_INK = "#856404"    # the demo-data label: text

STREAMLIT_THEME: dict[str, str] = {"primaryColor": UP}
"""The ``[theme]`` colours of ``.streamlit/config.toml`` (widgets' accent: the "up" red)."""


def rgb(colour: str) -> tuple[int, int, int]:
    """``"#rrggbb"`` → ``(r, g, b)`` integers 0-255 (what Pillow draws with)."""
    if len(colour) != 7 or not colour.startswith("#"):
        raise ValueError(f"not a #rrggbb colour: {colour!r}")
    return int(colour[1:3], 16), int(colour[3:5], 16), int(colour[5:7], 16)
