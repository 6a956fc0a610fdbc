"""Answering: the question with each linked mention as "X" is matched against the index's
intent templates, the best allowed (entity, intent) pair is followed in the graph, and the
answer cites the triples it used, or says "I don't know" in the question's language."""
import re

from . import execute, frames
from .index import unit
from .linking import Mention, absorb, exact_mentions, mentions
from .parse import EXISTS, PATH, WH, YES_NO, parse
from .slots import find_slots, mark_pairs, this_one
from .text import CJK_RE, QAError, check_question, language, norm, stem, tokens

MAX_ANSWERS = 50
INTENT_THRESHOLD = 0.5       # cosine of the question (mention -> X) and the best template
STRONG_INTENT = 0.8          # ... above which no cue word is needed
CUE_BONUS = 0.1
DONT_KNOW = {"en": "I don't know", "zh": "不知道"}
# Empty results of these are "I don't know", not "none": a graph that records no load on a
# bus may just not record loads. A topology or a filter over every entity of a class is complete.
OPEN_WORLD = ("adjacent",)
MAX_PHRASED = 4
FACT_TRIES = 4      # relation candidates followed until one has a fact ...
FACT_MARGIN = 0.08  # ... among those within this of the best  # empty results: "I don't know", not "none"



def _is_its_own_answer(index, key, intent):
    """"How is <the handling procedure's name> handled?": the entity named is what the relation
    leads to (an edge of it ends there), so it answers itself."""
    return bool(intent.relation) and intent.direction == "out" and any(
        d.get("type") == intent.relation for _, _, d in index.g.in_edges(key, data=True))


def _follow(index, key, intent):
    """(answers, triples) for one intent from one subject."""
    g = index.g
    if not index.allows(key, intent) and _is_its_own_answer(index, key, intent):
        triples = [[src, intent.relation, key] for src, _, d in g.in_edges(key, data=True)
                   if d.get("type") == intent.relation]
        return [(key, {})], triples[:1]
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


def _entity_json(index, key, lang, relation_attributes=None):
    data = index.g.nodes[key]
    item = {"key": key, "cls": data.get("cls"), "name": data.get("name", ""), "label": execute.label(index, key, lang)}
    if relation_attributes:
        item["relation_attributes"] = relation_attributes
    steps = (data.get("attributes") or {}).get("steps")
    if isinstance(steps, list) and steps:
        item["steps"] = [s.get(lang) or s.get("en") or "" if isinstance(s, dict) else str(s) for s in steps]
    return item


def _text(index, subject, intent, items, lang):
    x = execute.label(index, subject, lang)
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
            "reason": reason, "triples": [], "entities": [], "number": None, "value": None, "boolean": None,
            "path": None, **extra}


def answer(index, question, *, lang=None, entity=None):
    """The answer to `question` over the index's graph (see the package doc, "The answer"):
    `answer` (None when it does not know, with the `reason`), `intent`, `entities`,
    `number`, `value`, `boolean`, `path`, `text` in the question's language, the `triples`
    cited and the `query` run. `entity` (a key) fixes the subject."""
    question = check_question(question)
    if lang not in (None, "en", "zh"):
        raise QAError("lang", f"lang must be en or zh, got {lang!r}")
    lang = lang or language(question)
    q = this_one(index, norm(mark_pairs(question)))
    g = index.g
    if entity is not None:
        if entity not in g:
            raise QAError("entity", f"unknown entity {entity!r}")
        spans = [m for m in exact_mentions(index, q) if m.node == entity]
        linked = spans[:1] or [Mention(entity, -1, 0, 0, "given", 1.0, 1.0)]
    else:
        linked = mentions(index, q)
    slots = find_slots(index, q, linked)
    if slots.unknown_numbers:
        said = ", ".join(u[0] for u in slots.unknown_numbers)
        return dont_know(question, lang, f"unknown entity: the graph has no {said!r}")
    if slots.missing and not PATH.search(q):  # "branches between bus 3 and bus 8" on a path is no branch
        said = ", ".join(j[0] for j in slots.missing)
        if (YES_NO.search(q) or EXISTS.search(q)) and not WH.search(q):
            text = f"{'否' if lang == 'zh' else 'No'}{'：' if lang == 'zh' else ': '}" + (
                f"没有{said}" if lang == "zh" else f"there is no {said}")
            return {**dont_know(question, lang, None), "answer": [{"value": False}], "intent": "yes_no",
                    "boolean": False, "text": text, "message": None, "query": {"intent": "yes_no", "missing": said}}
        return dont_know(question, lang, f"unknown entity: nothing in the graph is {said!r}")
    query = parse(index, q, slots, asked=question.rstrip().endswith(("?", "？")))
    refs_as_mentions = [Mention(r.node, -1, r.start, r.end, r.method, 1.0, r.score) for r in slots.refs]
    if query is not None and query.intent == "adjacent" and not query.count:
        # a relation the vertical phrases says it better ("is indicated by", strongest first)
        phrased = _by_relation(index, question, lang, q, refs_as_mentions[:MAX_PHRASED])
        if phrased["answer"] and all(index.is_a(e["cls"], query.cls) for e in phrased["entities"]):
            return phrased
    if query is not None:
        return _run(index, question, lang, query)
    linked = refs_as_mentions or linked
    if not linked:
        return _by_shape(index, question, lang, q, slots) or dont_know(
            question, lang, "unknown entity: the question names no entity of this graph")
    if YES_NO.search(q) and not WH.search(q):
        return _by_shape(index, question, lang, q, slots) or dont_know(
            question, lang, "unsupported question: this yes/no question names no two entities "
                            "or entity and kind of equipment to check")
    found = _by_relation(index, question, lang, q, linked)
    if found["answer"] is None:
        return _by_shape(index, question, lang, q, slots) or found
    return found


def _run(index, question, lang, query):
    """The answer of a structural query, or "I don't know" with the reason it could not be run."""
    try:
        out = execute.run(index, query, lang)
    except execute.Unanswerable as exc:
        return dont_know(question, lang, str(exc), intent=query.intent, query=query.describe())
    if not out["keys"] and query.intent in OPEN_WORLD and not query.count:
        # a graph that lists no such entity does not show there is none
        subject = query.refs[0] if query.refs else None
        return dont_know(question, lang, "the graph holds no such fact", intent=query.intent,
                         query=query.describe(), subject=None if subject is None else {
                             "key": subject.node, "label": execute.label(index, subject.node, lang)})
    return _structured(index, question, lang, query, out)


def _by_shape(index, question, lang, q, slots):
    """The structural query the question's shape is nearest to (frames.py), answered; or None."""
    query = frames.classify(index, q, slots, lang)
    if query is None:
        return None
    result = _run(index, question, lang, query)
    return result if result["answer"] is not None else None


def _by_relation(index, question, lang, q, linked):
    """Relation matching: the question with each mention as "X" against the intents' templates."""
    g = index.g
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
    candidates = []
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
            if not index.allows(m.node, intent) and not _is_its_own_answer(index, m.node, intent):
                continue
            cue = any(c in words or (CJK_RE.match(c) and c in outside) for c in intent.cues)
            if not cue and s < STRONG_INTENT:
                continue
            bonus = CUE_BONUS if cue else 0.0
            if s + bonus <= reject:
                continue  # the question fits a kind the graph cannot answer better than this relation
            combined = 0.3 * m.score + 0.7 * s + bonus
            candidates.append((combined, m, intent, s))
    subject_of = lambda m: {"key": m.node, "label": execute.label(index, m.node, lang), "cls": g.nodes[m.node].get("cls"),
                            "mention": question if m.method == "given" else None, "method": m.method,
                            "score": round(m.score, 3)}  # noqa: E731
    if not candidates:
        return dont_know(question, lang, "unsupported question: no relation of the linked entity fits it",
                         subject=subject_of(linked[0]))
    candidates.sort(key=lambda c: -c[0])
    # the best pair with a fact behind it, among the few that fit almost as well
    for combined, m, intent, s in candidates[:FACT_TRIES]:
        relation = {"intent": intent.id, "type": intent.relation, "direction": intent.direction,
                    "target": intent.target, "attribute": intent.attribute}
        scores = {"link": round(m.score, 3), "intent": round(s, 3), "combined": round(combined, 3)}
        if s < INTENT_THRESHOLD:
            return dont_know(question, lang, "unsupported question: it matches no relation closely enough",
                             subject=subject_of(m), relation=relation, scores=scores)
        if combined < candidates[0][0] - FACT_MARGIN:
            break
        found, triples = _follow(index, m.node, intent)
        if found:
            break
    else:
        found = []
    if not found:
        combined, m, intent, s = candidates[0]
        return dont_know(question, lang, "the graph holds no such fact", subject=subject_of(m),
                         relation={"intent": intent.id, "type": intent.relation, "direction": intent.direction,
                                   "target": intent.target, "attribute": intent.attribute},
                         scores={"link": round(m.score, 3), "intent": round(s, 3), "combined": round(combined, 3)})
    truncated = len(found) > MAX_ANSWERS
    found, triples = found[:MAX_ANSWERS], triples[:MAX_ANSWERS]
    # an entity that answers itself is said as the answer of the one it is related to
    about = triples[0][0] if not intent.attribute and found[0][0] == m.node else m.node
    if intent.attribute:
        items = found
    else:
        items = [_entity_json(index, key, lang, attrs) for key, attrs in found]
    named = [[execute.label(index, t[0], lang), t[1],
              execute.label(index, t[2], lang) if not intent.attribute else t[2]] for t in triples]
    value = items[0]["value"] if intent.attribute else None
    number = value if isinstance(value, (int, float)) and not isinstance(value, bool) else None
    entities = [] if intent.attribute else [{k: i[k] for k in ("key", "label", "cls")} for i in items]
    return {"question": question, "language": lang, "intent": "attribute" if intent.attribute else "relation",
            "answer": items, "entities": entities, "number": number, "value": value, "boolean": None, "path": None,
            "text": _text(index, about, intent, items, lang), "triples": triples, "triples_named": named,
            "subject": subject_of(m), "relation": relation, "scores": scores, "truncated": truncated,
            "query": {"intent": relation["intent"], "entities": [[m.node]]}, "reason": None}


def _structured(index, question, lang, query, out):
    """The answer dict of a structural query's result."""
    g = index.g
    keys = out["keys"]
    truncated = len(keys) > execute.MAX_ITEMS
    entities = execute._entities(index, keys[:execute.MAX_ITEMS], lang)
    number = out.get("number")
    if query.count and number is None:
        number = len(keys)
    boolean = out.get("boolean")
    colon, sep = ("：", "、") if lang == "zh" else (": ", ", ")
    none = "无" if lang == "zh" else "none"
    if query.intent == "attribute":
        text = f"{out['says']}{colon}{out['value']}"
        items = [{"value": out["value"]}]
    elif boolean is not None:
        text = f"{('是' if boolean else '否') if lang == 'zh' else ('Yes' if boolean else 'No')}{colon}{out['says']}"
        items = [{"value": boolean}]
    elif query.count:
        text = f"{out['says']}{colon}{number}"
        items = [{"value": number}]
    elif out.get("path"):
        text = f"{out['says']}{colon}{' → '.join(e['label'] for e in entities)}"
        items = entities
    else:
        text = f"{out['says']}{colon}{sep.join(e['label'] for e in entities) or none}"
        items = entities
    subject = query.refs[0] if query.refs else None
    triples = out.get("triples", [])[:MAX_ANSWERS * 4]
    named = [[execute.label(index, t[0], lang) if t[0] in g else t[0], t[1],
              execute.label(index, t[2], lang) if t[2] in g else t[2]] for t in triples if len(t) == 3]
    intent = "relation" if query.intent in ("adjacent", "entities") else query.intent
    return {"question": question, "language": lang, "intent": intent,
            "answer": items, "entities": entities, "number": number, "value": out.get("value"), "boolean": boolean,
            "path": out.get("path"), "text": text, "triples": triples, "triples_named": named,
            "subject": None if subject is None else {"key": subject.node, "label": execute.label(index, subject.node, lang),
                                                     "cls": g.nodes[subject.node].get("cls"), "method": subject.method},
            "query": query.describe(), "truncated": truncated, "reason": None}
