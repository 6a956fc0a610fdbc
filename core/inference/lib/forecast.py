"""The features of a direct multi-step forecast, the same way in training and serving:
the forecasting recipe builds them for every (origin, horizon) pair of a series, the
forecast codec for the next `horizon` steps after a caller's recent history. Pure: numpy.

Strategy: direct, one model for every horizon, the horizon a feature. From an origin t
(the last step observed) the model predicts the target at t + h, h = 1..horizon, from:

- "h": the horizon itself;
- "lag_<l>": the target l - 1 steps before the origin (lag_1 is the last value seen);
- "same_<p>": the target at the same phase of the latest period of p steps that is fully
  known, y[t + h - p * ceil(h / p)] (p = the season: the same time of day on the latest day
  observed; p = 7 seasons: the same time on the latest week);
- "mean_<w>": the mean of the last w targets up to the origin;
- "time_of_day" (hours, when steps are shorter than a day) and "day_of_week" (0 = Monday,
  when steps are shorter than a week) of the target's time;
- "x_<column>": each exogenous column's value at the target's time: known ahead (a
  calendar flag, a weather forecast), sent by the caller for the steps forecast.

The model learns the target itself ("transform": "level") or its difference to the seasonal
reference same_<season> ("delta"): trees cannot extrapolate, so a series that drifts to
levels its training never reached is forecast from its reference; on a steady series
the level is better (the reference carries one step's noise into every forecast).

A spec (the bundle manifest's "forecast") holds what the features need: time, target,
exogenous, step_seconds, season, horizon, lags {name, recent, seasonal, windows},
calendar, transform, history (the steps of history the features read) and columns."""
from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np

DAY = 86_400
WEEK = 7 * DAY
EPOCH_WEEKDAY = 3  # 1970-01-01 was a Thursday; Monday is 0
# The lag sets a search chooses from, in seasons P (the steps of one day for sub-daily data).
LAG_SETS = ("day", "day+week", "long")
TRANSFORMS = ("level", "delta")


class ForecastInputError(ValueError):
    """A history that cannot be forecast from: errors maps a field ("history",
    "history[i].column", "future[i].column") to its message."""

    def __init__(self, errors: dict):
        self.errors = errors
        super().__init__("; ".join(f"{k}: {v}" for k, v in errors.items()))


def default_season(step_seconds: int) -> int:
    """The steps of one seasonal period: a day for steps shorter than a day (when they divide
    it), a week for daily steps; 0 when the step has no such period."""
    if step_seconds <= 0:
        return 0
    if step_seconds < DAY:
        return DAY // step_seconds if DAY % step_seconds == 0 else 0
    if step_seconds == DAY:
        return 7
    return 0


def lag_plan(name: str, season: int) -> dict:
    """The lags of set `name` for a season of `season` steps."""
    p = int(season)
    if name == "day":
        return {"name": name, "recent": [1, 2, 3, 4], "seasonal": [p], "windows": [p]}
    if name == "day+week":
        return {"name": name, "recent": [1, 2, 3, 4], "seasonal": [p, 7 * p], "windows": [p, 7 * p]}
    if name == "long":
        return {"name": name, "recent": [1, 2, 3, 4, 5, 6, 7, 8], "seasonal": [p, 2 * p, 7 * p],
                "windows": [4, p, 7 * p]}
    raise ValueError(f"unknown lag set {name!r}; expected one of {', '.join(LAG_SETS)}")


def history_needed(lags: Mapping) -> int:
    return max([*lags["recent"], *lags["seasonal"], *lags["windows"], 1])


def make_spec(*, time: str, target: str, exogenous: Sequence[str], step_seconds: int, season: int, horizon: int,
              lags: str, transform: str = "level") -> dict:
    if transform not in TRANSFORMS:
        raise ValueError(f"unknown transform {transform!r}")
    plan = lag_plan(lags, season)
    calendar = [name for name, below in (("time_of_day", DAY), ("day_of_week", WEEK)) if step_seconds < below]
    columns = (["h"] + [f"lag_{lag}" for lag in plan["recent"]] + [f"same_{p}" for p in plan["seasonal"]]
               + [f"mean_{w}" for w in plan["windows"]] + calendar + [f"x_{c}" for c in exogenous])
    return {"time": time, "target": target, "exogenous": list(exogenous), "step_seconds": int(step_seconds),
            "season": int(season), "horizon": int(horizon), "lags": plan, "calendar": calendar,
            "transform": transform, "history": history_needed(plan), "columns": columns}


def seasonal_index(origins, horizons, period: int) -> np.ndarray:
    """The index of the same phase on the latest fully known period of `period` steps."""
    h = np.asarray(horizons, dtype=np.int64)
    return np.asarray(origins, dtype=np.int64) + h - period * ((h + period - 1) // period)


def _window_means(y: np.ndarray, w: int) -> np.ndarray:
    """[n]: the mean of y[t-w+1..t] at each t (NaN before w values exist), each window summed
    on its own, so a short history gives the same bits as the whole series."""
    out = np.full(len(y), np.nan)
    if len(y) >= w:
        out[w - 1:] = np.lib.stride_tricks.sliding_window_view(y, w).mean(axis=1)
    return out


def features(spec: Mapping, y, seconds, exog, origins, horizons) -> np.ndarray:
    """[pairs, columns] float64: the features of each (origin, horizon) pair. y: the target
    series (known up to each origin); seconds: each step's wall-clock time in seconds since
    1970-01-01 (naive local time), read at the origins; exog: [steps, exogenous] values, read
    at origin + horizon (None without exogenous columns)."""
    y = np.asarray(y, dtype=np.float64)
    t = np.asarray(origins, dtype=np.int64)
    h = np.asarray(horizons, dtype=np.int64)
    if len(t) and (t.min() < spec["history"] - 1 or t.max() >= len(y)):
        raise ValueError(f"origins must lie from {spec['history'] - 1} to {len(y) - 1}")
    plan = spec["lags"]
    cols = [h.astype(np.float64)]
    cols += [y[t - lag + 1] for lag in plan["recent"]]
    cols += [y[seasonal_index(t, h, p)] for p in plan["seasonal"]]
    cols += [_window_means(y, w)[t] for w in plan["windows"]]
    when = np.asarray(seconds, dtype=np.int64)[t] + h * int(spec["step_seconds"])
    for name in spec["calendar"]:
        if name == "time_of_day":
            cols.append((when % DAY) / 3600.0)
        else:
            cols.append(((when // DAY + EPOCH_WEEKDAY) % 7).astype(np.float64))
    if spec["exogenous"]:
        x = np.asarray(exog, dtype=np.float64)
        cols += [x[t + h, j] for j in range(len(spec["exogenous"]))]
    return np.column_stack(cols) if cols else np.zeros((len(t), 0))


def reference(spec: Mapping, y, origins, horizons) -> np.ndarray:
    """What the model's output is added to: the seasonal reference (delta) or 0 (level)."""
    if spec["transform"] == "level":
        return np.zeros(len(np.asarray(origins)))
    return np.asarray(y, dtype=np.float64)[seasonal_index(origins, horizons, spec["season"])]


def to_seconds(values) -> np.ndarray:
    """Wall-clock seconds since 1970-01-01 of datetime64 values (any unit)."""
    return np.asarray(values, dtype="datetime64[s]").astype(np.int64)


def seasonal_naive(y, origins, horizons, period: int) -> np.ndarray:
    """The value at the same phase of the latest fully known period: the baseline."""
    return np.asarray(y, dtype=np.float64)[seasonal_index(origins, horizons, period)]


def errors(actual, predicted) -> dict:
    """RMSE, MAE and MAPE (None when a target is 0) of a forecast."""
    a = np.asarray(actual, dtype=np.float64)
    p = np.asarray(predicted, dtype=np.float64)
    diff = p - a
    out = {"rmse": float(np.sqrt(np.mean(diff ** 2))), "mae": float(np.mean(np.abs(diff)))}
    out["mape"] = float(np.mean(np.abs(diff) / np.abs(a))) if len(a) and np.all(a != 0) else None
    return out


# -- serving: a caller's records as the arrays the features read

MAX_HISTORY = 20_000


def _as_time(value):
    import pandas as pd

    if isinstance(value, bool) or not isinstance(value, str) or not value.strip():
        raise TypeError("expected a time such as 2024-01-01 00:30")
    stamp = pd.Timestamp(value)
    if stamp is pd.NaT:
        raise ValueError("expected a time such as 2024-01-01 00:30")
    if stamp.tzinfo is not None:  # the wall-clock time, as the training table's times were read
        stamp = stamp.tz_localize(None)
    return int(stamp.value // 1_000_000_000)


def _as_number(value, *, missing_ok):
    if value is None and missing_ok:
        return np.nan
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise TypeError("expected a number" + (" or null" if missing_ok else ""))
    if not np.isfinite(value):
        raise ValueError("expected a finite number")
    return float(value)


def encode_history(spec: Mapping, history, future=None) -> dict:
    """The arrays to forecast the next spec["horizon"] steps after a caller's records:
    {"X", "reference", "times" (the forecast steps, datetime64[s]), "origin"}.
    history: records {time, target, exogenous columns...}, oldest first, one per step; only
    the last spec["history"] are read (the rest are not checked). future: one record of the
    exogenous columns per forecast step (a "time" in one is checked against the step it
    stands for); required exactly when the model has exogenous columns.
    ForecastInputError names every bad field as history[i].column or future[i].column."""
    time, target, exog = spec["time"], spec["target"], list(spec["exogenous"])
    need, H, step = int(spec["history"]), int(spec["horizon"]), int(spec["step_seconds"])
    known = [time, target, *exog]
    if not isinstance(history, list) or not history:
        raise ForecastInputError({"history": f"send the last {need} records ({', '.join(known)}), oldest first"})
    if len(history) > MAX_HISTORY:
        raise ForecastInputError({"history": f"{len(history)} records; at most {MAX_HISTORY} per call"})
    if len(history) < need:
        raise ForecastInputError({"history": f"{len(history)} records; this model reads the last {need} steps "
                                             f"({_steps(need, step)}) of history"})
    first = len(history) - need
    errors = {}
    seconds = np.zeros(need, dtype=np.int64)
    y = np.full(need + H, np.nan)  # the steps forecast stay unknown
    x = np.full((need + H, len(exog)), np.nan)
    for k, record in enumerate(history[first:]):
        where = f"history[{first + k}]"
        if not isinstance(record, dict):
            errors[where] = "each record must be a JSON object"
            continue
        for name in record:
            if name not in known:
                errors[f"{where}.{name}"] = f"unknown column; the model reads {', '.join(known)}"
        try:
            seconds[k] = _as_time(record[time]) if time in record else _missing()
        except (TypeError, ValueError, OverflowError) as exc:
            errors[f"{where}.{time}"] = str(exc)
        try:
            y[k] = _as_number(record[target], missing_ok=False) if target in record else _missing()
        except (TypeError, ValueError) as exc:
            errors[f"{where}.{target}"] = str(exc)
        for c, name in enumerate(exog):  # a value not known is missing; the trees route it
            try:
                x[k, c] = _as_number(record.get(name), missing_ok=True)
            except (TypeError, ValueError) as exc:
                errors[f"{where}.{name}"] = str(exc)
    times_ok = not errors
    if times_ok:
        for k in range(1, need):
            if seconds[k] - seconds[k - 1] != step:
                errors[f"history[{first + k}].{time}"] = (
                    f"expected {_stamp(seconds[k - 1] + step)}, one step ({_steps(1, step)}) after the record "
                    "before: one record per step, oldest first, no gaps")
                times_ok = False
                break
    if exog:
        if not isinstance(future, list) or len(future) != H:
            got = len(future) if isinstance(future, list) else "no"
            errors["future"] = (f"{got} records; send {H}, one per step forecast, with {', '.join(exog)} "
                                "(known ahead: a calendar, a weather forecast)")
            future = []
        for j, record in enumerate(future):
            where = f"future[{j}]"
            if not isinstance(record, dict):
                errors[where] = "each record must be a JSON object"
                continue
            for name in record:
                if name not in (time, *exog):
                    errors[f"{where}.{name}"] = f"unknown column; future records hold {', '.join(exog)}"
            for c, name in enumerate(exog):
                try:
                    x[need + j, c] = _as_number(record[name], missing_ok=True) if name in record else _missing(
                        " (null when not known)")
                except (TypeError, ValueError) as exc:
                    errors[f"{where}.{name}"] = str(exc)
            if time in record:
                try:
                    at = _as_time(record[time])
                except (TypeError, ValueError, OverflowError) as exc:
                    errors[f"{where}.{time}"] = str(exc)
                    continue
                if times_ok and at != seconds[-1] + (j + 1) * step:
                    errors[f"{where}.{time}"] = f"expected {_stamp(seconds[-1] + (j + 1) * step)}"
    elif future not in (None, []):
        errors["future"] = "this model takes no exogenous columns: send history alone"
    if errors:
        raise ForecastInputError(errors)
    origins = np.full(H, need - 1, dtype=np.int64)
    horizons = np.arange(1, H + 1, dtype=np.int64)
    return {"X": features(spec, y, seconds, x if exog else None, origins, horizons),
            "reference": reference(spec, y, origins, horizons),
            "times": (seconds[-1] + horizons * step).astype("datetime64[s]"), "origin": int(seconds[-1])}


def _missing(why=""):
    raise ValueError("missing" + why)


def _stamp(seconds) -> str:
    return str(np.datetime64(int(seconds), "s")).replace("T", " ")


def _steps(count, step) -> str:
    total = int(count) * int(step)
    for unit, size in (("day", DAY), ("hour", 3600), ("minute", 60)):
        if total % size == 0:
            n = total // size
            return f"{n} {unit}{'s' if n != 1 else ''}"
    return f"{total} seconds"
