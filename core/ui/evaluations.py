"""What the evaluation and comparison pages show of the hub's evaluation records: the
charts' data for static/ui/evaluation.js (plain JSON, axis and series names translated
here so the script holds no words), the tables' rows, and the pairing of two versions'
records on one dataset version. Reads only what the records hold: nothing is recomputed."""
from itertools import pairwise
from numbers import Real

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.data.models import DatasetVersion
from core.data.queries import visible_datasets

METRIC_LABELS = {
    "accuracy": gettext_lazy("Accuracy"),
    "macro_precision": gettext_lazy("Macro precision"),
    "macro_recall": gettext_lazy("Macro recall"),
    "macro_f1": gettext_lazy("Macro F1"),
    "weighted_f1": gettext_lazy("Weighted F1"),
    "examples": gettext_lazy("Examples"),
    "map50": gettext_lazy("mAP@0.5"),
    "map50_95": gettext_lazy("mAP@0.5:0.95"),
    "precision": gettext_lazy("Precision"),
    "recall": gettext_lazy("Recall"),
    "false_positives": gettext_lazy("False positives"),
    "misses": gettext_lazy("Misses"),
    "images": gettext_lazy("Images"),
    "objects": gettext_lazy("Objects"),
    "threshold": gettext_lazy("Operating threshold"),
    "auc": gettext_lazy("AUC"),
    "gini": gettext_lazy("Gini"),
    "ks": gettext_lazy("KS statistic"),
    "ks_threshold": gettext_lazy("KS threshold"),
    "rows": gettext_lazy("Rows"),
    "positives": gettext_lazy("Positives"),
    "rmse": gettext_lazy("RMSE"),
    "mae": gettext_lazy("MAE"),
    "r2": gettext_lazy("R²"),
    "bias": gettext_lazy("Bias (mean of actual − predicted)"),
    "mape": gettext_lazy("MAPE"),
    "points": gettext_lazy("Points"),
    "horizons": gettext_lazy("Horizons"),
}
# Errors and counts of mistakes: a smaller value is the better one.
LOWER_IS_BETTER = {"rmse", "mae", "mape", "false_positives", "misses", "loss", "loss_last"}
NEUTRAL = {"bias", "threshold", "ks_threshold", "examples", "images", "objects", "rows", "positives", "points",
           "horizons"}
MAX_CLASSES_CHARTED = 40


def metric_label(key):
    return METRIC_LABELS.get(key, key)


def summary_rows(summary):
    return [{"key": k, "label": metric_label(k), "value": v} for k, v in summary.items()]


def dataset_versions(user, ids):
    """{id: {"label", "url"}} of dataset versions by id: named and linked where the user may
    see them, else only numbered (the record stays readable, the data stays private)."""
    ids = {i for i in ids if i is not None}
    seen = {dv.pk: dv for dv in DatasetVersion.objects.filter(pk__in=ids, dataset__in=visible_datasets(user))
            .select_related("dataset")}
    out = {}
    for pk in ids:
        dv = seen.get(pk)
        out[pk] = ({"label": f"{dv.dataset.name} v{dv.version}",
                    "url": reverse("ui:dataset_version", args=[dv.dataset_id, dv.version])} if dv is not None
                   else {"label": _("dataset version #%(id)s") % {"id": pk}, "url": None})
    return out


# --- one evaluation --------------------------------------------------------------------------

def charts(evaluation):
    """[(chart id, kind of chart, data, title)] of an evaluation, by its kind."""
    build = {"classification": _classification, "detection": _detection,
             "tabular_classification": _tabular, "regression": _regression, "forecast": _forecast}[evaluation.kind]
    return [{"id": cid, "type": ctype, "data": data, "title": title} for cid, ctype, data, title
            in build(evaluation.report)]


def _classification(report):
    labels = report["labels"]
    matrix = report["confusion_matrix"]
    if len(labels) > MAX_CLASSES_CHARTED:
        return []
    cells = []
    for i, row in enumerate(matrix):
        total = sum(row) or 1
        for j, count in enumerate(row):
            cells.append([j, i, round(count / total, 4), count])
    return [("confusion-matrix", "heatmap",
             {"x": labels, "y": labels, "cells": cells, "x_name": _("Predicted class"), "y_name": _("True class"),
              "value_name": _("Share of the true class")},
             _("Confusion matrix"))]


def _detection(report):
    curves = [c for c in report["pr_curves"] if c["precision"]][:MAX_CLASSES_CHARTED]
    sizes = report["ap_by_size"]
    return [
        ("pr-curves", "curves",
         {"x_name": _("Recall"), "y_name": _("Precision"), "unit": True,
          "series": [{"name": f"{c['label']} (AP {c['ap50']:.3f})" if c["ap50"] is not None else c["label"],
                      "points": [[r, p] for r, p in zip(c["recall"], c["precision"])]} for c in curves]},
         _("Precision-recall at IoU 0.5")),
        ("ap-by-size", "bars",
         {"categories": [_("small"), _("medium"), _("large")],
          "series": [{"name": _("AP@0.5"), "values": [sizes.get(k) for k in ("small", "medium", "large")]}],
          "unit": True},
         _("AP@0.5 by object size")),
    ]


def _tabular(report):
    roc = report["roc"]
    ks = report["ks"]
    points = [[t, tpr, fpr] for t, tpr, fpr in zip(roc.get("thresholds", []), roc["tpr"], roc["fpr"]) if t is not None]
    return [
        ("roc", "curves",
         {"x_name": _("False positive rate"), "y_name": _("True positive rate"), "unit": True, "diagonal": True,
          "series": [{"name": _("ROC (AUC %(auc).3f)") % {"auc": report["auc"]},
                      "points": [[f, t] for f, t in zip(roc["fpr"], roc["tpr"])]}],
          "mark": {"x": ks.get("fpr"), "y": ks.get("tpr"), "label": _("KS %(ks).3f") % {"ks": ks["statistic"]}}
          if ks.get("fpr") is not None else None},
         _("ROC curve")),
        ("ks", "curves",
         {"x_name": _("Score threshold"), "y_name": _("Share scoring at or above it"), "unit": True,
          "series": [{"name": _("Positives (TPR)"), "points": [[p[0], p[1]] for p in points]},
                     {"name": _("Negatives (FPR)"), "points": [[p[0], p[2]] for p in points]}],
          "vline": {"x": ks.get("threshold"), "label": _("KS %(ks).3f") % {"ks": ks["statistic"]}}
          if ks.get("threshold") is not None else None},
         _("Kolmogorov-Smirnov")),
    ]


def _regression(report):
    hist = report["histogram"]
    edges = hist["edges"]
    out = [("residuals", "bars",
            {"categories": [f"{(a + b) / 2:.3g}" for a, b in pairwise(edges)],
             "series": [{"name": _("Rows"), "values": hist["counts"]}], "x_name": _("Residual (actual − predicted)")},
            _("Residuals"))]
    scatter = report.get("scatter")
    if scatter and scatter["actual"]:
        out.append(("actual-predicted", "scatter",
                    {"x_name": _("Actual"), "y_name": _("Predicted"), "diagonal": True,
                     "points": [[a, p] for a, p in zip(scatter["actual"], scatter["predicted"])]},
                    _("Actual vs predicted")))
    return out


def _forecast(report):
    series = report["series"]
    rows = report["by_horizon"]
    return [
        ("actual-forecast", "lines",
         {"x": series["x"], "series": [{"name": _("Actual"), "values": series["actual"]},
                                       {"name": _("Forecast"), "values": series["forecast"]}]},
         _("Actual vs forecast")),
        ("error-by-horizon", "bars",
         {"categories": [str(r["horizon"]) for r in rows], "x_name": _("Steps ahead"),
          "series": [{"name": _("MAE"), "values": [r["mae"] for r in rows]},
                     {"name": _("RMSE"), "values": [r["rmse"] for r in rows]}]},
         _("Error by horizon")),
    ]


def thumbnail_url(evaluation, row):
    name = row.get("image")
    return reverse("ui:evaluation_image", args=[evaluation.pk, name]) if name and evaluation.images_id else None


def example_rows(evaluation, key):
    """The report's rows under `key` (worst examples, false positives, misses), each with
    the URL of its thumbnail when it has one."""
    return [{**row, "thumb": thumbnail_url(evaluation, row)} for row in evaluation.report.get(key, [])]


# --- two versions ------------------------------------------------------------------------------

def pair(evaluations_a, evaluations_b, dataset_version_id=None):
    """The newest evaluations of each version on one dataset version both were evaluated on,
    of one kind: (a, b), or (None, None) when there is none. With `dataset_version_id`, on
    that one only."""
    latest_b = {}
    for e in evaluations_b:  # newest first
        if e.dataset_version_id is not None:
            latest_b.setdefault((e.dataset_version_id, e.kind), e)
    best = (None, None)
    for e in evaluations_a:
        if e.dataset_version_id is None or (dataset_version_id is not None and e.dataset_version_id != dataset_version_id):
            continue
        other = latest_b.get((e.dataset_version_id, e.kind))
        if other is not None and (best[0] is None or max(e.created_at, other.created_at)
                                  > max(best[0].created_at, best[1].created_at)):
            best = (e, other)
    return best


def common_dataset_versions(evaluations_a, evaluations_b):
    b = {(e.dataset_version_id, e.kind) for e in evaluations_b if e.dataset_version_id is not None}
    return sorted({e.dataset_version_id for e in evaluations_a if (e.dataset_version_id, e.kind) in b})


def _delta(key, a, b):
    if not isinstance(a, Real) or not isinstance(b, Real) or isinstance(a, bool) or isinstance(b, bool):
        return {"value": None, "better": None}
    d = b - a
    if key in NEUTRAL or d == 0:
        better = None
    else:
        better = (d < 0) if key in LOWER_IS_BETTER else (d > 0)
    return {"value": d, "better": better}


def summary_comparison(a, b):
    keys = list(dict.fromkeys([*a.summary, *b.summary]))
    return [{"key": k, "label": metric_label(k), "a": a.summary.get(k), "b": b.summary.get(k),
             "delta": _delta(k, a.summary.get(k), b.summary.get(k))} for k in keys]


PER_CLASS_FIELDS = {
    "classification": [("precision", gettext_lazy("Precision")), ("recall", gettext_lazy("Recall")),
                       ("f1", gettext_lazy("F1"))],
    "detection": [("ap50", gettext_lazy("AP@0.5")), ("precision", gettext_lazy("Precision")),
                  ("recall", gettext_lazy("Recall"))],
}


def per_class_comparison(a, b):
    """(fields, rows): per class, each field's value in a and b and the change; classes of
    either report, in a's order first."""
    fields = PER_CLASS_FIELDS.get(a.kind)
    if not fields:
        return [], []
    rows_a = {r["label"]: r for r in a.report.get("per_class", [])}
    rows_b = {r["label"]: r for r in b.report.get("per_class", [])}
    labels = list(dict.fromkeys([*rows_a, *rows_b]))
    rows = []
    for label in labels:
        ra, rb = rows_a.get(label, {}), rows_b.get(label, {})
        rows.append({"label": label, "cells": [
            {"a": ra.get(f), "b": rb.get(f), "delta": _delta(f, ra.get(f), rb.get(f))} for f, _name in fields]})
    return [name for _f, name in fields], rows


def comparison_charts(a, b, name_a, name_b):
    """Charts that lay the two reports over each other, by kind."""
    if a.kind in PER_CLASS_FIELDS:
        field, title = (("f1", _("F1 by class")) if a.kind == "classification" else ("ap50", _("AP@0.5 by class")))
        _names, rows = per_class_comparison(a, b)
        rows = rows[:MAX_CLASSES_CHARTED]
        index = [f for f, _n in PER_CLASS_FIELDS[a.kind]].index(field)
        return [{"id": "compare-classes", "type": "bars", "title": title, "data": {
            "categories": [r["label"] for r in rows], "unit": True,
            "series": [{"name": name_a, "values": [r["cells"][index]["a"] for r in rows]},
                       {"name": name_b, "values": [r["cells"][index]["b"] for r in rows]}]}}]
    if a.kind == "tabular_classification":
        return [{"id": "compare-roc", "type": "curves", "title": _("ROC curve"), "data": {
            "x_name": _("False positive rate"), "y_name": _("True positive rate"), "unit": True, "diagonal": True,
            "series": [{"name": f"{name} (AUC {e.report['auc']:.3f})",
                        "points": [[f, t] for f, t in zip(e.report["roc"]["fpr"], e.report["roc"]["tpr"])]}
                       for name, e in ((name_a, a), (name_b, b))]}}]
    if a.kind == "forecast":
        ha = {r["horizon"]: r["mae"] for r in a.report["by_horizon"]}
        hb = {r["horizon"]: r["mae"] for r in b.report["by_horizon"]}
        horizons = sorted(set(ha) | set(hb))
        return [{"id": "compare-horizon", "type": "bars", "title": _("MAE by horizon"), "data": {
            "categories": [str(h) for h in horizons], "x_name": _("Steps ahead"),
            "series": [{"name": name_a, "values": [ha.get(h) for h in horizons]},
                       {"name": name_b, "values": [hb.get(h) for h in horizons]}]}}]
    if a.kind == "regression":
        keys = [k for k in ("rmse", "mae") if k in a.summary and k in b.summary]
        return [{"id": "compare-errors", "type": "bars", "title": _("Errors"), "data": {
            "categories": [str(metric_label(k)) for k in keys],
            "series": [{"name": name_a, "values": [a.summary[k] for k in keys]},
                       {"name": name_b, "values": [b.summary[k] for k in keys]}]}}]
    return []
