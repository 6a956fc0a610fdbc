"""core.linear_regression: a baseline regressor on a CSV dataset version.
params: dataset_version (id), target (column), features (optional list), model_id, seed."""
import json

from core.hub.actions.artifacts import open_verified_path

from ..lib.linear import fit, read_numeric_csv


def linear_regression(ctx):
    p = ctx.params
    dv = ctx.dataset_version()
    ctx.progress(0.1, f"reading {dv} ({dv.artifact_id[:12]})")
    x, y, features = read_numeric_csv(open_verified_path(dv.artifact).read_bytes(), p["target"], p.get("features"))
    ctx.progress(0.5, f"fitting {len(y)} rows x {len(features)} features")
    result = fit(x, y, seed=ctx.seed or 0)
    out = ctx.workdir / "linear.json"
    out.write_text(json.dumps({"features": features, "target": p["target"], "weights": result["weights"],
                               "intercept": result["intercept"]}, sort_keys=True))
    ctx.progress(0.9, "rmse {rmse:.3f} r2 {r2:.3f}".format(**result["metrics"]))
    summary = {"metrics": result["metrics"]}
    if p.get("model_id"):
        model = ctx.target_model()
        version = ctx.register_model_version(model, out, metrics=result["metrics"])
        summary["model_version"] = version.pk
    return summary
