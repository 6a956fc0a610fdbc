"""city.traffic_pipeline: the road-user detector for video structuring, end to end.

No pretrained vehicle detector can be fetched on an air-gapped site, so this renders a
synthetic street dataset (verticals.city.lib.traffic_synth: person, car, bus, truck, covered
and uncovered muck trucks), imports it as a dataset version, trains and evaluates a PicoDet-S
320 through the core detector trainer (core.training.trainers.detection: held-out split,
mAP@0.5, mAP@.5:.95 and per-class AP@0.5 measured on the exported model through the engine),
registers the model version with its lineage, deploys it on cpu-onnxruntime and, as a check
closer to real use, runs the deployment on the frames of a fresh rendered clip (moving
traffic, occlusion, MJPG-like compression) and reports mAP@0.5 there too.

params:
    n_images (240)        street images rendered for training + validation
    epochs (40)           training epochs
    seed (0)              dataset, split and training seed
    learning_rate (0.1)   base learning rate (cosine decay after a linear warm-up)
    batch_size (8)
    threshold (0.3)       reject threshold for the core's line metrics; deployment min_score
    check_seconds (4)     length of the fresh clip scored after deployment (0: skip)
    model_name ("vehicle-detector"), deployment_name ("vehicle-detector")
"""
import json

from django.db import transaction

DATASET_NAME = "street-traffic-synthetic"


def _clip_check(dep, *, seconds, seed, acting_user, min_visible):
    """mAP@0.5 of the deployed model on the frames of a fresh clip (every other frame at 5 FPS)."""
    from core.inference.actions.predict import predict
    from core.inference.backends.opencv.images import encode_jpeg
    from core.training.detection.metrics import coco_metrics

    from ..lib.synth.traffic import CATEGORY_IDS, CLASSES, HEIGHT, WIDTH, iter_clip

    gt = {"images": [], "annotations": [], "categories": [{"id": CATEGORY_IDS[c], "name": c} for c in CLASSES]}
    detections = {}
    for frame, truth in iter_clip(seconds=seconds, fps=5, seed=seed):
        image_id = truth["frame"] + 1
        gt["images"].append({"id": image_id, "width": WIDTH, "height": HEIGHT, "file_name": f"{image_id}.jpg"})
        for o in truth["objects"]:
            if o["visible"] < min_visible:
                continue
            x1, y1, x2, y2 = o["box"]
            gt["annotations"].append({"id": len(gt["annotations"]) + 1, "image_id": image_id,
                                      "category_id": CATEGORY_IDS[o["cls"]], "bbox": [x1, y1, x2 - x1, y2 - y1],
                                      "area": (x2 - x1) * (y2 - y1), "iscrowd": 0})
        result = predict(dep, {"image": encode_jpeg(frame, 90)}, acting_user=acting_user)
        detections[image_id] = result["detections"]
    metrics = coco_metrics(gt, detections)
    metrics["frames"] = len(gt["images"])
    metrics["objects"] = len(gt["annotations"])
    return metrics


def traffic_pipeline(ctx):
    from core.data.actions.datasets import ensure_dataset
    from core.data.actions.importers import import_coco
    from core.hub.actions.registry import ensure_model
    from core.inference.actions.deployments import ensure_deployment
    from core.platform.verticals import registry
    from core.training.trainers.detection import train_within

    from ..lib.synth.traffic import CLASSES, MIN_VISIBLE, generate_dataset

    p = ctx.params
    seed, org, user = int(p.get("seed", 0)), ctx.organisation, ctx.acting_user
    threshold = float(p.get("threshold", 0.3))
    n_images = int(p.get("n_images", 240))
    if not 4 <= n_images <= 20000:
        raise ValueError(f"params.n_images={n_images} is outside 4..20000")
    ctx.progress(0.0, "rendering a synthetic street dataset (no labelled traffic footage can be fetched)")
    info = generate_dataset(ctx.workdir / "dataset", n_images=n_images, seed=seed)
    ctx.log(f"rendered {info['num_images']} street images, {info['num_annotations']} road users "
            f"({info['empty_images']} empty): {info['per_class']}")
    with transaction.atomic():
        dataset = ensure_dataset(
            name=DATASET_NAME, organisation=org, kind="detection", vertical="city", acting_user=user,
            description=f"Synthetic fixed-camera street scenes at 640x360: {', '.join(CLASSES)} (seeded).")
    dv = import_coco(ctx.workdir / "dataset", dataset=dataset, acting_user=user,
                     source_label=f"synthetic traffic_synth seed={seed} n_images={n_images}")

    name = p.get("model_name", "vehicle-detector")
    model_type = "vehicle_detector" if "city.vehicle_detector" in registry["model_types"] else ""
    model = ensure_model(
        name=name, organisation=org, title="Road-user detector (incl. muck trucks)", vertical="city",
        model_type=model_type, published=True, acting_user=user,
        description="PicoDet-S 320 trained from scratch on synthetic street scenes; classes "
                    + ", ".join(CLASSES) + ".")

    train_params = {"dataset_version": dv.pk, "model_id": model.pk, "epochs": int(p.get("epochs", 40)),
                    "batch_size": int(p.get("batch_size", 8)), "learning_rate": float(p.get("learning_rate", 0.1)),
                    "seed": seed, "threshold": threshold}
    trained, version = train_within(ctx, train_params)

    ctx.progress(0.93, "deploying on cpu-onnxruntime")
    dep_name = p.get("deployment_name", "vehicle-detector")
    dep = ensure_deployment(name=dep_name, organisation=org, model_version=version, profile="cpu-onnxruntime",
                            acting_user=user, config={"min_score": min(0.05, threshold)})
    if dep.model_version_id != version.pk:
        ctx.log(f"deployment {dep_name!r} exists and still serves version {dep.model_version_id}; "
                f"the new version {version.pk} is registered but not deployed")

    result = {"dataset_version": dv.pk, "model_version": version.pk, "deployment": dep.pk,
              "dataset": info["per_class"], "metrics": trained["metrics"]}
    seconds = float(p.get("check_seconds", 4))
    if seconds > 0 and dep.model_version_id == version.pk:
        ctx.progress(0.96, f"scoring the deployment on a fresh {seconds:g} s clip")
        clip = _clip_check(dep, seconds=seconds, seed=seed + 1000, acting_user=user, min_visible=MIN_VISIBLE)
        ctx.log(f"fresh clip: mAP@0.5 {clip['map50']:.3f} over {clip['frames']} frames, {clip['objects']} objects; "
                f"per class {json.dumps(clip['ap50_per_class'])}")
        result["clip_metrics"] = clip
    return result
