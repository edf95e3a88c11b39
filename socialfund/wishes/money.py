"""Money as integer fen (1 fen = 0.01 CNY): parsing what a user types in yuan and
printing fen back as yuan, exactly.

``parse_yuan`` reads the text with ``Decimal`` (never a float): ``"5.2"`` is 520 fen,
``"13.14"`` 1314, ``"¥1,000"`` 100000. More than two decimals, a negative or zero amount
(unless ``allow_zero``), anything not a number, and amounts above ``max_fen`` (default
``MAX_FEN``: 10 million yuan, far beyond any wish) are ``ValidationError`` naming the field.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from socialfund.core.errors import ValidationError

#: The largest amount accepted anywhere in wishes: 10,000,000 yuan, in fen.
MAX_FEN = 10_000_000 * 100


def parse_yuan(value: object, what: str = "amount", *, max_fen: int = MAX_FEN, allow_zero: bool = False) -> int:
    """``value`` (text or number, in yuan) as integer fen; ``ValidationError`` naming ``what``."""
    if isinstance(value, float):
        value = repr(value)          # the shortest text of the float, never its binary expansion
    text = str(value if value is not None else "").strip().replace(",", "").replace("，", "")
    text = text.removeprefix("¥").removeprefix("￥").removesuffix("元").strip()
    if not text:
        raise ValidationError(f"{what} is empty: give an amount in yuan, e.g. 13.14")
    try:
        amount = Decimal(text)
    except InvalidOperation:
        raise ValidationError(f"{what} is not an amount in yuan: {str(value)[:40]!r}") from None
    if not amount.is_finite():
        raise ValidationError(f"{what} is not a finite amount: {str(value)[:40]!r}")
    exponent = amount.as_tuple().exponent
    if isinstance(exponent, int) and exponent < -2 and amount != amount.quantize(Decimal("0.01")):
        raise ValidationError(f"{what} has more than two decimals (the smallest unit is 0.01 yuan, one fen): {text}")
    if amount < 0:
        raise ValidationError(f"{what} is negative: {text}")
    if amount == 0 and not allow_zero:
        raise ValidationError(f"{what} is zero: give a positive amount")
    fen = int(amount * 100)
    if fen > max_fen:
        raise ValidationError(f"{what} is too large: {text} yuan (at most {yuan_text(max_fen)} yuan)")
    return fen


def yuan_text(fen: int, *, grouping: bool = True) -> str:
    """Integer fen as yuan with exactly two decimals (``123456`` → ``1,234.56``), exactly."""
    sign = "-" if fen < 0 else ""
    whole, cents = divmod(abs(int(fen)), 100)
    return f"{sign}{whole:,}.{cents:02d}" if grouping else f"{sign}{whole}.{cents:02d}"


def split_fen(total: int, parts: int) -> list[int]:
    """``total`` fen split into ``parts`` integer amounts differing by at most one fen, adding
    up to ``total`` exactly (the first ``total % parts`` get the extra fen)."""
    if parts <= 0:
        raise ValidationError("cannot split an amount into zero parts")
    base, extra = divmod(int(total), parts)
    return [base + (1 if i < extra else 0) for i in range(parts)]
