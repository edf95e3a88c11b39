"""Reading users' text files: one decoder for every upload and import (posts, holdings, prices).

Order: refuse binary and compressed input by its first bytes (archives are never expanded,
so a zip bomb costs nothing), refuse UTF-16 and NUL bytes, then UTF-8 (a BOM is dropped),
then GB18030 (a superset of GBK) with a check that the result is not Big5 or another
encoding mis-read as GBK (GB18030 decodes almost any bytes without error). Anything else is
"unsupported encoding", named with the file label.
"""

from __future__ import annotations

import re
from collections import Counter

from socialfund.core.errors import ValidationError

_SAMPLE_CHARS = 200_000
_CJK_OR_LATER = re.compile("[\u2e80-\U0010ffff]")
_CONTROL = re.compile("[\x00-\x08\x0b\x0e-\x1f]")     # below " " except \t \n \x0c \r

# Refuse these by their first bytes: compressed archives are never expanded (bomb-safe),
# and binary formats are not post files whatever their name.
_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"\x1f\x8b", "gzip-compressed"), (b"PK\x03\x04", "a zip archive"), (b"PK\x05\x06", "a zip archive"),
    (b"BZh", "bzip2-compressed"), (b"\xfd7zXZ\x00", "xz-compressed"), (b"\x28\xb5\x2f\xfd", "zstd-compressed"),
    (b"7z\xbc\xaf\x27\x1c", "a 7z archive"), (b"Rar!", "a RAR archive"),
    (b"\x89PNG", "a PNG image"), (b"\xff\xd8\xff", "a JPEG image"), (b"GIF8", "a GIF image"),
    (b"%PDF", "a PDF document"), (b"BM", "a BMP image"), (b"RIFF", "a RIFF (WebP/WAV) file"),
    (b"\xd0\xcf\x11\xe0", "an old Excel/Office file"), (b"SQLite format 3", "a SQLite database"),
)


def decode_bytes(data: bytes, label: str) -> str:
    """Bytes → text: refuse binary/compressed input, then UTF-8 (BOM dropped), then GB18030."""
    for magic, what in _MAGIC:
        if data.startswith(magic):
            hint = " (compressed files are refused, never expanded: unpack it first)" if (
                "compress" in what or "archive" in what) else ""
            raise ValidationError(f"this is {what}, not a text file (CSV, JSON or JSONL){hint}", file=label)
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise ValidationError("unsupported encoding (UTF-16): save the file as UTF-8", file=label)
    if b"\x00" in data:
        raise ValidationError("unsupported encoding (NUL bytes: binary or UTF-16 data); use UTF-8 or GBK",
                              file=label)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            text = data.decode("gb18030")
        except UnicodeDecodeError as exc:
            line = data.count(b"\n", 0, exc.start) + 1
            raise ValidationError("unsupported encoding (neither UTF-8 nor GB18030/GBK)", file=label,
                                  line=line) from None
        if _looks_misdecoded(text):
            raise ValidationError("unsupported encoding (looks like Big5 or another non-GBK encoding); "
                                  "save the file as UTF-8", file=label)
    if _control_share(text) > 0.001:
        raise ValidationError("unsupported encoding (control characters: binary data?)", file=label)
    return text


def _looks_misdecoded(text: str) -> bool:
    """True when GB18030-decoded text is probably another encoding (Big5, Shift-JIS...).

    Real simplified-Chinese GBK text is almost all GB2312 characters (both bytes 0xA1-0xFE);
    Big5 bytes decoded as GBK land on rare GBK-extension characters, often under half of
    them in GB2312. Rule: more than 20 % of the CJK characters outside GB2312 → reject, judged
    on the first ``_SAMPLE_CHARS`` characters (as ``_control_share``: a file's encoding shows
    in its start, and a 100 MB price export is not walked character by character)."""
    sample = text[:_SAMPLE_CHARS]
    if not any(not _in_gb2312(ch) for ch in set(sample) if ord(ch) > 0x2E7F):
        return False                   # the common case, decided on the distinct characters alone
    counts = Counter(_CJK_OR_LATER.findall(sample))
    outside = sum(n for ch, n in counts.items() if not _in_gb2312(ch))
    return outside / sum(counts.values()) > 0.20


def _in_gb2312(ch: str) -> bool:
    try:
        ch.encode("gb2312")
    except UnicodeEncodeError:
        return False
    return True


def _control_share(text: str) -> float:
    if not text:
        return 0.0
    sample = text[:_SAMPLE_CHARS]
    return len(_CONTROL.findall(sample)) / len(sample)


def sniff_encoding(sample: bytes, label: str, *, complete: bool) -> tuple[str, str]:
    """The codec to stream a file with, decided on its first bytes exactly as ``decode_bytes``
    decides on a whole file (the same refusals) → ``(codec, sample text)``: ``utf-8-sig`` or
    ``gb18030``. ``complete`` says the sample is the whole file; otherwise it is cut after its
    last newline first (neither UTF-8 nor GB18030 has a 0x0A inside a character), so a
    character split by the sample's end is never judged."""
    if not complete and b"\n" in sample:
        sample = sample[:sample.rindex(b"\n") + 1]
    text = decode_bytes(sample, label)
    try:
        sample.decode("utf-8-sig")
    except UnicodeDecodeError:
        return "gb18030", text
    return "utf-8-sig", text
