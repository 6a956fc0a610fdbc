"""When no frame word decides (parse.py) and no relation fits (answer.py), the question's
shape still can: with its entities written X and Y, its class words "items" / "设备" and its
quantities N, it is embedded and compared with domain-free prototypes of each structural
intent, and the nearest one the question's slots allow is taken above FRAME_THRESHOLD.
Wordings nobody listed as frame words are caught by meaning, not by spelling."""
from .index import unit
from .parse import (
    SURE,
    Query,
    _head_and_filter,
    _one,
    _same_numbered,
    _what_if_outcome,
    takeable_refs,
)
from .text import norm

FRAME_THRESHOLD = 0.75  # below it, refusals ("what is the price of X": 0.66) came too near
ITEMS = {"en": "items", "zh": "设备"}

PROTOTYPES = {
    "neighbours": (
        "which items are directly connected to X", "what are the neighbours of X", "neighbouring items of X",
        "list the items adjacent to X", "what is X next to", "which items does X touch directly",
        "与X直接相连的设备有哪些", "X的相邻设备", "X的邻居是哪些", "X旁边连着哪些设备", "X和哪些设备直接相连",
        "哪些设备与X相邻"),
    "path": (
        "what is the shortest path from X to Y", "how do I get from X to Y", "route from X to Y",
        "which items lie on the way from X to Y", "trace the connection from X to Y",
        "X到Y的最短路径", "从X到Y要经过哪些设备", "X到Y怎么走", "X与Y之间的连接路线", "从X走到Y经过哪里"),
    "path_count": (
        "how many steps from X to Y", "how far is X from Y", "how many items are crossed between X and Y",
        "distance between X and Y in hops", "how many links separate X and Y",
        "X到Y有几跳", "X到Y之间隔了几个设备", "X距离Y多远", "从X到Y最少经过几段", "X和Y相隔几级"),
    "yes_no_pair": (
        "is X connected to Y", "are X and Y linked", "does X touch Y directly", "X and Y connected?",
        "is there a direct link between X and Y",
        "X和Y相连吗", "X与Y之间有直接连接吗", "X是否连着Y", "X跟Y直接连着吗", "X和Y是不是直连"),
    "yes_no_has": (
        "does X have items", "is there any item at X", "are there items on X", "X has items?",
        "X有设备吗", "X上是否接有设备", "X上有没有设备", "X带设备吗"),
    "count_all": (
        "how many items are there", "how many items does the network have", "number of items", "total items",
        "count the items", "一共有多少设备", "设备总数是多少", "有几个设备", "设备数量", "统计设备个数"),
    "count_of": (
        "how many items does X have", "how many items are connected to X", "number of items at X",
        "count the items of X", "X有几个设备", "X上接了多少设备", "X连接的设备数量", "X的设备有几个"),
    "list_having": (
        "which items have items", "list items with items", "items that carry items", "show items hosting items",
        "哪些设备带有设备", "有设备的设备有哪些", "接有设备的设备", "带设备的设备都列出来"),
    "list_quantity": (
        "which items are above N", "list items over N", "items rated N", "show items at N",
        "哪些设备超过N", "N以上的设备有哪些", "N的设备有哪些", "列出N的设备"),
    "what_if": (
        "what happens if X fails", "if X is lost what is affected", "suppose X goes out of service",
        "what is the impact of losing X", "after X drops out which items are affected",
        "如果X故障会怎样", "X停运后有什么影响", "X断开的后果", "X退出后哪些设备受影响", "假如X没了会影响哪些设备"),
    "adjacent": (
        "which items are attached to X", "what items does X have", "list the items on X", "items at X",
        "X的设备有哪些", "X上接了哪些设备", "X连着什么设备", "X下面挂着哪些设备"),
}

_cache = {}


def _matrix(embed):
    texts, owners = [], []
    for intent, prototypes in PROTOTYPES.items():
        for p in prototypes:
            texts.append(norm(p.replace("X", " X ").replace("Y", " Y ")))
            owners.append(intent)
    key = id(embed)
    if key not in _cache or _cache[key][0] is not embed:
        _cache[key] = (embed, unit(embed(texts)), owners)
    return _cache[key][1], _cache[key][2]


def shape(q, slots, lang):
    """The question written with X, Y, items and N in place of what it names."""
    marks = sorted([(r.start, r.end, None) for r in slots.refs if r.score >= SURE and r.end > r.start]
                   + [(c.start, c.end, ITEMS[lang]) for c in slots.classes]
                   + [(x.start, x.end, "N") for x in slots.quantities])
    out, pos, names = [], 0, iter(("X", "Y", "Z", "W"))
    for start, end, word in marks:
        if start < pos:
            continue
        out.append(q[pos:start])
        out.append(f" {word or next(names, 'X')} ")
        pos = end
    out.append(q[pos:])
    return norm("".join(out))


def classify(index, q, slots, lang):
    """A Query from the question's shape, or None when no allowed intent is near enough."""
    refs = [r for r in slots.refs if r.score >= SURE]
    classes = slots.classes
    numbered = index.structure.numbered
    is_numbered = [index.g.nodes[r.node].get("cls") == numbered for r in refs]
    topology = index.topology is not None
    takeable = takeable_refs(index, refs)
    allowed = {
        "neighbours": topology and len(refs) == 1 and is_numbered[0]
        and all(c.cls == numbered for c in classes),
        "path": topology and len(refs) == 2 and all(is_numbered),
        "path_count": topology and len(refs) == 2 and all(is_numbered),
        "yes_no_pair": len(refs) == 2,
        "yes_no_has": len(refs) == 1 and len(classes) == 1,
        "count_all": not refs and len(classes) >= 1,
        "count_of": len(refs) == 1 and len(classes) == 1,
        "list_having": not refs and len(classes) == 2,
        "list_quantity": not refs and len(classes) == 1 and bool(slots.quantities),
        "what_if": index.structure.what_if is not None and bool(takeable),
        "adjacent": len(refs) == 1 and len(classes) == 1 and not (is_numbered[0] and classes[0].cls == numbered),
    }
    if not any(allowed.values()):
        return None
    matrix, owners = _matrix(index.embed)
    sims = (unit(index.embed([shape(q, slots, lang)])) @ matrix.T)[0]
    best = {}
    for s, owner in zip(sims, owners):
        if allowed[owner] and s > best.get(owner, -1.0):
            best[owner] = float(s)
    if not best:
        return None
    intent, s = max(best.items(), key=lambda kv: kv[1])
    if s < FRAME_THRESHOLD:
        return None
    return _query(index, intent, refs, classes, slots, q)


def _query(index, intent, refs, classes, slots, q):
    cls = classes[0].cls if classes else None
    if intent == "neighbours":
        return Query("neighbours", refs[:1], cls=index.structure.numbered)
    if intent in ("path", "path_count"):
        return Query("path", refs[:2], count=intent == "path_count")
    if intent == "yes_no_pair":
        return Query("yes_no", refs[:2])
    if intent == "yes_no_has":
        return Query("yes_no", refs[:1], cls=cls)
    if intent == "count_all":
        head, having = _head_and_filter(q, classes)
        return Query("list", [], cls=head, having=having, quantity=_one(slots.quantities), count=True)
    if intent == "count_of":
        same = _same_numbered(index, refs[0], cls)
        return Query("neighbours" if same else "adjacent", refs[:1], cls=cls, count=True)
    if intent in ("list_having", "list_quantity"):
        head, having = _head_and_filter(q, classes)
        return Query("list", [], cls=head, having=having, quantity=_one(slots.quantities))
    if intent == "what_if":
        return Query("what_if", takeable_refs(index, refs)[:1], cls=cls, outcome=_what_if_outcome(index, q))
    return Query("adjacent", refs[:1], cls=cls)

