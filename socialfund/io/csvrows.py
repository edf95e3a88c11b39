"""The one CSV row reader: every CSV the project reads (posts, holdings, prices, returns,
labelled sentiment) goes through ``read_csv`` / ``read_csv_file``.

Rules, the same for every file:

* bytes are decoded by ``textio.decode_bytes`` (UTF-8 with or without BOM, GB18030/GBK;
  binary, compressed and UTF-16 data refused, named with the file label);
* RFC 4180 quoting (``csv`` module): a quoted field may hold commas, quotes and newlines;
* the header is stripped (and lower-cased unless ``lower=False``); an empty or duplicated
  header cell is refused; ``required`` columns must all be present;
* blank lines are skipped; a row with a different number of fields than the header is
  refused unless ``ragged=True`` (short rows padded with ``""``, long rows refused);
* every row keeps its 1-based physical line number, so messages say ``file, line N, column C``.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from socialfund.core.errors import NotFoundError, ValidationError
from socialfund.io.textio import decode_bytes

MAX_FIELD_CHARS = 20 * 1024 * 1024
if csv.field_size_limit() < MAX_FIELD_CHARS:
    # the csv module refuses fields over 128 KiB by default; each caller caps its file size
    csv.field_size_limit(MAX_FIELD_CHARS)


@dataclass(frozen=True)
class CsvRow:
    """One data row: its physical line number and its cells by (normalised) column name."""

    line: int
    cells: dict[str, str]

    def __getitem__(self, column: str) -> str:
        return self.cells[column]

    def get(self, column: str, default: str = "") -> str:
        return self.cells.get(column, default)


@dataclass(frozen=True)
class CsvTable:
    """A parsed CSV: its label (for messages), normalised header and data rows."""

    label: str
    header: list[str]
    rows: list[CsvRow]

    def __iter__(self) -> Iterator[CsvRow]:
        return iter(self.rows)

    def __len__(self) -> int:
        return len(self.rows)


def _normalise_header(cells: Sequence[str], label: str, lower: bool) -> list[str]:
    header = [c.replace("\ufeff", "").strip() for c in cells]
    if lower:
        header = [h.lower() for h in header]
    if not any(header):
        raise ValidationError("the file is empty (no header row)", file=label, line=1)
    seen: set[str] = set()
    for i, h in enumerate(header, start=1):
        if not h:
            raise ValidationError(f"header cell {i} is empty", file=label, line=1, column=i)
        if h in seen:
            raise ValidationError(f"column {h!r} appears twice in the header", file=label, line=1, column=h)
        seen.add(h)
    return header


def iter_csv(text: str | Iterable[str], label: str, *, required: Sequence[str] = (), lower: bool = True,
             ragged: bool = False) -> tuple[list[str], Iterator[CsvRow]]:
    """Header and a lazy iterator of rows of CSV ``text`` (see the module docstring); ``text``
    may also be a text stream opened with ``newline=""`` (a file read in bounded memory)."""
    reader = csv.reader(io.StringIO(text, newline="") if isinstance(text, str) else text)
    try:
        first = next(reader)
    except StopIteration:
        raise ValidationError("the file is empty", file=label) from None
    except csv.Error as exc:
        raise ValidationError(f"unreadable CSV header: {exc}", file=label, line=1) from None
    header = _normalise_header(first, label, lower)
    for col in required:
        if col not in header:
            raise ValidationError(f"missing column '{col}' (need {','.join(required)}; the header has: "
                                  f"{','.join(header)})", file=label, line=1, column=col)

    def rows() -> Iterator[CsvRow]:
        start = reader.line_num + 1
        while True:
            try:
                cells = next(reader)
            except StopIteration:
                return
            except csv.Error as exc:
                raise ValidationError(f"malformed CSV: {exc}", file=label, line=start) from None
            line, start = start, reader.line_num + 1
            if not cells or all(not c.strip() for c in cells):
                continue  # blank line
            if len(cells) > len(header) or (len(cells) < len(header) and not ragged):
                raise ValidationError(f"expected {len(header)} fields (as in the header), found {len(cells)}",
                                      file=label, line=line)
            cells = cells + [""] * (len(header) - len(cells))
            yield CsvRow(line, dict(zip(header, cells)))

    return header, rows()


def read_csv(data: bytes | str, label: str, *, required: Sequence[str] = (), lower: bool = True,
             ragged: bool = False, max_bytes: int | None = None) -> CsvTable:
    """Decode (when given bytes) and parse a whole CSV into a ``CsvTable``."""
    if max_bytes is not None and len(data) > max_bytes:
        raise ValidationError(f"file is larger than {max_bytes:,} bytes", file=label)
    text = decode_bytes(data, label) if isinstance(data, bytes) else data
    header, rows = iter_csv(text, label, required=required, lower=lower, ragged=ragged)
    return CsvTable(label, header, list(rows))


def read_file_bytes(path: str | Path) -> bytes:
    """A file's bytes, or one clear error for a missing file or a directory."""
    try:
        return Path(path).read_bytes()
    except FileNotFoundError:
        raise NotFoundError(f"{path}: no such file") from None
    except IsADirectoryError:
        raise ValidationError("is a directory, expected a CSV file", file=str(path)) from None


def read_csv_file(path: str | Path, *, required: Sequence[str] = (), lower: bool = True,
                  ragged: bool = False, max_bytes: int | None = None) -> CsvTable:
    """``read_csv`` of a file on disk; the path is the label in messages."""
    return read_csv(read_file_bytes(path), str(path), required=required, lower=lower, ragged=ragged,
                    max_bytes=max_bytes)
