"""The knowledge graph as a job input (a trainer that records findings on a graph):
held to the job's line and to what the person starting the job may read, like a
dataset version (core/training/actions/inputs.py)."""
from core.platform import access
from core.platform.lib import roles


def graph(pk, *, organisation, acting_user=None):
    from core.training.actions.inputs import InputOutOfLine, parse_input_id

    from .models import Graph

    found = Graph.objects.select_related("organisation").filter(pk=parse_input_id("graph", pk)).first()
    if found is None:
        raise LookupError(f"no graph {pk}")
    if not access.in_line(organisation, found.organisation):
        raise InputOutOfLine("the graph belongs to an organisation outside this job's line")
    if acting_user is not None and not access.can(acting_user, roles.READ, found.organisation):
        raise InputOutOfLine(f"{acting_user} may not read the graph's organisation")
    return found
