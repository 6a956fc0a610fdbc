"""Binning one variable with optbinning, and its WOE and IV per bin."""
from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from .artifact import round_sig
from .errors import ScorecardError


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



def variable_type(series: pd.Series, force_categorical: bool = False) -> str:
    if force_categorical or pd.api.types.is_bool_dtype(series):
        return "categorical"
    return "numerical" if pd.api.types.is_numeric_dtype(series) else "categorical"


def _as_float(series: pd.Series) -> np.ndarray:
    return pd.to_numeric(series, errors="raise").to_numpy(dtype="float64", na_value=np.nan)


def factorize_str(series: pd.Series) -> tuple[np.ndarray, list[str]]:
    """(codes with -1 where missing, the distinct values as strings) -- vectorised."""
    codes, uniques = pd.factorize(series, use_na_sentinel=True)
    return np.asarray(codes, dtype=np.int64), [str(u) for u in uniques]


def _numeric_label(lower: float | None, upper: float | None) -> str:
    lo = "-inf" if lower is None else f"{lower:g}"
    hi = "inf" if upper is None else f"{upper:g}"
    return f"{'(' if lower is None else '['}{lo}, {hi})"


def fit_variable(name: str, series: pd.Series, y: np.ndarray, vtype: str, opts: dict) -> tuple[dict, np.ndarray]:
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
        codes, uniques = factorize_str(series)
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

