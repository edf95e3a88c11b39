"""The snapshot card: a 1080×1350 PNG (a 4:5 social-media portrait) drawn with Pillow.

It shows the portfolio name, the snapshot date, the key metrics with their period and
units, a NAV sparkline, the top holdings, the demo label when the numbers come from
demo data, and a one-line risk notice. Chinese needs a CJK font: ``find_cjk_font``
searches ``SOCIALFUND_CJK_FONT`` and then the usual Debian, macOS and Windows paths,
and raises ``ConfigError`` naming what to install when none is there (a card with
empty boxes instead of characters is worse than a clear error).
"""

from __future__ import annotations

import io
import os
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from datetime import date
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

from socialfund.core.errors import ConfigError
from socialfund.view import palette
from socialfund.core.snapshot import SnapshotPayload
from socialfund.view.formats import money, percent_of_points
from socialfund.view.i18n import t

WIDTH, HEIGHT = 1080, 1350
MARGIN = 64
# Pillow draws with RGB tuples; the colours are the palette's (red up, green down: China convention)
UP, DOWN = palette.rgb(palette.UP), palette.rgb(palette.DOWN)
INK, MUTED, FAINT = palette.rgb(palette.INK), palette.rgb(palette.MUTED), palette.rgb(palette.FAINT)
HEADER_BG, DEMO_BG, DEMO_INK = palette.rgb(palette.BENCHMARK), palette.rgb(palette.DEMO_BG), palette.rgb(palette.DEMO_INK)
TOP_HOLDINGS = 8
ROW_H = 50

#: Where CJK fonts live on common systems (first found wins).
CJK_FONT_PATHS: tuple[str, ...] = (
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",        # Debian/Ubuntu fonts-noto-cjk
    "/usr/share/fonts/noto-cjk/NotoSansCJK-Regular.ttc",             # Arch, Fedora
    "/usr/share/fonts/google-noto-cjk/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",                # fonts-wqy-microhei
    "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
    "/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf",
    "/System/Library/Fonts/PingFang.ttc",                           # macOS
    "/System/Library/Fonts/STHeiti Medium.ttc",
    "/System/Library/Fonts/Hiragino Sans GB.ttc",
    "/Library/Fonts/Arial Unicode.ttf",
    "C:/Windows/Fonts/msyh.ttc",                                    # Windows: Microsoft YaHei
    "C:/Windows/Fonts/simhei.ttf",
    "C:/Windows/Fonts/simsun.ttc",
)


def find_cjk_font(candidates: Sequence[str] | None = None) -> Path:
    """The first existing CJK font file: ``$SOCIALFUND_CJK_FONT``, then ``CJK_FONT_PATHS``."""
    env = os.environ.get("SOCIALFUND_CJK_FONT")
    paths = ([env] if env else []) + list(CJK_FONT_PATHS if candidates is None else candidates)
    for path in paths:
        if path and Path(path).is_file():
            return Path(path)
    raise ConfigError("no Chinese (CJK) font found for the snapshot card: install fonts-noto-cjk "
                      "(apt-get install fonts-noto-cjk) or set SOCIALFUND_CJK_FONT=/path/to/font.ttc")


@lru_cache(maxsize=32)
def load_font(path: str, size: int) -> ImageFont.FreeTypeFont:
    """A font at ``size`` px; in a collection (.ttc) prefer the Simplified Chinese face."""
    if path.lower().endswith(".ttc"):
        for index in range(8):
            try:
                face = ImageFont.truetype(path, size, index=index)
            except OSError:
                break
            family = " ".join(part or "" for part in face.getname()).upper()
            if " SC" in family or "GB" in family or "YAHEI" in family:
                return face
    return ImageFont.truetype(path, size)


def _bold_sibling(path: Path) -> Path:
    bold = path.with_name(path.name.replace("Regular", "Bold"))
    return bold if bold != path and bold.is_file() else path


def pct_text(value: float | None, signed: bool = True) -> str:
    """A fraction as a percentage with two decimals (``+1.23%``; ``—`` when missing): the card
    and the snapshot page show returns the same way."""
    if value is None:
        return "—"
    return f"{value:+.2%}" if signed else f"{value:.2%}"


def _fit(draw: ImageDraw.ImageDraw, text: str, font: ImageFont.FreeTypeFont, width: int) -> str:
    """``text`` cut with an ellipsis so that it fits ``width`` px."""
    if draw.textlength(text, font=font) <= width:
        return text
    while text and draw.textlength(text + "…", font=font) > width:
        text = text[:-1]
    return text + "…"


def _sparkline(draw: ImageDraw.ImageDraw, nav: Sequence[tuple[date, float]], box: tuple[int, int, int, int],
               font: ImageFont.FreeTypeFont, empty_text: str) -> None:
    x0, y0, x1, y1 = box
    draw.rounded_rectangle(box, radius=16, outline=FAINT, width=2)
    values = [float(v) for _, v in nav]
    if len(values) < 2:
        draw.text(((x0 + x1) / 2, (y0 + y1) / 2), empty_text, font=font, fill=MUTED, anchor="mm")
        return
    lo, hi = min(values), max(values)
    span = (hi - lo) or 1.0
    pad = 24
    w, h = x1 - x0 - 2 * pad, y1 - y0 - 2 * pad - 36
    pts = [(x0 + pad + w * i / (len(values) - 1), y0 + pad + h * (1 - (v - lo) / span)) for i, v in enumerate(values)]
    base_y = y0 + pad + h * (1 - (1.0 - lo) / span)
    if y0 + pad <= base_y <= y0 + pad + h:  # NAV = 1 reference line
        for x in range(x0 + pad, x1 - pad, 16):
            draw.line([(x, base_y), (x + 8, base_y)], fill=MUTED, width=1)
    color = UP if values[-1] >= values[0] else DOWN
    draw.line(pts, fill=color, width=5, joint="curve")
    draw.ellipse([pts[-1][0] - 7, pts[-1][1] - 7, pts[-1][0] + 7, pts[-1][1] + 7], fill=color)
    draw.text((x0 + pad, y1 - pad), str(nav[0][0]), font=font, fill=MUTED, anchor="ls")
    draw.text((x1 - pad, y1 - pad), f"{nav[-1][0]}  NAV {values[-1]:.3f}", font=font, fill=MUTED, anchor="rs")


def render_card(payload: SnapshotPayload, lang: str = "zh", *, font_path: Path | None = None,
                title: str | None = None) -> Image.Image:
    """Draw the card of a snapshot payload (``services.snapshots.build_snapshot_payload``);
    its headline is the snapshot's ``title`` (what the owner named what they share), else the
    portfolio name."""
    regular = font_path or find_cjk_font()
    bold = _bold_sibling(regular)
    f = {name: load_font(str(path), size) for name, path, size in (
        ("title", bold, 60), ("h2", bold, 36), ("body", regular, 32), ("small", regular, 26),
        ("metric", bold, 50), ("tiny", regular, 23))}
    img = Image.new("RGB", (WIDTH, HEIGHT), "white")
    d = ImageDraw.Draw(img)
    inner = WIDTH - 2 * MARGIN

    # header: app, portfolio name, owner and snapshot date
    d.rectangle([0, 0, WIDTH, 230], fill=HEADER_BG)
    d.text((MARGIN, 44), t("card.brand", lang), font=f["small"], fill=(200, 215, 230))
    d.text((MARGIN, 82), _fit(d, title or payload.portfolio_name, f["title"], inner), font=f["title"], fill="white")
    created = payload.created_at.date().isoformat()
    sub = t("card.subtitle", lang, owner=payload.owner_name, date=created, version=payload.version)
    d.text((MARGIN, 170), _fit(d, sub, f["small"], inner), font=f["small"], fill=(220, 230, 240))
    y = 256

    if payload.is_demo_data:
        d.rounded_rectangle([MARGIN, y, WIDTH - MARGIN, y + 56], radius=12, fill=DEMO_BG)
        d.text((WIDTH / 2, y + 28), t("card.demo", lang), font=f["h2"], fill=DEMO_INK, anchor="mm")
        y += 80

    # key metrics with their period and units
    m = payload.metrics
    period = payload.period
    if period is not None:
        period_text = t("card.period", lang, start=period.start.isoformat(), end=period.end.isoformat(),
                        sessions=period.sessions)
    else:
        period_text = t("card.no_nav", lang)
    d.text((MARGIN, y), _fit(d, period_text, f["small"], inner), font=f["small"], fill=MUTED)
    y += 44
    cells = [
        (t("card.total_return", lang), pct_text(m.get("total_return")), m.get("total_return")),
        (t("card.volatility", lang), pct_text(m.get("volatility"), signed=False), None),
        (t("card.max_drawdown", lang), pct_text(m.get("max_drawdown")), None),
        (t("card.sharpe", lang), "—" if m.get("sharpe") is None else f"{m['sharpe']:.2f}", None),
    ]
    cell_w = inner / len(cells)
    for i, (label, value, signed_value) in enumerate(cells):
        x = MARGIN + i * cell_w
        color = INK if signed_value is None else (UP if signed_value >= 0 else DOWN)
        d.text((x, y), value, font=f["metric"], fill=color)
        d.text((x, y + 66), _fit(d, label, f["tiny"], int(cell_w) - 12), font=f["tiny"], fill=MUTED)
    y += 120

    # NAV sparkline
    _sparkline(d, payload.nav, (MARGIN, y, WIDTH - MARGIN, y + 270), f["tiny"], t("card.no_nav", lang))
    y += 296

    # top holdings with weight bars (amounts only when the snapshot kept them)
    d.text((MARGIN, y), t("card.top_holdings", lang), font=f["h2"], fill=INK)
    y += 56
    weights = payload.weights_bp
    names = payload.names
    amounts = payload.amounts_cny
    ordered = sorted(weights.items(), key=lambda kv: (-kv[1], kv[0]))
    # as many rows as fit above the footer (one line kept for "and N more")
    fit = max(1, (HEIGHT - 110 - y - ROW_H) // ROW_H)
    rows = ordered[:min(TOP_HOLDINGS, fit)]
    text_room = 250 if amounts else 140  # right-aligned weight (and amount) text
    bar_x, bar_w = MARGIN + 560, inner - 560 - text_room
    for code, bp in rows:
        pair = names.get(code)
        label = t("card.cash", lang) if code == "CASH" else (pair[0 if lang == "zh" else 1] if pair else code)
        shown = label if code == "CASH" else f"{label} {code}"
        d.text((MARGIN, y), _fit(d, shown, f["body"], 540), font=f["body"], fill=INK)
        d.rounded_rectangle([bar_x, y + 10, bar_x + bar_w, y + 34], radius=8, fill=FAINT)
        d.rounded_rectangle([bar_x, y + 10, bar_x + max(4, bar_w * bp / 10_000), y + 34], radius=8, fill=HEADER_BG)
        text = percent_of_points(bp / 100)   # one precision per table (finding 11)
        if code in amounts:
            text = f"{text} {money(amounts[code], 0)}"
        d.text((WIDTH - MARGIN, y + 22), text, font=f["small"], fill=INK, anchor="rm")
        y += ROW_H
    if len(ordered) > len(rows):
        d.text((MARGIN, y + 4), t("card.more", lang, n=len(ordered) - len(rows)), font=f["small"], fill=MUTED)

    # footer: the one-line risk notice
    d.line([(MARGIN, HEIGHT - 96), (WIDTH - MARGIN, HEIGHT - 96)], fill=FAINT, width=2)
    d.text((MARGIN, HEIGHT - 64), _fit(d, t("card.risk", lang), f["tiny"], inner), font=f["tiny"], fill=MUTED)
    return img


def card_png(payload: SnapshotPayload, lang: str = "zh", *, font_path: Path | None = None,
             title: str | None = None) -> bytes:
    """The card as PNG bytes (``title``: the snapshot's title, see ``render_card``)."""
    buf = io.BytesIO()
    render_card(payload, lang, font_path=font_path, title=title).save(buf, format="PNG", optimize=True)
    return buf.getvalue()


# --------------------------------------------------------------------------- the wish card

#: Where a colour emoji font lives (Debian fonts-noto-color-emoji); without one the emoji is left out.
EMOJI_FONT_PATHS: tuple[str, ...] = (
    "/usr/share/fonts/truetype/noto/NotoColorEmoji.ttf",
    "/usr/share/fonts/noto/NotoColorEmoji.ttf",
    "/System/Library/Fonts/Apple Color Emoji.ttc",
    "C:/Windows/Fonts/seguiemj.ttf",
)
#: The wish card's title: drawn at this point in this size (tests check its glyphs there).
WISH_TITLE_XY = (MARGIN, 92)
WISH_TITLE_SIZE = 60
WISH_BAR = (MARGIN, 430, WIDTH - MARGIN, 490)


@dataclass(frozen=True)
class WishCardData:
    """What the wish card shows (fen amounts; rates as fractions; None = unknown)."""

    title: str
    emoji: str
    owner_name: str
    saved_fen: int
    target_fen: int
    target_date: date
    is_demo: bool
    projected_date: date | None = None
    projected: bool = False          # False: no projection ran (None date then means "unknown")
    probability: float | None = None
    paths: int = 0
    guess_rate: float | None = None
    guesses: int = 0
    tips_fen: int = 0


def _yuan(fen: int) -> str:
    whole, cents = divmod(abs(int(fen)), 100)
    return f"{'-' if fen < 0 else ''}{whole:,}.{cents:02d}"


def _emoji_image(emoji: str, size: int) -> Image.Image | None:
    """The emoji drawn with a colour emoji font (bitmap fonts draw at 109 px, then scaled)."""
    if not emoji:
        return None
    for path in EMOJI_FONT_PATHS:
        if not Path(path).is_file():
            continue
        try:
            font = ImageFont.truetype(path, 109)
        except OSError:
            continue
        canvas = Image.new("RGBA", (160, 160), (0, 0, 0, 0))
        ImageDraw.Draw(canvas).text((80, 80), emoji, font=font, embedded_color=True, anchor="mm")
        box = canvas.getbbox()
        if box is None:
            return None
        return canvas.crop(box).resize((size, size), Image.Resampling.LANCZOS)
    return None


def render_wish_card(data: WishCardData, lang: str = "zh", *, font_path: Path | None = None) -> Image.Image:
    """Draw a wish card (1080×1350): title and emoji, saved / target with a progress bar, the
    target date, the projected date and probability, friends' guess rate and simulated tips,
    the demo label when demo, and the one-line risk notice."""
    regular = font_path or find_cjk_font()
    bold = _bold_sibling(regular)
    f = {name: load_font(str(path), size) for name, path, size in (
        ("title", bold, WISH_TITLE_SIZE), ("h2", bold, 40), ("body", regular, 34), ("small", regular, 28),
        ("tiny", regular, 23))}
    img = Image.new("RGB", (WIDTH, HEIGHT), "white")
    d = ImageDraw.Draw(img)
    inner = WIDTH - 2 * MARGIN
    d.rectangle([0, 0, WIDTH, 260], fill=HEADER_BG)
    d.text((MARGIN, 44), t("wcard.brand", lang), font=f["small"], fill=(200, 215, 230))
    d.text(WISH_TITLE_XY, _fit(d, data.title, f["title"], inner - 170), font=f["title"], fill="white")
    d.text((MARGIN, 190), _fit(d, data.owner_name, f["small"], inner - 170), font=f["small"], fill=(220, 230, 240))
    glyph = _emoji_image(data.emoji, 140)
    if glyph is not None:
        img.paste(glyph, (WIDTH - MARGIN - 140, 60), glyph)
    y = 290
    if data.is_demo:
        d.rounded_rectangle([MARGIN, y, WIDTH - MARGIN, y + 56], radius=12, fill=DEMO_BG)
        d.text((WIDTH / 2, y + 28), t("card.demo", lang), font=f["h2"], fill=DEMO_INK, anchor="mm")
    y = 366
    d.text((MARGIN, y), t("wcard.saved", lang, saved=_yuan(data.saved_fen), target=_yuan(data.target_fen)),
           font=f["h2"], fill=INK)
    share = min(1.0, data.saved_fen / data.target_fen) if data.target_fen > 0 else 0.0
    x0, y0, x1, y1 = WISH_BAR
    d.rounded_rectangle(WISH_BAR, radius=30, fill=FAINT)
    if share > 0:
        d.rounded_rectangle([x0, y0, x0 + max(60, int((x1 - x0) * share)), y1], radius=30, fill=UP)
    d.text((WIDTH - MARGIN, y1 + 40), f"{share:.0%}", font=f["h2"], fill=INK, anchor="rm")
    y = y1 + 80
    if data.saved_fen >= data.target_fen:
        d.text((MARGIN, y), t("wcard.reached", lang), font=f["h2"], fill=UP)
        y += 70
    lines = [t("wcard.by", lang, date=data.target_date.isoformat())]
    if not data.projected:
        lines.append(t("wcard.projected_unknown", lang))
    elif data.projected_date is None:
        lines.append(t("wcard.projected_none", lang))
    else:
        lines.append(t("wcard.projected", lang, date=data.projected_date.isoformat()))
    if data.projected and data.probability is not None:
        lines.append(t("wcard.probability", lang, p=f"{data.probability:.0%}", paths=data.paths))
    lines.append(t("wcard.guess_rate", lang, rate=f"{data.guess_rate:.0%}", n=data.guesses)
                 if data.guess_rate is not None and data.guesses else t("wcard.no_guesses", lang))
    if data.tips_fen:
        lines.append(t("wcard.tips", lang, tips=_yuan(data.tips_fen)))
    for line in lines:
        d.text((MARGIN, y), _fit(d, line, f["body"], inner), font=f["body"], fill=INK)
        y += 64
    d.line([(MARGIN, HEIGHT - 96), (WIDTH - MARGIN, HEIGHT - 96)], fill=FAINT, width=2)
    d.text((MARGIN, HEIGHT - 64), _fit(d, t("wcard.risk", lang), f["tiny"], inner), font=f["tiny"], fill=MUTED)
    return img


def wish_card_png(data: WishCardData, lang: str = "zh", *, font_path: Path | None = None) -> bytes:
    """The wish card as PNG bytes."""
    buf = io.BytesIO()
    render_wish_card(data, lang, font_path=font_path).save(buf, format="PNG", optimize=True)
    return buf.getvalue()
