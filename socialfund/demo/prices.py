"""Demo prices: a factor model with invented market regimes on the weekday grid,
stepped to each instrument's own exchange sessions (``PriceBook``), and the rows of
``prices.csv``. Synthetic, not market data.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

from socialfund.core.sources import DEMO_PRICE_SOURCE
from socialfund.demo import DEMO_END, DEMO_START
from socialfund.demo.common import sessions, stage_rng
from socialfund.demo.universe import FACTORS, UNIVERSE
from socialfund.market.fx import fx_code

WEEKDAYS_PER_YEAR = 261  # the return model steps on every weekday (holidays accumulate)
TRACKING_ERROR = 0.01    # annual tracking error of an ETF against the index it tracks
TRACKING_FEE = 0.005     # annual fee drag of a tracker


@dataclass(frozen=True)
class Regime:
    """A market phase: factor moves in standard-deviation units of the daily factor
    shock, spread evenly over the phase, and a volatility multiplier."""

    start: str
    end: str
    vol_mult: float
    moves: dict[str, float]


# Plausible-looking phases so the charts read like markets: a winter drawdown, a
# spring rebound, a summer bleed, a short explosive rally, a tariff-style shock,
# a long rally and a 2026 correction. Invented, not a record of what happened.
REGIMES: tuple[Regime, ...] = (
    Regime("2023-11-20", "2024-02-05", 1.2, {"mkt": -14, "growth": -10, "hk": -6}),
    Regime("2024-02-06", "2024-05-17", 1.0, {"mkt": 12, "value": 5, "hk": 8, "gold": 6}),
    Regime("2024-05-20", "2024-09-23", 0.9, {"mkt": -10, "growth": -5, "bond": 6}),
    Regime("2024-09-24", "2024-10-08", 2.2, {"mkt": 24, "growth": 10, "hk": 12}),
    Regime("2024-10-09", "2025-04-03", 1.2, {"mkt": -3, "growth": 4, "gold": 6}),
    Regime("2025-04-04", "2025-04-08", 2.5,
           {"mkt": -6, "growth": -3, "us": -8, "hk": -8, "gold": -2}),
    Regime("2025-04-09", "2025-12-31", 0.9,
           {"mkt": 14, "growth": 10, "value": 6, "us": 10, "hk": 6, "gold": 8}),
    Regime("2026-01-01", "2026-03-13", 1.0, {"mkt": 4, "value": 3}),
    Regime("2026-03-16", "2026-06-30", 1.3, {"mkt": -12, "growth": -8, "us": -6}),
    Regime("2026-07-01", "2026-11-20", 0.9, {"mkt": 14, "growth": 4, "value": 4, "us": 6}),
)


def weekday_grid() -> pd.DatetimeIndex:
    """Every weekday of the demo window: the model's time step. Exchange holidays are
    weekdays without a session, so their returns pile into the next session."""
    return pd.bdate_range(DEMO_START, DEMO_END)


def factor_shocks(rs: np.random.RandomState, grid: pd.DatetimeIndex) -> np.ndarray:
    """Daily factor shocks (days × FACTORS) in sd units: N(0,1) scaled by the regime
    volatility multiplier (normalised to mean square 1) plus the regime drift."""
    n = len(grid)
    z = rs.standard_normal((n, len(FACTORS)))
    mult = np.ones(n)
    drift = np.zeros((n, len(FACTORS)))
    for regime in REGIMES:
        mask = np.asarray((grid >= pd.Timestamp(regime.start)) & (grid <= pd.Timestamp(regime.end)))
        days = int(mask.sum())
        if days == 0:
            continue
        mult[mask] = regime.vol_mult
        for factor, move in regime.moves.items():
            drift[mask, FACTORS.index(factor)] = move / days
    mult /= math.sqrt(float(np.mean(mult ** 2)))
    return z * mult[:, None] + drift


def simulate_log_returns(rs: np.random.RandomState,
                         grid: pd.DatetimeIndex) -> dict[str, np.ndarray]:
    """Daily log returns on the weekday grid for every instrument (day 0 is 0).

    r_i = (mu_i - s_i²/2)/261 + s_i/√261 · (Σ_k w_ik g_k + idio_i e_i) / ‖(w_i, idio_i)‖
    with g the factor shocks and e_i ~ N(0,1), so the shock part has annual vol s_i.
    A tracker copies its index: r = r_index + TE/√261 · e − fee/261.
    """
    g = factor_shocks(rs, grid)
    step = 1.0 / WEEKDAYS_PER_YEAR
    out: dict[str, np.ndarray] = {}
    for inst in UNIVERSE:  # fixed order: the idiosyncratic draws are consumed in order
        e = rs.standard_normal(len(grid))
        if inst.tracks:
            continue
        w = np.array([inst.loadings.get(f, 0.0) for f in FACTORS])
        norm = math.sqrt(float(w @ w) + inst.idio ** 2)
        shock = (g @ w + inst.idio * e) / norm
        r = (inst.drift - 0.5 * inst.vol ** 2) * step + inst.vol * math.sqrt(step) * shock
        r[0] = 0.0
        out[inst.code] = r
    for inst in UNIVERSE:
        if inst.tracks:
            e = rs.standard_normal(len(grid))
            r = out[inst.tracks] + TRACKING_ERROR * math.sqrt(step) * e - TRACKING_FEE * step
            r[0] = 0.0
            out[inst.code] = r
    return out


@dataclass
class PriceBook:
    """Simulated prices: the weekday-grid log price of every code (for forward looks
    in the planted skill) and each code's closes on its own calendar."""

    grid: pd.DatetimeIndex
    grid_log_price: dict[str, np.ndarray]
    session_dates: dict[str, pd.DatetimeIndex]
    closes: dict[str, np.ndarray]


def simulate_prices(seed: int) -> PriceBook:
    rs = stage_rng(seed, 1)
    grid = weekday_grid()
    returns = simulate_log_returns(rs, grid)
    cal_sessions = {cal: sessions(cal) for cal in ("XSHG", "XNYS")}
    log_price: dict[str, np.ndarray] = {}
    dates: dict[str, pd.DatetimeIndex] = {}
    closes: dict[str, np.ndarray] = {}
    for inst in UNIVERSE:
        lp = math.log(inst.start_price) + np.cumsum(returns[inst.code])
        log_price[inst.code] = lp
        sess = cal_sessions[inst.calendar]
        pos = grid.get_indexer(sess)
        if (pos < 0).any():
            raise AssertionError(f"{inst.calendar} has a session outside the weekday grid")
        dates[inst.code] = sess
        closes[inst.code] = np.round(np.exp(lp[pos]), 6)
    return PriceBook(grid, log_price, dates, closes)


def price_rows(book: PriceBook) -> list[tuple[str, str, str, str]]:
    rows = []
    for inst in UNIVERSE:
        for day, close in zip(book.session_dates[inst.code], book.closes[inst.code]):
            if close <= 0:  # exp() cannot give this; kept as a guard for edits
                raise AssertionError(f"non-positive price for {inst.code} on {day}")
            rows.append((day.strftime("%Y-%m-%d"), inst.code, f"{close:.6f}", DEMO_PRICE_SOURCE))
    rows.sort(key=lambda r: (r[0], r[1]))
    return rows


# --------------------------------------------------------------------------- FX

#: The demo's synthetic exchange rates: CNY per unit of currency, start level and annual
#: volatility (a managed float for USD; HKD pegged to USD in a narrow band, so HKD/CNY
#: moves with USD/CNY). Invented, not market data.
FX_START = {"USD": 7.10}
FX_ANNUAL_VOL = 0.03
HKD_PER_USD = 7.80
HKD_BAND = 0.0025   # the peg's band around 7.80, as a fraction


def simulate_fx(seed: int) -> dict[str, pd.Series]:
    """USDCNY and HKDCNY on XSHG sessions (the CFETS fixing is published on CN business days)."""
    rs = stage_rng(seed, 7)
    days = sessions("XSHG")
    steps = rs.normal(0.0, FX_ANNUAL_VOL / math.sqrt(WEEKDAYS_PER_YEAR), len(days))
    usd = FX_START["USD"] * np.exp(np.cumsum(steps))
    peg = HKD_PER_USD * (1 + np.clip(rs.normal(0.0, HKD_BAND / 2, len(days)), -HKD_BAND, HKD_BAND))
    return {fx_code("USD"): pd.Series(np.round(usd, 6), index=days),
            fx_code("HKD"): pd.Series(np.round(usd / peg, 6), index=days)}


def fx_rows(seed: int) -> list[tuple[str, str, str, str]]:
    rows = [(day.strftime("%Y-%m-%d"), code, f"{rate:.6f}", DEMO_PRICE_SOURCE)
            for code, series in simulate_fx(seed).items()
            for day, rate in zip(pd.DatetimeIndex(series.index), series.to_numpy())]
    rows.sort(key=lambda r: (r[0], r[1]))
    return rows
