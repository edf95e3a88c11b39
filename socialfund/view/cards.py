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
from functools import lru_cache
from datetime import date
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

from socialfund.core.errors import ConfigError
from socialfund.view import palette
from socialfund.core.snapshot import SnapshotPayload
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
        text = f"{bp / 100:.2f}%"
        if code in amounts:
            text = f"{bp / 100:.1f}% ¥{float(amounts[code]):,.0f}"
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
