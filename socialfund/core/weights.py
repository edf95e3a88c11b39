"""Portfolio weights as integer basis points: exact, never floats — and the percent
weights people type, turned into basis points.

A full portfolio is exactly ``FULL_BP`` = 10,000 bp; ``CASH`` is the uninvested part
(earns 0). ``normalise_to_bp`` turns any non-negative weights into bp by the largest-
remainder method; ``validate_weights_bp`` checks given bp; ``hhi`` measures concentration.

**Percent weights** (``parse_percent``, the one weight parser): ``35``, ``35%``, ``35.5``
and ``35.5 %`` all mean 35 (.5) percent of the portfolio. Full-width characters (``３５％``)
are normalised with Unicode NFKC first. Rejected, with a message saying why: a comma
decimal (``0,35`` — ambiguous between 0.35 % and a thousands separator), blank / ``N/A`` /
``NaN`` / ``-``, negative numbers, anything that is not a plain decimal number. A row of
exactly 0 % is dropped (it holds nothing).

**Totals.** The weights must add up to 100 % (a rounding slack of ``SUM_TOLERANCE_PCT``
percentage points is accepted, e.g. 3 × 33.333 %). Anything else (70 %, 130 %, or
fractions such as 0.35 + 0.65 = 1 %) raises ``WeightsSumError``: it is never rescaled
silently; callers offer ``normalise_percent`` as an explicit choice. Accepted weights
become integer basis points summing to exactly 10,000 via ``normalise_to_bp`` (largest
remainder) and ``validate_weights_bp`` (``percent_to_bp``).
"""

from __future__ import annotations

import math
import re
import unicodedata
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
        raise ValidationError("weights are empty or sum to zero: nothing to allocate", key="error.no_holdings")
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
            raise ValidationError(f"{prefix}unknown code {code}", key="error.unknown_codes", args={"codes": code})
        out[code] = int(bp)
    total = sum(out.values())
    if total != FULL_BP:
        raise ValidationError(f"{prefix}weights sum to {total} bp, not {FULL_BP}", key="error.weights_sum",
                              args={"pct": f"{total / 100:.2f}"})
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


# --------------------------------------------------------------------------- percent weights

#: Percentage points of slack around 100 % accepted as rounding (3 × 33.333 % = 99.999 %).
SUM_TOLERANCE_PCT = Decimal("0.01")
#: How people write "no value" in a weight or code cell (compared lower-cased).
MISSING_TEXT = frozenset({"", "n/a", "na", "nan", "none", "null", "-", "--", "—"})
_NUMBER = re.compile(r"^\+?(\d+(\.\d*)?|\.\d+)$")


class WeightsSumError(ValidationError):
    """The weights do not add up to 100 %; ``total_pct`` says what they add up to."""

    def __init__(self, total_pct: Decimal, *, file: str | None = None) -> None:
        self.total_pct = total_pct
        super().__init__(f"weights add up to {format_pct(total_pct)}%, not 100%: fix them or choose "
                         f"'normalise' to rescale them to 100%", file=file)


def format_pct(value: Decimal | float) -> str:
    """A percentage without trailing zeros: 35 → '35', 12.50 → '12.5'."""
    text = f"{Decimal(str(value)):f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def parse_percent(raw: object, *, file: str | None = None, line: int | None = None,
                  column: str | None = None) -> Decimal:
    """The one weight parser: text or a number in **percent** → ``Decimal`` percent (>= 0).

    See the module docstring for what is accepted and rejected."""

    def bad(message: str) -> ValidationError:
        return ValidationError(message, file=file, line=line, column=column, key="error.bad_weight")

    if isinstance(raw, bool):
        raise bad(f"weight {raw!r} is not a number")
    if isinstance(raw, (int, Decimal)):
        value = Decimal(raw)
    elif isinstance(raw, float):
        value = Decimal(repr(raw))  # the shortest decimal that round-trips: 0.1 stays 0.1
    elif raw is None:
        raise bad("weight is blank")
    else:
        text = unicodedata.normalize("NFKC", str(raw)).strip()
        if text.lower() in MISSING_TEXT:
            raise bad(f"weight is missing ({text or 'blank'}): enter a percentage such as 35")
        if text.endswith("%"):
            text = text[:-1].strip()
        if "," in text:
            raise bad(f"weight {raw!s} uses a comma: write percentages with a dot, e.g. 35 or 35.5")
        if text.startswith("-"):
            raise bad(f"weight {raw!s} is negative")
        if not _NUMBER.match(text):
            raise bad(f"weight {raw!s} is not a percentage (expected e.g. 35 or 35%)")
        value = Decimal(text)
    if not value.is_finite():
        raise bad(f"weight {raw!s} is not a finite number")
    if value < 0:
        raise bad(f"weight {raw!s} is negative")
    if value > 100:
        raise bad(f"weight {raw!s}% is more than 100%")
    return value


def _pairs(weights: Mapping[str, object] | Iterable[tuple[str, object]]) -> list[tuple[str, object]]:
    if isinstance(weights, Mapping):
        return list(weights.items())
    return [(code, raw) for code, raw in weights]


def check_percent_weights(weights: Mapping[str, object] | Iterable[tuple[str, object]],
                          known_codes: Iterable[str] | None = None) -> dict[str, Decimal]:
    """Parse and check (code, percent) pairs, *without* the total check: codes non-empty,
    no duplicates, known (``CASH`` always allowed), percentages parsed by ``parse_percent``.
    Zero rows are dropped. Returns code → Decimal percent, in input order."""
    known = None if known_codes is None else set(known_codes)
    out: dict[str, Decimal] = {}
    unknown: list[str] = []
    for code, raw in _pairs(weights):
        code = unicodedata.normalize("NFKC", str(code or "")).strip()
        if not code:
            raise ValidationError("a row has no code")
        if code in out or any(c == code for c in unknown):
            raise ValidationError(f"duplicate code {code}: list each instrument once (rows are never summed)")
        pct = parse_percent(raw, column=code)
        if known is not None and code != CASH and code not in known:
            unknown.append(code)
            continue
        if pct > 0:
            out[code] = pct
    if unknown:
        raise ValidationError(f"unknown code(s): {', '.join(unknown)}", key="error.unknown_codes",
                              args={"codes": ", ".join(unknown)})
    if not out:
        raise ValidationError("no holdings: enter at least one weight above 0%", key="error.no_holdings")
    return out


def percent_total(weights_pct: Mapping[str, Decimal]) -> Decimal:
    """The sum of percent weights (exact, ``Decimal``)."""
    return sum(weights_pct.values(), Decimal(0))


def percent_to_bp(weights: Mapping[str, object] | Iterable[tuple[str, object]],
                  known_codes: Iterable[str] | None = None, *, file: str | None = None) -> dict[str, int]:
    """Percent weights → integer basis points summing to exactly 10,000.

    ``WeightsSumError`` when they do not add up to 100 % (± ``SUM_TOLERANCE_PCT``);
    ``ValidationError`` for everything ``check_percent_weights`` rejects."""
    known = None if known_codes is None else list(known_codes)
    pct = check_percent_weights(weights, known)
    total = percent_total(pct)
    if abs(total - 100) > SUM_TOLERANCE_PCT:
        raise WeightsSumError(total, file=file)
    bp = normalise_to_bp(pct)
    return validate_weights_bp(bp, known)


def normalise_percent(weights: Mapping[str, object] | Iterable[tuple[str, object]],
                      known_codes: Iterable[str] | None = None) -> dict[str, Decimal]:
    """The explicit 'normalise' action: rescale to exactly 100 % (in 0.01 % steps, largest
    remainder), keeping proportions. Returns code → Decimal percent with two decimals."""
    pct = check_percent_weights(weights, known_codes)
    return {code: (Decimal(bp) / 100).quantize(Decimal("0.01")) for code, bp in normalise_to_bp(pct).items()}


def bp_to_percent(weights_bp: Mapping[str, int]) -> dict[str, Decimal]:
    """Basis points → Decimal percent (2 decimals): 3550 → 35.50."""
    return {code: (Decimal(int(bp)) / 100).quantize(Decimal("0.01")) for code, bp in weights_bp.items()}
