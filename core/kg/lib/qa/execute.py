"""Running a structural query (parse.Query) over the graph, the vertical's topology of its
numbered class, or its what-if engine; the result names its entities, the number when one
was asked, the triples or path it rests on, and says it in the question's language."""
import bisect
import re
from itertools import pairwise

import networkx as nx

from .index import number_of
from .text import display, norm

MAX_ITEMS = 200


class Unanswerable(Exception):
    """The query is understood but cannot be answered here; the message says why."""


def label(index, key, lang):
    """The entity's name; in Chinese, a numbered entity as people say it ("7号泵") and a
    joining one by its ends ("4-7管道")."""
    data = index.g.nodes[key]
    if lang == "zh":
        said = _zh_label(index, key, data)
        if said:
            return said
    return display(data, lang) or key


def _zh_label(index, key, data):
    structure, cls = index.structure, data.get("cls")
    zh = index.class_words.get(cls, ("", ()))[1]
    if not zh:
        return None
    if cls == structure.numbered:
        number = number_of(data, index.class_words)
        return f"{number}号{zh[0]}" if number is not None else None
    at = _attached_to_numbered(index, data)
    if at is not None:
        return f"{at}{zh[0]}"
    join = structure.joins.get(cls)
    if join is not None and structure.numbered:
        ends = [number_of(index.g.nodes[dst], index.class_words) for _, dst, d in index.g.out_edges(key, data=True)
                if d.get("type") == join[0] and index.g.nodes[dst].get("cls") == structure.numbered]
        if len(ends) >= 2 and None not in ends:
            return f"{'-'.join(ends)}{zh[0]}"
    return None


def _entities(index, keys, lang):
    g = index.g
    return [{"key": k, "label": label(index, k, lang), "cls": g.nodes[k].get("cls")} for k in keys]


def _attached_to_numbered(index, data):
    """"Load at Pump 9" said in Chinese as "9号泵" + the class word: its name says where it sits."""
    numbered = index.structure.numbered
    words = index.class_words.get(numbered)
    if not words or not words[1]:
        return None
    m = re.fullmatch(rf".+ at {re.escape(words[0])} ([0-9][a-z0-9]{{0,5}})", norm(data.get("name") or ""))
    return f"{m.group(1)}号{words[1][0]}" if m else None


def _class_word(index, cls, lang, plural=True):
    en, zh = index.class_words.get(cls, (cls.lower(), ()))
    if lang == "zh":
        return zh[0] if zh else cls
    if not plural:
        return en
    return en + ("es" if en.endswith(("s", "x", "ch", "sh")) else "s")


def _active(index, key):
    return index.structure.active(index.g.nodes[key])


def _of_class(index, key, cls):
    return index.is_a(index.g.nodes[key].get("cls"), cls)


def _edges_between(index, a, b):
    g = index.g
    out = [[a, d.get("type"), b] for _, dst, d in g.out_edges(a, data=True) if dst == b]
    out += [[b, d.get("type"), a] for _, dst, d in g.out_edges(b, data=True) if dst == a]
    return out


def adjacent(index, key, cls):
    """Active entities of `cls` sharing an edge with `key` (either direction), and those edges."""
    g = index.g
    found, triples = {}, []
    for _, other, d in g.out_edges(key, data=True):
        if _of_class(index, other, cls) and _active(index, other):
            found.setdefault(other, None)
            triples.append([key, d.get("type"), other])
    for other, _, d in g.in_edges(key, data=True):
        if _of_class(index, other, cls) and _active(index, other):
            found.setdefault(other, None)
            triples.append([other, d.get("type"), key])
    return sorted(found), triples


def _via_triples(index, a, b):
    """The graph's own triples behind a topology edge: each joining entity's edges to both ends."""
    out = []
    for via in index.topology.edges[a, b].get("via", []):
        out.extend(_edges_between(index, via, a) + _edges_between(index, via, b))
    return out


def neighbours(index, key):
    topo = index.topology
    if key not in topo:
        raise Unanswerable("the entity is out of operation: it has no connections now")
    keys = sorted(topo.neighbors(key))
    return keys, [t for other in keys for t in _via_triples(index, key, other)]


def _value(index, key, attribute):
    """The entity's attribute, or (for a joining class without it) the values at its ends."""
    data = index.g.nodes[key]
    value = (data.get("attributes") or {}).get(attribute)
    if value is not None:
        return [value]
    join = index.structure.joins.get(data.get("cls"))
    if join is None:
        for cls, spec in index.structure.joins.items():
            if index.is_a(data.get("cls"), cls):
                join = spec
                break
    if join is None:
        return []
    return [(index.g.nodes[dst].get("attributes") or {}).get(attribute)
            for _, dst, d in index.g.out_edges(key, data=True) if d.get("type") == join[0]]


def _compares(values, quantity):
    for v in values:
        if not isinstance(v, (int, float)) or isinstance(v, bool):
            continue
        if quantity.op == "eq" and abs(v - quantity.value) <= 1e-6 * max(1.0, abs(quantity.value)):
            return True
        if (quantity.op == "gt" and v > quantity.value) or (quantity.op == "lt" and v < quantity.value):
            return True
    return False


def _comparing(index, cls, quantity):
    """The members of `cls` a value of whose attribute compares with `quantity`, found by
    bisection in the members' sorted values (kept per class and attribute)."""
    def build():
        pairs = sorted((float(v), k) for k in index.members(cls) for v in _value(index, k, quantity.attribute)
                       if isinstance(v, (int, float)) and not isinstance(v, bool))
        return [v for v, _ in pairs], [k for _, k in pairs]

    values, keys = index.cached(("values", cls, quantity.attribute), build)
    x = quantity.value
    if quantity.op == "eq":
        tolerance = 1e-6 * max(1.0, abs(x))
        lo, hi = bisect.bisect_left(values, x - tolerance), bisect.bisect_right(values, x + tolerance)
    elif quantity.op == "gt":
        lo, hi = bisect.bisect_right(values, x), len(values)
    else:
        lo, hi = 0, bisect.bisect_left(values, x)
    return sorted(set(keys[lo:hi]))


def listing(index, cls, having=None, quantity=None):
    """Active entities of `cls`, those next to an active entity of `having` when given (found
    from the `having` side: usually the fewer), whose attribute compares with `quantity`."""
    if having is not None:
        candidates, triples = {}, []
        for key in index.members(having):
            found, cited = adjacent(index, key, cls)
            candidates.update(dict.fromkeys(found))
            triples.extend(cited)
        pool = list(candidates)
    elif quantity is not None:
        keys = _comparing(index, cls, quantity)
        return keys, []
    else:
        triples = []
        pool = index.members(cls)
    keys = [k for k in pool if quantity is None or _compares(_value(index, k, quantity.attribute), quantity)]
    chosen = set(keys)
    return sorted(keys), [t for t in triples if t[0] in chosen or t[2] in chosen]


def path(index, a, b):
    topo = index.topology
    for key in (a, b):
        if key not in topo:
            raise Unanswerable("an end of the path is out of operation")
    try:
        keys = nx.shortest_path(topo, a, b)
    except nx.NetworkXNoPath:
        raise Unanswerable("the two are not connected: no path between them") from None
    return keys, [t for x, y in pairwise(keys) for t in _via_triples(index, x, y)[:2]]


def run(index, query, lang):
    """{"intent", "keys", "number", "boolean", "path", "triples", "says"} for `query`."""
    handler = {"what_if": _what_if, "path": _path, "yes_no": _yes_no, "neighbours": _neighbours,
               "attribute": _attribute, "entities": _named,
               "adjacent": _adjacent, "list": _list}[query.intent]
    return handler(index, query, lang)


def _said(index, lang, en, zh):
    return zh if lang == "zh" else en


def _neighbours(index, query, lang):
    key = query.refs[0].node
    keys, triples = neighbours(index, key)
    x = label(index, key, lang)
    says = _said(index, lang, f"{x} is directly connected to", f"与{x}直接相连的{_class_word(index, query.cls, lang)}")
    return {"keys": keys, "triples": triples, "says": says}


def _adjacent(index, query, lang):
    keys, triples = set(), []
    for key in query.refs[0].nodes:
        found, cited = adjacent(index, key, query.cls)
        keys.update(found)
        triples.extend(cited)
    x = label(index, query.refs[0].node, lang)
    word = _class_word(index, query.cls, lang)
    return {"keys": sorted(keys), "triples": triples,
            "says": _said(index, lang, f"{word.capitalize()} linked to {x}", f"与{x}关联的{word}")}


def _list(index, query, lang):
    keys, triples = listing(index, query.cls, query.having, query.quantity)
    word = _class_word(index, query.cls, lang)
    en, zh = word.capitalize(), word
    if query.having:
        en += f" with a {_class_word(index, query.having, 'en', plural=False)}"
        zh = f"接有{_class_word(index, query.having, 'zh')}的{word}"
    if query.quantity is not None:
        q = query.quantity
        sign = {"eq": "=", "gt": ">", "lt": "<"}[q.op]
        en += f" ({q.attribute} {sign} {q.value:g})"
        zh = f"{zh}（{q.attribute} {sign} {q.value:g}）"
    return {"keys": keys, "triples": triples, "says": _said(index, lang, en, zh)}


def _path(index, query, lang):
    a, b = query.refs[0].node, query.refs[1].node
    keys, triples = path(index, a, b)
    hops = len(keys) - 1
    x, y = label(index, a, lang), label(index, b, lang)
    says = _said(index, lang, f"Shortest path from {x} to {y} ({hops} hops)", f"{x}到{y}的最短路径（{hops}跳）")
    return {"keys": keys, "triples": triples, "says": says, "path": keys, "number": hops if query.count else None}


def _named(index, query, lang):
    keys = sorted(query.refs[0].nodes)
    word = _class_word(index, index.g.nodes[keys[0]].get("cls"), lang)
    return {"keys": keys, "triples": [], "says": _said(index, lang, f"The {word} asked about", f"所问的{word}")}


def _attribute(index, query, lang):
    key = query.refs[0].node
    values = [v for v in _value(index, key, query.attribute) if v is not None]
    if not values:
        raise Unanswerable("the graph holds no such fact")
    value = values[0] if len(set(map(str, values))) == 1 else max(values)
    phrasing = next((i for i in index.intents if i.attribute == query.attribute), None)
    x = label(index, key, lang)
    if phrasing is not None:
        says = (phrasing.says_zh if lang == "zh" else phrasing.says_en).format(x=x)
    else:
        says = _said(index, lang, f"{query.attribute} of {x}", f"{x}的{query.attribute}")
    number = value if isinstance(value, (int, float)) and not isinstance(value, bool) else None
    return {"keys": [], "value": value, "number": number, "triples": [[key, query.attribute, value]], "says": says}


def _yes_no(index, query, lang):
    if query.absent:
        word = _class_word(index, query.cls, lang, plural=False)
        x = label(index, query.refs[0].node, lang) if query.refs else ""
        says = _said(index, lang, f"there is no {word} at {x}".replace(" at ", " ") if not x else
                     f"{x} has no {word}", f"{x}没有{word}")
        return {"keys": [], "boolean": False, "triples": [], "says": says}
    a = query.refs[0].node
    if len(query.refs) > 1:
        b = query.refs[1].node
        numbered = index.structure.numbered
        both = all(index.g.nodes[k].get("cls") == numbered for k in (a, b)) and index.topology is not None
        if both:
            holds = a in index.topology and b in index.topology[a]
            triples = _via_triples(index, a, b) if holds else []
        else:
            triples = _edges_between(index, a, b)
            holds = bool(triples)
        x, y = label(index, a, lang), label(index, b, lang)
        says = _said(index, lang, f"{x} and {y} are {'' if holds else 'not '}directly connected",
                     f"{x}与{y}{'直接相连' if holds else '不直接相连'}")
        return {"keys": [], "boolean": holds, "triples": triples, "says": says}
    if query.cls:
        keys, triples = adjacent(index, a, query.cls)
        x, word = label(index, a, lang), _class_word(index, query.cls, lang, plural=False)
        holds = bool(keys)
        says = _said(index, lang, f"{x} has {'a' if holds else 'no'} {word}", f"{x}{'有' if holds else '没有'}{word}")
        return {"keys": keys, "boolean": holds, "triples": triples, "says": says}
    # "is there a pump at site 3": the name of an entity that exists, and is in operation
    holds = _active(index, a)
    x = label(index, a, lang)
    says = _said(index, lang, f"{x} {'is' if holds else 'is not'} in operation", f"{x}{'在运行' if holds else '未运行'}")
    return {"keys": [a] if holds else [], "boolean": holds, "triples": [], "says": says}


def _what_if(index, query, lang):
    nodes = query.refs[0].nodes
    try:
        result = index.structure.what_if(index.g, list(nodes))
    except ValueError as exc:
        raise Unanswerable(str(exc)) from None
    outcome = query.outcome
    keys = sorted(result.get(outcome, []))
    spec = index.structure.outcomes[outcome]
    x = " + ".join(label(index, n, lang) for n in nodes)
    says = (spec.says_zh if lang == "zh" else spec.says_en).format(x=x)
    triples = [list(t) for t in result.get("cited", [])]
    return {"keys": keys, "triples": triples, "says": says, "number": len(keys) if query.count else None}
