"""Which of an inspection's defects the page draws. Pure: plain dicts in, plain dicts out.

The verdict (lib.verdict.decide) uses every detection at or above the reject threshold and
the contrast guard's marks; a part can carry dozens of them, most of them the same defect
seen by several overlapping boxes. The page draws a handful an operator can act on: one box
per defect (per-class non-maximum suppression), only those at or above the display
threshold, and at most MAX_SHOWN, strongest first; the rest are counted as "weaker"."""

DISPLAY_FLOOR = 0.3   # the display threshold when the station sets none: max(floor, reject threshold)
MAX_SHOWN = 5         # boxes drawn on a part at most
NMS_IOU = 0.5         # a box overlapping a stronger one of its class this much is the same defect


def display_threshold(setting, reject_threshold):
    """The station's display threshold, or max(DISPLAY_FLOOR, reject threshold) when it sets none."""
    if setting is not None:
        return float(setting)
    return max(DISPLAY_FLOOR, float(reject_threshold))


def iou(a, b):
    """Intersection over union of two [x1, y1, x2, y2] boxes (corners in any order); 0 for empty boxes."""
    ax1, ax2 = sorted((float(a[0]), float(a[2])))
    ay1, ay2 = sorted((float(a[1]), float(a[3])))
    bx1, bx2 = sorted((float(b[0]), float(b[2])))
    by1, by2 = sorted((float(b[1]), float(b[3])))
    iw = max(0.0, min(ax2, bx2) - max(ax1, bx1))
    ih = max(0.0, min(ay2, by2) - max(ay1, by1))
    inter = iw * ih
    union = (ax2 - ax1) * (ay2 - ay1) + (bx2 - bx1) * (by2 - by1) - inter
    return inter / union if union > 0 else 0.0


def is_mark(defect):
    """A contrast-guard mark: no model score, its contrast (peak) instead."""
    return defect.get("score") is None


def _strength(defect):
    """Ordering key, strongest first: model defects by score, then the guard's marks by contrast."""
    if is_mark(defect):
        return (1, -float(defect.get("peak") or 0.0))
    return (0, -float(defect["score"]))


def nms(defects, iou_threshold=NMS_IOU):
    """Greedy non-maximum suppression within each class (label): of boxes of one class that
    overlap by more than iou_threshold, the strongest stays. Returns the kept defects, strongest first."""
    kept = []
    for d in sorted(defects, key=_strength):
        if all(k["label"] != d["label"] or iou(k["box"], d["box"]) <= iou_threshold for k in kept):
            kept.append(d)
    return kept


def shown(defects, threshold, cap=MAX_SHOWN, iou_threshold=NMS_IOU):
    """(drawn, weaker): the defects to draw, strongest first, and how many distinct defects
    (after suppression) are not drawn because they score below `threshold` or exceed the cap.
    The guard's marks have no score: they are drawn whatever the threshold. A part with
    defects never shows none: when none reaches the threshold, the strongest is drawn."""
    kept = nms(defects, iou_threshold)
    eligible = [d for d in kept if is_mark(d) or float(d["score"]) >= threshold]
    if not eligible and kept:
        eligible = kept[:1]
    drawn = eligible[:max(int(cap), 0)]
    return drawn, len(kept) - len(drawn)
