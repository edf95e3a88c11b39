"""Missing prices in words (zh or en): why a portfolio is left out of the ranking
(``portfolios.NavStatus``, or a row of ``services.leaderboard.CommunityNav.excluded``)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

import pandas as pd

from socialfund.view.i18n import t

#: ``NavStatus.kind`` → its i18n key (the English ``reason`` is shown for any other kind)
KIND_KEYS: Mapping[str, str] = {"no_prices": "gap.no_prices", "not_quoted": "gap.not_quoted",
                                "stale": "gap.stale"}


def _day(value: Any) -> str:
    if value is None or (not isinstance(value, dt.date) and pd.isna(value)):
        return "—"
    return pd.Timestamp(value).date().isoformat()


def unpriced_text(fields: Mapping[str, Any], lang: str = "zh") -> str:
    """One excluded portfolio's reason in ``lang``, from its ``kind, code, session,
    last_price_on, max_carry, reason`` (``NavStatus`` fields or an excluded row)."""
    key = KIND_KEYS.get(str(fields.get("kind")))
    if key is None:
        return str(fields.get("reason", ""))
    return t(key, lang, code=fields.get("code"), session=_day(fields.get("session")),
             since=_day(fields.get("last_price_on")), n=fields.get("max_carry"))
