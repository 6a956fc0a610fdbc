"""Validation of the whole scorecard pipeline: stratified k-fold cross-validation and a
holdout split, each refitting binning, selection, regression and scaling on the training part."""
from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd

from .metrics import auc, gini, ks, psi
from .scorecard.build import build_scorecard
from .scorecard.scoring import score_frame


def cross_validate_scorecard(
    df: pd.DataFrame,
    target: str,
    options: Mapping | None = None,
    n_splits: int = 5,
    seed: int = 0,
    features: Sequence[str] | None = None,
) -> dict:
    """Stratified k-fold CV (shuffled with ``seed``) of the whole pipeline: binning, selection,
    regression and scaling are refitted on each training fold, and the held-out fold is scored
    with ``on_invalid="neutral"``.  Returns per-fold AUC/KS/Gini and their means."""
    from sklearn.model_selection import StratifiedKFold

    y = df[target].astype(int).to_numpy()
    folds = []
    skf = StratifiedKFold(n_splits=n_splits, shuffle=True, random_state=seed)
    for k, (tr, te) in enumerate(skf.split(np.zeros(len(y)), y)):
        sc = build_scorecard(df.iloc[tr], target, options, features)
        scored = score_frame(sc, df.iloc[te], on_invalid="neutral")
        s = scored["score"].to_numpy()
        folds.append(
            {
                "fold": k,
                "n_train": int(len(tr)),
                "n_test": int(len(te)),
                "auc": auc(y[te], s),
                "gini": gini(y[te], s),
                "ks": ks(y[te], s)["ks"],
                "n_neutral_values": int(scored["n_neutral"].sum()),
                "selected": [v["name"] for v in sc["variables"]],
            }
        )
    aucs = np.array([f["auc"] for f in folds])
    kss = np.array([f["ks"] for f in folds])
    return {
        "n_splits": n_splits,
        "seed": seed,
        "folds": folds,
        "mean_auc": float(aucs.mean()),
        "std_auc": float(aucs.std(ddof=1)) if len(aucs) > 1 else 0.0,
        "mean_gini": float(2 * aucs.mean() - 1),
        "mean_ks": float(kss.mean()),
        "std_ks": float(kss.std(ddof=1)) if len(kss) > 1 else 0.0,
    }


def holdout_evaluation(
    df: pd.DataFrame,
    target: str,
    options: Mapping | None = None,
    test_size: float = 0.3,
    seed: int = 0,
    features: Sequence[str] | None = None,
) -> dict:
    """Stratified train/test split (``seed``), scorecard on train, AUC/KS/Gini on both parts,
    and PSI of the test scores against the training score bands."""
    from sklearn.model_selection import train_test_split

    y = df[target].astype(int).to_numpy()
    tr, te = train_test_split(np.arange(len(y)), test_size=test_size, stratify=y, random_state=seed)
    tr, te = np.sort(tr), np.sort(te)
    sc = build_scorecard(df.iloc[tr], target, options, features)
    s_tr = score_frame(sc, df.iloc[tr], on_invalid="neutral")["score"].to_numpy()
    scored_te = score_frame(sc, df.iloc[te], on_invalid="neutral")
    s_te = scored_te["score"].to_numpy()

    def part(yy, ss):
        a = auc(yy, ss)
        k = ks(yy, ss)
        return {"n": int(len(yy)), "auc": a, "gini": 2 * a - 1, "ks": k["ks"], "ks_threshold": k["threshold"]}

    return {
        "test_size": test_size,
        "seed": seed,
        "train": part(y[tr], s_tr),
        "test": part(y[te], s_te),
        "psi_train_vs_test": psi(s_tr, s_te)["psi"],
        "n_neutral_values": int(scored_te["n_neutral"].sum()),
        "scorecard": sc,
    }
