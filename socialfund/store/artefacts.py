"""Derived arrays kept beside the store as versioned artefacts (issue 16.3).

An artefact is a set of NumPy arrays computed from stored data (the community NAV matrix,
``services.nav_artefact``) and saved with the fingerprints of what it was computed from, so
a later reader rebuilds only what changed. It is a cache: it may be missing, stale or
unreadable at any time (a reader then recomputes), it never holds anything that is not
derived from the store, and losing it loses nothing.

Where: ``DATA_DIR/artefacts/<store instance>/NAME.npz`` (``SOCIALFUND_DATA_DIR``, the
runtime directory). The store instance is a random id kept in the store's ``meta`` table,
so a database recreated at the same URL never reads another's artefacts, and app replicas
sharing one PostgreSQL store each keep their own copy (a local file reads in milliseconds;
the same bytes from the database take longer than recomputing them). Writes go to a
temporary file renamed over the old one, so a reader sees the old or the new file whole.
"""

from __future__ import annotations

import os
import re
import tempfile
import uuid
import zipfile
from pathlib import Path

import numpy as np
from sqlalchemy import select

from socialfund.store import Store, insert_ignore, schema

STORE_INSTANCE_KEY = "store_instance"
_NAME = re.compile(r"^[A-Za-z0-9_.-]{1,120}$")


def store_instance(store: Store) -> str:
    """The store's random instance id (created on first use, then never changed)."""
    m = schema.meta
    query = select(m.c.value).where(m.c.key == STORE_INSTANCE_KEY)
    with store.read() as conn:
        found = conn.execute(query).scalar()
    if found:
        return str(found)
    with store.write() as conn:
        insert_ignore(conn, m, [{"key": STORE_INSTANCE_KEY, "value": uuid.uuid4().hex}])
        return str(conn.execute(query).scalar_one())   # another process may have won the insert


class Artefacts:
    """The artefact directory of one store: ``load``/``save`` named sets of arrays."""

    def __init__(self, root: Path) -> None:
        self.root = Path(root)

    @classmethod
    def of_store(cls, store: Store, data_dir: Path) -> Artefacts:
        return cls(Path(data_dir) / "artefacts" / store_instance(store))

    def path(self, name: str) -> Path:
        if not _NAME.match(name):
            raise ValueError(f"artefact name {name!r} must be letters, digits, '_', '-' or '.'")
        return self.root / f"{name}.npz"

    def load(self, name: str) -> dict[str, np.ndarray] | None:
        """The arrays saved under ``name``, or None when there are none or the file cannot
        be read (a cache miss; the caller recomputes)."""
        path = self.path(name)
        try:
            with np.load(path, allow_pickle=False) as data:
                return {k: data[k] for k in data.files}
        except (OSError, ValueError, zipfile.BadZipFile, EOFError):
            return None

    def save(self, name: str, arrays: dict[str, np.ndarray], *, keep: int = 4) -> bool:
        """Write ``arrays`` under ``name`` atomically, then keep only the ``keep`` newest
        artefacts with the same name prefix (before the first '.'). False when the
        directory cannot be written (the caller carries on without the cache)."""
        path = self.path(name)
        try:
            self.root.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=self.root, prefix=".tmp-", suffix=".npz")
            try:
                with os.fdopen(fd, "wb") as fh:
                    np.savez(fh, **arrays)   # type: ignore[arg-type]
                os.replace(tmp, path)
            except BaseException:
                Path(tmp).unlink(missing_ok=True)
                raise
            prefix = name.split(".", 1)[0]
            same = sorted(self.root.glob(f"{prefix}.*.npz"), key=lambda p: p.stat().st_mtime, reverse=True)
            for old in same[keep:]:
                old.unlink(missing_ok=True)
        except OSError:
            return False
        return True
