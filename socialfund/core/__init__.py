"""core: the pure foundation everything else stands on, importing nothing above it.

Errors, configuration, the portfolio model and basis-point weights, trading-session
constants and time zones, content hashes, performance metrics (empyrical-style, units in
every docstring) and the leaderboard's ranking rules.
"""
