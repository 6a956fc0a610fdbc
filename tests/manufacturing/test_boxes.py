"""Which defects a part's picture shows: per-class NMS, the display threshold and the cap (pure)."""
import pytest

from verticals.manufacturing.lib import boxes


def d(label, score, box, **extra):
    return {"label": label, "score": score, "box": box, **extra}


def test_iou_of_boxes():
    assert boxes.iou([0, 0, 10, 10], [0, 0, 10, 10]) == 1.0
    assert boxes.iou([0, 0, 10, 10], [20, 20, 30, 30]) == 0.0
    assert boxes.iou([0, 0, 10, 10], [5, 0, 15, 10]) == pytest.approx(50 / 150)
    assert boxes.iou([10, 10, 0, 0], [0, 0, 10, 10]) == 1.0  # corners in any order
    assert boxes.iou([0, 0, 0, 0], [0, 0, 0, 0]) == 0.0


def test_nms_keeps_the_strongest_of_overlapping_boxes_within_a_class_only():
    kept = boxes.nms([d("scratch", 0.6, [1, 1, 11, 11]), d("scratch", 0.9, [0, 0, 10, 10]),
                      d("dent", 0.5, [0, 0, 10, 10]),          # another class at the same spot stays
                      d("scratch", 0.4, [50, 50, 60, 60])])    # same class elsewhere stays
    assert [(k["label"], k["score"]) for k in kept] == [("scratch", 0.9), ("dent", 0.5), ("scratch", 0.4)]


def test_shown_applies_the_display_threshold_and_the_cap_and_counts_the_weaker():
    many = [d("scratch", 0.9 - i * 0.01, [i / 10, 0, i / 10 + 10, 10]) for i in range(30)]  # one smeared scratch
    many += [d("pinhole", s, [100 * i, 100, 100 * i + 5, 105]) for i, s in enumerate([0.4, 0.5, 0.6, 0.7, 0.8, 0.85])]
    many += [d("dent", 0.2, [500, 500, 510, 510])]
    drawn, weaker = boxes.shown(many, threshold=0.45, cap=5)
    assert [(x["label"], round(x["score"], 2)) for x in drawn] == [
        ("scratch", 0.9), ("pinhole", 0.85), ("pinhole", 0.8), ("pinhole", 0.7), ("pinhole", 0.6)]
    # after suppression 8 distinct defects (1 scratch, 6 pinholes, 1 dent): 3 are not drawn
    # (pinhole 0.5 by the cap, pinhole 0.4 and the dent below the display threshold)
    assert weaker == 3


def test_guard_marks_are_drawn_whatever_the_threshold_after_the_model_defects():
    mark = {"label": "contrast", "score": None, "peak": 9.3, "box": [0, 0, 10, 10], "source": "guard"}
    drawn, weaker = boxes.shown([mark, d("scratch", 0.5, [0, 0, 10, 10])], threshold=0.6)
    assert drawn == [mark] and weaker == 1
    drawn, _ = boxes.shown([mark, d("scratch", 0.7, [0, 0, 10, 10])], threshold=0.6)
    assert [x["label"] for x in drawn] == ["scratch", "contrast"]


def test_a_part_with_defects_never_shows_none():
    drawn, weaker = boxes.shown([d("dent", 0.2, [0, 0, 5, 5]), d("dent", 0.25, [50, 50, 55, 55])], threshold=0.3)
    assert [x["score"] for x in drawn] == [0.25] and weaker == 1
    assert boxes.shown([], threshold=0.3) == ([], 0)


def test_display_threshold_defaults_to_a_floor_above_the_reject_threshold():
    assert boxes.display_threshold(None, 0.05) == boxes.DISPLAY_FLOOR == 0.3
    assert boxes.display_threshold(None, 0.45) == 0.45
    assert boxes.display_threshold(0.6, 0.45) == 0.6
