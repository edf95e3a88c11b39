"""Helpers of the wish-card tests: is the card's title drawn with real CJK glyphs (not tofu)?

The check renders the title the way ``view.cards.render_wish_card`` does (same font, size,
position and background) and compares the card's title region with it pixel for pixel, and
checks that every character's glyph differs from the font's .notdef glyph (what a font
draws for a character it lacks: the "tofu" box)."""

from __future__ import annotations

import io

from PIL import Image, ImageDraw

from socialfund.view import cards
from socialfund.view.palette import BENCHMARK, rgb

#: The card's title region (x0, y0, x1, y1): below the brand line, above the owner's name.
TITLE_REGION = (cards.MARGIN - 8, 88, cards.WIDTH - cards.MARGIN - 170, 182)
MISSING = "\U000f0000"   # a private-use plane character no CJK font has: drawn as .notdef


def _bold_font():  # type: ignore[no-untyped-def]
    regular = cards.find_cjk_font()
    return cards.load_font(str(cards._bold_sibling(regular)), cards.WISH_TITLE_SIZE)


def _glyph(ch: str) -> bytes:
    img = Image.new("L", (120, 120), 0)
    ImageDraw.Draw(img).text((10, 10), ch, font=_bold_font(), fill=255)
    return img.tobytes()


def reference_title(title: str) -> Image.Image:
    """The title region as the card draws it."""
    img = Image.new("RGB", (cards.WIDTH, cards.HEIGHT), rgb(BENCHMARK))
    ImageDraw.Draw(img).text(cards.WISH_TITLE_XY, title, font=_bold_font(), fill="white")
    return img.crop(TITLE_REGION)


def assert_title_in_real_glyphs(png: bytes, title: str) -> None:
    notdef = _glyph(MISSING)
    for ch in title:
        if not ch.isspace():
            assert _glyph(ch) != notdef, f"{ch!r} is drawn as the font's .notdef box (tofu)"
    with Image.open(io.BytesIO(png)) as card:
        region = card.convert("RGB").crop(TITLE_REGION)
    assert region.tobytes() == reference_title(title).tobytes(), "the card's title is not the title in the CJK font"
    assert region.tobytes() != reference_title(MISSING * len(title)).tobytes()
