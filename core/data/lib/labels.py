"""Labels people save: checked against the project's schema and the image they are drawn on,
and the canonical COCO document a new dataset version is cut from. Pure: stdlib only."""
from __future__ import annotations

import math

MAX_BOXES = 1000        # per image: a runaway script, not a labeller
MIN_SIDE = 1.0          # pixels: a box thinner than this is a misclick


class LabelError(ValueError):
    """Labels that cannot be saved; `errors` maps a field path ("labels[2].bbox") to messages."""

    def __init__(self, errors: dict):
        self.errors = errors
        super().__init__("; ".join(f"{k}: {' '.join(v)}" for k, v in errors.items()))


def check_schema(classes) -> list:
    """The class names of a label schema: 1 to 99 distinct, non-blank names."""
    if not isinstance(classes, list) or not classes:
        raise LabelError({"classes": ["give the label schema as a list of one or more class names"]})
    if len(classes) > 99:
        raise LabelError({"classes": [f"at most 99 classes, got {len(classes)}"]})
    out, errors = [], {}
    for i, name in enumerate(classes):
        if not isinstance(name, str) or not name.strip() or len(name) > 64:
            errors[f"classes[{i}]"] = ["a class is a name of 1 to 64 characters"]
        elif name.strip() in out:
            errors[f"classes[{i}]"] = [f"{name.strip()!r} is listed twice"]
        else:
            out.append(name.strip())
    if errors:
        raise LabelError(errors)
    return out


def check_boxes(labels, *, classes, width, height, sample="") -> list:
    """Boxes as saved ([{"category": name, "bbox": [x, y, w, h]}]) after checking each one
    names a class of the schema and lies inside the image; numbers rounded to 0.01 px."""
    where = f" on {sample}" if sample else ""
    if not isinstance(labels, list):
        raise LabelError({"labels": ["labels are a list of {category, bbox} boxes"]})
    if len(labels) > MAX_BOXES:
        raise LabelError({"labels": [f"at most {MAX_BOXES} boxes per image, got {len(labels)}"]})
    out, errors = [], {}
    for i, box in enumerate(labels):
        field = f"labels[{i}]"
        if not isinstance(box, dict) or set(box) - {"category", "bbox"}:
            errors[field] = ['a box is {"category": name, "bbox": [x, y, w, h]} and nothing else']
            continue
        category, bbox = box.get("category"), box.get("bbox")
        if category not in classes:
            errors[f"{field}.category"] = [f"{category!r} is not a class of this project ({', '.join(classes)})"]
        if (not isinstance(bbox, list) or len(bbox) != 4
                or not all(isinstance(v, (int, float)) and not isinstance(v, bool) and math.isfinite(v) for v in bbox)):
            errors[f"{field}.bbox"] = ["bbox is four numbers: x, y, width, height in pixels"]
            continue
        x, y, w, h = (float(v) for v in bbox)
        if w < MIN_SIDE or h < MIN_SIDE:
            errors[f"{field}.bbox"] = [f"a box is at least {MIN_SIDE:g} px wide and high, got {w:g}x{h:g}{where}"]
        elif x < 0 or y < 0 or x + w > width + 0.01 or y + h > height + 0.01:
            errors[f"{field}.bbox"] = [f"box [{x:g}, {y:g}, {w:g}, {h:g}] reaches outside the {width}x{height} "
                                       f"image{where}"]
        else:
            out.append({"category": category, "bbox": [round(x, 2), round(y, 2), round(min(w, width - x), 2),
                                                        round(min(h, height - y), 2)]})
    if errors:
        raise LabelError(errors)
    return out


def check_tags(labels, *, classes, sample="") -> list:
    """An image's class (a classification set) as saved: [] or [{"category": name}], the name a
    class of the schema."""
    where = f" on {sample}" if sample else ""
    if not isinstance(labels, list) or len(labels) > 1:
        raise LabelError({"labels": [f"an image of a classification set has one class or none{where}"]})
    if labels and (not isinstance(labels[0], dict) or set(labels[0]) != {"category"}):
        raise LabelError({"labels[0]": ['a class label is {"category": name}']})
    if labels and labels[0]["category"] not in classes:
        raise LabelError({"labels[0].category": [f"{labels[0]['category']!r} is not a class of this project "
                                                 f"({', '.join(classes)})"]})
    return [{"category": labels[0]["category"]}] if labels else []


def labelled_document(images, labelled, classes, *, info=None) -> dict:
    """The COCO document of `images` (the source version's entries, by id) with the boxes in
    `labelled` ({image id: boxes}); ids and order fixed by the input, so the same accepted
    labels always give the same document (and the same version hash)."""
    category_id = {name: i + 1 for i, name in enumerate(classes)}
    annotations = []
    for image_id in sorted(labelled):
        for box in labelled[image_id]:
            if "bbox" not in box:  # an image-level class
                annotations.append({"id": len(annotations) + 1, "image_id": image_id,
                                    "category_id": category_id[box["category"]]})
                continue
            x, y, w, h = box["bbox"]
            annotations.append({"id": len(annotations) + 1, "image_id": image_id,
                                "category_id": category_id[box["category"]], "bbox": [x, y, w, h],
                                "area": round(w * h, 4), "iscrowd": 0})
    return {"info": info or {}, "images": [images[i] for i in sorted(labelled)], "annotations": annotations,
            "categories": [{"id": category_id[c], "name": c} for c in classes]}


def _iou(a, b):
    ax, ay, aw, ah = a
    bx, by, bw, bh = b
    iw = max(0.0, min(ax + aw, bx + bw) - max(ax, bx))
    ih = max(0.0, min(ay + ah, by + bh) - max(ay, by))
    inter = iw * ih
    union = aw * ah + bw * bh - inter
    return inter / union if union > 0 else 0.0


def prelabel_outcome(prelabels, labels, *, iou=0.9) -> str:
    """How the labels a person handed in relate to what the model proposed: "unchanged" (every
    proposed box kept, same class, IoU >= `iou`, nothing added), "rejected" (none kept: all
    removed or redrawn), else "corrected"."""
    free = list(labels)
    kept = 0
    for p in prelabels:
        match = next((x for x in free if x["category"] == p["category"] and _iou(x["bbox"], p["bbox"]) >= iou), None)
        if match is not None:
            free.remove(match)
            kept += 1
    if kept == len(prelabels) and not free:
        return "unchanged"
    if kept == 0 and prelabels:
        return "rejected"
    return "corrected"


def agreement(a, b, *, iou=0.5) -> float:
    """How far two annotators agree on one image, 0..1: for boxes the F1 of a greedy one-to-one
    matching (same class, IoU >= `iou`, best overlaps first); for image classes 1 when they name
    the same class. Two empty labellings agree fully."""
    if not a and not b:
        return 1.0
    if all("bbox" not in x for x in a + b):
        return 1.0 if sorted(x["category"] for x in a) == sorted(x["category"] for x in b) else 0.0
    pairs = sorted(((_iou(x["bbox"], y["bbox"]), i, j) for i, x in enumerate(a) for j, y in enumerate(b)
                    if "bbox" in x and "bbox" in y and x["category"] == y["category"]), reverse=True)
    used_a, used_b, matched = set(), set(), 0
    for overlap, i, j in pairs:
        if overlap < iou:
            break
        if i not in used_a and j not in used_b:
            used_a.add(i)
            used_b.add(j)
            matched += 1
    return 2 * matched / (len(a) + len(b))


def check_text(labels, *, classes, entity_types, length, sample="") -> list:
    """A text's labels as saved: at most one {"category"} of the schema, and entity spans
    {"entity": type, "start", "end"} inside the text's `length` characters."""
    where = f" on {sample}" if sample else ""
    if not isinstance(labels, list) or len(labels) > MAX_BOXES:
        raise LabelError({"labels": ["labels are a list of {category} and {entity, start, end}"]})
    out, errors, cats = [], {}, 0
    for i, item in enumerate(labels):
        field = f"labels[{i}]"
        if isinstance(item, dict) and set(item) == {"category"}:
            cats += 1
            if item["category"] not in classes:
                errors[f"{field}.category"] = [f"{item['category']!r} is not a class of this project"]
            else:
                out.append({"category": item["category"]})
        elif isinstance(item, dict) and set(item) == {"entity", "start", "end"}:
            s, e = item["start"], item["end"]
            if item["entity"] not in entity_types:
                errors[f"{field}.entity"] = [f"{item['entity']!r} is not an entity type of this project"]
            elif not (isinstance(s, int) and isinstance(e, int) and not isinstance(s, bool) and 0 <= s < e <= length):
                errors[field] = [f"span [{s}, {e}) is not inside the {length}-character text{where}"]
            else:
                out.append({"entity": item["entity"], "start": s, "end": e})
        else:
            errors[field] = ['a label is {"category": name} or {"entity": type, "start": i, "end": j}']
    if cats > 1:
        errors["labels"] = [f"a text has one class or none{where}"]
    if errors:
        raise LabelError(errors)
    return sorted(out, key=lambda x: (0, x["category"]) if "category" in x else (1, x["start"], x["end"], x["entity"]))
