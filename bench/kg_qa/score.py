"""Strict scoring of one answer against its expectation (the engine's answer contract:
`answer` None when it does not know, else `entities` / `number` / `boolean` / `path`), and
the tables bench/kg_qa.py prints. A field the answer lacks counts as a wrong answer."""
import math

from .families import INTENTS, LANGS

GOAL_OVERALL = 0.95      # issue 19: held-out strict accuracy overall ...
GOAL_INTENT = 0.90       # ... and on every intent
GOAL_SEARCH_TOP1 = 0.98  # knowledge search top-1
REL_TOL = 1e-6


def _is_number(x):
    return isinstance(x, (int, float)) and not isinstance(x, bool) and not math.isnan(float(x))


def score(q, got, truth):
    """{"ok", "dont_know", "intent_ok"} of answer `got` (a dict, None when the engine raised)."""
    if not isinstance(got, dict):
        return {"ok": False, "dont_know": False, "intent_ok": False}
    exp = q["expect"]
    dont_know = got.get("answer") is None
    kind = exp["type"]
    if kind == "refuse":
        ok = dont_know
    elif dont_know:
        ok = False
    elif kind == "number":
        n = got.get("number")
        ok = _is_number(n) and math.isclose(float(n), exp["value"], rel_tol=REL_TOL, abs_tol=1e-9)
    elif kind == "entities":
        ents = got.get("entities")
        ok = isinstance(ents, list) and all(isinstance(e, dict) for e in ents) and \
            {e.get("key") for e in ents} == set(exp["keys"])
    elif kind == "boolean":
        ok = got.get("boolean") is exp["value"]
    elif kind == "path":
        ok = truth.path_ok(got.get("path"), exp["from"], exp["to"])
    else:
        raise ValueError(f"unknown expectation {kind!r}")
    return {"ok": bool(ok), "dont_know": dont_know, "intent_ok": got.get("intent") == q["intent"]}


def _rate(rows, what="ok"):
    return sum(r[what] for r in rows) / len(rows) if rows else None


def _pct(x):
    return "   -" if x is None else f"{100 * x:4.0f}"


def _cell(rows):
    return f"{_pct(_rate(rows))} {len(rows):>3}" if rows else f"{'-':>8}"


def family_table(results, family, grids):
    """Lines: strict accuracy per intent x language (rows) per grid (columns), "acc% n"."""
    rows = [r for r in results if r["family"] == family and r["intent"] != "unanswerable"]
    head = f"  {'intent':<11}{'lang':<5}" + "".join(f"{g:>13}" for g in grids) + f"{'all':>13}"
    lines = [head]
    for intent in (*INTENTS, "all"):
        for lang in (*LANGS, "all"):
            sel = [r for r in rows if (intent == "all" or r["intent"] == intent) and (lang == "all" or r["lang"] == lang)]
            if not sel:
                continue
            cells = "".join(f"{_cell([r for r in sel if r['grid'] == g]):>13}" for g in grids)
            lines.append(f"  {intent if lang == LANGS[0] or intent == 'all' and lang == 'en' else '':<11}{lang:<5}"
                         f"{cells}{_cell(sel):>13}")
    return lines


def summary(results, family):
    """Figures of one family: accuracy, "I don't know" share and intent agreement on answerable
    questions, correct refusals on the unanswerable ones, errors."""
    rows = [r for r in results if r["family"] == family]
    answerable = [r for r in rows if r["intent"] != "unanswerable"]
    refuse = [r for r in rows if r["intent"] == "unanswerable"]
    return {"questions": len(rows), "answerable": len(answerable), "accuracy": _rate(answerable),
            "dont_know": _rate(answerable, "dont_know"), "intent_agreement": _rate(answerable, "intent_ok"),
            "unanswerable": len(refuse), "refused": _rate(refuse), "errors": sum(1 for r in rows if r.get("error")),
            "per_intent": {i: _rate([r for r in answerable if r["intent"] == i]) for i in INTENTS
                           if any(r["intent"] == i for r in answerable)},
            "per_lang": {lang: _rate([r for r in answerable if r["lang"] == lang]) for lang in LANGS}}


def verdict(ok):
    return "PASS" if ok else "MISS"


def goal_lines(s):
    """Lines: a (held-out) family's figures against the issue's goals."""
    acc = s["accuracy"] or 0.0
    out = [(f"  overall strict accuracy {_pct(acc).strip()}% of {s['answerable']} (goal >= {GOAL_OVERALL:.0%})  "
            f"{verdict(acc >= GOAL_OVERALL)}")]
    for intent, rate in s["per_intent"].items():
        out.append(f"    {intent:<11} {_pct(rate)}%  (goal >= {GOAL_INTENT:.0%})  {verdict((rate or 0) >= GOAL_INTENT)}")
    return out


def show(q, got, result, labels):
    """Lines describing one failed question: expected vs got."""
    exp = q["expect"]
    if exp["type"] == "entities":
        want = ", ".join(labels.get(k, k) for k in exp["keys"][:12]) or "(none)"
        want += f" ... ({len(exp['keys'])})" if len(exp["keys"]) > 12 else ""
    elif exp["type"] == "path":
        want = f"a shortest path of {exp['hops']} branches from bus:{exp['from']} to bus:{exp['to']}"
    elif exp["type"] == "refuse":
        want = "I don't know"
    else:
        want = repr(exp["value"])
    lines = [f"- [{q['grid']} {q['lang']} {q['intent']}/{q['kind']}] {q['question']}", f"    expected: {want}"]
    if result.get("error"):
        lines.append(f"    raised: {result['error']}")
        return lines
    got = got or {}
    if got.get("answer") is None:
        lines.append(f"    got: I don't know ({got.get('reason')})")
    else:
        parts = [f"intent={got.get('intent')!r}"]
        for field in ("number", "value", "boolean"):
            if got.get(field) is not None:
                parts.append(f"{field}={got.get(field)!r}")
        if got.get("path") is not None:
            parts.append(f"path={got.get('path')}")
        ents = got.get("entities")
        if ents:
            keys = [e.get("key") if isinstance(e, dict) else e for e in ents]
            parts.append(f"entities={', '.join(labels.get(k, str(k)) for k in keys[:12])}"
                         f"{f' ... ({len(keys)})' if len(keys) > 12 else ''}")
        elif "entities" not in got:
            parts.append("no entities field")
        lines.append(f"    got: {'; '.join(parts)}")
    text = " ".join(str(got.get("text") or "").split())
    if text:
        lines.append(f"    text: {text[:160]}{'...' if len(text) > 160 else ''}")
    return lines
