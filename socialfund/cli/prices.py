"""``python -m socialfund prices import FILE [--code CODE] [--json]``: import a price file.

The format is recognised from the file (``socialfund.io.price_formats.PRICE_FORMATS``:
long ``date,code,close``, wide, one instrument per file, 天天基金 NAV, NetEase / akshare /
tushare OHLC, yfinance, Alpha Vantage, investing.com; UTF-8, UTF-8 BOM or GBK). Codes are
resolved through the one resolver; codes new to the universe are registered
(``socialfund.services.prices_import``). ``--code`` names a one-instrument file's code
(``510300.SS``) when the file itself does not, or qualifies the file's bare one.

Success: exit 0 and one line, or with ``--json`` one object ``{file, format, rows, codes,
first, last, gaps, non_sessions_dropped, jumps, warnings, registered, source}``. Rejected
input: exit 2 and one line naming the expected columns and the failing line; the store
is unchanged.
"""

from __future__ import annotations

import argparse
import sys


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = sub.add_parser("prices", help="price data: import a file of closes into the store")
    prices_sub = parser.add_subparsers(dest="prices_command", required=True)
    imp = prices_sub.add_parser("import", help="import a price file (format recognised from its header)")
    imp.add_argument("file", metavar="FILE", help="CSV of closes: date,code,close, a wide table, an export of "
                                                  "天天基金 / NetEase / tushare / yfinance / investing.com …")
    imp.add_argument("--code", default=None, help="the code of a one-instrument file (e.g. 510300.SS, 000001.OF)")
    imp.add_argument("--json", action="store_true", help="print one JSON object")
    imp.set_defaults(func=_import)


def _import(args: argparse.Namespace) -> int:
    from pathlib import Path

    from socialfund.cli.common import configured_store, print_record
    from socialfund.core.errors import ValidationError
    from socialfund.services.prices_import import MAX_PRICE_FILE_BYTES, import_price_file

    path = Path(args.file)
    try:
        if path.stat().st_size > MAX_PRICE_FILE_BYTES:   # refused before it is read
            raise ValidationError(f"file is larger than {MAX_PRICE_FILE_BYTES // 2**20} MB", file=args.file)
        data = path.read_bytes()
    except OSError as exc:
        raise ValidationError(f"cannot read the file ({exc.strerror})", file=args.file) from None
    store, _ = configured_store()
    from socialfund.cli.common import ProgressLine

    bar = ProgressLine(path.name, unit="rows")
    result = import_price_file(store, data, path.name, code=args.code,
                               progress=lambda done, total: bar.update(done, total))
    bar.close()
    if args.json:
        print_record(result.record(), as_json=True)
    else:
        from socialfund.view.quality_text import report_lines

        for warning in (*report_lines(result.quality, "en"), *result.warnings):
            print(f"warning: {warning}", file=sys.stderr)
        print(result.summary())
    return 0
