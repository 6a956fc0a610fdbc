"""What an evaluation record may hold, by kind: the summary (headline numbers), the report
(what the evaluation page draws) and the zip of thumbnails the report names. Pure: the
standard library only, no Django; the action in core/hub/actions/evaluations.py turns
these errors into 400 and 413 answers.

The report shapes are those core/training/lib/evaluation.py builds (boxes [x1, y1, x2, y2]);
anything else the builders add is kept as it is, only within the size limit."""
from __future__ import annotations

import json
import math
import re
import zipfile

KINDS = ("classification", "detection", "tabular_classification", "regression", "forecast")
MAX_REPORT_BYTES = 2 * 1024 * 1024        # the report as stored JSON
MAX_SUMMARY_KEYS = 64
MAX_SPLIT_CHARS = 500
MAX_LABELS = 1000
MAX_ROWS = 500                            # worst examples, false positives, misses, ... each
MAX_POINTS = 5000                         # a curve's or a series' points
MAX_IMAGES = 2000                         # thumbnails in the zip
MAX_IMAGE_BYTES = 1024 * 1024             # one thumbnail, uncompressed
MAX_IMAGES_BYTES = 64 * 1024 * 1024       # all of them, uncompressed
IMAGE_NAME = re.compile(r"^[a-z0-9][a-z0-9._-]{0,99}\.(jpg|jpeg|png)$")
KEY = re.compile(r"^[A-Za-z0-9_.:-]{1,64}$")
IMAGE_ROWS = {"classification": ("worst",), "detection": ("false_positives", "misses")}


class InvalidEvaluation(ValueError):
    """The payload does not fit its kind; `field` names where ("report.per_class[2].recall")."""

    def __init__(self, message, field=None):
        super().__init__(f"{field}: {message}" if field else message)
        self.field = field


class EvaluationTooLarge(InvalidEvaluation):
    pass


def validate(kind, summary, report, split=""):
    """Checks an evaluation's payload; returns the set of thumbnail names the report refers
    to (each row's "image"). Raises EvaluationTooLarge over the size limit, else
    InvalidEvaluation naming the first problem."""
    if kind not in KINDS:
        raise InvalidEvaluation(f"unknown kind {kind!r}; kinds: {', '.join(KINDS)}", "kind")
    if not isinstance(split, str) or len(split) > MAX_SPLIT_CHARS:
        raise InvalidEvaluation(f"a text of at most {MAX_SPLIT_CHARS} characters", "split")
    _summary(summary)
    if not isinstance(report, dict):
        raise InvalidEvaluation("must be a JSON object", "report")
    try:
        size = len(json.dumps(report, allow_nan=False, separators=(",", ":")).encode())
    except (TypeError, ValueError) as exc:
        raise InvalidEvaluation(f"not plain JSON ({exc}); numbers must be finite", "report") from None
    if size > MAX_REPORT_BYTES:
        raise EvaluationTooLarge(f"{size} bytes of JSON is over the {MAX_REPORT_BYTES} byte limit: keep fewer "
                                 "points or rows", "report")
    CHECKS[kind](report)
    names = set()
    for key in IMAGE_ROWS.get(kind, ()):
        for n, row in enumerate(report.get(key, [])):
            if row.get("image") is not None:
                name = row["image"]
                if not isinstance(name, str) or not IMAGE_NAME.match(name):
                    raise InvalidEvaluation("a thumbnail is named like fp-0001.jpg", f"report.{key}[{n}].image")
                names.add(name)
    return names


def check_images(path, referenced):
    """The zip at `path` holds every name in `referenced`, only well-named, small images.
    Returns the zip's names."""
    try:
        with zipfile.ZipFile(path) as zf:
            infos = zf.infolist()
    except (OSError, zipfile.BadZipFile) as exc:
        raise InvalidEvaluation(f"not a readable zip ({exc})", "images") from None
    if len(infos) > MAX_IMAGES:
        raise EvaluationTooLarge(f"{len(infos)} files, more than {MAX_IMAGES}", "images")
    total = 0
    for info in infos:
        if not IMAGE_NAME.match(info.filename):
            raise InvalidEvaluation(f"{info.filename!r} is not a flat .jpg or .png name", "images")
        if info.file_size > MAX_IMAGE_BYTES:
            raise EvaluationTooLarge(f"{info.filename} is {info.file_size} bytes, over {MAX_IMAGE_BYTES}", "images")
        total += info.file_size
    if total > MAX_IMAGES_BYTES:
        raise EvaluationTooLarge(f"{total} bytes of images, over {MAX_IMAGES_BYTES}", "images")
    names = {i.filename for i in infos}
    missing = sorted(set(referenced) - names)
    if missing:
        raise InvalidEvaluation(f"the report names thumbnails the zip lacks: {', '.join(missing[:5])}", "images")
    return names


# --- pieces ----------------------------------------------------------------------------------

def _summary(summary):
    if not isinstance(summary, dict) or not summary:
        raise InvalidEvaluation("a JSON object of headline numbers, at least one", "summary")
    if len(summary) > MAX_SUMMARY_KEYS:
        raise InvalidEvaluation(f"at most {MAX_SUMMARY_KEYS} numbers", "summary")
    for key, value in summary.items():
        if not isinstance(key, str) or not KEY.match(key):
            raise InvalidEvaluation("names are letters, digits, '_', '.', ':' or '-' (at most 64)", f"summary.{key}")
        _number(value, f"summary.{key}")


def _number(value, where, *, lo=None, hi=None, null=False, whole=False):
    if value is None and null:
        return
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        raise InvalidEvaluation("a finite number" + (" or null" if null else ""), where)
    if whole and value != int(value):
        raise InvalidEvaluation("a whole number", where)
    if (lo is not None and value < lo) or (hi is not None and value > hi):
        raise InvalidEvaluation(f"outside {lo}..{'' if hi is None else hi}", where)


def _text(value, where, limit=200):
    if not isinstance(value, str) or len(value) > limit:
        raise InvalidEvaluation(f"a text of at most {limit} characters", where)


def _obj(report, key, where="report"):
    value = report.get(key) if isinstance(report, dict) else None
    if not isinstance(value, dict):
        raise InvalidEvaluation("required: a JSON object", f"{where}.{key}")
    return value


def _rows(report, key, where="report", *, required=True):
    if key not in report and not required:
        return []
    value = report.get(key)
    if not isinstance(value, list) or len(value) > MAX_ROWS:
        raise InvalidEvaluation(f"required: a list of at most {MAX_ROWS} rows", f"{where}.{key}")
    for n, row in enumerate(value):
        if not isinstance(row, dict):
            raise InvalidEvaluation("a JSON object", f"{where}.{key}[{n}]")
    return value


def _numbers(value, where, *, lo=None, hi=None, null=False, length=None, minimum=0, whole=False):
    if not isinstance(value, list) or len(value) > MAX_POINTS or len(value) < minimum:
        raise InvalidEvaluation(f"a list of {minimum} to {MAX_POINTS} numbers", where)
    if length is not None and len(value) != length:
        raise InvalidEvaluation(f"{len(value)} values where {length} are expected", where)
    for n, v in enumerate(value):
        _number(v, f"{where}[{n}]", lo=lo, hi=hi, null=null, whole=whole)
    return value


def _labels(report):
    labels = report.get("labels")
    if (not isinstance(labels, list) or not 1 <= len(labels) <= MAX_LABELS
            or not all(isinstance(x, str) and 0 < len(x) <= 200 for x in labels) or len(set(labels)) != len(labels)):
        raise InvalidEvaluation(f"required: 1 to {MAX_LABELS} distinct class names", "report.labels")
    return labels


def _label(value, labels, where):
    if value not in labels:
        raise InvalidEvaluation(f"{value!r} is not one of the report's labels", where)


def _per_class(report, labels, fields, where="report.per_class"):
    rows = _rows(report, "per_class")
    seen = set()
    for n, row in enumerate(rows):
        _label(row.get("label"), labels, f"{where}[{n}].label")
        seen.add(row["label"])
        for field, kw in fields.items():
            _number(row.get(field), f"{where}[{n}].{field}", **kw)
    if len(rows) != len(seen):
        raise InvalidEvaluation("one row per class", where)


UNIT = {"lo": 0, "hi": 1}
COUNT = {"lo": 0, "whole": True}


def _classification(report):
    labels = _labels(report)
    k = len(labels)
    matrix = report.get("confusion_matrix")
    if not isinstance(matrix, list) or len(matrix) != k:
        raise InvalidEvaluation(f"required: {k} rows (true class) of {k} counts (predicted class)",
                                "report.confusion_matrix")
    for n, row in enumerate(matrix):
        _numbers(row, f"report.confusion_matrix[{n}]", length=k, **COUNT)
    _per_class(report, labels, {"precision": UNIT, "recall": UNIT, "f1": UNIT, "support": COUNT})
    for n, row in enumerate(_rows(report, "worst")):
        where = f"report.worst[{n}]"
        if not isinstance(row.get("id"), (int, str)) or isinstance(row.get("id"), bool):
            raise InvalidEvaluation("required: the example's id (a number or text)", f"{where}.id")
        _label(row.get("true"), labels, f"{where}.true")
        _label(row.get("predicted"), labels, f"{where}.predicted")
        for field in ("true_score", "score"):
            _number(row.get(field), f"{where}.{field}", null=True, **UNIT)


def _box(value, where):
    _numbers(value, where, length=4)
    if value[2] < value[0] or value[3] < value[1]:
        raise InvalidEvaluation("a box is [x1, y1, x2, y2] with x2 >= x1 and y2 >= y1", where)


def _detection(report):
    labels = _labels(report)
    _number(report.get("threshold"), "report.threshold", **UNIT)
    curves = _rows(report, "pr_curves")
    for n, curve in enumerate(curves):
        where = f"report.pr_curves[{n}]"
        _label(curve.get("label"), labels, f"{where}.label")
        _number(curve.get("ap50"), f"{where}.ap50", null=True, **UNIT)
        recall = _numbers(curve.get("recall"), f"{where}.recall", **UNIT)
        _numbers(curve.get("precision"), f"{where}.precision", **UNIT,
                 length=len(recall) if curve.get("precision") else 0)
    sizes = _obj(report, "ap_by_size")
    for size in ("small", "medium", "large"):
        _number(sizes.get(size), f"report.ap_by_size.{size}", null=True, **UNIT)
    _per_class(report, labels, {"ap50": {**UNIT, "null": True}, "gt": COUNT, "tp": COUNT, "fp": COUNT, "fn": COUNT})
    for key in ("false_positives", "misses"):
        for n, row in enumerate(_rows(report, key)):
            where = f"report.{key}[{n}]"
            if not isinstance(row.get("image_id"), (int, str)) or isinstance(row.get("image_id"), bool):
                raise InvalidEvaluation("required: the image's id", f"{where}.image_id")
            _box(row.get("box"), f"{where}.box")
            _label(row.get("class"), labels, f"{where}.class")
            _number(row.get("score"), f"{where}.score", **UNIT)


def _tabular_classification(report):
    roc = _obj(report, "roc")
    fpr = _numbers(roc.get("fpr"), "report.roc.fpr", minimum=2, **UNIT)
    _numbers(roc.get("tpr"), "report.roc.tpr", length=len(fpr), **UNIT)
    if "thresholds" in roc:
        _numbers(roc.get("thresholds"), "report.roc.thresholds", length=len(fpr), null=True)
    _number(report.get("auc"), "report.auc", **UNIT)
    ks = _obj(report, "ks")
    _number(ks.get("statistic"), "report.ks.statistic", **UNIT)
    _number(ks.get("threshold"), "report.ks.threshold", null=True)


def _regression(report):
    hist = _obj(report, "histogram")
    edges = _numbers(hist.get("edges"), "report.histogram.edges", minimum=2)
    _numbers(hist.get("counts"), "report.histogram.counts", length=len(edges) - 1, **COUNT)
    for key in ("rmse", "mae"):
        _number(report.get(key), f"report.{key}", lo=0)
    _number(report.get("r2"), "report.r2", null=True)
    for n, row in enumerate(_rows(report, "worst")):
        for field in ("actual", "predicted", "residual"):
            _number(row.get(field), f"report.worst[{n}].{field}")
    if "scatter" in report:
        scatter = _obj(report, "scatter")
        actual = _numbers(scatter.get("actual"), "report.scatter.actual")
        _numbers(scatter.get("predicted"), "report.scatter.predicted", length=len(actual))


def _forecast(report):
    rows = _rows(report, "by_horizon")
    if not rows:
        raise InvalidEvaluation("required: the error at one horizon at least", "report.by_horizon")
    for n, row in enumerate(rows):
        where = f"report.by_horizon[{n}]"
        _number(row.get("horizon"), f"{where}.horizon", lo=1, whole=True)
        _number(row.get("n"), f"{where}.n", **COUNT)
        for field in ("mae", "rmse"):
            _number(row.get(field), f"{where}.{field}", lo=0)
        _number(row.get("mape"), f"{where}.mape", lo=0, null=True)
    series = _obj(report, "series")
    x = series.get("x")
    if not isinstance(x, list) or len(x) > MAX_POINTS or not all(isinstance(v, (int, float, str)) for v in x):
        raise InvalidEvaluation(f"a list of at most {MAX_POINTS} labels (times or positions)", "report.series.x")
    _numbers(series.get("actual"), "report.series.actual", length=len(x))
    _numbers(series.get("forecast"), "report.series.forecast", length=len(x))


CHECKS = {"classification": _classification, "detection": _detection,
          "tabular_classification": _tabular_classification, "regression": _regression, "forecast": _forecast}
