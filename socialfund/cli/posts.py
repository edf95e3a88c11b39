"""``python -m socialfund posts import FILE [--source NAME]``: import forum posts.

CSV, JSON (a list of objects) or JSONL, detected by content; UTF-8 or GB18030/GBK.
Success: exit 0 and one line ``imported N, duplicates skipped M`` (warnings, if any, go
to stderr). Rejected input: exit 2 and one line naming the file and, where it applies,
the line and column; the store is unchanged (see ``socialfund.io.posts_file`` and
``socialfund.services.posts``).
"""

from __future__ import annotations

import argparse
import os
import sys


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = sub.add_parser("posts", help="forum posts: import")
    posts_sub = parser.add_subparsers(dest="posts_command", required=True)
    imp = posts_sub.add_parser("import", help="import a CSV / JSON / JSONL file of posts (all or nothing)")
    imp.add_argument("file", help="file with code,text,published_at[,author,reads,comments,url]")
    imp.add_argument("--source", default=None,
                     help="label stored with the posts (default: import:<file name>; 'demo' is reserved)")
    imp.set_defaults(func=_import)


def _import(args: argparse.Namespace) -> int:
    from socialfund.core.errors import ValidationError
    from socialfund.io.posts_file import MAX_IMPORT_BYTES, file_label
    from socialfund.services.posts import import_posts
    from socialfund.store import open_store

    label = file_label(args.file)
    try:
        size = os.stat(args.file).st_size
    except OSError as exc:
        raise ValidationError(f"cannot read the file: {exc.strerror}", file=label) from None
    if size > MAX_IMPORT_BYTES:  # refused before reading, let alone parsing
        raise ValidationError(f"file is {size / 1e6:.1f} MB; the limit is {MAX_IMPORT_BYTES // 2**20} MB",
                              file=label)
    with open(args.file, "rb") as fh:
        data = fh.read(MAX_IMPORT_BYTES + 1)
    store = open_store()
    result = import_posts(store, data, label, source=args.source)
    for warning in result.warnings:
        print(f"warning: {warning}", file=sys.stderr)
    print(result.summary())
    return 0
