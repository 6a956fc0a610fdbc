"""Lineage node kinds and the graph walk. A node is (kind, id); each kind names the
model that holds it and the path from it to the owning organisation."""
from dataclasses import dataclass

from django.apps import apps
from django.db.models import Q

from core.platform.errors import NotFound

from .models import LineageEdge


@dataclass(frozen=True)
class NodeKind:
    kind: str
    model: str            # "app_label.ModelName"
    org_field: str        # lookup to the owning organisation's id
    label: callable       # obj -> short text


NODE_KINDS = {
    k.kind: k
    for k in [
        NodeKind("dataset_version", "data.DatasetVersion", "dataset__organisation_id",
                 lambda o: f"{o.dataset.name} v{o.version}"),
        NodeKind("training_run", "training.TrainingRun", "job__organisation_id",
                 lambda o: f"run #{o.pk} ({o.job.trainer})"),
        NodeKind("model_version", "hub.ModelVersion", "model__organisation_id",
                 lambda o: f"{o.model.name} v{o.version}"),
        NodeKind("deployment", "inference.Deployment", "organisation_id", lambda o: f"deployment {o.name}"),
        NodeKind("prediction", "inference.PredictionRecord", "deployment__organisation_id",
                 lambda o: f"prediction #{o.pk}"),
    ]
}

MAX_DEPTH = 10
MAX_NODES = 2000


class UnknownNode(NotFound):
    pass


def kind_of(obj) -> str:
    label = f"{obj._meta.app_label}.{obj._meta.object_name}"
    for kind in NODE_KINDS.values():
        if kind.model == label:
            return kind.kind
    raise UnknownNode(f"{label} is not a lineage node kind")


def resolve(kind: str, ids):
    spec = NODE_KINDS.get(kind)
    if spec is None:
        raise UnknownNode(f"unknown node kind {kind!r}; kinds: {', '.join(NODE_KINDS)}")
    model = apps.get_model(spec.model)
    return {obj.pk: obj for obj in model.objects.filter(pk__in=ids)}


def org_ids(kind: str, ids):
    spec = NODE_KINDS[kind]
    model = apps.get_model(spec.model)
    return dict(model.objects.filter(pk__in=ids).values_list("pk", spec.org_field))


def walk(kind: str, node_id: int, *, depth: int = 3, direction: str = "both"):
    """Breadth-first from (kind, id). 'upstream' follows edges into the node (where it
    came from), 'downstream' edges out of it (what it produced); 'both' is the union
    of the two walks, so siblings reached by turning around midway are not included.
    Returns (nodes: set[(kind, id)], edges: list[LineageEdge], truncated: bool)."""
    if direction not in ("both", "upstream", "downstream"):
        raise ValueError("direction must be both, upstream or downstream")
    if kind not in NODE_KINDS:
        raise UnknownNode(f"unknown node kind {kind!r}; kinds: {', '.join(NODE_KINDS)}")
    depth = max(0, min(int(depth), MAX_DEPTH))
    start = (kind, int(node_id))
    nodes, edges, truncated = {start}, {}, False
    for way in (["upstream", "downstream"] if direction == "both" else [direction]):
        n, e, t = _walk_one(start, depth, way)
        nodes |= n
        edges.update(e)
        truncated = truncated or t
    return nodes, list(edges.values()), truncated


def _walk_one(start, depth, way):
    seen, edges, frontier, truncated = {start}, {}, [start], False
    for _ in range(depth):
        if not frontier:
            break
        by_kind = {}
        for k, i in frontier:
            by_kind.setdefault(k, []).append(i)
        cond = Q()
        for k, ids in by_kind.items():
            cond |= Q(src_kind=k, src_id__in=ids) if way == "downstream" else Q(dst_kind=k, dst_id__in=ids)
        frontier = []
        for edge in LineageEdge.objects.filter(cond):
            edges[edge.pk] = edge
            nxt = (edge.dst_kind, edge.dst_id) if way == "downstream" else (edge.src_kind, edge.src_id)
            if nxt in seen:
                continue
            if len(seen) >= MAX_NODES:
                truncated = True
                continue
            seen.add(nxt)
            frontier.append(nxt)
    if frontier and LineageEdge.objects.filter(
        Q(src_kind=frontier[0][0], src_id=frontier[0][1]) if way == "downstream"
        else Q(dst_kind=frontier[0][0], dst_id=frontier[0][1])
    ).exists():
        truncated = True
    return seen, edges, truncated
