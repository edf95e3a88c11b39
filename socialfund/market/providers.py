"""Market data behind one interface, in the style of ffn's ``data.get``: a provider returns
a wide table of adjusted closes (index: session dates, columns: instrument codes).

Providers:
- ``DemoProvider``: the committed synthetic demo universe (default, offline).
- ``CsvProvider``: a user's own ``date,code,close`` file, validated line by line.
- ``YFinanceProvider``: Yahoo via ``yfinance.download`` (batched, explicit ``auto_adjust``),
  cached in the store with its fetch time; empty or all-NaN results count as failure and fall
  back to cached Yahoo data, or else to demo data, each with a visible notice.

Series from different markets are never forward-filled silently: ``align`` reindexes onto an
explicit session list and leaves NaN where a market was closed.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Protocol


import numpy as np
import pandas as pd

from socialfund.core.config import DEMO_DATA_DIR, Settings
from socialfund.core.errors import ConfigError, ProviderError, ValidationError

DEMO_SOURCE = "synthetic-demo"
YAHOO_SOURCE = "yfinance"
# A one-day price ratio beyond 1.5x either way (≥ +50 % or ≤ −33 %) is flagged as a split or data
# error, not silently used: symmetric in log terms, so a 2-for-1 split (−50 %) is flagged even on a
# day the market rose. No fund or ETF moves that much in a day (A-share limits are ±10 %/±20 %).
MAX_ONE_DAY_RATIO = 1.5


@dataclass(frozen=True)
class Instrument:
    code: str
    name_zh: str
    name_en: str
    kind: str
    market: str
    currency: str
    yahoo: str | None
    category: str
    calendar: str

    def name(self, lang: str) -> str:
        return self.name_zh if lang == "zh" else self.name_en


@dataclass
class PriceData:
    """Closes plus where each column came from, and notices to show the user."""

    closes: pd.DataFrame
    sources: dict[str, str] = field(default_factory=dict)
    notices: list[str] = field(default_factory=list)

    @property
    def is_demo(self) -> bool:
        return any(s == DEMO_SOURCE for s in self.sources.values())

    @property
    def latest_date(self) -> date | None:
        return None if self.closes.empty else self.closes.index.max().date()


class PriceProvider(Protocol):
    name: str

    def universe(self) -> list[Instrument]: ...

    def closes(self, codes: list[str] | None = None, start: date | None = None,
               end: date | None = None) -> PriceData: ...


def load_universe(path: Path = DEMO_DATA_DIR / "universe.csv") -> list[Instrument]:
    df = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")
    return [Instrument(**{**r, "yahoo": r["yahoo"] or None}) for r in df.to_dict("records")]


def long_to_wide(long: pd.DataFrame) -> pd.DataFrame:
    """``date,code,close`` rows → sessions × codes (no filling)."""
    wide = long.pivot(index="date", columns="code", values="close").sort_index()
    wide.index = pd.DatetimeIndex(pd.to_datetime(wide.index), name="date")
    wide.columns.name = None
    return wide


def _slice(wide: pd.DataFrame, codes: list[str] | None, start: date | None, end: date | None) -> pd.DataFrame:
    if codes is not None:
        wide = wide.reindex(columns=list(codes))
    if start is not None:
        wide = wide[wide.index >= pd.Timestamp(start)]
    if end is not None:
        wide = wide[wide.index <= pd.Timestamp(end)]
    return wide.dropna(how="all")


def align(closes: pd.DataFrame, sessions: pd.DatetimeIndex) -> pd.DataFrame:
    """Put series on an explicit session list. Days a market was closed stay NaN: never ffilled here."""
    return closes.reindex(pd.DatetimeIndex(sessions))


class DemoProvider:
    """The committed synthetic universe in ``data/`` (``source = synthetic-demo``)."""

    name = "demo"

    def __init__(self, data_dir: Path = DEMO_DATA_DIR) -> None:
        self.data_dir = data_dir
        long = pd.read_csv(data_dir / "prices.csv", dtype={"code": str, "source": str}, encoding="utf-8")
        if not (long["source"] == DEMO_SOURCE).all():
            raise ConfigError(f"{data_dir / 'prices.csv'} holds rows not marked {DEMO_SOURCE}")
        self._wide = long_to_wide(long)
        self._universe = load_universe(data_dir / "universe.csv")

    def universe(self) -> list[Instrument]:
        return list(self._universe)

    def closes(self, codes: list[str] | None = None, start: date | None = None,
               end: date | None = None) -> PriceData:
        wide = _slice(self._wide, codes, start, end)
        return PriceData(wide, {c: DEMO_SOURCE for c in wide.columns})


def parse_prices_csv(path: Path) -> tuple[pd.DataFrame, list[str]]:
    """Read and validate a ``date,code,close`` file. Returns (long frame, warnings).

    Rejected (``ValidationError`` naming file, line and column): missing columns, an
    encoding other than UTF-8/GB18030, unparseable or non-ISO dates, a close that is not a
    positive finite number, a duplicated (date, code). Warned: one-day moves > 50 %.
    """
    name = str(path)
    try:
        raw = Path(path).read_bytes()
    except OSError as exc:
        raise ConfigError(f"cannot read prices file {name}: {exc.strerror}") from None
    from socialfund.io.textio import decode_bytes

    text = decode_bytes(raw, name)
    lines = text.splitlines()
    if not lines or not lines[0].strip():
        raise ValidationError("the file is empty", file=name)
    header = [h.strip().lower() for h in lines[0].split(",")]
    for col in ("date", "code", "close"):
        if col not in header:
            raise ValidationError(f"missing column {col!r} (need date,code,close)", file=name, line=1)
    idx = {c: header.index(c) for c in ("date", "code", "close")}
    rows = []
    seen: set[tuple[str, str]] = set()
    for lineno, line in enumerate(lines[1:], start=2):
        if not line.strip():
            continue
        cells = line.split(",")
        if len(cells) != len(header):
            raise ValidationError(f"expected {len(header)} fields, found {len(cells)}", file=name, line=lineno)
        d, code, close = (cells[idx[c]].strip() for c in ("date", "code", "close"))
        try:
            day = date.fromisoformat(d)
        except ValueError:
            raise ValidationError(f"date {d!r} is not an ISO date (YYYY-MM-DD)", file=name, line=lineno,
                                  column="date") from None
        if not code:
            raise ValidationError("code is empty", file=name, line=lineno, column="code")
        try:
            value = float(close)
        except ValueError:
            raise ValidationError(f"close {close!r} is not a number", file=name, line=lineno, column="close") from None
        if not math.isfinite(value) or value <= 0:
            raise ValidationError(f"close {close!r} must be a positive finite price", file=name, line=lineno,
                                  column="close")
        if (d, code) in seen:
            raise ValidationError(f"duplicate row for {code} on {d}", file=name, line=lineno)
        seen.add((d, code))
        rows.append((day, code, value))
    if not rows:
        raise ValidationError("the file has a header but no prices", file=name)
    long = pd.DataFrame(rows, columns=["date", "code", "close"])
    warnings = jump_warnings(long_to_wide(long))
    return long, warnings


def jump_warnings(wide: pd.DataFrame) -> list[str]:
    log_moves = np.log(wide / wide.shift(1)).abs()
    limit = float(np.log(MAX_ONE_DAY_RATIO))
    out = []
    for code in wide.columns:
        for day in log_moves.index[log_moves[code] >= limit - 1e-12]:
            change = float(wide[code].loc[day] / wide[code].shift(1).loc[day] - 1)
            out.append(f"{code}: one-day move of {change:+.0%} on {day.date()} (split or data error?)")
    return out


class CsvProvider:
    """A user's own prices file; instruments not in the demo universe get a minimal entry."""

    name = "csv"

    def __init__(self, path: Path, universe: list[Instrument] | None = None) -> None:
        self.path = Path(path)
        long, self.warnings = parse_prices_csv(self.path)
        self._wide = long_to_wide(long)
        known = {i.code: i for i in (universe if universe is not None else load_universe())}
        self._universe = [known.get(c) or Instrument(c, c, c, "unknown", "unknown", "", None, "other", "XSHG")
                          for c in self._wide.columns]

    def universe(self) -> list[Instrument]:
        return list(self._universe)

    def closes(self, codes: list[str] | None = None, start: date | None = None,
               end: date | None = None) -> PriceData:
        wide = _slice(self._wide, codes, start, end)
        src = f"csv:{self.path.name}"
        return PriceData(wide, {c: src for c in wide.columns}, list(self.warnings))


def yahoo_close_table(frame: pd.DataFrame, symbols: list[str]) -> pd.DataFrame:
    """Extract the wide Close table from a ``yfinance.download`` result.

    yfinance ≥ 0.2.51 returns ``MultiIndex`` columns named ``("Price", "Ticker")`` even for one
    ticker. Columns that are missing or entirely NaN are dropped (they count as failures).
    """
    if frame is None or frame.empty:
        return pd.DataFrame()
    if isinstance(frame.columns, pd.MultiIndex):
        level = "Price" if "Price" in frame.columns.names else 0
        if "Close" not in frame.columns.get_level_values(level):
            return pd.DataFrame()
        close = frame.xs("Close", axis=1, level=level)
    else:  # a flat single-ticker frame (older yfinance, multi_level_index=False)
        if "Close" not in frame.columns or len(symbols) != 1:
            return pd.DataFrame()
        close = frame[["Close"]].rename(columns={"Close": symbols[0]})
    close = close.apply(pd.to_numeric, errors="coerce")
    close = close.where(close > 0)
    close.index = pd.DatetimeIndex(pd.to_datetime(close.index)).tz_localize(None).normalize()
    close.columns = [str(c) for c in close.columns]
    return close.dropna(axis=1, how="all").dropna(how="all")


class YFinanceProvider:
    """Live Yahoo prices with a store cache and a visible fallback.

    ``fetch`` is injectable for tests; by default it is ``yfinance.download``.
    """

    name = "yfinance"

    def __init__(self, store, universe: list[Instrument] | None = None, fallback: PriceProvider | None = None,
                 download=None) -> None:  # type: ignore[no-untyped-def]
        self.store = store
        self._universe = universe if universe is not None else load_universe()
        self._fallback = fallback
        self._download = download

    def universe(self) -> list[Instrument]:
        return list(self._universe)

    def _fetch(self, symbols: list[str], start: date, end: date) -> pd.DataFrame:
        download = self._download
        if download is None:
            import yfinance
            download = yfinance.download
        try:
            frame = download(symbols, start=start.isoformat(), end=(pd.Timestamp(end) + pd.Timedelta(days=1)).date().isoformat(),
                             auto_adjust=True, progress=False, threads=False, group_by="column")
        except Exception as exc:  # noqa: BLE001 - yfinance raises many types offline; all mean "no data"
            raise ProviderError(f"yfinance failed: {type(exc).__name__}: {exc}") from None
        return yahoo_close_table(frame, symbols)

    def closes(self, codes: list[str] | None = None, start: date | None = None,
               end: date | None = None) -> PriceData:
        from socialfund.store import schema
        from socialfund.store.engine import insert_ignore
        from socialfund.core.timeutil import utcnow
        from sqlalchemy import select

        by_code = {i.code: i for i in self._universe}
        codes = list(codes) if codes is not None else list(by_code)
        end = end or date.today()
        start = start or (pd.Timestamp(end) - pd.DateOffset(years=3)).date()
        symbols = {c: by_code[c].yahoo for c in codes if c in by_code and by_code[c].yahoo}
        notices: list[str] = []
        fetched = pd.DataFrame()
        if symbols:
            try:
                fetched = self._fetch(sorted(set(symbols.values())), start, end)
            except ProviderError as exc:
                notices.append(str(exc))
        symbol_to_code = {s: c for c, s in symbols.items()}
        fetched = fetched.rename(columns=symbol_to_code)
        got = [c for c in fetched.columns if c in symbols]
        if got:
            now = utcnow()
            rows = [{"code": c, "date": d.date(), "source": YAHOO_SOURCE, "close": float(v), "fetched_at": now}
                    for c in got for d, v in fetched[c].dropna().items()]
            with self.store.write() as conn:
                insert_ignore(conn, schema.prices, rows)
        missing = [c for c in codes if c not in got]
        frames = [fetched[got]] if got else []
        sources = {c: YAHOO_SOURCE for c in got}
        cached_codes = []
        if missing:
            with self.store.read() as conn:
                res = conn.execute(select(schema.prices.c.date, schema.prices.c.code, schema.prices.c.close)
                                   .where(schema.prices.c.source == YAHOO_SOURCE, schema.prices.c.code.in_(missing),
                                          schema.prices.c.date >= start, schema.prices.c.date <= end)).all()
            if res:
                cached = long_to_wide(pd.DataFrame(res, columns=["date", "code", "close"]))
                frames.append(cached)
                cached_codes = list(cached.columns)
                sources.update({c: YAHOO_SOURCE + " (cached)" for c in cached_codes})
                notices.append("Yahoo unreachable for " + ", ".join(cached_codes) + ": showing cached Yahoo prices")
        still = [c for c in missing if c not in cached_codes]
        if still and self._fallback is not None:
            demo = self._fallback.closes(still, start, end)
            if not demo.closes.empty:
                frames.append(demo.closes)
                sources.update(demo.sources)
                notices.append("No live data for " + ", ".join(demo.closes.columns) +
                               ": showing DEMO prices for these (not real)")
        elif still:
            notices.append("No price data for " + ", ".join(still))
        closes = pd.concat(frames, axis=1).sort_index() if frames else pd.DataFrame()
        return PriceData(closes, sources, notices)


def get_provider(settings: Settings, store=None) -> PriceProvider:  # type: ignore[no-untyped-def]
    """The configured provider (``SOCIALFUND_MARKET_PROVIDER``)."""
    if settings.market_provider == "demo":
        return DemoProvider()
    if settings.market_provider == "csv":
        assert settings.prices_csv is not None
        return CsvProvider(settings.prices_csv)
    if settings.market_provider == "yfinance":
        if store is None:
            raise ConfigError("the yfinance provider needs the store for its cache")
        return YFinanceProvider(store, fallback=DemoProvider())
    raise ConfigError(f"unknown market provider {settings.market_provider!r}")


def sessions_between(calendar: str, start: date, end: date) -> pd.DatetimeIndex:
    """Trading sessions of an exchange calendar (XSHG, XNYS), offline via exchange-calendars."""
    import exchange_calendars as xcals

    cal = xcals.get_calendar(calendar, start=pd.Timestamp(start), end=pd.Timestamp(end))
    return pd.DatetimeIndex(cal.sessions_in_range(pd.Timestamp(start), pd.Timestamp(end))).tz_localize(None)


