"""io: every file the project reads or writes passes through here.

One text decoder (``textio``: UTF-8/GBK, refusing binary, compressed and UTF-16 data), one
CSV row reader (``csvrows``), the readers of each input format built on them, and exports
that neutralise spreadsheet formulas. No store, no network.
"""
