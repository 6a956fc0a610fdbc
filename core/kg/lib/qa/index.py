"""QAIndex: the names, grams, intents and template embeddings of one graph version, built
once and kept while the version lasts (core/kg/embeddings.py caches it per graph)."""
import math
import re

import numpy as np

from .intents import REJECT, derived_intents
from .structure import NONE
from .text import CJK_RE, PAREN_RE, norm, split_name, tokens

COMMON_GRAM_SHARE = 0.05     # grams in more than this share of names are not used to find candidates
MAX_CACHED_VECTORS = 20_000  # name embeddings kept per index (512 floats each: ~40 MB at most)

_FUNCTION_WORDS = frozenset(("the", "a", "an", "of", "on", "at", "in", "to", "for", "and", "or", "with", "from", "by", "is", "are"))
_template_cache = {}  # (id(embed), templates) -> (embed, matrix): shared by the indexes of every graph


def _template_matrix(embed, texts):
    key = (id(embed), texts)
    cached = _template_cache.get(key)
    if cached is None or cached[0] is not embed:
        if len(_template_cache) > 16:
            _template_cache.clear()
        cached = _template_cache[key] = (embed, unit(embed(list(texts))))
    return cached[1]


def unit(matrix):
    """Rows scaled to length 1 (a zero row stays zero), as float32."""
    matrix = np.asarray(matrix, dtype=np.float32)
    if matrix.ndim == 1:
        matrix = matrix[None, :]
    norms = np.linalg.norm(matrix, axis=1, keepdims=True)
    return matrix / np.where(norms == 0, 1, norms)


def template_text(template):
    """A phrasing as it is embedded: normalised, its "X" a word of its own."""
    return norm(template.replace("X", " X "))


def node_labels(key, data, class_words=None, abbreviations=None):
    """Every name a node answers to (raw text; normalised by the index). A named node's key
    only when it does not end in a number: "pump:1" read as "pump 1" would name another pump
    than the one called "Pump 1" (keys count from 0, people from 1)."""
    out = []
    for part in split_name(data.get("name") or ""):
        out.append(part)
        bare = PAREN_RE.sub(" ", part).strip()
        if bare and bare != part:
            out.append(bare)
    if not out or not re.search(r"[0-9]$", key):
        out.append(key)
    attrs = data.get("attributes") or {}
    for attr in ("code", "title"):
        value = attrs.get(attr)
        if isinstance(value, str) and value.strip():
            out.append(value.strip())
    aliases = attrs.get("aliases")
    if isinstance(aliases, list):
        out.extend(a for a in aliases if isinstance(a, str))
    words = (class_words or {}).get(data.get("cls"))
    if words:
        en, zh_words = words
        for label in list(out):
            m = re.fullmatch(rf"{en}\s*([a-z]?[0-9][a-z0-9]{{0,5}})", norm(label))
            if m:
                n = m.group(1)
                out.extend((f"{en} no {n}", f"{en} number {n}"))
                out.extend(f"{short}{n}" for short in (abbreviations or {}).get(data.get("cls"), ()))
                for zh in zh_words:
                    out.extend((f"{zh}{n}", f"{n}号{zh}", f"{zh}{n}号", f"{n}{zh}"))
    return out


def with_synonyms(labels, groups):
    """The labels, and each again with a word of a synonym group swapped for the others
    ("马达过热" is also "电动机过热"); one group per label, so names grow a few times at most."""
    out = list(labels)
    for label in labels:
        text = norm(label)
        for group in groups:
            word = next((w for w in group if w and w in text), None)
            if word is not None:
                out.extend(text.replace(word, other) for other in group if other != word)
                break
    return out


def number_of(data, class_words):
    """The number in a numbered entity's name ("Pump 7" -> "7"), or None."""
    words = class_words.get(data.get("cls"))
    if not words:
        return None
    for part in split_name(data.get("name") or ""):
        m = re.fullmatch(rf"{words[0]}\s*([0-9][a-z0-9]{{0,5}})", norm(part))
        if m:
            return m.group(1)
    return None


class QAIndex:
    """Names, their grams and the intents the ontology allows, for one graph version.
    Name embeddings are computed as they are first needed and kept with the index."""

    def __init__(self, g, embed, *, ontology=None, vocabulary=(), class_words=None, reject=REJECT, structure=NONE):
        self.g, self.embed, self.ontology, self.class_words = g, embed, ontology, class_words or {}
        self.structure = structure
        self.version = g.graph.get("version")
        self.labels, self.label_node = [], []
        self.exact = {}
        self.by_number = {}  # "7" -> keys of the numbered class named "<word> 7"
        self._topology = None
        self._word_pairs = None
        self._members = {}  # class -> its active entities (built on first use)
        self._patterns = {}  # name -> compiled patterns of this index's words (slots.py, built on first use)
        groups = [tuple(norm(w) for w in g) for g in structure.synonyms] + [
            tuple(zh) for _, zh in self.class_words.values() if len(zh) > 1]
        seen = set()
        for key, data in g.nodes(data=True):
            if structure.numbered and data.get("cls") == structure.numbered:
                number = number_of(data, self.class_words)
                if number is not None:
                    self.by_number.setdefault(number, []).append(key)
            for raw in with_synonyms(node_labels(key, data, self.class_words, structure.abbreviations), groups):
                text = norm(raw)
                if len(text) < 2 or (len(text) < 3 and not CJK_RE.search(text)) or (key, text) in seen:
                    continue
                seen.add((key, text))
                self.exact.setdefault(text, []).append(len(self.labels))
                self.labels.append(text)
                self.label_node.append(key)
        self.label_grams = [frozenset(t for t, _, _ in tokens(text)) for text in self.labels]
        df = {}
        for grams in self.label_grams:
            for gram in grams:
                df[gram] = df.get(gram, 0) + 1
        n = max(len(self.labels), 1)
        self.idf = {gram: math.log(1 + n / count) for gram, count in df.items()}
        common = max(50, int(COMMON_GRAM_SHARE * n))
        self.postings = {}
        for i, grams in enumerate(self.label_grams):
            for gram in grams:
                if df[gram] <= common:
                    self.postings.setdefault(gram, []).append(i)
        self.label_weight = [sum(self.idf[t] for t in grams) or 1.0 for grams in self.label_grams]
        self._label_vecs = {}
        # intents the ontology (or, without one, the graph's relation types) allows
        if ontology is not None:
            relations = set(ontology.relations)
        else:
            relations = {d.get("type") for _, _, d in g.edges(data=True)}
        known = {i.relation for i in vocabulary if i.relation}
        intents = [i for i in vocabulary if i.relation is None or i.relation in relations]
        for rel in sorted(relations - known):
            desc = ontology.relations[rel].description if ontology is not None else ""
            intents.extend(derived_intents(rel, desc))
        self.intents = intents
        texts, owner = [], []
        for n_intent, intent in enumerate(intents):
            for t in intent.en + intent.zh:
                texts.append(template_text(t))
                owner.append(n_intent)
        for t in reject:
            texts.append(template_text(t))
            owner.append(-1)
        self._template_texts = tuple(texts)
        self.template_owner = np.asarray(owner)
        self.template_vecs = _template_matrix(embed, self._template_texts)

    @property
    def word_pairs(self):
        """"short circuit": each pair of Latin words standing together in a name (built on first use);
        "the pump" in a name makes no compound of "pump"."""
        if self._word_pairs is None:
            pairs = set()
            for label in self.labels:
                words = re.findall(r"[a-z]+", label)
                pairs.update(f"{a} {b.rstrip('s')}" for a, b in zip(words, words[1:]) if a not in _FUNCTION_WORDS)
            self._word_pairs = pairs
        return self._word_pairs

    @property
    def topology(self):
        """The vertical's topology of the numbered class (built once per index), or None."""
        if self._topology is None and self.structure.topology is not None:
            self._topology = self.structure.topology(self.g)
        return self._topology

    def members(self, cls):
        """The active entities of `cls` and its subclasses, in graph order (kept per class)."""
        found = self._members.get(cls)
        if found is None:
            kinds = {}
            found = self._members[cls] = [
                k for k, d in self.g.nodes(data=True)
                if kinds.setdefault(d.get("cls"), self.is_a(d.get("cls"), cls)) and self.structure.active(d)]
        return found

    def cached(self, name, build):
        """What `build()` makes of this index's words (compiled patterns), made once per index."""
        found = self._patterns.get(name)
        if found is None:
            found = self._patterns[name] = build()
        return found

    # -- class checks -------------------------------------------------------------------------
    def is_a(self, cls, ancestor):
        if self.ontology is not None:
            return self.ontology.is_a(cls, ancestor)
        return cls == ancestor

    def allows(self, key, intent):
        """Whether the subject's class may take part in the intent's relation/attribute."""
        data = self.g.nodes[key]
        cls = data.get("cls")
        if intent.attribute:
            if self.ontology is not None and cls in self.ontology.classes:
                return intent.attribute in self.ontology.attributes_of(cls)
            return intent.attribute in (data.get("attributes") or {})
        if self.ontology is not None:
            rdef = self.ontology.relations.get(intent.relation)
            if rdef is None:
                return False
            side = rdef.domain if intent.direction == "out" else rdef.range
            if side and not any(self.is_a(cls, c) for c in side):
                return False
            other = rdef.range if intent.direction == "out" else rdef.domain
            if intent.target and other and not any(self.is_a(intent.target, c) or self.is_a(c, intent.target)
                                                   for c in other):
                return False
            return True
        edges = self.g.out_edges(key, data=True) if intent.direction == "out" else self.g.in_edges(key, data=True)
        return any(d.get("type") == intent.relation for _, _, d in edges)

    # -- embeddings -----------------------------------------------------------------------------
    def vectors(self, texts):
        """Unit vectors of texts, names cached with the index."""
        missing = [t for t in dict.fromkeys(texts) if t not in self._label_vecs]
        if missing:
            for t, v in zip(missing, unit(self.embed(missing))):
                if len(self._label_vecs) < MAX_CACHED_VECTORS:
                    self._label_vecs[t] = v
                else:
                    return unit(self.embed(list(texts)))
        return np.stack([self._label_vecs[t] for t in texts]) if texts else np.zeros((0, 1), np.float32)
