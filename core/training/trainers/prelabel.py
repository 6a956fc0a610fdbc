"""Pre-labelling (the job core.prelabel): a hub model version of the detection task proposes
boxes for a labelling project's open tasks; each proposal keeps the model version it came
from, and annotators take (A), correct or ignore it. The model runs under a deployment
profile through the inference engine (verified bundle, the task's codec), as served models do.

params: project (id), model_version (id), profile ("cpu-onnxruntime"), min_score (0.3),
limit (every open task): at most this many tasks, in image order."""
from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.db import transaction

DEFAULT_PROFILE = "cpu-onnxruntime"
OPEN = ("todo", "sent_back")


def _inputs(params, organisation, acting_user, need_version=True):
    from core.data.actions.labelling import visible_projects
    from core.hub.queries import visible_versions
    from core.inference.profiles import UnknownProfile, get_profile

    try:
        project = visible_projects(acting_user).get(pk=int(params.get("project")))
    except (TypeError, ValueError, ObjectDoesNotExist):
        raise ValidationError({"project": "name a labelling project visible to you (params.project)"}) from None
    if project.organisation_id != organisation.pk:
        raise ValidationError({"project": f"the project belongs to {project.organisation}; run the job there"})
    version = None
    if need_version:
        try:
            version = visible_versions(acting_user).select_related("model").get(pk=int(params.get("model_version")))
        except (TypeError, ValueError, ObjectDoesNotExist):
            raise ValidationError({"model_version": "name a model version visible to you"}) from None
    try:
        profile = get_profile(params.get("profile", DEFAULT_PROFILE))
    except UnknownProfile as exc:
        raise ValidationError({"profile": str(exc)}) from None
    return project, version, profile


def _inside(detection, width, height):
    """A detection as a label box clipped to the image (what an annotator can save), or None
    where less than a pixel of it lies inside."""
    x1, y1, x2, y2 = detection["box"]
    x1, y1 = max(0.0, min(x1, width)), max(0.0, min(y1, height))
    x2, y2 = max(0.0, min(x2, width)), max(0.0, min(y2, height))
    if x2 - x1 < 1 or y2 - y1 < 1:
        return None
    return {"category": detection["label"], "bbox": [round(x1, 2), round(y1, 2), round(x2 - x1, 2), round(y2 - y1, 2)]}


def check_prelabel(params, *, organisation, acting_user):
    _inputs(params, organisation, acting_user)


class Detector:
    """A detection model version loaded under a profile (verified bundle, the task's codec), as
    the pre-labelling and active-learning jobs run it on a project's images."""

    def __init__(self, ctx, version, profile, use):
        from core.inference import engine
        from core.inference.codecs import codec_for

        ctx.progress(0.02, f"loading {version.model.name} v{version.version} under {profile.name}")
        self.loaded = engine.get_loaded(version, profile)
        task = self.loaded.manifest.get("task") or ""
        if task != "detection":
            raise ValueError(f"{version.model.name} v{version.version} is a {task!r} model; {use} needs a "
                             "detection model")
        self.codec = codec_for(self.loaded)
        self.labels = self.loaded.manifest.get("labels", [])

    def detections(self, image_bytes, min_score):
        from core.inference import engine
        from core.inference.actions.predict import run_codec

        _, decoded = run_codec(self.codec, self.loaded, {"image": image_bytes}, {"min_score": min_score}, engine.run)
        return decoded.answer["detections"]


def prelabel(ctx):
    from core.data import gallery
    from core.data.lib.packaging import IMAGES_DIR
    from core.data.models import LabelTask

    project, version, profile = _inputs(ctx.params, ctx.organisation, ctx.acting_user)
    min_score = float(ctx.params.get("min_score", 0.3))
    detector = Detector(ctx, version, profile, "pre-labelling boxes")
    schema = set(project.classes)
    outside = {label for label in detector.labels if label not in schema}
    if outside:
        ctx.log(f"the model's classes {sorted(outside)} are not in the project's schema: their boxes are dropped")
    tasks = list(LabelTask.objects.filter(project=project, status__in=OPEN).order_by("sample_id"))
    if ctx.params.get("limit"):
        tasks = tasks[:int(ctx.params["limit"])]
    folder = gallery.materialize(project.source) / IMAGES_DIR
    samples = gallery.samples_of(project.source).by_id
    done = boxes = 0
    for n, task in enumerate(tasks):
        sample = samples[task.sample_id]
        proposals = [box for d in detector.detections((folder / task.file_name).read_bytes(), min_score)
                     if d["label"] in schema
                     for box in [_inside(d, sample.width, sample.height)] if box is not None]
        with transaction.atomic():
            LabelTask.objects.filter(pk=task.pk, status__in=OPEN).update(prelabels=proposals, prelabel_model=version)
        done, boxes = done + 1, boxes + len(proposals)
        ctx.progress(0.05 + 0.9 * (n + 1) / max(1, len(tasks)), f"{task.file_name}: {len(proposals)} boxes")
    ctx.log(f"pre-labelled {done} tasks with {boxes} boxes (min score {min_score})")
    return {"project": project.pk, "model_version": version.pk, "tasks": done, "boxes": boxes}
