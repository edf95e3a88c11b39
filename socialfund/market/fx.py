"""Prices in the portfolio's currency: every portfolio is valued in CNY (``BASE_CURRENCY``),
so a leg quoted in USD or HKD is converted with an FX series from the same provider.

An FX series is a price series like any other, coded ``<CUR>CNY`` (``USDCNY`` = CNY per
1 USD): the demo ships a labelled synthetic one (``data/fx.csv``, source synthetic-demo),
and a store of one's own takes one by ``prices import`` (a file with code ``USDCNY``).

Conversion, at each XSHG session d: ``close_CNY(d) = close(d) · rate(d)`` where ``close(d)``
is the leg's close as aligned by ``market.sessions`` (for a US leg, the last US close dated
before d) and ``rate(d)`` the FX rate dated on or before d (the CFETS fixing of d is
published at 9:15 Beijing, before the close). Nothing later than d is used. A foreign leg
with no rate at d is NaN there (unpriced, never valued in the wrong currency).
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

BASE_CURRENCY = "CNY"


def fx_code(currency: str) -> str:
    """The series code of a currency's rate in CNY (``USD`` → ``USDCNY``)."""
    return f"{currency.upper()}{BASE_CURRENCY}"


def foreign_currencies(codes: list[str], currencies: Mapping[str, str]) -> list[str]:
    """The currencies other than CNY among ``codes`` (unknown or empty currency = CNY)."""
    return sorted({currencies[c].upper() for c in codes if currencies.get(c) and currencies[c].upper() != BASE_CURRENCY})


def to_base_currency(aligned: pd.DataFrame, currencies: Mapping[str, str], rates: pd.DataFrame) -> pd.DataFrame:
    """``aligned`` (sessions × codes, each in its own currency) with every foreign leg
    multiplied by its rate on that session (``rates``: dates × ``<CUR>CNY`` codes; the last
    rate dated on or before the session is used). FX columns themselves are left as they are."""
    out = aligned.copy()
    sessions = pd.DatetimeIndex(aligned.index)
    for code in aligned.columns:
        currency = (currencies.get(code) or BASE_CURRENCY).upper()
        if currency == BASE_CURRENCY or code == fx_code(currency):
            continue
        series = rates[fx_code(currency)].dropna() if fx_code(currency) in rates.columns else pd.Series(dtype=float)
        pos = np.searchsorted(series.index.values, sessions.values, side="right") - 1
        rate = np.where(pos >= 0, series.to_numpy(dtype=float)[np.maximum(pos, 0)], np.nan) if len(series) else np.nan
        out[code] = aligned[code].to_numpy(dtype=float) * rate
    return out
