"""Time-series forecasting for the forecasting recipe: a table's time and target columns
made a regular series, the direct multi-step features of core.inference.lib.forecast for
every (origin, horizon) pair, gradient-boosted trees on them (core.training.lib.boosting,
exported as trees JSON), and a time-ordered evaluation: the last share of the series is
held out and forecast window by window (each window of `horizon` steps from the actual
history before it, the model fitted once, never on the tail). Baseline: seasonal naive
on the same windows. Pure: numpy, pandas, scikit-learn; no Django."""
from __future__ import annotations

import itertools
from collections.abc import Callable, Sequence

import numpy as np

from core.inference.lib import forecast as fl
from core.inference.lib import trees

from . import boosting


class SeriesError(ValueError):
    """A table that is no series to forecast: `setting` names the setting at fault."""

    def __init__(self, setting: str, message: str):
        self.setting = setting
        super().__init__(f"{setting}: {message}")


def parse_times(values, column: str) -> np.ndarray:
    """datetime64[s] of a time column (naive wall-clock time; an offset is dropped, the
    local time kept); SeriesError naming the first value that is no time."""
    import pandas as pd

    series = pd.Series(values)
    if series.isna().any():
        row = int(np.flatnonzero(series.isna().to_numpy())[0])
        raise SeriesError("time", f"column {column!r} has no time at row {row}")
    if series.dtype.kind in "biuf":
        raise SeriesError("time", f"column {column!r} holds numbers, not times (such as {series.iloc[0]!r})")
    try:
        parsed = pd.to_datetime(series, format="mixed") if series.dtype == object else pd.to_datetime(series)
    except (ValueError, TypeError, OverflowError) as exc:
        raise SeriesError("time", f"column {column!r} holds values that are not times ({exc})") from None
    if getattr(parsed.dt, "tz", None) is not None:
        parsed = parsed.dt.tz_localize(None)
    return parsed.to_numpy(dtype="datetime64[s]")


def regular_step(times: np.ndarray, column: str) -> int:
    """The series' step in seconds; SeriesError unless the times rise by one step each row."""
    if len(times) < 3:
        raise SeriesError("time", f"column {column!r} has {len(times)} rows; a series needs many more")
    seconds = fl.to_seconds(times)
    diffs = np.diff(seconds)
    bad = np.flatnonzero(diffs <= 0)
    if len(bad):
        i = int(bad[0])
        raise SeriesError("time", f"rows are not sorted by {column!r}: row {i + 1} ({times[i + 1]}) does not come "
                                  f"after row {i} ({times[i]}); sort the table by time, one row per step")
    values, counts = np.unique(diffs, return_counts=True)
    step = int(values[np.argmax(counts)])
    off = np.flatnonzero(diffs != step)
    if len(off):
        i = int(off[0])
        raise SeriesError("time", f"the step is {_span(step)} but {len(off)} step(s) differ, first between row {i} "
                                  f"({times[i]}) and row {i + 1} ({times[i + 1]}); fill the gaps so every step is "
                                  f"{_span(step)}")
    return step


def _span(seconds: int) -> str:
    for unit, size in (("day", 86400), ("hour", 3600), ("minute", 60)):
        if seconds % size == 0:
            n = seconds // size
            return f"{n} {unit}{'s' if n != 1 else ''}"
    return f"{seconds} seconds"


def numbers(values, column: str, setting: str, *, missing_ok: bool) -> np.ndarray:
    import pandas as pd

    series = pd.Series(values)
    parsed = pd.to_numeric(series, errors="coerce")
    texts = series[parsed.isna() & series.notna()]
    if len(texts):
        raise SeriesError(setting, f"column {column!r} holds texts such as {texts.iloc[0]!r}; forecasting takes "
                                   "numbers")
    out = parsed.to_numpy(dtype=np.float64, na_value=np.nan)
    if not missing_ok and np.isnan(out).any():
        rows = np.flatnonzero(np.isnan(out))
        raise SeriesError(setting, f"column {column!r} has {len(rows)} missing value(s), first at row {int(rows[0])}; "
                                   "fill them before forecasting")
    if not np.isfinite(out[~np.isnan(out)]).all():
        raise SeriesError(setting, f"column {column!r} holds infinite values")
    return out


def load_series(frame, *, time: str, target: str, exogenous: Sequence[str]) -> dict:
    """{"times", "seconds", "y", "exog", "step"} of a table; SeriesError when it is no
    regular series with a number at every step."""
    times = parse_times(frame[time], time)
    step = regular_step(times, time)
    y = numbers(frame[target], target, "target", missing_ok=False)
    exog = (np.column_stack([numbers(frame[c], c, "exogenous", missing_ok=True) for c in exogenous])
            if exogenous else None)
    return {"times": times, "seconds": fl.to_seconds(times), "y": y, "exog": exog, "step": step}


def split_point(n: int, fraction: float) -> int:
    """The first held-out step: the last `fraction` of the series is the validation tail."""
    return n - max(1, round(n * fraction))


def training_pairs(spec, split: int, *, max_rows: int, seed: int):
    """(origins, horizons) whose targets all lie before `split`; a seeded sample of
    max_rows of them when there are more."""
    first = spec["history"] - 1
    origins = np.arange(first, split - 1, dtype=np.int64)
    if not len(origins):
        return origins, origins
    H = spec["horizon"]
    o = np.repeat(origins, H)
    h = np.tile(np.arange(1, H + 1, dtype=np.int64), len(origins))
    keep = o + h < split
    o, h = o[keep], h[keep]
    if len(o) > max_rows:
        rows = np.sort(np.random.default_rng(seed).choice(len(o), size=max_rows, replace=False))
        o, h = o[rows], h[rows]
    return o, h


def validation_pairs(spec, split: int, n: int):
    """(origins, horizons) forecasting the tail window by window: origins split-1,
    split-1+H, ... each with horizons 1..H, while the window fits in the series."""
    H = spec["horizon"]
    origins = np.arange(split - 1, n - H, H, dtype=np.int64)
    return np.repeat(origins, H), np.tile(np.arange(1, H + 1, dtype=np.int64), len(origins))


def design(spec, series, origins, horizons):
    """(X, y to learn: the target minus the reference, the reference, actual targets)."""
    y = series["y"]
    X = fl.features(spec, y, series["seconds"], series["exog"], origins, horizons)
    ref = fl.reference(spec, y, origins, horizons)
    actual = y[origins + horizons]
    return X, actual - ref, ref, actual


def fit(series, spec, *, params: dict, split: int, max_rows: int, seed: int,
        report: Callable[[int, float], bool]) -> dict:
    """Trees grown on the training pairs, judged (RMSE) on the held-out windows as they grow;
    returns the exported model, metrics of the served model's forecast of the tail, the
    seasonal-naive metrics on the same windows, history and whether report stopped it.
    The RMSE of the difference to the reference is the RMSE of the forecast itself, so
    growing and early stopping judge the forecast."""
    n = len(series["y"])
    o_train, h_train = training_pairs(spec, split, max_rows=max_rows, seed=seed)
    o_val, h_val = validation_pairs(spec, split, n)
    if not len(o_train) or not len(o_val):
        raise ValueError(f"{len(o_train)} training pairs and {len(o_val)} validation pairs: the series is too short")
    X_train, d_train, _, _ = design(spec, series, o_train, h_train)
    X_val, d_val, ref_val, actual_val = design(spec, series, o_val, h_val)
    grown = boosting.fit_boosted(X_train, d_train, X_val, d_val, kind="regression", params=params, seed=seed,
                                 report=report)
    predicted = ref_val + trees.predict(grown["model"], X_val)
    metrics = fl.errors(actual_val, predicted)
    naive = min(e["rmse"] for e in baseline_errors(series, spec, split).values())
    metrics = {**{k: v for k, v in metrics.items() if v is not None},
               # 1 - RMSE / the better seasonal naive's RMSE: above 0 when the model beats it
               "skill": 1.0 - metrics["rmse"] / naive if naive > 0 else 0.0,
               "pairs_train": len(o_train), "windows_validation": len(o_val) // spec["horizon"],
               "iterations": grown["iterations"]}
    by_h = by_horizon(actual_val, predicted, h_val, spec["horizon"])
    return {"model": grown["model"], "value": metrics["rmse"], "metrics": metrics, "by_horizon": by_h,
            "history": grown["history"], "stopped": grown["stopped"], "iterations": grown["iterations"]}


def baseline_errors(series, spec, split: int) -> dict:
    """Seasonal naive (same time one season and one week of seasons earlier, the latest
    known) on the held-out windows: {"seasonal_naive_<p>": errors}."""
    n = len(series["y"])
    o, h = validation_pairs(spec, split, n)
    actual = series["y"][o + h]
    out = {}
    for period in (spec["season"], 7 * spec["season"]):
        if o.min() + 1 - period >= 0:
            out[f"seasonal_naive_{period}"] = fl.errors(actual, fl.seasonal_naive(series["y"], o, h, period))
    return out


def by_horizon(actual, predicted, horizons, H: int, buckets: int = 8) -> list[dict]:
    """RMSE and MAE by horizon step (in at most `buckets` groups of steps)."""
    edges = np.unique(np.linspace(1, H + 1, min(buckets, H) + 1).astype(int))
    out = []
    for lo, hi in itertools.pairwise(edges):
        mask = (horizons >= lo) & (horizons < hi)
        if mask.any():
            e = fl.errors(actual[mask], predicted[mask])
            out.append({"from": int(lo), "to": int(hi - 1), "rmse": e["rmse"], "mae": e["mae"]})
    return out
