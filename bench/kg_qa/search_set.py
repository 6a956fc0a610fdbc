"""Knowledge search (issue 19 item 6), measured on its own set: the text a user types into
an entity search, with the entity it means (its key) expected first.

This module holds the tuning split and the code that samples it over a grid; the held-out
split is search_heldout.py (written apart; QA tuners do not read it). A form names one
kind of entity over {n} (a bus's number; gen and load: the bus they sit at) or {a} {b}
(a line's or transformer's end buses); subjects are sampled with a fixed seed per grid,
form and split. KB entries are fixed (query, key) pairs over the fault knowledge base,
asked on the grid that holds it.
"""
import random

from .grids import KB_GRID

PER_FORM = 2   # subjects per form per grid

FORMS = (
    ("bus", "Bus {n}"), ("bus", "bus {n}"), ("bus", "B{n}"), ("bus", "{n}号母线"), ("bus", "母线{n}"),
    ("line", "line {a}-{b}"), ("line", "the line between bus {a} and bus {b}"), ("line", "{a}-{b}线"),
    ("line", "{a}号母线和{b}号母线之间的线路"),
    ("trafo", "transformer {a}-{b}"), ("trafo", "the transformer between bus {a} and bus {b}"),
    ("trafo", "{a}-{b}主变"), ("trafo", "变压器{a}-{b}"),
    ("gen", "generator at bus {n}"), ("gen", "{n}号母线发电机"),
    ("load", "load at bus {n}"), ("load", "{n}号母线负荷"),
)

KB = (
    ("Transformer overheating", "fault:transformer_overheating"),
    ("变压器过热", "fault:transformer_overheating"),
    ("transformer overheat", "fault:transformer_overheating"),
    ("主变过热", "fault:transformer_overheating"),
    ("ALM-DIST-Z1", "alarm:dist_z1"),
    ("距离I段保护动作", "alarm:dist_z1"),
    ("line overload", "fault:line_overload"),
    ("主变过负荷", "fault:transformer_overload"),
    ("PT断线告警", "alarm:pt_open"),
    ("Busbar fault handling", "procedure:busbar_fault"),
    ("母线故障处置", "procedure:busbar_fault"),
    ("zero-sequence voltage rise", "symptom:zero_seq_voltage"),
    ("低频振荡", "fault:low_frequency_oscillation"),
    ("lightning strike trip", "fault:lightning_trip"),
    ("CT开路", "fault:ct_secondary_open"),
    ("Breaker SF6 gas pressure low", "alarm:sf6_low"),
)


def subjects(kind, truth, unique):
    """(slots, expected key) of every subject of `kind` (unique: branch -> end buses, named
    unambiguously by them)."""
    num = truth.number
    if kind == "bus":
        return [({"n": num[b]}, f"bus:{b}") for b in truth.buses()]
    if kind in ("line", "trafo"):
        return [({"a": num[a], "b": num[b]}, f"{t}:{i}") for (t, i), (a, b) in sorted(unique.items()) if t == kind]
    if kind == "gen":
        return [({"n": num[b]}, f"gen:{min(truth.gens_at(b))}") for b in sorted(truth.gen_buses())
                if len(truth.gens_at(b)) == 1]
    if kind == "load":
        return [({"n": num[b]}, f"load:{min(ids)}") for b, ids in sorted(truth.loads_at.items()) if len(ids) == 1]
    raise ValueError(kind)


def queries(grid, truth, unique, *, split, forms, kb, seed=19, per_form=PER_FORM):
    """[{"split", "grid", "query", "key", "form"}] of one split over one grid."""
    out = []
    for kind, form in forms:
        pool = subjects(kind, truth, unique)
        rng = random.Random(f"{seed}|search|{split}|{grid}|{form}")
        for slots, key in rng.sample(pool, min(per_form, len(pool))):
            out.append({"split": split, "grid": grid, "query": form.format(**slots), "key": key, "form": form})
    if grid == KB_GRID:
        out.extend({"split": split, "grid": grid, "query": q, "key": key, "form": "kb"} for q, key in kb)
    return out
