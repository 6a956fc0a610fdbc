"""Credit scorecards: optimal binning, WOE/IV, selection, logistic regression, points.

Pure logic, no Django. The artifact is a plain JSON-able dict (never a pickle) and
``scorecard_to_json`` turns it into canonical bytes: the same training table with
the same options gives byte-identical JSON.

Conventions (also in docs/finance-protocol.md)
-----------------------------------------------
Target: 1 = bad (default), 0 = good.  Per bin i of a variable, with G and B the
total goods and bads of the training table::

    WOE_i = ln( (good_i / G) / (bad_i / B) )          (> 0: safer than average)
    IV    = sum_i (good_i / G - bad_i / B) * WOE_i     (always >= 0)

Smoothing: when a bin has no goods or no bads, 0.5 is added to *both* of its counts
(Haldane-Anscombe correction) before its WOE is taken; G and B are not changed, and the
IV weight (good_i/G - bad_i/B) uses the raw counts.  Bins that had no training record
at all (optbinning's empty Special/Missing rows) are left out of the scorecard.

Model: logistic regression of bad=1 on the WOE features,
``ln(p_bad / p_good) = b0 + sum_j b_j * WOE_j``.  Because a higher WOE means a safer
bin, a sensible coefficient b_j is negative (a single exact-WOE variable gives
b_j = -1 and b0 = ln(B/G)); with ``enforce_sign`` a variable whose coefficient comes
out positive is dropped and the model refitted.

Scaling: the score grows with creditworthiness, i.e. with the log odds good:bad::

    factor = pdo / ln 2
    offset = base_score - factor * ln(base_odds)
    score  = offset + factor * ln(p_good / p_bad)
           = offset - factor * (b0 + sum_j b_j * WOE_j)
           = sum_j [ -(b_j * WOE_ij + b0 / n) * factor + offset / n ]

so each of the n selected variables contributes, for its bin i, the points
``-(b_j * WOE_ij + b0 / n) * factor + offset / n``.  At odds good:bad = base_odds
the score is base_score, and doubling the odds adds pdo points.

Field schema for scoring: a numerical field accepts [min - w*span, max + w*span], where
[min, max] is the observed training range, span = max - min and w = ``range_widen``
(0.5 by default; if span is 0, span is taken as max(|min|, 1)).  A categorical field
accepts the categories seen in training (compared as strings).  A missing value (the key
absent, None or NaN) is accepted only if the training data had missing values for that
variable; it then falls into the variable's Missing bin.
"""

from __future__ import annotations

import bisect
import json
import math
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

FORMAT = "zhongtai.finance.scorecard/1"
SIG_DIGITS = 10
MONOTONIC_TRENDS = ("auto", "ascending", "descending", "auto_asc_desc", None)
MAX_REPORTED_ROWS = 1000  # score_frame reports the errors of at most this many rows

DEFAULT_OPTIONS: dict[str, Any] = {
    # binning (optbinning.OptimalBinning)
    "monotonic_trend": "auto",  # for numerical variables; one of MONOTONIC_TRENDS
    "monotonic_trends": {},  # per-variable overrides {name: trend}, numerical or categorical
    "max_n_prebins": 20,
    "min_prebin_size": 0.05,
    "max_n_bins": None,
    "min_bin_size": None,
    "solver": "cp",  # optbinning's CP-SAT runs with one worker and seed 0: deterministic
    "time_limit": 100,
    "categorical": [],  # columns to bin as categorical even when their dtype is numeric
    "exclude": [],  # columns never used as features
    "woe_smoothing": 0.5,
    # selection
    "min_iv": 0.02,
    "max_corr": 0.7,
    "enforce_sign": True,
    # logistic regression (sklearn, lbfgs)
    "C": 1.0,
    "max_iter": 1000,
    "tol": 1e-8,
    # scaling
    "base_score": 600.0,
    "base_odds": 50.0,
    "pdo": 20.0,
    # field schema
    "range_widen": 0.5,
}


class ScorecardError(ValueError):
    """The training table or the options cannot give a scorecard."""


class ScoringError(ValueError):
    """Some records failed validation; ``errors`` is {record index: {field: message}}."""

    def __init__(self, errors: dict[int, dict[str, str]]):
        self.errors = errors
        parts = []
        for index in sorted(errors)[:5]:
            fields = "; ".join(f"{k}: {v}" for k, v in sorted(errors[index].items()))
            parts.append(f"record {index}: {fields}")
        more = "" if len(errors) <= 5 else f" (and {len(errors) - 5} more records)"
        super().__init__(f"{len(errors)} invalid record(s): " + " | ".join(parts) + more)


# ----------------------------------------------------------------------------- canonical JSON


def round_sig(x: float, digits: int = SIG_DIGITS) -> float:
    """Round to ``digits`` significant digits (deterministic, via the repr of '%.*g')."""
    x = float(x)
    if not math.isfinite(x):
        raise ValueError(f"not a finite number: {x}")
    r = float(f"{x:.{digits}g}")
    return 0.0 if r == 0 else r  # no negative zero in the JSON


def canonical(obj: Any, digits: int = SIG_DIGITS) -> Any:
    """A JSON-able copy with floats rounded to ``digits`` significant digits."""
    if isinstance(obj, Mapping):
        return {str(k): canonical(v, digits) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [canonical(v, digits) for v in obj]
    if isinstance(obj, np.ndarray):
        return [canonical(v, digits) for v in obj.tolist()]
    if isinstance(obj, (bool, np.bool_)):
        return bool(obj)
    if isinstance(obj, (int, np.integer)):
        return int(obj)
    if isinstance(obj, (float, np.floating)):
        return round_sig(obj, digits)
    if obj is None or isinstance(obj, str):
        return obj
    raise TypeError(f"not JSON-able: {type(obj).__name__}")


def scorecard_to_json(scorecard: Mapping) -> str:
    """Canonical JSON text: sorted keys, compact separators, floats to 10 significant digits."""
    return json.dumps(canonical(scorecard), sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False)


def scorecard_from_json(text: str | bytes) -> dict:
    sc = json.loads(text)
    if not isinstance(sc, dict) or sc.get("format") != FORMAT:
        raise ScorecardError(f"not a scorecard (expected format {FORMAT!r})")
    return sc


# ----------------------------------------------------------------------------- the math


def woe_iv(good: Sequence[float], bad: Sequence[float], smoothing: float = 0.5) -> tuple[np.ndarray, np.ndarray, float]:
    """WOE and IV per bin, and the variable's IV, from the bins' good and bad counts.

    WOE_i = ln((good_i/G) / (bad_i/B)); a bin with no goods or no bads gets ``smoothing``
    added to both of its counts for its WOE.  IV_i = (good_i/G - bad_i/B) * WOE_i.
    """
    good = np.asarray(good, dtype=float)
    bad = np.asarray(bad, dtype=float)
    if good.shape != bad.shape or good.ndim != 1:
        raise ValueError("good and bad must be 1-D and of the same length")
    total_good, total_bad = good.sum(), bad.sum()
    if total_good <= 0 or total_bad <= 0:
        raise ScorecardError("the target needs both goods and bads")
    empty = (good == 0) | (bad == 0)
    g = np.where(empty, good + smoothing, good)
    b = np.where(empty, bad + smoothing, bad)
    woe = np.log((g / total_good) / (b / total_bad))
    iv_bins = (good / total_good - bad / total_bad) * woe
    return woe, iv_bins, float(iv_bins.sum())


def scaling_parameters(base_score: float = 600.0, base_odds: float = 50.0, pdo: float = 20.0) -> dict[str, float]:
    """factor = pdo / ln 2, offset = base_score - factor * ln(base_odds)."""
    if pdo <= 0 or base_odds <= 0:
        raise ScorecardError("pdo and base_odds must be positive")
    factor = pdo / math.log(2)
    offset = base_score - factor * math.log(base_odds)
    return {"base_score": float(base_score), "base_odds": float(base_odds), "pdo": float(pdo), "factor": factor, "offset": offset}


def bin_points(woe: Any, coefficient: float, intercept: float, n_variables: int, factor: float, offset: float) -> np.ndarray:
    """Points of each bin: -(b_j * WOE_ij + b0/n) * factor + offset/n (see the module docstring)."""
    woe = np.asarray(woe, dtype=float)
    return -(coefficient * woe + intercept / n_variables) * factor + offset / n_variables


def _sigmoid(z: Any) -> Any:
    z = np.asarray(z, dtype=float)
    return np.where(z >= 0, 1.0 / (1.0 + np.exp(-np.abs(z))), np.exp(-np.abs(z)) / (1.0 + np.exp(-np.abs(z))))


# ----------------------------------------------------------------------------- building


def _options(options: Mapping | None) -> dict[str, Any]:
    opts = dict(DEFAULT_OPTIONS)
    opts["monotonic_trends"] = {}
    for key, value in (options or {}).items():
        if key not in DEFAULT_OPTIONS:
            raise ScorecardError(f"unknown option {key!r}; known: {', '.join(sorted(DEFAULT_OPTIONS))}")
        opts[key] = value
    if opts["monotonic_trend"] not in MONOTONIC_TRENDS:
        raise ScorecardError(f"monotonic_trend must be one of {MONOTONIC_TRENDS}, not {opts['monotonic_trend']!r}")
    for name, trend in dict(opts["monotonic_trends"]).items():
        if trend not in MONOTONIC_TRENDS:
            raise ScorecardError(f"monotonic_trends[{name!r}] must be one of {MONOTONIC_TRENDS}")
    opts["monotonic_trends"] = {str(k): v for k, v in sorted(dict(opts["monotonic_trends"]).items())}
    opts["categorical"] = sorted(str(c) for c in opts["categorical"])
    opts["exclude"] = sorted(str(c) for c in opts["exclude"])
    for key in ("min_iv", "woe_smoothing", "range_widen"):
        if float(opts[key]) < 0:
            raise ScorecardError(f"{key} must be >= 0")
    if not 0 < float(opts["max_corr"]) <= 1:
        raise ScorecardError("max_corr must be in (0, 1]")
    if float(opts["C"]) <= 0 or int(opts["max_iter"]) <= 0:
        raise ScorecardError("C and max_iter must be positive")
    scaling_parameters(opts["base_score"], opts["base_odds"], opts["pdo"])
    for key in ("min_iv", "max_corr", "C", "tol", "base_score", "base_odds", "pdo", "woe_smoothing", "range_widen", "time_limit", "min_prebin_size"):
        opts[key] = float(opts[key])
    opts["max_iter"] = int(opts["max_iter"])
    opts["max_n_prebins"] = int(opts["max_n_prebins"])
    opts["enforce_sign"] = bool(opts["enforce_sign"])
    return opts


def _target(df: pd.DataFrame, target: str) -> np.ndarray:
    if target not in df.columns:
        raise ScorecardError(f"target column {target!r} not in the table")
    col = df[target]
    if col.isna().any():
        raise ScorecardError(f"target column {target!r} has missing values")
    values = pd.unique(col)
    if not set(values.tolist()) <= {0, 1, True, False}:
        raise ScorecardError(f"target column {target!r} must be binary 0/1 (1 = bad), found {sorted(map(str, values))[:5]}")
    y = col.astype(int).to_numpy()
    if y.sum() == 0 or y.sum() == len(y):
        raise ScorecardError("the target needs both goods (0) and bads (1)")
    return y


def variable_type(series: pd.Series, force_categorical: bool = False) -> str:
    if force_categorical or pd.api.types.is_bool_dtype(series):
        return "categorical"
    return "numerical" if pd.api.types.is_numeric_dtype(series) else "categorical"


def _as_float(series: pd.Series) -> np.ndarray:
    return pd.to_numeric(series, errors="raise").to_numpy(dtype="float64", na_value=np.nan)


def _factorize_str(series: pd.Series) -> tuple[np.ndarray, list[str]]:
    """(codes with -1 where missing, the distinct values as strings) -- vectorised."""
    codes, uniques = pd.factorize(series, use_na_sentinel=True)
    return np.asarray(codes, dtype=np.int64), [str(u) for u in uniques]


def _numeric_label(lower: float | None, upper: float | None) -> str:
    lo = "-inf" if lower is None else f"{lower:g}"
    hi = "inf" if upper is None else f"{upper:g}"
    return f"{'(' if lower is None else '['}{lo}, {hi})"


def _fit_variable(name: str, series: pd.Series, y: np.ndarray, vtype: str, opts: dict) -> tuple[dict, np.ndarray]:
    """Bin one variable. Returns (variable dict without points, training bin index per row)."""
    from optbinning import OptimalBinning

    trend = opts["monotonic_trends"].get(name, opts["monotonic_trend"] if vtype == "numerical" else "auto")
    kwargs = dict(
        name=name,
        dtype=vtype,
        solver=opts["solver"],
        monotonic_trend=trend,
        max_n_prebins=opts["max_n_prebins"],
        min_prebin_size=opts["min_prebin_size"],
        max_n_bins=opts["max_n_bins"],
        min_bin_size=opts["min_bin_size"],
        time_limit=opts["time_limit"],
    )
    if vtype == "numerical":
        x = _as_float(series)
        if np.isinf(x).any():
            raise ScorecardError("infinite values")
        missing = np.isnan(x)
        present = x[~missing]
        if present.size == 0:
            raise ScorecardError("all values missing")
        if np.unique(present).size < 2:
            raise ScorecardError("constant")
        ob = OptimalBinning(**kwargs)
        ob.fit(x, y)
        splits = sorted({round_sig(s) for s in np.asarray(ob.splits, dtype=float)})
        idx = np.searchsorted(np.asarray(splits, dtype=float), np.where(missing, 0.0, x), side="right")
        bins = []
        edges = [None, *splits, None]
        for i in range(len(splits) + 1):
            bins.append({"lower": edges[i], "upper": edges[i + 1], "missing": False, "label": _numeric_label(edges[i], edges[i + 1])})
        lo, hi = float(present.min()), float(present.max())
        span = hi - lo if hi > lo else max(abs(lo), 1.0)
        schema = {
            "type": "numerical",
            "observed_min": lo,
            "observed_max": hi,
            "accepted_min": round_sig(lo - opts["range_widen"] * span),
            "accepted_max": round_sig(hi + opts["range_widen"] * span),
        }
    else:
        codes, uniques = _factorize_str(series)
        missing = codes < 0
        seen = sorted(set(uniques))
        if not seen:
            raise ScorecardError("all values missing")
        if len(seen) < 2:
            raise ScorecardError("constant")
        x = np.array([*uniques, np.nan], dtype=object)[codes]
        ob = OptimalBinning(**kwargs)
        ob.fit(x, y)
        groups = [sorted({str(c) for c in group}) for group in ob.splits]
        grouped = {c for g in groups for c in g}
        leftovers = [c for c in seen if c not in grouped]
        if leftovers:  # not expected with cat_cutoff=None; kept whole rather than lost
            groups.append(leftovers)
        lookup = {c: i for i, g in enumerate(groups) for c in g}
        idx = np.array([lookup[u] for u in uniques] + [0], dtype=np.int64)[codes]
        bins = [{"categories": g, "missing": False, "label": ", ".join(g)} for g in groups]
        schema = {"type": "categorical", "categories": seen}
    if ob.status not in ("OPTIMAL", "FEASIBLE"):
        raise ScorecardError(f"binning status {ob.status}")
    has_missing = bool(missing.any())
    if has_missing:
        idx = np.where(missing, len(bins), idx)
        bins.append({"missing": True, "label": "Missing"})
    schema["missing_allowed"] = has_missing
    n_bins = len(bins)
    good = np.bincount(idx[y == 0], minlength=n_bins)
    bad = np.bincount(idx[y == 1], minlength=n_bins)
    woe, iv_bins, iv = woe_iv(good, bad, opts["woe_smoothing"])
    for i, b in enumerate(bins):
        count = int(good[i] + bad[i])
        b.update(
            index=i,
            count=count,
            good=int(good[i]),
            bad=int(bad[i]),
            bad_rate=float(bad[i] / count) if count else 0.0,
            woe=round_sig(woe[i]),
            iv=round_sig(iv_bins[i]),
        )
    variable = {
        "name": name,
        "type": vtype,
        "iv": round_sig(iv),
        "monotonic_trend": trend,
        "binning_status": ob.status,
        "bins": bins,
        "schema": schema,
    }
    return variable, idx


def _fit_logit(X: np.ndarray, y: np.ndarray, opts: dict) -> tuple[float, np.ndarray]:
    from sklearn.linear_model import LogisticRegression
    from threadpoolctl import threadpool_limits

    model = LogisticRegression(C=opts["C"], solver="lbfgs", max_iter=opts["max_iter"], tol=opts["tol"])
    with threadpool_limits(limits=1):
        model.fit(X, y)
    return float(model.intercept_[0]), model.coef_[0].astype(float)


def build_scorecard(df: pd.DataFrame, target: str, options: Mapping | None = None, features: Sequence[str] | None = None) -> dict:
    """Train a scorecard on ``df`` (``target``: 1 = bad) and return it as a JSON-able dict.

    ``features`` (default: every column but the target and ``options['exclude']``) are
    binned with optbinning, WOE-encoded with :func:`woe_iv`, selected (IV >= min_iv, then
    |corr| <= max_corr keeping the higher IV, then coefficient signs) and fed to a
    logistic regression; the points follow :func:`bin_points`.  The returned dict is
    already canonical: ``json.loads(scorecard_to_json(sc)) == sc``.
    """
    from . import metrics

    opts = _options(options)
    if not isinstance(df, pd.DataFrame) or len(df) == 0:
        raise ScorecardError("the training table is empty")
    y = _target(df, target)
    if features is None:
        features = [str(c) for c in df.columns if c != target and str(c) not in opts["exclude"]]
    else:
        features = [str(c) for c in features]
        missing_cols = [c for c in features if c not in df.columns]
        if missing_cols:
            raise ScorecardError(f"feature columns not in the table: {missing_cols}")
        if target in features:
            raise ScorecardError("the target cannot be a feature")
    if not features:
        raise ScorecardError("no feature columns")
    if len(set(features)) != len(features):
        raise ScorecardError("duplicate feature names")

    selection: dict[str, dict] = {}
    fitted: dict[str, tuple[dict, np.ndarray]] = {}
    for name in features:
        vtype = variable_type(df[name], name in opts["categorical"])
        entry = {"name": name, "type": vtype, "iv": None, "n_bins": None, "selected": False, "reason": None}
        selection[name] = entry
        try:
            variable, idx = _fit_variable(name, df[name], y, vtype, opts)
        except ScorecardError as exc:
            entry["reason"] = f"not binned: {exc}"
            continue
        entry["iv"] = variable["iv"]
        entry["n_bins"] = len(variable["bins"])
        if variable["iv"] < opts["min_iv"]:
            entry["reason"] = f"IV {variable['iv']:.4f} < min_iv {opts['min_iv']:g}"
            continue
        fitted[name] = (variable, idx)

    # Correlation of the WOE-encoded features: walk from the highest IV down, keep a
    # variable unless |corr| with an already kept one exceeds max_corr.
    order = sorted(fitted, key=lambda n: (-fitted[n][0]["iv"], n))
    woe_cols = {n: np.asarray([b["woe"] for b in fitted[n][0]["bins"]], dtype=float)[fitted[n][1]] for n in order}
    kept: list[str] = []
    for name in order:
        reason = None
        for other in kept:
            a, b = woe_cols[name], woe_cols[other]
            r = 0.0 if a.std() == 0 or b.std() == 0 else float(np.corrcoef(a, b)[0, 1])
            if abs(r) > opts["max_corr"]:
                reason = (
                    f"|corr| {abs(r):.3f} > max_corr {opts['max_corr']:g} with {other!r} "
                    f"(IV {fitted[other][0]['iv']:.4f} >= {fitted[name][0]['iv']:.4f})"
                )
                break
        if reason:
            selection[name]["reason"] = reason
        else:
            kept.append(name)
    if not kept:
        raise ScorecardError(f"no variable passed selection (min_iv {opts['min_iv']:g})")

    # Logistic regression; with enforce_sign a positive coefficient (a safer bin raising
    # the odds of bad) drops its variable and the model is refitted.
    while True:
        X = np.column_stack([woe_cols[n] for n in kept])
        intercept, coefs = _fit_logit(X, y, opts)
        if not opts["enforce_sign"] or not (coefs > 0).any():
            break
        worst = int(np.argmax(coefs))
        selection[kept[worst]]["reason"] = f"coefficient sign: {coefs[worst]:+.4f} > 0 (a safer bin would raise the odds of bad)"
        del kept[worst]
        if not kept:
            raise ScorecardError("no variable left after the coefficient-sign check")

    scaling = {k: round_sig(v) for k, v in scaling_parameters(opts["base_score"], opts["base_odds"], opts["pdo"]).items()}
    intercept = round_sig(intercept)
    n = len(kept)
    variables = []
    for name, coef in zip(kept, coefs):
        variable, _ = fitted[name]
        coef = round_sig(coef)
        pts = bin_points([b["woe"] for b in variable["bins"]], coef, intercept, n, scaling["factor"], scaling["offset"])
        for b, p in zip(variable["bins"], pts):
            b["points"] = round_sig(p)
        variable["coefficient"] = coef
        variable["points_min"] = min(b["points"] for b in variable["bins"])
        variable["points_max"] = max(b["points"] for b in variable["bins"])
        selection[name]["selected"] = True
        variables.append(variable)

    sc = {
        "format": FORMAT,
        "target": str(target),
        "target_encoding": {"bad": 1, "good": 0},
        "options": opts,
        "scaling": scaling,
        "model": {
            "kind": "logistic_regression",
            "solver": "lbfgs",
            "C": opts["C"],
            "intercept": intercept,
            "coefficients": {v["name"]: v["coefficient"] for v in variables},
        },
        "variables": variables,
        "schema": {v["name"]: v.pop("schema") for v in variables},
        "selection": [selection[n] for n in features],
        "score_range": {
            "min": round_sig(sum(v["points_min"] for v in variables)),
            "max": round_sig(sum(v["points_max"] for v in variables)),
        },
        "training": {"n_rows": int(len(y)), "n_bad": int(y.sum()), "n_good": int(len(y) - y.sum()), "bad_rate": float(y.mean())},
    }
    sc = canonical(sc)
    scores = score_frame(sc, df, on_invalid="raise")["score"].to_numpy()
    sc["training"]["auc"] = metrics.auc(y, scores)
    sc["training"]["ks"] = metrics.ks(y, scores)["ks"]
    sc["training"]["score_bands"] = metrics.score_bands(scores)
    return canonical(sc)


# ----------------------------------------------------------------------------- scoring

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
        out.append(canonical({"score": total, "pd": float(_sigmoid(logit)), "points": points, "bins": bins, "reasons": reasons}))
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
        codes, uniques = _factorize_str(series)
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
    out = pd.DataFrame({"score": total, "pd": _sigmoid(logit), "n_neutral": neutral, **cols}, index=df.index)
    return out


def woe_frame(scorecard: Mapping, df: pd.DataFrame) -> pd.DataFrame:
    """WOE encoding of the selected variables (invalid values -> 0, as in neutral scoring)."""
    comp = _Compiled(scorecard)
    cols = {}
    for var in comp.variables:
        idx, invalid = _bin_index_frame(var, df[var["name"]], False, scorecard["schema"][var["name"]])
        cols[var["name"]] = np.where(invalid, 0.0, var["woe"][np.where(invalid, 0, idx)])
    return pd.DataFrame(cols, index=df.index)
