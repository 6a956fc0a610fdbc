"""What the grid pages show, as plain data: the topology chart (buses coloured by voltage
level, at their coordinates when the case has them), the elements a dispatcher may trip,
an outage plan ready for the template, and the panels fed by other parts of the vertical
(patrol defects, load forecasts) when their data is there."""
import json
import math

from django.db.models import Count
from django.db.models.fields.json import KeyTextTransform
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from core.hub.queries import visible_versions
from core.kg.models import Entity
from core.kg.queries import visible_graphs

from ..lib import restoration
from .labels import category_label

# Voltage levels from the highest down (a level keeps its colour within a grid). No red
# and no green: those mark lost buses, the tripped element and the ties to close.
LEVEL_COLOURS = ["#7b2cbf", "#2f6fc4", "#e8871e", "#0f8b8d", "#9a6b3c", "#455a78", "#8a8f2e", "#8793a3"]
LOST = "#d6221b"
RESTORED = "#1e9e6a"
# Geographic layout when at least this share of the buses have coordinates.
GEO_SHARE = 0.9

ACTION_LABELS = {
    "isolate": _("Isolate"),
    "close_switch": _("Close tie switch"),
    "energise_branch": _("Energise branch"),
    "start_source": _("Start standby source"),
    "island_reference": _("Island reference"),
    "unrestorable": _("Cannot restore"),
    "none": _("No supply lost"),
    "open_switch": _("Open sectionalising switch"),
    "shed_load": _("Shed load"),
    "left_dark": _("Left off supply"),
    "no_plan": _("No plan passes"),
    "verify": _("Verify"),
}
ACTION_CLASSES = {"isolate": "warn", "close_switch": "ok", "energise_branch": "ok", "start_source": "ok",
                  "island_reference": "info", "unrestorable": "bad", "none": "ok", "open_switch": "warn",
                  "shed_load": "warn", "left_dark": "bad", "no_plan": "bad", "verify": "info"}
STATE_LABELS = {"base": _("Before the trip"), "after_trip": _("After the trip"), "restored": _("Restored")}
# How the plan restores, as restoration.plan's search names it.
STRATEGY_LABELS = {
    "single_tie": _("one tie per dead island"),
    "other_tie": _("another tie"),
    "staged": _("staged pick-up"),
    "shed": _("load shedding"),
    "no_switching": _("no switching"),
}


def _key_order(key):
    table, _, idx = str(key).partition(":")
    return (table, int(idx) if idx.isdigit() else math.inf, str(key))


def _kv(value):
    try:
        return float(value)
    except (TypeError, ValueError):
        return None


def kv_label(kv):
    return f"{kv:g} kV" if kv is not None else "?"


def _point(geo):
    """(x, y) of a GeoJSON point (or a plain [x, y]), else None."""
    if isinstance(geo, str):
        try:
            geo = json.loads(geo)
        except ValueError:
            return None
    coords = geo.get("coordinates") if isinstance(geo, dict) else geo
    if isinstance(coords, (list, tuple)) and len(coords) >= 2 and all(isinstance(c, (int, float)) for c in coords[:2]):
        return float(coords[0]), float(coords[1])
    return None


def topology_chart(kg, topo):
    """Chart JSON of a grid: one node per in-service bus, one link per branch or bus switch."""
    buses = list(topo.nodes)
    levels = sorted({kv for kv in (_kv((kg.nodes[b].get("attributes") or {}).get("vn_kv")) for b in buses)
                     if kv is not None}, reverse=True)
    has_unknown = any(_kv((kg.nodes[b].get("attributes") or {}).get("vn_kv")) is None for b in buses)
    categories = [{"name": kv_label(kv), "color": LEVEL_COLOURS[min(i, len(LEVEL_COLOURS) - 1)]}
                  for i, kv in enumerate(levels)]
    if has_unknown:
        categories.append({"name": "?", "color": LEVEL_COLOURS[-1]})
    points = {b: _point((kg.nodes[b].get("attributes") or {}).get("geo")) for b in buses}
    geo = bool(buses) and sum(p is not None for p in points.values()) >= GEO_SHARE * len(buses)
    if geo:
        ys = [p[1] for p in points.values() if p is not None]
        mean_y = sum(ys) / len(ys)
        # Longitude/latitude: shrink x by cos(latitude) so the map keeps its shape.
        squeeze = math.cos(math.radians(mean_y)) if all(abs(y) <= 90 for y in ys) else 1.0
        known = [p for p in points.values() if p is not None]
        cx = sum(p[0] for p in known) / len(known)
        for b, p in points.items():
            if p is None:  # a bus without coordinates sits at the middle of its neighbours
                near = [points[n] for n in topo.neighbors(b) if points.get(n)]
                points[b] = (sum(q[0] for q in near) / len(near), sum(q[1] for q in near) / len(near)) \
                    if near else (cx, mean_y)
    nodes = []
    for b in sorted(buses, key=_key_order):
        d = topo.nodes[b]
        kv = _kv((kg.nodes[b].get("attributes") or {}).get("vn_kv"))
        node = {"id": b, "name": d.get("name", b), "kv": kv,
                "category": levels.index(kv) if kv is not None else len(levels),
                "load_mw": round(d.get("load_mw", 0.0), 4), "sources": list(d.get("sources", [])),
                "standby": list(d.get("standby", []))}
        if geo:
            x, y = points[b]
            node["x"] = round((x - cx) * squeeze * 1000, 3)
            node["y"] = round(-y * 1000, 3)  # north up
        nodes.append(node)
    links = []
    for a, b, k, d in sorted(topo.edges(keys=True, data=True), key=lambda e: _key_order(e[2])):
        links.append({"source": a, "target": b, "id": str(k), "element": d["element"], "cls": d["cls"],
                      "name": d.get("name", d["element"]), "closed": bool(d["closed"]),
                      "open_switches": list(d.get("open_switches", []))})
    return {"layout": "geo" if geo else "force", "nodes": nodes, "links": links, "categories": categories,
            "text": {"kv": gettext("Voltage"), "load": gettext("Load"), "sources": gettext("Sources"),
                     "standby": gettext("Standby"), "open": gettext("normally open"),
                     "lost": gettext("Lost supply"), "restored": gettext("Restored by the plan"),
                     "tripped": gettext("Tripped"), "to_close": gettext("To close"),
                     "select": gettext("Click to select it in the trip form")}}


def trippable(topo):
    """(key, label) of the in-service lines and transformers, in table and index order."""
    seen = restoration.trippable(topo)
    return [(key, f"{key} · {name}") for key, name in sorted(seen.items(), key=lambda kv: _key_order(kv[0]))]


def _names(topo):
    """key -> display name for the buses and the branches and switches of a topology."""
    names = {b: d.get("name", b) for b, d in topo.nodes(data=True)}
    names.update((d["element"], d.get("name") or d["element"]) for _a, _b, d in topo.edges(data=True))
    names.update((k, v.get("name", k)) for k, v in topo.graph.get("loads", {}).items())
    return names


def violation_text(v, names=None):
    """One power-flow violation in the reader's language, naming the element."""
    names = names or {}
    element = v.get("element")
    who = f"{element} ({names[element]})" if element in names and names[element] != element else element
    kind = v.get("kind")
    if kind == "overload":
        return gettext("%(element)s loaded %(value)s%% (limit %(limit)s%%)") % {
            "element": who, "value": f"{v['value']:g}", "limit": f"{v['limit']:g}"}
    if kind == "undervoltage":
        return gettext("%(element)s at %(value)s p.u., below its limit %(limit)s") % {
            "element": who, "value": f"{v['value']:.3f}", "limit": f"{v['limit']:g}"}
    if kind == "overvoltage":
        return gettext("%(element)s at %(value)s p.u., above its limit %(limit)s") % {
            "element": who, "value": f"{v['value']:.3f}", "limit": f"{v['limit']:g}"}
    if kind == "unsupplied":
        return gettext("%(element)s left without supply") % {"element": who}
    return gettext("The power flow does not converge")


def _verification(plan, names):
    """What the check says about the plan: the verdict, its violations, how the plan restores
    (which alternative passed), the load it sheds and the buses it leaves off; or why no plan
    passed, with the best attempt's violations."""
    pf, search = plan.get("powerflow"), plan.get("search")
    if not pf or not search:
        return None
    attempts = search.get("attempts") or []
    best = attempts[search["best"]] if search.get("best") is not None and search["best"] < len(attempts) else None
    loads = [{"key": k, "name": names.get(k, k)} for k in plan.get("shed") or []]
    return {
        "ok": bool(pf.get("ok")),
        "found": bool(search.get("found")),
        "lost": bool(plan["outage"]["lost_buses"]),
        "strategy": search.get("strategy"),
        "strategy_label": STRATEGY_LABELS.get(search.get("strategy"), search.get("strategy")),
        "alternative": search.get("strategy") not in (None, "single_tie", "no_switching"),
        "first_failure": [violation_text(v, names) for v in attempts[0]["violations"][:3]]
        if attempts and not attempts[0]["ok"] else [],
        "violations": [violation_text(v, names) for v in pf.get("violations") or []],
        "attempts": len(attempts),
        "capped": search.get("capped"),
        "cap": (search.get("max_attempts") or 0) + 1,
        "best": {"strategy_label": STRATEGY_LABELS.get(best["strategy"], best["strategy"]),
                 "violations": [violation_text(v, names) for v in best["violations"]],
                 "more": best["n_violations"] - len(best["violations"]), "shed_mw": best["shed_mw"],
                 "left_dark": best["left_dark"]} if best else None,
        "shed": loads, "shed_mw": plan.get("shed_mw") or 0.0,
        "open": plan.get("open") or [],
        "left_dark": [{"key": b, "name": names.get(b, b)} for b in sorted(plan.get("left_dark") or [], key=_key_order)],
    }


def outage(plan, topo):
    """The plan of verticals.energy.lib.restoration (with the power-flow check when asked)
    made ready for the template, and the overlay for the chart."""
    o = plan["outage"]
    names = _names(topo)

    def name(bus):
        return names.get(bus, bus)

    steps = [{**s, "label": ACTION_LABELS.get(s["action"], s["action"]),
              "css": ACTION_CLASSES.get(s["action"], "info")} for s in plan["steps"]]
    pf = plan.get("powerflow")
    states = []
    if pf:
        for key in ("base", "after_trip", "restored"):
            r = pf.get(key) or {}
            states.append({"key": key, "label": STATE_LABELS[key], "converged": r.get("converged"),
                           "error": r.get("error"), "energised": r.get("energised_buses"),
                           "unsupplied": len(r.get("unsupplied_buses") or []),
                           "vm_min": r.get("vm_min_pu"), "vm_max": r.get("vm_max_pu"),
                           "violations": len(r.get("voltage_violations") or []),
                           "new_violations": len(r.get("new_violations") or []),
                           "overloads": r.get("overloads") or []})
    islands = o["islands"]
    return {
        "tripped": o["tripped"],
        "lost": [{"key": b, "name": name(b)} for b in o["lost_buses"]],
        "lost_load_mw": o["lost_load_mw"],
        "islands": len(islands),
        "dead_islands": sum(1 for i in islands if not i["supplied"]),
        "restored": plan["restored_buses"],
        "unrestored": [{"key": b, "name": name(b)} for b in plan["unrestored_buses"]],
        "close": plan["close"],
        "start_sources": plan["start_sources"],
        "reference_sources": plan["reference_sources"],
        "steps": steps,
        "powerflow": {"ok": pf.get("ok"), "states": states} if pf else None,
        "verification": _verification(plan, names),
        "overlay": {"tripped": o["tripped"], "lost": o["lost_buses"], "restored": plan["restored_buses"],
                    "unrestored": plan["unrestored_buses"], "close": [c["element"] for c in plan["close"]]},
    }


# -- panels fed by other parts of the vertical -------------------------------------------

DEFECT_CLASS = "PatrolDefect"


def patrol_defects(user, graph=None):
    """Patrol defects by category: the PatrolDefect entities (attribute `category`) of the
    grid graphs the user may see, or of one graph. None while the energy ontology has no
    PatrolDefect class (the patrol work is not installed)."""
    from core.kg.ontologies import get_ontology

    try:
        if DEFECT_CLASS not in get_ontology("energy").classes:
            return None
    except LookupError:
        return None
    qs = Entity.objects.filter(graph__in=visible_graphs(user), cls=DEFECT_CLASS)
    if graph is not None:
        qs = qs.filter(graph=graph)
    rows = (qs.annotate(category=KeyTextTransform("category", "attributes")).values("category")
            .annotate(n=Count("pk")).order_by("-n", "category"))
    data = [{"category": r["category"], "count": r["n"],
             "label": category_label(r["category"]) if r["category"] else gettext("(no category)")} for r in rows]
    return {"rows": data, "total": sum(r["count"] for r in data), "graph": graph}


def _series(ev, *names):
    for name in names:
        value = ev.get(name)
        if isinstance(value, list) and value:
            return value
    return None


def load_forecast(user):
    """Forecast against actual from the newest visible version of an energy model whose
    metrics hold an evaluation with both series (metrics["evaluation"]: timestamps,
    actual, forecast, seasonal_naive, as the energy.heat_load trainer writes). None while
    there is none."""
    versions = (visible_versions(user).filter(model__vertical="energy").select_related("model")
                .order_by("-created_at", "-id"))
    for v in versions[:50]:
        metrics = v.metrics or {}
        ev = metrics.get("evaluation")
        if not isinstance(ev, dict):
            continue
        actual = _series(ev, "actual", "y_true", "observed")
        forecast = _series(ev, "forecast", "predicted", "y_pred", "prediction")
        if not actual or not forecast:
            continue
        n = min(len(actual), len(forecast))
        stamps = _series(ev, "timestamps", "time", "index") or list(range(n))
        naive = _series(ev, "seasonal_naive")
        kpis = []
        for key, label, unit in (("mape", _("MAPE"), "%"), ("mape_seasonal_naive", _("MAPE, seasonal naive"), "%"),
                                 ("rmse", _("RMSE"), ""), ("skill_vs_seasonal", _("Error vs seasonal naive"), "×")):
            value = metrics.get(key)
            if isinstance(value, (int, float)) and not isinstance(value, bool):
                kpis.append({"key": key, "label": label, "value": value, "unit": unit})
        protocol = ev.get("protocol") if isinstance(ev.get("protocol"), dict) else {}
        return {
            "version": v, "kpis": kpis, "protocol": protocol,
            "chart": {"timestamps": [str(t) for t in stamps[-n:]], "actual": actual[-n:], "forecast": forecast[-n:],
                      "seasonal_naive": naive[-n:] if naive and len(naive) >= n else None,
                      "text": {"actual": gettext("Actual"), "forecast": gettext("Forecast"),
                               "naive": gettext("Seasonal naive")}},
        }
    return None


# -- fault incidents -----------------------------------------------------------------------

RECENTLY_RESTORED = 5


def _bus_names(grid):
    from core.kg.projection import projection

    kg = projection(grid.graph)
    return lambda bus: kg.nodes[bus].get("name", bus) if bus in kg else bus


def fault(incident, name=None):
    """One incident ready for the template: lost buses with their names, the stored plan's
    steps labelled like the trip result's."""
    name = name or (lambda bus: bus)
    plan = incident.plan or {}
    return {
        "incident": incident,
        "lost": [{"key": b, "name": name(b)} for b in incident.lost_buses or []],
        "unrestored": len(plan.get("unrestored_buses") or []),
        "steps": [{**s, "label": ACTION_LABELS.get(s.get("action"), s.get("action")),
                   "css": ACTION_CLASSES.get(s.get("action"), "info")} for s in plan.get("steps") or []],
    }


def grid_faults(grid):
    """The grid's active faults (newest first), the last restored ones, and the chart overlay
    of the active ones: their lost buses red, their tripped elements red."""
    from ..models import FaultIncident

    qs = FaultIncident.objects.filter(grid=grid).select_related("opened_by", "cleared_by")
    active = list(qs.filter(status=FaultIncident.Status.ACTIVE).order_by("-opened_at", "-id"))
    restored = list(qs.filter(status=FaultIncident.Status.RESTORED).order_by("-cleared_at", "-id")[:RECENTLY_RESTORED])
    name = _bus_names(grid) if active else None
    return {
        "faults": [fault(i, name) for i in active],
        "restored_faults": restored,
        "faults_overlay": {"lost": sorted({b for i in active for b in i.lost_buses or []}),
                           "tripped": sorted({i.element for i in active})},
    }


def active_faults(user):
    """Active incidents across the grids `user` may see, newest first."""
    from ..models import FaultIncident
    from ..queries import visible_faults

    return list(visible_faults(user).filter(status=FaultIncident.Status.ACTIVE).order_by("-opened_at", "-id"))
