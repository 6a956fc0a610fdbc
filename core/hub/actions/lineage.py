from ..lineage import NODE_KINDS, UnknownNode, kind_of
from ..models import LineageEdge

RELATIONS = {"input_to", "produced", "deployed_as", "served", "derived_from", "evaluated_on"}


def link(src, dst, relation):
    """Record that src -> dst (e.g. dataset_version -input_to-> training_run). Objects
    or (kind, id) pairs. Idempotent; callers run it inside their own transaction."""
    if relation not in RELATIONS:
        raise ValueError(f"unknown lineage relation {relation!r}; known: {', '.join(sorted(RELATIONS))}")
    (sk, si), (dk, di) = _node(src), _node(dst)
    edge, _ = LineageEdge.objects.get_or_create(src_kind=sk, src_id=si, dst_kind=dk, dst_id=di, relation=relation)
    return edge


def _node(value):
    if isinstance(value, tuple):
        kind, pk = value
        if kind not in NODE_KINDS:
            raise UnknownNode(f"unknown node kind {kind!r}")
        return kind, int(pk)
    return kind_of(value), int(value.pk)
