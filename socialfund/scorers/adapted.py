"""The ``finance-adapted`` scorer: ``finance`` adapted to one community's language without
labels (weak supervision on the lexicon's own confident labels), and ``corpus_hash``.

Built by ``FinanceScorer.adapt(texts)`` (the CLI's ``--adapt``), never by ``get_scorer``:
it needs the corpus. scikit-learn is imported only when a corpus is fitted.

``adapt_cached(base, texts, cache_dir)`` is adaptation on by default (the app and
``sentiment score``): a corpus of at least ``ADAPT_MIN_TEXTS`` (2,000) texts is adapted once
per (base version, corpus hash) and the weights are cached in ``cache_dir`` as npz + JSON
(``scorers.weights``, never pickle); a smaller corpus keeps the base scorer.
"""

from __future__ import annotations

import hashlib
import math
import os
from collections.abc import Iterable, Sequence
from typing import Any, Protocol, TypeVar, cast

from socialfund.core.errors import SocialFundError, ValidationError
from socialfund.scorers.lexicon import normalise
from socialfund.scorers.weights import load_weights, save_weights, vectorizer_arrays, vectorizer_from
from socialfund.sentiment import MAX_SCORED_CHARS, SentimentResult, label_for


class LexiconScorer(Protocol):
    """What the adaptation needs from its base scorer (``FinanceScorer``)."""

    version: str

    def score_many(self, texts: Sequence[str]) -> list[SentimentResult]: ...

    def evidence_many(self, texts: Sequence[str]) -> list[tuple[float, int]]: ...

    def explain(self, text: str) -> list[dict[str, Any]]: ...


BaseT = TypeVar("BaseT", bound=LexiconScorer)

ADAPT_MIN_TEXTS = 2_000
"""Adaptation on by default needs at least this many texts (fewer pseudo-labels learn noise)."""
ADAPTED_FORMAT = "socialfund-adapted-scorer/1"
TFIDF_PARAMS: dict[str, Any] = {"analyzer": "char", "ngram_range": (1, 3), "sublinear_tf": True}


def corpus_hash(texts: Iterable[str]) -> str:
    """sha256 (first 12 hex digits) of the texts in order, each NUL-terminated."""
    digest = hashlib.sha256()
    for t in texts:
        digest.update((t if isinstance(t, str) else "").encode("utf-8", "replace"))
        digest.update(b"\x00")
    return digest.hexdigest()[:12]


def _char_tfidf(max_features: int = 200_000) -> Any:
    import numpy as np
    from sklearn.feature_extraction.text import TfidfVectorizer

    # char 1-3-grams need no segmenter and catch slang variants (涨停板, 涨停了)
    return TfidfVectorizer(min_df=2, max_features=max_features, dtype=np.float32, **TFIDF_PARAMS)


class AdaptedFinanceScorer:
    """``finance`` adapted to one community's language without labels.

    1. Score the unlabelled corpus with the lexicon.
    2. Texts whose lexicon confidence is >= ``min_confidence`` (0.7, i.e. |evidence|
       >= 0.87: about one plain slang word) become pseudo-labels (pos if evidence > 0
       else neg); weaker texts are left out so the model learns from cleaner labels.
    3. Train char 1-3-gram TF-IDF + class-balanced logistic regression on them.
    4. Score: p = model's P(pos); texts the lexicon could not decide (no hit) get
       0.5 + ``shrink`` * (p - 0.5) (shrink 0.5), texts with hits get
       ``blend`` * p + (1 - blend) * lexicon score (blend 0.5).
    The version carries a hash of the corpus, so caches never mix two adaptations.
    """

    name = "finance-adapted"

    def __init__(self, base: LexiconScorer, vectorizer: Any, coef: Any, intercept: float, corpus: str,
                 blend: float, n_train: int, shrink: float = 0.5) -> None:
        self.base = base
        self.shrink = shrink
        self.vectorizer = vectorizer
        self.coef = coef            # logistic regression weights per n-gram column
        self.intercept = float(intercept)
        self.blend = blend
        self.n_train = n_train
        self.corpus = corpus
        self.version = f"{base.version}-adapt-{corpus}"

    @classmethod
    def fit(cls, base: BaseT, texts: Sequence[str], *, min_confidence: float = 0.7,
            blend: float = 0.5, shrink: float = 0.5, min_per_class: int = 20) -> AdaptedFinanceScorer | BaseT:
        from sklearn.linear_model import LogisticRegression

        texts = list(texts)
        evidence = base.evidence_many(texts)
        train_x: list[str] = []
        train_y: list[int] = []
        for t, (e, k) in zip(texts, evidence):
            if k and math.tanh(abs(e)) >= min_confidence:
                train_x.append(normalise(t[:MAX_SCORED_CHARS]))
                train_y.append(1 if e > 0 else 0)
        if min(train_y.count(0), train_y.count(1)) < min_per_class:
            return base  # too little pseudo-labelled data to learn anything honest
        vectorizer = _char_tfidf()
        x = vectorizer.fit_transform(train_x)
        # balanced: pseudo-labels lean bullish on forums; do not learn that lean twice
        model = LogisticRegression(C=2.0, max_iter=1000, class_weight="balanced")
        model.fit(x, train_y)
        return cls(base, vectorizer, model.coef_[0].astype("float64"), float(model.intercept_[0]),
                   corpus_hash(texts), blend, len(train_y), shrink)

    def p_pos(self, normalised: Sequence[str]) -> Any:
        """The model's P(pos) per normalised text (logistic of the linear score)."""
        import numpy as np

        z = self.vectorizer.transform(normalised) @ self.coef + self.intercept
        return 1.0 / (1.0 + np.exp(-np.asarray(z, dtype=np.float64)))

    def save(self, path: str) -> None:
        """Weights to ``path`` (npz) and settings to ``path.json`` (``scorers.weights``)."""
        import numpy as np

        arrays = vectorizer_arrays("tfidf_", self.vectorizer) | {
            "coef": np.asarray(self.coef), "intercept": np.array([self.intercept])}
        save_weights(path, arrays, {"base_version": self.base.version, "corpus": self.corpus,
                                    "blend": self.blend, "shrink": self.shrink,
                                    "n_train": self.n_train}, ADAPTED_FORMAT)

    @classmethod
    def load(cls, base: LexiconScorer, path: str) -> AdaptedFinanceScorer:
        """An adaptation saved by ``save``; ValidationError if it was made for another base."""
        import numpy as np

        arrays, meta = load_weights(path, ADAPTED_FORMAT)
        if meta.get("base_version") != base.version:
            raise ValidationError(f"adapted weights were made for {meta.get('base_version')!r}, "
                                  f"not {base.version!r}", file=path)
        vectorizer = vectorizer_from(arrays, "tfidf_", dtype=np.float32, **TFIDF_PARAMS)
        return cls(base, vectorizer, arrays["coef"], float(arrays["intercept"][0]), str(meta["corpus"]),
                   float(meta["blend"]), int(meta["n_train"]), float(meta["shrink"]))

    def score_many(self, texts: Sequence[str]) -> list[SentimentResult]:
        base = self.base.score_many(texts)
        todo = [i for i, r in enumerate(base) if r.scored]
        if not todo:
            return base
        p_pos = self.p_pos([normalise(texts[i][:MAX_SCORED_CHARS]) for i in todo])
        out = list(base)
        for i, p in zip(todo, p_pos):
            r = base[i]
            p = float(p)
            if r.confidence == 0.0:
                # no lexicon hit: the model decides the side, but it learned from the
                # lexicon's own labels and has less to go on here, so its distance from
                # neutral is shrunk (only strong model evidence leaves the neu band)
                score = 0.5 + self.shrink * (p - 0.5)
                conf = abs(score - 0.5) * 2
            else:
                score = self.blend * p + (1 - self.blend) * cast(float, r.score)  # scored: not None
                conf = max(r.confidence or 0.0, abs(score - 0.5) * 2)
            out[i] = SentimentResult(round(score, 4), label_for(score), round(conf, 4), None)
        return out

    def explain(self, text: str) -> list[dict[str, Any]]:
        return self.base.explain(text)


def cache_path(cache_dir: str, base_version: str, corpus: str) -> str:
    """Where ``adapt_cached`` keeps one adaptation: ``cache_dir/adapted-BASE-CORPUS.npz``."""
    return os.path.join(cache_dir, f"adapted-{base_version}-{corpus}.npz")


def adapt_cached(base: BaseT, texts: Sequence[str], cache_dir: str | None, *,
                 min_texts: int = ADAPT_MIN_TEXTS) -> AdaptedFinanceScorer | BaseT:
    """Adaptation on by default: ``base`` adapted to ``texts`` when there are at least
    ``min_texts`` of them, else ``base``. With ``cache_dir`` the weights are read from /
    written to ``cache_path`` (one file per base version and corpus hash), so the same
    corpus is fitted once; an unreadable cache file is fitted again and replaced."""
    texts = list(texts)
    if len(texts) < min_texts:
        return base
    path = cache_path(cache_dir, base.version, corpus_hash(texts)) if cache_dir else None
    if path and os.path.exists(path) and os.path.exists(path + ".json"):
        try:
            return AdaptedFinanceScorer.load(base, path)
        except (SocialFundError, OSError, ValueError, KeyError):
            pass  # a stale or damaged cache entry: fit again below
    adapted = AdaptedFinanceScorer.fit(base, texts)
    if path and isinstance(adapted, AdaptedFinanceScorer):
        os.makedirs(cache_dir or ".", exist_ok=True)
        adapted.save(path)
    return adapted
