"""tabular_regression: a number per row of a table, by gradient-boosted trees (squared
error); judged by RMSE (MAE and R² beside it) on a held-out split. Baseline: ridge."""
import numpy as np
from django.core.exceptions import ValidationError

from ..lib.boosting import OBJECTIVE
from .tabular import TabularRecipe

MIN_ROWS = 20


class TabularRegression(TabularRecipe):
    name = "tabular_regression"
    task = "tabular_regression"
    metric, direction = OBJECTIVE["regression"]
    description = ("Predicts a number for each row of a table with gradient-boosted trees (HistGradientBoosting). "
                   "Metric: RMSE on a validation split (lower is better); MAE and R² beside it.")

    def check_target(self, target, values):
        import pandas as pd

        numbers = pd.to_numeric(values, errors="coerce")
        texts = values[numbers.isna()]
        if len(texts):
            raise ValidationError({"params": f"target: column {target!r} holds texts such as {texts.iloc[0]!r}; "
                                             "a regression predicts numbers (tabular_classification predicts classes)"})
        if len(numbers) < MIN_ROWS:
            raise ValidationError({"params": f"target: column {target!r} has {len(numbers)} values; "
                                             f"a regression needs at least {MIN_ROWS} rows"})
        metric, direction = OBJECTIVE["regression"]
        return {"kind": "regression", "metric": metric, "direction": direction,
                "target": {"min": float(numbers.min()), "max": float(numbers.max()), "mean": float(numbers.mean())}}

    def encode_target(self, values):
        import pandas as pd

        return pd.to_numeric(values, errors="raise").to_numpy(dtype=np.float64), [], "regression"
