"""One line for a trainer to keep a model version's evaluation in the hub: build the report
for the task (core/training/lib/evaluation.py), cut the thumbnails it shows (crops of a
detector's false positives and misses, a classifier's worst images), and record it with
core.hub.actions.evaluations.record_evaluation, as the job's user, on the dataset version the
job read. Each returns the Evaluation; a failure raises (the version stays registered, with
no evaluation record: a record is written complete or not at all).

    version = ctx.register_model_version(...)
    record_detection_evaluation(ctx, version, val_doc, detections, dataset_dir, labels, dv)
"""
import tempfile
from pathlib import Path

from core.hub.actions.evaluations import record_evaluation

from .lib import crops
from .lib import evaluation as build


def _field(item, name):
    return item[name] if isinstance(item, dict) else getattr(item, name)


def _record(ctx, version, kind, dataset_version, summary, report, split, images=None):
    evaluation = record_evaluation(version, kind=kind, dataset_version=dataset_version, summary=summary,
                                   report=report, images=images, split=split, acting_user=ctx.acting_user)
    shown = ", ".join(f"{k} {v:.4g}" if isinstance(v, float) else f"{k} {v}" for k, v in list(summary.items())[:6])
    ctx.log(f"evaluation {evaluation.pk} of {version.model.name} v{version.version} recorded ({kind}): {shown}")
    return evaluation


def _with_thumbnails(ctx, write):
    """Runs write(zip_path) -> thumbnails written, in a scratch folder of the job; yields the
    zip's path when it holds any, else None."""
    folder = tempfile.TemporaryDirectory(dir=getattr(ctx, "workdir", None), prefix="evaluation-")
    path = Path(folder.name) / "thumbnails.zip"
    written = write(path)
    return folder, (path if written else None)


def record_detection_evaluation(ctx, version, val_doc, detections, dataset_dir, labels, dataset_version, *,
                                threshold=0.5, split=None):
    """val_doc: the COCO dict the detector was evaluated on (its images under
    dataset_dir/images); detections: image id -> the codec's detections
    ([{"class_id", "score", "box": [x1, y1, x2, y2]}]); labels: class names in class_id order;
    threshold: the operating threshold the false positives and misses are counted at."""
    summary, report = build.detection_report(val_doc, detections, labels, threshold=threshold)
    images = Path(dataset_dir) / "images"

    def where(row):
        return images / row["file_name"] if row.get("file_name") else None

    def write(path):
        return (crops.write_thumbnails(path, report["false_positives"], where, prefix="fp",
                                       colour=crops.COLOURS["fp"])
                + crops.write_thumbnails(path, report["misses"], where, prefix="miss", colour=crops.COLOURS["miss"]))

    folder, zip_path = _with_thumbnails(ctx, write)
    with folder:
        return _record(ctx, version, "detection", dataset_version, summary, report,
                       split or f"validation split: {len(val_doc.get('images', []))} images, "
                                f"{len(val_doc.get('annotations', []))} boxes", zip_path)


def record_classification_evaluation(ctx, version, items, probabilities, labels, dataset_dir, dataset_version, *,
                                     split=None):
    """items: the validation images, each with image_id, file_name (under dataset_dir/images)
    and label (class index; core/training/lib/image_classes.Item or dicts); probabilities:
    [n, classes] as the served model answers them, in labels order."""
    items = list(items)
    summary, report = build.classification_report(
        [_field(it, "label") for it in items], None, probabilities, labels, [_field(it, "image_id") for it in items])
    files = {_field(it, "image_id"): _field(it, "file_name") for it in items}
    for row in report["worst"]:
        row["file_name"] = files.get(row["id"], "")
    images = Path(dataset_dir) / "images"

    def write(path):
        return crops.write_thumbnails(path, report["worst"],
                                      lambda row: images / row["file_name"] if row["file_name"] else None,
                                      prefix="worst")

    folder, zip_path = _with_thumbnails(ctx, write)
    with folder:
        return _record(ctx, version, "classification", dataset_version, summary, report,
                       split or f"validation split: {len(items)} images", zip_path)


def record_binary_evaluation(ctx, version, y, score, dataset_version, *, split=None):
    """Tabular classification (two classes): y 0/1, score the model's probability of 1."""
    summary, report = build.binary_report(y, score)
    return _record(ctx, version, "tabular_classification", dataset_version, summary, report,
                   split or f"validation split: {len(y)} rows")


def record_regression_evaluation(ctx, version, y, pred, dataset_version, *, ids=None, split=None):
    summary, report = build.regression_report(y, pred, ids=ids)
    return _record(ctx, version, "regression", dataset_version, summary, report,
                   split or f"validation split: {len(y)} rows")


def record_forecast_evaluation(ctx, version, actual, forecast, horizons, dataset_version, *, index=None,
                               split=None):
    """horizons: each value's steps ahead, or the block length H of consecutive H-step
    forecasts (core/training/lib/evaluation.forecast_report)."""
    summary, report = build.forecast_report(actual, forecast, horizons, index=index)
    return _record(ctx, version, "forecast", dataset_version, summary, report,
                   split or f"hold-out: {len(actual)} forecast points")
