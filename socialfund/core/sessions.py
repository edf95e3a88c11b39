"""Trading sessions: the calendar constants every annualisation and every fill rule uses.

One definition each: metrics, the leaderboard, fund ideas, the card and the pages
all import these instead of writing 252 again.
"""

from __future__ import annotations

#: Trading sessions per year of daily data (A-share and US exchanges both ≈ 250; 252 is
#: the convention empyrical and the industry annualise with).
PERIODS_PER_YEAR = 252

#: Weeks per year, for weekly-return statistics.
WEEKS_PER_YEAR = 52

#: The one time zone placement times are read in: a rebalance placed "on day t" means
#: day t on the Shanghai wall clock, whatever offset the timestamp was written with.
MARKET_TZ = "Asia/Shanghai"

#: The one limit on carrying a last price forward, in sessions of the axis the prices are
#: on. A held instrument without a quote is valued at its last quote for at most this many
#: sessions (suspensions, holidays of its own market, a late file); a fill may use a quote
#: this old. Beyond it the series is treated as broken, never as flat: the portfolio gets
#: an "excluded" status (``portfolios.nav_with_status``) and drops out of the ranking with
#: the reason shown; a fund gets no idea score ("no price since …"). NAV, metrics, fund
#: ideas and copying all carry with this limit (one rule everywhere).
MAX_CARRY_SESSIONS = 5
