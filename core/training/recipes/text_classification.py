"""text_classification: a class per text of a text dataset (JSON Lines with a label per
text, core.data.lib.texts), by TF-IDF on character n-grams (word n-grams beside them as a
choice) and a logistic regression (core.training.lib.textclass); judged by macro-F1
(accuracy beside it) on a stratified held-out split. Baseline: multinomial naive Bayes.

The bundle is served by the cpu-linear profile: the vocabulary, idf and coefficients as
JSON (core.inference.lib.textlinear), scored with numpy, no pickle."""
import json
from typing import ClassVar

from django.core.exceptions import ValidationError

from core.inference.lib.textlinear import TextLinear, export_linear

from ..lib import textclass
from ..lib.boosting import holdout
from ..lib.search import fixed_value_errors, unfixed
from .base import Recipe, TrainResult

MIN_TEXTS_PER_CLASS = 10
MAX_CLASSES = 200
SPACE = {
    "ngrams": {"type": "categorical", "choices": list(textclass.NGRAMS)},
    "min_df": {"type": "int", "low": 1, "high": 5},
    "max_features": {"type": "categorical", "choices": [2000, 10000, 30000]},
    "C": {"type": "float", "low": 0.01, "high": 100.0, "log": True},
    "class_weight": {"type": "categorical", "choices": list(textclass.CLASS_WEIGHTS)},
}
# scikit-learn's defaults (C 1, no class weights) on char_wb 1-3 beside words and word pairs.
DEFAULTS = {"ngrams": "char_wb:1-3+word:1-2", "min_df": 2, "max_features": 30000, "C": 1.0, "class_weight": "none"}
SETTINGS = {"validation_fraction": 0.2}


class TextClassification(Recipe):
    name = "text_classification"
    task = "text_classification"
    dataset_kind = "text"
    metric, direction = "macro_f1", "maximize"
    description = ("Predicts a class for each text (Chinese or English) with TF-IDF on character n-grams and a "
                   "logistic regression. Metric: macro-F1 on a stratified validation split; accuracy beside it.")
    default_params: ClassVar[dict] = DEFAULTS
    settings: ClassVar[dict] = {
        "validation_fraction": {"kind": "number", "default": SETTINGS["validation_fraction"],
                                "help": "the share of labelled texts held out to judge each trial (0.1-0.5)"},
    }
    # One fit per trial, one report at its end (step 1): a logistic regression has no curve
    # to prune on, so no trial is pruned (the warm-up lies past its only step).
    warmup_steps = 2

    def search_space(self, params):
        return unfixed(SPACE, params)

    def steps(self, params):
        return 1

    # -- the study's checks, before anything is queued

    def check(self, dataset_version, params):
        self.check_kind(dataset_version, "JSON Lines with a label per text")
        self._check_settings(params)
        index = _texts(dataset_version)
        labelled = [s for s in index.samples if s.label]
        counts = {}
        for s in labelled:
            counts[s.label] = counts.get(s.label, 0) + 1
        if not labelled:
            what = "entity spans but no text classes" if index.entity_types else "no labelled text"
            raise ValidationError({"dataset_version": f"{dataset_version} has {what}; text classification "
                                                      "learns from texts with a label"})
        if len(counts) < 2:
            raise ValidationError({"dataset_version": f"{dataset_version} has {len(counts)} class "
                                                      f"({', '.join(counts)}); a classifier needs at least two"})
        if len(counts) > MAX_CLASSES:
            raise ValidationError({"dataset_version": f"{dataset_version} has {len(counts)} classes, over "
                                                      f"{MAX_CLASSES}"})
        few = {label: n for label, n in sorted(counts.items()) if n < MIN_TEXTS_PER_CLASS}
        if few:
            shown = ", ".join(f"{label!r} ({n})" for label, n in few.items())
            raise ValidationError({"dataset_version": f"every class needs at least {MIN_TEXTS_PER_CLASS} labelled "
                                                      f"texts; too few for {shown}"})
        return {"metric": self.metric, "direction": self.direction, "texts": len(labelled),
                "unlabelled": len(index.samples) - len(labelled), "classes": dict(sorted(counts.items()))}

    def _check_settings(self, params):
        if not isinstance(params, dict):
            raise ValidationError({"params": "must be a JSON object"})
        known = [*SETTINGS, *SPACE]
        errors = []
        unknown = [k for k in params if k not in known]
        if unknown:
            errors.append(f"unknown setting {', '.join(map(repr, unknown))}; {self.name} takes {', '.join(known)}")
        fraction = params.get("validation_fraction", SETTINGS["validation_fraction"])
        if isinstance(fraction, bool) or not isinstance(fraction, (int, float)) or not 0.1 <= fraction <= 0.5:
            errors.append("validation_fraction: must be a number from 0.1 to 0.5")
        errors += fixed_value_errors(SPACE, params)
        if errors:
            raise ValidationError({"params": errors})

    # -- one trial, in a job

    def _split(self, dataset_version, params):
        samples = [s for s in _texts(dataset_version).samples if s.label]
        texts = [s.text for s in samples]
        labels = [s.label for s in samples]
        fraction = float(params.get("validation_fraction", SETTINGS["validation_fraction"]))
        train, val = holdout(labels, kind="multiclass", fraction=fraction, seed=int(params.get("seed", 0)))
        return ([texts[i] for i in train], [labels[i] for i in train], [texts[i] for i in val],
                [labels[i] for i in val])

    def train(self, ctx, dataset_version, params, report):
        from core.inference.lib.bundle import write_bundle

        p = {**SETTINGS, **DEFAULTS, **params}
        x_train, y_train, x_val, y_val = self._split(dataset_version, p)
        ctx.log(f"{self.name}: {len(x_train)} texts to train, {len(x_val)} to validate; "
                + ", ".join(f"{k}={p[k]}" for k in SPACE))
        vecs, clf = textclass.fit_linear(x_train, y_train, params=p, seed=int(p.get("seed", 0)))
        model = export_linear(vecs, clf)
        # The exported model, not the pipeline: the metrics describe what will be served.
        scorer = TextLinear(model)
        metrics = textclass.score(y_val, scorer.predict_proba(x_val), scorer.classes)
        stopped = report(1, metrics[self.metric]) is False
        path = ctx.workdir / "textlinear.json"
        path.write_text(json.dumps(model, ensure_ascii=False, separators=(",", ":"), allow_nan=False),
                        encoding="utf-8")
        manifest = {"task": self.task, "labels": scorer.classes, "files": {"text_linear": "textlinear.json"},
                    "input": {"texts": "a list of texts"}, "recipe": self.name, "metric": self.metric,
                    "params": {k: p[k] for k in SPACE},
                    "features": {a["analyzer"]: len(a["vocabulary"]) for a in model["analyzers"]}}
        bundle = write_bundle(ctx.workdir / "model.zip", manifest, {"textlinear.json": path})
        metrics.update({"texts_train": len(x_train), "texts_validation": len(x_val),
                        "features": sum(len(a["vocabulary"]) for a in model["analyzers"])})
        return TrainResult(value=metrics[self.metric], metrics=metrics, bundle=bundle, stopped=stopped,
                           notes={"history": [[1, metrics[self.metric]]]})

    def baseline(self, ctx, dataset_version, params):
        x_train, y_train, x_val, y_val = self._split(dataset_version, {**SETTINGS, **params})
        return textclass.fit_baseline(x_train, y_train, x_val, y_val)


def _texts(dataset_version):
    """The TextIndex of a text version (its JSON Lines verified by hash, parsed once)."""
    from core.data.gallery import texts_of

    try:
        return texts_of(dataset_version)
    except (OSError, ValueError) as exc:
        raise ValidationError({"dataset_version": f"{dataset_version} cannot be read as texts ({exc})"}) from None
