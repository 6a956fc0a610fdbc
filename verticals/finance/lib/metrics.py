"""Scorecard metrics: AUC, KS, Gini, ROC/KS curves, histograms, PSI, RF importance.

Pure logic, no Django.  ``y`` is always 1 = bad.  Scores follow the scorecard's
convention, higher = more creditworthy (``higher_is_better=True``); pass
``higher_is_better=False`` for risk scores such as a probability of default.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

PSI_EPSILON = 1e-4
MAX_CURVE_POINTS = 200


def _arrays(y: Any, score: Any) -> tuple[np.ndarray, np.ndarray]:
    y = np.asarray(y).astype(int)
    s = np.asarray(score, dtype=float)
    if y.shape != s.shape or y.ndim != 1:
        raise ValueError("y and score must be 1-D and of the same length")
    if not set(np.unique(y).tolist()) <= {0, 1}:
        raise ValueError("y must be 0/1 (1 = bad)")
    if y.sum() == 0 or y.sum() == len(y):
        raise ValueError("y needs both goods and bads")
    if np.isnan(s).any():
        raise ValueError("scores contain NaN")
    return y, s


def auc(y: Any, score: Any, higher_is_better: bool = True) -> float:
    """Area under the ROC curve for detecting bads (ties count one half)."""
    from sklearn.metrics import roc_auc_score

    y, s = _arrays(y, score)
    return float(roc_auc_score(y, -s if higher_is_better else s))


def gini(y: Any, score: Any, higher_is_better: bool = True) -> float:
    """Gini = 2 * AUC - 1."""
    return 2.0 * auc(y, score, higher_is_better) - 1.0


def _ks_table(y: np.ndarray, s: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """For each distinct value t of s (ascending): share of bads and of goods with s <= t."""
    order = np.argsort(s, kind="mergesort")
    s_sorted, y_sorted = s[order], y[order]
    cum_bad = np.cumsum(y_sorted) / y.sum()
    cum_good = np.cumsum(1 - y_sorted) / (len(y) - y.sum())
    last = np.r_[np.flatnonzero(np.diff(s_sorted)), len(s) - 1]
    return s_sorted[last], cum_bad[last], cum_good[last]


def ks(y: Any, score: Any, higher_is_better: bool = True) -> dict:
    """Kolmogorov-Smirnov statistic: max over thresholds t of |F_bad(t) - F_good(t)|.

    With ``higher_is_better`` the cut-off is "score <= threshold" (those would be
    declined); otherwise "score >= threshold".  Returns ks, threshold and both shares.
    """
    y, s = _arrays(y, score)
    sign = 1.0 if higher_is_better else -1.0
    t, cb, cg = _ks_table(y, sign * s)
    diff = np.abs(cb - cg)
    k = int(np.argmax(diff))
    return {"ks": float(diff[k]), "threshold": float(sign * t[k]), "cum_bad": float(cb[k]), "cum_good": float(cg[k])}


def _downsample(n: int, max_points: int, keep: Sequence[int] = ()) -> np.ndarray:
    if n <= max_points:
        return np.arange(n)
    base = np.unique(np.round(np.linspace(0, n - 1, max_points - len(keep))).astype(int))
    return np.unique(np.r_[base, np.asarray(keep, dtype=int)])


def roc_points(y: Any, score: Any, higher_is_better: bool = True, max_points: int = MAX_CURVE_POINTS) -> list[dict]:
    """ROC curve (fpr = share of goods flagged, tpr = share of bads flagged), <= max_points points."""
    from sklearn.metrics import roc_curve

    y, s = _arrays(y, score)
    fpr, tpr, thr = roc_curve(y, -s if higher_is_better else s)
    idx = _downsample(len(fpr), max_points)
    out = []
    for i in idx:
        t = thr[i]
        t = None if not np.isfinite(t) else float(-t if higher_is_better else t)
        out.append({"fpr": float(fpr[i]), "tpr": float(tpr[i]), "threshold": t})
    return out


def ks_points(y: Any, score: Any, higher_is_better: bool = True, max_points: int = MAX_CURVE_POINTS) -> list[dict]:
    """KS curve: per threshold, cumulative share of bads and goods, <= max_points points.

    The threshold where KS occurs is always among the points.
    """
    y, s = _arrays(y, score)
    sign = 1.0 if higher_is_better else -1.0
    t, cb, cg = _ks_table(y, sign * s)
    k = int(np.argmax(np.abs(cb - cg)))
    idx = _downsample(len(t), max_points, keep=[k])
    return [{"score": float(sign * t[i]), "cum_bad": float(cb[i]), "cum_good": float(cg[i]), "diff": float(abs(cb[i] - cg[i]))} for i in idx]


def score_histogram(y: Any, score: Any, n_bins: int = 20, edges: Sequence[float] | None = None) -> list[dict]:
    """Counts of goods and bads per score bin (equal width between min and max unless ``edges``)."""
    y, s = _arrays(y, score)
    if edges is None:
        lo, hi = float(s.min()), float(s.max())
        if hi == lo:
            hi = lo + 1.0
        edges = np.linspace(lo, hi, n_bins + 1)
    edges = np.asarray(edges, dtype=float)
    idx = np.clip(np.searchsorted(edges, s, side="right") - 1, 0, len(edges) - 2)
    good = np.bincount(idx[y == 0], minlength=len(edges) - 1)
    bad = np.bincount(idx[y == 1], minlength=len(edges) - 1)
    return [{"lower": float(edges[i]), "upper": float(edges[i + 1]), "good": int(good[i]), "bad": int(bad[i])} for i in range(len(edges) - 1)]


def score_bands(scores: Any, n_bands: int = 10) -> dict:
    """Fixed score bands from a reference sample: inner edges at its quantiles (deciles by default).

    Band i is [edges[i-1], edges[i]) with the outer bands open-ended; repeated quantiles
    collapse, so there can be fewer than ``n_bands`` bands.  Returns the edges and the
    reference proportions per band.
    """
    s = np.asarray(scores, dtype=float)
    if s.size == 0 or np.isnan(s).any():
        raise ValueError("scores must be a non-empty array without NaN")
    edges = np.unique(np.quantile(s, np.arange(1, n_bands) / n_bands))
    counts = np.bincount(np.searchsorted(edges, s, side="right"), minlength=len(edges) + 1)
    return {"edges": [float(e) for e in edges], "proportions": [float(c) for c in counts / s.size]}


def psi(expected: Any, actual: Any, n_bands: int = 10, epsilon: float = PSI_EPSILON) -> dict:
    """Population stability index of ``actual`` scores against ``expected`` ones.

    ``expected`` is a training sample of scores, or a :func:`score_bands` dict (as stored in
    a scorecard's ``training.score_bands``).  Bands are fixed from the training deciles;
    PSI = sum_i (a_i - e_i) * ln(a_i / e_i) over the bands' proportions, where a proportion
    below ``epsilon`` (1e-4) is replaced by ``epsilon`` so an empty band stays finite.
    Usual reading: < 0.1 stable, 0.1-0.25 watch, > 0.25 shifted.
    """
    ref = expected if isinstance(expected, Mapping) else score_bands(expected, n_bands)
    edges = np.asarray(ref["edges"], dtype=float)
    e = np.asarray(ref["proportions"], dtype=float)
    a_scores = np.asarray(actual, dtype=float)
    if a_scores.size == 0 or np.isnan(a_scores).any():
        raise ValueError("actual scores must be a non-empty array without NaN")
    a = np.bincount(np.searchsorted(edges, a_scores, side="right"), minlength=len(edges) + 1) / a_scores.size
    e_s, a_s = np.maximum(e, epsilon), np.maximum(a, epsilon)
    contrib = (a_s - e_s) * np.log(a_s / e_s)
    lows = [None, *edges.tolist()]
    highs = [*edges.tolist(), None]
    bands = [
        {"lower": lows[i], "upper": highs[i], "expected": float(e[i]), "actual": float(a[i]), "contribution": float(contrib[i])}
        for i in range(len(e))
    ]
    return {"psi": float(contrib.sum()), "epsilon": epsilon, "bands": bands}


def encode_simple(df: pd.DataFrame, features: Sequence[str]) -> np.ndarray:
    """Raw features for tree models: numbers as they are (missing -> the column median),
    other columns as ordinal codes of their sorted distinct values (missing -> -1)."""
    cols = []
    for name in features:
        col = df[name]
        if pd.api.types.is_numeric_dtype(col) and not pd.api.types.is_bool_dtype(col):
            x = col.to_numpy(dtype="float64", na_value=np.nan)
            med = np.nanmedian(x) if (~np.isnan(x)).any() else 0.0
            cols.append(np.where(np.isnan(x), med, x))
        else:
            codes, uniques = pd.factorize(col, use_na_sentinel=True)
            strs = [str(u) for u in uniques]
            lookup = {c: i for i, c in enumerate(sorted(set(strs)))}
            cols.append(np.array([float(lookup[v]) for v in strs] + [-1.0])[codes])
    return np.column_stack(cols)


def rf_importance(
    df: pd.DataFrame,
    target: str,
    features: Sequence[str] | None = None,
    n_estimators: int = 200,
    min_samples_leaf: int = 5,
    random_state: int = 0,
) -> list[dict]:
    """Random-forest (impurity) importance of the raw features, highest first, for comparison
    with the scorecard's IV ranking.  Deterministic: fixed random_state, n_jobs=1."""
    from sklearn.ensemble import RandomForestClassifier

    features = [c for c in df.columns if c != target] if features is None else list(features)
    X = encode_simple(df, features)
    y = df[target].astype(int).to_numpy()
    rf = RandomForestClassifier(n_estimators=n_estimators, min_samples_leaf=min_samples_leaf, random_state=random_state, n_jobs=1)
    rf.fit(X, y)
    ranked = sorted(zip(features, rf.feature_importances_), key=lambda t: (-t[1], t[0]))
    return [{"name": n, "importance": float(v), "rank": r + 1} for r, (n, v) in enumerate(ranked)]


def evaluate_scores(y: Any, score: Any, higher_is_better: bool = True, n_bins: int = 20) -> dict:
    """AUC, Gini, KS (with threshold) and the chart data (ROC, KS curve, histogram)."""
    a = auc(y, score, higher_is_better)
    return {
        "auc": a,
        "gini": 2 * a - 1,
        "ks": ks(y, score, higher_is_better),
        "roc": roc_points(y, score, higher_is_better),
        "ks_curve": ks_points(y, score, higher_is_better),
        "histogram": score_histogram(y, score, n_bins),
        "n": int(len(np.asarray(y))),
    }
