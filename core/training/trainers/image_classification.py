"""core.image_classification: train an image classifier (ppdet's PP-LCNet backbone, pooled, a
linear head) on a classification dataset version in a child process
(core/training/classification/run.py), export it (Paddle PIR + ONNX, softmax probabilities),
evaluate the exported model through the inference engine on a stratified validation split,
and register a model version with lineage.

params: dataset_version (id, required: a "classification" dataset with at least two classes
and two labelled images per class), model_id (optional: register a version), pretrained
("auto": the newest preset backbone the organisation sees, of the width asked for if `scale` is
given; "none"; or a preset version id — see core/training/presets.py), epochs (10),
batch_size (32), learning_rate (by optimizer: 0.002 for "adamw", 0.05 for "momentum"),
optimizer ("adamw"), input_size (96 px; smaller images are upscaled), scale (PP-LCNet width
0.25/0.5/0.75/1.0: the preset's when one is used, else 0.5), seed (0), val_fraction (0.2),
threads (2), crop_scale (0.75: the smallest area of the random resized crop, 1 for none), flip
(false: digits and text must not be mirrored; most parts may be), dropout (0.2) and
freeze_backbone_epochs (0: with a preset, epochs that train only the head first).

A weights file given as a path is not a job parameter (a pickle from an arbitrary path is no
thing for an API caller to name): Python callers that know their file pass
pretrained_backbone= to the trainer or to train_within.

The version's metrics: accuracy, macro_f1, per_class (precision, recall, f1, support),
confusion_matrix (labels, rows true, columns predicted), worst (up to 12 validation images with
the lowest probability on their true class), val_images, history (per epoch: loss, training
and validation accuracy), loss_first/loss_last."""
import json
import os
import signal
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError

from ..classification.run import OPTIMIZERS, SCALES
from ..lib import image_classes
from .detection import _flag

CLASSIFICATION = "classification"
DEFAULT_SCALE = 0.5
DEFAULT_PROFILE = "cpu-onnxruntime"
PARAM_DEFAULTS = {"pretrained": "auto", "epochs": 10, "batch_size": 32, "learning_rate": None, "optimizer": "adamw",
                  "input_size": 96, "scale": None, "seed": 0, "val_fraction": 0.2, "threads": 2, "crop_scale": 0.75,
                  "flip": False, "dropout": 0.2, "freeze_backbone_epochs": 0}
LIMITS = {"epochs": (1, 500), "batch_size": (2, 256), "learning_rate": (1e-5, 1.0), "input_size": (32, 448),
          "val_fraction": (0.05, 0.5), "threads": (1, 64), "crop_scale": (0.08, 1.0), "dropout": (0.0, 0.9),
          "freeze_backbone_epochs": (0, 500), "seed": (0, 2 ** 31 - 1)}
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


def read_dataset(dv):
    """(folder, labels, items, skipped) of a classification dataset version, or ValueError
    saying why a classifier cannot be trained on it."""
    from core.data.materialize import materialize

    if dv.dataset.kind != CLASSIFICATION:
        raise ValueError(f"dataset {dv.dataset.name!r} is of kind {dv.dataset.kind!r}; image classification trains "
                         f"on a {CLASSIFICATION!r} dataset (class folders of images)")
    folder = materialize(dv)
    labels, items, skipped = image_classes.usable_items(json.loads((folder / "annotations.json").read_text()))
    problems = image_classes.problems(labels, items)
    if len(labels) > MAX_CLASSES:
        problems.append(f"{len(labels)} classes: at most {MAX_CLASSES}")
    if problems:
        raise ValueError(f"{dv.dataset.name} v{dv.version}: " + "; ".join(problems))
    return folder, labels, items, skipped


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
    try:
        read_dataset(dv)
    except ValueError as exc:
        raise ValidationError({"dataset_version": str(exc)}) from None
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


def image_classification(ctx, pretrained_backbone=None):
    p = check_params(ctx.params)
    dv = ctx.dataset_version()
    trained = train_classifier(ctx, dv, p, pretrained_backbone=pretrained_backbone)
    result = {"metrics": trained.metrics, "bundle_sha256": _sha256(trained.bundle)}
    if p.get("model_id"):
        model = ctx.target_model()
        start = (f"fine-tuned from preset backbone version {trained.preset['version']}"
                 if trained.preset and trained.preset.get("version") else
                 "fine-tuned from a given backbone" if trained.preset else "trained from scratch")
        version = ctx.register_model_version(
            model, trained.bundle, metrics=trained.metrics, params={**trained.params, "labels": trained.labels},
            description=f"{describe(trained.params)}, {start} on {dv}")
        result["model_version"] = version.pk
    return result


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


def describe(params) -> str:
    return f"PP-LCNet x{params['scale']} classifier, {params['input_size']} px"


def train_classifier(ctx, dv, p, *, report=None, pretrained_backbone=None) -> Trained:
    """Train, export, package and evaluate on `dv` with checked params `p`, in the job ctx.
    report(epoch, validation accuracy) -> False stops the training after that epoch (a search
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
    p["learning_rate"] = float(p["learning_rate"] or OPTIMIZERS[p["optimizer"]]["learning_rate"])
    spec = {"dataset_dir": str(folder), "out_dir": str(work / "out"), "num_classes": len(labels),
            "train_items": [[it.file_name, it.label] for it in train], "val_items": [[it.file_name, it.label] for it in val],
            "stop_file": str(work / "out" / "STOP"),
            **{k: p[k] for k in ("epochs", "batch_size", "learning_rate", "optimizer", "input_size", "scale", "seed",
                                 "threads", "crop_scale", "flip", "dropout", "freeze_backbone_epochs")}}
    if preset:
        spec["pretrained_backbone"] = preset["path"]
    (work / "spec.json").write_text(json.dumps(spec, indent=1))
    events = _run_child(ctx, work / "spec.json", spec, report)
    ctx.progress(0.88, "packaging the model bundle")
    bundle = _bundle(work, events["exported"], labels, p)
    ctx.progress(0.9, f"evaluating the exported model on the {len(val)} validation images")
    metrics = evaluate_bundle(bundle, folder, labels, val)
    metrics["history"] = events["history"]
    metrics.update({key: events[key] for key in ("loss_first", "loss_last") if events[key] is not None})
    ctx.log(f"accuracy {metrics['accuracy']:.3f}  macro-F1 {metrics['macro_f1']:.3f} on {len(val)} validation images"
            + (" (stopped early)" if events["stopped"] else ""))
    return Trained(bundle, metrics, labels, p, stopped=events["stopped"], preset=preset)


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


def _run_child(ctx, spec_path, spec, report=None):
    """Streams the child's JSON lines into progress and the job log; kills it on cancel."""
    env = dict(os.environ, PYTHONUNBUFFERED="1", OMP_NUM_THREADS=str(spec["threads"]))
    out_dir = Path(spec["out_dir"])
    out_dir.mkdir(parents=True, exist_ok=True)
    Path(spec["stop_file"]).unlink(missing_ok=True)  # a stop meant for an earlier run in this job's folder
    log_path = out_dir.parent / "child.log"
    events = {"loss_first": None, "loss_last": None, "history": [], "stopped": False}
    with open(log_path, "w") as stderr:
        proc = subprocess.Popen([sys.executable, "-m", "core.training.classification.run", str(spec_path)],
                                cwd=settings.BASE_DIR, env=env, stdout=subprocess.PIPE, stderr=stderr, text=True,
                                start_new_session=True)
        _follow(ctx, proc, spec, events, report)
    if "error" in events:
        raise ValueError(events["error"])
    if proc.returncode != 0 or "exported" not in events:
        tail = log_path.read_text(errors="replace")[-3000:]
        raise RuntimeError(f"image classification training process failed (exit {proc.returncode}):\n{tail}")
    return events


def _follow(ctx, proc, spec, events, report):
    try:
        for line in proc.stdout:
            if not line.startswith("{"):
                continue
            event = json.loads(line)
            kind = event.get("event")
            if kind == "step":
                _step(ctx, event, events)
            elif kind == "epoch":
                events["history"].append({k: event[k] for k in event if k not in ("event", "epochs")})
                ctx.log(f"epoch {event['epoch'] + 1}/{event['epochs']}: loss {event['loss']:.4f}, train accuracy "
                        f"{event['train_accuracy']:.3f}" + (f", validation accuracy {event['val_accuracy']:.3f}"
                                                            if "val_accuracy" in event else ""))
                if report is not None and report(event["epoch"] + 1, event.get("val_accuracy", 0.0)) is False:
                    Path(spec["stop_file"]).touch()
            elif kind == "stopped":
                events["stopped"] = True
                ctx.log(f"stopped after epoch {event['epoch'] + 1} as asked")
            elif kind == "backbone":
                ctx.log(f"{event['loaded']} backbone tensors loaded"
                        + (f" ({event['unused']} other tensors in the file unused)" if event["unused"] else ""))
            elif kind == "trained":
                ctx.progress(0.84, "training finished; exporting (Paddle PIR and ONNX)")
            elif kind == "exported":
                events["exported"] = event
            elif kind == "error":
                events["error"] = event["message"]
        proc.wait()
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()


def _step(ctx, event, events):
    total = event["epochs"] * event["iters"]
    done = event["epoch"] * event["iters"] + event["iter"] + 1
    loss = event["loss"]["loss"]
    events["loss_first"] = loss if events["loss_first"] is None else events["loss_first"]
    events["loss_last"] = loss
    if done == 1 or done == total:
        ctx.progress(0.03 + 0.8 * done / total, f"epoch {event['epoch'] + 1}/{event['epochs']} "
                                                 f"iter {event['iter'] + 1}/{event['iters']} loss {loss:.4f}")
    else:
        ctx.progress(0.03 + 0.8 * done / total)


def _bundle(work, exported, labels, params):
    from core.inference.lib.bundle import write_bundle

    from ..classification.run import IMAGENET_MEAN, IMAGENET_STD

    paddle_dir, size = Path(exported["paddle_dir"]), int(params["input_size"])
    manifest = {
        "task": CLASSIFICATION,
        "architecture": describe(params),
        "labels": labels,
        "input": {"image_shape": [1, 3, size, size], "mean": list(IMAGENET_MEAN), "std": list(IMAGENET_STD),
                  "color": "RGB"},
        "output": "probabilities",
        "files": {"paddle": {"model": "paddle/model.json", "params": "paddle/model.pdiparams"},
                  "onnx": "onnx/model.onnx"},
        # The trained backbone in the preset format, so a version can seed another training.
        "backbone": {"family": "lcnet", "scale": params["scale"], "weights": "train/backbone.npz"},
    }
    files = {"paddle/model.json": paddle_dir / "model.json", "paddle/model.pdiparams": paddle_dir / "model.pdiparams",
             "onnx/model.onnx": Path(exported["onnx"]), "train/backbone.npz": Path(exported["backbone"]),
             "train/spec.json": work / "spec.json"}
    return write_bundle(work / "model-bundle.zip", manifest, files)


def served_probabilities(bundle, folder, items, *, profile_name=DEFAULT_PROFILE):
    """[n, classes] probabilities of the exported model as it will be served: each image
    file's bytes through the classification codec and the engine under the profile."""
    import numpy as np

    from core.inference.codecs.classification import ClassificationCodec, probabilities
    from core.inference.engine import load_bundle, run
    from core.inference.profiles import get_profile

    loaded = load_bundle(bundle, _sha256(bundle), get_profile(profile_name))
    codec = ClassificationCodec()
    try:
        rows = [probabilities(run(loaded, codec.encode({"image": (Path(folder) / "images" / it.file_name).read_bytes()},
                                                       loaded, {}).inputs), loaded.manifest) for it in items]
    finally:
        loaded.model.close()
    return np.asarray(rows).reshape(len(items), len(loaded.manifest["labels"]))


def evaluate_bundle(bundle, folder, labels, items, *, profile_name=DEFAULT_PROFILE) -> dict:
    return image_classes.evaluate(labels, items, served_probabilities(bundle, folder, items,
                                                                      profile_name=profile_name))


def _sha256(path):
    import hashlib

    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        while chunk := fh.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()
