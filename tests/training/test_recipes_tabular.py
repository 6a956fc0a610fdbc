"""The tabular recipes end to end on small real tables: checks at the door, a trial's
training with reports and early stopping, the JSON trees (scikit-learn's own scores,
without pickle), the baseline, and the search space."""
import itertools
import json
import zipfile

import numpy as np
import pytest
from django.core.exceptions import ValidationError

from core.inference.lib import tabular, trees
from core.platform.verticals import registry
from core.training.recipes import check_recipe, get_recipe

from .tables import (
    FakeContext,
    binary_frame,
    multiclass_frame,
    regression_frame,
    table_version,
)


def _manifest(bundle):
    with zipfile.ZipFile(bundle) as zf:
        return json.loads(zf.read("manifest.json")), json.loads(zf.read("trees.json"))


def test_recipes_are_registered_and_checked():
    assert {"tabular_classification", "tabular_regression"} <= set(registry["recipes"])
    recipe = get_recipe("tabular_regression")
    assert (recipe.task, recipe.dataset_kind, recipe.metric, recipe.direction) == (
        "tabular_regression", "tabular", "rmse", "minimize")
    space = recipe.search_space({})
    assert space["learning_rate"] == {"type": "float", "low": 0.01, "high": 0.3, "log": True}
    assert set(space) == {"learning_rate", "max_leaf_nodes", "min_samples_leaf", "l2_regularization"}
    assert "learning_rate" not in recipe.search_space({"learning_rate": 0.05})  # fixed: not searched
    assert check_recipe("tabular_regression", recipe) is None
    assert "is named" in check_recipe("other", recipe)
    with pytest.raises(LookupError, match="no recipe named 'nope'"):
        get_recipe("nope")


@pytest.mark.parametrize("kind", ["binary", "multiclass", "regression"])
def test_exported_trees_score_like_scikit_learn(kind):
    from sklearn.datasets import load_breast_cancer, load_diabetes, load_iris
    from sklearn.ensemble import (
        HistGradientBoostingClassifier,
        HistGradientBoostingRegressor,
    )

    loader = {"binary": load_breast_cancer, "multiclass": load_iris, "regression": load_diabetes}[kind]
    X, y = loader(return_X_y=True)
    est = (HistGradientBoostingRegressor if kind == "regression" else HistGradientBoostingClassifier)(
        max_iter=25, random_state=0).fit(X, y)
    model = json.loads(json.dumps(trees.export_hgb(est)))
    X2 = X.copy()
    X2[::4, 0] = np.nan  # missing values follow each node's learnt side
    for data in (X, X2):
        assert np.array_equal(trees.raw_scores(model, data), est._raw_predict(data))
        ours = trees.predict(model, data)
        theirs = est.predict(data) if kind == "regression" else est.predict_proba(data)
        theirs = theirs[:, 1] if kind == "binary" else theirs
        assert np.allclose(ours, theirs, rtol=0, atol=1e-12)
    assert len(trees.export_hgb(est, n_iter=5)["trees"]) == 5


@pytest.mark.django_db
@pytest.mark.parametrize("name, frame, target, metric, floor", [
    ("tabular_classification", binary_frame, "diagnosis", "roc_auc", 0.95),
    ("tabular_classification", multiclass_frame, "species", "accuracy", 0.85),
    ("tabular_regression", regression_frame, "target", "rmse", None),
])
def test_each_recipe_trains_end_to_end(tmp_path, orgs, users, name, frame, target, metric, floor):
    recipe = get_recipe(name)
    table = frame()
    dv = table_version(table, organisation=orgs["a"], user=users["a_dev"])
    plan = recipe.check(dv, {"target": target})
    assert plan["metric"] == metric and plan["rows"] == len(table)
    reports = []

    def report(step, value):
        reports.append((step, value))
        return True

    params = {**recipe.default_params, "target": target, "seed": 3}
    result = recipe.train(FakeContext(tmp_path), dv, params, report)
    assert result.metrics[metric] == result.value and not result.stopped
    steps = [s for s, _ in reports]
    assert steps == sorted(steps) and steps[0] == 10 and all(b - a == 10 for a, b in itertools.pairwise(steps))
    best = max(v for _, v in reports) if plan["direction"] == "maximize" else min(v for _, v in reports)
    assert result.value == pytest.approx(best)  # the model kept is the one at its best step
    if floor is not None:
        assert result.value >= floor
    else:
        assert result.metrics["r2"] > 0.25 and result.metrics["mae"] < result.metrics["rmse"]
    manifest, model = _manifest(result.bundle)
    assert manifest["task"] == recipe.task and manifest["files"] == {"trees": "trees.json"}
    assert len(model["trees"]) == result.metrics["iterations"]
    baseline = recipe.baseline(FakeContext(tmp_path), dv, params)
    assert baseline["model"] == ("ridge" if name == "tabular_regression" else "logistic_regression")
    assert baseline["metric"] == metric and np.isfinite(baseline["value"])
    # The same inputs give the same bundle, byte for byte.
    (tmp_path / "again").mkdir()
    again = recipe.train(FakeContext(tmp_path / "again"), dv, params, lambda s, v: True)
    assert again.bundle.read_bytes() == result.bundle.read_bytes()


@pytest.mark.django_db
def test_categories_travel_in_the_manifest_and_a_report_can_stop_training(tmp_path, orgs, users):
    recipe = get_recipe("tabular_classification")
    dv = table_version(binary_frame(), organisation=orgs["a"], user=users["a_dev"])
    params = {**recipe.default_params, "target": "diagnosis"}
    result = recipe.train(FakeContext(tmp_path), dv, params, lambda step, value: step < 20)
    assert result.stopped and result.metrics["iterations"] <= 20
    manifest, _ = _manifest(result.bundle)
    assert manifest["labels"] == ["benign", "malignant"]
    assert manifest["input"]["categorical"] == {"size_band": ["large", "medium", "small"]}
    X = tabular.encode_records(manifest["input"], [{"size_band": "small", "mean radius": 11.0},
                                                   {"size_band": "never seen"}])
    assert X[0, manifest["input"]["columns"].index("size_band")] == 2.0 and np.isnan(X[1]).all()
    with pytest.raises(tabular.TabularInputError, match=r"records\[0\]\.colour: unknown column"):
        tabular.encode_records(manifest["input"], [{"colour": "red"}])
    with pytest.raises(tabular.TabularInputError, match="expected a number"):
        tabular.encode_records(manifest["input"], [{"mean radius": "big"}])


@pytest.mark.django_db
def test_checks_name_what_is_wrong(orgs, users):
    classify, regress = get_recipe("tabular_classification"), get_recipe("tabular_regression")
    user, org = users["a_dev"], orgs["a"]
    table = binary_frame()
    dv = table_version(table, organisation=org, user=user)

    def refused(recipe, version, params, match):
        with pytest.raises(ValidationError, match=match):
            recipe.check(version, params)

    images = table_version(table, organisation=org, user=user, name="pictures", kind="detection")
    refused(classify, images, {"target": "diagnosis"}, "'pictures' is detection; the tabular_classification "
                                                        "recipe trains on tabular datasets")
    refused(classify, dv, {}, "target: name the column to predict")
    refused(classify, dv, {"target": "outcome"}, "column 'outcome' is not in the table")
    refused(classify, dv, {"target": "diagnosis", "features": ["colour"]}, "features: 'colour' not in the table")
    refused(classify, dv, {"target": "diagnosis", "depth": 3}, "unknown setting 'depth'")
    refused(classify, dv, {"target": "diagnosis", "learning_rate": 2.0}, "learning_rate: a fixed value must lie")
    refused(classify, dv, {"target": "diagnosis", "max_iter": 0}, "max_iter: must be a whole number from 10")
    refused(regress, dv, {"target": "diagnosis"}, "holds texts such as")
    few = table.copy()
    few.loc[:4, "size_band"] = "huge"
    sparse = table_version(few, organisation=org, user=user, name="few")
    refused(classify, sparse, {"target": "size_band"}, r"at least 10 rows; too few for 'huge' \(5\)")
    one = table_version(table.assign(diagnosis="benign"), organisation=org, user=user, name="one-class")
    refused(classify, one, {"target": "diagnosis"}, "has 1 class; a classifier needs at least two")
    assert regress.check(dv, {"target": "mean radius"})["kind"] == "regression"
