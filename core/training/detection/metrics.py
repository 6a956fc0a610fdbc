"""Detection metrics: COCO mAP (pycocotools), per-class AP@0.5, and the line metrics QC
engineers use. Pure: numpy + pycocotools, no Django.

Line metrics treat each image as one part: it is defective when it has any ground-truth
box, and the line rejects it when any detection scores at or above the threshold.
    over-kill rate = good parts rejected / good parts
    escape rate    = defective parts passed / defective parts
and, per defect class, the share of defects a detection at or above the threshold lands on
(`found_by_class`): which kinds of defect the escapes are made of.
"""
import contextlib
import copy
import io

import numpy as np


def coco_metrics(gt: dict, detections: dict[int, list[dict]]) -> dict:
    """gt: a COCO dict (category ids 1..K in order of the model's labels).
    detections: image_id -> [{"class_id": k (0-based), "score", "box": [x1,y1,x2,y2]}]."""
    from pycocotools.coco import COCO
    from pycocotools.cocoeval import COCOeval

    categories = sorted(c["id"] for c in gt["categories"])
    names = {c["id"]: c["name"] for c in gt["categories"]}
    results = []
    for image_id, dets in detections.items():
        for d in dets:
            x1, y1, x2, y2 = d["box"]
            results.append({"image_id": int(image_id), "category_id": categories[d["class_id"]],
                            "bbox": [x1, y1, x2 - x1, y2 - y1], "score": float(d["score"])})
    per_class = {names[c]: 0.0 for c in categories}
    if not results or not gt["annotations"]:
        return {"map50": 0.0, "map50_95": 0.0, "ap50_per_class": per_class, "detections": len(results)}
    with contextlib.redirect_stdout(io.StringIO()):
        coco_gt = COCO()
        coco_gt.dataset = copy.deepcopy(gt)
        coco_gt.dataset.setdefault("info", {})
        coco_gt.createIndex()
        coco_dt = coco_gt.loadRes(results)
        ev = COCOeval(coco_gt, coco_dt, "bbox")
        ev.evaluate()
        ev.accumulate()
        ev.summarize()
    # precision: [iou thresholds, recall points, classes, area ranges, max dets]
    precision = ev.eval["precision"]
    for k, cat in enumerate(ev.params.catIds):
        p = precision[0, :, k, 0, -1]
        p = p[p > -1]
        per_class[names[cat]] = round(float(p.mean()) if p.size else 0.0, 5)
    return {"map50": round(float(ev.stats[1]), 5), "map50_95": round(float(ev.stats[0]), 5),
            "ap50_per_class": per_class, "detections": len(results)}


def part_scores(gt: dict, detections: dict[int, list[dict]]) -> dict[int, float]:
    """A part's score is its most confident detection (0 without any): the part is rejected
    at threshold t exactly when its score is >= t."""
    return {im["id"]: max((float(d["score"]) for d in detections.get(im["id"], [])), default=0.0)
            for im in gt["images"]}


def line_metrics(gt: dict, detections: dict[int, list[dict]], threshold: float) -> dict:
    return line_metrics_from_scores(gt, part_scores(gt, detections), threshold)


def line_metrics_from_scores(gt: dict, scores: dict[int, float], threshold: float) -> dict:
    defective = {a["image_id"] for a in gt["annotations"]}
    image_ids = [im["id"] for im in gt["images"]]
    rejected = {i for i in image_ids if scores.get(i, 0.0) >= threshold}
    good = [i for i in image_ids if i not in defective]
    bad = [i for i in image_ids if i in defective]
    over_kill = sum(1 for i in good if i in rejected)
    escapes = sum(1 for i in bad if i not in rejected)
    return {
        "threshold": threshold,
        "parts": len(image_ids),
        "good_parts": len(good),
        "defective_parts": len(bad),
        "over_kill_rate": round(over_kill / len(good), 5) if good else 0.0,
        "escape_rate": round(escapes / len(bad), 5) if bad else 0.0,
        "over_kills": over_kill,
        "escapes": escapes,
    }


FOUND_IOU = 0.1


def found_by_class(gt: dict, detections: dict[int, list[dict]], threshold: float) -> dict:
    """Per class: {"defects": n, "found": m, "rate": m / n}. A defect counts as found when a
    detection of any class scoring at least `threshold` overlaps its box with IoU >= 0.1:
    the line marks the spot for an operator, so the label and a tight box do not matter
    there, and a 3 px defect inside a 9 px box (IoU 0.11) is still on the mark."""
    names = {c["id"]: c["name"] for c in gt["categories"]}
    counts = {names[c]: [0, 0] for c in sorted(names)}
    boxes = {}
    for image_id, dets in detections.items():
        kept = [d["box"] for d in dets if float(d["score"]) >= threshold]
        boxes[int(image_id)] = np.asarray(kept, dtype=np.float64).reshape(-1, 4)
    for a in gt["annotations"]:
        x, y, w, h = a["bbox"]
        dets = boxes.get(int(a["image_id"]), np.zeros((0, 4)))
        iw = np.clip(np.minimum(dets[:, 2], x + w) - np.maximum(dets[:, 0], x), 0, None)
        ih = np.clip(np.minimum(dets[:, 3], y + h) - np.maximum(dets[:, 1], y), 0, None)
        inter = iw * ih
        union = w * h + (dets[:, 2] - dets[:, 0]) * (dets[:, 3] - dets[:, 1]) - inter
        hit = bool(np.any(inter >= FOUND_IOU * np.maximum(union, 1e-9)))
        tally = counts[names[a["category_id"]]]
        tally[0] += 1
        tally[1] += hit
    return {name: {"defects": n, "found": m, "rate": round(m / n, 5) if n else None}
            for name, (n, m) in counts.items()}


def operating_point(gt: dict, scores: dict[int, float], *, max_escape: float, lowest: float = 0.01,
                    highest: float = 0.99) -> dict:
    """The reject threshold a QC engineer would set from validation parts: the highest one
    (so the fewest good parts rejected) whose escape rate stays within max_escape. Candidates
    are the part scores themselves, kept within [lowest, highest]; `met` is False when even
    `lowest` lets more defective parts escape than allowed (then `lowest` is returned)."""
    candidates = sorted({min(max(float(v), lowest), highest) for v in scores.values()} | {lowest, highest},
                        reverse=True)
    defective = {a["image_id"] for a in gt["annotations"]}
    bad = np.sort([scores.get(im["id"], 0.0) for im in gt["images"] if im["id"] in defective])
    for t in candidates:
        # The parts passed at t are those scoring below it: a binary search, not a pass over all parts.
        escapes = int(np.searchsorted(bad, t, side="left"))
        if (round(escapes / len(bad), 5) if len(bad) else 0.0) <= max_escape:
            return {**line_metrics_from_scores(gt, scores, t), "max_escape": max_escape, "met": True}
    return {**line_metrics_from_scores(gt, scores, lowest), "max_escape": max_escape, "met": False}


def detector_operating_point(gt: dict, detections: dict[int, list[dict]], *, max_escape: float) -> dict:
    """operating_point on a detector's part scores, with found_by_class at its threshold:
    what the trainer stores and the separator bench prints."""
    op = operating_point(gt, part_scores(gt, detections), max_escape=max_escape)
    return {**op, "found_by_class": found_by_class(gt, detections, op["threshold"])}


GUARD_MARGIN = 1.1


def guard_level(good_scores, margin: float = GUARD_MARGIN) -> float | None:
    """The level of a baseline inspection (higher = more likely defective) above anything it
    gave known-good parts: the highest such score times `margin` (None without any). A
    part the baseline scores at or above it carries a mark stronger than any good film
    showed, and is rejected whatever the model says (see guarded_scores)."""
    good = [float(s) for s in good_scores]
    return round(max(good) * margin, 4) if good else None


def guarded_scores(scores: dict[int, float], baseline_scores: dict[int, float], guard: float) -> dict[int, float]:
    """Part scores of a model with a baseline guard: 1.0 (rejected at any threshold) where
    the baseline reaches the guard level, the model's own score elsewhere."""
    return {i: 1.0 if baseline_scores.get(i, 0.0) >= guard else s for i, s in scores.items()}


def split_coco(doc: dict, *, val_fraction: float, seed: int):
    """Deterministic image-level split, stratified so clean and defective images are
    both represented in each part. Returns (train_doc, val_doc)."""
    with_boxes = {a["image_id"] for a in doc["annotations"]}
    # A stream of its own: a generator seeded with the same number must not pick the same images.
    rng = np.random.default_rng([int(seed), 0x5B117])
    val_ids = set()
    for group in (sorted(i for i in (im["id"] for im in doc["images"]) if i in with_boxes),
                  sorted(i for i in (im["id"] for im in doc["images"]) if i not in with_boxes)):
        if len(group) < 2:
            continue
        n_val = max(1, int(round(len(group) * val_fraction)))
        val_ids.update(group[i] for i in rng.permutation(len(group))[:n_val])

    def part(keep):
        return {
            "images": [im for im in doc["images"] if keep(im["id"])],
            "annotations": [a for a in doc["annotations"] if keep(a["image_id"])],
            "categories": doc["categories"],
        }

    return part(lambda i: i not in val_ids), part(lambda i: i in val_ids)
