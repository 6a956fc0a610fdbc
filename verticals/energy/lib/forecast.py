"""Day-ahead load forecasting (heat-exchange stations, feeders, a whole grid): pure
numpy/pandas, deterministic, exported as JSON (no pickle).

The task: at midnight, forecast the next day's P periods (48 half-hours, or 24 hours)
from the load seen so far, the calendar, and a weather forecast for the next day.

Input table, one row per period, regular steps, whole days::

    timestamp    start of the period (any pandas-parsable form; naive local time)
    demand       the load (any unit; the target column may be named otherwise)
    temperature  outdoor air temperature, degrees C
    workday      1 on a working day, 0 on weekends and public holidays

Weather: the next day's temperatures are an input. Trained and evaluated here with the
*actual* next-day temperatures, i.e. a perfect temperature forecast; in service the
caller sends its weather forecast, and errors grow with the forecast's own error.

Model: one ridge regression per period of the day (the usual "one model per half-hour"
of load forecasting, which lets the temperature response differ between a winter night
and a summer afternoon), fitted in closed form on standardised features, then folded
back to raw-feature coefficients. Features per (day d, period h):

- calendar: weekday one-hot (Mon..Sat, Sunday the base), workday of d, d-1 and d-7;
- weather: T[d,h], heating degrees max(0, heat_base - T), cooling degrees
  max(0, T - cool_base) and max(0, T - hot_base) (a heat wave), day mean/max/min of T
  on d, day mean of T on d-1 (thermal inertia of buildings), T[d-1,h];
- load lags: Y[d-1,h] (yesterday), Y[d-7,h] (last week), mean of Y on d-1, the last
  value before the origin Y[d-1,P-1], and yesterday's load when yesterday was the
  same kind of day (workday or not) as d (lag1_same_kind), else last week's.

Baselines: seasonal naive (same period one week earlier, Y[d-7,h]) and daily naive
(same period yesterday, Y[d-1,h]).

Evaluation: rolling origin, day-ahead. For each of the last test_weeks*7 days the
model is refitted on every earlier day (expanding window) and forecasts that day;
MAPE and RMSE are pooled over all forecast periods, for the model and both baselines.
"""
from __future__ import annotations

import json
import math
from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd

FORMAT = "zhongtai-load-forecast/1"
COLUMNS = ("timestamp", "demand", "temperature", "workday")
MAX_LAG_DAYS = 7
DEFAULTS = {"alpha": 1.0, "heat_base": 16.0, "cool_base": 22.0, "hot_base": 30.0}
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat")  # sunday is the base level


class ForecastError(ValueError):
    """Bad input for the forecaster, with a message a user can act on."""


# ----------------------------------------------------------------------------- data


def prepare(frame: pd.DataFrame, *, target: str = "demand") -> tuple[pd.DataFrame, int]:
    """Validate and normalise a load table. Returns (frame with columns timestamp,
    demand, temperature, workday sorted by time and cut to whole days, periods per day)."""
    if not isinstance(frame, pd.DataFrame):
        raise ForecastError("expected a table (DataFrame)")
    needed = ["timestamp", target, "temperature", "workday"]
    missing = [c for c in needed if c not in frame.columns]
    if missing:
        raise ForecastError(f"the table lacks column(s) {', '.join(missing)}; a load table needs "
                            f"{', '.join(needed)} (has: {', '.join(map(str, frame.columns))})")
    df = frame[needed].rename(columns={target: "demand"}).copy()
    try:
        ts = pd.to_datetime(df["timestamp"])
    except (ValueError, TypeError) as exc:
        raise ForecastError(f"column timestamp: not readable as date-times ({exc})") from None
    if getattr(ts.dt, "tz", None) is not None:
        ts = ts.dt.tz_localize(None)
    df["timestamp"] = ts
    for col in ("demand", "temperature", "workday"):
        values = pd.to_numeric(df[col], errors="coerce")
        bad = int(values.isna().sum())
        if bad:
            raise ForecastError(f"column {target if col == 'demand' else col}: {bad} missing or non-numeric "
                                f"value(s)")
        df[col] = values.astype(float)
    if not set(np.unique(df["workday"])) <= {0.0, 1.0}:
        raise ForecastError("column workday: values must be 0 or 1")
    df = df.sort_values("timestamp", kind="mergesort").reset_index(drop=True)
    if df["timestamp"].duplicated().any():
        raise ForecastError(f"column timestamp: {int(df['timestamp'].duplicated().sum())} duplicated time(s)")
    if len(df) < 2:
        raise ForecastError("the table needs at least two rows")
    steps = df["timestamp"].diff().dropna().unique()
    if len(steps) != 1:
        raise ForecastError("column timestamp: steps must be regular (a gap or a changed step was found near "
                            f"{df['timestamp'][df['timestamp'].diff() != df['timestamp'].diff().mode()[0]].iloc[1]})")
    step_s = pd.Timedelta(steps[0]).total_seconds()
    if step_s <= 0 or 86400 % step_s:
        raise ForecastError(f"column timestamp: a step of {step_s:g} s does not divide a day")
    periods = int(86400 // step_s)
    first_midnight = df.index[df["timestamp"] == df["timestamp"].dt.normalize()]
    if not len(first_midnight):
        raise ForecastError("the table holds no whole day")
    df = df.iloc[first_midnight[0]:]
    df = df.iloc[: len(df) // periods * periods].reset_index(drop=True)
    return df, periods


def day_arrays(df: pd.DataFrame, periods: int) -> dict:
    """Per-day matrices (days x periods) of a prepared table."""
    n = len(df) // periods
    return {
        "dates": df["timestamp"].to_numpy()[::periods][:n],
        "demand": df["demand"].to_numpy(dtype=float).reshape(n, periods),
        "temperature": df["temperature"].to_numpy(dtype=float).reshape(n, periods),
        "workday": df["workday"].to_numpy(dtype=float).reshape(n, periods).max(axis=1),
    }


# ------------------------------------------------------------------------- features


def feature_names() -> list[str]:
    return (["temp", "hdd", "cdd", "hot", "temp_mean", "temp_max", "temp_min", "temp_mean_prev", "temp_lag1",
             "lag1", "lag7", "load_mean_prev", "load_last", "lag1_same_kind", "workday", "workday_prev",
             "workday_lag7"] + [f"dow_{d}" for d in WEEKDAYS])


def features(days: Mapping, config: Mapping) -> np.ndarray:
    """(days, periods, features) for every day with 7 days of history (the first 7
    rows are NaN). `days`: demand/temperature (days x periods), workday, dates."""
    Y = np.asarray(days["demand"], dtype=float)
    T = np.asarray(days["temperature"], dtype=float)
    W = np.asarray(days["workday"], dtype=float)
    n, P = T.shape
    if Y.shape[0] < n:  # the day to forecast has no load yet: pad it
        Y = np.vstack([Y, np.full((n - Y.shape[0], P), np.nan)])
    dow = pd.DatetimeIndex(days["dates"]).dayofweek.to_numpy()

    def shift(a, k):
        out = np.full_like(a, np.nan, dtype=float)
        out[k:] = a[:-k]
        return out

    def per_day(v):
        return np.repeat(np.asarray(v, dtype=float)[:, None], P, axis=1)

    lag1, lag7 = shift(Y, 1), shift(Y, 7)
    W1, W7 = shift(W[:, None], 1)[:, 0], shift(W[:, None], 7)[:, 0]
    same = per_day(W1 == W) > 0.5
    cols = [
        T,
        np.maximum(0.0, config["heat_base"] - T),
        np.maximum(0.0, T - config["cool_base"]),
        np.maximum(0.0, T - config["hot_base"]),
        per_day(T.mean(axis=1)),
        per_day(T.max(axis=1)),
        per_day(T.min(axis=1)),
        per_day(shift(T, 1).mean(axis=1)),
        shift(T, 1),
        lag1,
        lag7,
        per_day(lag1.mean(axis=1)),
        per_day(lag1[:, -1]),
        np.where(same, lag1, lag7),
        per_day(W),
        per_day(W1),
        per_day(W7),
    ] + [per_day(dow == i) for i in range(len(WEEKDAYS))]
    X = np.stack(cols, axis=2)
    X[:MAX_LAG_DAYS] = np.nan
    return X


# ---------------------------------------------------------------------------- model


def _config(options: Mapping | None) -> dict:
    cfg = dict(DEFAULTS)
    for key, value in (options or {}).items():
        if key not in DEFAULTS:
            raise ForecastError(f"unknown forecaster option {key!r}; known: {', '.join(sorted(DEFAULTS))}")
        try:
            cfg[key] = float(value)
        except (TypeError, ValueError):
            raise ForecastError(f"forecaster option {key!r} must be a number") from None
    if cfg["alpha"] < 0:
        raise ForecastError("forecaster option 'alpha' must be >= 0")
    return cfg


def _ridge(X: np.ndarray, y: np.ndarray, alpha: float) -> tuple[float, np.ndarray]:
    """Ridge on standardised columns (intercept not penalised), returned as
    (intercept, coefficients) on the raw columns. Constant columns get 0."""
    mean = X.mean(axis=0)
    scale = X.std(axis=0)
    live = scale > 1e-12
    Z = np.zeros_like(X)
    Z[:, live] = (X[:, live] - mean[live]) / scale[live]
    ym = y.mean()
    A = Z.T @ Z + alpha * np.eye(X.shape[1])
    beta = np.linalg.solve(A, Z.T @ (y - ym))
    coef = np.where(live, beta / np.where(live, scale, 1.0), 0.0)
    return float(ym - coef @ mean), coef


def _fit_periods(X: np.ndarray, Y: np.ndarray, rows: np.ndarray, alpha: float) -> tuple[np.ndarray, np.ndarray]:
    """One ridge per period on the training days `rows`: (intercepts (P,), coefs (P, F))."""
    P, F = X.shape[1], X.shape[2]
    b0, B = np.zeros(P), np.zeros((P, F))
    for h in range(P):
        b0[h], B[h] = _ridge(X[rows, h, :], Y[rows, h], alpha)
    return b0, B


def _predict(X_day: np.ndarray, b0: np.ndarray, B: np.ndarray) -> np.ndarray:
    return b0 + np.einsum("pf,pf->p", X_day, B)


def _round(v: float) -> float:
    return float(f"{float(v):.12g}")


def fit(frame: pd.DataFrame, *, target: str = "demand", options: Mapping | None = None) -> dict:
    """The JSON-able model fitted on every day of `frame` with 7 days of history."""
    cfg = _config(options)
    df, P = prepare(frame, target=target)
    days = day_arrays(df, P)
    n = days["demand"].shape[0]
    if n < MAX_LAG_DAYS + 14:
        raise ForecastError(f"training needs at least {MAX_LAG_DAYS + 14} whole days; the table has {n}")
    X = features(days, cfg)
    rows = np.arange(MAX_LAG_DAYS, n)
    b0, B = _fit_periods(X, days["demand"], rows, cfg["alpha"])
    step = 86400 // P
    return {
        "format": FORMAT,
        "kind": "ridge_per_period",
        "target": target,
        "periods_per_day": P,
        "step_seconds": int(step),
        "history_days": MAX_LAG_DAYS,
        "features": feature_names(),
        "config": {k: _round(v) for k, v in cfg.items()},
        "intercept": [_round(v) for v in b0],
        "coef": [[_round(v) for v in row] for row in B],
        "training": {"days": int(len(rows)), "first_day": str(pd.Timestamp(days["dates"][rows[0]]).date()),
                     "last_day": str(pd.Timestamp(days["dates"][rows[-1]]).date()),
                     "demand_mean": _round(days["demand"][rows].mean())},
    }


def model_to_json(model: Mapping) -> str:
    """Canonical JSON: sorted keys, compact."""
    return json.dumps(model, sort_keys=True, separators=(",", ":"), allow_nan=False)


def model_from_json(text: str | bytes) -> dict:
    model = json.loads(text)
    if not isinstance(model, dict) or model.get("format") != FORMAT:
        raise ForecastError(f"not a load-forecast model (expected format {FORMAT!r})")
    P, F = model["periods_per_day"], len(model["features"])
    if len(model["intercept"]) != P or any(len(r) != F for r in model["coef"]) or len(model["coef"]) != P:
        raise ForecastError("load-forecast model: coefficient shapes do not match its periods and features")
    return model


def forecast_day(model: Mapping, history: pd.DataFrame, temperature: Sequence[float], workday: int | float,
                 *, target: str | None = None) -> dict:
    """The next day's forecast. `history`: at least the 7 whole days before the day to
    forecast (columns timestamp, <target>, temperature, workday; the day after its last
    row is forecast); `temperature`: the forecast day's P temperatures; `workday`: 0/1.
    Returns {"timestamps": [...], "forecast": [...]}."""
    P = int(model["periods_per_day"])
    df, hp = prepare(history, target=target or model.get("target", "demand"))
    if hp != P:
        raise ForecastError(f"history has {hp} periods a day; this model forecasts {P}")
    days = day_arrays(df, P)
    if days["demand"].shape[0] < MAX_LAG_DAYS:
        raise ForecastError(f"history needs {MAX_LAG_DAYS} whole days before the forecast day; it has "
                            f"{days['demand'].shape[0]}")
    temps = np.asarray(temperature, dtype=float)
    if temps.shape != (P,) or not np.isfinite(temps).all():
        raise ForecastError(f"temperature: send the forecast day's {P} temperatures (numbers)")
    if workday not in (0, 1, True, False, 0.0, 1.0):
        raise ForecastError("workday: 0 or 1")
    keep = slice(-MAX_LAG_DAYS, None)
    start = pd.Timestamp(days["dates"][-1]) + pd.Timedelta(days=1)
    d = {"dates": np.append(days["dates"][keep], np.datetime64(start)),
         "demand": days["demand"][keep],
         "temperature": np.vstack([days["temperature"][keep], temps]),
         "workday": np.append(days["workday"][keep], float(workday))}
    cfg = model["config"]
    X = features(d, cfg)  # 7 days of history, then the forecast day (its row is complete)
    y = _predict(X[-1], np.asarray(model["intercept"]), np.asarray(model["coef"]))
    stamps = pd.date_range(start, periods=P, freq=f"{int(model['step_seconds'])}s")
    return {"timestamps": [t.isoformat() for t in stamps], "forecast": [float(v) for v in y]}


# ----------------------------------------------------------------------- evaluation


def mape(actual, predicted) -> float:
    a, p = np.asarray(actual, dtype=float), np.asarray(predicted, dtype=float)
    ok = np.abs(a) > 1e-12
    return float(np.mean(np.abs((a[ok] - p[ok]) / a[ok])) * 100.0)


def rmse(actual, predicted) -> float:
    a, p = np.asarray(actual, dtype=float), np.asarray(predicted, dtype=float)
    return float(np.sqrt(np.mean((a - p) ** 2)))


def evaluate(frame: pd.DataFrame, *, target: str = "demand", test_weeks: int = 8, options: Mapping | None = None,
             refit_every: int = 1, progress=None) -> dict:
    """Rolling-origin day-ahead evaluation on the last `test_weeks` weeks: the model is
    refitted (expanding window) every `refit_every` days and forecasts one day at a time.
    Returns metrics for the model and the naive baselines, and the series."""
    cfg = _config(options)
    test_weeks, refit_every = int(test_weeks), int(refit_every)
    if test_weeks < 1:
        raise ForecastError("test_weeks must be at least 1")
    if refit_every < 1:
        raise ForecastError("refit_every must be at least 1")
    df, P = prepare(frame, target=target)
    days = day_arrays(df, P)
    n = days["demand"].shape[0]
    test_days = test_weeks * 7
    if n - test_days < MAX_LAG_DAYS + 14:
        raise ForecastError(f"{test_weeks} test week(s) leave {max(0, n - test_days)} days before them; training "
                            f"needs at least {MAX_LAG_DAYS + 14} (the table has {n} whole days)")
    X = features(days, cfg)
    Y = days["demand"]
    first_test = n - test_days
    pred = np.zeros((test_days, P))
    fitted = None
    for i, d in enumerate(range(first_test, n)):
        if fitted is None or i % refit_every == 0:
            fitted = _fit_periods(X, Y, np.arange(MAX_LAG_DAYS, d), cfg["alpha"])
            if progress:
                progress(i / test_days)
        pred[i] = _predict(X[d], *fitted)
    actual = Y[first_test:]
    seasonal, daily = Y[first_test - 7:n - 7], Y[first_test - 1:n - 1]
    m = {"mape": mape(actual, pred), "rmse": rmse(actual, pred),
         "mape_seasonal_naive": mape(actual, seasonal), "rmse_seasonal_naive": rmse(actual, seasonal),
         "mape_daily_naive": mape(actual, daily), "rmse_daily_naive": rmse(actual, daily)}
    m["skill_vs_seasonal"] = m["mape"] / m["mape_seasonal_naive"] if m["mape_seasonal_naive"] else math.nan
    stamps = df["timestamp"].to_numpy()[first_test * P:]
    per_day = [{"date": str(pd.Timestamp(days["dates"][d]).date()), "mape": mape(Y[d], pred[i]),
                "mape_seasonal_naive": mape(Y[d], seasonal[i]), "workday": int(days["workday"][d])}
               for i, d in enumerate(range(first_test, n))]
    return {"metrics": m, "periods_per_day": P, "test_days": test_days, "refit_every": refit_every,
            "first_test_day": per_day[0]["date"], "last_test_day": per_day[-1]["date"],
            "timestamps": stamps, "actual": actual.ravel(), "forecast": pred.ravel(),
            "seasonal_naive": seasonal.ravel(), "daily_naive": daily.ravel(), "per_day": per_day}


def chart(evaluation: Mapping, *, days: int = 7, digits: int = 4) -> dict:
    """The last `days` evaluated days as JSON lists (<= 336 points for a half-hourly week)."""
    k = min(len(evaluation["actual"]), days * int(evaluation["periods_per_day"]), 336)

    def r(values):
        return [round(float(v), digits) for v in values[-k:]]

    return {"timestamps": [pd.Timestamp(t).isoformat() for t in evaluation["timestamps"][-k:]],
            "actual": r(evaluation["actual"]), "forecast": r(evaluation["forecast"]),
            "seasonal_naive": r(evaluation["seasonal_naive"]), "daily_naive": r(evaluation["daily_naive"])}
