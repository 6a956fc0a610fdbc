"""Question answering over a knowledge graph, in Chinese and English. Pure: no Django.

    index = QAIndex(g, embed, ontology=onto, vocabulary=..., class_words=...)  # once per graph version
    result = answer(index, "Which sensors monitor Pump 7?")

It knows no domain: the relation phrasings (intents), the class words and the kinds of
question to refuse come from the vertical whose ontology types the graph (its qa.py,
made into QAIndex arguments by core/kg/questions.py).

1. Entity linking. The question is normalised (NFKC, lower case, punctuation dropped,
   spaces kept only between Latin words) and every name a node answers to is looked for
   in it: each part of a bilingual "English / 中文" name, the name without its
   parenthesised part, the key, a code or title attribute, and "<word>3" / "3号<word>"
   for a "<Class> 3" when the vertical gives the class Chinese words. The longest exact
   mentions win. Without one, names that share enough rare character bigrams (Chinese)
   or words (English) with the question are candidates, scored half by that overlap and
   half by the sentence-embedding similarity of the covering question span and the
   name, above LINK_THRESHOLD.
2. Relation matching. The question with the mention replaced by "X" is embedded and
   compared with bilingual templates of every relation (direction and answer class)
   or attribute the entity's class may have in the ontology (the vocabulary; a relation
   without an entry gets English templates made from its name). The best
   (entity, intent) pair by 0.3 link + 0.7 intent similarity is taken when its intent
   similarity reaches INTENT_THRESHOLD.
3. Answer. The projection is followed along the relation; the answer lists the entities
   (or the attribute value) and cites each triple used. Below a threshold, or with no
   matching fact, the answer is null with "I don't know" / "不知道".

`embed(texts: list[str])` returns an (n, d) numpy array of L2-normalised rows; it is
injected (core/kg/embeddings.py loads the sentence encoder) so this module stays pure.
Every step is bounded by the question's length (at most MAX_QUESTION_CHARS), never by
a search over the graph, so no question can hang a worker.
"""
import math
import re
import unicodedata
from dataclasses import dataclass

import numpy as np

MAX_QUESTION_CHARS = 500
MAX_ANSWERS = 50
MAX_EXACT_LABEL = 80         # longer names are matched by overlap only
MAX_CANDIDATES = 4           # entities tried against the relation templates
LINK_THRESHOLD = 0.62        # combined lexical + embedding score of a fuzzy mention
FUZZY_MIN = 0.5              # share (by idf) of a name's bigrams/words the question must hold
INTENT_THRESHOLD = 0.5       # cosine of the question (mention -> X) and the best template
STRONG_INTENT = 0.8          # ... above which no cue word is needed
CUE_BONUS = 0.1
COMMON_GRAM_SHARE = 0.05     # grams in more than this share of names are not used to find candidates
MAX_CACHED_VECTORS = 20_000  # name embeddings kept per index (512 floats each: ~40 MB at most)
DONT_KNOW = {"en": "I don't know", "zh": "不知道"}

CJK = r"\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_CJK_RE = re.compile(f"[{CJK}]")
_TOKEN_RE = re.compile(f"[{CJK}]+|[a-z0-9]+(?:\\.[0-9]+)?")
_PAREN_RE = re.compile(r"\s*[\(（][^\)）]*[\)）]\s*")
_SPLIT_RE = re.compile(r"\s+/\s+|\s*／\s*")
STOP_WORDS = frozenset("a an the of is are was were be to in on at by for with and or what which who whom how "
                       "does do did can could should would will i we you it its this that these those there when "
                       "where why after before from into than then so as no not".split())


_YES_NO = re.compile(r"^(?:is|are|was|were|does|do|did|can|could|has|have|will|should) |吗$|是否|是不是|有没有")


class QAError(ValueError):
    """Bad input (an empty or over-long question, an unknown entity key): answered 400."""

    def __init__(self, field, message):
        self.field = field
        super().__init__(message)


# -- text -------------------------------------------------------------------------------------

def language(text):
    return "zh" if _CJK_RE.search(text or "") else "en"


def norm(text):
    """Lower case, NFKC (full-width -> ASCII), punctuation -> space, and spaces kept only
    between two Latin letters or digits ("泵 3" -> "泵3", "Pump  3" -> "pump 3")."""
    text = unicodedata.normalize("NFKC", str(text)).lower()
    text = re.sub(r"(?<=\d)\.(?=\d)", "\0", text)  # keep decimal points
    text = re.sub(r"\s*[,;!?、。]+\s*", " | ", text)  # clause ends (NFKC made "，" ","): no name spans them
    text = re.sub(f"[^a-z0-9{CJK}\0|]+", " ", text).replace("\0", ".")
    text = re.sub(r"\s+", " ", text).strip(" |")
    text = re.sub(r"(?:\s*\|\s*)+", "|", text)
    return re.sub(r"(?<![a-z0-9.]) | (?![a-z0-9])", "", text)


def _stem(word):
    if len(word) > 5 and word.endswith("ing"):
        return word[:-3]
    if len(word) > 4 and word.endswith("ed"):
        return word[:-2]
    if len(word) > 4 and word.endswith(("ches", "shes", "xes", "sses", "zes")):
        return word[:-2]
    if len(word) > 3 and word.endswith("s") and not word.endswith("ss"):
        return word[:-1]
    return word


def tokens(text):
    """(gram, start, end) over normalised text: character bigrams of Chinese runs (the
    character itself for a run of one), stemmed Latin words without stop words."""
    out = []
    for m in _TOKEN_RE.finditer(text):
        run, start = m.group(), m.start()
        if _CJK_RE.match(run):
            if len(run) == 1:
                out.append((run, start, start + 1))
            out.extend((run[i:i + 2], start + i, start + i + 2) for i in range(len(run) - 1))
        elif run not in STOP_WORDS:
            out.append((_stem(run), start, m.end()))
    return out


def _boundary_ok(text, start, end):
    """A mention may not cut a Latin word or a number in two ("pump 1" in "pump 12")."""
    word = re.compile(r"[a-z0-9]")
    if word.match(text[start]) and start > 0 and word.match(text[start - 1]):
        return False
    if word.match(text[end - 1]) and end < len(text) and word.match(text[end]):
        return False
    return True


def split_name(name):
    """The parts of a bilingual "English / 中文" name."""
    return [p.strip() for p in _SPLIT_RE.split(name or "") if p.strip()]


def display(data, lang):
    """A node's name in the wanted language (the other part when it has only one)."""
    parts = split_name((data or {}).get("name") or "")
    if not parts:
        return ""
    if len(parts) == 1:
        return parts[0]
    zh = [p for p in parts if _CJK_RE.search(p)]
    en = [p for p in parts if p not in zh]
    return ((zh if lang == "zh" else en) or parts)[0]


# -- vocabulary -------------------------------------------------------------------------------

@dataclass(frozen=True)
class Intent:
    """What a question asks: follow `relation` from the subject ("out": subject is the
    source, "in": the target), keeping answers of class `target`; or read `attribute`."""

    id: str
    en: tuple
    zh: tuple
    says_en: str
    says_zh: str
    relation: str | None = None
    direction: str = "out"
    target: str | None = None
    attribute: str | None = None
    cues: frozenset = frozenset()  # words (stemmed) or Chinese phrases that show this intent


def intent(*, en, zh, says_en, says_zh, relation=None, direction="out", target=None, attribute=None, cues=""):
    """An Intent from a phrasing (the fields of core.platform.verticals.QAPhrasing, which
    a vertical's qa.py declares): its id, and its cue words stemmed."""
    if attribute:
        iid, direction = f"attribute:{attribute}", "attr"
    else:
        iid = f"{relation}:{direction}" + (f":{target}" if target else "")
    return Intent(iid, tuple(en), tuple(zh), says_en, says_zh, relation=relation, direction=direction, target=target,
                  attribute=attribute, cues=frozenset(_stem(w) for w in cues.split()))


# Questions about an entity that no graph holds (price, maker, age, staff, ...): when one
# of these fits better than every relation, the answer is "I don't know" rather than the
# nearest relation's facts. A vertical's qa.py may add kinds its own graphs never hold.
REJECT = (
    "what is the price of X", "how much does X cost", "who built X", "who manufactured X", "who owns X",
    "when was X built", "when was X commissioned", "how old is X", "how many employees work at X",
    "what is the population of X", "what is the GDP of X", "what is the phone number of X", "what is the address of X",
    "tell me a joke about X", "what is the history of X", "is X good",
    "X多少钱", "X的价格是多少", "X是谁建的", "X是哪个厂家生产的", "X归谁所有", "X是哪一年建成的", "X什么时候投运的",
    "X用了多少年", "X有多少名员工", "X有多少人口", "X的GDP是多少", "X的电话是多少", "X的地址在哪里", "讲一个关于X的笑话",
    "X的历史",
)


def derived_intents(relation, description=""):
    """English templates for a relation the vocabulary does not know, from its name; the
    words of its name are its cues ("where is X located" asks located_in)."""
    words = relation.replace("_", " ")
    cues = " ".join(w for w in words.split() if w not in STOP_WORDS)
    en_out = [f"X {words} what", f"what does X {words}", f"what is X {words}"]
    en_in = [f"what {words} X", f"which things {words} X"]
    if description:
        en_out.append(f"X: {description}")
    return (intent(relation=relation, direction="out", en=en_out, zh=[f"X{words}什么"], says_en=f"{{x}} {words}",
                   says_zh=f"{{x}} {words}", cues=cues),
            intent(relation=relation, direction="in", en=en_in, zh=[f"什么{words}X"], says_en=f"{words} {{x}}",
                   says_zh=f"{words} {{x}}", cues=cues))


# -- the index over one graph version -------------------------------------------------------------

_template_cache = {}  # (id(embed), templates) -> matrix


def _template_matrix(embed, texts):
    key = (id(embed), texts)
    cached = _template_cache.get(key)
    if cached is None or cached[0] is not embed:
        if len(_template_cache) > 16:
            _template_cache.clear()
        cached = _template_cache[key] = (embed, _unit(embed(list(texts))))
    return cached[1]


def _unit(matrix):
    matrix = np.asarray(matrix, dtype=np.float32)
    if matrix.ndim == 1:
        matrix = matrix[None, :]
    norms = np.linalg.norm(matrix, axis=1, keepdims=True)
    return matrix / np.where(norms == 0, 1, norms)


def node_labels(key, data, class_words=None):
    """Every name a node answers to (raw text; normalised by the index)."""
    out = []
    for part in split_name(data.get("name") or ""):
        out.append(part)
        bare = _PAREN_RE.sub(" ", part).strip()
        if bare and bare != part:
            out.append(bare)
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
                for zh in zh_words:
                    out.extend((f"{zh}{m.group(1)}", f"{m.group(1)}号{zh}"))
    return out


class QAIndex:
    """Names, their grams and the intents the ontology allows, for one graph version.
    Name embeddings are computed as they are first needed and kept with the index."""

    def __init__(self, g, embed, *, ontology=None, vocabulary=(), class_words=None, reject=REJECT):
        self.g, self.embed, self.ontology, self.class_words = g, embed, ontology, class_words or {}
        self.version = g.graph.get("version")
        self.labels, self.label_node = [], []
        self.exact = {}
        seen = set()
        for key, data in g.nodes(data=True):
            for raw in node_labels(key, data, self.class_words):
                text = norm(raw)
                if len(text) < 2 or (len(text) < 3 and not _CJK_RE.search(text)) or (key, text) in seen:
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
                texts.append(_template_text(t))
                owner.append(n_intent)
        for t in reject:
            texts.append(_template_text(t))
            owner.append(-1)
        self._template_texts = tuple(texts)
        self.template_owner = np.asarray(owner)
        self.template_vecs = _template_matrix(embed, self._template_texts)

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
            for t, v in zip(missing, _unit(self.embed(missing))):
                if len(self._label_vecs) < MAX_CACHED_VECTORS:
                    self._label_vecs[t] = v
                else:
                    return _unit(self.embed(list(texts)))
        return np.stack([self._label_vecs[t] for t in texts]) if texts else np.zeros((0, 1), np.float32)


def _template_text(template):
    return norm(template.replace("X", " X "))


# -- answering --------------------------------------------------------------------------------------

@dataclass
class Mention:
    node: str
    label: int
    start: int
    end: int
    method: str       # "exact" | "fuzzy"
    lexical: float
    score: float = 0.0


def _exact_mentions(index, q):
    found = []
    n = len(q)
    for i in range(n):
        for j in range(min(n, i + MAX_EXACT_LABEL), i + 1, -1):
            ids = index.exact.get(q[i:j])
            if ids and _boundary_ok(q, i, j):
                found.extend(Mention(index.label_node[k], k, i, j, "exact", 1.0, 1.0) for k in ids)
    # the longest mentions win: drop those inside a longer one
    found.sort(key=lambda m: -(m.end - m.start))
    kept = []
    for m in found:
        if not any(k.start <= m.start and m.end <= k.end and (k.end - k.start) > (m.end - m.start) for k in kept):
            kept.append(m)
    best = {}
    for m in kept:
        if m.node not in best or (m.end - m.start) > (best[m.node].end - best[m.node].start):
            best[m.node] = m
    return list(best.values())


def _window(spots):
    """The shortest span of the question holding one occurrence of each gram
    (spots: gram -> [(start, end)])."""
    events = sorted((start, end, gram) for gram, places in spots.items() for start, end in places)
    need, have, best, left = len(spots), {}, None, 0
    for right, (_, end, gram) in enumerate(events):
        have[gram] = have.get(gram, 0) + 1
        while len(have) == need:
            start, _, lgram = events[left]
            span_end = max(e for _, e, _ in events[left:right + 1])
            if best is None or span_end - start < best[1] - best[0]:
                best = (start, span_end)
            have[lgram] -= 1
            if not have[lgram]:
                del have[lgram]
            left += 1
    return best


def _fuzzy_mentions(index, q, exact):
    skip = {m.node for m in exact}
    q_tokens = tokens(q)
    where = {}
    for gram, start, end in q_tokens:
        where.setdefault(gram, []).append((start, end))
    scores = {}
    for gram in where:
        for i in index.postings.get(gram, ()):
            scores[i] = scores.get(i, 0.0) + index.idf[gram]
    found = {}
    for i, s in scores.items():
        lexical = s / index.label_weight[i]
        node = index.label_node[i]
        if lexical < FUZZY_MIN or node in skip:
            continue
        grams = index.label_grams[i]
        if any(gram.isdigit() and gram not in where for gram in grams):
            continue  # numbers name things: "pump 1" is not "pump 99"
        start, end = _window({gram: where[gram] for gram in grams if gram in where})
        if any(e.start <= start and end <= e.end for e in exact):
            continue  # that part of the question already names an entity exactly
        if node not in found or lexical > found[node].lexical:
            found[node] = Mention(node, i, start, end, "fuzzy", lexical)
    return sorted(found.values(), key=lambda m: -m.lexical)[:12]


def _link(index, q, allow=None):
    exact = _exact_mentions(index, q)
    fuzzy = _fuzzy_mentions(index, q, exact)
    if allow is not None:
        exact, fuzzy = [m for m in exact if allow(m.node)], [m for m in fuzzy if allow(m.node)]
    if fuzzy:
        spans = [q[m.start:m.end] for m in fuzzy]
        names = [index.labels[m.label] for m in fuzzy]
        vs, vn = index.vectors(spans), index.vectors(names)
        for m, a, b in zip(fuzzy, vs, vn):
            m.score = 0.5 * m.lexical + 0.5 * max(0.0, float(a @ b))
        fuzzy = [m for m in fuzzy if m.score >= LINK_THRESHOLD]
    mentions = sorted(exact + fuzzy, key=lambda m: (-m.score, -(m.end - m.start), m.node))
    return mentions[:MAX_CANDIDATES]


def _absorb(index, q, m):
    """The mention's span widened over class words of its entity right next to it."""
    cls = index.g.nodes[m.node].get("cls")
    words = []
    for c, (en, zh) in index.class_words.items():
        if cls and index.is_a(cls, c):
            words.extend((en + "s", en, *zh))
    start, end = m.start, m.end
    for w in words:
        before = q[:start].rstrip()
        if before.endswith(w) and _boundary_ok(before, len(before) - len(w), len(before)):
            start = len(before) - len(w)
        after = q[end:]
        lead = len(after) - len(after.lstrip())
        if after.lstrip().startswith(w) and _boundary_ok(q, end + lead, end + lead + len(w)):
            end = end + lead + len(w)
    return start, end


def link(index, text, *, classes=None, limit=3):
    """The entities `text` names, best first: [{"key", "label", "score", "method", "mention"}],
    only of `classes` (and their subclasses) when given. Empty when nothing is close enough."""
    text = check_question(text)
    q = norm(text)
    allow = None
    if classes:
        allow = lambda key: any(index.is_a(index.g.nodes[key].get("cls"), c) for c in classes)  # noqa: E731
    return [{"key": m.node, "label": index.labels[m.label], "score": round(m.score, 3), "method": m.method,
             "mention": q[m.start:m.end]} for m in _link(index, q, allow)[:limit]]


def _follow(index, key, intent):
    """(answers, triples) for one intent from one subject."""
    g = index.g
    if intent.attribute:
        value = (g.nodes[key].get("attributes") or {}).get(intent.attribute)
        if value is None or value == "":
            return [], []
        return [{"value": value}], [[key, intent.attribute, value]]
    if intent.direction == "out":
        edges = [(d, dst, [key, d.get("type"), dst]) for _, dst, d in g.out_edges(key, data=True)]
    else:
        edges = [(d, src, [src, d.get("type"), key]) for src, _, d in g.in_edges(key, data=True)]
    answers, triples, seen = [], [], set()
    for d, other, triple in edges:
        if d.get("type") != intent.relation or other in seen:
            continue
        ocls = g.nodes[other].get("cls")
        if intent.target and not index.is_a(ocls, intent.target):
            continue
        seen.add(other)
        attrs = d.get("attributes") or {}
        answers.append((other, attrs))
        triples.append(triple)
    order = sorted(range(len(answers)), key=lambda i: (-float(answers[i][1].get("confidence", 0) or 0),
                                                       answers[i][0]))
    return [answers[i] for i in order], [triples[i] for i in order]


def _entity_json(g, key, lang, relation_attributes=None):
    data = g.nodes[key]
    item = {"key": key, "cls": data.get("cls"), "name": data.get("name", ""), "label": display(data, lang)}
    if relation_attributes:
        item["relation_attributes"] = relation_attributes
    steps = (data.get("attributes") or {}).get("steps")
    if isinstance(steps, list) and steps:
        item["steps"] = [s.get(lang) or s.get("en") or "" if isinstance(s, dict) else str(s) for s in steps]
    return item


def _text(g, subject, intent, items, lang):
    x = display(g.nodes[subject], lang)
    head = (intent.says_zh if lang == "zh" else intent.says_en).format(x=x)
    if intent.attribute:
        return f"{head}{'：' if lang == 'zh' else ': '}{items[0]['value']}"
    sep = "、" if lang == "zh" else ", "
    lines = [f"{head}{'：' if lang == 'zh' else ': '}{sep.join(i['label'] for i in items)}"]
    for item in items:
        if item.get("steps"):
            lines.append(f"{item['label']}:" if lang == "en" else f"{item['label']}：")
            lines.extend(f"  {n}. {s}" for n, s in enumerate(item["steps"], 1))
    return "\n".join(lines)


def dont_know(question, lang, reason, **extra):
    return {"question": question, "language": lang, "answer": None, "message": DONT_KNOW[lang], "text": DONT_KNOW[lang],
            "reason": reason, "triples": [], **extra}


def check_question(question):
    if not isinstance(question, str) or not question.strip():
        raise QAError("question", "question is required (text in Chinese or English)")
    if len(question) > MAX_QUESTION_CHARS:
        raise QAError("question", f"question is {len(question)} characters; at most {MAX_QUESTION_CHARS}")
    return question.strip()


def answer(index, question, *, lang=None, entity=None):
    """The answer to `question` over the index's graph: a dict with `answer` (a list of
    entities, or [{"value"}] for an attribute; None when it does not know), `text`,
    `triples` cited ([subject key, relation, object key]), the linked `subject`, the
    `relation` matched and the `scores`. `entity` (a key) fixes the subject."""
    question = check_question(question)
    if lang not in (None, "en", "zh"):
        raise QAError("lang", f"lang must be en or zh, got {lang!r}")
    lang = lang or language(question)
    q = norm(question)
    g = index.g
    if entity is not None:
        if entity not in g:
            raise QAError("entity", f"unknown entity {entity!r}")
        spans = [m for m in _exact_mentions(index, q) if m.node == entity]
        mentions = spans[:1] or [Mention(entity, -1, 0, 0, "given", 1.0, 1.0)]
    else:
        mentions = _link(index, q)
    if not mentions:
        return dont_know(question, lang, "no entity of the graph is mentioned")
    if _YES_NO.search(q):
        return dont_know(question, lang, "yes/no questions are not answered (ask which, what or how)")
    # each mention as "X", with and without the class words next to it ("the pump X")
    variants, owner_of = [], []
    for n, m in enumerate(mentions):
        if m.end <= m.start:
            variants.append(q)
            owner_of.append(n)
            continue
        for start, end in dict.fromkeys([(m.start, m.end), _absorb(index, q, m)]):
            variants.append(norm(q[:start] + " X " + q[end:]))
            owner_of.append(n)
    sims = _unit(index.embed(variants)) @ index.template_vecs.T  # (variants, templates)
    best = None
    for n, m in enumerate(mentions):
        outside = q[:m.start] + "|" + q[m.end:] if m.end > m.start else q
        words = {t for t, _, _ in tokens(outside)} | set(re.findall(r"[a-z0-9]+", outside))
        words |= {_stem(w) for w in words}
        rows = sims[[i for i, o in enumerate(owner_of) if o == n]].max(axis=0)
        per_intent = {}
        for t, owner in enumerate(index.template_owner):
            s = float(rows[t])
            if s > per_intent.get(owner, -1.0):
                per_intent[owner] = s
        reject = per_intent.pop(-1, -1.0)
        for owner, s in per_intent.items():
            intent = index.intents[owner]
            if not index.allows(m.node, intent):
                continue
            cue = any(c in words or (_CJK_RE.match(c) and c in outside) for c in intent.cues)
            if not cue and s < STRONG_INTENT:
                continue
            bonus = CUE_BONUS if cue else 0.0
            if s + bonus <= reject:
                continue  # the question fits a kind the graph cannot answer better than this relation
            combined = 0.3 * m.score + 0.7 * s + bonus
            if best is None or combined > best[0]:
                best = (combined, m, intent, s)
    subject_of = lambda m: {"key": m.node, "label": display(g.nodes[m.node], lang), "cls": g.nodes[m.node].get("cls"),
                            "mention": question if m.method == "given" else None, "method": m.method,
                            "score": round(m.score, 3)}  # noqa: E731
    if best is None:
        return dont_know(question, lang, "no relation of the linked entity fits the question",
                         subject=subject_of(mentions[0]))
    combined, m, intent, s = best
    relation = {"intent": intent.id, "type": intent.relation, "direction": intent.direction, "target": intent.target,
                "attribute": intent.attribute}
    scores = {"link": round(m.score, 3), "intent": round(s, 3), "combined": round(combined, 3)}
    if s < INTENT_THRESHOLD:
        return dont_know(question, lang, "the question matches no relation closely enough",
                         subject=subject_of(m), relation=relation, scores=scores)
    found, triples = _follow(index, m.node, intent)
    if not found:
        return dont_know(question, lang, "the graph holds no such fact", subject=subject_of(m), relation=relation,
                         scores=scores)
    truncated = len(found) > MAX_ANSWERS
    found, triples = found[:MAX_ANSWERS], triples[:MAX_ANSWERS]
    if intent.attribute:
        items = found
    else:
        items = [_entity_json(g, key, lang, attrs) for key, attrs in found]
    named = [[display(g.nodes[t[0]], lang), t[1],
              display(g.nodes[t[2]], lang) if not intent.attribute else t[2]] for t in triples]
    return {"question": question, "language": lang, "answer": items, "text": _text(g, m.node, intent, items, lang),
            "triples": triples, "triples_named": named, "subject": subject_of(m), "relation": relation,
            "scores": scores, "truncated": truncated}
