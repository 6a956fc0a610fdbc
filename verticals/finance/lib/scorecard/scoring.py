"""Scoring with a built scorecard: per-field validation of records, record and table
scoring, reason codes, and the WOE encoding of a table."""
from __future__ import annotations

import bisect
import math
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

from .artifact import canonical
from .binning import factorize_str
from .errors import ScoringError
from .points import bin_points, sigmoid

MAX_REPORTED_ROWS = 1000  # score_frame reports the errors of at most this many rows

_ABSENT = object()


def _is_missing(value: Any) -> bool:
    if value is None or value is _ABSENT:
        return True
    if isinstance(value, (float, np.floating)) and math.isnan(value):
        return True
    return value is pd.NA or value is pd.NaT


def _to_number(value: Any) -> float | None:
    """A float, or None when the value is not a number (bools are not numbers)."""
    if isinstance(value, (bool, np.bool_)):
        return None
    if isinstance(value, (int, float, np.integer, np.floating)):
        return float(value)
    if isinstance(value, str):
        try:
            return float(value.strip())
        except ValueError:
            return None
    return None


def validate_record(scorecard: Mapping, record: Any) -> dict[str, str]:
    """{field: error message} for one record; empty when it can be scored.

    Only the scorecard's selected variables are checked; other keys are ignored.
    """
    if not isinstance(record, Mapping):
        return {"__all__": "a record must be an object of field: value"}
    errors: dict[str, str] = {}
    for name, field in scorecard["schema"].items():
        value = record.get(name, _ABSENT)
        if _is_missing(value):
            if not field["missing_allowed"]:
                errors[name] = "required field is missing" if value is _ABSENT else "a value is required (the training data had no missing values here)"
            continue
        if field["type"] == "numerical":
            x = _to_number(value)
            if x is None:
                errors[name] = f"not a number: {value!r}"
            elif math.isnan(x):
                if not field["missing_allowed"]:
                    errors[name] = "a value is required (the training data had no missing values here)"
            elif not math.isfinite(x):
                errors[name] = f"not a finite number: {value!r}"
            elif not field["accepted_min"] <= x <= field["accepted_max"]:
                errors[name] = f"{x:g} is outside the accepted range [{field['accepted_min']:g}, {field['accepted_max']:g}]"
        else:
            if not isinstance(value, (str, int, bool, np.integer, np.bool_)):
                errors[name] = f"expected a category, got {type(value).__name__}"
                continue
            s = str(value)
            if s not in field["categories"]:
                shown = ", ".join(repr(c) for c in field["categories"][:20])
                more = "" if len(field["categories"]) <= 20 else ", ..."
                errors[name] = f"unseen category {s!r}; expected one of: {shown}{more}"
    return errors


class _Compiled:
    """Lookups derived once from a scorecard dict for fast scoring."""

    def __init__(self, sc: Mapping):
        self.sc = sc
        self.intercept = float(sc["model"]["intercept"])
        self.variables = []
        for v in sc["variables"]:
            bins = v["bins"]
            missing_index = next((b["index"] for b in bins if b["missing"]), None)
            entry = {
                "name": v["name"],
                "type": v["type"],
                "coef": float(v["coefficient"]),
                "woe": np.asarray([b["woe"] for b in bins], dtype=float),
                "points": np.asarray([b["points"] for b in bins], dtype=float),
                "labels": [b["label"] for b in bins],
                "best": float(v["points_max"]),
                "missing_index": missing_index,
                "neutral_points": float(bin_points(0.0, float(v["coefficient"]), self.intercept, len(sc["variables"]), sc["scaling"]["factor"], sc["scaling"]["offset"])),
            }
            if v["type"] == "numerical":
                entry["splits"] = [b["upper"] for b in bins if not b["missing"] and b["upper"] is not None]
            else:
                entry["lookup"] = {c: b["index"] for b in bins if not b["missing"] for c in b["categories"]}
            self.variables.append(entry)

    @staticmethod
    def bin_of(var: dict, value: Any) -> int:
        """Bin index of a value that passed validate_record."""
        if _is_missing(value):
            return var["missing_index"]
        if var["type"] == "numerical":
            x = _to_number(value)
            if x is None or math.isnan(x):
                return var["missing_index"]
            return bisect.bisect_right(var["splits"], x)
        return var["lookup"][str(value)]


def score_records(scorecard: Mapping, records: Sequence[Mapping] | Mapping, n_reasons: int = 3) -> list[dict]:
    """Score records (a list of dicts; a single dict is taken as a list of one).

    Every record is validated first; if any fails, :class:`ScoringError` is raised with
    {record index: {field: message}} and nothing is scored.  Each result holds the total
    ``score``, ``pd`` (probability of default from the logistic model), ``points`` and
    ``bins`` per variable, and ``reasons``: the variables whose bin lost the most points
    against that variable's best bin (most first, ties by name, at most ``n_reasons``,
    only variables that lost points).
    """
    if isinstance(records, Mapping):
        records = [records]
    if isinstance(records, (str, bytes)) or not isinstance(records, Sequence):
        raise TypeError("records must be a list of dicts")
    errors = {}
    for i, record in enumerate(records):
        e = validate_record(scorecard, record)
        if e:
            errors[i] = e
    if errors:
        raise ScoringError(errors)
    comp = _Compiled(scorecard)
    out = []
    for record in records:
        logit = comp.intercept
        total = 0.0
        points, bins, lost = {}, {}, []
        for var in comp.variables:
            i = comp.bin_of(var, record.get(var["name"], _ABSENT))
            p = float(var["points"][i])
            total += p
            logit += var["coef"] * float(var["woe"][i])
            points[var["name"]] = p
            bins[var["name"]] = var["labels"][i]
            lost.append((var["best"] - p, var["name"], var["labels"][i], p))
        lost.sort(key=lambda t: (-t[0], t[1]))
        reasons = [
            {"variable": name, "bin": label, "points": p, "points_lost": d}
            for d, name, label, p in lost[:n_reasons]
            if d > 1e-9
        ]
        out.append(canonical({"score": total, "pd": float(sigmoid(logit)), "points": points, "bins": bins, "reasons": reasons}))
    return out


def _bin_index_frame(var: dict, series: pd.Series, strict: bool, field: Mapping) -> tuple[np.ndarray, np.ndarray]:
    """(bin index per row, invalid mask). Invalid rows get index -1."""
    n = len(series)
    missing = series.isna().to_numpy()
    invalid = np.zeros(n, dtype=bool)
    if var["type"] == "numerical":
        if pd.api.types.is_numeric_dtype(series) and not pd.api.types.is_bool_dtype(series):
            x = series.to_numpy(dtype="float64", na_value=np.nan)
        else:
            x = np.array([np.nan if m else (np.nan if _to_number(v) is None else _to_number(v)) for v, m in zip(series.to_numpy(dtype=object), missing)], dtype=float)
            invalid |= np.isnan(x) & ~missing
        invalid |= np.isinf(x)
        if strict:
            with np.errstate(invalid="ignore"):
                invalid |= ~missing & ((x < field["accepted_min"]) | (x > field["accepted_max"]))
        idx = np.searchsorted(np.asarray(var["splits"], dtype=float), np.where(np.isnan(x), 0.0, x), side="right")
        missing = np.isnan(x) & ~invalid
    else:
        codes, uniques = factorize_str(series)
        idx = np.array([var["lookup"].get(u, -1) for u in uniques] + [-1], dtype=np.int64)[codes]
        invalid |= (idx < 0) & ~missing
    if var["missing_index"] is None:
        invalid |= missing
    else:
        idx = np.where(missing, var["missing_index"], idx)
    return np.where(invalid, -1, idx), invalid


def score_frame(scorecard: Mapping, df: pd.DataFrame, on_invalid: str = "raise") -> pd.DataFrame:
    """Vectorised scoring of a table: columns ``score``, ``pd``, ``n_neutral`` and ``points_<var>``.

    ``on_invalid="raise"`` applies the same checks as :func:`validate_record` and raises
    :class:`ScoringError` (keyed by row position; the first 1,000 failing rows).  ``on_invalid="neutral"`` is for
    evaluation on held-out data: numbers beyond the accepted range fall into the edge bins,
    and a value that cannot be binned (unseen category, disallowed missing, not a number)
    gets WOE 0, i.e. the neutral points -(b0/n)*factor + offset/n; ``n_neutral`` counts them.
    """
    if on_invalid not in ("raise", "neutral"):
        raise ValueError("on_invalid must be 'raise' or 'neutral'")
    comp = _Compiled(scorecard)
    strict = on_invalid == "raise"
    n = len(df)
    missing_cols = [v["name"] for v in comp.variables if v["name"] not in df.columns]
    if missing_cols and strict:  # every row fails the same way: report the first rows only
        raise ScoringError({i: {c: "required field is missing" for c in missing_cols} for i in range(max(1, min(n, MAX_REPORTED_ROWS)))})
    logit = np.full(n, comp.intercept)
    total = np.zeros(n)
    neutral = np.zeros(n, dtype=np.int64)
    cols = {}
    errors: dict[int, dict[str, str]] = {}
    for var in comp.variables:
        name = var["name"]
        if name in df.columns:
            idx, invalid = _bin_index_frame(var, df[name], strict, scorecard["schema"][name])
        else:
            idx, invalid = np.full(n, -1), np.ones(n, dtype=bool)
        if strict and invalid.any():
            for i in np.flatnonzero(invalid)[:MAX_REPORTED_ROWS]:
                msg = validate_record(scorecard, {name: df[name].iloc[i]}).get(name, "invalid value")
                errors.setdefault(int(i), {})[name] = msg
            continue
        safe = np.where(invalid, 0, idx)
        woe = np.where(invalid, 0.0, var["woe"][safe])
        pts = np.where(invalid, var["neutral_points"], var["points"][safe])
        neutral += invalid
        logit += var["coef"] * woe
        total += pts
        cols["points_" + name] = pts
    if errors:
        raise ScoringError(errors)
    out = pd.DataFrame({"score": total, "pd": sigmoid(logit), "n_neutral": neutral, **cols}, index=df.index)
    return out


def woe_frame(scorecard: Mapping, df: pd.DataFrame) -> pd.DataFrame:
    """WOE encoding of the selected variables (invalid values -> 0, as in neutral scoring)."""
    comp = _Compiled(scorecard)
    cols = {}
    for var in comp.variables:
        idx, invalid = _bin_index_frame(var, df[var["name"]], False, scorecard["schema"][var["name"]])
        cols[var["name"]] = np.where(invalid, 0.0, var["woe"][np.where(invalid, 0, idx)])
    return pd.DataFrame(cols, index=df.index)
