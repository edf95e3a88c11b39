"""Market data behind one interface, in the style of ffn's ``data.get``: a provider returns
a wide table of adjusted closes (index: session dates, columns: instrument codes).

Providers:
- ``DemoProvider``: the committed synthetic demo universe (default, offline).
- ``StoreProvider``: the store's own prices (imported with ``prices import``) and universe;
  the default when the demo is declined (``SOCIALFUND_DEMO=0``).
- ``CsvProvider``: a user's own price file in any format ``io.price_formats`` recognises
  (codes resolved through the one resolver; one-day jumps flagged by ``market.quality``).
- ``AkshareProvider`` (``market.akshare``): Chinese funds, ETFs, LOFs and indices through akshare,
  cached in the store; ``python -m socialfund market refresh`` fetches them.
- ``YFinanceProvider``: Yahoo via ``yfinance.download`` (batched, explicit ``auto_adjust``),
  cached in the store with its fetch time; empty or all-NaN results count as failure and fall
  back to cached Yahoo data, or else to demo data, each with a visible notice.

Series from different markets are never forward-filled here: a provider returns the union of
the quoted dates with NaN where a market was closed; ``market.sessions`` puts them on one
explicit session axis.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Protocol

import pandas as pd
from sqlalchemy import String, select, type_coerce

from socialfund.core.config import DEMO_DATA_DIR, STORE_BACKED_PROVIDERS, Settings
from socialfund.core.errors import ConfigError, ProviderError
from socialfund.core.money_fund import MONEY_FUND_FILE
from socialfund.core.sources import DEMO_PRICE_SOURCE, FILE_PRICE_SOURCE_PREFIX, YAHOO_SOURCE
from socialfund.core.timeutil import utcnow
from socialfund.io.price_formats import sniff_prices
from socialfund.market.instruments import Instrument, load_universe, resolve_imported_codes
from socialfund.market.pricedata import PriceData, long_to_wide
from socialfund.market.registry import stored_universe
from socialfund.market.quality import jump_warnings
from socialfund.store import Store, insert_ignore, rows_frame, schema

#: The signature of ``yfinance.download`` as used here (injectable for tests).
Download = Callable[..., pd.DataFrame]


class PriceProvider(Protocol):
    """What every price source offers: its instruments and their closes (sessions × codes)."""

    name: str

    def universe(self) -> list[Instrument]: ...

    def closes(self, codes: list[str] | None = None, start: date | None = None,
               end: date | None = None) -> PriceData: ...


def _slice(wide: pd.DataFrame, codes: list[str] | None, start: date | None, end: date | None) -> pd.DataFrame:
    if codes is not None:
        wide = wide.reindex(columns=list(codes))
    if start is not None:
        wide = wide[wide.index >= pd.Timestamp(start)]
    if end is not None:
        wide = wide[wide.index <= pd.Timestamp(end)]
    return wide.dropna(how="all")


class DemoProvider:
    """The committed synthetic universe in ``data/`` (``source = synthetic-demo``)."""

    name = "demo"

    def __init__(self, data_dir: Path = DEMO_DATA_DIR) -> None:
        self.data_dir = data_dir
        extra = [data_dir / name for name in ("fx.csv", MONEY_FUND_FILE) if (data_dir / name).exists()]
        files = [data_dir / "prices.csv"] + extra
        frames = []
        for path in files:   # the FX series (market.fx) and the money-market fund: outside the universe
            long = pd.read_csv(path, dtype={"code": str, "source": str}, usecols=["date", "code", "close", "source"],
                               encoding="utf-8")
            if not (long["source"] == DEMO_PRICE_SOURCE).all():
                raise ConfigError(f"{path} holds rows not marked {DEMO_PRICE_SOURCE}")
            frames.append(long)
        self._wide = long_to_wide(pd.concat(frames, ignore_index=True))
        self._universe = load_universe(data_dir / "universe.csv")

    def universe(self) -> list[Instrument]:
        return list(self._universe)

    def closes(self, codes: list[str] | None = None, start: date | None = None,
               end: date | None = None) -> PriceData:
        if codes is None:   # "everything" is the universe; FX series are asked for by code (market.fx)
            codes = [i.code for i in self._universe]
        wide = _slice(self._wide, codes, start, end)
        return PriceData(wide, {c: DEMO_PRICE_SOURCE for c in wide.columns})


class CsvProvider:
    """A user's own price file, read by ``io.price_formats.sniff_prices`` (any format it
    recognises; gaps stay NaN), its codes resolved against ``universe`` (default: the demo's)
    by ``instruments.resolve_imported_codes``; codes the universe lacks get the entry
    ``instruments.new_instrument`` gives them.

    ``warnings``: the one-day jumps of ``quality.jump_warnings``, shown with every result."""

    name = "csv"

    def __init__(self, path: Path, universe: list[Instrument] | None = None) -> None:
        self.path = Path(path)
        try:
            raw = self.path.read_bytes()
        except OSError as exc:
            raise ConfigError(f"cannot read prices file {self.path}: {exc.strerror}") from None
        known = universe if universe is not None else load_universe()
        resolved = resolve_imported_codes(sniff_prices(raw, str(self.path)), known)
        self._wide = long_to_wide(resolved.frame)
        self.warnings = jump_warnings(self._wide)
        by_code = {i.code: i for i in [*known, *resolved.new]}
        self._universe = [by_code[c] for c in self._wide.columns]

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
    # xs on the two-level columns leaves a DataFrame (one column per ticker); the stubs say Any
    numeric: pd.DataFrame = close.apply(pd.to_numeric, errors="coerce")
    numeric = numeric.where(numeric > 0)
    numeric.index = pd.DatetimeIndex(pd.to_datetime(numeric.index)).tz_localize(None).normalize()
    numeric.columns = [str(c) for c in numeric.columns]
    return numeric.dropna(axis=1, how="all").dropna(how="all")


class YFinanceProvider:
    """Live Yahoo prices with a store cache and a visible fallback.

    ``download`` is injectable for tests; by default it is ``yfinance.download``.
    """

    name = "yfinance"

    def __init__(self, store: Store, universe: list[Instrument] | None = None,
                 fallback: PriceProvider | None = None, download: Download | None = None) -> None:
        self.store = store
        self._universe = universe if universe is not None else load_universe()
        self._fallback = fallback
        self._download = download

    def universe(self) -> list[Instrument]:
        return list(self._universe)

    def _fetch(self, symbols: list[str], start: date, end: date) -> pd.DataFrame:
        download = self._download
        if download is None:
            import yfinance  # optional and slow to import: only when Yahoo is really asked

            download = yfinance.download
        try:
            day_after_end = (pd.Timestamp(end) + pd.Timedelta(days=1)).date()   # yfinance's end is exclusive
            # repair=True: yfinance (≥ 0.2.x, 1.7 here) detects and repairs its own 100× currency-unit
            # mix-ups and bad split/dividend adjustments; market.quality still checks what is left
            frame = download(symbols, start=start.isoformat(), end=day_after_end.isoformat(),
                             auto_adjust=True, repair=True, progress=False, threads=False, group_by="column")
        except Exception as exc:  # noqa: BLE001 - yfinance raises many types offline; all mean "no data"
            raise ProviderError(f"yfinance failed: {type(exc).__name__}: {exc}") from None
        return yahoo_close_table(frame, symbols)

    def closes(self, codes: list[str] | None = None, start: date | None = None,
               end: date | None = None) -> PriceData:
        by_code = {i.code: i for i in self._universe}
        codes = list(codes) if codes is not None else list(by_code)
        end = end or date.today()
        start = start or (pd.Timestamp(end) - pd.DateOffset(years=3)).date()
        symbols: dict[str, str] = {}   # code → Yahoo symbol, for the codes Yahoo knows
        for c in codes:
            yahoo = by_code[c].yahoo if c in by_code else None
            if yahoo:
                symbols[c] = yahoo
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
            rows = []
            for c in got:
                quoted = fetched[c].dropna()
                rows += [{"code": c, "date": d, "source": YAHOO_SOURCE, "close": float(v), "fetched_at": now}
                         for d, v in zip(pd.DatetimeIndex(quoted.index).date, quoted.to_numpy(dtype=float))]
            with self.store.write() as conn:
                insert_ignore(conn, schema.prices, rows)
        missing = [c for c in codes if c not in got]
        frames = [fetched[got]] if got else []
        sources = {c: YAHOO_SOURCE for c in got}
        cached_codes: list[str] = []
        if missing:
            with self.store.read() as conn:
                res = conn.execute(select(schema.prices.c.date, schema.prices.c.code, schema.prices.c.close)
                                   .where(schema.prices.c.source == YAHOO_SOURCE, schema.prices.c.code.in_(missing),
                                          schema.prices.c.date >= start, schema.prices.c.date <= end)).all()
            if res:
                cached = long_to_wide(rows_frame(res, ["date", "code", "close"]))
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


class StoreProvider:
    """The store's own prices and universe (``registry.stored_universe``).

    Serves the closes imported from files (``prices.source`` ``file:NAME``; where two imports
    hold the same code and day, the later import wins) and, for a code without any, the
    demo's closes when the demo is loaded, under their demo source so that pages label them.
    Yahoo's cached closes belong to ``YFinanceProvider`` and are not served here."""

    name = "store"

    def __init__(self, store: Store) -> None:
        self.store = store

    def universe(self) -> list[Instrument]:
        return stored_universe(self.store)

    def closes(self, codes: list[str] | None = None, start: date | None = None,
               end: date | None = None) -> PriceData:
        p = schema.prices
        # dates as the driver gives them (ISO text on SQLite), parsed below in one vectorised
        # call: SQLAlchemy's per-row Date/DateTime processing costs more than the query
        query = select(type_coerce(p.c.date, String), p.c.code, p.c.source, p.c.close,
                       type_coerce(p.c.fetched_at, String)).where(
            p.c.source.startswith(FILE_PRICE_SOURCE_PREFIX) | (p.c.source == DEMO_PRICE_SOURCE))
        if codes is not None:
            query = query.where(p.c.code.in_(list(codes)))
        if start is not None:
            query = query.where(p.c.date >= start)
        if end is not None:
            query = query.where(p.c.date <= end)
        with self.store.read() as conn:
            rows = rows_frame(conn.execute(query).all(), ["date", "code", "source", "close", "fetched_at"])
        if rows.empty:
            what = "yet" if codes is None else "for " + ", ".join(codes)
            return PriceData(pd.DataFrame(), {}, [f"No prices in the store {what}: import a price file "
                                                  "(python -m socialfund prices import FILE, or on the home page)"])
        rows["date"] = pd.to_datetime(rows["date"]).dt.date
        is_demo = rows["source"] == DEMO_PRICE_SOURCE
        imported = rows[~is_demo].sort_values("fetched_at", kind="stable").drop_duplicates(["code", "date"],
                                                                                           keep="last")
        demo = rows[is_demo & ~rows["code"].isin(imported["code"].unique())]
        pairs = imported[["code", "source"]].drop_duplicates()
        sources = {str(c): "+".join(sorted(g)) for c, g in pairs.groupby("code")["source"]}
        sources.update({str(c): DEMO_PRICE_SOURCE for c in demo["code"].unique()})
        wide = _slice(long_to_wide(pd.concat([imported, demo])[["date", "code", "close"]]), codes, start, end)
        return PriceData(wide, {c: sources[c] for c in wide.columns if c in sources})


def get_provider(settings: Settings, store: Store | None = None) -> PriceProvider:
    """The configured provider (``SOCIALFUND_MARKET_PROVIDER``); those of
    ``config.STORE_BACKED_PROVIDERS`` need the store."""
    if settings.market_provider in STORE_BACKED_PROVIDERS and store is None:
        raise ConfigError(f"the {settings.market_provider} provider needs the store")
    if settings.market_provider == "demo":
        return DemoProvider()
    if settings.market_provider == "store":
        assert store is not None
        return StoreProvider(store)
    if settings.market_provider == "csv":
        assert settings.prices_csv is not None
        return CsvProvider(settings.prices_csv)
    if settings.market_provider == "yfinance":
        assert store is not None
        return YFinanceProvider(store, fallback=DemoProvider())
    if settings.market_provider == "akshare":
        assert store is not None
        from socialfund.market.akshare import AkshareProvider   # akshare itself is imported only on a fetch

        return AkshareProvider(store)
    raise ConfigError(f"unknown market provider {settings.market_provider!r}")
