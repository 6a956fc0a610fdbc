"""Ordinary least squares on a numeric table, with a seeded hold-out split. Pure numpy."""
import csv
import io

import numpy as np


class TableError(ValueError):
    pass


def read_numeric_csv(data: bytes, target: str, features=None):
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        raise TableError("dataset is not UTF-8 text") from None
    rows = list(csv.reader(io.StringIO(text)))
    if len(rows) < 3:
        raise TableError("dataset needs a header and at least two rows")
    header = [h.strip() for h in rows[0]]
    if target not in header:
        raise TableError(f"target column {target!r} not in {header}")
    features = features or [h for h in header if h != target]
    missing = [f for f in features if f not in header]
    if missing:
        raise TableError(f"feature columns not found: {missing}")
    idx = {h: i for i, h in enumerate(header)}
    x, y = [], []
    for line_no, row in enumerate(rows[1:], start=2):
        try:
            x.append([float(row[idx[f]]) for f in features])
            y.append(float(row[idx[target]]))
        except (ValueError, IndexError):
            raise TableError(f"line {line_no}: non-numeric or missing value") from None
    return np.asarray(x), np.asarray(y), features


def fit(x, y, *, seed=0, holdout=0.25):
    rng = np.random.default_rng(seed)
    order = rng.permutation(len(y))
    cut = max(1, int(len(y) * (1 - holdout)))
    train, test = order[:cut], order[cut:]
    design = np.column_stack([x[train], np.ones(len(train))])
    coef, *_ = np.linalg.lstsq(design, y[train], rcond=None)
    pred = np.column_stack([x[test], np.ones(len(test))]) @ coef
    resid = y[test] - pred
    ss_tot = float(np.sum((y[test] - y[test].mean()) ** 2)) or 1e-12
    return {
        "weights": coef[:-1].tolist(),
        "intercept": float(coef[-1]),
        "metrics": {
            "rmse": float(np.sqrt(np.mean(resid ** 2))),
            "mae": float(np.mean(np.abs(resid))),
            "r2": 1 - float(np.sum(resid ** 2)) / ss_tot,
            "train_rows": int(len(train)),
            "test_rows": int(len(test)),
        },
    }
