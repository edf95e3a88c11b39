"""The snapshot card: size, CJK glyphs that are real glyphs (not boxes), demo label, font search."""

from __future__ import annotations

import dataclasses
import io
from datetime import datetime
from decimal import Decimal
from pathlib import Path

import numpy as np
import pytest
from PIL import Image, ImageDraw, ImageFont

from socialfund.view import cards

from socialfund.services import portfolio_crud, snapshots
from socialfund.core.errors import ConfigError
from socialfund.core.snapshot import SnapshotPayload
from socialfund.market.providers import DemoProvider
from socialfund.market.sessions import session_prices
from socialfund.store import open_store
from socialfund.store.demo import ensure_demo
from socialfund.store.users import get_or_create_user

REPO = Path(__file__).resolve().parent.parent
DEJAVU = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"
CHARS = "基金组合收益"


def _glyph(font: ImageFont.FreeTypeFont, ch: str) -> bytes:
    img = Image.new("L", (80, 80), 0)
    ImageDraw.Draw(img).text((8, 8), ch, font=font, fill=255)
    return img.tobytes()


def test_cjk_font_draws_distinct_glyphs_where_a_latin_font_draws_boxes() -> None:
    cjk = cards.load_font(str(cards.find_cjk_font()), 48)
    latin = ImageFont.truetype(DEJAVU, 48)
    cjk_glyphs = {_glyph(cjk, ch) for ch in CHARS}
    latin_glyphs = {_glyph(latin, ch) for ch in CHARS}
    # Six different characters: six different bitmaps with the CJK font...
    assert len(cjk_glyphs) == len(CHARS)
    # ...and one and the same "missing glyph" box for all six with DejaVu Sans.
    assert len(latin_glyphs) == 1
    # The CJK bitmaps are real strokes, not empty images.
    assert all(sum(g) > 255 * 50 for g in cjk_glyphs)
    assert cjk.getname()[0].endswith("SC"), "the Simplified Chinese face of the collection is used"


def test_find_cjk_font_fails_clearly_when_none_is_installed(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.delenv("SOCIALFUND_CJK_FONT", raising=False)
    with pytest.raises(ConfigError, match="fonts-noto-cjk"):
        cards.find_cjk_font([str(tmp_path / "nope.ttc")])
    monkeypatch.setenv("SOCIALFUND_CJK_FONT", DEJAVU)
    assert cards.find_cjk_font([]) == Path(DEJAVU)


@pytest.fixture(scope="module")
def payload(tmp_path_factory) -> SnapshotPayload:  # type: ignore[no-untyped-def]
    path = tmp_path_factory.mktemp("cards") / "x.db"
    store = open_store(f"sqlite:///{path}")
    ensure_demo(store)
    me = get_or_create_user(store, "local:owner", "晒单小能手")
    pid = portfolio_crud.create_portfolio(store, me, "稳健增长 · 沪深300+创业板", {
        "510300.SS": 30, "159915.SZ": 20, "518880.SS": 10, "511260.SS": 10, "513100.SS": 8, "512880.SS": 7,
        "000001": 5, "110022": 4, "SPY": 3, "CASH": 3}, now=datetime(2024, 12, 2, 2))
    created = snapshots.create_snapshot(store, me, pid, session_prices(DemoProvider()), weights_only=False,
                                        amount_cny=Decimal(200_000), is_demo_data=True, now=datetime(2026, 11, 24, 4))
    view = snapshots.open_snapshot(store, created.token, now=datetime(2026, 11, 24, 5))
    store.dispose()
    return view.payload


def test_card_png_has_the_size_and_content_and_is_saved_for_review(payload: SnapshotPayload) -> None:
    data = cards.card_png(payload, "zh")
    (REPO / "test-artifacts").mkdir(exist_ok=True)
    (REPO / "test-artifacts" / "snapshot-card.png").write_bytes(data)
    img = Image.open(io.BytesIO(data)).convert("RGB")
    assert img.size == (1080, 1350)
    pixels = np.asarray(img)
    # the demo label band (pale yellow) is drawn near the top
    demo_band = (pixels[256:336, 200:880] == np.array(cards.DEMO_BG)).all(axis=2).mean()
    assert demo_band > 0.5
    # the NAV sparkline is drawn in red (up) or green (down)
    spark = pixels[470:800]
    red_or_green = ((spark == np.array(cards.UP)).all(axis=2) | (spark == np.array(cards.DOWN)).all(axis=2)).sum()
    assert red_or_green > 500
    # a card without the demo flag has no demo band
    plain = np.asarray(cards.render_card(dataclasses.replace(payload, is_demo_data=False), "en"))
    assert (plain[256:336, 200:880] == np.array(cards.DEMO_BG)).all(axis=2).mean() < 0.01


def test_card_without_nav_history_still_renders(payload: SnapshotPayload) -> None:
    fresh = dataclasses.replace(payload, nav=(), metrics={}, period=None)
    img = cards.render_card(fresh, "en")
    assert img.size == (1080, 1350)
    assert np.asarray(img).std() > 10
