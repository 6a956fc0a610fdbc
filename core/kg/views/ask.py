"""Example questions for the ask box (kg/partials/ask_box.html): the vertical's own
question templates (its qa.py phrasings) filled in with entities of this graph that hold
the relation or attribute, so each hint is one the graph has a fact for, in the page's
language. The centre entity's questions come first."""
from itertools import islice

from django.utils.translation import get_language

from core.platform.verticals import registry

from ..lib.qa.text import display

SCAN = 5000  # edges and nodes looked at for a subject: bounded on a graph of millions


def page_language():
    return "zh" if (get_language() or "").lower().startswith("zh") else "en"


def examples(g, vertical, centre=None, limit=3):
    """Up to `limit` questions (strings), one per relation or attribute."""
    words = registry["qa"].get(vertical)
    if words is None or g.number_of_nodes() == 0:
        return []
    lang = page_language()
    found = []
    seen = set()
    for p in words.phrasings:
        what = (p.relation, p.direction, p.target, p.attribute)
        if what in seen:
            continue
        subject = _subject(g, p, centre)
        if subject is None:
            continue
        seen.add(what)
        name = display(g.nodes[subject], lang) or subject
        template = (p.zh if lang == "zh" else p.en)[0]
        found.append((subject != centre, _sentence(template.replace("X", name), lang)))
    found.sort(key=lambda f: f[0])  # stable: the vertical's order within each group
    return [text for _, text in found[:limit]]


def _sentence(text, lang):
    if lang == "zh":
        return text + "？"
    return text[:1].upper() + text[1:] + "?"


def _subject(g, p, centre):
    """An entity the phrasing asks about: the centre when it fits, else the first found."""
    if p.attribute:
        def fits(key):
            return p.attribute in (g.nodes[key].get("attributes") or {})
        candidates = islice(g.nodes, SCAN)
    else:
        def fits(key):
            edges = g.out_edges(key, data=True) if p.direction == "out" else g.in_edges(key, data=True)
            for u, v, d in edges:
                other = v if p.direction == "out" else u
                if d.get("type") == p.relation and (p.target is None or g.nodes[other].get("cls") == p.target):
                    return True
            return False
        candidates = (v if p.direction == "in" else u for u, v, d in islice(g.edges(data=True), SCAN)
                      if d.get("type") == p.relation)
    if centre in g and fits(centre):
        return centre
    return next((key for key in candidates if fits(key)), None)
