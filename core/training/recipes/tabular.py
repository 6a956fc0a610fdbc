"""What the two tabular recipes share: the settings they take, the checks on the table,
the search space of scikit-learn's HistGradientBoosting and the training of one trial
(core.training.lib.boosting), and the bundle served by the cpu-trees profile: the trees
as JSON (core.inference.lib.trees) and the columns in the manifest
(core.inference.lib.tabular), no pickle."""
import json
from typing import ClassVar

from django.core.exceptions import ValidationError

from core.inference.lib.tabular import encode_frame, fit_schema

from ..lib import boosting
from ..lib.search import fixed_value_errors, unfixed
from .base import Recipe, TrainResult

# Column names are checked on this many rows at most; training reads the whole table.
CHECKED_ROWS = 1_000_000
SPACE = {
    "learning_rate": {"type": "float", "low": 0.01, "high": 0.3, "log": True},
    "max_leaf_nodes": {"type": "int", "low": 8, "high": 64},
    "min_samples_leaf": {"type": "int", "low": 5, "high": 100},
    "l2_regularization": {"type": "float", "low": 1e-6, "high": 1.0, "log": True},
}
# scikit-learn's own defaults, but for l2_regularization: 0 is outside a log scale, 1e-6 is as good as 0.
DEFAULTS = {"learning_rate": 0.1, "max_leaf_nodes": 31, "min_samples_leaf": 20, "l2_regularization": 1e-6}
# Settings, not searched: the target column, the feature columns (default: all others), the
# share of rows held out to judge trials, and the cap on boosting iterations (early stopping
# on the held-out rows decides how many are kept).
SETTINGS = {"target": None, "features": None, "validation_fraction": 0.2, "max_iter": 300}


class TabularRecipe(Recipe):
    dataset_kind = "tabular"
    default_params: ClassVar[dict] = DEFAULTS
    settings: ClassVar[dict] = {
        "target": {"kind": "column", "required": True, "help": "the column to predict"},
        "features": {"kind": "columns", "help": "the columns to learn from (default: every other column)"},
        "validation_fraction": {"kind": "number", "default": SETTINGS["validation_fraction"],
                                "help": "the share of rows held out to judge each trial (0.1-0.5)"},
        "max_iter": {"kind": "integer", "default": SETTINGS["max_iter"],
                     "help": "the most boosting iterations a trial grows (early stopping keeps fewer)"},
    }
    warmup_steps = 20  # boosting iterations: reports come every 10

    def search_space(self, params):
        return unfixed(SPACE, params)

    # -- the study's checks, before anything is queued

    def check(self, dataset_version, params):
        from core.data.actions.tables import read_columns

        self.check_kind(dataset_version)
        target, features = self._check_settings(params)
        header, frame, _ = read_columns(dataset_version, [target], max_rows=CHECKED_ROWS)
        if target not in header:
            raise ValidationError({"params": f"target: column {target!r} is not in the table "
                                             f"(columns: {_shown(header)})"})
        absent = [f for f in features or [] if f not in header]
        if absent:
            raise ValidationError({"params": f"features: {', '.join(map(repr, absent))} not in the table "
                                             f"(columns: {_shown(header)})"})
        if not [c for c in (features or header) if c != target]:
            raise ValidationError({"params": "features: the table has no column besides the target to learn from"})
        values = frame[target].dropna()
        return {**self.check_target(target, values), "rows": len(frame)}

    def _check_settings(self, params):
        if not isinstance(params, dict):
            raise ValidationError({"params": "must be a JSON object"})
        known = [*SETTINGS, *SPACE]
        errors = []
        unknown = [k for k in params if k not in known]
        if unknown:
            errors.append(f"unknown setting {', '.join(map(repr, unknown))}; {self.name} takes {', '.join(known)}")
        target = params.get("target")
        if not isinstance(target, str) or not target:
            errors.append("target: name the column to predict")
        features = params.get("features")
        if features is not None and (not isinstance(features, list) or not features
                                     or not all(isinstance(f, str) for f in features)):
            errors.append("features: must be a non-empty list of column names")
            features = None
        fraction = params.get("validation_fraction", SETTINGS["validation_fraction"])
        if isinstance(fraction, bool) or not isinstance(fraction, (int, float)) or not 0.1 <= fraction <= 0.5:
            errors.append("validation_fraction: must be a number from 0.1 to 0.5")
        max_iter = params.get("max_iter", SETTINGS["max_iter"])
        if isinstance(max_iter, bool) or not isinstance(max_iter, int) or not 10 <= max_iter <= 2000:
            errors.append("max_iter: must be a whole number from 10 to 2000")
        errors += fixed_value_errors(SPACE, params)
        if errors:
            raise ValidationError({"params": errors})
        return target, features

    def check_target(self, target, values) -> dict:
        """The plan's facts about the target column's (non-missing) values; ValidationError
        when they cannot be learnt by this recipe."""
        raise NotImplementedError

    # -- one trial, in a job

    def prepare(self, frame, params):
        """(schema, X, y, labels, kind) of the table: rows without a target are left out."""
        target = params["target"]
        if target not in frame.columns:
            raise ValueError(f"target column {target!r} is not in the table")
        frame = frame[frame[target].notna()].reset_index(drop=True)
        schema = fit_schema(frame, target, params.get("features"))
        if not schema["columns"]:
            raise ValueError(f"no usable feature columns (left out: {schema['dropped']})")
        y, labels, kind = self.encode_target(frame[target])
        return schema, encode_frame(schema, frame), y, labels, kind

    def encode_target(self, values):
        """(y as numbers, labels: the class names in code order, [] for a regression, kind)."""
        raise NotImplementedError

    def _split(self, dataset_version, params):
        from core.data.actions.tables import load_table

        schema, X, y, labels, kind = self.prepare(load_table(dataset_version), {**SETTINGS, **params})
        fraction = float(params.get("validation_fraction", SETTINGS["validation_fraction"]))
        train, val = boosting.holdout(y, kind=kind, fraction=fraction, seed=int(params.get("seed", 0)))
        return schema, X, y, labels, kind, train, val

    def train(self, ctx, dataset_version, params, report):
        from core.inference.lib.bundle import write_bundle

        p = {**SETTINGS, **DEFAULTS, **params}
        schema, X, y, labels, kind, train, val = self._split(dataset_version, p)
        ctx.log(f"{self.name}: {len(train)} rows to train, {len(val)} to validate, {len(schema['columns'])} "
                f"columns ({kind}); " + ", ".join(f"{k}={p[k]:.4g}" for k in SPACE))
        fitted = boosting.fit_boosted(X[train], y[train], X[val], y[val], kind=kind, params=p,
                                      seed=int(p.get("seed", 0)), report=report)
        trees_path = ctx.workdir / "trees.json"
        trees_path.write_text(json.dumps(fitted["model"], sort_keys=True, separators=(",", ":"), allow_nan=False))
        metric = boosting.OBJECTIVE[kind][0]
        manifest = {"task": self.task, "labels": labels, "input": schema, "files": {"trees": "trees.json"},
                    "target": p["target"], "recipe": self.name, "metric": metric,
                    "params": {k: p[k] for k in SPACE}, "iterations": fitted["iterations"]}
        bundle = write_bundle(ctx.workdir / "model.zip", manifest, {"trees.json": trees_path})
        metrics = {**fitted["metrics"], "iterations": fitted["iterations"], "rows_train": len(train),
                   "rows_validation": len(val)}
        return TrainResult(value=fitted["value"], metrics=metrics, bundle=bundle, stopped=fitted["stopped"],
                           notes={"history": fitted["history"], "dropped": schema["dropped"],
                                  "evaluation": _evaluation(fitted["model"], X[val], y[val], val, labels, kind)})

    def baseline(self, ctx, dataset_version, params):
        schema, X, y, _, kind, train, val = self._split(dataset_version, params)
        categorical = [j for j, name in enumerate(schema["columns"]) if name in schema["categorical"]]
        return boosting.fit_baseline(X[train], y[train], X[val], y[val], kind=kind, categorical=categorical,
                                     seed=int(params.get("seed", 0)))


def _evaluation(model, X_val, y_val, rows, labels, kind) -> dict:
    """The trial's evaluation record as the hub keeps it ({"kind", "summary", "report",
    "split"}), from the exported trees' own answers on the validation rows: ROC and KS for two
    classes, a confusion matrix for more, residuals for a regression."""
    from core.inference.lib import trees

    from ..lib import evaluation as build

    answer = trees.predict(model, X_val)
    split = f"validation split: {len(rows)} rows"
    if kind == "binary":
        summary, report = build.binary_report(y_val, answer)
        return {"kind": "tabular_classification", "summary": summary, "report": report, "split": split}
    if kind == "multiclass":
        summary, report = build.classification_report(y_val, None, answer, labels, [int(r) for r in rows])
        return {"kind": "classification", "summary": summary, "report": report, "split": split}
    summary, report = build.regression_report(y_val, answer, ids=[int(r) for r in rows])
    return {"kind": "regression", "summary": summary, "report": report, "split": split}


def _shown(header, limit=20):
    return ", ".join(header[:limit]) + (", ..." if len(header) > limit else "")
