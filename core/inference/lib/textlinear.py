"""A TF-IDF + linear text classifier as plain JSON, scored with numpy alone: how the
platform serves the text_classification recipe's models without pickle. Pure: numpy and
the standard library; the exporter reads a fitted scikit-learn pipeline's attributes
without importing scikit-learn.

A model is
    {"analyzers": [{"analyzer": "char_wb" | "char" | "word", "ngram_range": [min, max],
                    "lowercase": bool, "sublinear_tf": bool, "norm": "l2" | null,
                    "vocabulary": [terms, in column order], "idf": [one per term]}, ...],
     "classes": [class names, in score order],
     "coef": [[one weight per column of every analyzer, in order], one row per score],
     "intercept": [one per score],
     "link": "logistic" (two classes: one score, the second class's log-odds) | "softmax"}

Each analyzer is one TfidfVectorizer of a FeatureUnion: its terms are counted in a text
exactly as scikit-learn's analyzers cut them (the char_wb, char and word n-grams of
sklearn.feature_extraction.text, whitespace runs squeezed, lowercased when asked, the word
tokens of the default pattern \\b\\w\\w+\\b), the counts weighted by idf (1 + log when
sublinear) and the row scaled to unit length; the blocks are side by side, and the
classifier's scores go through the link. No accents are stripped and no stop words are
dropped (the exporter refuses a vectorizer that does)."""
from __future__ import annotations

import re
from collections import Counter
from collections.abc import Mapping, Sequence

import numpy as np

ANALYZERS = ("char_wb", "char", "word")
LINKS = ("logistic", "softmax")
TOKEN_PATTERN = r"(?u)\b\w\w+\b"
_WHITE_SPACES = re.compile(r"\s\s+")
_TOKENS = re.compile(TOKEN_PATTERN)


class TextModelError(ValueError):
    """A model that cannot be exported or scored as plain JSON."""


# -- the analyzers (scikit-learn's, term for term)


def char_wb_ngrams(text: str, min_n: int, max_n: int) -> list[str]:
    """Character n-grams inside word boundaries, each word padded with a space."""
    text = _WHITE_SPACES.sub(" ", text)
    out = []
    for w in text.split():
        w = " " + w + " "
        w_len = len(w)
        for n in range(min_n, max_n + 1):
            offset = 0
            out.append(w[offset:offset + n])
            while offset + n < w_len:
                offset += 1
                out.append(w[offset:offset + n])
            if offset == 0:  # a word shorter than n is counted once
                break
    return out


def char_ngrams(text: str, min_n: int, max_n: int) -> list[str]:
    text = _WHITE_SPACES.sub(" ", text)
    length = len(text)
    out = []
    for n in range(min_n, min(max_n + 1, length + 1)):
        out.extend(text[i:i + n] for i in range(length - n + 1))
    return out


def word_ngrams(text: str, min_n: int, max_n: int) -> list[str]:
    tokens = _TOKENS.findall(text)
    if max_n == 1:
        return tokens
    out = list(tokens) if min_n == 1 else []
    for n in range(max(min_n, 2), min(max_n + 1, len(tokens) + 1)):
        out.extend(" ".join(tokens[i:i + n]) for i in range(len(tokens) - n + 1))
    return out


_CUT = {"char_wb": char_wb_ngrams, "char": char_ngrams, "word": word_ngrams}


def terms(text: str, analyzer: Mapping) -> list[str]:
    """The terms `analyzer` (an entry of a model's "analyzers") cuts from one text."""
    if analyzer["lowercase"]:
        text = text.lower()
    low, high = analyzer["ngram_range"]
    return _CUT[analyzer["analyzer"]](text, int(low), int(high))


# -- scoring


class _Block:
    """One analyzer, ready to weigh texts: term -> column, idf."""

    def __init__(self, spec: Mapping, offset: int):
        if spec.get("analyzer") not in ANALYZERS:
            raise TextModelError(f"unknown analyzer {spec.get('analyzer')!r}; expected one of {', '.join(ANALYZERS)}")
        if spec.get("norm") not in ("l2", None):
            raise TextModelError(f"unsupported norm {spec.get('norm')!r}")
        self.spec = spec
        self.index = {term: j for j, term in enumerate(spec["vocabulary"])}
        self.idf = np.asarray(spec["idf"], dtype=np.float64)
        if len(self.idf) != len(self.index):
            raise TextModelError("an analyzer's idf and vocabulary differ in length")
        self.offset = offset

    def weights(self, text: str) -> tuple[np.ndarray, np.ndarray]:
        """(columns, tf-idf values) of one text's known terms, the row scaled as trained."""
        counts = Counter(j for j in map(self.index.get, terms(text, self.spec)) if j is not None)
        if not counts:
            return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float64)
        cols = np.fromiter(counts.keys(), dtype=np.int64, count=len(counts))
        tf = np.fromiter(counts.values(), dtype=np.float64, count=len(counts))
        if self.spec["sublinear_tf"]:
            tf = np.log(tf) + 1.0
        values = tf * self.idf[cols]
        if self.spec["norm"] == "l2":
            length = np.sqrt(np.dot(values, values))
            if length > 0:
                values = values / length
        return cols + self.offset, values


class TextLinear:
    """A loaded model: texts in, class probabilities out."""

    def __init__(self, model: Mapping):
        if model.get("link") not in LINKS:
            raise TextModelError(f"unknown link {model.get('link')!r}; expected one of {', '.join(LINKS)}")
        blocks, offset = [], 0
        for spec in model.get("analyzers") or []:
            blocks.append(_Block(spec, offset))
            offset += len(spec["vocabulary"])
        if not blocks:
            raise TextModelError("a text model needs one analyzer at least")
        self.blocks = blocks
        self.classes = list(model["classes"])
        self.coef = np.asarray(model["coef"], dtype=np.float64)
        self.intercept = np.asarray(model["intercept"], dtype=np.float64)
        scores = 1 if model["link"] == "logistic" else len(self.classes)
        if self.coef.shape != (scores, offset) or self.intercept.shape != (scores,) or len(self.classes) < 2:
            raise TextModelError(f"coef is {self.coef.shape} and intercept {self.intercept.shape}: expected "
                                 f"({scores}, {offset}) and ({scores},) for {len(self.classes)} classes")
        self.link = model["link"]

    def decision(self, texts: Sequence[str]) -> np.ndarray:
        """[texts, scores]: the classifier's raw scores."""
        out = np.tile(self.intercept, (len(texts), 1))
        for i, text in enumerate(texts):
            if not isinstance(text, str):
                raise TextModelError(f"texts[{i}] is {type(text).__name__}, not a text")
            for block in self.blocks:
                cols, values = block.weights(text)
                if len(cols):
                    out[i] += self.coef[:, cols] @ values
        return out

    def predict_proba(self, texts: Sequence[str]) -> np.ndarray:
        """[texts, classes] probabilities, as scikit-learn's predict_proba gives them."""
        raw = self.decision(texts)
        if self.link == "logistic":
            p = 1.0 / (1.0 + np.exp(-raw[:, 0]))
            return np.column_stack([1.0 - p, p])
        shifted = np.exp(raw - raw.max(axis=1, keepdims=True))
        return shifted / shifted.sum(axis=1, keepdims=True)


def predict_proba(model: Mapping, texts: Sequence[str]) -> np.ndarray:
    return TextLinear(model).predict_proba(texts)


# -- export


def export_vectorizer(vec) -> dict:
    """One fitted TfidfVectorizer (the analyzers and options above, nothing else)."""
    if vec.analyzer not in ANALYZERS or vec.tokenizer is not None or vec.preprocessor is not None:
        raise TextModelError("only the built-in char_wb, char and word analyzers export")
    if vec.stop_words is not None or vec.strip_accents or (vec.analyzer == "word" and vec.token_pattern != TOKEN_PATTERN):
        raise TextModelError("stop words, accent stripping and other token patterns do not export")
    if not vec.use_idf or vec.norm not in ("l2", None) or getattr(vec, "binary", False):
        raise TextModelError("only idf-weighted counts with l2 or no norm export")
    vocabulary = [None] * len(vec.vocabulary_)
    for term, j in vec.vocabulary_.items():
        vocabulary[j] = term
    return {"analyzer": vec.analyzer, "ngram_range": [int(v) for v in vec.ngram_range],
            "lowercase": bool(vec.lowercase), "sublinear_tf": bool(vec.sublinear_tf), "norm": vec.norm,
            "vocabulary": vocabulary, "idf": [float(v) for v in vec.idf_]}


def export_linear(vectorizers: Sequence, classifier) -> dict:
    """Fitted TfidfVectorizers (a FeatureUnion's, in order) and a fitted linear classifier
    with coef_, intercept_ and classes_ (LogisticRegression) as a model."""
    classes = [str(c) for c in classifier.classes_]
    coef = np.asarray(classifier.coef_, dtype=np.float64)
    link = "logistic" if len(classes) == 2 else "softmax"
    analyzers = [export_vectorizer(v) for v in vectorizers]
    width = sum(len(a["vocabulary"]) for a in analyzers)
    if coef.shape[1] != width:
        raise TextModelError(f"the classifier has {coef.shape[1]} weights per score for {width} columns")
    return {"analyzers": analyzers, "classes": classes, "coef": coef.tolist(),
            "intercept": [float(v) for v in np.asarray(classifier.intercept_).ravel()], "link": link}
