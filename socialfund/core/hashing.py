"""Content hashes used as keys (dedupe of posts, score cache)."""

from __future__ import annotations

import hashlib


def text_hash(text: str) -> str:
    """sha256 hex of the exact text (the sentiment score cache key, with the scorer version)."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def post_content_hash(code: str, published_at_utc_iso: str, text: str) -> str:
    """Identity of a post for dedupe: the same text about the same fund at the same time."""
    return hashlib.sha256(f"{code}\x1f{published_at_utc_iso}\x1f{text}".encode("utf-8")).hexdigest()
