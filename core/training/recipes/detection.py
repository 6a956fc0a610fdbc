"""detection: boxes and classes in images, by the core.detection trainer (PaddleDetection's
PicoDet in a child process, from the preset backbone by default, exported to Paddle PIR and
ONNX and evaluated through the inference engine); each trial's model is the bundle a
core.detection job makes. Judged by mAP@0.5 on the trainer's validation split, measured once
at the end of a trial: the child has no cheap validation between epochs, so the search never
prunes a detection trial half-way (warmup_steps past any epoch count); a trial asked to stop
(its study stopped) is cancelled with its job.

Searched: learning_rate (0.01-0.2, log), architecture (core/training/detection/run.py's
ARCHITECTURES) and epochs (10-60). Fixed by the study's params: pretrained ("auto"),
threshold and max_escape (the line metrics' reject threshold and escape target), batch_size,
val_fraction, threads, small_box_sampling, presence_target. No baseline: a plain model of
boxes is no cheap thing."""
from typing import ClassVar

from django.core.exceptions import ValidationError

from ..detection.run import ARCHITECTURES
from .base import TrainResult
from .images import ImageRecipe

SPACE = {
    "learning_rate": {"type": "float", "low": 0.01, "high": 0.2, "log": True},
    "architecture": {"type": "categorical", "choices": sorted(ARCHITECTURES)},
    "epochs": {"type": "int", "low": 10, "high": 60},
}
# The trainer's defaults (core/training/trainers/detection.py).
DEFAULTS = {"learning_rate": 0.1, "architecture": "picodet-s", "epochs": 30}
SETTINGS = {"pretrained": "auto", "threshold": 0.5, "max_escape": 0.05, "batch_size": 8, "val_fraction": 0.25,
            "threads": 2, "small_box_sampling": False, "presence_target": 0.0}
MIN_IMAGES = 4  # a quarter held out still leaves images on both sides
NEVER = 10 ** 6  # warm-up steps past any epoch count: a trial reports once, when it has finished


class Detection(ImageRecipe):
    name = "detection"
    task = "detection"
    dataset_kind = "detection"
    metric, direction = "map50", "maximize"
    description = ("Finds and classifies objects in images with a PicoDet detector trained on the platform's CPUs "
                   "(from the preset backbone when one is registered), exported to Paddle and ONNX. "
                   "Metric: mAP@0.5 on a held-out split of the images.")
    default_params: ClassVar[dict] = DEFAULTS
    fixed: ClassVar[dict] = SETTINGS
    forced: ClassVar[dict] = {"guard": False}  # a guard needs a vertical's baseline inspection
    warmup_steps = NEVER
    settings: ClassVar[dict] = {
        "pretrained": {"kind": "text", "default": "auto",
                       "help": "auto (the newest preset backbone, if any), none (from scratch) or a preset version id"},
        "threshold": {"kind": "number", "default": SETTINGS["threshold"],
                      "help": "the score at which a part is rejected, for the line metrics (0.01-0.99)"},
        "max_escape": {"kind": "number", "default": SETTINGS["max_escape"],
                       "help": "the escape rate the operating point may allow (0-0.5)"},
        "batch_size": {"kind": "integer", "default": SETTINGS["batch_size"], "help": "images per step (1-64)"},
        "val_fraction": {"kind": "number", "default": SETTINGS["val_fraction"],
                         "help": "the share of images held out to judge each trial (0.05-0.5)"},
    }

    def space(self):
        return SPACE

    def check_params(self, params):
        from ..trainers.detection import check_params

        return check_params(params)

    def check(self, dataset_version, params):
        self.check_kind(dataset_version)
        self.check_settings(params)
        try:
            p = self.trainer_params(dataset_version, params)
        except ValueError as exc:
            raise ValidationError({"params": str(exc).replace("params.", "")}) from None
        stats = dataset_version.stats or {}
        images, boxes = stats.get("num_images"), stats.get("num_annotations")
        name = f"{dataset_version.dataset.name} v{dataset_version.version}"
        if isinstance(images, int) and images < MIN_IMAGES:
            raise ValidationError({"dataset_version": f"{name} has {images} images; a detector needs at least "
                                                      f"{MIN_IMAGES} (some to train on, some to validate)"})
        if isinstance(boxes, int) and boxes == 0:
            raise ValidationError({"dataset_version": f"{name} has no boxes to learn from"})
        plan = {"metric": self.metric, "direction": self.direction, "start": self.preset_words(p),
                "searched": sorted(self.search_space(params))}
        for key, field in (("images", "num_images"), ("boxes", "num_annotations"), ("classes", "per_category")):
            if stats.get(field) is not None:
                plan[key] = stats[field]
        return plan

    def train(self, ctx, dataset_version, params, report):
        from ..trainers.detection import describe, train_detector

        p = self.trainer_params(dataset_version, params)
        ctx.log(f"{self.name}: {describe(p)}, learning_rate={p['learning_rate']:.4g}, epochs={p['epochs']}; "
                f"{self.preset_words(p)}")
        trained = train_detector(ctx, dataset_version, p)
        value = float(trained.metrics["map50"])
        report(int(p["epochs"]), value)  # once, at the end: never pruned, only recorded
        from ..lib import evaluation as build

        summary, report = build.detection_report(trained.val_doc, trained.detections, trained.labels,
                                                 threshold=float(trained.params["threshold"]))
        evaluation = {"kind": "detection", "summary": summary, "report": report,
                      "split": f"validation split: {len(trained.val_doc['images'])} images"}
        return TrainResult(value=value, metrics=trained.metrics, bundle=trained.bundle,
                           notes={"evaluation": evaluation})
