"""tabular_classification: a class per row of a table (two classes or more), by
gradient-boosted trees; judged by ROC AUC for two classes, by accuracy (macro-F1 beside
it) for more, on a stratified held-out split. Baseline: logistic regression."""
import numpy as np
from django.core.exceptions import ValidationError

from ..lib.boosting import OBJECTIVE
from .tabular import TabularRecipe

MIN_ROWS_PER_CLASS = 10
MAX_CLASSES = 100


class TabularClassification(TabularRecipe):
    name = "tabular_classification"
    task = "tabular_classification"
    metric, direction = OBJECTIVE["binary"]
    description = ("Predicts a class for each row of a table with gradient-boosted trees (HistGradientBoosting). "
                   "Metric: ROC AUC for two classes, accuracy for more, on a stratified validation split.")

    def check_target(self, target, values):
        counts = values.astype(str).value_counts()
        if len(counts) < 2:
            raise ValidationError({"params": f"target: column {target!r} has {len(counts)} class; "
                                             "a classifier needs at least two"})
        if len(counts) > MAX_CLASSES:
            raise ValidationError({"params": f"target: column {target!r} has {len(counts)} distinct values, over "
                                             f"{MAX_CLASSES} classes; to predict a number use tabular_regression"})
        few = counts[counts < MIN_ROWS_PER_CLASS]
        if len(few):
            shown = ", ".join(f"{label!r} ({n})" for label, n in few.items())
            raise ValidationError({"params": f"target: every class needs at least {MIN_ROWS_PER_CLASS} rows; "
                                             f"too few for {shown}"})
        kind = "binary" if len(counts) == 2 else "multiclass"
        metric, direction = OBJECTIVE[kind]
        return {"kind": kind, "metric": metric, "direction": direction,
                "classes": {str(label): int(n) for label, n in sorted(counts.items())}}

    def encode_target(self, values):
        classes = sorted(values.unique().tolist(), key=lambda v: (str(type(v)), v))
        codes = {value: i for i, value in enumerate(classes)}
        y = np.asarray([codes[v] for v in values.tolist()], dtype=np.int64)
        return y, [str(c) for c in classes], "binary" if len(classes) == 2 else "multiclass"
