"""The lineage graph of a node as plain data, filtered to what the user may see.
Shared by the API and the pages."""
from . import lineage
from .queries import visible_models


def node_key(kind, pk):
    return f"{kind}:{pk}"


def lineage_graph(user, kind, node_id, *, depth=3, direction="both"):
    """Raises lineage.UnknownNode for a bad kind or a node that does not exist or
    that the user may not see (the caller answers 404 either way)."""
    from core.platform import access
    from core.platform.lib import roles

    if kind not in lineage.NODE_KINDS:
        raise lineage.UnknownNode(f"unknown node kind {kind!r}; kinds: {', '.join(lineage.NODE_KINDS)}")
    start = lineage.resolve(kind, [node_id]).get(int(node_id))
    if start is None or not _visible(user, kind, [start], access.org_ids_with(user, roles.READ)).get(start.pk):
        raise lineage.UnknownNode(f"no {kind} {node_id} visible to you")
    nodes, edges, truncated = lineage.walk(kind, node_id, depth=depth, direction=direction)
    by_kind = {}
    for k, pk in nodes:
        by_kind.setdefault(k, []).append(pk)
    readable = access.org_ids_with(user, roles.READ)
    out_nodes, hidden = [], 0
    shown = set()
    for k, ids in by_kind.items():
        objs = lineage.resolve(k, ids)
        allowed = _visible(user, k, objs.values(), readable)
        for pk in ids:
            obj = objs.get(pk)
            if obj is None or not allowed.get(pk):
                hidden += 1
                continue
            shown.add((k, pk))
            out_nodes.append({
                "id": node_key(k, pk), "kind": k, "pk": pk, "label": lineage.NODE_KINDS[k].label(obj),
                "start": (k, pk) == (kind, int(node_id)), "detail": _detail(k, obj),
            })
    out_edges = [
        {"source": node_key(e.src_kind, e.src_id), "target": node_key(e.dst_kind, e.dst_id), "relation": e.relation}
        for e in edges
        if (e.src_kind, e.src_id) in shown and (e.dst_kind, e.dst_id) in shown
    ]
    out_nodes.sort(key=lambda n: (list(lineage.NODE_KINDS).index(n["kind"]), n["pk"]))
    return {"start": node_key(kind, node_id), "depth": depth, "direction": direction, "nodes": out_nodes,
            "edges": out_edges, "hidden": hidden, "truncated": truncated}


def _visible(user, kind, objs, readable):
    objs = list(objs)
    if kind == "model_version":
        ok_models = set(visible_models(user).filter(pk__in=[o.model_id for o in objs]).values_list("pk", flat=True))
        return {o.pk: o.model_id in ok_models for o in objs}
    orgs = lineage.org_ids(kind, [o.pk for o in objs])
    return {o.pk: orgs.get(o.pk) in readable for o in objs}


def _detail(kind, obj):
    if kind == "model_version":
        return {"model": obj.model.name, "version": obj.version, "artifact": obj.artifact_id,
                "metrics": obj.metrics}
    if kind == "dataset_version":
        return {"dataset": obj.dataset.name, "version": obj.version, "sha256": obj.artifact_id,
                "records": obj.num_records}
    if kind == "training_run":
        return {"job": obj.job_id, "trainer": obj.job.trainer, "code_revision": obj.code_revision,
                "seed": obj.seed}
    if kind == "deployment":
        return {"name": obj.name, "profile": obj.profile, "status": obj.status}
    if kind == "prediction":
        return {"deployment": obj.deployment_id, "model_version": obj.model_version_id,
                "at": obj.created_at.isoformat(), "input_sha256": obj.input_sha256}
    return {}
