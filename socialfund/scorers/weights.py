"""Model weights on disk without pickle: numpy arrays in an ``.npz`` archive (read with
``allow_pickle=False``, so loading a file can never run code) plus a JSON sidecar
``PATH.json`` with the format, sha256 and what the model is.

A TF-IDF vectorizer is stored as its vocabulary (terms in column order) and idf vector
and rebuilt with the same parameters; a linear model as its coefficients and intercepts.
Files saved by earlier socialfund versions as joblib/pickle are refused with a message
saying to train again (``refuse_pickle``).
"""

from __future__ import annotations

import hashlib
import json
import os
from typing import Any

from socialfund.core.errors import NotFoundError, ValidationError

ZIP_MAGIC = b"PK\x03\x04"
PICKLE_MAGIC = (b"\x80",)  # pickle protocols 2-5 start with PROTO (0x80)


def file_sha256(path: str) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def vectorizer_arrays(prefix: str, vectorizer: Any) -> dict[str, Any]:
    """A fitted TfidfVectorizer -> ``{prefix}vocab`` (terms by column) and ``{prefix}idf``."""
    import numpy as np

    vocab = sorted(vectorizer.vocabulary_, key=vectorizer.vocabulary_.__getitem__)
    return {f"{prefix}vocab": np.array(vocab, dtype=str),
            f"{prefix}idf": np.asarray(vectorizer.idf_, dtype=np.float64)}


def vectorizer_from(arrays: Any, prefix: str, **params: Any) -> Any:
    """Rebuild a TfidfVectorizer saved by ``vectorizer_arrays`` (``params`` as when fitted)."""
    from sklearn.feature_extraction.text import TfidfVectorizer

    vocab = [str(t) for t in arrays[f"{prefix}vocab"]]
    vectorizer = TfidfVectorizer(vocabulary={t: i for i, t in enumerate(vocab)}, **params)
    vectorizer.idf_ = arrays[f"{prefix}idf"]
    return vectorizer


def refuse_pickle(path: str) -> None:
    """Raise ValidationError if ``path`` is not an npz archive (a joblib/pickle model of an
    earlier socialfund, or anything else)."""
    with open(path, "rb") as fh:
        head = fh.read(4)
    if head.startswith(ZIP_MAGIC):
        return
    if head[:1] in PICKLE_MAGIC or head[:1] in (b"x",):  # x: zlib-compressed joblib
        raise ValidationError("this model file is a pickle (saved by an earlier socialfund with "
                              "joblib); pickles can run code when loaded, so they are no longer "
                              "loaded: train it again with 'sentiment train'", file=path)
    raise ValidationError("not a socialfund weights file (expected an .npz archive)", file=path)


def save_weights(path: str, arrays: dict[str, Any], metadata: dict[str, Any], fmt: str) -> dict[str, Any]:
    """Write ``arrays`` to ``path`` (npz, compressed, written whole then renamed) and
    ``metadata`` + format + sha256 to ``path.json``; returns the metadata written."""
    import numpy as np

    tmp = f"{path}.tmp-{os.getpid()}"
    with open(tmp, "wb") as fh:
        np.savez_compressed(fh, **arrays)
    os.replace(tmp, path)
    metadata = dict(metadata, format=fmt, model_sha256=file_sha256(path))
    tmp = f"{path}.json.tmp-{os.getpid()}"
    with open(tmp, "w", encoding="utf-8") as fh:
        json.dump(metadata, fh, ensure_ascii=False, indent=2)
    os.replace(tmp, path + ".json")
    return metadata


def load_weights(path: str, fmt: str, old_formats: dict[str, str] | None = None) -> tuple[Any, dict[str, Any]]:
    """(arrays, metadata) of a file written by ``save_weights`` with format ``fmt``.
    Missing file -> NotFoundError; no sidecar, another format, a pickle or a sha256
    mismatch -> ValidationError naming the file."""
    import numpy as np

    if not os.path.exists(path):
        raise NotFoundError(f"sentiment model not found: {path}")
    meta_path = path + ".json"
    if not os.path.exists(meta_path):
        raise ValidationError("model has no metadata sidecar (expected "
                              f"{os.path.basename(meta_path)}); train it with "
                              "'sentiment train'", file=path)
    with open(meta_path, encoding="utf-8") as fh:
        metadata = json.load(fh)
    found = metadata.get("format")
    if old_formats and found in old_formats:
        raise ValidationError(f"model {old_formats[found]}; train it again with "
                              "'sentiment train'", file=meta_path)
    if found != fmt:
        raise ValidationError(f"not a socialfund sentiment model (format {found!r})", file=meta_path)
    refuse_pickle(path)
    if metadata.get("model_sha256") != file_sha256(path):
        raise ValidationError("model file does not match its metadata sha256", file=path)
    with np.load(path, allow_pickle=False) as archive:
        arrays = {k: archive[k] for k in archive.files}
    return arrays, metadata
