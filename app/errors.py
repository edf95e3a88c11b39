"""The one place that turns library errors into ``st.error``: a configuration error stops
the page; any other ``SocialFundError`` becomes one clear line (and stops the page if asked).
The router wraps every page run in ``errors_shown(stop=True)``, so an error a page does not
handle itself still reads as one line, never a traceback."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import streamlit as st

from socialfund.core.errors import ConfigError, SocialFundError
from socialfund.view.i18n import t

from app import session


@contextmanager
def errors_shown(stop: bool = False) -> Iterator[None]:
    """Turn library errors into one clear ``st.error`` line (and stop the page if asked)."""
    try:
        yield
    except ConfigError as exc:
        st.error(t("error.config", session.lang(), msg=exc))
        st.stop()
    except SocialFundError as exc:
        st.error(t("error.generic", session.lang(), msg=exc))
        if stop:
            st.stop()
