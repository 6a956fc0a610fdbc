"""energy.heat_load: a day-ahead load forecaster (heat-exchange stations, feeders) from
a tabular dataset version.

params: dataset_version (required; columns timestamp, <target>, temperature, workday,
regular steps, see lib.forecast), target ("demand"), test_weeks (8: the rolling-origin
day-ahead evaluation on the last weeks), refit_every (1: refit the model every day of
the evaluation), options (lib.forecast.DEFAULTS: alpha, heat_base, cool_base, hot_base),
seed (recorded; the fit has no randomness), model_id (optional: register a version).

The temperature of the forecast day is taken from the table itself, i.e. the evaluation
assumes a perfect temperature forecast; in service the caller sends its own forecast.
The model version's artifact is a bundle holding forecast.json (deterministic JSON, no
pickle; served by the "forecast" backend) and report.json (the evaluation per day), so a
reproduction from the same inputs gives the same SHA-256."""
import json

MAX_TEST_WEEKS = 26


def _params(p):
    if "dataset_version" not in p:
        raise ValueError("params.dataset_version is required")
    target = p.get("target", "demand")
    if not isinstance(target, str) or not target:
        raise ValueError("params.target must be a column name")
    try:
        test_weeks, refit_every = int(p.get("test_weeks", 8)), int(p.get("refit_every", 1))
    except (TypeError, ValueError):
        raise ValueError("params.test_weeks and params.refit_every must be whole numbers") from None
    if not 1 <= test_weeks <= MAX_TEST_WEEKS:
        raise ValueError(f"params.test_weeks must be between 1 and {MAX_TEST_WEEKS}")
    if not 1 <= refit_every <= 7 * test_weeks:
        raise ValueError("params.refit_every must be between 1 and the number of test days")
    options = p.get("options") or {}
    if not isinstance(options, dict):
        raise ValueError("params.options must be an object")
    return target, test_weeks, refit_every, options


def heat_load(ctx):
    from threadpoolctl import threadpool_limits

    from core.data.actions.tables import load_table
    from core.inference.lib.bundle import write_bundle

    from ..lib import forecast as fc

    p = ctx.params
    target, test_weeks, refit_every, options = _params(p)
    dv = ctx.dataset_version()
    ctx.progress(0.05, f"reading {dv} ({dv.artifact_id[:12]})")
    frame = load_table(dv)
    df, periods = fc.prepare(frame, target=target)  # a bad table fails here, with the column named
    ctx.log(f"{len(df)} rows, {periods} periods a day, {len(df) // periods} whole days "
            f"from {df['timestamp'].iloc[0]} to {df['timestamp'].iloc[-1]}")

    def progress(fraction):
        ctx.progress(0.1 + 0.7 * fraction, f"rolling-origin evaluation: {fraction:.0%} of {test_weeks} week(s)")

    with threadpool_limits(limits=1):  # one BLAS thread: the same sums, bit for bit
        ev = fc.evaluate(frame, target=target, test_weeks=test_weeks, options=options, refit_every=refit_every,
                         progress=progress)
        ctx.progress(0.85, "fitting the final model on every day")
        model = fc.fit(frame, target=target, options=options)
    m = ev["metrics"]
    ctx.log("MAPE {:.3f}% (seasonal naive {:.3f}%, daily naive {:.3f}%), skill vs seasonal {:.3f}".format(
        m["mape"], m["mape_seasonal_naive"], m["mape_daily_naive"], m["skill_vs_seasonal"]))

    protocol = {"evaluation": "rolling origin, day-ahead, expanding window", "test_weeks": test_weeks,
                "test_days": ev["test_days"], "refit_every_days": refit_every, "periods_per_day": periods,
                "first_test_day": ev["first_test_day"], "last_test_day": ev["last_test_day"], "target": target,
                "temperature_forecast": "perfect (the actual temperatures of the forecast day)",
                "baselines": {"seasonal_naive": "same period one week earlier",
                              "daily_naive": "same period the day before"},
                "seed": int(p.get("seed", 0)), "config": model["config"]}
    report = {"protocol": protocol, "metrics": m, "per_day": ev["per_day"], "training": model["training"]}
    work = ctx.workdir
    (work / "forecast.json").write_text(fc.model_to_json(model))
    (work / "report.json").write_text(json.dumps(report, sort_keys=True, default=float))
    manifest = {"task": "load_forecast", "labels": [], "files": {"forecast": "forecast.json"},
                "input": {"history": f"the {model['history_days']} whole days before the forecast day: "
                                     f"timestamp, {target}, temperature, workday",
                          "temperature": f"the forecast day's {periods} temperatures", "workday": "0 or 1"}}
    bundle = write_bundle(work / "forecast-bundle.zip", manifest,
                          {"forecast.json": work / "forecast.json", "report.json": work / "report.json"})

    def r(v):
        return round(float(v), 6)

    metrics = {
        "mape": r(m["mape"]), "rmse": r(m["rmse"]),
        "mape_seasonal_naive": r(m["mape_seasonal_naive"]), "mape_daily_naive": r(m["mape_daily_naive"]),
        "rmse_seasonal_naive": r(m["rmse_seasonal_naive"]), "rmse_daily_naive": r(m["rmse_daily_naive"]),
        "skill_vs_seasonal": r(m["skill_vs_seasonal"]),
        "evaluation": {**fc.chart(ev), "protocol": protocol,
                       "per_day": [{k: (r(v) if isinstance(v, float) else v) for k, v in d.items()}
                                   for d in ev["per_day"]]},
    }
    result = {"metrics": {k: v for k, v in metrics.items() if k != "evaluation"}}
    ctx.progress(0.95, "bundle written")
    if p.get("model_id"):
        registered = ctx.target_model()
        version = ctx.register_model_version(
            registered, bundle, metrics=metrics,
            description=f"day-ahead load forecast on {dv}: MAPE {m['mape']:.2f}% vs seasonal naive "
                        f"{m['mape_seasonal_naive']:.2f}% over the last {test_weeks} week(s)")
        result["model_version"] = version.pk
    return result
