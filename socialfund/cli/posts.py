"""``python -m socialfund posts import FILE [--source NAME] [--year YYYY] [--partial [--report PATH]] [--json]``.

CSV, JSON (a list of objects) or JSONL, detected by content; UTF-8 (with or without BOM) or
GB18030/GBK; Chinese or English headers (内容/正文/content, 发帖时间/时间/time, 代码/股票代码,
名称…); the date styles of ``io.dates`` (``--year`` for list pages that drop the year); codes,
names or cashtags resolved against the store's instruments (``io.post_codes``).

The file is read and stored in chunks, in bounded memory, whatever its size (the 20 MB cap is the
web page's upload limit only); progress goes to stderr. Without ``--partial`` the file is imported
completely or not at all (one transaction): success prints one line
``imported N, duplicates skipped M`` (exit 0; warnings go to stderr); rejected input prints one
line naming the file, the line and the column (exit 2) and the store is unchanged. With
``--partial`` the rows that resolve are imported in one transaction and the others are written,
with their line numbers and reasons, to a report CSV (``--report``, default
``<file>.unresolved.csv`` beside the file), named in the result. ``--json`` prints
``{imported, duplicates, unresolved, report}`` (``report`` null when nothing was left out).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = sub.add_parser("posts", help="forum posts: import")
    posts_sub = parser.add_subparsers(dest="posts_command", required=True)
    imp = posts_sub.add_parser("import", help="import a CSV / JSON / JSONL file of posts")
    imp.add_argument("file", help="file with text and published_at, and code, name or cashtags "
                                  "(also author, reads, comments, url; Chinese headers accepted)")
    imp.add_argument("--source", default=None,
                     help="label stored with the posts (default: import:<file name>; 'demo' is reserved)")
    imp.add_argument("--year", type=_year, default=None,
                     help="the year of month-day times such as '07-07 10:08' (list pages drop it)")
    imp.add_argument("--partial", action="store_true",
                     help="import the rows that resolve; write the others, with line and reason, to a report CSV")
    imp.add_argument("--report", default=None,
                     help="where --partial writes the unresolved rows (default: <file>.unresolved.csv)")
    imp.add_argument("--json", action="store_true", help="print {imported, duplicates, unresolved, report}")
    imp.set_defaults(func=_import)


def _year(text: str) -> int:
    """An ``argparse`` type: a four-digit year from 1990 on."""
    if not (text.isdigit() and len(text) == 4 and int(text) >= 1990):
        raise argparse.ArgumentTypeError(f"not a four-digit year from 1990 on: {text!r}")
    return int(text)


def _import(args: argparse.Namespace) -> int:
    from socialfund.core.errors import ValidationError
    from socialfund.io.posts_file import file_label
    from socialfund.services.posts import import_posts_file
    from socialfund.store import open_store

    label = file_label(args.file)
    if args.report is not None and not args.partial:
        raise ValidationError("--report is only used with --partial (without it the file is all or nothing)")
    path = Path(args.report) if args.report else Path(args.file).with_name(f"{Path(args.file).name}.unresolved.csv")
    if args.partial and not os.access(path.parent, os.W_OK):   # checked before anything is imported
        raise ValidationError(f"cannot write the report to {path.parent}: pass --report PATH", file=label)
    try:
        fh = open(args.file, "rb")
    except OSError as exc:
        raise ValidationError(f"cannot read the file: {exc.strerror}", file=label) from None
    store = open_store()
    from socialfund.cli.common import ProgressLine

    bar = ProgressLine(label)
    with fh:   # streamed in chunks: no size cap here (the page's upload keeps MAX_IMPORT_BYTES)
        result = import_posts_file(store, fh, label, source=args.source, year=args.year, partial=args.partial,
                                   progress=bar.update)
    bar.close()
    report: str | None = None
    if result.report_csv is not None:
        try:
            path.write_bytes(result.report_csv)
        except OSError as exc:
            # the posts are in already: say so, and where the report could not go
            raise ValidationError(f"imported {result.imported}, but the report of the {result.unresolved} "
                                  f"unresolved rows could not be written to {path}: {exc.strerror} "
                                  f"(pass --report PATH)") from None
        report = str(path)
    for warning in result.warnings:
        print(f"warning: {warning}", file=sys.stderr)
    if args.json:
        print(json.dumps({"imported": result.imported, "duplicates": result.duplicates,
                          "unresolved": result.unresolved, "report": report}, ensure_ascii=False))
    else:
        print(result.summary() + (f" (report: {report})" if report else ""))
    return 0

