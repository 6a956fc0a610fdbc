"""Building a scorecard from a training table: options, binning of every feature,
selection (IV, correlation, coefficient sign), logistic regression and points."""
from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

from .. import metrics
from .artifact import FORMAT, canonical, round_sig
from .binning import fit_variable, variable_type
from .errors import ScorecardError
from .points import bin_points, scaling_parameters
from .scoring import score_frame
from .screening import screen, too_good_reason
from .target import binary_target

MONOTONIC_TRENDS = ("auto", "ascending", "descending", "auto_asc_desc", None)

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
    "keep": [],  # columns used even when they look like identifiers or free text (screening)
    "max_distinct": 1000,  # a text column with this many distinct values is free text or an id
    "max_distinct_ratio": 0.95,  # ... or with this many distinct values per row
    "max_iv": 3.0,  # an IV above this is a leak or an identifier, not a predictor (None: no limit)
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



def options_of(options: Mapping | None) -> dict[str, Any]:
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
    opts["keep"] = sorted(str(c) for c in opts["keep"])
    if isinstance(opts["max_distinct"], bool) or int(opts["max_distinct"]) < 2:
        raise ScorecardError("max_distinct must be a whole number >= 2")
    opts["max_distinct"] = int(opts["max_distinct"])
    if not 0 < float(opts["max_distinct_ratio"]) <= 1:
        raise ScorecardError("max_distinct_ratio must be in (0, 1]")
    opts["max_distinct_ratio"] = float(opts["max_distinct_ratio"])
    if opts["max_iv"] is not None:
        if float(opts["max_iv"]) <= 0:
            raise ScorecardError("max_iv must be > 0, or null for no limit")
        opts["max_iv"] = float(opts["max_iv"])
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
    return binary_target(df[target], target)


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

    opts = options_of(options)
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
    screened = screen(df, features, opts)
    for name in features:
        vtype = variable_type(df[name], name in opts["categorical"])
        entry = {"name": name, "type": vtype, "iv": None, "n_bins": None, "selected": False, "reason": None}
        selection[name] = entry
        if name in screened:  # not even binned: binning free text is slow and its IV meaningless
            entry["reason"] = screened[name]
            continue
        try:
            variable, idx = fit_variable(name, df[name], y, vtype, opts)
        except ScorecardError as exc:
            entry["reason"] = f"not binned: {exc}"
            continue
        entry["iv"] = variable["iv"]
        entry["n_bins"] = len(variable["bins"])
        if variable["iv"] < opts["min_iv"]:
            entry["reason"] = f"IV {variable['iv']:.4f} < min_iv {opts['min_iv']:g}"
            continue
        too_good = None if name in opts["keep"] else too_good_reason(variable["iv"], max_iv=opts["max_iv"])
        if too_good:
            entry["reason"] = f"{too_good}; pass options.keep=[{name!r}] to use it anyway"
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
