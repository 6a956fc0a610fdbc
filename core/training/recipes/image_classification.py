"""image_classification: a class per image, by the core.image_classification trainer (ppdet's
PP-LCNet backbone, pooled, a linear head, AdamW with cosine decay, trained in a child process,
exported to Paddle PIR and ONNX and evaluated through the inference engine); each trial's
model is the bundle a core.image_classification job makes, so the best one serves on
cpu-onnxruntime and cpu-paddle alike. Judged by accuracy on the trainer's stratified
validation split; the child reports the validation accuracy after every epoch, so the median
pruner stops a trial that lags (the child stops at its next step and exports what it has).
Baseline: logistic regression on 16x16 grey pixels of the same split.

Searched: learning_rate, input_size, scale (PP-LCNet width; fixed at the preset's width when
the study starts from a preset backbone, which exists at x1.0 only), epochs, weight_decay,
flip. The defaults are the trainer's (an AdamW run at 96 px, x0.5, 10 epochs). Input sizes and
widths stay small: a trial runs on 2 CPU cores."""
from typing import ClassVar

from django.core.exceptions import ValidationError

from ..classification.run import OPTIMIZERS
from .base import TrainResult
from .images import ImageRecipe

ADAMW = OPTIMIZERS["adamw"]
SPACE = {
    "learning_rate": {"type": "float", "low": 2e-4, "high": 3e-2, "log": True},
    "input_size": {"type": "categorical", "choices": [64, 96, 128]},
    "scale": {"type": "categorical", "choices": [0.25, 0.5, 0.75, 1.0]},
    "epochs": {"type": "int", "low": 5, "high": 30},
    "weight_decay": {"type": "float", "low": 1e-4, "high": 0.1, "log": True},
    "flip": {"type": "categorical", "choices": [False, True]},
}
# The trainer's defaults for AdamW from scratch (core/training/trainers/image_classification.py,
# classification/run.py); from a preset, the trainer's lower fine-tuning rate (defaults()).
DEFAULTS = {"learning_rate": ADAMW["learning_rate"], "input_size": 96, "scale": 0.5, "epochs": 10,
            "weight_decay": ADAMW["weight_decay"], "flip": False}
SETTINGS = {"pretrained": "auto", "batch_size": 32, "val_fraction": 0.2, "crop_scale": 0.75, "dropout": 0.2,
            "freeze_backbone_epochs": 0, "threads": 2}
BASELINE_SIDE = 16


class ImageClassification(ImageRecipe):
    name = "image_classification"
    task = "classification"
    dataset_kind = "classification"
    metric, direction = "accuracy", "maximize"
    description = ("Predicts a class for each image with a PP-LCNet classifier trained on the platform's CPUs "
                   "(from the preset backbone when one is registered), exported to Paddle and ONNX. "
                   "Metric: accuracy on a stratified validation split; lagging trials are stopped after an epoch.")
    default_params: ClassVar[dict] = DEFAULTS
    fixed: ClassVar[dict] = SETTINGS
    forced: ClassVar[dict] = {"optimizer": "adamw"}
    warmup_steps = 2  # epochs: the first says little about where a run ends
    settings: ClassVar[dict] = {
        "pretrained": {"kind": "text", "default": "auto",
                       "help": "auto (the newest preset backbone, if any: the width is then the preset's), "
                               "none (from scratch) or a preset version id"},
        "batch_size": {"kind": "integer", "default": SETTINGS["batch_size"], "help": "images per step (2-256)"},
        "val_fraction": {"kind": "number", "default": SETTINGS["val_fraction"],
                         "help": "the share of each class's images held out to judge each trial (0.05-0.5)"},
        "crop_scale": {"kind": "number", "default": SETTINGS["crop_scale"],
                       "help": "the smallest area of the random resized crop (1: no crop)"},
        "freeze_backbone_epochs": {"kind": "integer", "default": 0,
                                   "help": "with a preset, epochs that train only the head first"},
    }

    def space(self):
        return SPACE

    def defaults(self, params):
        preset = str((params or {}).get("pretrained", "none")) != "none"
        return {**DEFAULTS, "learning_rate": ADAMW.get("fine_tune", ADAMW["learning_rate"]) if preset
                else ADAMW["learning_rate"]}

    def check_params(self, params):
        from ..trainers.image_classification import check_params

        return check_params(params)

    def with_preset(self, params, version):
        scale = float(version.params.get("scale", 1.0))
        if params.get("scale") is not None:
            try:
                asked = float(params["scale"])
            except (TypeError, ValueError):
                asked = None
            if asked != scale:
                raise ValidationError({"params": f"scale={params['scale']} but preset backbone {version.pk} is "
                                                 f"PP-LCNet x{scale}: leave scale out, or set pretrained to none"})
        return {**params, "scale": scale}

    def settle(self, params, *, organisation, acting_user):
        from ..presets import AUTO, visible_presets

        if isinstance(params, dict) and params.get("pretrained", AUTO) == AUTO and params.get("scale") is not None:
            # "auto" with a width asked for: a preset of that width, else from scratch (as the trainer does).
            try:
                scale = float(params["scale"])
            except (TypeError, ValueError):
                return params  # check() names it
            fitting = [v for v in visible_presets(organisation) if float(v.params.get("scale", 1.0)) == scale]
            return {**params, "pretrained": fitting[0].pk if fitting else "none"}
        return super().settle(params, organisation=organisation, acting_user=acting_user)

    def check(self, dataset_version, params):
        from ..trainers.image_classification import dataset_problem

        self.check_kind(dataset_version)
        self.check_settings(params)
        lowest = {"epochs": SPACE["epochs"]["low"]} if "epochs" not in params else {}
        try:  # at the fewest epochs the search may try, so every trial's settings hold
            p = self.trainer_params(dataset_version, {**params, **lowest})
        except ValueError as exc:
            raise ValidationError({"params": str(exc).replace("params.", "")}) from None
        if problem := dataset_problem(dataset_version):
            raise ValidationError({"dataset_version": problem})
        stats = dataset_version.stats or {}
        plan = {"metric": self.metric, "direction": self.direction, "start": self.preset_words(p),
                "searched": sorted(self.search_space(params))}
        if isinstance(stats.get("per_class"), dict):
            plan["classes"] = stats["per_class"]
        if isinstance(stats.get("num_images"), int):
            plan["images"] = stats["num_images"]
        return plan

    def train(self, ctx, dataset_version, params, report):
        from ..trainers.image_classification import train_classifier

        p = self.trainer_params(dataset_version, params)
        ctx.log(f"{self.name}: " + ", ".join(f"{k}={p[k]}" for k in SPACE) + f"; {self.preset_words(p)}")
        trained = train_classifier(ctx, dataset_version, p, report=report)
        metrics = {k: v for k, v in trained.metrics.items() if k != "history"}
        from ..lib import evaluation as build

        summary, report = build.classification_report(
            [it.label for it in trained.val_items], None, trained.probabilities, trained.labels,
            [it.image_id for it in trained.val_items])
        evaluation = {"kind": "classification", "summary": summary, "report": report,
                      "split": f"validation split: {len(trained.val_items)} images"}
        return TrainResult(value=float(metrics["accuracy"]), metrics=metrics, bundle=trained.bundle,
                           stopped=trained.stopped, notes={"history": trained.metrics.get("history", []),
                                                           "evaluation": evaluation})

    def baseline(self, ctx, dataset_version, params):
        """Logistic regression on each image shrunk to 16x16 grey pixels, on the trials' split."""
        import numpy as np
        from PIL import Image
        from sklearn.linear_model import LogisticRegression
        from sklearn.metrics import accuracy_score, f1_score
        from sklearn.pipeline import make_pipeline
        from sklearn.preprocessing import StandardScaler
        from threadpoolctl import threadpool_limits

        from ..lib import image_classes
        from ..trainers.image_classification import read_dataset

        p = self.trainer_params(dataset_version, params)
        folder, labels, items, _ = read_dataset(dataset_version)
        train, val = image_classes.stratified_split(items, val_fraction=p["val_fraction"], seed=p["seed"])

        def pixels(part):
            rows = []
            for it in part:
                with Image.open(folder / "images" / it.file_name) as im:
                    small = im.convert("L").resize((BASELINE_SIDE, BASELINE_SIDE), Image.BILINEAR)
                rows.append(np.asarray(small, dtype=np.float32).ravel() / 255.0)
            return np.stack(rows), np.asarray([it.label for it in part])

        (x_train, y_train), (x_val, y_val) = pixels(train), pixels(val)
        model = make_pipeline(StandardScaler(), LogisticRegression(max_iter=2000, random_state=int(p["seed"])))
        with threadpool_limits(limits=1):
            model.fit(x_train, y_train)
        predicted = model.predict(x_val)
        metrics = {"accuracy": round(float(accuracy_score(y_val, predicted)), 5),
                   "macro_f1": round(float(f1_score(y_val, predicted, average="macro",
                                                    labels=list(range(len(labels))), zero_division=0)), 5)}
        return {"model": "logistic_regression", "metric": "accuracy", "value": metrics["accuracy"],
                "metrics": metrics, "features": f"{BASELINE_SIDE}x{BASELINE_SIDE} grey pixels"}
