"""Anti-fraud: card transactions -> fraud risk, exported to JSON and scored with numpy.

Data: ``fraud_transactions.csv.gz`` shipped inside the evalml package (99,992 synthetic
card transactions, 15.2% fraud).  It is read directly with pandas from the installed
package folder; evalml's own loader downloads and is never called, and evalml itself is
never imported (only located with ``importlib.util.find_spec``).

Model choice: scikit-learn's ``HistGradientBoostingClassifier`` (seeded, no early
stopping, trained with one OpenMP thread so the floating-point sums are reproducible) on
numerical engineered features, no categorical splits.  Its fitted trees are exported to a
plain JSON structure (per tree: feature, threshold, missing-goes-left, children, leaf
value; core.inference.lib.trees, shared with the platform's tabular recipes) and
:func:`predict_proba` walks them with numpy alone; the export reproduces
sklearn's ``predict_proba`` exactly (tested).  Gradient boosting was preferred to a
logistic regression because the strongest signal in this data is a sharp step in the
amount (every transaction above 90,000 is fraud) combined with weaker card-history
effects, which trees capture without hand-made bins.  No pickle: the artifact is
deterministic JSON (same data + same parameters -> same bytes; floats are written with
Python's shortest round-trip repr).

Features (:data:`FEATURES`), computed by :func:`engineer_features` from the columns; the
history features of a transaction use only earlier transactions of the same card or store
in the table given (plus an optional ``history`` table), so the same code serves online.
"""

from __future__ import annotations

import importlib.util
import json
import math
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from core.inference.lib import trees

FORMAT = "zhongtai.finance.fraud_gbdt/1"
TARGET = "fraud"
DEFAULT_ALERT_RATES = (0.01, 0.05)
REQUIRED_COLUMNS = (
    "id", "card_id", "store_id", "datetime", "amount", "customer_present",
    "expiration_date", "provider", "lat", "lng", "country",
)

FEATURES = (
    "amount",  # transaction amount
    "hour",  # hour of day
    "day_of_week",  # 0 = Monday
    "day_of_month",
    "customer_present",  # 1 = card present
    "months_to_expiry",  # card expiry month minus transaction month (negative: expired)
    "lat",  # store location
    "lng",
    "provider_code",  # index of the provider in the training providers (-1: unseen)
    "is_domestic",  # store country == "US" (NaN when unknown)
    "card_n_prior",  # earlier transactions of the card
    "card_hours_since_prev",  # hours since the card's previous transaction (NaN: first)
    "card_amount_ratio",  # amount / mean amount of the card's earlier transactions
    "card_prev_max_amount",  # largest earlier amount of the card
    "card_km_from_prev",  # distance from the card's previous store (equirectangular, km)
    "store_n_prior",  # earlier transactions at the store
)

DEFAULT_PARAMS: dict[str, Any] = {
    "max_iter": 100,
    "learning_rate": 0.1,
    "max_leaf_nodes": 15,
    "min_samples_leaf": 40,
    "l2_regularization": 0.0,
    "max_bins": 255,
    "random_state": 0,
}


class FraudModelError(ValueError):
    """Bad input for training or scoring."""


# ----------------------------------------------------------------------------- data


def fraud_data_path() -> Path:
    """The CSV shipped in the installed evalml package (found without importing evalml)."""
    spec = importlib.util.find_spec("evalml")
    if spec is None or not spec.submodule_search_locations:
        raise FileNotFoundError("evalml is not installed (pip install --no-deps evalml==0.84.0)")
    for location in spec.submodule_search_locations:
        for rel in (("demos", "data"), ("tests", "data")):
            path = Path(location).joinpath(*rel, "fraud_transactions.csv.gz")
            if path.is_file():
                return path
    raise FileNotFoundError("fraud_transactions.csv.gz not found in the evalml package")


def _target_values(col: pd.Series) -> np.ndarray:
    """0/1 from booleans, 0/1 numbers or the strings true/false/1/0 (any case)."""
    if pd.api.types.is_bool_dtype(col) or pd.api.types.is_numeric_dtype(col):
        values = pd.to_numeric(col, errors="coerce")
    else:
        values = col.map(lambda v: {"true": 1, "false": 0, "1": 1, "0": 0, "1.0": 1, "0.0": 0}.get(str(v).strip().lower()))
    if values.isna().any() or not set(pd.unique(values).tolist()) <= {0, 1}:
        raise FraudModelError(f"the {col.name!r} column must be 0/1 or true/false")
    return values.astype(np.int64).to_numpy()


def load_fraud_transactions(card_fraction: float | None = None, seed: int = 0) -> pd.DataFrame:
    """The transactions, sorted by time (then id), ``fraud`` as 0/1.

    ``card_fraction`` keeps all transactions of a seeded random share of the cards (so the
    card-history features stay whole) -- for quick tests.
    """
    df = pd.read_csv(fraud_data_path())
    df[TARGET] = _target_values(df[TARGET])
    if card_fraction is not None:
        if not 0 < card_fraction <= 1:
            raise ValueError("card_fraction must be in (0, 1]")
        cards = np.sort(df["card_id"].unique())
        rng = np.random.default_rng(seed)
        keep = rng.choice(cards, size=max(1, int(round(card_fraction * len(cards)))), replace=False)
        df = df[df["card_id"].isin(keep)]
    return _sorted(df)


def _sorted(df: pd.DataFrame) -> pd.DataFrame:
    ts = pd.to_datetime(df["datetime"], format="%Y-%m-%d %H:%M:%S", errors="raise")
    return df.assign(_ts=ts).sort_values(["_ts", "id"], kind="mergesort").drop(columns="_ts").reset_index(drop=True)


# ----------------------------------------------------------------------------- features


def fit_encoders(df: pd.DataFrame) -> dict:
    """What the feature code must remember from training: the known providers."""
    return {"provider": sorted({str(p) for p in df["provider"].dropna().unique()})}


def engineer_features(transactions: pd.DataFrame, encoders: Mapping, history: pd.DataFrame | None = None) -> pd.DataFrame:
    """The :data:`FEATURES` matrix (float64) for ``transactions``, in their order.

    ``history`` (optional) holds earlier transactions of the same cards/stores; it feeds the
    history features and is not returned.  Transactions are processed in time order (ties by
    id); a transaction's history features look only at earlier rows.
    """
    missing = [c for c in REQUIRED_COLUMNS if c not in transactions.columns]
    if missing:
        raise FraudModelError(f"missing columns: {missing}")
    n_new = len(transactions)
    parts = [transactions.assign(_new=True, _pos=np.arange(n_new))]
    if history is not None and len(history):
        parts.insert(0, history.assign(_new=False, _pos=-1))
    df = pd.concat(parts, ignore_index=True) if len(parts) > 1 else parts[0].reset_index(drop=True)
    try:
        ts = pd.to_datetime(df["datetime"], format="%Y-%m-%d %H:%M:%S", errors="raise")
        exp = pd.to_datetime(df["expiration_date"], format="%m/%y", errors="raise")
        amount = pd.to_numeric(df["amount"], errors="raise").astype(float)
        lat = pd.to_numeric(df["lat"], errors="raise").astype(float)
        lng = pd.to_numeric(df["lng"], errors="raise").astype(float)
    except (ValueError, TypeError) as exc:
        raise FraudModelError(f"bad transaction values: {exc}") from exc
    df = df.assign(_ts=ts, _amount=amount, _lat=lat, _lng=lng)
    order = np.lexsort((df["id"].to_numpy(), ts.to_numpy()))
    df = df.iloc[order].reset_index(drop=True)
    ts, exp = df["_ts"], pd.to_datetime(df["expiration_date"], format="%m/%y")

    f = pd.DataFrame(index=df.index)
    f["amount"] = df["_amount"]
    f["hour"] = ts.dt.hour.astype(float)
    f["day_of_week"] = ts.dt.day_of_week.astype(float)
    f["day_of_month"] = ts.dt.day.astype(float)
    f["customer_present"] = df["customer_present"].map(lambda v: float(str(v).strip().lower() in ("true", "1", "1.0", "yes"))).astype(float)
    f["months_to_expiry"] = ((exp.dt.year - ts.dt.year) * 12 + (exp.dt.month - ts.dt.month)).astype(float)
    f["lat"] = df["_lat"]
    f["lng"] = df["_lng"]
    lookup = {p: i for i, p in enumerate(encoders["provider"])}
    f["provider_code"] = df["provider"].map(lambda p: float(lookup.get(str(p), -1))).astype(float)
    country = df["country"]
    f["is_domestic"] = np.where(country.isna(), np.nan, (country == "US").astype(float))

    card = df.groupby("card_id", sort=False)
    n_prior = card.cumcount().astype(float)
    f["card_n_prior"] = n_prior
    f["card_hours_since_prev"] = card["_ts"].diff().dt.total_seconds() / 3600.0
    prior_sum = card["_amount"].cumsum() - df["_amount"]
    with np.errstate(divide="ignore", invalid="ignore"):
        prior_mean = np.where(n_prior > 0, prior_sum / n_prior.where(n_prior > 0, 1.0), np.nan)
        f["card_amount_ratio"] = np.where(prior_mean > 0, df["_amount"] / prior_mean, np.nan)
    f["card_prev_max_amount"] = card["_amount"].shift().groupby(df["card_id"], sort=False).cummax()
    prev_lat, prev_lng = card["_lat"].shift(), card["_lng"].shift()
    dy = (df["_lat"] - prev_lat) * 111.195
    dx = (df["_lng"] - prev_lng) * 111.195 * np.cos(np.radians(df["_lat"]))
    f["card_km_from_prev"] = np.hypot(dx, dy)
    f["store_n_prior"] = df.groupby("store_id", sort=False).cumcount().astype(float)

    f = f.astype("float64")
    new = df["_new"].to_numpy(dtype=bool)
    out = f[new].copy()
    out.index = df.loc[new, "_pos"].to_numpy()
    out = out.sort_index()
    out.index = transactions.index
    return out[list(FEATURES)]


# ----------------------------------------------------------------------------- model


def _export_hgb(est, features: Sequence[str]) -> list[dict]:
    """The fitted trees in this model's format (one output: a flat list of trees)."""
    try:
        return [iteration[0] for iteration in trees.export_hgb(est)["trees"]]
    except trees.TreeModelError as exc:
        raise FraudModelError(str(exc)) from None


def _raw_score(model: Mapping, X: np.ndarray) -> np.ndarray:
    one_output = {"baseline": [model["baseline"]], "trees": [[tree] for tree in model["trees"]]}
    return trees.raw_scores(one_output, X)[:, 0]


def predict_proba(model: Mapping, X: Any) -> np.ndarray:
    """Fraud probability from the JSON model, numpy only. ``X``: the FEATURES matrix or frame."""
    if isinstance(X, pd.DataFrame):
        missing = [c for c in model["features"] if c not in X.columns]
        if missing:
            raise FraudModelError(f"missing feature columns: {missing}")
        X = X[list(model["features"])].to_numpy(dtype=np.float64)
    X = np.asarray(X, dtype=np.float64)
    if X.ndim != 2 or X.shape[1] != len(model["features"]):
        raise FraudModelError(f"expected {len(model['features'])} feature columns")
    raw = _raw_score(model, X)
    return 1.0 / (1.0 + np.exp(-raw))


def _fit(train: pd.DataFrame, params: Mapping | None = None):
    """(fitted sklearn estimator, encoders, feature matrix, y, effective params)."""
    from sklearn.ensemble import HistGradientBoostingClassifier
    from threadpoolctl import threadpool_limits

    p = dict(DEFAULT_PARAMS)
    for key, value in (params or {}).items():
        if key not in DEFAULT_PARAMS:
            raise FraudModelError(f"unknown parameter {key!r}; known: {', '.join(sorted(DEFAULT_PARAMS))}")
        p[key] = value
    if TARGET not in train.columns:
        raise FraudModelError(f"training table needs the {TARGET!r} column")
    y = _target_values(train[TARGET])
    if y.sum() == 0 or y.sum() == len(y):
        raise FraudModelError("training needs both fraud and genuine transactions")
    encoders = fit_encoders(train)
    X = engineer_features(train, encoders).to_numpy(dtype=np.float64)
    est = HistGradientBoostingClassifier(early_stopping=False, categorical_features=None, **p)
    with threadpool_limits(limits=1):  # one OpenMP thread: bit-for-bit reproducible sums
        est.fit(X, y)
    return est, encoders, X, y, p


def train_fraud_model(train: pd.DataFrame, params: Mapping | None = None, alert_rates: Sequence[float] = DEFAULT_ALERT_RATES) -> dict:
    """Fit the gradient-boosted trees on ``train`` (raw transactions with ``fraud``) and
    return the JSON-able model, with the training risk thresholds for ``alert_rates``."""
    est, encoders, X, y, p = _fit(train, params)
    model = {
        "format": FORMAT,
        "kind": "gradient_boosted_trees",
        "features": list(FEATURES),
        "encoders": encoders,
        "params": p,
        "baseline": float(np.asarray(est._baseline_prediction).ravel()[0]),
        "trees": _export_hgb(est, FEATURES),
        "training": {"n_rows": int(len(y)), "n_fraud": int(y.sum()), "fraud_rate": float(y.mean())},
    }
    risk = predict_proba(model, X)
    model["alert_thresholds"] = {f"{r:g}": _threshold_at(risk, r) for r in alert_rates}
    return model


def _threshold_at(risk: np.ndarray, rate: float) -> float:
    k = max(1, int(round(rate * len(risk))))
    return float(np.sort(risk)[::-1][k - 1])


def model_to_json(model: Mapping) -> str:
    """Canonical JSON: sorted keys, compact, floats as shortest round-trip repr."""
    return json.dumps(model, sort_keys=True, separators=(",", ":"), allow_nan=False)


def model_from_json(text: str | bytes) -> dict:
    model = json.loads(text)
    if not isinstance(model, dict) or model.get("format") != FORMAT:
        raise FraudModelError(f"not a fraud model (expected format {FORMAT!r})")
    return model


def score_transactions(model: Mapping, transactions: pd.DataFrame, history: pd.DataFrame | None = None) -> np.ndarray:
    """Fraud probability per transaction (in the order given)."""
    X = engineer_features(transactions, model["encoders"], history)
    return predict_proba(model, X)


# ----------------------------------------------------------------------------- evaluation


def alert_metrics(y: Any, risk: Any, alert_rates: Sequence[float] = DEFAULT_ALERT_RATES) -> list[dict]:
    """Precision and recall when the top ``rate`` share of transactions (by risk) is flagged.

    Ties are broken by position (stable sort).  ``random_precision`` (the fraud rate) and
    ``random_recall`` (the alert rate) are what alerting at random would give on average.
    """
    y = np.asarray(y).astype(np.int64)
    risk = np.asarray(risk, dtype=float)
    n, pos = len(y), int(y.sum())
    if n == 0 or pos == 0:
        raise ValueError("need at least one fraud")
    order = np.argsort(-risk, kind="mergesort")
    out = []
    for rate in alert_rates:
        if not 0 < rate <= 1:
            raise ValueError("alert rates must be in (0, 1]")
        k = max(1, int(round(rate * n)))
        tp = int(y[order[:k]].sum())
        precision = tp / k
        out.append(
            {
                "alert_rate": float(rate),
                "n_alerts": k,
                "true_alerts": tp,
                "precision": precision,
                "recall": tp / pos,
                "threshold": float(risk[order[k - 1]]),
                "random_precision": pos / n,
                "random_recall": k / n,
                "precision_lift": precision / (pos / n),
            }
        )
    return out


def pr_auc(y: Any, risk: Any) -> float:
    """Area under the precision-recall curve (average precision)."""
    from sklearn.metrics import average_precision_score

    return float(average_precision_score(np.asarray(y).astype(int), np.asarray(risk, dtype=float)))


def evaluate_fraud(
    df: pd.DataFrame | None = None,
    train_fraction: float = 0.7,
    params: Mapping | None = None,
    alert_rates: Sequence[float] = DEFAULT_ALERT_RATES,
) -> dict:
    """Time-ordered holdout: train on the earliest ``train_fraction`` of the transactions,
    score the rest (their card/store history includes the training period), and report
    PR-AUC, ROC AUC and precision/recall at the alert rates."""
    from sklearn.metrics import roc_auc_score

    df = load_fraud_transactions() if df is None else _sorted(df)
    if not 0 < train_fraction < 1:
        raise ValueError("train_fraction must be in (0, 1)")
    cut = int(math.floor(train_fraction * len(df)))
    train, test = df.iloc[:cut], df.iloc[cut:]
    model = train_fraud_model(train, params, alert_rates)
    risk = score_transactions(model, test, history=train)
    y = _target_values(test[TARGET])
    return {
        "n_train": int(len(train)),
        "n_test": int(len(test)),
        "test_fraud_rate": float(y.mean()),
        "train_until": str(train["datetime"].iloc[-1]),
        "pr_auc": pr_auc(y, risk),
        "roc_auc": float(roc_auc_score(y, risk)),
        "alerts": alert_metrics(y, risk, alert_rates),
        "model": model,
    }


def train_and_evaluate(
    df: pd.DataFrame,
    target: str = TARGET,
    seed: int = 0,
    alert_rates: Sequence[float] = DEFAULT_ALERT_RATES,
    train_fraction: float = 0.7,
    params: Mapping | None = None,
) -> dict:
    """:func:`evaluate_fraud` on any transactions table (``target`` names the 0/1 column,
    ``seed`` the trees' random_state) returning {"model", "metrics"}; the metrics are flat
    JSON numbers plus the ``alerts`` list."""
    if target not in df.columns:
        raise FraudModelError(f"target column {target!r} is not in the table")
    if target != TARGET:
        df = df.drop(columns=[TARGET], errors="ignore").rename(columns={target: TARGET})
    p = dict(params or {})
    p.setdefault("random_state", int(seed))
    rates = [float(r) for r in alert_rates]
    result = evaluate_fraud(df, train_fraction=train_fraction, params=p, alert_rates=rates)
    metrics = {k: result[k] for k in ("pr_auc", "roc_auc", "n_train", "n_test", "test_fraud_rate", "alerts")}
    for a in result["alerts"]:
        pct = f"{a['alert_rate'] * 100:g}pct"
        metrics[f"precision_at_{pct}"] = a["precision"]
        metrics[f"recall_at_{pct}"] = a["recall"]
    return {"model": result["model"], "metrics": metrics, "train_until": result["train_until"]}
