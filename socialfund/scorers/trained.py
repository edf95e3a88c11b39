"""The ``model:PATH`` scorer: a supervised model trained on the user's own labelled file
(``python -m socialfund sentiment train``), and its training, saving and loading.

Model (format /4) = three feature blocks -> one multinomial logistic regression:

* character 1-3-gram TF-IDF (no segmenter: catches slang variants 涨停板 / 涨停了);
* word 1-2-gram TF-IDF over jieba tokens (jieba is imported only to train or load a model);
* the finance lexicon's own features (``LexiconFeatures``: its score, bullish and bearish
  evidence, hits, negations, and which rules fired).

Probabilities are calibrated by temperature scaling: the logits are multiplied by one
factor fitted (least log-loss) on the out-of-fold logits of the cross-validation, so a
0.8 means about 80% right. ``sentiment train`` prints the cross-validated figures and saves
them with the model.

Saved without pickle (``scorers.weights``): ``PATH`` is an npz archive of the vocabularies,
idf vectors, coefficients and intercepts, read with ``allow_pickle=False``; ``PATH.json``
holds the format, sha256, data, settings and metrics. A model saved by an earlier
socialfund (joblib pickle, formats /1-/3) is refused with a message to train again.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

from socialfund.scorers.lexicon import normalise
from socialfund.scorers.rules import SCALE, scan_text
from socialfund.scorers.weights import file_sha256, load_weights, save_weights, vectorizer_arrays, vectorizer_from
from socialfund.sentiment import MAX_SCORED_CHARS, SentimentResult, has_word_char, precheck, unscored

__all__ = ["DEFAULT_C", "MODEL_FORMAT", "ModelScorer", "TextModel", "file_sha256", "load_model", "save_model", "train_model"]

MODEL_FORMAT = "socialfund-sentiment-model/4"
"""/4: npz weights (no pickle), char + word n-grams + lexicon features, calibrated."""
_PICKLED = ("was saved as a pickle by an earlier socialfund ({what}); pickles can run code "
            "when loaded and are no longer loaded")
OLD_FORMATS = {
    "socialfund-sentiment-model/1": _PICKLED.format(what="format /1"),
    "socialfund-sentiment-model/2": _PICKLED.format(what="format /2"),
    "socialfund-sentiment-model/3": _PICKLED.format(what="format /3, joblib"),
}

LEXICON_RULES = ("negation", "plea", "post-position negation", "contrast", "question",
                 "rhetorical", "sarcasm marker", "sarcastic joy", "news register")
"""The rules whose firing is a feature of the model (``scorers.rules.rules_fired``)."""
LEXICON_FEATURE_SCALE = 3.0
"""The lexicon features are few against ~100,000 n-gram columns: scaled up so the same
regularisation lets them weigh (3 scored best of 1 / 3 in 5-fold CV)."""
N_LEXICON_FEATURES = 6 + len(LEXICON_RULES)

DEFAULT_C = 2.0
"""Inverse regularisation of the logistic regression. 5-fold CV on finfe_dev (r5, the
same folds and features; 3-class / binary accuracy): C 1 0.7511 / 0.8993, C 2 0.7494 /
0.9012, C 4 (r4) 0.7479 / 0.8994, C 10 0.7440 / 0.8985; ``sentiment train`` at C 2 with
the r5 lexicon: 0.7498 / 0.9016. Tried there and not kept: NB-scaled one-vs-rest
features (0.7449 / 0.8981), char 1-4-grams (0.7468 / 0.8994), word 1-3-grams
(0.7470 / 0.8996), lexicon features x2 (0.7478 / 0.8992), a separate neg/pos head for
the polarity (0.7476-0.7478 / 0.8981-0.8990): with these features the linear model is
saturated at about 0.75 / 0.90."""

CLASS_WEIGHTS = {"pos": 1.0, "neu": 0.5, "neg": 0.0}
"""score = sum over classes of P(class) x weight: P(pos) + 0.5 P(neu)."""
CHAR_PARAMS: dict[str, Any] = {"analyzer": "char", "ngram_range": (1, 3), "sublinear_tf": True}
WORD_PARAMS: dict[str, Any] = {"analyzer": "word", "ngram_range": (1, 2), "sublinear_tf": True,
                               "token_pattern": r"(?u)\S+", "lowercase": False}


class LexiconFeatures:
    """The finance lexicon's own features per (normalised) text: bullish and bearish
    evidence (each >= 0), hits (capped at 5, / 5), no hit at all, one 0/1 column per rule
    of ``LEXICON_RULES`` that fired, the lexicon's score (0-1, 0.5 with no hit) minus 0.5
    and negations (capped at 3, / 3); all times ``LEXICON_FEATURE_SCALE``. They let the
    model use the rules' knowledge of slang and negation while learning the rest."""

    def fit(self, x: Sequence[str], y: Any = None) -> LexiconFeatures:
        return self

    def transform(self, x: Sequence[str]) -> Any:
        import numpy as np
        from scipy import sparse

        rows = []
        for text in x:
            scan = scan_text(text)
            score = 1.0 / (1.0 + math.exp(-SCALE * scan.total)) if scan.n_hits else 0.5
            negations = scan.negations
            rows.append([max(scan.total, 0.0), max(-scan.total, 0.0), min(scan.n_hits, 5) / 5,
                         float(scan.n_hits == 0)]
                        + [float(rule in scan.fired) for rule in LEXICON_RULES]
                        + [score - 0.5, min(negations, 3) / 3])
        arr = np.array(rows, dtype=np.float64).reshape(len(rows), N_LEXICON_FEATURES)
        return sparse.csr_matrix(arr * LEXICON_FEATURE_SCALE)


def _normalise_all(texts: Sequence[str]) -> list[str]:
    return [normalise(t[:MAX_SCORED_CHARS]) if isinstance(t, str) else "" for t in texts]


def _words(texts: Sequence[str]) -> list[str]:
    """jieba tokens of each normalised text, space-joined (spaces inside a text dropped)."""
    import jieba

    jieba.setLogLevel(60)
    return [" ".join(w for w in jieba.lcut(t) if not w.isspace()) for t in texts]


def _softmax(z: Any) -> Any:
    import numpy as np

    z = z - z.max(axis=1, keepdims=True)
    e = np.exp(z)
    return e / e.sum(axis=1, keepdims=True)


class TextModel:
    """Fitted char + word TF-IDF vectorizers, lexicon features and linear weights
    (``coef`` classes x features, ``intercept``), with a calibration ``temperature``."""

    def __init__(self, chars: Any, words: Any, coef: Any, intercept: Any, classes: Sequence[str],
                 temperature: float = 1.0) -> None:
        self.chars, self.words = chars, words
        self.coef, self.intercept = coef, intercept
        self.classes_ = [str(c) for c in classes]
        self.temperature = float(temperature)

    @classmethod
    def fit(cls, texts: Sequence[str], labels: Any, c: float = DEFAULT_C) -> TextModel:
        import numpy as np
        from sklearn.feature_extraction.text import TfidfVectorizer
        from sklearn.linear_model import LogisticRegression

        norm = _normalise_all(texts)
        chars = TfidfVectorizer(min_df=2, max_features=400_000, **CHAR_PARAMS)
        words = TfidfVectorizer(min_df=2, max_features=200_000, **WORD_PARAMS)
        from scipy import sparse

        x = sparse.hstack([chars.fit_transform(norm), words.fit_transform(_words(norm)),
                           LexiconFeatures().transform(norm)]).tocsr()
        clf = LogisticRegression(C=c, max_iter=3000)
        clf.fit(x, np.asarray(labels))
        coef, intercept = clf.coef_, clf.intercept_
        if coef.shape[0] == 1:  # two classes: logits (0, z) give the same probabilities
            coef = np.vstack([np.zeros_like(coef), coef])
            intercept = np.concatenate([[0.0], intercept])
        return cls(chars, words, coef, intercept, clf.classes_)

    def logits(self, texts: Sequence[str]) -> Any:
        from scipy import sparse

        norm = _normalise_all(texts)
        x = sparse.hstack([self.chars.transform(norm), self.words.transform(_words(norm)),
                           LexiconFeatures().transform(norm)]).tocsr()
        return x @ self.coef.T + self.intercept

    def predict_proba(self, texts: Sequence[str]) -> Any:
        """Calibrated class probabilities (columns in ``classes_`` order)."""
        return _softmax(self.logits(texts) * self.temperature)

    def to_arrays(self) -> dict[str, Any]:
        import numpy as np

        return (vectorizer_arrays("char_", self.chars) | vectorizer_arrays("word_", self.words)
                | {"coef": self.coef, "intercept": np.asarray(self.intercept),
                   "classes": np.array(self.classes_, dtype=str),
                   "temperature": np.array([self.temperature])})

    @classmethod
    def from_arrays(cls, arrays: Any) -> TextModel:
        return cls(vectorizer_from(arrays, "char_", **CHAR_PARAMS), vectorizer_from(arrays, "word_", **WORD_PARAMS),
                   arrays["coef"], arrays["intercept"], [str(c) for c in arrays["classes"]],
                   float(arrays["temperature"][0]))


def fit_temperature(logits: Any, gold_index: Any) -> float:
    """The factor t minimising the log-loss of softmax(t * logits) (grid 0.2-3.0, step 0.05)."""
    import numpy as np

    best, best_loss = 1.0, math.inf
    rows = np.arange(len(gold_index))
    for t in np.arange(0.2, 3.0001, 0.05):
        p = _softmax(logits * t)[rows, gold_index]
        loss = float(-np.log(np.clip(p, 1e-12, 1.0)).mean())
        if loss < best_loss:
            best, best_loss = float(round(t, 2)), loss
    return best


class ModelScorer:
    """A trained model from ``sentiment train``: score = P(pos) + 0.5 * P(neu)
    (for a neg/pos model simply P(pos)); label = most probable class; confidence = its
    calibrated probability."""

    name = "model"

    def __init__(self, model: TextModel, metadata: dict[str, Any], path: str) -> None:
        self.model = model
        self.metadata = metadata
        self.path = path
        self.classes = list(model.classes_)
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
            proba = self.model.predict_proba([checks[i][0] or "" for i in todo])
            weights = [CLASS_WEIGHTS[c] for c in self.classes]
            for i, row in zip(todo, proba):
                score = float(sum(p * w for p, w in zip(row, weights)))
                best = max(range(len(row)), key=row.__getitem__)
                results[i] = SentimentResult(round(score, 4), self.classes[best],
                                             round(float(row[best]), 4), None)
        return [results[i] for i in range(len(texts))]


def load_model(path: str) -> ModelScorer:
    """Load a model saved by ``save_model`` (npz + ``PATH.json``); a pickle is refused."""
    arrays, metadata = load_weights(path, MODEL_FORMAT, OLD_FORMATS)
    return ModelScorer(TextModel.from_arrays(arrays), metadata, path)


def save_model(model: TextModel, path: str, metadata: dict[str, Any]) -> dict[str, Any]:
    """Write the weights to ``path`` (npz) and metadata to ``PATH.json``."""
    return save_weights(path, model.to_arrays(), metadata, MODEL_FORMAT)


def train_model(texts: Sequence[str], labels: Sequence[str], *, folds: int = 5,
                c: float = DEFAULT_C) -> tuple[TextModel, dict[str, Any]]:
    """Fit the model on all data; report ``folds``-fold cross-validated metrics first.

    Metrics: accuracy and macro-F1 over the file's classes, binary accuracy on the neg+pos
    subset (pos iff P(pos) + 0.5 P(neu) >= 0.5, as in ``sentiment eval``) and the
    calibrated log-loss; the calibration temperature is fitted on the out-of-fold logits."""
    import numpy as np
    from sklearn.metrics import accuracy_score, f1_score
    from sklearn.model_selection import StratifiedKFold

    texts = list(texts)
    y = np.array(labels)
    classes = sorted(set(labels))
    metrics: dict[str, Any] = {"folds": 0}
    counts = [int((y == k).sum()) for k in classes]
    k = min(folds, min(counts)) if counts else 0
    temperature = 1.0
    if k >= 2:
        logits = np.zeros((len(y), len(classes)))
        for train_idx, test_idx in StratifiedKFold(k, shuffle=True, random_state=0).split(texts, y):
            fold = TextModel.fit([texts[i] for i in train_idx], y[train_idx], c)
            logits[test_idx] = fold.logits([texts[i] for i in test_idx])
        gold = np.array([classes.index(g) for g in y])
        temperature = fit_temperature(logits, gold)
        proba = _softmax(logits * temperature)
        pred = np.array(classes)[proba.argmax(1)]
        score = proba @ np.array([CLASS_WEIGHTS[c_] for c_ in classes])
        binary = np.isin(y, ["neg", "pos"])
        metrics = {
            "folds": int(k),
            "accuracy": round(float(accuracy_score(y, pred)), 4),
            "macro_f1": round(float(f1_score(y, pred, average="macro")), 4),
            "binary_accuracy": round(float(np.mean((score[binary] >= 0.5) ==
                                                   (y[binary] == "pos"))), 4)
            if binary.any() else None,
            "log_loss": round(float(-np.log(np.clip(proba[np.arange(len(y)), gold], 1e-12, 1)).mean()), 4),
            "temperature": temperature,
        }
    model = TextModel.fit(texts, y, c)
    model.temperature = temperature
    return model, {"classes": classes, "n": len(texts), "class_counts": dict(zip(classes, counts)),
                   "cv": metrics, "C": c}
