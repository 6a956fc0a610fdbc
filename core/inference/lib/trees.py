"""Gradient-boosted trees as plain JSON, scored with numpy alone: how the platform serves
every tree model it trains (the tabular recipes, finance's anti-fraud) without pickle.
Pure: numpy only; the exporter reads a fitted scikit-learn HistGradientBoosting model's
attributes without importing scikit-learn.

A tree is {"feature", "threshold", "missing_left", "left", "right", "value", "max_depth"},
one entry per node: node i is a leaf when feature[i] < 0; a row goes left when its value
is <= threshold, and a missing value (NaN) goes where missing_left says.

A model is {"link", "baseline", "trees"}: baseline has one raw score per output, trees one
list per boosting iteration holding one tree per output (one output for regression and
binary classification, one per class for more classes). The link turns raw scores into
the answer: "identity" (a regression's value), "logistic" (a binary classifier's
probability of its second class), "softmax" (a probability per class)."""
from collections.abc import Mapping

import numpy as np

LINKS = ("identity", "logistic", "softmax")


class TreeModelError(ValueError):
    """A model that cannot be exported or scored as plain trees."""


def export_tree(nodes) -> dict:
    """One fitted predictor's node array (HistGradientBoosting's TreePredictor.nodes)."""
    if nodes["is_categorical"].any():
        raise TreeModelError("categorical splits cannot be exported; encode categories as numbers first")
    leaf = nodes["is_leaf"].astype(bool)
    return {
        "feature": [int(v) for v in np.where(leaf, -1, nodes["feature_idx"])],
        "threshold": [float(v) for v in np.where(leaf, 0.0, nodes["num_threshold"])],
        "missing_left": [bool(v) for v in nodes["missing_go_to_left"]],
        "left": [int(v) for v in np.where(leaf, -1, nodes["left"].astype(np.int64))],
        "right": [int(v) for v in np.where(leaf, -1, nodes["right"].astype(np.int64))],
        "value": [float(v) if lf else 0.0 for v, lf in zip(nodes["value"], leaf)],
        "max_depth": int(nodes["depth"].max()),
    }


def export_hgb(est, n_iter: int | None = None) -> dict:
    """A fitted HistGradientBoostingClassifier or -Regressor (squared error) as a model;
    n_iter keeps only the first iterations (the best ones, when training ran on past them)."""
    iterations = est._predictors if n_iter is None else est._predictors[:n_iter]
    if hasattr(est, "classes_"):
        link = "logistic" if len(est.classes_) == 2 else "softmax"
    elif getattr(est, "loss", None) == "squared_error":
        link = "identity"
    else:
        raise TreeModelError(f"only squared-error regressors and classifiers export, not loss {est.loss!r}")
    return {"link": link, "baseline": [float(v) for v in np.asarray(est._baseline_prediction).ravel()],
            "trees": [[export_tree(p.nodes) for p in iteration] for iteration in iterations]}


def tree_output(tree: Mapping, X: np.ndarray) -> np.ndarray:
    """The leaf value each row of X reaches, walking all rows one level at a time."""
    n = X.shape[0]
    rows = np.arange(n)
    feature = np.asarray(tree["feature"], dtype=np.int64)
    threshold = np.asarray(tree["threshold"], dtype=np.float64)
    missing_left = np.asarray(tree["missing_left"], dtype=bool)
    left = np.asarray(tree["left"], dtype=np.int64)
    right = np.asarray(tree["right"], dtype=np.int64)
    is_leaf = feature < 0
    node = np.zeros(n, dtype=np.int64)
    for _ in range(int(tree["max_depth"]) + 1):
        active = ~is_leaf[node]
        if not active.any():
            break
        nd = node[active]
        x = X[rows[active], feature[nd]]
        go_left = np.where(np.isnan(x), missing_left[nd], x <= threshold[nd])
        node[active] = np.where(go_left, left[nd], right[nd])
    return np.asarray(tree["value"], dtype=np.float64)[node]


def raw_scores(model: Mapping, X) -> np.ndarray:
    """[n rows, outputs]: the baseline plus every tree's leaf, added in training order
    (so the sums equal scikit-learn's own to the last bit)."""
    X = np.asarray(X, dtype=np.float64)
    if X.ndim != 2:
        raise TreeModelError("expected a 2-d matrix of rows x features")
    baseline = np.asarray(model["baseline"], dtype=np.float64)
    raw = np.tile(baseline, (X.shape[0], 1))
    for iteration in model["trees"]:
        if len(iteration) != len(baseline):
            raise TreeModelError(f"an iteration has {len(iteration)} trees for {len(baseline)} outputs")
        for k, tree in enumerate(iteration):
            raw[:, k] += tree_output(tree, X)
    return raw


def predict(model: Mapping, X) -> np.ndarray:
    """The answer through the model's link: values or positive-class probabilities [n],
    or class probabilities [n, classes]."""
    link = model.get("link")
    if link not in LINKS:
        raise TreeModelError(f"unknown link {link!r}; expected one of {', '.join(LINKS)}")
    raw = raw_scores(model, X)
    if link == "identity":
        return raw[:, 0]
    if link == "logistic":
        return 1.0 / (1.0 + np.exp(-raw[:, 0]))
    shifted = np.exp(raw - raw.max(axis=1, keepdims=True))
    return shifted / shifted.sum(axis=1, keepdims=True)
