"""Read-only grid questions: outage analysis and restoration plans on a grid's graph."""
from core.kg.projection import projection

from .lib import restoration


def outage_plan(grid, tripped, *, verify=False):
    topo = restoration.topology(projection(grid.graph))
    result = restoration.plan(topo, tripped)
    if verify:
        from .lib import powerflow
        from .lib.grid_import import load_case

        result["powerflow"] = powerflow.verify_plan(load_case(grid.case), result["outage"]["tripped"], result)
    return result


def visible_faults(user):
    """Fault incidents on the grids `user` may see (by organisation subtree)."""
    from core.kg.queries import visible_graphs

    from .models import FaultIncident

    return (FaultIncident.objects.filter(grid__graph__in=visible_graphs(user))
            .select_related("grid__graph__organisation", "opened_by", "cleared_by"))
