"""forecasting: the next `horizon` values of a series kept as a table (a time column, a
target column, optional exogenous columns known ahead), by gradient-boosted trees on lag,
rolling-mean and calendar features with a direct strategy: one model for every horizon,
the horizon a feature (core.inference.lib.forecast). Judged by RMSE (MAE and MAPE beside
it) on the held-out tail, forecast window by window from the actual history before each
window; never a random split. Baseline: seasonal naive (the same time one season and one
week of seasons earlier).

The bundle is served by the cpu-trees profile: the trees as JSON, the lag spec in the
manifest ("forecast"), the forecast codec building the features from a caller's history."""
import json
from typing import ClassVar

from django.core.exceptions import ValidationError

from core.inference.lib import forecast as fl

from ..lib import forecasting
from ..lib.search import fixed_value_errors, unfixed
from .base import Recipe, TrainResult

CHECKED_ROWS = 1_000_000
MIN_SEASONS = 14            # two weeks of a daily season: "more than a few seasonal periods"
MAX_HORIZON = 1000          # steps, and at most one week of seasons
SPACE = {
    "lags": {"type": "categorical", "choices": list(fl.LAG_SETS)},
    "transform": {"type": "categorical", "choices": list(fl.TRANSFORMS)},
    "learning_rate": {"type": "float", "low": 0.01, "high": 0.3, "log": True},
    "max_leaf_nodes": {"type": "int", "low": 8, "high": 64},
    "min_samples_leaf": {"type": "int", "low": 5, "high": 100},
}
DEFAULTS = {"lags": "day", "transform": "level", "learning_rate": 0.1, "max_leaf_nodes": 31,
            "min_samples_leaf": 20}
# Settings, not searched: the columns, the horizon (steps ahead; default one season), the
# season (steps of one period; default from the step: a day of sub-daily steps, a week of
# daily ones), the held-out tail's share, the cap on boosting iterations and on training
# pairs (origin x horizon; a seeded sample beyond it).
SETTINGS = {"time": None, "target": None, "exogenous": [], "horizon": None, "season": None,
            "validation_fraction": 0.2, "max_iter": 300, "max_rows": 100_000}
FIXED = {"l2_regularization": 1e-6}


class Forecasting(Recipe):
    name = "forecasting"
    task = "forecast"
    dataset_kind = "tabular"
    metric, direction = "rmse", "minimize"
    description = ("Forecasts the next steps of a series (a time column and a target column; exogenous columns "
                   "known ahead optional) with gradient-boosted trees on lags, rolling means and the calendar, "
                   "one model for every horizon. Metric: RMSE on the held-out tail, forecast window by window; "
                   "baseline: seasonal naive.")
    default_params: ClassVar[dict] = DEFAULTS
    settings: ClassVar[dict] = {
        "time": {"kind": "column", "required": True, "help": "the time of each row, one row per step, sorted"},
        "target": {"kind": "column", "required": True, "help": "the number to forecast"},
        "exogenous": {"kind": "columns", "help": "numbers known ahead (a work-day flag, a weather forecast); "
                                                 "callers send them for the steps forecast"},
        "horizon": {"kind": "integer", "help": "how many steps ahead (default: one season, e.g. a day)"},
        "season": {"kind": "integer", "help": "steps of one period (default: a day of sub-daily steps, "
                                              "a week of daily ones)"},
        "validation_fraction": {"kind": "number", "default": SETTINGS["validation_fraction"],
                                "help": "the share of the series, at its end, held out to judge each trial (0.1-0.5)"},
        "max_iter": {"kind": "integer", "default": SETTINGS["max_iter"],
                     "help": "the most boosting iterations a trial grows (early stopping keeps fewer)"},
        "max_rows": {"kind": "integer", "default": SETTINGS["max_rows"],
                     "help": "the most (origin, horizon) pairs a trial trains on (a seeded sample beyond)"},
    }
    warmup_steps = 20  # boosting iterations: reports come every 10

    def search_space(self, params):
        return unfixed(SPACE, params)

    # -- the study's checks, before anything is queued

    def check(self, dataset_version, params):
        from core.data.actions.tables import read_columns

        self.check_kind(dataset_version, "a table with a time column")
        p = self._check_settings(params)
        columns = [p["time"], p["target"], *p["exogenous"]]
        header, frame, _ = read_columns(dataset_version, columns, max_rows=CHECKED_ROWS)
        for setting in ("time", "target"):
            if p[setting] not in header:
                raise ValidationError({"params": f"{setting}: column {p[setting]!r} is not in the table "
                                                 f"(columns: {_shown(header)})"})
        absent = [c for c in p["exogenous"] if c not in header]
        if absent:
            raise ValidationError({"params": f"exogenous: {', '.join(map(repr, absent))} not in the table "
                                             f"(columns: {_shown(header)})"})
        try:
            series = forecasting.load_series(frame, time=p["time"], target=p["target"], exogenous=p["exogenous"])
        except forecasting.SeriesError as exc:
            raise ValidationError({"params": str(exc)}) from None
        return {"metric": self.metric, "direction": self.direction, **self._plan(series, p)}

    def _check_settings(self, params):
        if not isinstance(params, dict):
            raise ValidationError({"params": "must be a JSON object"})
        known = [*SETTINGS, *SPACE]
        errors = []
        unknown = [k for k in params if k not in known]
        if unknown:
            errors.append(f"unknown setting {', '.join(map(repr, unknown))}; {self.name} takes {', '.join(known)}")
        for setting, what in (("time", "the column of each row's time"), ("target", "the column to forecast")):
            if not isinstance(params.get(setting), str) or not params.get(setting):
                errors.append(f"{setting}: name {what}")
        exogenous = params.get("exogenous", [])
        if not isinstance(exogenous, list) or not all(isinstance(c, str) and c for c in exogenous):
            errors.append("exogenous: must be a list of column names")
            exogenous = []
        elif {params.get("time"), params.get("target")} & set(exogenous) or len(set(exogenous)) != len(exogenous):
            errors.append("exogenous: list other columns than time and target, each once")

        def whole(name, low, high, *, optional=False):
            value = params.get(name, SETTINGS[name])
            if optional and value is None:
                return
            if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
                errors.append(f"{name}: must be a whole number from {low} to {high}")

        whole("horizon", 1, MAX_HORIZON, optional=True)
        whole("season", 2, 10_000, optional=True)
        whole("max_iter", 10, 2000)
        whole("max_rows", 1000, 1_000_000)
        fraction = params.get("validation_fraction", SETTINGS["validation_fraction"])
        if isinstance(fraction, bool) or not isinstance(fraction, (int, float)) or not 0.1 <= fraction <= 0.5:
            errors.append("validation_fraction: must be a number from 0.1 to 0.5")
        errors += fixed_value_errors(SPACE, params)
        if errors:
            raise ValidationError({"params": errors})
        return {**SETTINGS, **params, "exogenous": list(exogenous)}

    def _plan(self, series, p) -> dict:
        """The season, horizon and split a series gets; ValidationError naming the setting
        when the series cannot carry them."""
        step = series["step"]
        season = p.get("season") or fl.default_season(step)
        if not season:
            raise ValidationError({"params": f"season: the step is {forecasting._span(step)}, which divides no day; "
                                             "give season, the steps of one period"})
        horizon = p.get("horizon") or season
        limit = min(MAX_HORIZON, 7 * season)
        if horizon > limit:
            raise ValidationError({"params": f"horizon: {horizon} steps is over the limit of {limit} (a week of "
                                             f"seasons of {season} steps, at most {MAX_HORIZON})"})
        n = len(series["y"])
        need = max(fl.history_needed(fl.lag_plan(name, season)) for name in self._lag_sets(p))
        tail = n - forecasting.split_point(n, float(p["validation_fraction"]))
        least = max(MIN_SEASONS * season, need + 2 * season + tail)
        if n < least:
            raise ValidationError({"params": (
                f"time: the table has {n} steps of {forecasting._span(step)}; forecasting with a season of {season} "
                f"steps needs at least {least} ({MIN_SEASONS} seasons, and {need} steps of history before the "
                "first forecast plus two seasons to learn from besides the held-out tail)")})
        if tail < horizon:
            raise ValidationError({"params": (
                f"horizon: the held-out tail is {tail} steps, shorter than the horizon of {horizon}; raise "
                "validation_fraction or forecast fewer steps")})
        first, last = series["times"][0], series["times"][-1]
        return {"rows": n, "step_seconds": step, "step": forecasting._span(step), "season": season,
                "horizon": horizon, "history_needed": need, "validation_steps": tail,
                "first": str(first).replace("T", " "), "last": str(last).replace("T", " ")}

    @staticmethod
    def _lag_sets(p):
        return [p["lags"]] if "lags" in p else list(fl.LAG_SETS)

    # -- one trial, in a job

    def _series(self, dataset_version, p):
        from core.data.actions.tables import load_table

        frame = load_table(dataset_version)
        series = forecasting.load_series(frame, time=p["time"], target=p["target"], exogenous=p["exogenous"])
        plan = self._plan(series, p)
        split = forecasting.split_point(plan["rows"], float(p["validation_fraction"]))
        return series, plan, split

    def _spec(self, series, plan, p):
        return fl.make_spec(time=p["time"], target=p["target"], exogenous=p["exogenous"],
                            step_seconds=series["step"], season=plan["season"], horizon=plan["horizon"],
                            lags=p["lags"], transform=p["transform"])

    def train(self, ctx, dataset_version, params, report):
        from core.inference.lib.bundle import write_bundle

        p = {**SETTINGS, **DEFAULTS, **FIXED, **params}
        p["exogenous"] = list(p.get("exogenous") or [])
        series, plan, split = self._series(dataset_version, p)
        spec = self._spec(series, plan, p)
        ctx.log(f"{self.name}: {plan['rows']} steps of {plan['step']}, horizon {plan['horizon']}, season "
                f"{plan['season']}; held out the last {plan['rows'] - split}; "
                + ", ".join(f"{k}={p[k]}" for k in SPACE))
        fitted = forecasting.fit(series, spec, params=p, split=split, max_rows=int(p["max_rows"]),
                                 seed=int(p.get("seed", 0)), report=report)
        trees_path = ctx.workdir / "trees.json"
        trees_path.write_text(json.dumps(fitted["model"], sort_keys=True, separators=(",", ":"), allow_nan=False))
        manifest = {"task": self.task, "labels": [], "files": {"trees": "trees.json"}, "forecast": spec,
                    "recipe": self.name, "metric": self.metric, "params": {k: p[k] for k in SPACE},
                    "iterations": fitted["iterations"], "validation": {"from": str(series["times"][split]),
                                                                       "by_horizon": fitted["by_horizon"]}}
        bundle = write_bundle(ctx.workdir / "model.zip", manifest, {"trees.json": trees_path})
        return TrainResult(value=fitted["value"], metrics=fitted["metrics"], bundle=bundle,
                           stopped=fitted["stopped"], notes={"history": fitted["history"],
                                                              "by_horizon": fitted["by_horizon"]})

    def baseline(self, ctx, dataset_version, params):
        p = {**SETTINGS, **DEFAULTS, **params}
        p["exogenous"] = list(p.get("exogenous") or [])
        series, plan, split = self._series(dataset_version, p)
        found = forecasting.baseline_errors(series, self._spec(series, plan, p), split)
        best = min(found, key=lambda name: found[name]["rmse"])
        metrics = {f"{name}_{k}": v for name, e in found.items() for k, v in e.items() if v is not None}
        return {"model": best, "metric": self.metric, "value": found[best]["rmse"],
                "metrics": {**{k: v for k, v in found[best].items() if v is not None}, **metrics}}


def _shown(header, limit=20):
    return ", ".join(header[:limit]) + (", ..." if len(header) > limit else "")
