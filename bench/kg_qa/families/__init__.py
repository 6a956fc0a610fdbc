"""Paraphrase families: each a module with TEMPLATES (kind -> {"en": [...], "zh": [...]}) and
MENTIONS (how it names buses, lines, transformers and knowledge-base entries), written by a
person as a dispatcher would ask.

Tuning families (the QA engine may be tuned on these): templates, paraphrase_a .. _g, _j, _k, _l.
Validation families (paraphrase_h, paraphrase_i): written apart by other authors; their
scores are read while tuning, their questions and failures are not. The held-out family
(heldout.py) is written apart, in other words and sentence structures; whoever tunes the QA
engine must not read it (nor print its failures).

A template is a str.format string over the slots its kind offers:

    {bus}          a bus in the family's bus style ("bus 5", "5号母线", ...)
    {a} {b}        two buses in one bus style; {an} {bn} their bare numbers; {n} a bus's number
    {line}         a line named by its end buses in the family's line style
    {trafo}        a transformer likewise; {branch}: a line or a transformer
    {kv} {km}      a voltage level (kV) / a length threshold (km), as numbers
    {fault} {alarm}  a knowledge-base fault / alarm by its English or Chinese name

MENTIONS["bus"][lang] are formats over {n}; MENTIONS["line"] and MENTIONS["trafo"] over
{a} {b} (the end buses' numbers); MENTIONS["kb"][lang] over {name} (the entry's name in
that language) and {lower} (its English name with a lower-case first letter).
"""
import importlib

# kind -> (intent scored, the slots its templates use)
KINDS = {
    "bus_kv": ("attribute", "bus"),
    "line_length": ("attribute", "line"),
    "trafo_sn": ("attribute", "trafo"),
    "bus_lines": ("relation", "bus"),
    "line_buses": ("relation", "line"),
    "bus_loads": ("relation", "bus"),
    "gen_bus": ("relation", "bus (the generator at it)"),
    "fault_alarms": ("relation", "fault"),
    "fault_procedure": ("relation", "fault"),
    "alarm_faults": ("relation", "alarm"),
    "bus_neighbours": ("neighbours", "bus"),
    "gen_buses": ("list", ""),
    "buses_at_kv": ("list", "kv"),
    "lines_longer": ("list", "km"),
    "count_buses": ("count", ""),
    "count_lines": ("count", ""),
    "count_gens": ("count", ""),
    "count_trafos": ("count", ""),
    "bus_line_count": ("count", "bus"),
    "path_hops": ("path", "a b"),
    "path_buses": ("path", "a b"),
    "trip_lose_supply": ("what_if", "branch"),
    "trip_cut_slack": ("what_if", "branch"),
    "adjacent": ("yes_no", "a b"),
    "has_gen": ("yes_no", "bus"),
    "unsupported": ("unanswerable", "bus or line"),
}
INTENTS = ("attribute", "relation", "neighbours", "list", "count", "path", "what_if", "yes_no")
LANGS = ("en", "zh")

TUNING = ("templates", "paraphrase_a", "paraphrase_b", "paraphrase_c", "paraphrase_d", "paraphrase_e",
          "paraphrase_f", "paraphrase_g", "paraphrase_j", "paraphrase_k", "paraphrase_l")
# Written apart like the tuning families, for checking a change while tuning: their scores
# are read, their failures never printed (so nothing is shaped by them); the held-out family
# is still the figure reported.
VALIDATION = ("paraphrase_h", "paraphrase_i")
HELDOUT = ("heldout",)
ALL = TUNING + VALIDATION + HELDOUT


def load(name):
    """The family module `name`, checked: every kind in both languages, mentions complete."""
    if name not in ALL:
        raise ValueError(f"unknown family {name!r}; families: {', '.join(ALL)}")
    module = importlib.import_module(f"{__name__}.{name}")
    for kind in KINDS:
        for lang in LANGS:
            if not module.TEMPLATES.get(kind, {}).get(lang):
                raise ValueError(f"family {name}: no {lang} template for {kind}")
    for what in ("bus", "line", "trafo", "kb"):
        for lang in LANGS:
            if not module.MENTIONS.get(what, {}).get(lang):
                raise ValueError(f"family {name}: no {lang} {what} mention style")
    return module
