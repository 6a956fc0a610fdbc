"""A recipe a vertical brings (recipes.py -> RECIPES): least squares by gradient descent on
a seeded synthetic problem, its learning rate searched, its weights served by this
vertical's numpy backend. It proves a study runs any registered recipe."""
import json
from typing import ClassVar

import numpy as np

from core.training.recipes import Recipe, TrainResult


class LeastSquares(Recipe):
    name = "dummy.least_squares"
    task = "regression"
    dataset_kind = "tabular"
    metric, direction = "mse", "minimize"
    description = "Gradient descent on a synthetic linear problem (tests)."
    default_params: ClassVar[dict] = {"learning_rate": 0.1}

    def check(self, dataset_version, params):
        return {"metric": self.metric, "direction": self.direction}

    def search_space(self, params):
        return {"learning_rate": {"type": "float", "low": 0.01, "high": 0.4, "log": True}}

    def train(self, ctx, dataset_version, params, report):
        from core.inference.lib.bundle import write_bundle

        rng = np.random.default_rng(int(params.get("seed", 0)))
        x = rng.normal(size=(100, 3))
        y = x @ np.array([1.0, -2.0, 0.5])
        w = np.zeros(3)
        for step in range(1, 21):
            w -= params["learning_rate"] * 2 * x.T @ (x @ w - y) / len(y)
            loss = float(np.mean((x @ w - y) ** 2))
            if not report(step, loss):
                break
        weights = ctx.workdir / "w.json"
        weights.write_text(json.dumps({"weights": w.round(10).tolist()}))
        bundle = write_bundle(ctx.workdir / "model.zip", {"task": self.task, "labels": [], "files": {"numpy": "w.json"}},
                              {"w.json": weights})
        return TrainResult(value=loss, metrics={"mse": loss}, bundle=bundle)


RECIPES = [LeastSquares()]
