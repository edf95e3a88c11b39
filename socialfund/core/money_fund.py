"""The demo's one money-market fund (货币基金): its code, names and file.

Its series lives in ``data/money_fund.csv`` (``date,code,close,yield_7d_pct,source``,
written by ``socialfund.demo.money_fund``), outside ``universe.csv`` — like the FX series
(``fx.csv``) it is asked for by code, so adding it left every other demo series, portfolio
and ranking unchanged. ``close`` is the accumulated value of one unit (1.0 on the first
day; income reinvested daily, calendar days, booked on XSHG sessions), ``yield_7d_pct``
the 7-day annualised yield (七日年化收益率) in percent. Synthetic (demo), not market data:
the code and name are the real 天弘余额宝 fund's, the numbers are invented.
"""

from __future__ import annotations

DEMO_MMF_CODE = "000198"
DEMO_MMF_NAME_ZH = "天弘余额宝货币（演示）"
DEMO_MMF_NAME_EN = "Tianhong Yu'ebao Money Market Fund (demo)"
MONEY_FUND_FILE = "money_fund.csv"
MONEY_FUND_HEADER = ("date", "code", "close", "yield_7d_pct", "source")
