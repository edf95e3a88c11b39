"""What the sentiment view shows of a selection, computed from frames only: the default
sources, funds and date range, the date window of the history, one fund's headline
figures, the keywords per period and the export frame.

Inputs are the frames of ``social.aggregate``: ``tagged`` (posts with ``session``, ``score``,
``label``) and ``daily`` (per fund and session: ``n_posts``, ``mean_score``, ``z`` …).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

import pandas as pd

from socialfund.market.instruments import Instrument
from socialfund.social.aggregate import bullishness
from socialfund.social.keywords import fund_stop_words, keywords_by_period

DEFAULT_FUNDS = ("510300.SS", "161725.SZ")   # shown first when they have posts
DEFAULT_DAYS = 182                           # the default window: about the last six months


def default_sources(counts: Mapping[str, int], demo_source: str, written: Sequence[str] = ()) -> list[str]:
    """Every real (imported) source; the demo source only when there is no real one.
    Sources named ``<demo source>:…`` (the demo discussion) are demo too, never default.
    ``written`` sources (posts written in the app) are always in the default but never
    displace the demo: one post written on a demo store keeps the demo posts selected."""
    own = [s for s in counts if s in written]
    real = [s for s in counts if s != demo_source and not s.startswith(demo_source + ":") and s not in written]
    return (real or [s for s in counts if s == demo_source]) + own


def default_funds(options: Sequence[str], preferred: Sequence[str] = DEFAULT_FUNDS) -> list[str]:
    """The preferred funds that have posts, else the first two options (most posts first)."""
    return [c for c in preferred if c in options] or list(options[:2])


def default_range(first: date, last: date, days: int = DEFAULT_DAYS) -> tuple[date, date]:
    """The last ``days`` calendar days of [first, last], clipped to ``first``."""
    return max(first, last - timedelta(days=days)), last


@dataclass(frozen=True)
class Window:
    """The history between two sessions, both included: ``daily`` rows and ``posts``."""

    daily: pd.DataFrame
    posts: pd.DataFrame

    @property
    def empty(self) -> bool:
        return bool(self.daily.empty or self.posts.empty)


def window(daily: pd.DataFrame, tagged: pd.DataFrame, start: date, end: date) -> Window:
    """Rows of ``daily`` and ``tagged`` whose ``session`` is in [start, end]."""
    lo, hi = pd.Timestamp(start), pd.Timestamp(end)
    return Window(daily[(daily["session"] >= lo) & (daily["session"] <= hi)],
                  tagged[(tagged["session"] >= lo) & (tagged["session"] <= hi)])


@dataclass(frozen=True)
class FundSummary:
    """One fund's headline figures over a window (None where there is nothing to show).

    ``mean_score``: mean score of its scored posts; ``bullishness``: ln((1+N_bull)/(1+N_bear));
    ``bull_share``: N_bull / scored posts; ``n_posts``: posts of its sessions; ``latest_z``: the
    last session's z-score of the mean score."""

    mean_score: float | None
    bullishness: float
    bull_share: float | None
    n_posts: int
    latest_z: float | None


def fund_summary(win: Window, code: str) -> FundSummary:
    d = win.daily[win.daily["code"] == code]
    p = win.posts[(win.posts["code"] == code) & win.posts["score"].notna()]
    n_bull, n_bear = int((p["label"] == "pos").sum()), int((p["label"] == "neg").sum())
    latest_z = d["z"].dropna()
    return FundSummary(
        mean_score=float(p["score"].mean()) if len(p) else None,
        bullishness=float(bullishness(n_bull, n_bear)),
        bull_share=n_bull / len(p) if len(p) else None,
        n_posts=int(d["n_posts"].sum()),
        latest_z=float(latest_z.iloc[-1]) if len(latest_z) else None)


def keyword_rows(kw: pd.DataFrame) -> pd.DataFrame:
    """``keywords_by_period`` output → one row per period, newest first: ``period`` (date),
    ``n_posts``, ``keywords`` (joined with " · " in rank order)."""
    if kw.empty:
        return pd.DataFrame(columns=["period", "n_posts", "keywords"])
    grouped = kw.groupby("period").agg(keywords=("keyword", " · ".join), n=("n_posts", "first"))
    return pd.DataFrame({"period": pd.DatetimeIndex(grouped.index).date, "n_posts": grouped["n"].values,
                         "keywords": grouped["keywords"].values}).iloc[::-1]


def keyword_table(posts: pd.DataFrame, instruments: Iterable[Instrument], aliases: Mapping[str, Sequence[str]],
                  freq: str, method: str) -> pd.DataFrame:
    """Top keywords per week ('W') or month ('M') of ``posts`` (columns ``code, text, reads,
    session``), the funds' names and the ``aliases`` forum users call them left out, as
    ``keyword_rows``."""
    stop_words = fund_stop_words(instruments, aliases)
    return keyword_rows(keywords_by_period(posts, freq=freq, method=method, stop_words=stop_words))


def export_frame(daily: pd.DataFrame, names: Mapping[str, str], scorer_version: str,
                 post_sources: Sequence[str], price_sources: Sequence[str]) -> pd.DataFrame:
    """The window's per-session rows with their provenance (fund name, scorer version, post
    and price sources), so demo data stays labelled as demo in the file."""
    return daily.assign(name=[names.get(c, c) for c in daily["code"]], session=daily["session"].dt.date,
                        scorer=scorer_version, post_source=", ".join(post_sources),
                        price_source=", ".join(price_sources))
