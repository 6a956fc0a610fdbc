"""finance.scorecard: a credit scorecard from a tabular dataset version.

params: dataset_version (required), target (required; 1 = bad), options (binning,
selection and scaling options of lib.scorecard), features (optional list),
test_size (0.3), seed (0), cv_folds (5; 0 skips cross-validation), model_id (optional).
The model version's artifact is a bundle holding scorecard.json (deterministic JSON,
no pickle) and report.json (curves, PSI, importance), so a reproduction from the same
inputs gives the same SHA-256."""
import json


def scorecard(ctx):
    import numpy as np
    from sklearn.model_selection import train_test_split

    from core.data.actions.tables import load_table
    from core.data.models import DatasetVersion
    from core.hub.models import RegisteredModel
    from core.inference.lib.bundle import write_bundle

    from .lib import metrics as m
    from .lib.scorecard import build_scorecard, score_frame, scorecard_to_json

    p = ctx.params
    for key in ("dataset_version", "target"):
        if key not in p:
            raise ValueError(f"params.{key} is required")
    seed, test_size = int(p.get("seed", 0)), float(p.get("test_size", 0.3))
    if not 0.05 <= test_size <= 0.5:
        raise ValueError("params.test_size must be between 0.05 and 0.5")
    dv = DatasetVersion.objects.select_related("dataset__organisation", "artifact").get(pk=p["dataset_version"])
    data_path, job_path = dv.dataset.organisation.path, ctx.organisation.path
    if not (job_path.startswith(data_path) or data_path.startswith(job_path)):
        raise PermissionError("the dataset belongs to an organisation outside this job's line")
    ctx.used_dataset(dv)
    ctx.progress(0.05, f"reading {dv} ({dv.artifact_id[:12]})")
    df = load_table(dv)
    target = p["target"]
    if target not in df.columns:
        raise ValueError(f"target column {target!r} is not in the table")
    y = df[target].astype(int).to_numpy()
    tr, te = train_test_split(np.arange(len(y)), test_size=test_size, stratify=y, random_state=seed)
    tr, te = np.sort(tr), np.sort(te)
    train, test = df.iloc[tr], df.iloc[te]
    ctx.progress(0.15, f"binning and fitting on {len(tr)} rows; holding out {len(te)}")
    card = build_scorecard(train, target, p.get("options"), p.get("features"))
    s_train = score_frame(card, train, on_invalid="neutral")["score"].to_numpy()
    s_test = score_frame(card, test, on_invalid="neutral")["score"].to_numpy()
    evaluation = m.evaluate_scores(y[te], s_test)
    train_eval = m.evaluate_scores(y[tr], s_train)
    stability = m.psi(s_train, s_test)
    ctx.progress(0.45, "AUC {:.3f} KS {:.3f} PSI {:.4f} on the holdout".format(
        evaluation["auc"], evaluation["ks"]["ks"], stability["psi"]))
    features = [c for c in df.columns if c != target and c not in (p.get("options") or {}).get("exclude", [])]
    importance = m.rf_importance(train, target, features=p.get("features") or features, random_state=seed)
    cv = None
    if int(p.get("cv_folds", 5)):
        ctx.progress(0.55, f"{int(p.get('cv_folds', 5))}-fold cross-validation of the whole pipeline")
        cv = m.cross_validate_scorecard(df, target, p.get("options"), n_splits=int(p.get("cv_folds", 5)), seed=seed,
                                        features=p.get("features"))
        ctx.log("cross-validated AUC {:.3f} ± {:.3f}, KS {:.3f}".format(cv["mean_auc"], cv["std_auc"], cv["mean_ks"]))

    report = {"protocol": {"split": "stratified holdout", "test_size": test_size, "seed": seed,
                           "cv_folds": int(p.get("cv_folds", 5)), "rows": int(len(df)), "target": target,
                           "bad_rate": float(y.mean())},
              "holdout": evaluation, "train": {k: train_eval[k] for k in ("auc", "gini", "ks", "n")},
              "psi": stability, "score_bands": m.score_bands(s_train), "rf_importance": importance,
              "cross_validation": cv}
    work = ctx.workdir
    (work / "scorecard.json").write_text(scorecard_to_json(card))
    (work / "report.json").write_text(json.dumps(report, sort_keys=True, default=float))
    manifest = {"task": "scorecard", "labels": [], "input": {"fields": card.get("schema", {})},
                "files": {"scorecard": "scorecard.json"}}
    bundle = write_bundle(work / "scorecard-bundle.zip", manifest,
                          {"scorecard.json": work / "scorecard.json", "report.json": work / "report.json"})
    metrics = {
        "auc": round(evaluation["auc"], 6), "ks": round(evaluation["ks"]["ks"], 6),
        "gini": round(evaluation["gini"], 6), "psi": round(stability["psi"], 6),
        "train_auc": round(train_eval["auc"], 6), "variables": len(card["variables"]),
        "cv_mean_auc": round(cv["mean_auc"], 6) if cv else None, "cv_mean_ks": round(cv["mean_ks"], 6) if cv else None,
        "evaluation": {"roc": evaluation["roc"], "ks_curve": evaluation["ks_curve"],
                       "histogram": evaluation["histogram"], "ks_threshold": evaluation["ks"].get("threshold"),
                       "score_bands": report["score_bands"], "psi_bands": stability["bands"],
                       "rf_importance": importance[:15]},
    }
    metrics = {k: v for k, v in metrics.items() if v is not None}
    result = {"metrics": {k: v for k, v in metrics.items() if k != "evaluation"}}
    if p.get("model_id"):
        model = RegisteredModel.objects.get(pk=p["model_id"], organisation=ctx.organisation)
        version = ctx.register_model_version(model, bundle, metrics=metrics,
                                             description=f"scorecard on {dv} ({len(card['variables'])} variables)")
        result["model_version"] = version.pk
    return result


def fraud(ctx):
    """finance.fraud: the anti-fraud model on a transactions dataset version.
    params: dataset_version, target ('fraud'), alert_rates ([0.01, 0.05]), seed, model_id."""
    from core.data.actions.tables import load_table
    from core.data.models import DatasetVersion
    from core.hub.models import RegisteredModel
    from core.inference.lib.bundle import write_bundle

    from .lib import fraud as fraud_lib

    p = ctx.params
    dv = DatasetVersion.objects.select_related("dataset__organisation", "artifact").get(pk=p["dataset_version"])
    ctx.used_dataset(dv)
    ctx.progress(0.1, f"reading {dv}")
    df = load_table(dv)
    ctx.progress(0.3, "training the anti-fraud model")
    result = fraud_lib.train_and_evaluate(df, target=p.get("target", "fraud"), seed=int(p.get("seed", 0)),
                                          alert_rates=p.get("alert_rates", [0.01, 0.05]))
    work = ctx.workdir
    (work / "fraud_model.json").write_text(fraud_lib.model_to_json(result["model"]))
    bundle = write_bundle(work / "fraud-bundle.zip", {"task": "fraud", "labels": [], "files": {
        "fraud": "fraud_model.json"}}, {"fraud_model.json": work / "fraud_model.json"})
    metrics = result["metrics"]
    out = {"metrics": metrics}
    if p.get("model_id"):
        model = RegisteredModel.objects.get(pk=p["model_id"], organisation=ctx.organisation)
        out["model_version"] = ctx.register_model_version(model, bundle, metrics=metrics).pk
    return out


TRAINERS = {"finance.scorecard": scorecard, "finance.fraud": fraud}
