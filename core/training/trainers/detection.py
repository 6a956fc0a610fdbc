"""core.detection: train a PaddleDetection PicoDet detector from scratch on a COCO
dataset version, export it (Paddle PIR + ONNX), evaluate the exported model through the
inference engine on a held-out split, and register a model version with lineage.

params: dataset_version (id, required), model_id (optional: register a version),
epochs (30), batch_size (8), learning_rate (0.1), seed (0), val_fraction (0.25),
threshold (0.5: the reject threshold for the line metrics), max_escape (0.05: the escape rate
the operating point may allow), threads (2), and three settings for objects a few pixels
across, off by default because a detector of larger objects does not need them:
architecture ("picodet-s"; "picodet-s-p2" adds a stride-4 level; "picodet-s-p2-384" trains that
at 320-384 px and serves it at 384), small_box_sampling (false:
boxes smaller than the finest stride still get anchor points in the task-aligned assigner;
compat patch 6) and presence_target (0: a positive anchor's classification target is at
least this, instead of only the IoU of its still-coarse box; compat patch 7). On separator
film, none helps alone and the three together cut over-kill at 5% escape from 76% to 10-30%
after 320 iterations (two training seeds) and 12-22% after 640 (three; bench/separator_recipe.py).

Besides mAP and the line metrics at `threshold`, the evaluation reports the operating point:
the highest threshold whose validation escape rate is within max_escape, and the over-kill
it costs. A vertical may pass a `baseline` (an object with `name` and `score(image_bgr) ->
float`, higher meaning more likely defective), such as the classic threshold inspection a
line ran before; it is scored on the same validation parts at the same escape target, so
the model's over-kill can be compared with what it replaces. With a baseline, `guard` (true)
also calibrates it as a guard on the training split's good parts (1.1x the highest score any
of them got: metrics.guard_level) and reports the model and the guard together ("guarded"):
a part the baseline scores at or above that level is rejected whatever the model says, so a
mark stronger than any good film showed is never passed because the model missed it."""
import json
import os
import signal
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings

from ..detection.run import ARCHITECTURES

PARAM_DEFAULTS = {"pretrained": "auto", "epochs": 30, "batch_size": 8, "learning_rate": 0.1, "seed": 0, "val_fraction": 0.25,
                  "threshold": 0.5, "max_escape": 0.05, "threads": 2, "small_box_sampling": False,
                  "presence_target": 0.0, "architecture": "picodet-s", "guard": True}
LIMITS = {"epochs": (1, 1000), "batch_size": (1, 64), "learning_rate": (1e-5, 1.0), "val_fraction": (0.05, 0.5),
          "threshold": (0.01, 0.99), "max_escape": (0.0, 0.5), "threads": (1, 64),
          "presence_target": (0.0, 1.0)}


def check_params(params: dict) -> dict:
    out = {**PARAM_DEFAULTS, **params}
    if "dataset_version" not in out:
        raise ValueError("params.dataset_version is required")
    if out["architecture"] not in ARCHITECTURES:
        raise ValueError(f"params.architecture={out['architecture']!r} is not one of {', '.join(sorted(ARCHITECTURES))}")
    for key, (lo, hi) in LIMITS.items():
        try:
            value = float(out[key])
        except (TypeError, ValueError):
            raise ValueError(f"params.{key}={out[key]!r} is not a number") from None
        if not lo <= value <= hi:
            raise ValueError(f"params.{key}={out[key]} is outside {lo}..{hi}")
    if str(out["pretrained"]) not in ("auto", "none") and not str(out["pretrained"]).isdigit():
        raise ValueError(f"params.pretrained={out['pretrained']!r} is not auto, none or a preset version id")
    out["small_box_sampling"] = _flag("small_box_sampling", out["small_box_sampling"])
    out["guard"] = _flag("guard", out["guard"])
    return out


def _flag(key, value) -> bool:
    # Job params arrive from JSON, forms and the CLI: a flag may be spelled as any of these.
    spellings = {True: True, False: False, 1: True, 0: False, "true": True, "false": False, "1": True, "0": False}
    normal = value.lower() if isinstance(value, str) else value
    if isinstance(normal, (bool, int, str)) and normal in spellings:
        return spellings[normal]
    raise ValueError(f"params.{key}={value!r} is not true or false")


@dataclass
class TrainedDetector:
    bundle: Path
    metrics: dict
    labels: list
    params: dict                  # the checked params as resolved (pretrained, backbone_scale)
    preset: dict | None = None    # {"path", "scale", "version", ...} when fine-tuned from one
    # What the evaluation saw, for the version's evaluation record: the validation split, the
    # served model's detections on it and the folder its images are in.
    val_doc: dict | None = None
    detections: dict | None = None
    dataset_dir: Path | None = None


def detection(ctx, baseline=None):
    p = check_params(ctx.params)
    dv = ctx.dataset_version()
    trained = train_detector(ctx, dv, p, baseline=baseline)
    p, preset, metrics = trained.params, trained.preset, trained.metrics
    result = {"metrics": metrics, "bundle_sha256": _sha256(trained.bundle)}
    if p.get("model_id"):
        model = ctx.target_model()
        start = (f"fine-tuned from preset backbone version {p['pretrained']} (LCNet x{preset['scale']})"
                 if preset is not None else "trained from scratch")
        version = ctx.register_model_version(model, trained.bundle, metrics=metrics,
                                             params={**p, "labels": trained.labels},
                                             description=f"{describe(p)}, {start} on {dv}")
        result["model_version"] = version.pk
        record_evaluation(ctx, version, trained, dv)
    return result


def record_evaluation(ctx, version, trained, dv):
    """The version's evaluation record (PR curves, AP by size, false positives and misses as
    crops) from what train_detector measured; the page reads it, never recomputes it."""
    from ..evaluations import record_detection_evaluation

    return record_detection_evaluation(ctx, version, trained.val_doc, trained.detections, trained.dataset_dir,
                                       trained.labels, dv, threshold=float(trained.params["threshold"]))


def train_detector(ctx, dv, p, *, baseline=None) -> TrainedDetector:
    """Train in the child, export, package and evaluate through the engine on `dv` with checked
    params `p` (check_params), in the job ctx; registers nothing (core.detection and a study's
    trial each do that their own way)."""
    from core.data.materialize import materialize

    from ..detection.metrics import split_coco

    p = dict(p)
    ctx.progress(0.01, f"materialising {dv} ({dv.artifact_id[:12]})")
    dataset_dir = materialize(dv)
    doc = json.loads((dataset_dir / "annotations.json").read_text())
    categories = sorted(doc["categories"], key=lambda c: c["id"])
    labels = [c["name"] for c in categories]
    # ppdet maps category ids to contiguous classes in id order; the manifest labels follow it.
    train_doc, val_doc = split_coco(doc, val_fraction=float(p["val_fraction"]), seed=int(p["seed"]))
    work = ctx.workdir
    (work / "train.json").write_text(json.dumps(train_doc))
    (work / "val.json").write_text(json.dumps(val_doc))
    ctx.log(f"split {len(train_doc['images'])} train / {len(val_doc['images'])} val images, classes {labels}")

    spec = {"dataset_dir": str(dataset_dir), "train_ann": str(work / "train.json"), "eval_ann": str(work / "val.json"),
            "out_dir": str(work / "out"), "num_classes": len(labels), "epochs": int(p["epochs"]),
            "batch_size": int(p["batch_size"]), "learning_rate": float(p["learning_rate"]), "seed": int(p["seed"]),
            "threads": int(p["threads"]), "small_box_sampling": p["small_box_sampling"],
            "presence_target": float(p["presence_target"]), "config": str(ARCHITECTURES[p["architecture"]][0])}
    preset = _preset(ctx, p, work)
    if preset is not None:
        spec.update(pretrained_backbone=preset["path"], backbone_scale=preset["scale"])
    p["pretrained"] = preset["version"] if preset is not None else "none"
    if preset is not None:
        p["backbone_scale"] = preset["scale"]
    (work / "spec.json").write_text(json.dumps(spec, indent=1))
    events = _run_child(ctx, work / "spec.json", spec)
    exported = events["exported"]

    ctx.progress(0.88, "packaging the model bundle")
    bundle = _bundle(work, exported, labels, p)
    ctx.progress(0.9, "evaluating the exported model on the validation split")
    guard = calibrate_guard(baseline, dataset_dir, train_doc) if baseline is not None and p["guard"] else None
    seen = {}
    metrics = evaluate_bundle(bundle, dataset_dir, val_doc, threshold=float(p["threshold"]),
                              max_escape=float(p["max_escape"]), baseline=baseline, guard=guard, seen=seen)
    # a training too short to log a step has no loss to report (a version's metrics hold no nulls)
    metrics.update({key: events[key] for key in ("loss_first", "loss_last") if events[key] is not None})
    ctx.log("mAP@0.5 {map50:.3f}  mAP@.5:.95 {map50_95:.3f}  over-kill {ok:.3f}  escape {esc:.3f}".format(
        ok=metrics["line"]["over_kill_rate"], esc=metrics["line"]["escape_rate"], **metrics))
    op = metrics["operating_point"]
    ctx.log(f"operating point (escape <= {op['max_escape']:.1%}): threshold {op['threshold']:.3f}, "
            f"over-kill {op['over_kill_rate']:.1%}, escape {op['escape_rate']:.1%}"
            + ("" if op["met"] else " (target not met even at the lowest threshold)"))
    ctx.log("defects found there, by class: " + ", ".join(
        f"{name} {f['found']}/{f['defects']}" for name, f in op["found_by_class"].items() if f["defects"]))
    if "baseline" in metrics:
        bop = metrics["baseline"]["operating_point"]
        ctx.log(f"baseline {metrics['baseline']['name']} at the same target: over-kill {bop['over_kill_rate']:.1%}, "
                f"escape {bop['escape_rate']:.1%}")
    if "guarded" in metrics:
        g = metrics["guarded"]
        ctx.log(f"model with the baseline as guard (level {g['level']:.2f}, {g['good_parts']} good training parts): "
                f"threshold {g['operating_point']['threshold']:.3f}, over-kill {g['operating_point']['over_kill_rate']:.1%}, "
                f"escape {g['operating_point']['escape_rate']:.1%}")
    return TrainedDetector(bundle, metrics, labels, p, preset, val_doc=val_doc, detections=seen["detections"],
                           dataset_dir=dataset_dir)


def describe(params) -> str:
    """The architecture in words, with the backbone width a preset brought, if it changed it."""
    text = ARCHITECTURES[params.get("architecture", PARAM_DEFAULTS["architecture"])][1]
    scale = params.get("backbone_scale")
    return text.replace("LCNet x0.75", f"LCNet x{float(scale)}") if scale else text


def _preset(ctx, p, work):
    """The preset backbone params.pretrained names, unpacked for the child and linked as an
    input of this run; None to train from scratch (said in the log, with why)."""
    from core.hub.actions.lineage import link

    from ..presets import AUTO, resolve, unpack

    version = resolve(p["pretrained"], organisation=ctx.organisation, acting_user=ctx.acting_user)
    if version is None:
        ctx.log("training from scratch: " + ("no preset backbone is registered where this job can see it "
                                             "(the core.preset_backbone job registers one)"
                                             if p["pretrained"] == AUTO else "params.pretrained is none"))
        return None
    info = unpack(version, work)
    if info["family"] != "lcnet":
        raise ValueError(f"preset {version.pk} is a {info['family']} backbone; PicoDet's backbone is LCNet")
    link(version, ctx.run, "input_to")
    ctx.log(f"backbone starts from preset {version.model.name} v{version.version} (LCNet x{info['scale']})")
    return info


def train_within(ctx, params, baseline=None):
    """core.detection run inside another trainer's job (same log, progress and lineage), with
    `params` in place of the job's own while it runs. Returns (its result, the ModelVersion it
    registered: params must name a model_id)."""
    from core.hub.models import ModelVersion

    outer = ctx.params
    ctx.params = params
    try:
        trained = detection(ctx, baseline=baseline)
    finally:
        ctx.params = outer
    return trained, ModelVersion.objects.get(pk=trained["model_version"])


def _run_child(ctx, spec_path, spec):
    """Streams the child's JSON lines into progress and the job log; kills it on cancel."""
    env = dict(os.environ, PYTHONUNBUFFERED="1", OMP_NUM_THREADS=str(spec["threads"]))
    log_path = Path(spec["out_dir"]).parent / "child.log"
    Path(spec["out_dir"]).mkdir(parents=True, exist_ok=True)
    stderr = open(log_path, "w")
    proc = subprocess.Popen([sys.executable, "-m", "core.training.detection.run", str(spec_path)],
                            cwd=settings.BASE_DIR, env=env, stdout=subprocess.PIPE, stderr=stderr, text=True,
                            start_new_session=True)
    events = {"loss_first": None, "loss_last": None}
    try:
        for line in proc.stdout:
            line = line.strip()
            if not line.startswith("{"):
                continue
            event = json.loads(line)
            kind = event.get("event")
            if kind == "step":
                total = event["epochs"] * event["iters"]
                done = event["epoch"] * event["iters"] + event["iter"] + 1
                loss = event["loss"].get("loss")
                if loss is not None:
                    events["loss_first"] = events["loss_first"] if events["loss_first"] is not None else loss
                    events["loss_last"] = loss
                message = f"epoch {event['epoch'] + 1}/{event['epochs']} iter {event['iter'] + 1}/{event['iters']}"
                if done == 1 or done % max(1, event["iters"]) == 0 or done == total:
                    parts = " ".join(f"{k} {v:.4f}" for k, v in event["loss"].items())
                    ctx.progress(0.03 + 0.8 * done / total, f"{message} {parts}")
                else:
                    ctx.progress(0.03 + 0.8 * done / total)
            elif kind == "pretrained":
                ctx.log(f"{event['tensors']} backbone tensors loaded from the preset")
            elif kind == "trained":
                ctx.progress(0.84, "training finished; exporting (Paddle PIR and ONNX)")
            elif kind == "exported":
                events["exported"] = event
        proc.wait()
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
        stderr.close()
    if proc.returncode != 0 or "exported" not in events:
        tail = log_path.read_text(errors="replace")[-3000:]
        raise RuntimeError(f"detection training process failed (exit {proc.returncode}):\n{tail}")
    return events


def _bundle(work, exported, labels, params):
    import yaml

    from core.inference.lib.bundle import write_bundle

    paddle_dir = Path(exported["paddle_dir"])
    infer_cfg = yaml.safe_load((paddle_dir / "infer_cfg.yml").read_text())
    norm = next((t for t in infer_cfg["Preprocess"] if t["type"] == "NormalizeImage"), {})
    size = next((t["target_size"] for t in infer_cfg["Preprocess"] if t["type"] == "Resize"), [320, 320])
    manifest = {
        "task": "detection",
        "architecture": describe(params),
        "labels": labels,
        "input": {"image_shape": [1, 3, int(size[0]), int(size[1])], "mean": norm.get("mean"),
                  "std": norm.get("std"), "color": "RGB"},
        "threshold": float(params["threshold"]),
        "files": {"paddle": {"model": "paddle/model.json", "params": "paddle/model.pdiparams"},
                  "onnx": "onnx/model.onnx"},
    }
    files = {"paddle/model.json": paddle_dir / "model.json", "paddle/model.pdiparams": paddle_dir / "model.pdiparams",
             "paddle/infer_cfg.yml": paddle_dir / "infer_cfg.yml", "onnx/model.onnx": Path(exported["onnx"]),
             "train/config.yml": Path(exported["config"])}
    return write_bundle(work / "model-bundle.zip", manifest, files)


def served_detections(bundle, dataset_dir, doc, *, profile_name="cpu-onnxruntime", per_image=None) -> dict:
    """image id -> the exported model's detections as it will be served (through the engine).
    per_image(image_id, image_bgr), if given, sees each decoded image too, so that a caller
    scoring something else on the same images reads each file once."""
    from core.inference.backends.opencv.images import read_bgr
    from core.inference.codecs import detection as task
    from core.inference.engine import load_bundle, run
    from core.inference.profiles import get_profile

    loaded = load_bundle(bundle, _sha256(bundle), get_profile(profile_name))
    detections = {}
    try:
        for im in doc["images"]:
            image = read_bgr(Path(dataset_dir) / "images" / im["file_name"])
            detections[im["id"]] = task.postprocess(run(loaded, task.preprocess(image, loaded.manifest)),
                                                    loaded.manifest)
            if per_image is not None:
                per_image(im["id"], image)
    finally:
        loaded.model.close()
    return detections


def evaluate_bundle(bundle, dataset_dir, val_doc, *, threshold, max_escape=0.05, baseline=None, guard=None,
                    profile_name="cpu-onnxruntime", seen=None):
    """Metrics of the exported model as it will be served, and of the baseline, if any, on
    the same parts; with a guard level (see calibrate_guard), also those of the model and the
    baseline together: a part the baseline scores at or above the guard is rejected.
    seen, a dict, receives the detections under "detections" (for an evaluation record)."""
    from ..detection.metrics import (coco_metrics, detector_operating_point, guarded_scores, line_metrics,
                                     operating_point, part_scores)

    baseline_scores = {}

    def score_baseline(image_id, image):
        baseline_scores[image_id] = float(baseline.score(image))

    detections = served_detections(bundle, dataset_dir, val_doc, profile_name=profile_name,
                                   per_image=None if baseline is None else score_baseline)
    if seen is not None:
        seen["detections"] = detections
    metrics = coco_metrics(val_doc, detections)
    metrics["line"] = line_metrics(val_doc, detections, threshold)
    metrics["operating_point"] = detector_operating_point(val_doc, detections, max_escape=max_escape)
    if baseline is not None:
        # A baseline's scores are in its own units: its thresholds span all of them.
        metrics["baseline"] = {"name": baseline.name, "operating_point": operating_point(
            val_doc, baseline_scores, max_escape=max_escape, lowest=0.0,
            highest=max(baseline_scores.values(), default=0.0))}
        if guard is not None:
            guarded = guarded_scores(part_scores(val_doc, detections), baseline_scores, guard["level"])
            metrics["guarded"] = {**guard, "operating_point": operating_point(val_doc, guarded,
                                                                              max_escape=max_escape)}
    metrics["val_images"] = len(val_doc["images"])
    return metrics


def calibrate_guard(baseline, dataset_dir, train_doc) -> dict | None:
    """The baseline's guard level from the training split's good parts (images without a
    box): never from the validation parts, whose over-kill it would then hide."""
    from core.inference.backends.opencv.images import read_bgr

    from ..detection.metrics import guard_level

    defective = {a["image_id"] for a in train_doc["annotations"]}
    scores = [float(baseline.score(read_bgr(Path(dataset_dir) / "images" / im["file_name"])))
              for im in train_doc["images"] if im["id"] not in defective]
    level = guard_level(scores)
    return None if level is None else {"level": level, "good_parts": len(scores), "highest_good": max(scores)}


def _sha256(path):
    import hashlib

    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        while chunk := fh.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()
