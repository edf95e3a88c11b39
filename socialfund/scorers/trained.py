"""The ``model:PATH`` scorer: a supervised model trained on the user's own labelled file
(``python -m socialfund sentiment train``), and its training, saving and loading.

Model = char 1-3-gram TF-IDF + the finance lexicon's own features (``LexiconFeatures``:
bullish and bearish evidence, hits, and which rules fired) -> logistic regression, whose
probabilities are what ``ModelScorer`` reports. The file is a joblib pickle with a ``PATH.json`` sidecar (format,
sha256, data and cross-validated metrics): load only models you trained yourself.
scikit-learn, scipy and joblib are imported only when a model is trained or loaded.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Sequence
from typing import Any

from socialfund.core.errors import NotFoundError, ValidationError
from socialfund.scorers.lexicon import normalise
from socialfund.scorers.rules import scan_text
from socialfund.sentiment import MAX_SCORED_CHARS, SentimentResult, has_word_char, precheck, unscored

MODEL_FORMAT = "socialfund-sentiment-model/3"
"""/3: the lexicon features include hits and the rules that fired (rules r3); /2 models
(two lexicon features) and /1 models (saved when the scorers lived in
``socialfund.sentiment``) do not fit the pipeline any more: train again."""
OLD_FORMATS = {
    "socialfund-sentiment-model/1": "saved by an earlier socialfund (format /1, before the "
                                    "scorers moved to socialfund.scorers)",
    "socialfund-sentiment-model/2": "saved by an earlier socialfund (format /2, before the "
                                    "r3 lexicon features)",
}

LEXICON_RULES = ("negation", "plea", "post-position negation", "contrast", "question",
                 "rhetorical", "sarcasm marker", "sarcastic joy", "news register")
"""The rules whose firing is a feature of the model (``scorers.rules.rules_fired``)."""
LEXICON_FEATURE_SCALE = 3.0
"""The lexicon features are few against ~100,000 n-gram columns: scaled up so the same
regularisation lets them weigh (3 scored best of 1 / 3 in 5-fold CV)."""

CLASS_WEIGHTS = {"pos": 1.0, "neu": 0.5, "neg": 0.0}
"""score = sum over classes of P(class) x weight: P(pos) + 0.5 P(neu)."""


class LexiconFeatures:
    """The finance lexicon's own features for the supervised model, per (normalised)
    text: bullish and bearish evidence (each >= 0), hits (capped at 5, / 5), no hit at
    all, and one 0/1 column per rule of ``LEXICON_RULES`` that fired; all times
    ``LEXICON_FEATURE_SCALE``. They let the model use the rules' knowledge of slang and
    negation while learning the rest from the user's labels."""

    def fit(self, x: Sequence[str], y: Any = None) -> LexiconFeatures:
        return self

    def transform(self, x: Sequence[str]) -> Any:
        import numpy as np
        from scipy import sparse

        rows = []
        for text in x:
            scan = scan_text(text)
            rows.append([max(scan.total, 0.0), max(-scan.total, 0.0), min(scan.n_hits, 5) / 5,
                         float(scan.n_hits == 0)]
                        + [float(rule in scan.fired) for rule in LEXICON_RULES])
        arr = np.array(rows, dtype=np.float32).reshape(len(rows), 4 + len(LEXICON_RULES))
        return sparse.csr_matrix(arr * LEXICON_FEATURE_SCALE)


def build_model_pipeline(c: float = 4.0) -> Any:
    """char 1-3-gram TF-IDF (min_df 2) + lexicon features -> logistic regression.
    (1-4-grams and min_df 1 scored no better in our trials and train slower.)"""
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import FeatureUnion, Pipeline
    from sklearn.preprocessing import FunctionTransformer

    chars = TfidfVectorizer(analyzer="char", ngram_range=(1, 3), min_df=2, sublinear_tf=True,
                            max_features=400_000)
    features = FeatureUnion([("chars", chars), ("lexicon", LexiconFeatures())])
    return Pipeline([
        ("normalise", FunctionTransformer(_normalise_all)),
        ("features", features),
        ("clf", LogisticRegression(C=c, max_iter=2000)),
    ])


def _normalise_all(texts: Sequence[str]) -> list[str]:
    return [normalise(t[:MAX_SCORED_CHARS]) if isinstance(t, str) else "" for t in texts]


class ModelScorer:
    """A trained model from ``sentiment train``: score = P(pos) + 0.5 * P(neu)
    (for a neg/pos model simply P(pos)); label = most probable class."""

    name = "model"

    def __init__(self, pipeline: Any, metadata: dict[str, Any], path: str) -> None:
        self.pipeline = pipeline
        self.metadata = metadata
        self.path = path
        self.classes = [str(c) for c in pipeline.classes_]
        self.version = f"model-{metadata.get('model_sha256', '')[:12]}"

    def score_many(self, texts: Sequence[str]) -> list[SentimentResult]:
        checks = [precheck(t) for t in texts]
        results: dict[int, SentimentResult] = {}
        todo: list[int] = []
        for i, (capped, reason) in enumerate(checks):
            if capped is None:
                results[i] = unscored(reason or "empty")
            elif not has_word_char(capped):
                results[i] = unscored("emoji-only")
            else:
                todo.append(i)
        if todo:
            proba = self.pipeline.predict_proba([checks[i][0] for i in todo])
            weights = [CLASS_WEIGHTS[c] for c in self.classes]
            for i, row in zip(todo, proba):
                score = float(sum(p * w for p, w in zip(row, weights)))
                best = max(range(len(row)), key=row.__getitem__)
                results[i] = SentimentResult(round(score, 4), self.classes[best],
                                             round(float(row[best]), 4), None)
        return [results[i] for i in range(len(texts))]


def file_sha256(path: str) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def load_model(path: str) -> ModelScorer:
    """Load a model saved by ``save_model`` (joblib file + ``PATH.json`` sidecar)."""
    if not os.path.exists(path):
        raise NotFoundError(f"sentiment model not found: {path}")
    meta_path = path + ".json"
    if not os.path.exists(meta_path):
        raise ValidationError("model has no metadata sidecar (expected "
                              f"{os.path.basename(meta_path)}); train it with "
                              "'sentiment train'", file=path)
    with open(meta_path, encoding="utf-8") as fh:
        metadata = json.load(fh)
    if metadata.get("format") in OLD_FORMATS:
        raise ValidationError(f"model {OLD_FORMATS[metadata['format']]}; train it again with "
                              "'sentiment train'", file=meta_path)
    if metadata.get("format") != MODEL_FORMAT:
        raise ValidationError(f"not a socialfund sentiment model (format "
                              f"{metadata.get('format')!r})", file=meta_path)
    if metadata.get("model_sha256") != file_sha256(path):
        raise ValidationError("model file does not match its metadata sha256", file=path)
    import joblib

    pipeline = joblib.load(path)
    return ModelScorer(pipeline, metadata, path)


def save_model(pipeline: Any, path: str, metadata: dict[str, Any]) -> dict[str, Any]:
    """Write the fitted pipeline with joblib and metadata to ``PATH.json``."""
    import joblib

    joblib.dump(pipeline, path, compress=3)
    metadata = dict(metadata, format=MODEL_FORMAT, model_sha256=file_sha256(path))
    with open(path + ".json", "w", encoding="utf-8") as fh:
        json.dump(metadata, fh, ensure_ascii=False, indent=2)
    return metadata


def train_model(texts: Sequence[str], labels: Sequence[str], *, folds: int = 5,
                c: float = 4.0) -> tuple[Any, dict[str, Any]]:
    """Fit the model on all data; report ``folds``-fold cross-validated metrics first.

    Metrics: accuracy and macro-F1 over the file's classes, and binary accuracy on the
    neg+pos subset (pos iff P(pos) + 0.5 P(neu) >= 0.5), as in ``sentiment eval``."""
    import numpy as np
    from sklearn.metrics import accuracy_score, f1_score
    from sklearn.model_selection import StratifiedKFold

    texts = list(texts)
    y = np.array(labels)
    classes = sorted(set(labels))
    metrics: dict[str, Any] = {"folds": 0}
    counts = [int((y == k).sum()) for k in classes]
    k = min(folds, min(counts)) if counts else 0
    if k >= 2:
        pred = np.empty(len(y), dtype=object)
        score = np.zeros(len(y))
        for train_idx, test_idx in StratifiedKFold(k, shuffle=True, random_state=0).split(texts, y):
            pipe = build_model_pipeline(c)
            pipe.fit([texts[i] for i in train_idx], y[train_idx])
            proba = pipe.predict_proba([texts[i] for i in test_idx])
            cls = list(pipe.classes_)
            pred[test_idx] = [cls[j] for j in proba.argmax(1)]
            score[test_idx] = proba @ np.array([CLASS_WEIGHTS[c_] for c_ in cls])
        binary = np.isin(y, ["neg", "pos"])
        metrics = {
            "folds": int(k),
            "accuracy": round(float(accuracy_score(y, pred.astype(str))), 4),
            "macro_f1": round(float(f1_score(y, pred.astype(str), average="macro")), 4),
            "binary_accuracy": round(float(np.mean((score[binary] >= 0.5) ==
                                                   (y[binary] == "pos"))), 4)
            if binary.any() else None,
        }
    pipeline = build_model_pipeline(c)
    pipeline.fit(texts, y)
    return pipeline, {"classes": classes, "n": len(texts), "class_counts": dict(zip(classes, counts)),
                      "cv": metrics, "C": c}
