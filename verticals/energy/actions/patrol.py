"""Energy writes: defects a patrol-image detector finds become knowledge-graph events
(PatrolDefect, a kind of Event; ontology.py) attached to the line or tower they were
seen on."""
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from core.kg.actions.imports import import_triples
from core.kg.lib.triples import EntityRow, RelationRow
from core.kg.models import Entity
from core.kg.ontologies import get_ontology
from core.platform.actions.audit import record

from ..lib.patrol import CATEGORY_TREE, defect_key


def record_patrol_detections(result_detections, *, graph, image_sha256, acting_user, line_key=None, tower_key=None,
                             threshold=0.5, at=None, prediction_id=None, model_version=None, source="",
                             max_events=None):
    """Adds one PatrolDefect entity per detection scoring at least `threshold`, each
    `observed_on` the line (line_key) or tower (tower_key), as one audited KG batch, and an
    energy.patrol.record audit event. Detections are predict's {"label", "score",
    "box": [x1, y1, x2, y2]}. Recording the same image twice adds nothing the second time.
    max_events keeps only the best-scoring ones. Returns the created entities (by score)."""
    if (line_key is None) == (tower_key is None):
        raise ValidationError({"target": "give exactly one of line_key and tower_key"})
    target_key, target_cls = (line_key, "Line") if line_key is not None else (tower_key, "Tower")
    onto = get_ontology(graph.vertical)
    if "PatrolDefect" not in onto.classes or "observed_on" not in onto.relations:
        raise ValidationError({"graph": f"the {graph.vertical!r} ontology has no PatrolDefect / observed_on "
                                        "(see verticals.energy.ontology.PATROL)"})
    target = Entity.objects.filter(graph=graph, key=target_key).first()
    if target is None or target.cls not in onto.classes or not onto.is_a(target.cls, target_cls):
        raise ValidationError({"target": f"{graph.name} has no {target_cls} {target_key!r}"})
    if not 0 <= float(threshold) <= 1:
        raise ValidationError({"threshold": "must be between 0 and 1"})
    at = (at or timezone.now()).isoformat()
    kept = sorted((d for d in result_detections if float(d["score"]) >= float(threshold)), key=lambda d: -d["score"])
    kept = kept[:max_events] if max_events is not None else kept
    keys = [defect_key(image_sha256, i) for i in range(len(kept))]
    entities, relations = [], []
    with transaction.atomic():
        existing = set(Entity.objects.filter(graph=graph, key__in=keys).values_list("key", flat=True))
        for key, d in zip(keys, kept):
            if key in existing:
                continue
            sub = d["label"]
            top = CATEGORY_TREE.get(sub, "other")
            attrs = {"at": at, "category": top, "sub_category": sub, "score": round(float(d["score"]), 5),
                     "box": [round(float(v), 1) for v in d["box"]], "image_sha256": image_sha256,
                     "description": f"{top} / {sub} on {target_key}"}
            if prediction_id is not None:
                attrs["prediction_id"] = int(prediction_id)
            if model_version is not None:
                attrs["model_version"] = int(model_version)
            entities.append(EntityRow(key=key, cls="PatrolDefect", name=f"{sub} ({d['score']:.2f})", attributes=attrs))
            relations.append(RelationRow(type="observed_on", src=key, dst=target_key))
        if not entities:
            return []
        src = source or f"patrol image {image_sha256[:12]}"
        import_triples(graph, entities=entities, relations=relations, acting_user=acting_user, source=src,
                       audit_data={"patrol": True})
        created = list(Entity.objects.filter(graph=graph, key__in=[e.key for e in entities]))
        record("energy.patrol.record", acting_user=acting_user, organisation=graph.organisation, obj=target,
               data={"graph": graph.pk, "target": target_key, "image_sha256": image_sha256,
                     "defects": [[e.attributes["category"], e.attributes["sub_category"], e.attributes["score"]]
                                 for e in entities], "threshold": float(threshold)})
    created.sort(key=lambda e: -e.attributes["score"])
    return created
