"""Process tuning applied by the router (``dashboard.py``) at the start of every run: the
cyclic garbage collector is kept off the long-lived heap. Nothing here is per user."""

from __future__ import annotations

import gc
import sys
import threading

import streamlit as st


class HeapFreezer:
    """Move the long-lived heap (imported modules, their functions and classes) out of the
    cyclic garbage collector's reach, once per growth of ``sys.modules``.

    Why: Streamlit runs ``gc.collect(2)`` after EVERY script run (``runner.postScriptGC``).
    A full collection walks every gc-tracked object: about 190 000 once pandas, plotly,
    sklearn and jieba are imported — measured 60-70 ms per page run, and about half the
    server's CPU under ``benchmarks/load.py`` (py-spy). ``gc.freeze()`` puts the objects alive
    now into a permanent generation that collections skip; measured after it: 0.3-2 ms.
    Reference counting still frees frozen objects; only a reference CYCLE that was alive at
    freeze time and dies later is never reclaimed, so we freeze rarely: when new modules were
    imported since the last freeze (a handful of times per process, all early), never per run.

    Why not strictly once per process: the first router run has imported streamlit, pandas,
    plotly, SQLAlchemy and the library (~136 000 objects), but sklearn and jieba load lazily
    on the Sentiment and Fund ideas pages; frozen only at the first run, those ~70 000 later
    objects stayed in every full collection (measured 50 ms per run on a loaded 2-core box).

    One instance per process (``freezer()``); the lock makes concurrent sessions freeze once.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._frozen_at_modules = 0  # len(sys.modules) when the heap was last frozen

    def freeze_if_modules_grew(self) -> bool:
        """Freeze when modules were imported since the last freeze; True when it froze."""
        if len(sys.modules) <= self._frozen_at_modules:
            return False
        with self._lock:
            if len(sys.modules) <= self._frozen_at_modules:
                return False
            gc.collect()   # free the garbage that exists now, so it is not frozen
            gc.freeze()
            self._frozen_at_modules = len(sys.modules)
            return True


@st.cache_resource(show_spinner=False)
def freezer() -> HeapFreezer:
    """The process's one HeapFreezer (gc.freeze acts on the whole process anyway)."""
    return HeapFreezer()


def tune_process() -> None:
    """Called by the router before anything else; costs one ``len(sys.modules)`` when
    nothing new was imported."""
    freezer().freeze_if_modules_grew()
