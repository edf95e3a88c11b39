"""The one place that turns library errors into ``st.error``: a configuration error stops
the page; any other ``SocialFundError`` becomes one clear line (and stops the page if asked).
The router wraps every page run in ``errors_shown(stop=True)``, so an error a page does not
handle itself still reads as one line, never a traceback.

A ``ValidationError`` that carries a message key (``socialfund.core.errors``) is shown in the
session's language (``message``): the Chinese UI never shows the library's English text."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import streamlit as st

from socialfund.core.errors import ConfigError, SocialFundError, ValidationError
from socialfund.view.i18n import keys, t

from app import session


def message(exc: SocialFundError, lang: str) -> str:
    """``exc`` in ``lang``: its key and arguments translated (with file, line and column in
    words) when it carries a key with a translation, else its own text."""
    key = getattr(exc, "key", None)
    if not isinstance(exc, ValidationError):
        return str(exc)
    if not key or key not in keys():
        if lang == "en":
            return str(exc)
        # no translation of this one yet: where it is in words, and the library's own text so the
        # message still names what is wrong (finding 5 gives way to "name what is wrong")
        key, exc = "error.unkeyed", ValidationError(exc.message, file=exc.file, line=exc.line, column=exc.column,
                                                    args={"detail": exc.message})
    args = {k: v for k, v in exc.args_.items()}
    what = args.get("what")
    if what is not None and f"error.what.{what}" in keys():
        args["what"] = t(f"error.what.{what}", lang)
    body = t(key, lang, **args) if args else t(key, lang)
    where = []
    if exc.file:
        where.append(t("error.where.file", lang, file=exc.file))
    if exc.line is not None:
        where.append(t("error.where.line", lang, line=exc.line))
    if exc.column is not None:
        where.append(t("error.where.column", lang, column=exc.column))
    return (t("error.where.sep", lang).join(where) + ("：" if lang == "zh" else ": ") if where else "") + body


@contextmanager
def errors_shown(stop: bool = False) -> Iterator[None]:
    """Turn library errors into one clear ``st.error`` line (and stop the page if asked)."""
    lang = session.lang()
    try:
        yield
    except ConfigError as exc:
        st.error(t("error.config", lang, msg=exc))
        st.stop()
    except SocialFundError as exc:
        st.error(t("error.generic", lang, msg=message(exc, lang)))
        if stop:
            st.stop()
