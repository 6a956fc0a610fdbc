"""core.image_classification: train an image classifier (ppdet's PP-LCNet backbone, pooled, a
linear head) on a classification dataset version in a child process
(core/training/classification/run.py), export it (Paddle PIR + ONNX, softmax probabilities),
evaluate the exported model through the inference engine on a stratified validation split,
and register a model version with lineage.

params: dataset_version (id, required: a "classification" dataset with at least two classes
and two labelled images per class), model_id (optional: register a version), pretrained
("auto": the newest preset backbone the organisation sees, of the width asked for if `scale` is
given; "none"; or a preset version id — see core/training/presets.py), epochs (10), batch_size
(32), optimizer ("adamw" or "momentum"), learning_rate (by optimizer: 0.01 and 0.1 from
scratch, 0.002 and 0.02 from a preset), input_size (96 px; smaller images are upscaled), scale
(PP-LCNet width 0.25/0.5/0.75/1.0: the preset's when one is used, else 0.5), seed (0),
val_fraction (0.2), threads (2), crop_scale (0.75: the smallest area of the random resized
crop, 1 for none), flip (false: digits and text must not be mirrored; most parts may be),
dropout (0.2), weight_decay (by optimizer: 0.01 for "adamw", 4e-5 for "momentum") and
freeze_backbone_epochs (0: with a preset, epochs that train only the head first).

A weights file given as a path is not a job parameter (a pickle from an arbitrary path is no
thing for an API caller to name): Python callers that know their file pass
pretrained_backbone= to the trainer or to train_within.

The version's metrics: accuracy, macro_f1, per_class (precision, recall, f1, support),
confusion_matrix (labels, rows true, columns predicted), worst (up to 12 validation images with
the lowest probability on their true class), val_images, history (per epoch: loss, training
and validation accuracy), loss_first/loss_last."""
import json
from dataclasses import dataclass, field
from pathlib import Path

from django.core.exceptions import ValidationError

from ..classification.run import OPTIMIZERS, SCALES, default_learning_rate
from ..lib import image_classes
from .classification_bundle import (
    CLASSIFICATION,
    describe,
    evaluate_bundle,
    package,
    sha256_of,
)
from .classification_child import run_child
from .detection import _flag

DEFAULT_SCALE = 0.5
PARAM_DEFAULTS = {"pretrained": "auto", "epochs": 10, "batch_size": 32, "learning_rate": None, "optimizer": "adamw",
                  "input_size": 96, "scale": None, "seed": 0, "val_fraction": 0.2, "threads": 2, "crop_scale": 0.75,
                  "flip": False, "dropout": 0.2, "freeze_backbone_epochs": 0, "weight_decay": None}
LIMITS = {"epochs": (1, 500), "batch_size": (2, 256), "learning_rate": (1e-5, 1.0), "input_size": (32, 448),
          "val_fraction": (0.05, 0.5), "threads": (1, 64), "crop_scale": (0.08, 1.0), "dropout": (0.0, 0.9),
          "freeze_backbone_epochs": (0, 500), "seed": (0, 2 ** 31 - 1), "weight_decay": (0.0, 1.0)}
WHOLE = ("epochs", "batch_size", "input_size", "threads", "freeze_backbone_epochs", "seed")
MAX_CLASSES = 1000


def check_params(params: dict) -> dict:
    """The job's params with defaults filled in; ValueError naming the first bad one."""
    if "pretrained_backbone" in params:
        raise ValueError("params.pretrained_backbone is not a job parameter: name a preset backbone version in "
                         "params.pretrained (or auto, or none)")
    out = {**PARAM_DEFAULTS, **params}
    if out.get("dataset_version") in (None, ""):
        raise ValueError("params.dataset_version is required")
    for key, (lo, hi) in LIMITS.items():
        if out[key] is None:
            continue
        try:
            value = float(out[key])
        except (TypeError, ValueError):
            raise ValueError(f"params.{key}={out[key]!r} is not a number") from None
        if not lo <= value <= hi:
            raise ValueError(f"params.{key}={out[key]} is outside {lo}..{hi}")
        if key in WHOLE and value != int(value):
            raise ValueError(f"params.{key}={out[key]} is not a whole number")
        out[key] = int(value) if key in WHOLE else value
    if out["freeze_backbone_epochs"] > out["epochs"]:
        raise ValueError(f"params.freeze_backbone_epochs={out['freeze_backbone_epochs']} is more than the "
                         f"{out['epochs']} epochs")
    if out["optimizer"] not in OPTIMIZERS:
        raise ValueError(f"params.optimizer={out['optimizer']!r} is not one of {', '.join(OPTIMIZERS)}")
    if out["scale"] is not None:
        try:
            out["scale"] = float(out["scale"])
        except (TypeError, ValueError):
            out["scale"] = None
        if out["scale"] not in SCALES:
            raise ValueError(f"params.scale={params.get('scale')!r} is not one of {', '.join(map(str, SCALES))}")
    if str(out["pretrained"]) not in ("auto", "none") and not str(out["pretrained"]).isdigit():
        raise ValueError(f"params.pretrained={out['pretrained']!r} is not auto, none or a preset version id")
    out["flip"] = _flag("flip", out["flip"])
    return out


def _kind_problem(dv):
    if dv.dataset.kind != CLASSIFICATION:
        return (f"dataset {dv.dataset.name!r} is of kind {dv.dataset.kind!r}; image classification trains on a "
                f"{CLASSIFICATION!r} dataset (class folders of images)")
    return None


def _count_problems(dv, counts):
    found = image_classes.problems(counts)
    if len(counts) > MAX_CLASSES:
        found.append(f"{len(counts)} classes: at most {MAX_CLASSES}")
    return f"{dv.dataset.name} v{dv.version}: " + "; ".join(found) if found else None


def read_dataset(dv):
    """(folder, labels, items, skipped) of a classification dataset version, or ValueError
    saying why a classifier cannot be trained on it."""
    from core.data.materialize import materialize

    if problem := _kind_problem(dv):
        raise ValueError(problem)
    folder = materialize(dv)
    labels, items, skipped = image_classes.usable_items(json.loads((folder / "annotations.json").read_text()))
    if problem := _count_problems(dv, image_classes.class_counts(labels, items)):
        raise ValueError(problem)
    return folder, labels, items, skipped


def dataset_problem(dv):
    """Why `dv` cannot make a classifier, or None. An imported version's statistics count its
    images per class, so a submission need not unpack a large set to check it; a version cut
    from a labelling project has no such count and is read."""
    if problem := _kind_problem(dv):
        return problem
    counts = (dv.stats or {}).get("per_class")
    if isinstance(counts, dict) and counts and all(isinstance(n, int) for n in counts.values()):
        return _count_problems(dv, counts)
    try:
        read_dataset(dv)
    except ValueError as exc:
        return str(exc)
    return None


def check_image_classification(params, *, organisation, acting_user):
    """At submission (after check_inputs has held dataset_version, model_id and pretrained to
    the job's line): the params, the dataset's kind and classes, the preset's width."""
    from ..actions.inputs import dataset_version
    from ..presets import resolve

    try:
        p = check_params(params)
    except ValueError as exc:
        raise ValidationError({"params": str(exc)}) from None
    dv = dataset_version(p["dataset_version"], organisation=organisation, acting_user=acting_user)
    if problem := dataset_problem(dv):
        raise ValidationError({"dataset_version": problem})
    preset = resolve(p["pretrained"], organisation=organisation, acting_user=acting_user) \
        if str(p["pretrained"]) != "auto" else None
    if preset is not None and p["scale"] is not None and float(preset.params.get("scale", 1.0)) != p["scale"]:
        raise ValidationError({"params": f"scale={p['scale']} but preset {preset.pk} is PP-LCNet "
                                         f"x{preset.params.get('scale')}: leave scale out or name another preset"})


@dataclass
class Trained:
    bundle: Path
    metrics: dict
    labels: list
    params: dict                                 # the job's params as resolved (scale, rate, preset)
    stopped: bool = False                        # report() asked to stop before the last epoch
    preset: dict | None = field(default=None)    # {"version", "scale", ...} when fine-tuned from one
    # What the evaluation saw, for the version's evaluation record
    val_items: list = field(default_factory=list)
    probabilities: object = None                 # [validation images, classes] as served
    folder: Path | None = None


def image_classification(ctx, pretrained_backbone=None):
    p = check_params(ctx.params)
    dv = ctx.dataset_version()
    trained = train_classifier(ctx, dv, p, pretrained_backbone=pretrained_backbone)
    result = {"metrics": trained.metrics, "bundle_sha256": sha256_of(trained.bundle)}
    if p.get("model_id"):
        model = ctx.target_model()
        start = (f"fine-tuned from preset backbone version {trained.preset['version']}"
                 if trained.preset and trained.preset.get("version") else
                 "fine-tuned from a given backbone" if trained.preset else "trained from scratch")
        version = ctx.register_model_version(
            model, trained.bundle, metrics=trained.metrics, params={**trained.params, "labels": trained.labels},
            description=f"{describe(trained.params)}, {start} on {dv}")
        result["model_version"] = version.pk
        record_evaluation(ctx, version, trained, dv)
    return result


def record_evaluation(ctx, version, trained, dv):
    """The version's evaluation record (confusion matrix, per-class precision and recall, the
    worst validation images as thumbnails), from what train_classifier measured."""
    from ..evaluations import record_classification_evaluation

    return record_classification_evaluation(ctx, version, trained.val_items, trained.probabilities,
                                            trained.labels, trained.folder, dv)


def train_within(ctx, params, pretrained_backbone=None):
    """core.image_classification run inside another trainer's job (same log, progress and
    lineage), with `params` in place of the job's own while it runs. Returns (its result, the
    ModelVersion it registered: params must name a model_id)."""
    from core.hub.models import ModelVersion

    outer = ctx.params
    ctx.params = params
    try:
        trained = image_classification(ctx, pretrained_backbone=pretrained_backbone)
    finally:
        ctx.params = outer
    return trained, ModelVersion.objects.get(pk=trained["model_version"])


def train_classifier(ctx, dv, p, *, report=None, pretrained_backbone=None) -> Trained:
    """Train, export, package and evaluate on `dv` with checked params `p`, in the job ctx.
    report(epoch, validation accuracy) -> False stops the training at its next step (a search
    pruning a trial); what was trained so far is exported and evaluated as usual."""
    ctx.progress(0.01, f"materialising {dv} ({dv.artifact_id[:12]})")
    folder, labels, items, skipped = read_dataset(dv)
    train, val = image_classes.stratified_split(items, val_fraction=p["val_fraction"], seed=p["seed"])
    ctx.log(f"split {len(train)} train / {len(val)} val images, {len(labels)} classes {labels}"
            + (f"; {skipped} images without exactly one class left out" if skipped else ""))
    work = ctx.workdir
    p = dict(p)
    preset = _preset(ctx, p, work, pretrained_backbone)
    p["scale"] = preset["scale"] if preset else (p["scale"] or DEFAULT_SCALE)
    p["pretrained"] = preset.get("version", "given") if preset else "none"
    p["learning_rate"] = float(p["learning_rate"] or default_learning_rate(p["optimizer"], preset is not None))
    if p.get("weight_decay") is None:
        p["weight_decay"] = OPTIMIZERS[p["optimizer"]]["weight_decay"]
    spec = {"dataset_dir": str(folder), "out_dir": str(work / "out"), "num_classes": len(labels),
            "train_items": [[it.file_name, it.label] for it in train], "val_items": [[it.file_name, it.label] for it in val],
            "stop_file": str(work / "out" / "STOP"),
            **{k: p[k] for k in ("epochs", "batch_size", "learning_rate", "optimizer", "input_size", "scale", "seed",
                                 "threads", "crop_scale", "flip", "dropout", "freeze_backbone_epochs",
                                 "weight_decay")}}
    if preset:
        spec["pretrained_backbone"] = preset["path"]
    (work / "spec.json").write_text(json.dumps(spec, indent=1))
    events = run_child(ctx, work / "spec.json", spec, report)
    ctx.progress(0.88, "packaging the model bundle")
    bundle = package(work, events["exported"], labels, p)
    ctx.progress(0.9, f"evaluating the exported model on the {len(val)} validation images")
    seen = {}
    metrics = evaluate_bundle(bundle, folder, labels, val, seen=seen)
    metrics["history"] = events["history"]
    metrics.update({key: events[key] for key in ("loss_first", "loss_last") if events[key] is not None})
    ctx.log(f"accuracy {metrics['accuracy']:.3f}  macro-F1 {metrics['macro_f1']:.3f} on {len(val)} validation images"
            + (" (stopped early)" if events["stopped"] else ""))
    return Trained(bundle, metrics, labels, p, stopped=events["stopped"], preset=preset, val_items=list(val),
                   probabilities=seen["probabilities"], folder=Path(folder))


def _preset(ctx, p, work, given_path):
    """{"path", "scale", ["version"]} of the backbone to start from, or None for from scratch.
    A path from a trusted caller wins; else params.pretrained (a preset in the hub, linked as
    an input of this run). "auto" with a scale asked for takes only a preset of that width."""
    from core.hub.actions.lineage import link

    from ..presets import AUTO, resolve, unpack, visible_presets

    if given_path:
        ctx.log(f"backbone starts from {Path(given_path).name}, given by the caller")
        return {"path": str(given_path), "scale": p["scale"] or DEFAULT_SCALE}
    if p["pretrained"] == AUTO and p["scale"] is not None:
        fitting = [v for v in visible_presets(ctx.organisation) if float(v.params.get("scale", 1.0)) == p["scale"]]
        version = fitting[0] if fitting else None
    else:
        version = resolve(p["pretrained"], organisation=ctx.organisation, acting_user=ctx.acting_user)
    if version is None:
        ctx.log("training from scratch: " + ("no preset backbone" + (f" of width x{p['scale']}" if p["scale"] else "")
                                             + " is registered where this job can see it" if p["pretrained"] == AUTO
                                             else "params.pretrained is none"))
        return None
    info = unpack(version, work)
    if info["family"] != "lcnet":
        raise ValueError(f"preset {version.pk} is a {info['family']} backbone; this classifier's is PP-LCNet")
    if p["scale"] is not None and info["scale"] != p["scale"]:
        raise ValueError(f"scale={p['scale']} but preset {version.pk} is PP-LCNet x{info['scale']}")
    link(version, ctx.run, "input_to")
    ctx.log(f"backbone starts from preset {version.model.name} v{version.version} (PP-LCNet x{info['scale']})")
    return info
