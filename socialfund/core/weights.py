"""Portfolio weights as integer basis points: exact, never floats.

A full portfolio is exactly ``FULL_BP`` = 10,000 bp; ``CASH`` is the uninvested part
(earns 0). ``normalise_to_bp`` turns any non-negative weights into bp by the largest-
remainder method; ``validate_weights_bp`` checks given bp; ``hhi`` measures concentration.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from decimal import Decimal
from fractions import Fraction

import numpy as np

from socialfund.core.errors import ValidationError

#: Pseudo-code for the uninvested part of a portfolio (earns 0).
CASH = "CASH"

#: Weights are integers in basis points; a full portfolio is exactly this many.
FULL_BP = 10_000


def normalise_to_bp(weights: Mapping[str, float | Decimal | int]) -> dict[str, int]:
    """Scale non-negative weights to integer basis points summing to exactly 10000.

    ``bp_i = floor(10000 · w_i / Σw)`` then the missing basis points go one each to the
    largest remainders (Hamilton / largest-remainder method). Arithmetic is exact
    (``fractions.Fraction`` of the given floats/Decimals), so the result does not depend
    on the order of the mapping; equal remainders are broken by code, ascending. Codes
    that round to 0 bp are dropped. Raises ``ValidationError`` for negative, NaN or
    infinite weights, an empty mapping or a zero total.
    """
    exact: dict[str, Fraction] = {}
    for code, w in weights.items():
        if not isinstance(code, str) or not code.strip():
            raise ValidationError(f"weight code must be a non-empty string, got {code!r}")
        if isinstance(w, bool) or not isinstance(w, (int, float, Decimal, Fraction, np.floating, np.integer)):
            raise ValidationError(f"weight of {code} must be a number, got {w!r}")
        if isinstance(w, (float, np.floating)) and not math.isfinite(float(w)):
            raise ValidationError(f"weight of {code} is not finite: {w!r}")
        if isinstance(w, Decimal) and not w.is_finite():
            raise ValidationError(f"weight of {code} is not finite: {w!r}")
        frac = Fraction(float(w)) if isinstance(w, np.floating) else Fraction(w)
        if frac < 0:
            raise ValidationError(f"weight of {code} is negative: {w!r}")
        exact[code] = frac
    total = sum(exact.values(), Fraction(0))
    if total <= 0:
        raise ValidationError("weights are empty or sum to zero: nothing to allocate")
    scaled = {code: f * FULL_BP / total for code, f in exact.items()}
    floors = {code: math.floor(v) for code, v in scaled.items()}
    missing = FULL_BP - sum(floors.values())
    # Largest remainder first; ties by code so the result is deterministic.
    order = sorted(scaled, key=lambda c: (-(scaled[c] - floors[c]), c))
    for code in order[:missing]:
        floors[code] += 1
    return {code: bp for code, bp in sorted(floors.items()) if bp > 0}


def validate_weights_bp(weights: Mapping[str, int] | Iterable[tuple[str, int]],
                        universe: Iterable[str] | None = None, *, where: str = "") -> dict[str, int]:
    """Check integer basis-point weights and return them as a plain dict.

    Accepts a mapping or an iterable of ``(code, bp)`` pairs (so duplicated codes from a
    file can be detected). Rules: codes non-empty strings, no duplicates, bp integers
    >= 0, total exactly 10000, every code (other than ``CASH``) in ``universe`` when one
    is given. Raises ``ValidationError`` naming the first problem found.
    """
    prefix = f"{where}: " if where else ""
    pairs = list(weights.items()) if isinstance(weights, Mapping) else list(weights)
    if not pairs:
        raise ValidationError(f"{prefix}no weights given")
    known = None if universe is None else set(universe)
    out: dict[str, int] = {}
    for item in pairs:
        try:
            code, bp = item
        except (TypeError, ValueError):
            raise ValidationError(f"{prefix}expected (code, basis points) pairs, got {item!r}") from None
        if not isinstance(code, str) or not code.strip():
            raise ValidationError(f"{prefix}weight code must be a non-empty string, got {code!r}")
        if code in out:
            raise ValidationError(f"{prefix}duplicate code {code}")
        if isinstance(bp, bool) or not isinstance(bp, (int, np.integer)):
            raise ValidationError(f"{prefix}weight of {code} must be an integer number of basis points, got {bp!r}")
        if bp < 0:
            raise ValidationError(f"{prefix}weight of {code} is negative ({int(bp)} bp)")
        if known is not None and code != CASH and code not in known:
            raise ValidationError(f"{prefix}unknown code {code}")
        out[code] = int(bp)
    total = sum(out.values())
    if total != FULL_BP:
        raise ValidationError(f"{prefix}weights sum to {total} bp, not {FULL_BP}")
    return out


def hhi(weights_bp: Mapping[str, int]) -> float:
    """Herfindahl-Hirschman concentration of the invested part: ``Σ s_i²`` where ``s_i``
    is each non-cash holding's share of the non-cash total (so 1/n for n equal holdings,
    1.0 for a single one). Cash is left out because it carries no concentration risk.
    An all-cash portfolio has no concentration: NaN."""
    invested = np.array([bp for code, bp in weights_bp.items() if code != CASH and bp > 0], dtype=float)
    if invested.size == 0:
        return float("nan")
    shares = invested / invested.sum()
    return float(np.sum(shares * shares))
