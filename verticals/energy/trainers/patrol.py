"""energy.patrol_pipeline: line-patrol defect detection end to end. Generate a synthetic
patrol dataset (13 sub-categories under 8 top categories), import it, train and evaluate the
detector (core.detection), deploy it on cpu-onnxruntime, run it on a few fresh patrol images
and record what it finds as PatrolDefect events on a line of the organisation's grid graph
(the first grid imported, or params.graph; the first line by key, or params.line_key).

params: n_images (64), epochs (40), seed (0), patrol_images (6), threshold (0.3: the score a
detection needs to become a KG event), max_events_per_image (20), learning_rate (0.1), model_name, deployment_name,
graph (id), line_key."""
import hashlib
import json
from pathlib import Path

from django.db import transaction


def _patrol_target(org, p):
    """(graph, line_key) to attach events to, or (None, None) when the organisation has no grid."""
    from core.kg.models import Entity, Graph

    from ..models import Grid

    if p.get("graph"):
        graph = Graph.objects.get(pk=int(p["graph"]), organisation=org)
    else:
        grid = Grid.objects.filter(graph__organisation=org).select_related("graph").order_by("pk").first()
        graph = grid.graph if grid else None
    if graph is None:
        return None, None
    if p.get("line_key"):
        return graph, p["line_key"]
    keys = Entity.objects.filter(graph=graph, cls="Line").values_list("key", flat=True)
    keys = sorted(keys, key=lambda k: (len(k), k))  # line:2 before line:10
    return (graph, keys[0]) if keys else (None, None)


def patrol_pipeline(ctx):
    from core.data.actions.datasets import ensure_dataset
    from core.data.actions.importers import import_coco
    from core.hub.actions.registry import ensure_model
    from core.inference.actions.deployments import ensure_deployment
    from core.inference.actions.predict import predict
    from core.platform.verticals import registry
    from core.training.trainers.detection import train_within

    from ..actions.patrol import record_patrol_detections
    from ..lib.patrol import CLASSES, TOP_CATEGORIES
    from ..lib.synth.patrol import generate

    p = ctx.params
    seed, org, user = int(p.get("seed", 0)), ctx.organisation, ctx.acting_user
    threshold = float(p.get("threshold", 0.3))
    ctx.progress(0.0, "generating a synthetic line-patrol dataset (no real patrol images can be fetched)")
    info = generate(ctx.workdir / "dataset", n_images=int(p.get("n_images", 64)), seed=seed)
    ctx.log(f"generated {info['num_images']} images, {info['num_annotations']} defects: {info['per_class']}")
    with transaction.atomic():
        dataset = ensure_dataset(
            name="line-patrol-synthetic", organisation=org, kind="detection", vertical="energy", acting_user=user,
            description=f"Synthetic transmission-line patrol images: {len(CLASSES)} defect sub-categories under "
                        f"{len(TOP_CATEGORIES)} top categories (seeded).")
    dv = import_coco(ctx.workdir / "dataset", dataset=dataset, acting_user=user,
                     source_label=f"synthetic patrol_synth seed={seed}")
    name = p.get("model_name", "patrol-defect")
    model_type = "patrol_defect" if "energy.patrol_defect" in registry["model_types"] else ""
    model = ensure_model(
        name=name, organisation=org, title="Line-patrol defect detector", vertical="energy", model_type=model_type,
        published=True, acting_user=user, description="PicoDet-S 320 trained from scratch on synthetic patrol images.")

    train_params = {"dataset_version": dv.pk, "model_id": model.pk, "epochs": int(p.get("epochs", 40)),
                    "batch_size": int(p.get("batch_size", 8)), "learning_rate": float(p.get("learning_rate", 0.1)),
                    "seed": seed, "threshold": threshold}
    trained, version = train_within(ctx, train_params)

    ctx.progress(0.93, "deploying on cpu-onnxruntime")
    dep_name = p.get("deployment_name", "patrol-detector")
    dep = ensure_deployment(name=dep_name, organisation=org, model_version=version, profile="cpu-onnxruntime",
                            acting_user=user, config={"min_score": min(0.05, threshold)})

    graph, line_key = _patrol_target(org, p)
    n_patrol = int(p.get("patrol_images", 6))
    predictions, events = 0, []
    if n_patrol:
        ctx.progress(0.95, f"patrolling {n_patrol} fresh synthetic images"
                           + (f" on {graph.name} {line_key}" if graph else " (no grid imported: no KG events)"))
        batch = generate(ctx.workdir / "patrol", n_images=n_patrol, seed=seed + 1000)
        doc = json.loads(Path(batch["annotations"]).read_text())
        for im in doc["images"]:
            data = (Path(batch["path"]) / "images" / im["file_name"]).read_bytes()
            result = predict(dep, {"image": data}, acting_user=user)
            predictions += 1
            if graph is not None:
                created = record_patrol_detections(
                    result["detections"], graph=graph, line_key=line_key, image_sha256=hashlib.sha256(data).hexdigest(),
                    acting_user=user, threshold=threshold, prediction_id=result["prediction_id"],
                    model_version=version.pk, source=f"patrol/{dep.name}/{im['file_name']}",
                    max_events=int(p.get("max_events_per_image", 20)))
                events.extend(e.key for e in created)
        ctx.log(f"{predictions} patrol images, {len(events)} defects recorded as KG events")
    return {"dataset_version": dv.pk, "model_version": version.pk, "deployment": dep.pk,
            "graph": graph.pk if graph else None, "line": line_key, "predictions": predictions, "events": events,
            "metrics": trained["metrics"]}
