"""The demo money-market fund's series (``data/money_fund.csv``; see ``core.money_fund``).

Its own RandomState stream (stage 11): the other stages never see it, so every other demo
file stays byte-identical. The 7-day annualised yield follows a slow decline from about
2.35 % to about 1.7 % over the demo window (the path money-market yields took in China,
invented numbers) plus a mean-reverting AR(1) wobble, kept in [1.4 %, 2.6 %]. Income
accrues every calendar day at yield / 365 and is reinvested, so the unit value on a
session includes the weekend's and holiday's income (as a real MMF books it).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from socialfund.core.money_fund import DEMO_MMF_CODE
from socialfund.core.sources import DEMO_PRICE_SOURCE
from socialfund.demo import DEMO_END, DEMO_START
from socialfund.demo.common import sessions, stage_rng

STAGE = 11
YIELD_START, YIELD_END = 0.0235, 0.0170   # the trend of the 7-day annualised yield (fractions)
AR_PHI, AR_SD = 0.985, 0.00012            # daily AR(1) wobble around the trend
YIELD_FLOOR, YIELD_CAP = 0.014, 0.026


def daily_yields(seed: int) -> pd.Series:
    """The annualised yield earned on each calendar day of the demo window (fractions)."""
    rs = stage_rng(seed, STAGE)
    days = pd.date_range(DEMO_START, DEMO_END, freq="D")
    trend = np.linspace(YIELD_START, YIELD_END, len(days))
    shocks = rs.standard_normal(len(days)) * AR_SD
    wobble = np.zeros(len(days))
    for i in range(1, len(days)):
        wobble[i] = AR_PHI * wobble[i - 1] + shocks[i]
    return pd.Series(np.clip(trend + wobble, YIELD_FLOOR, YIELD_CAP), index=days)


def money_fund_rows(seed: int) -> list[tuple[str, str, str, str, str]]:
    """Rows ``date,code,close,yield_7d_pct,source`` on XSHG sessions: the unit value
    (8 decimals; 1.0 before the first day's income) and the trailing 7-day annualised yield
    (mean daily yield of the last 7 calendar days, percent, 4 decimals)."""
    y = daily_yields(seed)
    value = np.cumprod(1.0 + y.to_numpy() / 365.0)
    value = value / value[0]            # the first day's close is 1.0
    seven = y.rolling(7, min_periods=1).mean()
    frame = pd.DataFrame({"value": value, "seven": seven.to_numpy()}, index=y.index)
    on_sessions = frame.reindex(sessions("XSHG"))
    return [(day.strftime("%Y-%m-%d"), DEMO_MMF_CODE, f"{v:.8f}", f"{s * 100:.4f}", DEMO_PRICE_SOURCE)
            for day, v, s in zip(pd.DatetimeIndex(on_sessions.index), on_sessions["value"], on_sessions["seven"])]
