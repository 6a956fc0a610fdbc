"""Entity linking: which entities of the index's graph a question names, exactly (the
longest names found in it) or fuzzily (rare grams shared, confirmed by the embedding of
the question span against the name). Bounded by the question's length, not the graph's."""
from dataclasses import dataclass

from .text import boundary_ok, tokens

MAX_EXACT_LABEL = 80         # longer names are matched by overlap only
MAX_CANDIDATES = 4           # entities tried against the relation templates
LINK_THRESHOLD = 0.62        # combined lexical + embedding score of a fuzzy mention
FUZZY_MIN = 0.5              # share (by idf) of a name's bigrams/words the question must hold


@dataclass
class Mention:
    node: str
    label: int
    start: int
    end: int
    method: str       # "exact" | "fuzzy" | "given"
    lexical: float
    score: float = 0.0


def exact_mentions(index, q):
    """The entities whose names appear in the normalised question, one mention each (its
    longest), none inside a longer mention of another name."""
    found = []
    n = len(q)
    for i in range(n):
        for j in range(min(n, i + MAX_EXACT_LABEL), i + 1, -1):
            ids = index.exact.get(q[i:j])
            if ids and boundary_ok(q, i, j):
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


def mentions(index, q, allow=None):
    """The best MAX_CANDIDATES mentions of the normalised question (exact ones score 1),
    only of entities `allow(key)` accepts when given."""
    exact = exact_mentions(index, q)
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
    found = sorted(exact + fuzzy, key=lambda m: (-m.score, -(m.end - m.start), m.node))
    return found[:MAX_CANDIDATES]


def absorb(index, q, m):
    """The mention's span widened over class words of its entity right next to it."""
    cls = index.g.nodes[m.node].get("cls")
    words = []
    for c, (en, zh) in index.class_words.items():
        if cls and index.is_a(cls, c):
            words.extend((en + "s", en, *zh))
    start, end = m.start, m.end
    for w in words:
        before = q[:start].rstrip()
        if before.endswith(w) and boundary_ok(before, len(before) - len(w), len(before)):
            start = len(before) - len(w)
        after = q[end:]
        lead = len(after) - len(after.lstrip())
        if after.lstrip().startswith(w) and boundary_ok(q, end + lead, end + lead + len(w)):
            end = end + lead + len(w)
    return start, end


def link(index, text, *, classes=None, limit=3):
    """The entities `text` names, best first: [{"key", "label", "score", "method", "mention"}],
    only of `classes` (and their subclasses) when given. Empty when nothing is close enough.
    (search.search, which this is, also finds numbered and joining names and substrings.)"""
    from .search import search

    return [r for r in search(index, text, classes=classes, limit=limit) if r["method"] not in ("substring", "words")]
