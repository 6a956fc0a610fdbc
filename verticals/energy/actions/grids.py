"""Energy writes: importing a grid as a knowledge graph (one audited batch)."""
import time

from django.core.exceptions import ValidationError
from django.db import transaction

from core.kg.actions.graphs import create_graph
from core.kg.actions.imports import import_triples
from core.kg.lib.triples import parse_json
from core.kg.models import Graph

from ..lib.grid_import import CASES, load_case, net_to_triples
from ..models import Grid


def import_grid(*, case, organisation, acting_user, name=None):
    """Imports a pandapower case shipped with pandapower as a new graph `name` (default
    grid-<case>). Returns (grid, figures)."""
    if case not in CASES:
        raise ValidationError({"case": f"unknown grid case {case!r}; cases: {', '.join(CASES)}"})
    name = name or f"grid-{case}".replace("_", "-")
    if Graph.objects.filter(organisation=organisation, name=name).exists():
        raise ValidationError({"name": f"{organisation} already has a knowledge graph named {name!r}"})
    started = time.perf_counter()
    net = load_case(case)
    doc = net_to_triples(net, case=case)
    entities, relations, errors = parse_json(doc)
    built = time.perf_counter()
    with transaction.atomic():
        graph = create_graph(name=name, organisation=organisation, vertical="energy", acting_user=acting_user,
                             description=f"{CASES[case][1]} (pandapower.networks.{case})")
        result = import_triples(graph, entities=entities, relations=relations, acting_user=acting_user,
                                source=f"pandapower.networks.{case}", parse_errors=errors,
                                audit_data={"case": case})
        branches = len(net.line) + len(net.trafo) + (len(net.trafo3w) if "trafo3w" in net else 0)
        grid = Grid.objects.create(graph=graph, case=case, buses=len(net.bus), branches=branches)
    done = time.perf_counter()
    return grid, {**result, "build_s": round(built - started, 3), "import_s": round(done - built, 3)}
