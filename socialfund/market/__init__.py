"""market: ports and adapters for market data.

Price providers (demo, CSV files, yfinance) behind one ``PriceProvider`` protocol, the
instrument universe, price quality checks and trading calendars.
"""
