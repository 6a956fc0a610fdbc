"""Questions: for each grid, family and language, subjects sampled with a fixed seed per
(seed, family, grid, language, kind) (so each family asks about other subjects), worded
with the family's templates and mention styles, with the expected answer from truth.py.

A question is a dict: id, family, grid, lang, intent, kind, question, expect, where expect
is one of
    {"type": "number", "value": x}           the answer's `number` (relative tolerance 1e-6)
    {"type": "entities", "keys": [...]}      the answer's `entities` key set ([] = a stated "none")
    {"type": "boolean", "value": b}          the answer's `boolean`
    {"type": "path", "from": i, "to": j, "hops": h}   `path`: a shortest path of bus keys
    {"type": "refuse"}                       unanswerable: `answer` is None
"""
import random

from . import families
from .grids import KB_GRID

# (intent, kind, questions per language); a kind a grid cannot ask (no transformers, no
# generators, equal line lengths) gives its share to the intent's other kinds.
PLAN = (
    ("attribute", "bus_kv", 2), ("attribute", "line_length", 2), ("attribute", "trafo_sn", 2),
    ("relation", "bus_lines", 2), ("relation", "line_buses", 1), ("relation", "bus_loads", 2),
    ("relation", "gen_bus", 1),
    ("neighbours", "bus_neighbours", 6),
    ("list", "gen_buses", 2), ("list", "buses_at_kv", 2), ("list", "lines_longer", 2),
    ("count", "count_buses", 1), ("count", "count_lines", 1), ("count", "count_gens", 1),
    ("count", "count_trafos", 1), ("count", "bus_line_count", 2),
    ("path", "path_hops", 3), ("path", "path_buses", 3),
    ("what_if", "trip_lose_supply", 3), ("what_if", "trip_cut_slack", 3),
    ("yes_no", "adjacent", 3), ("yes_no", "has_gen", 3),
)
# On the grid holding the fault knowledge base, in addition (scored as "relation").
KB_PLAN = (("relation", "fault_alarms", 2), ("relation", "fault_procedure", 2), ("relation", "alarm_faults", 2))
# Unanswerable questions, reported apart (not in the accuracy denominator).
REFUSE_PLAN = (("unanswerable", "unknown_bus", 2), ("unanswerable", "unknown_line", 1),
               ("unanswerable", "unsupported", 2))
# Templates of answerable kinds reused for questions about entities the grid lacks.
UNKNOWN_BUS_KINDS = ("bus_kv", "bus_neighbours", "has_gen", "bus_lines")
UNKNOWN_LINE_KINDS = ("line_length", "line_buses")

LENGTH_THRESHOLDS_KM = (0.5, 0.8, 1.0, 1.2, 1.5, 2.0, 2.5, 3.0)
MAX_LISTED = 60          # list questions whose answer is longer are not asked (nobody reads out 177 buses)
PATH_HOPS = (2, 6)       # path questions between buses this many branches apart


def _keys(prefix, ids):
    return {"type": "entities", "keys": sorted(f"{prefix}:{i}" for i in ids)}


def _number(x):
    return {"type": "number", "value": float(x)}


def _lower(name):
    """An English name as used mid-sentence: "Line overload" -> "line overload", "CT ..." kept."""
    if len(name) > 1 and name[0].isupper() and not name[1].isupper():
        return name[0].lower() + name[1:]
    return name


class Candidates:
    """Per kind, the subjects a question can be asked about: a list of pools (a kind with
    two sides, e.g. yes and no, draws from its pools in turn), each a list of
    (subject, expect); subject: what the mention is rendered from."""

    def __init__(self, truth, kb=None):
        self.t, self.kb = truth, kb
        t = truth
        self.unique = {}   # ("line"|"trafo", i) -> (a, b): branches named unambiguously by their end buses
        for pair, found in sorted(t.pair_branches.items(), key=lambda kv: sorted(kv[0])):
            if len(found) == 1 and len(pair) == 2:
                table, i = found[0]
                ends = t.line_ends[i] if table == "line" else t.trafo_ends[i]
                self.unique[(table, i)] = ends
        self._pairs = None
        self._cache = {}

    def pairs(self):
        """(a, b, hops) of bus pairs a < b in one component, computed once."""
        if self._pairs is None:
            import networkx as nx

            self._pairs = []
            for a, dist in sorted(nx.all_pairs_shortest_path_length(self.t.simple)):
                self._pairs.extend((a, b, h) for b, h in sorted(dist.items()) if a < b)
        return self._pairs

    def get(self, kind):
        if kind not in self._cache:
            self._cache[kind] = self._get(kind)
        return self._cache[kind]

    def _get(self, kind):
        t = self.t
        buses = t.buses()
        lines = [(k, ab) for k, ab in self.unique.items() if k[0] == "line"]
        trafos = [(k, ab) for k, ab in self.unique.items() if k[0] == "trafo"]
        if kind == "bus_kv":
            return [[({"bus": b}, _number(t.vn_kv(b))) for b in buses]]
        if kind == "line_length":
            return [[({"line": ab}, _number(t.length_km(k[1]))) for k, ab in lines if t.length_km(k[1]) is not None]]
        if kind == "trafo_sn":
            return [[({"trafo": ab}, _number(t.sn_mva(k[1]))) for k, ab in trafos if t.sn_mva(k[1]) is not None]]
        if kind == "bus_lines":
            return [[({"bus": b}, _keys("line", t.lines_at[b])) for b in buses if t.lines_at.get(b)]]
        if kind == "line_buses":
            return [[({"line": ab}, _keys("bus", ab)) for _, ab in lines]]
        if kind == "bus_loads":
            return [[({"bus": b}, _keys("load", t.loads_at[b])) for b in buses if t.loads_at.get(b)]]
        if kind == "gen_bus":
            return [[({"bus": b}, _keys("bus", [b])) for b in sorted(t.gen_buses()) if len(t.gens_at(b)) == 1]]
        if kind == "bus_neighbours":
            return [[({"bus": b}, _keys("bus", t.neighbours(b))) for b in buses if t.neighbours(b)]]
        if kind == "gen_buses":
            # mv_oberrhein has no rows in net.gen (only static generators and external grids):
            # "none" would be right by definition but is a quarrel about words, not asked.
            return [[({}, _keys("bus", t.gen_buses()))]] if t.gen_buses() else [[]]
        if kind == "buses_at_kv":
            return [[({"kv": kv}, _keys("bus", t.buses_at_kv(kv))) for kv in t.voltage_levels()
                     if len(t.buses_at_kv(kv)) <= MAX_LISTED]]
        if kind == "lines_longer":
            if not t.lengths_vary():
                return [[]]
            out = []
            for km in LENGTH_THRESHOLDS_KM:
                chosen = t.lines_longer(km)
                near = any(abs((t.length_km(i) or 0.0) - km) < 1e-3 for i in t.line_ends)
                if 1 <= len(chosen) <= MAX_LISTED and not near:
                    out.append(({"km": km}, _keys("line", chosen)))
            return [out]
        if kind in ("count_buses", "count_lines", "count_gens", "count_trafos"):
            what = {"count_buses": "buses", "count_lines": "lines", "count_gens": "generators",
                    "count_trafos": "transformers"}[kind]
            if kind == "count_gens" and not t.gen_buses():
                return [[]]  # as gen_buses: a grid without net.gen rows is not asked
            return [[({}, _number(t.counts()[what]))]]
        if kind == "bus_line_count":
            return [[({"bus": b}, _number(len(t.lines_at.get(b, ())))) for b in buses]]
        if kind in ("path_hops", "path_buses"):
            lo, hi = PATH_HOPS
            pairs = [p for p in self.pairs() if lo <= p[2] <= hi]
            if kind == "path_hops":
                return [[({"a": a, "b": b}, _number(h)) for a, b, h in pairs]]
            return [[({"a": a, "b": b}, {"type": "path", "from": a, "to": b, "hops": h}) for a, b, h in pairs]]
        if kind in ("trip_lose_supply", "trip_cut_slack"):
            some, none = [], []
            for k, ab in self.unique.items():
                if not t.in_graph(k):
                    continue  # an open (or out-of-service) branch cannot trip
                out = t.trip(k)
                if kind == "trip_lose_supply":
                    if out["ambiguous"]:
                        continue  # hinges on a 0 MW generator with max_p_mw > 0: not asked
                    found = out["lose_supply"]
                else:
                    found = out["cut_from_slack"]
                (some if found else none).append(({k[0]: ab}, _keys("bus", found)))
            return [some, none]
        if kind == "adjacent":
            yes = [({"a": a, "b": b}, {"type": "boolean", "value": True}) for a, b, h in self.pairs() if h == 1]
            no = [({"a": a, "b": b}, {"type": "boolean", "value": False}) for a, b, h in self.pairs() if h in (2, 3)]
            return [yes, no]
        if kind == "has_gen":
            gen = t.gen_buses()
            yes = [({"bus": b}, {"type": "boolean", "value": True}) for b in sorted(gen - t.ext_buses)]
            # not asked "no" about buses with an external grid or static generators: definitions again
            no = [({"bus": b}, {"type": "boolean", "value": False}) for b in buses
                  if b not in gen and b not in t.ext_buses and b not in t.sgen_buses]
            return [yes, no]
        if kind in ("fault_alarms", "fault_procedure", "alarm_faults") and self.kb is not None:
            kb = self.kb
            if kind == "fault_alarms":
                return [[({"fault": f}, _entity_keys(kb.indicated_by[f])) for f in kb.faults() if kb.indicated_by.get(f)]]
            if kind == "fault_procedure":
                return [[({"fault": f}, _entity_keys(kb.handled_by[f])) for f in kb.faults() if kb.handled_by.get(f)]]
            return [[({"alarm": a}, _entity_keys(kb.indicates[a])) for a in kb.alarms() if kb.indicates.get(a)]]
        if kind == "unknown_bus":
            top = max(t.index)
            numbers = sorted({999, top + 11, top + 37} - set(t.index))
            return [[({"unknown_bus": n}, {"type": "refuse"}) for n in numbers]]
        if kind == "unknown_line":
            return [[({"line": (a, b)}, {"type": "refuse"}) for a, b, h in self.pairs()
                     if h >= 2 and frozenset((a, b)) not in t.pair_branches]]
        if kind == "unsupported":
            return [[({"bus": b, **({"line": lines[i % len(lines)][1]} if lines else {})}, {"type": "refuse"})
                     for i, b in enumerate(buses)]]
        return [[]]


def _entity_keys(keys):
    return {"type": "entities", "keys": sorted(keys)}


def _allocate(plan, pools, scale):
    """(intent, kind, n) with the share of kinds that have no subject moved to the intent's others."""
    out, spare = [], {}
    for intent, kind, n in plan:
        if any(pools.get(kind)):
            out.append([intent, kind, n * scale])
        else:
            spare[intent] = spare.get(intent, 0) + n * scale
    for intent, extra in spare.items():
        own = [row for row in out if row[0] == intent]
        for i in range(extra if own else 0):
            own[i % len(own)][2] += 1
    return [tuple(row) for row in out]


def _slots(subject, lang, family, rng, truth, kb):
    """The template slots for one subject, in one mention style per kind of entity."""
    num = truth.number
    bus_style = rng.choice(family.MENTIONS["bus"][lang])
    slots = {}
    if "bus" in subject:
        slots["bus"], slots["n"] = bus_style.format(n=num[subject["bus"]]), num[subject["bus"]]
    if "unknown_bus" in subject:
        slots["bus"], slots["n"] = bus_style.format(n=subject["unknown_bus"]), subject["unknown_bus"]
    if "a" in subject:
        a, b = num[subject["a"]], num[subject["b"]]
        slots.update(a=bus_style.format(n=a), b=bus_style.format(n=b), an=a, bn=b)
    for what in ("line", "trafo"):
        if what in subject:
            a, b = (num[x] for x in subject[what])
            if rng.random() < (0.3 if what == "line" else 0.2):
                a, b = b, a
            slots[what] = rng.choice(family.MENTIONS[what][lang]).format(a=a, b=b)
            slots["branch"] = slots[what]
    if "kv" in subject:
        slots["kv"] = f"{subject['kv']:g}"
    if "km" in subject:
        slots["km"] = f"{subject['km']:g}"
    for what in ("fault", "alarm"):
        if what in subject:
            en, zh = kb.names[subject[what]]
            style = rng.choice(family.MENTIONS["kb"][lang])
            slots[what] = style.format(name=en if lang == "en" else zh, lower=_lower(en) if lang == "en" else zh)
    return slots


def _word(template, slots, lang):
    """The question, None when the template needs a slot this subject lacks."""
    try:
        text = template.format(**slots)
    except KeyError:
        return None
    return text[0].upper() + text[1:] if lang == "en" and text[0].isalpha() else text


def questions(grid, truth, family_name, *, seed=19, scale=1, kb=None, langs=families.LANGS):
    """The questions of one family over one grid (kb: the KBTruth merged into its graph, if any)."""
    family = families.load(family_name)
    kb = kb if grid == KB_GRID else None
    cands = truth.__dict__.setdefault("_candidates", {}).get(kb is not None)
    if cands is None:
        cands = truth._candidates[kb is not None] = Candidates(truth, kb)
    plan = PLAN + (KB_PLAN if kb is not None else ()) + REFUSE_PLAN
    pools = {kind: cands.get(kind) for _, kind, _ in plan}
    out, seen = [], set()
    for lang in langs:
        for intent, kind, n in _allocate(plan, pools, scale):
            rng = random.Random(f"{seed}|{family_name}|{grid}|{lang}|{kind}")
            if kind == "unknown_bus":
                templates = [t for k in UNKNOWN_BUS_KINDS for t in family.TEMPLATES[k][lang]]
            elif kind == "unknown_line":
                templates = [t for k in UNKNOWN_LINE_KINDS for t in family.TEMPLATES[k][lang]]
            else:
                templates = family.TEMPLATES[kind][lang]
            order = list(templates)
            rng.shuffle(order)
            kind_pools = [list(p) for p in pools[kind]]
            for p in kind_pools:
                rng.shuffle(p)
            made, ptr = 0, [0] * len(kind_pools)
            side = families.LANGS.index(lang) if lang in families.LANGS else 0  # yes first in en, no first in zh
            for attempt in range(n * 12):
                live = [i for i, p in enumerate(kind_pools) if p]
                if made == n or not live:
                    break
                i = live[(made + side) % len(live)]
                subject, expect = kind_pools[i][ptr[i] % len(kind_pools[i])]
                ptr[i] += 1
                if "a" in subject and rng.random() < 0.5:  # either end first; a path then runs the other way
                    subject = {**subject, "a": subject["b"], "b": subject["a"]}
                    if expect["type"] == "path":
                        expect = {**expect, "from": expect["to"], "to": expect["from"]}
                text = _word(order[attempt % len(order)], _slots(subject, lang, family, rng, truth, kb), lang)
                if text is None or text in seen:
                    continue
                seen.add(text)
                out.append({"id": f"{family_name}/{grid}/{lang}/{kind}/{made}", "family": family_name, "grid": grid,
                            "lang": lang, "intent": intent, "kind": kind, "question": text, "expect": expect})
                made += 1
    return out


def check_keys(qs, doc):
    """Every expected key is an entity of the grid's document (truth and import agree on keys)."""
    known = {e["key"] for e in doc["entities"]}
    for q in qs:
        missing = [k for k in q["expect"].get("keys", ()) if k not in known]
        if missing:
            raise AssertionError(f"{q['id']}: expected keys not in the graph: {missing[:5]}")
