"""The wish card (view.cards.render_wish_card): size, the title in real CJK glyphs (compared
against the font's .notdef rendering), the progress bar, the demo label, the strings in zh and en."""

from __future__ import annotations

import datetime as dt
import io

from PIL import Image

from conftest import assert_drawn_png, colour_pixels
from socialfund.view import cards
from socialfund.view.palette import BENCHMARK, DEMO_BG, UP
from wish_glyphs import assert_title_in_real_glyphs, reference_title

DATA = cards.WishCardData(title="攒钱买新手机", emoji="📱", owner_name="小明", saved_fen=150_000, target_fen=300_000,
                          target_date=dt.date(2027, 6, 30), is_demo=True, projected_date=dt.date(2027, 6, 24),
                          projected=True, probability=0.83, paths=10_000, guess_rate=0.5, guesses=4, tips_fen=1834)


def test_wish_card_is_drawn_with_chinese_glyphs_progress_and_demo_label() -> None:
    png = cards.wish_card_png(DATA, "zh")
    assert_drawn_png(png, size=(cards.WIDTH, cards.HEIGHT), min_colours=300,
                     colours={BENCHMARK: 100_000, DEMO_BG: 20_000, UP: 10_000})
    assert_title_in_real_glyphs(png, DATA.title)


def test_tofu_would_be_caught() -> None:
    # a title in characters the font lacks is drawn as boxes: the check must fail on it
    missing = "\U000f0000\U000f0001"
    png = cards.wish_card_png(DATA.__class__(**{**DATA.__dict__, "title": missing}), "zh")
    try:
        assert_title_in_real_glyphs(png, missing)
    except AssertionError as exc:
        assert "tofu" in str(exc)
    else:
        raise AssertionError("a tofu title passed the glyph check")
    assert reference_title("新手机").tobytes() != reference_title("旧手机").tobytes()


def test_progress_bar_follows_the_saved_share_and_english_card() -> None:
    def red(saved: int) -> int:
        data = cards.WishCardData(**{**DATA.__dict__, "saved_fen": saved, "is_demo": False})
        with Image.open(io.BytesIO(cards.wish_card_png(data, "en"))) as img:
            return colour_pixels(img.crop(cards.WISH_BAR), UP)
    quarter, half = red(75_000), red(150_000)
    assert 0 < quarter < half and abs(half / quarter - 2) < 0.15
    png = cards.wish_card_png(cards.WishCardData(**{**DATA.__dict__, "is_demo": False}), "en")
    with Image.open(io.BytesIO(png)) as img:
        assert colour_pixels(img, DEMO_BG) == 0          # no demo label when not demo
