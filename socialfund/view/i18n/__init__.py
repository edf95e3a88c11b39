"""Every user-facing string in Chinese and English. Chinese is the default.

Strings live in tables of ``key -> (zh, en)``, one module per area under ``socialfund/view/i18n/``
(``common``, and one per page); ``t(key, lang, **fmt)`` looks a key up in all of them.
A missing key raises ``KeyError`` in tests rather than showing a raw key to a user.
"""

from __future__ import annotations

import importlib
import pkgutil
from functools import cache

LANGS = ("zh", "en")
DEFAULT_LANG = "zh"


@cache
def _table() -> dict[str, tuple[str, str]]:
    merged: dict[str, tuple[str, str]] = {}
    for info in pkgutil.iter_modules(__path__):
        module = importlib.import_module(f"{__name__}.{info.name}")
        for key, pair in getattr(module, "STRINGS", {}).items():
            if key in merged and merged[key] != pair:
                raise ValueError(f"i18n key {key!r} defined twice with different text ({info.name})")
            merged[key] = pair
    return merged


def t(key: str, lang: str = DEFAULT_LANG, **fmt: object) -> str:
    """The text of ``key`` in ``lang`` ('zh' or 'en'), formatted with ``fmt``."""
    zh, en = _table()[key]
    text = en if lang == "en" else zh
    return text.format(**fmt) if fmt else text


def keys() -> set[str]:
    return set(_table())
