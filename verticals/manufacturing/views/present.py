"""What the line-QC pages show, shaped from queries.summary() and inspections:
KPI tiles, chart series on a full hourly axis, defect boxes in image coordinates.
No database access here."""
from datetime import datetime, timedelta

from django.utils import timezone
from django.utils.translation import gettext as _

from ..lib import boxes as drawn_boxes
from ..lib.verdict import GUARD_LABEL
from .labels import class_label

# One colour per defect class (by the model's class index), shared by boxes, chips and charts.
CLASS_COLOURS = ["#d9480f", "#1c7ed6", "#ae3ec9", "#2b8a3e", "#e67700", "#0c8599", "#c2255c", "#5c940d",
                 "#3b5bdb", "#862e9c"]
GUARD_COLOUR = "#495057"  # the contrast guard's marks: not a model class
DASH = "—"


def class_colour(index):
    return CLASS_COLOURS[int(index or 0) % len(CLASS_COLOURS)]


def _colour(defect):
    return GUARD_COLOUR if defect.get("source") == "guard" else class_colour(defect.get("class_id"))


def pct(value, digits=1):
    """0.1234 -> "12.3%"; None -> "—"."""
    if value is None:
        return DASH
    return f"{float(value) * 100:.{digits}f}%"


def num(value, digits=3):
    if value is None:
        return DASH
    try:
        return f"{float(value):.{digits}f}"
    except (TypeError, ValueError):
        return DASH


# mAP@0.5 on the validation split below which the page says why an operator should not yet
# trust the model's boxes (issue 21: "a model an operator believes")
BELIEVABLE_MAP50 = 0.5


def kpis(summary, station):
    parts, rejects = summary["parts"], summary["rejects"]
    line = summary["line"]
    model_eval = summary.get("model_eval") or {}
    # The operating point (threshold chosen on validation for an escape target) is what the
    # line runs at; models trained before it existed only have the fixed-threshold figures.
    # A station with a contrast guard runs the model and the guard together: their figures.
    guarded = (model_eval.get("guarded") or {}) if station.guard_level is not None else {}
    eval_line = (guarded.get("operating_point") or model_eval.get("operating_point") or model_eval.get("line")
                 or {})
    baseline = model_eval.get("baseline") or {}
    baseline_line = baseline.get("operating_point") or {}
    reject_rate = rejects / parts if parts else None
    return {
        "parts": parts,
        "rejects": rejects,
        "passes": parts - rejects,
        "reject_rate": pct(reject_rate),
        "reject_rate_level": _level(reject_rate, 0.05, 0.15),
        "reviewed": line["reviewed"],
        "over_kill": pct(line["over_kill_rate"]),
        "over_kill_level": _level(line["over_kill_rate"], 0.02, 0.05),
        "escape": pct(line["escape_rate"]),
        "escape_level": _level(line["escape_rate"], 0.001, 0.01),
        "map50": num(model_eval.get("map50")),
        **_map50_note(model_eval, summary.get("model_training") or {}, summary.get("model_version") or {}),
        "map50_95": num(model_eval.get("map50_95")),
        "eval_threshold": num(eval_line.get("threshold"), 2),
        "eval_over_kill": pct(eval_line.get("over_kill_rate")),
        "eval_escape": pct(eval_line.get("escape_rate")),
        "eval_parts": eval_line.get("parts"),
        "eval_max_escape": pct(eval_line.get("max_escape"), 0) if eval_line.get("max_escape") is not None else None,
        "least_found": _least_found(eval_line.get("found_by_class")),
        "eval_guard": num(guarded.get("level"), 1) if guarded else None,
        "guard": num(station.guard_level, 1) if station.guard_level is not None else None,
        "baseline": baseline.get("name"),
        "baseline_over_kill": pct(baseline_line.get("over_kill_rate")),
        "baseline_escape": pct(baseline_line.get("escape_rate")),
        "beats_baseline": (eval_line.get("over_kill_rate") is not None and baseline_line.get("over_kill_rate") is not None
                           and eval_line["over_kill_rate"] < baseline_line["over_kill_rate"]),
        "threshold": num(station.reject_threshold, 2),
        "window_hours": summary["window_hours"],
    }


def _map50_note(model_eval, training, version):
    """{"map50_low": True, "map50_why": {...}} when the model's validation mAP@0.5 is under
    BELIEVABLE_MAP50: how it was trained (epochs, from a preset or from scratch, validation
    parts) and the version whose evaluation report shows where it fails."""
    value = model_eval.get("map50")
    if not isinstance(value, (int, float)) or value >= BELIEVABLE_MAP50:
        return {"map50_low": False}
    pretrained = training.get("pretrained")
    return {"map50_low": True, "map50_why": {
        "target": num(BELIEVABLE_MAP50, 1), "epochs": training.get("epochs"),
        "preset": pretrained not in (None, "", "none"), "val_images": model_eval.get("val_images"),
        "version_id": version.get("id")}}


def _least_found(found_by_class):
    """The defect class the model finds least often at its operating point, as
    {"name", "found", "defects"}: where the escapes come from. None when not recorded."""
    counted = [(f["found"] / f["defects"], name, f) for name, f in (found_by_class or {}).items() if f.get("defects")]
    if not counted:
        return None
    _, name, f = min(counted, key=lambda c: (c[0], -c[2]["defects"]))
    return {"name": name, "label": class_label(name), "found": f["found"], "defects": f["defects"]}


def _level(value, warn, bad):
    """A traffic-light class for a rate: '' (fine or unknown), 'warn' or 'bad'."""
    if value is None:
        return ""
    return "bad" if value >= bad else "warn" if value >= warn else ""


def hour_buckets(hours, now=None):
    """The window's hours, oldest first, as aware datetimes at the start of each local hour."""
    now = timezone.localtime(now or timezone.now())
    end = now.replace(minute=0, second=0, microsecond=0)
    start = timezone.localtime(now - timedelta(hours=hours)).replace(minute=0, second=0, microsecond=0)
    buckets, t = [], start
    while t <= end:
        buckets.append(t)
        t = timezone.localtime(t + timedelta(hours=1))
    return buckets


def chart_data(summary, now=None):
    """Series for the station charts on a full hourly axis (hours without parts: 0 for
    counts, null for the reviewed rates, so the trend line shows a gap)."""
    buckets = hour_buckets(summary["window_hours"], now)
    n = len(buckets)
    start = buckets[0]
    by_hour = summary["by_hour"]
    labels = list(by_hour["by_class"])
    parts, rejects = [0] * n, [0] * n
    by_class = {label: [0] * n for label in labels}
    over_kill, escape = [None] * n, [None] * n
    for i, key in enumerate(by_hour["hours"]):
        at = datetime.fromisoformat(key) if isinstance(key, str) else key
        j = int((at - start).total_seconds() // 3600)
        if not 0 <= j < n:
            continue
        parts[j] += by_hour["parts"][i]
        rejects[j] += by_hour["rejects"][i]
        for label in labels:
            by_class[label][j] += by_hour["by_class"][label][i]
        over_kill[j] = _percent(by_hour["over_kill_rate"][i])
        escape[j] = _percent(by_hour["escape_rate"][i])
    totals = summary["defects_by_class"]
    return {
        "hours": [b.strftime("%H:00") for b in buckets],
        "hour_titles": [b.strftime("%Y-%m-%d %H:00") for b in buckets],
        "parts": parts,
        "passes": [p - r for p, r in zip(parts, rejects)],
        "rejects": rejects,
        "classes": [{"name": label, "label": class_label(label),
                     "colour": GUARD_COLOUR if label == GUARD_LABEL else class_colour(k),
                     "total": totals.get(label, 0), "by_hour": by_class[label]} for k, label in enumerate(labels)],
        "over_kill": over_kill,
        "escape": escape,
        "text": {
            "pass": _("Pass"), "reject": _("Reject"), "defects": _("Defects"), "parts": _("Parts"),
            "over_kill": _("Over-kill rate"), "escape": _("Escape rate"), "no_data": _("No data in this window"),
        },
    }


def _percent(rate):
    return None if rate is None else round(rate * 100, 2)


MAX_SHOWN = drawn_boxes.MAX_SHOWN
MAX_TAGS = 4
TAG_CLEARANCE = 9.0  # percent of the image: a score tag closer than this to another is left out


def display_threshold(station):
    """Boxes scoring below this are not drawn (the verdict still uses the reject threshold)."""
    return drawn_boxes.display_threshold(station.display_threshold, station.reject_threshold)


def _inspection_display_threshold(inspection):
    station = getattr(inspection, "station", None)
    setting = station.display_threshold if station is not None else None
    # The part's own reject threshold (the station's when it was inspected) sets the default.
    return drawn_boxes.display_threshold(setting, inspection.threshold)


def shown_boxes(inspection):
    """(boxes, weaker): the handful of boxes drawn on a part (see lib.boxes.shown) in image
    pixels with their score tags, and how many weaker defects are not drawn."""
    drawn, weaker = drawn_boxes.shown(inspection.defects or [], _inspection_display_threshold(inspection))
    return _boxes(inspection, drawn), weaker


def boxes(inspection):
    """Every stored defect of the inspection as a box (no suppression, no cap)."""
    return _boxes(inspection, inspection.defects or [])


def _boxes(inspection, defects):
    """Defects as boxes in image pixels, plus their position in percent of the image for the
    score tags. Defects come highest score first; a box gets a tag unless a higher-scoring
    one's tag is in the way."""
    w, h = max(inspection.image_width, 1), max(inspection.image_height, 1)
    out, tags = [], []
    for d in defects:
        x1, y1, x2, y2 = (float(v) for v in d["box"])
        x1, x2 = max(0.0, min(x1, x2)), min(float(w), max(x1, x2))
        y1, y2 = max(0.0, min(y1, y2)), min(float(h), max(y1, y2))
        left, top = round(x1 / w * 100, 2), round(y1 / h * 100, 2)
        tag = len(tags) < MAX_TAGS and all(abs(left - tl) > TAG_CLEARANCE * 2 or abs(top - tt) > TAG_CLEARANCE
                                           for tl, tt in tags)
        if tag:
            tags.append((left, top))
        out.append({
            "label": d["label"], "name": class_label(d["label"]), "score": d["score"], "peak": d.get("peak"),
            "colour": _colour(d),
            "x": round(x1, 1), "y": round(y1, 1), "w": round(max(x2 - x1, 1.0), 1), "h": round(max(y2 - y1, 1.0), 1),
            "left": left, "top": top, "tag": tag, "tag_below": top < 8,
        })
    return out


def reason(inspection):
    """The verdict's reason in one line, in the reader's language: the strongest defect over
    the reject threshold, the contrast guard's strongest mark, or the strongest detection
    under the threshold for a pass (its class is not kept for a passed part)."""
    defects = inspection.defects or []
    threshold = num(inspection.threshold, 2)
    scored = [d for d in defects if not drawn_boxes.is_mark(d)]
    marks = [d for d in defects if drawn_boxes.is_mark(d)]
    if inspection.verdict != "reject":
        return _("Passed: strongest detection %(score)s < reject threshold %(threshold)s") % {
            "score": num(inspection.max_score, 2), "threshold": threshold}
    if scored:
        top = max(scored, key=lambda d: float(d["score"]))
        values = {"name": class_label(top["label"]), "score": num(top["score"], 2), "threshold": threshold}
        if marks:
            return _("Rejected: %(name)s %(score)s ≥ reject threshold %(threshold)s, and by the contrast guard") % values
        return _("Rejected: %(name)s %(score)s ≥ reject threshold %(threshold)s") % values
    if marks:
        top = max(marks, key=lambda d: float(d.get("peak") or 0.0))
        return _("Rejected by the contrast guard: mark %(peak)sσ above level %(level)sσ") % {
            "peak": num(top.get("peak"), 1), "level": num(inspection.guard_level, 1)}
    return _("Rejected")


def defect_chips(inspection):
    """Counts by class, coloured like the boxes: [{label, count, colour}]."""
    colours = {d["label"]: _colour(d) for d in inspection.defects or []}
    return [{"label": label, "name": class_label(label), "count": count,
             "colour": colours.get(label, CLASS_COLOURS[0])}
            for label, count in sorted((inspection.defect_counts or {}).items())]
