"""An image-classification set for training: its usable images and classes, a stratified
split, and the evaluation of a classifier's probabilities (accuracy, macro-F1, per-class
precision and recall, the confusion matrix, the worst examples). Pure: stdlib and numpy."""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

MIN_CLASSES = 2
MIN_PER_CLASS = 2
WORST_EXAMPLES = 12


@dataclass(frozen=True)
class Item:
    image_id: int
    file_name: str
    label: int          # index into the labels list


def usable_items(doc: dict) -> tuple[list[str], list[Item], int]:
    """(labels, items, skipped) of a canonical COCO-style document. An image is usable when
    it carries exactly one image-level label (an annotation without a bbox); labels are the
    classes with at least one usable image, in category-id order, so no output of the model
    is a class it never saw."""
    names = {c["id"]: c["name"] for c in doc.get("categories", [])}
    tags: dict = {}
    for a in doc.get("annotations", []):
        if "bbox" not in a:
            tags.setdefault(a["image_id"], []).append(a["category_id"])
    chosen = [(im, tags[im["id"]][0]) for im in sorted(doc.get("images", []), key=lambda im: im["id"])
              if len(tags.get(im["id"], ())) == 1]
    present = sorted({cat for _, cat in chosen})
    index = {cat: i for i, cat in enumerate(present)}
    items = [Item(int(im["id"]), im["file_name"], index[cat]) for im, cat in chosen]
    return [names[c] for c in present], items, len(doc.get("images", [])) - len(items)


def class_counts(labels, items) -> dict:
    counts = dict.fromkeys(labels, 0)
    for item in items:
        counts[labels[item.label]] += 1
    return counts


def problems(counts: dict, *, min_per_class=MIN_PER_CLASS) -> list[str]:
    """What stops a classifier being trained and validated on images counted {class: n}
    (empty: nothing). A class with no image is no class at all."""
    present = {name: n for name, n in counts.items() if n > 0}
    if len(present) < MIN_CLASSES:
        found = f"only {next(iter(present))!r}" if present else "none"
        return [f"a classifier needs images of at least {MIN_CLASSES} classes; this version has {found}"]
    few = {name: n for name, n in present.items() if n < min_per_class}
    if few:
        return [f"every class needs at least {min_per_class} labelled images (one to train on, one to validate); "
                + ", ".join(f"{name!r} has {n}" for name, n in sorted(few.items()))]
    return []


def stratified_split(items, *, val_fraction: float, seed: int) -> tuple[list[Item], list[Item]]:
    """(train, val): per class, round(n * val_fraction) images to validation, at least one and
    never all of them. The same items, fraction and seed give the same split."""
    rng = np.random.default_rng(seed)
    by_class: dict = {}
    for item in sorted(items, key=lambda it: it.image_id):
        by_class.setdefault(item.label, []).append(item)
    train, val = [], []
    for label in sorted(by_class):
        members = by_class[label]
        order = rng.permutation(len(members))
        n_val = min(len(members) - 1, max(1, round(len(members) * val_fraction)))
        val += [members[i] for i in order[:n_val]]
        train += [members[i] for i in order[n_val:]]
    return sorted(train, key=lambda it: it.image_id), sorted(val, key=lambda it: it.image_id)


def _ratio(num, den) -> float:
    return round(float(num) / den, 5) if den else 0.0


def evaluate(labels, items, probabilities, *, worst=WORST_EXAMPLES) -> dict:
    """Metrics of per-image class probabilities ([n, classes], in labels order) against the
    items' labels. Precision of a class never predicted and F1 of a class with neither
    predictions nor images are 0 (the metrics are stored as JSON: no NaN)."""
    probs = np.asarray(probabilities, dtype=np.float64)
    truth = np.asarray([it.label for it in items], dtype=np.int64)
    k = len(labels)
    if probs.shape != (len(items), k):
        raise ValueError(f"probabilities of shape {probs.shape} for {len(items)} images of {k} classes")
    predicted = probs.argmax(axis=1) if len(items) else np.zeros(0, dtype=np.int64)
    matrix = np.zeros((k, k), dtype=np.int64)
    np.add.at(matrix, (truth, predicted), 1)
    per_class, f1s = {}, []
    for i, name in enumerate(labels):
        tp, support, called = int(matrix[i, i]), int(matrix[i].sum()), int(matrix[:, i].sum())
        precision, recall = _ratio(tp, called), _ratio(tp, support)
        f1 = _ratio(2 * tp, support + called)
        f1s.append(f1)
        per_class[name] = {"precision": precision, "recall": recall, "f1": f1, "support": support}
    true_scores = probs[np.arange(len(items)), truth] if len(items) else np.zeros(0)
    worst_rows = [{"image_id": items[i].image_id, "file_name": items[i].file_name, "true": labels[truth[i]],
                   "predicted": labels[predicted[i]], "score": round(float(probs[i, predicted[i]]), 5),
                   "true_score": round(float(true_scores[i]), 5)}
                  for i in np.argsort(true_scores, kind="stable")[:worst]]
    return {"accuracy": _ratio(int(np.trace(matrix)), len(items)), "macro_f1": round(float(np.mean(f1s)), 5),
            "per_class": per_class, "confusion_matrix": {"labels": list(labels), "matrix": matrix.tolist()},
            "worst": worst_rows, "val_images": len(items)}
