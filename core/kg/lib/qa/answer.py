"""Answering: the question with each linked mention as "X" is matched against the index's
intent templates, the best allowed (entity, intent) pair is followed in the graph, and the
answer cites the triples it used, or says "I don't know" in the question's language."""
import re

from .index import unit
from .linking import Mention, absorb, exact_mentions, mentions
from .text import CJK_RE, QAError, check_question, display, language, norm, stem, tokens

MAX_ANSWERS = 50
INTENT_THRESHOLD = 0.5       # cosine of the question (mention -> X) and the best template
STRONG_INTENT = 0.8          # ... above which no cue word is needed
CUE_BONUS = 0.1
DONT_KNOW = {"en": "I don't know", "zh": "不知道"}

_YES_NO = re.compile(r"^(?:is|are|was|were|does|do|did|can|could|has|have|will|should) |吗$|是否|是不是|有没有")


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
        spans = [m for m in exact_mentions(index, q) if m.node == entity]
        linked = spans[:1] or [Mention(entity, -1, 0, 0, "given", 1.0, 1.0)]
    else:
        linked = mentions(index, q)
    if not linked:
        return dont_know(question, lang, "no entity of the graph is mentioned")
    if _YES_NO.search(q):
        return dont_know(question, lang, "yes/no questions are not answered (ask which, what or how)")
    # each mention as "X", with and without the class words next to it ("the pump X")
    variants, owner_of = [], []
    for n, m in enumerate(linked):
        if m.end <= m.start:
            variants.append(q)
            owner_of.append(n)
            continue
        for start, end in dict.fromkeys([(m.start, m.end), absorb(index, q, m)]):
            variants.append(norm(q[:start] + " X " + q[end:]))
            owner_of.append(n)
    sims = unit(index.embed(variants)) @ index.template_vecs.T  # (variants, templates)
    best = None
    for n, m in enumerate(linked):
        outside = q[:m.start] + "|" + q[m.end:] if m.end > m.start else q
        words = {t for t, _, _ in tokens(outside)} | set(re.findall(r"[a-z0-9]+", outside))
        words |= {stem(w) for w in words}
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
            cue = any(c in words or (CJK_RE.match(c) and c in outside) for c in intent.cues)
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
                         subject=subject_of(linked[0]))
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
