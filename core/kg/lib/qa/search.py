"""Knowledge search: the entities a short text names, ranked. Names, aliases, codes and
keys exactly; the numbered class by number in any of the forms people use ("B5", "5号<字>");
joining entities by their two ends ("the 2-4 line"); names sharing rare grams (confirmed by
the sentence embedding); then names that merely contain the text."""
from .linking import mentions
from .slots import find_slots, mark_pairs
from .text import check_question, norm, tokens

MAX_SUBSTRING_SCAN = 50_000  # labels scanned for a substring; beyond it only the ranked mentions count


def search(index, text, *, classes=None, limit=10):
    """[{"key", "label", "score", "method", "mention"}] best first; `classes` restricts to
    those classes (and their subclasses)."""
    text = check_question(text)
    q = norm(mark_pairs(text))
    allow = None
    if classes:
        allow = lambda key: any(index.is_a(index.g.nodes[key].get("cls"), c) for c in classes)  # noqa: E731
    linked = mentions(index, q, allow)
    slots = find_slots(index, q, linked)
    out, seen = [], set()

    def add(key, label, score, method, mention):
        if key in seen or (allow is not None and not allow(key)):
            return
        seen.add(key)
        out.append({"key": key, "label": label, "score": round(score, 3), "method": method, "mention": mention})

    by_node = {m.node: m for m in linked}
    for ref in sorted(slots.refs, key=lambda r: (-round(r.score, 6), -(r.end - r.start), r.start)):
        for key in ref.nodes:
            m = by_node.get(key)
            method = {"name": m.method if m else "exact"}.get(ref.method, ref.method)
            add(key, index.labels[m.label] if m and m.label >= 0 else _name(index, key), ref.score, method,
                q[ref.start:ref.end])
    grams = {t for t, _, _ in tokens(q)}
    if grams and len(out) < limit and len(index.labels) <= MAX_SUBSTRING_SCAN:
        # every word of the text in the name, in any order ("ct开路" finds "ct二次回路开路")
        hits = sorted((len(index.label_grams[i]), index.labels[i], index.label_node[i])
                      for i in range(len(index.labels)) if grams <= index.label_grams[i])
        for size, label, key in hits[:limit]:
            add(key, label, len(grams) / size, "words", q)
    if len(q) >= 2 and len(out) < limit and len(index.labels) <= MAX_SUBSTRING_SCAN:
        hits = sorted((len(label) - len(q), label, index.label_node[i]) for i, label in enumerate(index.labels)
                      if q in label)
        for extra, label, key in hits:
            add(key, label, len(q) / (len(q) + extra), "substring", q)
            if len(out) >= limit:
                break
    return out[:limit]


def _name(index, key):
    return norm(index.g.nodes[key].get("name") or key)
