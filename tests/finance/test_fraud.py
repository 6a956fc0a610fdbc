"""Anti-fraud model on evalml's bundled transactions (read with pandas, no download)."""

import numpy as np
import pytest

from verticals.finance.lib import fraud as F


@pytest.fixture(scope="module")
def subset():
    # Half of the cards, with all their transactions (card histories stay whole): ~50k rows.
    return F.load_fraud_transactions(card_fraction=0.5, seed=0)


@pytest.fixture(scope="module")
def evaluation(subset):
    return F.evaluate_fraud(subset, train_fraction=0.7)


def test_data_is_read_from_the_installed_package_without_evalml():
    df = F.load_fraud_transactions()
    assert len(df) == 99992 and 0.14 < df["fraud"].mean() < 0.16
    assert F.fraud_data_path().name == "fraud_transactions.csv.gz"
    source = open(F.__file__).read()  # located with find_spec; evalml is never imported
    assert "import evalml" not in source and "from evalml" not in source


def test_alerts_beat_random_alerting(evaluation):
    ev = evaluation
    print(f"\nfraud holdout ({ev['n_test']} transactions after {ev['train_until']}, fraud rate {ev['test_fraud_rate']:.3f}): "
          f"PR-AUC {ev['pr_auc']:.4f}, ROC AUC {ev['roc_auc']:.4f}, "
          + ", ".join(f"top {a['alert_rate']:.0%}: precision {a['precision']:.3f} recall {a['recall']:.3f}" for a in ev["alerts"]))
    base = ev["test_fraud_rate"]
    assert ev["pr_auc"] > 2 * base
    for a in ev["alerts"]:
        assert a["precision"] >= 3 * a["random_precision"]
        assert a["recall"] >= 3 * a["random_recall"]
    assert [a["alert_rate"] for a in ev["alerts"]] == [0.01, 0.05]


def test_alert_metrics_by_hand():
    # 10 transactions, 3 frauds; risks ranked: the top 2 are (fraud, genuine).
    # top 20% = 2 alerts -> 1 true -> precision 0.5, recall 1/3; random: precision 0.3, recall 0.2
    y = [1, 0, 0, 1, 0, 0, 1, 0, 0, 0]
    risk = [0.9, 0.8, 0.1, 0.3, 0.2, 0.1, 0.7, 0.05, 0.0, 0.0]
    (a,) = F.alert_metrics(y, risk, [0.2])
    assert (a["n_alerts"], a["true_alerts"]) == (2, 1)
    assert a["precision"] == 0.5 and a["recall"] == pytest.approx(1 / 3)
    assert a["random_precision"] == 0.3 and a["random_recall"] == 0.2 and a["threshold"] == 0.8


def test_json_export_reproduces_sklearn_and_is_deterministic(subset):
    train = subset.iloc[:8000]
    est, encoders, X, y, params = F._fit(train, {"max_iter": 30})
    model = F.model_from_json(F.model_to_json(F.train_fraud_model(train, {"max_iter": 30})))
    X2 = X.copy()
    X2[::3, F.FEATURES.index("card_hours_since_prev")] = np.nan  # missing values follow the trees
    for data in (X, X2):
        ours = F._raw_score(model, data)
        theirs = est._raw_predict(data).ravel()
        assert np.array_equal(ours, theirs)
        assert np.allclose(F.predict_proba(model, data), est.predict_proba(data)[:, 1], rtol=0, atol=1e-12)
    assert F.model_to_json(F.train_fraud_model(train, {"max_iter": 30})) == F.model_to_json(model)
    assert "pickle" not in F.model_to_json(model)


def test_single_transaction_with_history(subset, evaluation):
    model = evaluation["model"]
    batch = F.score_transactions(model, subset.iloc[:2001])
    one = F.score_transactions(model, subset.iloc[[2000]], history=subset.iloc[:2000])
    assert one.shape == (1,) and one[0] == pytest.approx(batch[-1], abs=1e-15)
    with pytest.raises(F.FraudModelError, match="missing columns"):
        F.score_transactions(model, subset.drop(columns="amount").iloc[:3])
