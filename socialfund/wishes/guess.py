""""Guess my wish": the common wishes the app suggests as decoys, the candidates a friend
picks from, the simulated tip amounts, and what a friend may type (name and message).

Tips are **simulated**: socialfund moves no money; a tip only adds to the wish's progress.
"""

from __future__ import annotations

import random
import unicodedata
from collections.abc import Sequence

from socialfund.core.errors import ValidationError
from socialfund.wishes.money import parse_yuan

#: (title zh, title en, emoji): what people commonly save for (the app's decoy suggestions).
COMMON_WISHES: tuple[tuple[str, str, str], ...] = (
    ("新手机", "A new phone", "📱"),
    ("一次旅行", "A trip", "✈️"),
    ("演唱会门票", "Concert tickets", "🎤"),
    ("新电脑", "A new laptop", "💻"),
    ("给爸妈的礼物", "A gift for my parents", "🎁"),
    ("学一门课", "A course", "📚"),
    ("一辆自行车", "A bicycle", "🚲"),
    ("应急备用金", "An emergency fund", "🛟"),
    ("一台相机", "A camera", "📷"),
    ("健身年卡", "A gym membership", "🏋️"),
    ("一只猫", "A cat", "🐱"),
    ("新耳机", "New headphones", "🎧"),
)

#: The typical simulated tips in fen: 5.20 (我爱你), 13.14 (一生一世), 52.00.
TIP_PRESETS_FEN: tuple[int, ...] = (520, 1314, 5200)
#: The largest simulated tip: 200 yuan.
MAX_TIP_FEN = 20_000
MAX_GUESSER_NAME = 32
MAX_MESSAGE = 140
MAX_TITLE = 64
MAX_EMOJI = 16
N_DECOYS = 3


def clean_line(value: object, what: str, limit: int, *, required: bool = False) -> str:
    """Text a friend or owner typed: NFC, control and format characters removed (no hidden
    bidi tricks or newlines), whitespace collapsed; ``ValidationError`` if longer than ``limit``
    or empty when required."""
    text = unicodedata.normalize("NFC", str(value or ""))
    text = "".join(ch if unicodedata.category(ch)[0] != "C" else " " for ch in text)
    text = " ".join(text.split())
    if required and not text:
        raise ValidationError(f"{what} is empty")
    if len(text) > limit:
        raise ValidationError(f"{what} is longer than {limit} characters")
    return text


def suggest_decoys(title: str, lang: str = "zh", seed: int = 0) -> list[tuple[str, str]]:
    """Three (title, emoji) decoys from ``COMMON_WISHES``, none equal to ``title``."""
    pool = [(zh if lang == "zh" else en, emoji) for zh, en, emoji in COMMON_WISHES
            if title.strip().casefold() not in (zh.casefold(), en.casefold())]
    return random.Random(seed).sample(pool, N_DECOYS)


def check_decoys(title: str, decoys: Sequence[tuple[str, str]]) -> list[tuple[str, str]]:
    """Exactly three distinct decoy titles, none the real title (case-insensitive)."""
    cleaned = [(clean_line(t, "decoy title", MAX_TITLE, required=True), clean_line(e, "decoy emoji", MAX_EMOJI))
               for t, e in decoys]
    if len(cleaned) != N_DECOYS:
        raise ValidationError(f"give exactly {N_DECOYS} decoy wishes, got {len(cleaned)}")
    folded = [t.casefold() for t, _ in cleaned]
    if len(set(folded)) != N_DECOYS:
        raise ValidationError("the decoy wishes must all differ")
    if title.casefold() in folded:
        raise ValidationError("a decoy wish is the real wish: pick another")
    return cleaned


def candidates(title: str, emoji: str, decoys: Sequence[tuple[str, str]], seed: int) -> list[tuple[str, str]]:
    """The four (title, emoji) a friend picks from: the real one and the decoys, in an order
    fixed by ``seed`` (the wish's id), so reloading the link shows the same order."""
    items = [(title, emoji), *[(t, e) for t, e in decoys]]
    random.Random(seed * 7919 + 13).shuffle(items)
    return items


def parse_tip(value: object) -> int:
    """A simulated tip in fen: 0 (none) up to ``MAX_TIP_FEN``; the presets or the friend's own."""
    if value is None or str(value).strip() in ("", "0"):
        return 0
    return parse_yuan(value, "tip", max_fen=MAX_TIP_FEN)
