"""Nested evaluation results are drawn as tables and charts by their shape, with the raw
JSON behind a toggle: the version page used to dump them as one code block 12,774 px tall."""
import json
import re

import pytest
from django.urls import reverse

from core.ui.lib.metric_blocks import describe, split

EVALUATION = {
    "map50": 0.71,
    "ap50_per_class": {"car": 0.8, "bus": 0.6, "cyclist": 0.4},
    "per_class": {"car": {"ap": 0.8, "n": 120}, "bus": {"ap": 0.6, "n": 30}},
    "operating_points": [{"threshold": t / 10, "precision": 0.5 + t / 20, "recall": 1 - t / 10} for t in range(1, 10)],
    "roc": {"fpr": [0.0, 0.1, 0.4, 1.0], "tpr": [0.0, 0.6, 0.9, 1.0]},
    "loss": [float(i) for i in range(40)],
    "confusion": [[50, 2], [3, 45]],
    "protocol": {"split": "holdout", "seed": 0, "folds": [{"auc": 0.8}, {"auc": 0.82}]},
}


def test_shapes_become_tables_and_charts():
    scalars, blocks = split(EVALUATION)
    assert scalars == [("map50", 0.71)]
    by = {b["title"]: b for b in blocks}
    ap = by["ap50_per_class"]
    assert ap["kind"] == "pairs" and ap["rows"] == [("bus", 0.6), ("car", 0.8), ("cyclist", 0.4)]
    assert ap["chart"] == {"type": "bars", "names": ["bus", "car", "cyclist"], "values": [0.6, 0.8, 0.4]}
    per_class = by["per_class"]
    assert per_class["kind"] == "records" and per_class["columns"] == ["", "ap", "n"]
    assert per_class["rows"] == [["bus", 0.6, 30], ["car", 0.8, 120]]
    points = by["operating_points"]
    assert points["columns"] == ["threshold", "precision", "recall"] and len(points["rows"]) == 9
    assert points["chart"]["x_name"] == "threshold" and [s["name"] for s in points["chart"]["series"]] == [
        "precision", "recall"]
    roc = by["roc"]
    assert roc["kind"] == "records" and roc["rows"][1] == [0.1, 0.6] and roc["chart"]["x"] == [0.0, 0.1, 0.4, 1.0]
    loss = by["loss"]
    assert loss["kind"] == "values" and len(loss["values"]) == 20 and loss["more"] == 20
    assert loss["chart"]["series"][0]["values"] == EVALUATION["loss"]
    protocol = by["protocol"]
    assert protocol["kind"] == "group"
    assert protocol["children"][0]["rows"] == [("seed", 0), ("split", "holdout")]  # sorted: JSONB keeps no order
    assert protocol["children"][1]["kind"] == "records" and protocol["children"][1]["rows"] == [[0.8], [0.82]]


def test_deep_nesting_stops_at_inline_json():
    deep = {"a": {"b": {"c": {"d": {"e": [1, {"f": 2}]}}}}}
    block = describe("deep", deep)
    while block["kind"] == "group":
        block = block["children"][0]
    assert block["kind"] == "pairs" and block["rows"][0][1] == json.dumps({"e": [1, {"f": 2}]})


@pytest.mark.django_db
def test_version_page_draws_nested_metrics_and_hides_the_raw_json(world, client_for):
    version = world["a"]["version"]
    version.metrics = {**version.metrics, **EVALUATION}
    version.save(update_fields=["metrics"])
    body = client_for(world["users"]["a_dev"]).get(reverse("ui:version", args=[version.pk])).content.decode()
    evaluation = body.split('id="evaluation"')[1]
    table = evaluation.split('data-metric="per_class"')[1].split("</table>")[0]
    assert "<th></th><th class=\"num\">ap</th><th class=\"num\">n</th>" in table
    assert "<td>car</td><td class=\"num\">0.8</td><td class=\"num\">120</td>" in table
    charts = re.findall(r'data-chart="(\w+)" data-source="(metric-chart-\d+)"', evaluation)
    assert {"bars", "lines"} <= {kind for kind, _ in charts}
    for _, source in charts:
        assert f'<script id="{source}" type="application/json">' in body
    assert "and 20 more rows (see the raw JSON)" in evaluation
    raw = re.search(r'<details class="raw-json" id="raw-metrics"><summary>Raw JSON</summary><pre>(.*?)</pre>',
                    evaluation, re.S)
    assert raw and "&quot;operating_points&quot;" in raw.group(1)
    # Outside the toggle no nested value is dumped as one JSON line.
    assert "<code>{" not in body and "<code>[" not in body


@pytest.mark.django_db
def test_lineage_page_folds_nested_details_into_tables(world, client_for):
    version = world["a"]["version"]
    version.metrics = {**version.metrics, **EVALUATION}
    version.save(update_fields=["metrics"])
    url = reverse("ui:lineage", args=["model_version", version.pk])
    body = client_for(world["users"]["a_dev"]).get(url).content.decode()
    nodes = body.split('id="lineage-nodes"')[1]
    assert '<details class="metric-detail">' in nodes and 'data-metric="operating_points"' in nodes
    assert "<code>{" not in nodes


def test_the_layout_does_not_depend_on_key_order():
    """PostgreSQL's JSONB hands keys back shortest first; the tables and charts must come out
    the same whatever order the keys arrive in."""
    def reordered(value, backwards):
        if isinstance(value, dict):
            keys = sorted(value, key=lambda k: (len(str(k)), str(k)), reverse=backwards)  # JSONB's order, or its reverse
            return {k: reordered(value[k], backwards) for k in keys}
        if isinstance(value, list):
            return [reordered(v, backwards) for v in value]
        return value

    assert split(reordered(EVALUATION, False)) == split(EVALUATION) == split(reordered(EVALUATION, True))
