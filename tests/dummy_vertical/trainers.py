"""A real (tiny) trainer: gradient descent on a seeded synthetic regression problem.
`step_sleep_s` slows it so tests can kill a worker mid-job."""
import json
import time

import numpy as np


def least_squares(ctx):
    p = ctx.params
    rng = np.random.default_rng(ctx.seed)
    n, d = int(p.get("rows", 200)), int(p.get("features", 3))
    steps = int(p.get("steps", 20))
    if p.get("fail"):
        raise ValueError("asked to fail")
    true_w = rng.normal(size=d)
    x = rng.normal(size=(n, d))
    y = x @ true_w + rng.normal(scale=0.01, size=n)
    w = np.zeros(d)
    losses = []
    for step in range(steps):
        grad = 2 * x.T @ (x @ w - y) / n
        w -= 0.1 * grad
        loss = float(np.mean((x @ w - y) ** 2))
        losses.append(loss)
        ctx.progress((step + 1) / steps, f"step {step + 1}/{steps} loss {loss:.5f}")
        time.sleep(float(p.get("step_sleep_s", 0)))
    out = ctx.workdir / "weights.json"
    out.write_text(json.dumps({"weights": w.round(10).tolist()}, sort_keys=True))
    result = {"first_loss": losses[0], "final_loss": losses[-1]}
    if model := ctx.target_model():
        version = ctx.register_model_version(model, out, metrics={"mse": losses[-1]})
        result["model_version"] = version.pk
    return result


TRAINERS = {"dummy.least_squares": least_squares}
