"""Evaluation reports of a model version, one builder per kind of task, each returning
(summary, report): `summary` a flat {name: number} of the headline metrics, `report` the
plain-JSON payload the hub's evaluation record keeps and its page draws (the shapes are
those core/hub/lib/evaluation_schema.py checks). Pure: numpy, scikit-learn and pycocotools,
no Django.

Every number is a finite float or int (the records are JSON: no NaN); a metric that does
not exist for the data (the AP of a class without ground truth, R² of a constant target)
is None in the report and absent from the summary.

Boxes are [x1, y1, x2, y2] in pixels everywhere in a report (COCO's [x, y, w, h] is
converted on the way in)."""
from __future__ import annotations

import contextlib
import copy
import io
import math

import numpy as np

WORST_EXAMPLES = 12          # classification: images with the lowest probability on their true class
WORST_BOXES = 24             # detection: false positives and misses kept, each
WORST_RESIDUALS = 20         # regression: rows with the largest absolute residual
PR_POINTS = 51               # COCO's 101 recall thresholds, every other one
MAX_CURVE_POINTS = 200       # ROC points kept
MAX_SERIES_POINTS = 500      # scatter and actual-vs-forecast points kept
RESIDUAL_BINS = 30
MATCH_IOU = 0.5

# COCO's object sizes by area (pixels², of the ground-truth box or segment): pycocotools
# counts an object in a range when lo <= area <= hi, so an area of exactly 32² or 96² falls
# in both neighbouring ranges.
SMALL_MAX_AREA = 32 ** 2     # 1024
LARGE_MIN_AREA = 96 ** 2     # 9216
AREA_RANGES = {"small": [0, SMALL_MAX_AREA], "medium": [SMALL_MAX_AREA, LARGE_MIN_AREA],
               "large": [LARGE_MIN_AREA, None]}


def _num(value, digits=6):
    """A finite Python float rounded for JSON, or None for NaN/inf/None."""
    if value is None:
        return None
    value = float(value)
    return round(value, digits) if math.isfinite(value) else None


def _ratio(num, den):
    return _num(num / den) if den else 0.0


def _spaced(n, limit, keep=()):
    """Sorted indices of at most about `limit` of n points, evenly spaced, with the first,
    the last and those in `keep` always in."""
    if n <= limit:
        return list(range(n))
    picked = set(np.linspace(0, n - 1, limit).round().astype(int).tolist()) | {0, n - 1}
    picked |= {int(k) for k in keep if 0 <= k < n}
    return sorted(picked)


def _summary(**values):
    return {k: v for k, v in values.items() if v is not None}


# --- classification --------------------------------------------------------------------

def classification_report(y_true, y_pred, proba, labels, ids, *, worst=WORST_EXAMPLES):
    """y_true, y_pred: class indices into `labels` (y_pred may be None when `proba` is given:
    its argmax); proba: [n, classes] probabilities in labels order, or None; ids: what names
    each row (an image id), kept with the worst examples.

    The confusion matrix has rows for the true class and columns for the predicted one.
    Precision of a class never predicted, and F1 of a class with neither predictions nor
    examples, are 0. The worst examples are those with the lowest probability on their true
    class (without probabilities: the misclassified ones, in input order)."""
    labels = [str(x) for x in labels]
    k = len(labels)
    if k < 1:
        raise ValueError("no class labels")
    truth = np.asarray(y_true, dtype=np.int64).reshape(-1)
    n = len(truth)
    probs = None if proba is None else np.asarray(proba, dtype=np.float64)
    if probs is not None and probs.shape != (n, k):
        raise ValueError(f"probabilities of shape {probs.shape} for {n} rows of {k} classes")
    if y_pred is None:
        if probs is None:
            raise ValueError("give y_pred or proba")
        predicted = probs.argmax(axis=1) if n else np.zeros(0, dtype=np.int64)
    else:
        predicted = np.asarray(y_pred, dtype=np.int64).reshape(-1)
    ids = list(ids) if ids is not None else list(range(n))
    if len(predicted) != n or len(ids) != n:
        raise ValueError(f"{n} true classes, {len(predicted)} predictions and {len(ids)} ids")
    if n and (truth.min() < 0 or truth.max() >= k or predicted.min() < 0 or predicted.max() >= k):
        raise ValueError(f"class indices must lie in 0..{k - 1}")

    matrix = np.zeros((k, k), dtype=np.int64)
    np.add.at(matrix, (truth, predicted), 1)
    per_class, f1s, precisions, recalls = [], [], [], []
    for i, name in enumerate(labels):
        tp, support, called = int(matrix[i, i]), int(matrix[i].sum()), int(matrix[:, i].sum())
        precision, recall, f1 = _ratio(tp, called), _ratio(tp, support), _ratio(2 * tp, support + called)
        precisions.append(precision)
        recalls.append(recall)
        f1s.append(f1)
        per_class.append({"label": name, "precision": precision, "recall": recall, "f1": f1, "support": support,
                          "predicted": called})
    supports = matrix.sum(axis=1)

    if probs is not None:
        true_scores = probs[np.arange(n), truth] if n else np.zeros(0)
        order = np.argsort(true_scores, kind="stable")[:worst]
    else:
        true_scores = None
        order = [i for i in range(n) if truth[i] != predicted[i]][:worst]
    worst_rows = []
    for i in order:
        i = int(i)
        worst_rows.append({
            "id": _plain(ids[i]), "true": labels[truth[i]], "predicted": labels[predicted[i]],
            "true_score": None if true_scores is None else _num(true_scores[i]),
            "score": None if probs is None else _num(probs[i, predicted[i]]),
        })
    summary = _summary(
        accuracy=_ratio(int(np.trace(matrix)), n), macro_precision=_num(np.mean(precisions)),
        macro_recall=_num(np.mean(recalls)), macro_f1=_num(np.mean(f1s)),
        weighted_f1=_num(float(np.dot(f1s, supports) / supports.sum())) if n else 0.0, examples=n)
    report = {"labels": labels, "confusion_matrix": matrix.tolist(), "per_class": per_class, "worst": worst_rows}
    return summary, report


def _plain(value):
    """An id as JSON holds it: int, float or text."""
    if isinstance(value, (np.integer,)):
        return int(value)
    if isinstance(value, (np.floating,)):
        return float(value)
    if isinstance(value, (int, float, str)) and not isinstance(value, bool):
        return value
    return str(value)


# --- detection -------------------------------------------------------------------------

def _iou(a, b):
    """IoU of boxes [x1, y1, x2, y2]."""
    iw = min(a[2], b[2]) - max(a[0], b[0])
    ih = min(a[3], b[3]) - max(a[1], b[1])
    if iw <= 0 or ih <= 0:
        return 0.0
    inter = iw * ih
    union = (a[2] - a[0]) * (a[3] - a[1]) + (b[2] - b[0]) * (b[3] - b[1]) - inter
    return inter / union if union > 0 else 0.0


def _xyxy(bbox):
    x, y, w, h = (float(v) for v in bbox)
    return [x, y, x + w, y + h]


def detection_report(coco_gt, detections, labels, *, threshold=0.5, worst=WORST_BOXES):
    """coco_gt: a COCO dict (images, annotations with bbox [x, y, w, h], categories; class k
    of the model is the k-th category by id, as the detection trainers map them);
    detections: image_id -> [{"class_id": k, "score": s, "box": [x1, y1, x2, y2]}], as the
    detection codec answers; labels: the class names in class_id order.

    The report holds, per class, the precision-recall curve at IoU 0.5 (pycocotools' COCOeval,
    all areas, up to 100 detections an image; precision at every other one of its 101 recall
    thresholds) and its AP@0.5; AP@0.5 over all classes by object size (COCO's areas: small
    up to 32² = 1024 px², medium 32² to 96², large from 96² = 9216 px²); and at the operating
    `threshold`, the false positives (detections at or above it matching no ground truth of
    their class at IoU >= 0.5, greedily by score) and the misses (ground truth that none
    matched), the `worst` of each: the most confident false positives, and the misses the
    model was most blind to (lowest best score of an overlapping detection of the class, at
    any score; larger objects first on a tie)."""
    categories = sorted(int(c["id"]) for c in coco_gt.get("categories", []))
    labels = [str(x) for x in labels]
    if len(labels) != len(categories):
        raise ValueError(f"{len(labels)} labels for {len(categories)} categories")
    if not 0.0 <= float(threshold) <= 1.0:
        raise ValueError(f"threshold {threshold} is outside 0..1")
    cat_index = {cat: k for k, cat in enumerate(categories)}
    images = {int(im["id"]): im for im in coco_gt.get("images", [])}
    gts = [a for a in coco_gt.get("annotations", []) if int(a["category_id"]) in cat_index and "bbox" in a]
    dets = {int(i): list(ds) for i, ds in detections.items() if int(i) in images}
    for ds in dets.values():
        for d in ds:
            if not 0 <= int(d["class_id"]) < len(labels):
                raise ValueError(f"detection class_id {d['class_id']} is outside 0..{len(labels) - 1}")

    precision, recall_thresholds = _coco_precision(coco_gt, gts, dets, categories)
    keep = list(range(0, len(recall_thresholds), max(1, (len(recall_thresholds) - 1) // (PR_POINTS - 1))))
    gt_per_class = np.bincount([cat_index[int(a["category_id"])] for a in gts if not a.get("iscrowd")],
                               minlength=len(labels))
    pr_curves = []
    for k, name in enumerate(labels):
        p = precision[0, :, k, 0, -1]
        valid = p > -1
        ap = _num(p[valid].mean()) if valid.any() else None
        pr_curves.append({"label": name, "ap50": ap, "recall": [_num(recall_thresholds[i], 4) for i in keep],
                          "precision": [_num(max(p[i], 0.0), 4) for i in keep] if valid.any() else []})
    by_size = {}
    for a, size in enumerate(("small", "medium", "large"), start=1):
        p = precision[0, :, :, a, -1]
        by_size[size] = _num(p[p > -1].mean()) if (p > -1).any() else None
    sizes = {"small": 0, "medium": 0, "large": 0}
    for a in gts:
        if a.get("iscrowd"):
            continue
        area = float(a.get("area") or a["bbox"][2] * a["bbox"][3])
        sizes["small" if area < SMALL_MAX_AREA else "medium" if area < LARGE_MIN_AREA else "large"] += 1
    all50 = precision[0, :, :, 0, -1]
    all_iou = precision[:, :, :, 0, -1]

    fps, misses, counts = _match(images, gts, dets, cat_index, labels, float(threshold))
    per_class = []
    for k, name in enumerate(labels):
        c = counts[k]
        per_class.append({"label": name, "ap50": pr_curves[k]["ap50"], "gt": int(gt_per_class[k]), "tp": c["tp"],
                          "fp": c["fp"], "fn": c["fn"], "precision": _ratio(c["tp"], c["tp"] + c["fp"]),
                          "recall": _ratio(c["tp"], c["tp"] + c["fn"])})
    tp = sum(c["tp"] for c in counts)
    fp = sum(c["fp"] for c in counts)
    fn = sum(c["fn"] for c in counts)
    fps.sort(key=lambda r: (-r["score"], r["image_id"]))
    misses.sort(key=lambda r: (r["score"], -(r["box"][2] - r["box"][0]) * (r["box"][3] - r["box"][1]), r["image_id"]))
    summary = _summary(
        map50=_num(all50[all50 > -1].mean()) if (all50 > -1).any() else 0.0,
        map50_95=_num(all_iou[all_iou > -1].mean()) if (all_iou > -1).any() else 0.0,
        precision=_ratio(tp, tp + fp), recall=_ratio(tp, tp + fn), false_positives=fp, misses=fn,
        images=len(images), objects=int(gt_per_class.sum()), threshold=_num(threshold))
    report = {"labels": labels, "threshold": _num(threshold), "iou": MATCH_IOU, "pr_curves": pr_curves,
              "ap_by_size": by_size, "objects_by_size": sizes, "area_ranges": AREA_RANGES, "per_class": per_class,
              "false_positives": fps[:worst], "misses": misses[:worst], "false_positive_total": fp, "miss_total": fn}
    return summary, report


def _coco_precision(coco_gt, gts, dets, categories):
    """COCOeval's precision array [iou, recall, class, area, max dets] and its recall
    thresholds; all zeros (no detections) where pycocotools cannot load an empty result."""
    from pycocotools.coco import COCO
    from pycocotools.cocoeval import COCOeval, Params

    doc = {"images": [{"id": int(im["id"]), **{k: im[k] for k in ("width", "height", "file_name") if k in im}}
                      for im in coco_gt.get("images", [])],
           "categories": copy.deepcopy(coco_gt["categories"]), "info": {}, "annotations": []}
    for n, a in enumerate(gts, start=1):
        bbox = [float(v) for v in a["bbox"]]
        doc["annotations"].append({"id": n, "image_id": int(a["image_id"]), "category_id": int(a["category_id"]),
                                   "bbox": bbox, "area": float(a.get("area") or bbox[2] * bbox[3]),
                                   "iscrowd": int(a.get("iscrowd", 0))})
    results = []
    for image_id, ds in dets.items():
        for d in ds:
            x1, y1, x2, y2 = (float(v) for v in d["box"])
            results.append({"image_id": image_id, "category_id": categories[int(d["class_id"])],
                            "bbox": [x1, y1, x2 - x1, y2 - y1], "score": float(d["score"])})
    with contextlib.redirect_stdout(io.StringIO()):
        coco = COCO()
        coco.dataset = doc
        coco.createIndex()
        if results:
            ev = COCOeval(coco, coco.loadRes(results), "bbox")
            ev.params.catIds = categories
            ev.evaluate()
            ev.accumulate()
            return ev.eval["precision"], np.asarray(ev.params.recThrs)
    # No detections (pycocotools cannot load an empty result): precision 0 wherever a class
    # has ground truth in the area range, -1 (undefined) elsewhere, as COCOeval would leave it.
    params = Params(iouType="bbox")
    rec = np.asarray(params.recThrs)
    precision = -np.ones((len(params.iouThrs), len(rec), len(categories), len(params.areaRng), len(params.maxDets)))
    ranges = params.areaRng
    for k, cat in enumerate(categories):
        areas = [a["area"] for a in doc["annotations"] if a["category_id"] == cat and not a["iscrowd"]]
        for r, (lo, hi) in enumerate(ranges):
            if any(lo <= area <= hi for area in areas):
                precision[:, :, k, r, :] = 0.0
    return precision, rec


def _match(images, gts, dets, cat_index, labels, threshold):
    by_image = {}
    for a in gts:
        by_image.setdefault(int(a["image_id"]), []).append(a)
    counts = [{"tp": 0, "fp": 0, "fn": 0} for _ in labels]
    fps, misses = [], []
    for image_id, im in images.items():
        truth = [(cat_index[int(a["category_id"])], _xyxy(a["bbox"]), bool(a.get("iscrowd")))
                 for a in by_image.get(image_id, [])]
        found = sorted(dets.get(image_id, []), key=lambda d: -float(d["score"]))
        taken = [False] * len(truth)
        file_name = im.get("file_name", "")
        for d in found:
            score = float(d["score"])
            if score < threshold:
                break
            k, box = int(d["class_id"]), [float(v) for v in d["box"]]
            best, best_iou = None, MATCH_IOU
            same_iou = 0.0
            for j, (tk, tbox, crowd) in enumerate(truth):
                if tk != k:
                    continue
                iou = _iou(box, tbox)
                same_iou = max(same_iou, iou)
                if not taken[j] and iou >= best_iou:
                    best, best_iou = j, iou
            if best is not None:
                taken[best] = True
                if not truth[best][2]:
                    counts[k]["tp"] += 1
                continue
            if any(crowd and tk == k and _iou(box, tbox) >= MATCH_IOU for tk, tbox, crowd in truth):
                continue  # on a crowd region: neither right nor wrong, as COCO counts it
            confused = max(((_iou(box, tbox), tk) for tk, tbox, _ in truth if tk != k), default=(0.0, None))
            counts[k]["fp"] += 1
            fps.append({"image_id": image_id, "file_name": file_name, "box": [_num(v, 2) for v in box],
                        "class": labels[k], "score": _num(score, 5), "best_iou": _num(same_iou, 3),
                        "confused_with": labels[confused[1]] if confused[0] >= MATCH_IOU else None})
        for j, (tk, tbox, crowd) in enumerate(truth):
            if taken[j] or crowd:
                continue
            counts[tk]["fn"] += 1
            seen = max((float(d["score"]) for d in found
                        if int(d["class_id"]) == tk and _iou([float(v) for v in d["box"]], tbox) >= MATCH_IOU),
                       default=0.0)
            misses.append({"image_id": image_id, "file_name": file_name, "box": [_num(v, 2) for v in tbox],
                           "class": labels[tk], "score": _num(seen, 5)})
    return fps, misses, counts


# --- tabular: binary classification -------------------------------------------------

def binary_report(y, score, *, max_points=MAX_CURVE_POINTS):
    """y: 0/1 (1 the positive class, e.g. default); score: higher means more likely positive.
    ROC (a row is called positive when its score >= the threshold), its AUC and Gini
    (2·AUC - 1), and the Kolmogorov-Smirnov statistic: the largest gap between the share of
    positives and the share of negatives scoring at or above a threshold (max TPR - FPR), with
    that threshold. The ROC keeps at most about `max_points` points, always the KS point;
    its first threshold (above every score) is None."""
    from sklearn.metrics import roc_auc_score, roc_curve

    y = np.asarray(y).reshape(-1)
    score = np.asarray(score, dtype=np.float64).reshape(-1)
    if len(y) != len(score):
        raise ValueError(f"{len(y)} labels and {len(score)} scores")
    if not np.isfinite(score).all():
        raise ValueError("scores must be finite numbers")
    values = set(np.unique(y).tolist())
    if not values <= {0, 1}:  # True and False are 1 and 0
        raise ValueError(f"labels must be 0 or 1, got {sorted(values)[:5]}")
    y = y.astype(np.int64)
    positives, negatives = int(y.sum()), int(len(y) - y.sum())
    if not positives or not negatives:
        raise ValueError("ROC and KS need both classes among the rows")
    fpr, tpr, thresholds = roc_curve(y, score, drop_intermediate=False)
    gap = tpr - fpr
    best = int(np.argmax(gap))
    auc = float(roc_auc_score(y, score))
    idx = _spaced(len(fpr), max_points, keep=[best])
    roc = {"fpr": [_num(fpr[i]) for i in idx], "tpr": [_num(tpr[i]) for i in idx],
           "thresholds": [_num(thresholds[i]) for i in idx]}
    ks = {"statistic": _num(gap[best]), "threshold": _num(thresholds[best]), "tpr": _num(tpr[best]),
          "fpr": _num(fpr[best])}
    summary = _summary(auc=_num(auc), gini=_num(2 * auc - 1), ks=ks["statistic"], ks_threshold=ks["threshold"],
                       rows=len(y), positives=positives)
    report = {"roc": roc, "auc": _num(auc), "ks": ks, "positives": positives, "negatives": negatives}
    return summary, report


# --- regression --------------------------------------------------------------------------

def regression_report(y, pred, *, ids=None, bins=RESIDUAL_BINS, worst=WORST_RESIDUALS, max_points=MAX_SERIES_POINTS):
    """Residuals (actual - predicted): their histogram, RMSE, MAE, R² (None for a constant
    target), the mean residual (bias), the `worst` rows by absolute residual, and actual
    against predicted for a scatter (at most about `max_points`, the worst always in)."""
    y = np.asarray(y, dtype=np.float64).reshape(-1)
    pred = np.asarray(pred, dtype=np.float64).reshape(-1)
    if len(y) != len(pred) or not len(y):
        raise ValueError(f"{len(y)} actual values and {len(pred)} predictions")
    if not (np.isfinite(y).all() and np.isfinite(pred).all()):
        raise ValueError("actual values and predictions must be finite numbers")
    ids = list(ids) if ids is not None else list(range(len(y)))
    if len(ids) != len(y):
        raise ValueError(f"{len(ids)} ids for {len(y)} rows")
    residual = y - pred
    rmse = float(np.sqrt(np.mean(residual ** 2)))
    mae = float(np.mean(np.abs(residual)))
    ss_tot = float(np.sum((y - y.mean()) ** 2))
    r2 = 1.0 - float(np.sum(residual ** 2)) / ss_tot if ss_tot > 0 else None
    counts, edges = np.histogram(residual, bins=max(1, min(int(bins), len(y))))
    order = np.argsort(-np.abs(residual), kind="stable")[:worst]
    worst_rows = [{"id": _plain(ids[i]), "actual": _num(y[i]), "predicted": _num(pred[i]),
                   "residual": _num(residual[i])} for i in order]
    idx = _spaced(len(y), max_points, keep=order.tolist())
    summary = _summary(rmse=_num(rmse), mae=_num(mae), r2=_num(r2), bias=_num(residual.mean()), rows=len(y))
    report = {"histogram": {"edges": [_num(e) for e in edges], "counts": counts.astype(int).tolist()},
              "rmse": _num(rmse), "mae": _num(mae), "r2": _num(r2), "worst": worst_rows,
              "scatter": {"actual": [_num(y[i]) for i in idx], "predicted": [_num(pred[i]) for i in idx]}}
    return summary, report


# --- forecasting ---------------------------------------------------------------------------

def forecast_report(actual, forecast, horizons, *, index=None, max_points=MAX_SERIES_POINTS):
    """actual, forecast: aligned values; horizons: each value's steps ahead (1 = the next
    step), or one whole number H for forecasts laid out in consecutive blocks of H steps
    (a day-ahead hourly forecast: H = 24, the i-th value is i % H + 1 steps ahead); index:
    labels of the points (timestamps), else their positions.

    The error by horizon (MAE, RMSE, bias = mean of actual - forecast, MAPE over the
    non-zero actual values, None when there is none) and overall, and the actual-vs-forecast
    series, at most about `max_points` points evenly spread."""
    actual = np.asarray(actual, dtype=np.float64).reshape(-1)
    forecast = np.asarray(forecast, dtype=np.float64).reshape(-1)
    n = len(actual)
    if len(forecast) != n or not n:
        raise ValueError(f"{n} actual values and {len(forecast)} forecasts")
    if not (np.isfinite(actual).all() and np.isfinite(forecast).all()):
        raise ValueError("actual values and forecasts must be finite numbers")
    if np.ndim(horizons) == 0:
        block = int(horizons)
        if block < 1 or block != horizons:
            raise ValueError(f"horizons={horizons}: a block length is a whole number >= 1")
        steps = np.arange(n) % block + 1
    else:
        steps = np.asarray(horizons).reshape(-1)
        if len(steps) != n:
            raise ValueError(f"{len(steps)} horizons for {n} values")
        if (steps != steps.astype(np.int64)).any() or (steps < 1).any():
            raise ValueError("horizons are whole numbers >= 1")
        steps = steps.astype(np.int64)
    labels = [str(x) for x in index] if index is not None else list(range(n))
    if len(labels) != n:
        raise ValueError(f"{len(labels)} index labels for {n} values")

    def errors(mask):
        err = actual[mask] - forecast[mask]
        nonzero = actual[mask] != 0
        mape = float(np.mean(np.abs(err[nonzero] / actual[mask][nonzero]))) if nonzero.any() else None
        return {"n": int(mask.sum()), "mae": _num(np.mean(np.abs(err))), "rmse": _num(np.sqrt(np.mean(err ** 2))),
                "bias": _num(np.mean(err)), "mape": _num(mape)}

    by_horizon = [{"horizon": int(h), **errors(steps == h)} for h in np.unique(steps)]
    overall = errors(np.ones(n, dtype=bool))
    idx = _spaced(n, max_points)
    series = {"x": [labels[i] for i in idx], "actual": [_num(actual[i]) for i in idx],
              "forecast": [_num(forecast[i]) for i in idx], "horizon": [int(steps[i]) for i in idx]}
    summary = _summary(mae=overall["mae"], rmse=overall["rmse"], mape=overall["mape"], bias=overall["bias"],
                       points=n, horizons=len(by_horizon))
    report = {"by_horizon": by_horizon, "overall": overall, "series": series}
    return summary, report
