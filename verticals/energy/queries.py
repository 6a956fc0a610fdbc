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
