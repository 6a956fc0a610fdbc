"""core.linear_regression: a baseline regressor on a CSV dataset version.
params: dataset_version (id), target (column), features (optional list), model_id, seed."""
import json

from core.data.models import DatasetVersion
from core.hub.actions.artifacts import open_verified_path
from core.hub.models import RegisteredModel

from ..lib.linear import fit, read_numeric_csv


def linear_regression(ctx):
    p = ctx.params
    dv = DatasetVersion.objects.select_related("artifact", "dataset").get(pk=p["dataset_version"])
    data_path, job_path = dv.dataset.organisation.path, ctx.organisation.path
    # Data flows down the tree (HQ data trains a branch model) and up (HQ trains on a branch's data).
    if not (job_path.startswith(data_path) or data_path.startswith(job_path)):
        raise PermissionError("the dataset belongs to an organisation outside this job's line")
    ctx.used_dataset(dv)
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
        model = RegisteredModel.objects.get(pk=p["model_id"], organisation=ctx.organisation)
        version = ctx.register_model_version(model, out, metrics=result["metrics"])
        summary["model_version"] = version.pk
    return summary
