"""Fault diagnosis over the dispatch knowledge graph: given the alarms and symptoms a
dispatcher observes, rank the probable faults, show the evidence path of each and the
procedure that handles it. Pure: no Django.

The knowledge (see lib/dispatch_faults.json and kb_to_triples) lives in the graph as

    Alarm -indicates{confidence}-> Fault -handled_by-> Procedure (-next_step-> Procedure ...)

where an Alarm is a protection/SCADA alarm or an observed symptom (code SYM-...) and the
confidence is P(alarm seen | fault): how often the fault shows that alarm.

Ranking is a naive-Bayes likelihood with a leak term (uniform prior over faults):

    log L(f) =   sum over observed a expected by f       log p(a|f)
               + sum over observed a not expected by f   log LEAK              (unexplained)
               + sum over expected a not observed        log(1 - ABSENT * p)   (missing evidence)
               + sum over a reported absent, expected    log(1 - p)            (evidence against)

ABSENT < 1 because an alarm nobody reported may just not have been looked at; an alarm
the dispatcher says is absent counts in full. Scores are the likelihoods normalised
over the faults that explain at least one observation (a posterior under a uniform
prior); coverage is the share of a fault's expected evidence (by weight) that was seen.
"""
import math
import re
import unicodedata
from dataclasses import dataclass, field

LEAK = 0.01
ABSENT_WEIGHT = 0.8
DEFAULT_CONFIDENCE = 0.5
MAX_OBSERVED = 50
MAX_TOP = 20
MAX_STEPS = 50  # a next_step chain is followed at most this far (and never round a cycle)

ALARM_CLASSES = ("Alarm",)
FAULT_CLASSES = ("Fault",)


class DiagnosisError(ValueError):
    """Bad input: answered 400 naming the field."""

    def __init__(self, field, message, *, unknown=(), suggestions=None):
        self.field = field
        self.unknown = list(unknown)
        self.suggestions = suggestions or {}
        super().__init__(message)


class KBError(ValueError):
    """The knowledge-base document is malformed; `problems` lists every reason."""

    def __init__(self, problems):
        self.problems = list(problems)
        super().__init__(f"{len(self.problems)} problem(s) in the fault knowledge base; first: {self.problems[0]}")


# -- the shipped knowledge base -> triples --------------------------------------------------

def _bilingual(item, where, problems):
    en, zh = item.get("en"), item.get("zh")
    if not isinstance(en, str) or not en.strip():
        problems.append(f"{where}: 'en' (the English name) is required")
    if not isinstance(zh, str) or not zh.strip():
        problems.append(f"{where}: 'zh' (the Chinese name) is required")
    return f"{en} / {zh}" if isinstance(en, str) and isinstance(zh, str) else str(en or zh or "")


def kb_to_triples(doc):
    """The fault knowledge base ({faults, alarms, procedures}, see the shipped file) as a
    {"entities", "relations"} document for core.kg's import. Entity names are
    "English / 中文" (the question answering links either). KBError lists every problem."""
    problems = []
    if not isinstance(doc, dict):
        raise KBError([f"expected a JSON object with faults, alarms and procedures, got {type(doc).__name__}"])
    entities, relations, seen = [], [], set()

    def entity(key, cls, name, attributes, where):
        if not isinstance(key, str) or not key:
            problems.append(f"{where}: 'key' is required")
            return
        if key in seen:
            problems.append(f"{where}: duplicate key {key!r}")
            return
        seen.add(key)
        entities.append({"key": key, "cls": cls, "name": name,
                         "attributes": {k: v for k, v in attributes.items() if v not in (None, "")}})

    sections = {}
    for section in ("alarms", "procedures", "faults"):
        items = doc.get(section)
        if not isinstance(items, list) or not items:
            problems.append(f"'{section}' must be a non-empty list")
            items = []
        sections[section] = [i for i in items if isinstance(i, dict)]
        problems.extend(f"{section} item {n}: expected an object" for n, i in enumerate(items, 1)
                        if not isinstance(i, dict))
    for n, a in enumerate(sections["alarms"], 1):
        where = f"alarms item {n}"
        entity(a.get("key"), "Alarm", _bilingual(a, where, problems),
               {"code": a.get("code"), "severity": a.get("severity"), "message": a.get("zh"),
                "description": a.get("kind")}, where)
    procedure_keys = set()
    for n, p in enumerate(sections["procedures"], 1):
        where = f"procedures item {n}"
        steps = p.get("steps")
        if not isinstance(steps, list) or not steps or not all(
                isinstance(s, dict) and isinstance(s.get("en"), str) and isinstance(s.get("zh"), str) for s in steps):
            problems.append(f"{where}: 'steps' must be a non-empty list of {{en, zh}}")
        entity(p.get("key"), "Procedure", _bilingual(p, where, problems),
               {"title": p.get("zh"), "steps": steps, "document": p.get("document")}, where)
        procedure_keys.add(p.get("key"))
    alarm_keys = {a.get("key") for a in sections["alarms"]}
    for n, f in enumerate(sections["faults"], 1):
        where = f"faults item {n}"
        desc = f.get("description")
        if isinstance(desc, dict):
            desc = " / ".join(str(desc[lang]) for lang in ("en", "zh") if desc.get(lang))
        entity(f.get("key"), "Fault", _bilingual(f, where, problems),
               {"fault_type": f.get("fault_type"), "phases": f.get("phases"), "description": desc}, where)
        evidence = f.get("evidence")
        if not isinstance(evidence, dict) or not evidence:
            problems.append(f"{where}: 'evidence' must map alarm keys to P(alarm | fault)")
            evidence = {}
        for alarm, p in evidence.items():
            if alarm not in alarm_keys:
                problems.append(f"{where}: evidence names unknown alarm {alarm!r}")
            elif isinstance(p, bool) or not isinstance(p, (int, float)) or not 0 < p < 1:
                problems.append(f"{where}: confidence of {alarm!r} must be a number in (0, 1), got {p!r}")
            else:
                relations.append({"src": alarm, "type": "indicates", "dst": f["key"],
                                  "attributes": {"confidence": float(p)}})
        for proc in f.get("procedures") or []:
            if proc not in procedure_keys:
                problems.append(f"{where}: names unknown procedure {proc!r}")
            else:
                relations.append({"src": f["key"], "type": "handled_by", "dst": proc})
    if problems:
        raise KBError(problems)
    return {"entities": entities, "relations": relations}


# -- the fault model read from a graph ----------------------------------------------------------

def _norm(text):
    text = unicodedata.normalize("NFKC", str(text)).lower()
    return re.sub(r"\s+", " ", text).strip()


def labels_of(key, data):
    """Every name a node answers to: its key, each part of "English / 中文", its code."""
    out = [key]
    name = data.get("name") or ""
    out.extend(part.strip() for part in re.split(r"\s+/\s+|\s*／\s*", name) if part.strip())
    attrs = data.get("attributes") or {}
    for attr in ("code", "title", "message"):
        if isinstance(attrs.get(attr), str) and attrs[attr].strip():
            out.append(attrs[attr].strip())
    return out


def display_name(data, lang="en"):
    """The part of a bilingual "English / 中文" name in the wanted language."""
    name = (data or {}).get("name") or ""
    parts = [p.strip() for p in re.split(r"\s+/\s+|\s*／\s*", name) if p.strip()]
    if len(parts) < 2:
        return name
    cjk = [p for p in parts if re.search(r"[\u3400-\u9fff]", p)]
    latin = [p for p in parts if p not in cjk]
    pick = (cjk if lang == "zh" else latin) or parts
    return pick[0]


@dataclass
class FaultModel:
    faults: dict = field(default_factory=dict)     # fault key -> {alarm key: p}
    procedures: dict = field(default_factory=dict)  # fault key -> [procedure keys]
    alarms: set = field(default_factory=set)
    lookup: dict = field(default_factory=dict)     # normalised label -> alarm key
    graph: object = None

    @property
    def empty(self):
        return not any(self.faults.values())


def _is(data, classes, is_a):
    cls = data.get("cls")
    return any(is_a(cls, c) for c in classes) if is_a else cls in classes


def fault_model(g, *, is_a=None, alarm_classes=ALARM_CLASSES, fault_classes=FAULT_CLASSES):
    """Reads faults, their evidence and procedures from a graph projection (networkx
    MultiDiGraph: nodes key -> {cls, name, attributes}, edges with type, attributes).
    `is_a(cls, ancestor)` honours subclasses (an Ontology's is_a); without it classes match exactly."""
    model = FaultModel(graph=g)
    for key, data in g.nodes(data=True):
        if _is(data, fault_classes, is_a):
            model.faults[key] = {}
            model.procedures[key] = []
        elif _is(data, alarm_classes, is_a):
            model.alarms.add(key)
            for label in labels_of(key, data):
                model.lookup.setdefault(_norm(label), key)
    for src, dst, data in g.edges(data=True):
        typ = data.get("type")
        if typ == "indicates" and dst in model.faults and src in model.alarms:
            conf = (data.get("attributes") or {}).get("confidence")
            if not isinstance(conf, (int, float)) or isinstance(conf, bool):
                conf = DEFAULT_CONFIDENCE
            model.faults[dst][src] = min(max(float(conf), 1e-3), 0.999)
        elif typ == "handled_by" and src in model.faults:
            model.procedures[src].append(dst)
    for procs in model.procedures.values():
        procs.sort()
    return model


def resolve(model, items, field="alarms"):
    """Alarm keys for observed items given as keys, codes or names (either language, any
    case). Unknown items -> DiagnosisError naming them (with the nearest known names)."""
    if items is None:
        return []
    if not isinstance(items, (list, tuple)):
        raise DiagnosisError(field, f"{field} must be a list of alarm keys, codes or names")
    if len(items) > MAX_OBSERVED:
        raise DiagnosisError(field, f"{len(items)} {field}: at most {MAX_OBSERVED} in one diagnosis")
    keys, unknown = [], []
    for item in items:
        if not isinstance(item, str) or not item.strip():
            raise DiagnosisError(field, f"{field} items must be non-empty text, got {item!r}")
        key = item if item in model.alarms else model.lookup.get(_norm(item))
        if key is None:
            unknown.append(item)
        elif key not in keys:
            keys.append(key)
    if unknown:
        suggestions = {u: nearest(model, u) for u in unknown}
        hint = "; ".join(f"{u!r}: did you mean {', '.join(map(repr, s))}?" for u, s in suggestions.items() if s)
        raise DiagnosisError(field, f"unknown alarm(s) {', '.join(map(repr, unknown))} in {field}"
                                    + (f" ({hint})" if hint else ""), unknown=unknown, suggestions=suggestions)
    return keys


def _grams(text):
    text = _norm(text)
    return {text[i:i + 2] for i in range(max(len(text) - 1, 1))}


def nearest(model, text, n=3):
    """Up to n alarm labels sharing the most character bigrams with `text`."""
    probe = _grams(text)
    scored = []
    for label, key in model.lookup.items():
        grams = _grams(label)
        score = len(probe & grams) / (len(probe | grams) or 1)
        if score > 0.2:
            scored.append((score, label))
    scored.sort(key=lambda s: (-s[0], s[1]))
    return [label for _, label in scored[:n]]


def procedure_path(g, fault, proc, lang="en"):
    """The handling path of one procedure: fault -handled_by-> procedure, then its
    next_step chain when the graph has one (bounded, never round a cycle), and the
    ordered steps it holds."""
    triples = [[fault, "handled_by", proc]]
    chain, seen, current = [proc], {proc}, proc
    while len(chain) < MAX_STEPS:
        nxt = sorted(dst for _, dst, d in g.out_edges(current, data=True) if d.get("type") == "next_step")
        if not nxt or nxt[0] in seen:
            break
        triples.append([current, "next_step", nxt[0]])
        chain.append(nxt[0])
        seen.add(nxt[0])
        current = nxt[0]
    data = g.nodes[proc]
    steps = []
    for node in chain:
        raw = (g.nodes[node].get("attributes") or {}).get("steps") or []
        if not raw and node != proc:
            raw = [{"en": display_name(g.nodes[node], "en"), "zh": display_name(g.nodes[node], "zh")}]
        for s in raw:
            steps.append(s.get(lang) or s.get("en") or str(s) if isinstance(s, dict) else str(s))
    return {"key": proc, "name": data.get("name", ""), "title": display_name(data, lang), "chain": chain,
            "steps": steps, "path": triples}


def rank(model, observed, *, absent=(), top=5, lang="en", leak=LEAK, absent_weight=ABSENT_WEIGHT):
    """Faults ranked by how well they explain `observed` (alarm keys; see resolve),
    each with score (normalised likelihood), coverage, the evidence paths it matched,
    the expected evidence missing, the observations it leaves unexplained and its
    handling procedures. Faults explaining none of the observations are not listed."""
    if not observed:
        raise DiagnosisError("alarms", "observe at least one alarm or symptom")
    if isinstance(top, bool) or not isinstance(top, int) or not 1 <= top <= MAX_TOP:
        raise DiagnosisError("top", f"top must be an integer in 1..{MAX_TOP}")
    observed, absent = list(dict.fromkeys(observed)), set(absent) - set(observed)
    g = model.graph
    candidates = []
    for fault, evidence in model.faults.items():
        matched = [a for a in observed if a in evidence]
        if not matched:
            continue
        loglik = sum(math.log(evidence[a]) for a in matched)
        loglik += math.log(leak) * (len(observed) - len(matched))
        missing = [a for a in evidence if a not in observed]
        for a in missing:
            loglik += math.log(1 - evidence[a]) if a in absent else math.log(1 - absent_weight * evidence[a])
        total = sum(evidence.values())
        coverage = sum(evidence[a] for a in matched) / total
        candidates.append((loglik, coverage, fault, matched, missing))
    if not candidates:
        return {"ranked": [], "observed": observed, "absent": sorted(absent),
                "message": "no fault in the knowledge graph is indicated by these observations"}
    best = max(c[0] for c in candidates)
    norm = sum(math.exp(c[0] - best) for c in candidates)
    candidates.sort(key=lambda c: (-c[0], -c[1], c[2]))
    ranked = []
    for loglik, coverage, fault, matched, missing in candidates[:top]:
        evidence = model.faults[fault]
        fdata = g.nodes[fault]
        ranked.append({
            "fault": fault, "name": fdata.get("name", ""), "label": display_name(fdata, lang),
            "score": round(math.exp(loglik - best) / norm, 4), "log_likelihood": round(loglik, 4),
            "coverage": round(coverage, 4),
            "evidence": [{"alarm": a, "label": display_name(g.nodes[a], lang), "confidence": evidence[a],
                          "path": [[a, "indicates", fault]]}
                         for a in sorted(matched, key=lambda a: -evidence[a])],
            "missing": [{"alarm": a, "label": display_name(g.nodes[a], lang), "confidence": evidence[a],
                         "reported_absent": a in absent}
                        for a in sorted(missing, key=lambda a: -evidence[a])],
            "unexplained": [a for a in observed if a not in evidence],
            "procedures": [procedure_path(g, fault, p, lang) for p in model.procedures.get(fault, [])],
        })
    return {"ranked": ranked, "observed": observed, "absent": sorted(absent), "candidates": len(candidates)}
