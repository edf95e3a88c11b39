"""What the portfolio pages show, as plain frames and values (no Streamlit, no translation):
the benchmark choices, the target-weights and rebalance tables, a portfolio's holdings in
percent and its version history, a feed item's changes in words, and the figures of a paper
copy (its gap in signed percents, its first fill day).

Weights arrive in basis points (1 bp = 0.01 %, 10 000 bp = 100 %) and leave as fractions
(``bp / 10_000``: the page formats them as percents) or, for the owner's own tables, as
percent numbers (``bp / 100``). Column names are stable English ids; the app renames them
into the session's language.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence

import pandas as pd

from socialfund.copying import CopyResult, GapAttribution
from socialfund.core.models import PortfolioVersion
from socialfund.core.weights import FULL_BP, bp_to_percent
from socialfund.market.instruments import Instrument
from socialfund.market.sessions import DEFAULT_BENCHMARK

#: Benchmarks offered beside the indices, when the universe has them.
EXTRA_BENCHMARKS: tuple[str, ...] = ("SPY", "QQQ")
STAMP = "%Y-%m-%d %H:%M"   # how a version's placement time is shown


def benchmark_choices(universe: Sequence[Instrument]) -> tuple[list[str], int]:
    """The benchmark codes (every index, then SPY and QQQ when present) and the index of the
    default one (``DEFAULT_BENCHMARK``, else the first)."""
    present = {i.code for i in universe}
    codes = [i.code for i in universe if i.kind == "index"] + [c for c in EXTRA_BENCHMARKS if c in present]
    return codes, codes.index(DEFAULT_BENCHMARK) if DEFAULT_BENCHMARK in codes else 0


def target_weights(target_bp: Mapping[str, int], holdings: Mapping[str, float],
                   names: Mapping[str, str]) -> pd.DataFrame:
    """The current version's targets beside today's drifted weights: columns ``code``,
    ``name``, ``target`` (fraction) and ``weight`` (fraction, 0 when not held)."""
    return pd.DataFrame({
        "code": list(target_bp),
        "name": [names.get(c, c) for c in target_bp],
        "target": [bp / FULL_BP for bp in target_bp.values()],
        "weight": [holdings.get(c, 0.0) for c in target_bp],
    })


def rebalance_table(deltas: pd.DataFrame, names: Mapping[str, str]) -> pd.DataFrame:
    """Every weight change (``portfolios.rebalance_deltas``), newest first and by code:
    ``version``, ``placed_at`` (text), ``code``, ``name``, ``prev``, ``new``, ``delta`` (fractions)."""
    shown = deltas.sort_values(["placed_at", "code"], ascending=[False, True])
    return pd.DataFrame({
        "version": shown["version"],
        "placed_at": shown["placed_at"].dt.strftime(STAMP),
        "code": shown["code"],
        "name": [names.get(c, c) for c in shown["code"]],
        "prev": shown["prev_bp"] / FULL_BP,
        "new": shown["new_bp"] / FULL_BP,
        "delta": shown["delta_bp"] / FULL_BP,
    })


def holdings_percent(weights_bp: Mapping[str, int], names: Mapping[str, str]) -> pd.DataFrame:
    """A version's weights as ``code``, ``name``, ``weight`` (percent number), largest first."""
    pct = bp_to_percent(weights_bp)
    frame = pd.DataFrame({"code": list(pct), "name": [names.get(c, c) for c in pct],
                          "weight": [float(p) for p in pct.values()]})
    return frame.sort_values("weight", ascending=False)


def version_history(versions: Sequence[PortfolioVersion]) -> pd.DataFrame:
    """Every version, newest first: ``version``, ``placed`` (text), ``note``."""
    newest_first = list(reversed(versions))
    return pd.DataFrame({"version": [v.version for v in newest_first],
                         "placed": [v.placed_at.strftime(STAMP) for v in newest_first],
                         "note": [v.note for v in newest_first]})


def changes_text(changes: Iterable[tuple[str, int, int]], names: Mapping[str, str]) -> str:
    """A rebalance's (code, previous bp, new bp) changes as ``name 10.00% → 20.00%; …``."""
    return "; ".join(f"{names.get(c, c)} {p / 100:.2f}% → {n / 100:.2f}%" for c, p, n in changes)


def signed_pct(value: float) -> str:
    """A fraction as a signed percent with two decimals (0.0123 → ``+1.23%``)."""
    return f"{value:+.2%}"


def gap_percents(gap: GapAttribution) -> dict[str, str]:
    """Where a copy's return gap comes from, each part as a signed percent, keyed as the
    ``pf.c.gap_text`` string expects (leader, copier, gap, delay, skipped, fees, stop, other)."""
    return {"leader": signed_pct(gap.leader_return), "copier": signed_pct(gap.copier_return),
            "gap": signed_pct(gap.gap), "delay": signed_pct(gap.delay),
            "skipped": signed_pct(gap.skipped_positions), "fees": signed_pct(gap.fees),
            "stop": signed_pct(gap.stop_loss), "other": signed_pct(gap.other)}


def first_fill_day(result: CopyResult, delay_sessions: int) -> dt.date | None:
    """The copier's first fill: ``delay_sessions`` sessions after the window start
    (``entry_session``); None while the order is still pending (it falls after the data)."""
    if result.entry_session and delay_sessions < len(result.equity):
        day: dt.date = result.equity.index[delay_sessions].date()
        return day
    return None
