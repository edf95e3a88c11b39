"""market: ports and adapters for market data.

``providers`` (demo, CSV files, yfinance behind one ``PriceProvider`` protocol),
``instruments`` (the universe), ``calendars`` (exchange sessions), ``quality`` (per-series
quality report), ``sessions`` (one explicit trading-session axis) and ``snapshot``
(representatives and trailing returns, pure).
"""
