"""Gradient-boosted trees on a table, grown in steps on a training split and judged on a
held-out validation split after each step, for the tabular recipes. Pure: numpy and
scikit-learn, no Django.

Growing in steps (warm_start) lets a search hear the validation metric as the model grows
and stop a trial whose curve lags the others (pruning); the model kept is the one at its
best step, so a trial that grew past its best is not punished for it. A plain linear
model on the same split is the baseline a search has to beat."""
from collections.abc import Callable

import numpy as np

from core.inference.lib import trees

KINDS = ("binary", "multiclass", "regression")
# What a trial is judged by, per kind of target, and which way is better.
OBJECTIVE = {"binary": ("roc_auc", "maximize"), "multiclass": ("accuracy", "maximize"),
             "regression": ("rmse", "minimize")}
TREE_PARAMS = ("learning_rate", "max_leaf_nodes", "min_samples_leaf", "l2_regularization")


def holdout(y, *, kind: str, fraction: float, seed: int):
    """(train rows, validation rows), sorted; stratified by class for a classifier."""
    from sklearn.model_selection import train_test_split

    rows = np.arange(len(y))
    train, val = train_test_split(rows, test_size=fraction, random_state=seed,
                                  stratify=None if kind == "regression" else y)
    return np.sort(train), np.sort(val)


def score(kind: str, y, predicted) -> dict:
    """Validation metrics: predicted is the positive class's probability (binary), the
    class probabilities (multiclass) or the values (regression)."""
    from sklearn import metrics as m

    y = np.asarray(y)
    predicted = np.asarray(predicted, dtype=np.float64)
    if kind == "binary":
        labels = (predicted >= 0.5).astype(int)
        return {"roc_auc": float(m.roc_auc_score(y, predicted)), "accuracy": float(m.accuracy_score(y, labels)),
                "f1": float(m.f1_score(y, labels, zero_division=0)),
                "log_loss": float(m.log_loss(y, np.clip(predicted, 1e-15, 1 - 1e-15), labels=[0, 1]))}
    if kind == "multiclass":
        labels = predicted.argmax(axis=1)
        return {"accuracy": float(m.accuracy_score(y, labels)),
                "macro_f1": float(m.f1_score(y, labels, average="macro", zero_division=0))}
    return {"rmse": float(np.sqrt(m.mean_squared_error(y, predicted))), "mae": float(m.mean_absolute_error(y, predicted)),
            "r2": float(m.r2_score(y, predicted))}


def _predicted(kind, est, X):
    if kind == "regression":
        return est.predict(X)
    proba = est.predict_proba(X)
    return proba[:, 1] if kind == "binary" else proba


def _better(value, best, direction):
    if best is None:
        return True
    return value > best + 1e-12 if direction == "maximize" else value < best - 1e-12


def fit_boosted(X_train, y_train, X_val, y_val, *, kind: str, params: dict, seed: int,
                report: Callable[[int, float], bool], every: int = 10, patience: int = 3) -> dict:
    """Grow HistGradientBoosting `every` iterations at a time up to params["max_iter"],
    calling report(iterations, validation metric) after each step; it stops when report
    answers False (the search gave up on it) or after `patience` steps without a better
    metric (early stopping). Returns the exported model cut at its best step, that step's
    metrics, the history and whether report stopped it."""
    from sklearn.ensemble import (
        HistGradientBoostingClassifier,
        HistGradientBoostingRegressor,
    )
    from threadpoolctl import threadpool_limits

    metric, direction = OBJECTIVE[kind]
    cls = HistGradientBoostingRegressor if kind == "regression" else HistGradientBoostingClassifier
    est = cls(**{k: params[k] for k in TREE_PARAMS}, max_iter=every, warm_start=True, early_stopping=False,
              random_state=seed)
    limit = int(params["max_iter"])
    best, best_iter, stale, stopped, history = None, 0, 0, False, []
    # One OpenMP thread: the same inputs give the same sums, so a trial reproduces bit for bit
    # (trials run side by side as jobs instead).
    with threadpool_limits(limits=1):
        for grown in range(every, limit + every, every):
            est.set_params(max_iter=min(grown, limit))
            est.fit(X_train, y_train)
            value = score(kind, y_val, _predicted(kind, est, X_val))[metric]
            history.append([int(est.n_iter_), value])
            if _better(value, best, direction):
                best, best_iter, stale = value, int(est.n_iter_), 0
            else:
                stale += 1
            if report(int(est.n_iter_), value) is False:
                stopped = True
                break
            if stale >= patience or est.n_iter_ >= limit:
                break
    model = trees.export_hgb(est, n_iter=best_iter)
    metrics = score(kind, y_val, _scored(model, X_val))
    return {"model": model, "value": metrics[metric], "metrics": metrics, "iterations": best_iter,
            "history": history, "stopped": stopped}


def _scored(model, X):
    # The exported trees, not the estimator: the metrics describe what will be served.
    return trees.predict(model, X)


def fit_baseline(X_train, y_train, X_val, y_val, *, kind: str, categorical: list[int], seed: int) -> dict:
    """Logistic regression (classification) or ridge regression on the same split: numbers
    median-filled and standardised, categories one-hot."""
    from sklearn.compose import ColumnTransformer
    from sklearn.impute import SimpleImputer
    from sklearn.linear_model import LogisticRegression, Ridge
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import OneHotEncoder, StandardScaler
    from threadpoolctl import threadpool_limits

    numeric = [j for j in range(X_train.shape[1]) if j not in set(categorical)]
    prepare = ColumnTransformer([
        ("numbers", make_pipeline(SimpleImputer(strategy="median"), StandardScaler()), numeric),
        ("categories", make_pipeline(SimpleImputer(strategy="most_frequent"),
                                     OneHotEncoder(handle_unknown="ignore")), list(categorical)),
    ])
    if kind == "regression":
        name, head = "ridge", Ridge(alpha=1.0)
    else:
        name, head = "logistic_regression", LogisticRegression(max_iter=2000, random_state=seed)
    model = make_pipeline(prepare, head)
    with threadpool_limits(limits=1):
        model.fit(X_train, y_train)
    metrics = score(kind, y_val, _predicted(kind, model, X_val))
    return {"model": name, "metric": OBJECTIVE[kind][0], "value": metrics[OBJECTIVE[kind][0]], "metrics": metrics}
