"""Text classification for the text_classification recipe: TF-IDF on character n-grams
(Chinese has no spaces between words; char_wb n-grams cut within whitespace-separated runs,
so they serve English too), optionally beside word n-grams, and a logistic regression;
exported as JSON (core.inference.lib.textlinear) and judged through that export, so the
metrics describe what will be served. Pure: numpy and scikit-learn, no Django."""
from __future__ import annotations

import numpy as np

from core.inference.lib import textlinear

# The n-gram plans a search chooses from: "<analyzer>:<min>-<max>" parts joined by "+".
NGRAMS = ("char_wb:1-2", "char_wb:1-3", "char_wb:2-4", "char_wb:1-3+word:1-2", "char_wb:2-4+word:1-2")
CLASS_WEIGHTS = ("none", "balanced")


def parse_ngrams(plan: str) -> list[tuple[str, tuple[int, int]]]:
    """"char_wb:1-3+word:1-2" -> [("char_wb", (1, 3)), ("word", (1, 2))]; ValueError when malformed."""
    out = []
    for part in str(plan).split("+"):
        analyzer, _, span = part.partition(":")
        low, _, high = span.partition("-")
        if analyzer not in textlinear.ANALYZERS or not (low.isdigit() and high.isdigit()) \
                or not 1 <= int(low) <= int(high) <= 6:
            raise ValueError(f"n-gram plan {plan!r}: expected parts like char_wb:1-3 or word:1-2 joined by +")
        out.append((analyzer, (int(low), int(high))))
    return out


def vectorizers(params: dict) -> list:
    from sklearn.feature_extraction.text import TfidfVectorizer

    return [TfidfVectorizer(analyzer=analyzer, ngram_range=span, lowercase=True, sublinear_tf=True,
                            min_df=int(params["min_df"]), max_features=int(params["max_features"]), dtype=np.float64)
            for analyzer, span in parse_ngrams(params["ngrams"])]


def fit_linear(texts_train, y_train, *, params: dict, seed: int):
    """(fitted vectorizers, fitted LogisticRegression) on the training texts."""
    from scipy import sparse
    from sklearn.linear_model import LogisticRegression
    from threadpoolctl import threadpool_limits

    vecs = vectorizers(params)
    weight = None if params["class_weight"] == "none" else "balanced"
    clf = LogisticRegression(C=float(params["C"]), class_weight=weight, max_iter=3000, random_state=seed)
    with threadpool_limits(limits=1):  # trials run side by side as jobs instead
        X = sparse.hstack([v.fit_transform(texts_train) for v in vecs]).tocsr()
        clf.fit(X, y_train)
    return vecs, clf


def score(y_true, proba, classes) -> dict:
    """macro-F1 (the study's metric) and accuracy of class probabilities."""
    from sklearn.metrics import accuracy_score, f1_score

    predicted = np.asarray(classes)[np.asarray(proba).argmax(axis=1)]
    return {"macro_f1": float(f1_score(y_true, predicted, labels=list(classes), average="macro", zero_division=0)),
            "accuracy": float(accuracy_score(y_true, predicted))}


def fit_baseline(texts_train, y_train, texts_val, y_val) -> dict:
    """Multinomial naive Bayes on char_wb 1-3 counts (the plain text classifier), with
    the majority class beside it."""
    from collections import Counter

    from sklearn.feature_extraction.text import CountVectorizer
    from sklearn.naive_bayes import MultinomialNB
    from sklearn.pipeline import make_pipeline
    from threadpoolctl import threadpool_limits

    model = make_pipeline(CountVectorizer(analyzer="char_wb", ngram_range=(1, 3)), MultinomialNB())
    with threadpool_limits(limits=1):
        model.fit(texts_train, y_train)
        metrics = score(y_val, model.predict_proba(texts_val), model.classes_)
    majority = Counter(y_train).most_common(1)[0][0]
    classes = sorted(set(y_train))
    metrics["majority_macro_f1"] = score(y_val, np.eye(len(classes))[[classes.index(majority)] * len(y_val)],
                                         classes)["macro_f1"]
    return {"model": "naive_bayes", "metric": "macro_f1", "value": metrics["macro_f1"], "metrics": metrics}
