"""``python -m socialfund metrics``: headline metrics of a daily return series.

    python -m socialfund metrics --returns FILE.csv [--rf 0.0] [--periods 252] --json

FILE is UTF-8 CSV with header ``date,return``: ISO dates (strictly increasing) and
daily simple returns (0.01 = +1 %; an empty cell is a missing day). Prints one JSON
object with total_return, cagr (null under 365 days of history), volatility, sharpe
(``--rf`` is an annual risk-free rate), sortino, max_drawdown, calmar; undefined
values are null. Without ``--json`` the same figures are printed as a small table.
"""

from __future__ import annotations

import argparse

KEYS = ("total_return", "cagr", "volatility", "sharpe", "sortino", "max_drawdown", "calmar")


def register(subparsers) -> None:
    parser = subparsers.add_parser("metrics", help="metrics of a daily return series (CSV date,return)",
                                   description=__doc__.split("\n\n")[0])
    parser.add_argument("--returns", required=True, metavar="FILE.csv", help="CSV with columns date,return")
    parser.add_argument("--rf", type=float, default=0.0, help="annual risk-free rate, e.g. 0.02 (default 0)")
    parser.add_argument("--periods", type=float, default=252, help="periods per year (default 252 sessions)")
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.set_defaults(func=run_metrics)


def read_returns_csv(path: str):
    """Read ``date,return`` rows into a Series; ``ValidationError`` with file, line and
    column for anything wrong."""
    import csv
    import datetime as dt
    import math

    import pandas as pd

    from socialfund.core.errors import ValidationError

    try:
        handle = open(path, encoding="utf-8", newline="")
    except OSError as exc:
        raise ValidationError(f"cannot read returns file ({exc.strerror})", file=path) from None
    dates, values = [], []
    with handle:
        reader = csv.reader(handle)
        try:
            header = next(reader, None)
            if header is None:
                raise ValidationError("empty file: expected header date,return", file=path, line=1)
            header = [h.strip().lstrip("\ufeff") for h in header]
            if header != ["date", "return"]:
                raise ValidationError(f"header must be date,return, got {','.join(header)}", file=path, line=1)
            previous = None
            for row in reader:
                line = reader.line_num
                if not row or all(not cell.strip() for cell in row):
                    continue
                if len(row) != 2:
                    raise ValidationError(f"expected 2 fields, got {len(row)}", file=path, line=line)
                text_date, text_value = row[0].strip(), row[1].strip()
                try:
                    day = dt.date.fromisoformat(text_date)
                except ValueError:
                    raise ValidationError(f"not an ISO date (YYYY-MM-DD): {text_date!r}", file=path, line=line,
                                          column="date") from None
                if previous is not None and day <= previous:
                    raise ValidationError(f"date {day} is not after the previous row's {previous}", file=path,
                                          line=line, column="date")
                if text_value == "":
                    value = math.nan
                else:
                    try:
                        value = float(text_value)
                    except ValueError:
                        raise ValidationError(f"not a number: {text_value!r}", file=path, line=line,
                                              column="return") from None
                    if not math.isfinite(value) or value <= -1:
                        raise ValidationError(f"a daily return must be finite and above -1, got {text_value}",
                                              file=path, line=line, column="return")
                previous = day
                dates.append(day)
                values.append(value)
        except UnicodeDecodeError:
            raise ValidationError("file is not UTF-8 text", file=path) from None
        except csv.Error as exc:
            raise ValidationError(f"malformed CSV ({exc})", file=path, line=reader.line_num) from None
    if not dates:
        raise ValidationError("no return rows after the header", file=path, line=2)
    return pd.Series(values, index=pd.DatetimeIndex(dates), name="return", dtype=float)


def run_metrics(args: argparse.Namespace) -> int:
    import json
    import math

    from socialfund.core import metrics

    returns = read_returns_csv(args.returns)
    figures = metrics.summary(returns, risk_free=args.rf, periods_per_year=args.periods)
    clean = {k: (None if figures[k] is None or math.isnan(figures[k]) else float(figures[k])) for k in KEYS}
    if args.json:
        print(json.dumps(clean))
    else:
        for key in KEYS:
            value = clean[key]
            print(f"{key:>13}  {'n/a' if value is None else f'{value:.6f}'}")
    return 0
