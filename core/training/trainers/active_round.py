"""An active-learning round (the job core.active_round): the project's latest detector (a hub
model version trained, as any other, on a version cut from the accepted labels) looks at every
open task not yet queued, and a strategy of core.data.lib.active picks the next batch; those
tasks get the round's number and a priority, and annotators see them first.

A detector gives no class distribution per image, so an image's uncertainty is read from its
least decided box: the box whose score is nearest 0.5 gives the probabilities [s, 1 - s] the
uncertainty strategies score (an image with no box above 0.05 counts as surely empty). The
diversity strategies use a 16x16 grey thumbnail of each image as its features.

params: project (id), model_version (id), strategy ("entropy"; see STRATEGIES), batch_size (20),
profile ("cpu-onnxruntime"), seed (0); or, instead of model_version, train ({"model_name",
"epochs" (8)}): the round first cuts a version from the accepted labels and trains a detector on
it (core.detection, in this job: its run and the new model version in lineage), then scores the
pool with that model — a whole round in one job."""
import io

import numpy as np
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max

from .prelabel import OPEN, Detector, _inputs

MIN_SCORE = 0.05
THUMB = 16


def _round_params(params, organisation, acting_user):
    from core.data.lib.active import STRATEGIES

    if isinstance(params.get("train"), dict):
        project, version, profile = _inputs({**params, "model_version": None}, organisation, acting_user,
                                            need_version=False)
    else:
        project, version, profile = _inputs(params, organisation, acting_user)
    strategy = params.get("strategy", "entropy")
    if strategy not in STRATEGIES:
        raise ValidationError({"strategy": f"strategy must be one of {', '.join(STRATEGIES)}"})
    try:
        batch = int(params.get("batch_size", 20))
    except (TypeError, ValueError):
        batch = 0
    if not 1 <= batch <= 1000:
        raise ValidationError({"batch_size": "batch_size is a whole number from 1 to 1000"})
    return project, version, profile, strategy, batch


def check_active_round(params, *, organisation, acting_user):
    _round_params(params, organisation, acting_user)


def _train(ctx, project, spec):
    """Cut a version from the accepted labels and train a detector on it within this job."""
    from core.data.actions.labelling import cut_version
    from core.hub.actions.registry import ensure_model

    from .detection import train_within

    cut = cut_version(project, acting_user=ctx.acting_user)
    ctx.log(f"cut {cut.dataset.name} v{cut.version} from {cut.num_records} accepted images")
    model = ensure_model(name=str(spec.get("model_name") or f"{project.name}-detector")[:100],
                         organisation=project.organisation, acting_user=ctx.acting_user,
                         title=f"Detector of labelling project {project.name}", model_type="detection")
    _, version = train_within(ctx, {"dataset_version": cut.pk, "model_id": model.pk,
                                    "epochs": int(spec.get("epochs", 8)), "batch_size": 8,
                                    "seed": int(ctx.params.get("seed", 0))})
    ctx.log(f"trained {model.name} v{version.version} for this round")
    return version


def image_probas(detections):
    """[s, 1 - s] of the least decided box (score nearest 0.5), or [0.99, 0.01] without a box."""
    scores = [d["score"] for d in detections if d["score"] >= MIN_SCORE]
    if not scores:
        return [0.99, 0.01]
    s = min(scores, key=lambda v: abs(v - 0.5))
    return [s, 1.0 - s]


def active_round(ctx):
    from PIL import Image

    from core.data import gallery
    from core.data.lib.active import query, uncertainty
    from core.data.lib.packaging import IMAGES_DIR
    from core.data.models import LabelTask

    project, version, profile, strategy, batch = _round_params(ctx.params, ctx.organisation, ctx.acting_user)
    if version is None:
        version = _train(ctx, project, ctx.params["train"])
    detector = Detector(ctx, version, profile, "an active-learning round")
    tasks = list(LabelTask.objects.filter(project=project).order_by("sample_id"))
    folder = gallery.materialize(project.source) / IMAGES_DIR
    # every task is a row; only open, unqueued ones may be picked (the rest count as "labelled")
    candidate = np.array([t.status in OPEN and t.round is None for t in tasks])
    if not candidate.any():
        raise ValueError("no open task is left to queue")
    features, probas = [], []
    for n, task in enumerate(tasks):
        data = (folder / task.file_name).read_bytes()  # read once: the thumbnail and the model both use it
        with Image.open(io.BytesIO(data)) as im:
            features.append(np.asarray(im.convert("L").resize((THUMB, THUMB)), dtype=float).ravel() / 255.0)
        if candidate[n] and strategy != "random":
            probas.append(image_probas(detector.detections(data, MIN_SCORE)))
        else:
            probas.append([0.99, 0.01])
        ctx.progress(0.05 + 0.85 * (n + 1) / len(tasks), task.file_name)
    seed = int(ctx.params.get("seed", 0))
    picked = query(strategy, features=np.array(features), labelled=~candidate, batch_size=batch,
                   probas=np.array(probas), seed=seed)
    utility = uncertainty(np.array(probas), "entropy")
    with transaction.atomic():
        number = (LabelTask.objects.filter(project=project).aggregate(m=Max("round"))["m"] or 0) + 1
        for rank, i in enumerate(picked):
            LabelTask.objects.filter(pk=tasks[i].pk, status__in=OPEN, round__isnull=True).update(
                round=number, priority=round(float(utility[i]) + (len(picked) - rank) * 1e-6, 6))
    ctx.log(f"round {number}: {len(picked)} tasks queued by {strategy} with {version.model.name} v{version.version}")
    return {"project": project.pk, "round": number, "strategy": strategy, "model_version": version.pk,
            "trained": isinstance(ctx.params.get("train"), dict),
            "queued": [tasks[i].file_name for i in picked]}
