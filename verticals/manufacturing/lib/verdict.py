"""The line's decision and its statistics. Pure: plain dicts in, plain dicts out."""
from collections import Counter, defaultdict


GUARD_LABEL = "contrast"
# Noise units: the classic check saturates its part score here, so a higher guard never fires.
MAX_GUARD_LEVEL = 64.0


def guard_marks(blobs: list[dict]) -> list[dict]:
    """The classic check's blobs at the station's guard level, as defects the verdict and the
    page can show next to the model's: no score of their own, their contrast instead."""
    return [{"label": GUARD_LABEL, "score": None, "peak": b["peak"], "box": b["box"], "source": "guard"}
            for b in sorted(blobs, key=lambda b: -b["peak"])]


def decide(detections: list[dict], threshold: float, marks: list[dict] = ()):
    """A part is rejected when any defect scores at or above the threshold, or when the
    station's contrast guard found a mark (`marks`, from guard_marks)."""
    defects = [d for d in detections if d["score"] >= threshold] + list(marks)
    counts = dict(Counter(d["label"] for d in defects))
    verdict = "reject" if defects else "pass"
    max_score = max((d["score"] for d in detections), default=0.0)
    return verdict, defects, counts, max_score


def line_rates(rows):
    """rows: iterable of (verdict, truth). Only reviewed parts (truth set) count.
    over-kill = good parts rejected / good parts; escape = defective passed / defective."""
    good = rejected_good = defective = passed_defective = 0
    for verdict, truth in rows:
        if truth == "good":
            good += 1
            rejected_good += verdict == "reject"
        elif truth == "defective":
            defective += 1
            passed_defective += verdict == "pass"
    return {
        "reviewed": good + defective,
        "over_kill_rate": round(rejected_good / good, 4) if good else None,
        "escape_rate": round(passed_defective / defective, 4) if defective else None,
    }


def hourly(rows, labels):
    """rows: iterable of (hour_key, verdict, truth, defect_counts). Returns per-hour
    totals, rejects, counts by class and reviewed rates, hours sorted."""
    by_hour = defaultdict(lambda: {"parts": 0, "rejects": 0, "by_class": Counter(), "reviews": []})
    for hour, verdict, truth, counts in rows:
        h = by_hour[hour]
        h["parts"] += 1
        h["rejects"] += verdict == "reject"
        h["by_class"].update(counts or {})
        if truth:
            h["reviews"].append((verdict, truth))
    hours = sorted(by_hour)
    return {
        "hours": hours,
        "parts": [by_hour[h]["parts"] for h in hours],
        "rejects": [by_hour[h]["rejects"] for h in hours],
        "by_class": {label: [by_hour[h]["by_class"].get(label, 0) for h in hours] for label in labels},
        "over_kill_rate": [line_rates(by_hour[h]["reviews"])["over_kill_rate"] for h in hours],
        "escape_rate": [line_rates(by_hour[h]["reviews"])["escape_rate"] for h in hours],
    }
