"""Rules over tracks: a rule fires only in its hours (also across midnight), once per
episode; muck-truck rules; validation names the field."""
from collections import Counter
from datetime import datetime

import pytest

from verticals.city.lib.rules import RuleError, RuleSet, check_rule, in_hours
from verticals.city.lib.tracker import Track

ZONE = [[0, 0], [100, 0], [100, 100], [0, 100]]


def track(tid, x, y, cls="muck_truck", votes=None, t=0.0):
    tr = Track(track_id=tid, box=(x - 10, y - 20, x + 10, y), score=0.9, first_seen=t, last_seen=t,
               cls_votes=Counter(votes or {cls: 1}))
    return tr


def at(hh, mm=0, day=23):
    return datetime(2026, 11, day, hh, mm)  # 2026-11-23 is a Monday


@pytest.mark.parametrize("hours, when, active", [
    ("22:00-06:00", at(23, 30), True), ("22:00-06:00", at(5, 59), True), ("22:00-06:00", at(6, 0), False),
    ("22:00-06:00", at(12), False), ("07:00-09:30", at(9, 29), True), ("07:00-09:30", at(9, 30), False),
])
def test_hours_windows_including_midnight(hours, when, active):
    assert in_hours({"hours": hours}, when) is active


def test_a_rule_fires_only_in_its_hours():
    rules = RuleSet([{"id": 1, "kind": "muck_restricted", "geometry": ZONE, "params": {"hours": "22:00-06:00"}}])
    # a muck truck in the zone at noon: nothing, even though it stays
    assert rules.evaluate([track(1, 50, 50)], 0.0, at(12)) == []
    assert rules.evaluate([track(1, 50, 50)], 1.0, at(12, 1)) == []
    # the same at 23:00 fires once for that truck, not again while it stays
    hits = rules.evaluate([track(2, 50, 50)], 2.0, at(23))
    assert [(h.rule_id, h.track_id, h.kind) for h in hits] == [(1, 2, "muck_restricted")]
    assert rules.evaluate([track(2, 55, 50)], 3.0, at(23, 1)) == []
    # a car in the zone at night is not a muck truck
    assert rules.evaluate([track(3, 50, 50, cls="car")], 4.0, at(23, 2)) == []


def test_weekdays_limit_a_rule():
    rules = RuleSet([{"id": 1, "kind": "zone_entry", "geometry": ZONE,
                      "params": {"classes": ["person"], "weekdays": [5, 6]}}])
    assert rules.evaluate([track(1, 50, 50, cls="person")], 0, at(10)) == []  # Monday
    assert len(rules.evaluate([track(2, 50, 50, cls="person")], 0, at(10, day=28))) == 1  # Saturday


def test_zone_rule_rearms_after_leaving_and_loitering_needs_its_seconds():
    rules = RuleSet([{"id": "z", "kind": "zone_entry", "geometry": ZONE, "params": {"classes": ["person"]}},
                     {"id": "l", "kind": "loitering", "geometry": ZONE,
                      "params": {"classes": ["person"], "seconds": 30}}])
    fired = []
    for t, x in [(0, 50), (10, 50), (20, 150), (25, 50), (40, 60), (56, 60)]:
        fired += [(h.rule_id, t) for h in rules.evaluate([track(7, x, 50, cls="person")], t, at(12))]
    # entry at 0, leaves at 20, enters again at 25; loitering: 25 -> 56 is the first 30 s stay
    assert fired == [("z", 0), ("z", 25), ("l", 56)]


def test_line_crossing_rule_counts_direction():
    rules = RuleSet([{"id": 1, "kind": "line_crossing", "geometry": [[100, 0], [100, 200]],
                      "params": {"classes": ["car"], "direction": "a_to_b"}}])
    xs = [140, 120, 90, 130, 60]  # a_to_b at 120->90 and 130->60, b_to_a at 90->130
    fired = [h.details["direction"] for i, x in enumerate(xs)
             for h in rules.evaluate([track(1, x, 100, cls="car")], i, at(12))]
    assert fired == ["a_to_b", "a_to_b"]


def test_count_fires_once_per_overcrowding_episode():
    rules = RuleSet([{"id": 1, "kind": "count", "geometry": [], "params": {"classes": ["person"], "max": 2}}])
    crowd = lambda n: [track(i, 10 * i + 5, 50, cls="person") for i in range(1, n + 1)]  # noqa: E731
    results = [len(rules.evaluate(crowd(n), t, at(12))) for t, n in enumerate([2, 3, 4, 3, 1, 3])]
    assert results == [0, 1, 0, 0, 0, 1]


def test_muck_uncovered_and_route_deviation():
    rules = RuleSet([{"id": "u", "kind": "muck_uncovered", "geometry": [], "params": {"min_frames": 3}},
                     {"id": "r", "kind": "muck_route", "geometry": [[0, 100], [600, 100]],
                      "params": {"tolerance_px": 30, "min_frames": 2}}])
    covered = track(1, 50, 100, votes={"muck_truck": 5, "muck_truck_uncovered": 1})
    assert rules.evaluate([covered], 0, at(12)) == []
    open_load = track(2, 50, 100, votes={"muck_truck": 1, "muck_truck_uncovered": 4})
    assert [h.rule_id for h in rules.evaluate([open_load], 1, at(12))] == ["u"]
    off = [h.rule_id for t in range(3) for h in rules.evaluate([track(3, 50 + t, 200)], t, at(12))]
    assert off == ["r"]  # two frames off the route, then it fires once


@pytest.mark.parametrize("kind, geometry, params, field", [
    ("nope", [], {}, "kind"), ("zone_entry", [[0, 0], [1, 1]], {"classes": ["car"]}, "geometry"),
    ("zone_entry", ZONE, {"classes": "car"}, "classes"), ("line_crossing", [[0, 0], [1, 1]], {"classes": ["car"],
                                                                             "direction": "up"}, "direction"),
    ("count", [], {"classes": ["car"]}, "max"), ("muck_restricted", [], {}, "hours"),
    ("zone_entry", ZONE, {"classes": ["car"], "hours": "25:00-01:00"}, "hours"),
    ("loitering", ZONE, {"classes": ["car"], "seconds": -1}, "seconds"),
])
def test_bad_rules_name_the_field(kind, geometry, params, field):
    with pytest.raises(RuleError) as info:
        check_rule(kind, geometry, params)
    assert info.value.field == field


def test_a_rule_without_classes_looks_at_every_class():
    rules = RuleSet([{"id": 1, "kind": "zone_entry", "geometry": ZONE, "params": {}}])
    hits = rules.evaluate([track(1, 50, 50, cls="car"), track(2, 60, 50, cls="person")], 0, at(12))
    assert sorted(h.cls for h in hits) == ["car", "person"]


def test_line_counts_exact_through_the_tracker_in_both_directions():
    """Scripted detections -> tracker -> rules: three cars east, two west (one of them
    stopping on the line for a while), one pedestrian walking along without crossing."""
    from verticals.city.lib.tracker import Detection, Tracker

    line = [[300, 0], [300, 360]]  # drawn downwards: left (a) is x > 300, right (b) x < 300
    rules = RuleSet([{"id": "any", "kind": "line_crossing", "geometry": line, "params": {"classes": ["car"]}},
                     {"id": "east", "kind": "line_crossing", "geometry": line,
                      "params": {"classes": ["car"], "direction": "b_to_a"}}])
    tracker = Tracker(min_hits=2)

    def car_x(k, f):
        if k < 3:
            return 100 + 10 * f - 60 * k  # eastbound, staggered
        if k == 3:
            return 520 - 10 * f  # westbound
        return 560 - 10 * min(f, 26) - 10 * max(f - 31, 0)  # westbound, halts on the line for frames 26..31

    counts = {"a_to_b": 0, "b_to_a": 0}
    east = 0
    for f in range(60):
        dets = [Detection((car_x(k, f) - 30, 40 + 60 * k, car_x(k, f) + 30, 80 + 60 * k), 0.9, "car")
                for k in range(5)]
        dets.append(Detection((290, 330 - 2 * f, 310, 340 - 2 * f), 0.9, "person"))  # walks along the line: not a car
        for h in rules.evaluate(tracker.update(dets, t=f / 5), f / 5, at(12)):
            if h.rule_id == "any":
                counts[h.details["direction"]] += 1
            else:
                east += 1
    assert counts == {"a_to_b": 2, "b_to_a": 3} and east == 3


def test_class_membership_is_by_majority_of_votes():
    rules = RuleSet([{"id": 1, "kind": "zone_entry", "geometry": ZONE, "params": {"classes": ["car"]}},
                     {"id": 2, "kind": "muck_restricted", "geometry": ZONE, "params": {}}])
    one_stray_vote = track(1, 50, 50, votes={"truck": 9, "car": 1})
    assert rules.evaluate([one_stray_vote], 0, at(12)) == []
    # 3 covered + 3 uncovered votes against 4 truck: a muck truck though neither muck class leads
    mixed = track(2, 50, 50, votes={"truck": 4, "muck_truck": 3, "muck_truck_uncovered": 3})
    assert [h.rule_id for h in rules.evaluate([mixed], 1, at(12))] == [2]


def test_state_of_long_gone_tracks_is_forgotten():
    rules = RuleSet([{"id": 1, "kind": "zone_entry", "geometry": ZONE, "params": {}}])
    rules.evaluate([track(1, 50, 50, cls="car")], 0, at(12))
    rules.evaluate([track(2, 50, 50, cls="car")], 500, at(12))
    assert set(rules.rules[0].state) == {1, 2}
    rules.evaluate([track(2, 50, 50, cls="car")], 700, at(12))
    assert set(rules.rules[0].state) == {2}


def test_count_with_a_limit_per_class():
    rules = RuleSet([{"id": 1, "kind": "count", "geometry": ZONE, "params": {"max": {"person": 2, "car": 0}}}])
    assert rules.rules[0].p["classes"] == ["car", "person"]
    people = [track(i, 10 + 5 * i, 50, cls="person") for i in range(1, 4)]
    far_car = track(9, 500, 500, cls="car")  # outside the zone
    assert rules.evaluate(people[:2] + [far_car], 0, at(12)) == []
    hits = rules.evaluate(people + [track(9, 60, 60, cls="car"), track(10, 70, 70, cls="bus")], 1, at(12))
    assert sorted((h.cls, h.details["count"], h.details["limit"]) for h in hits) == [("car", 1, 0),
                                                                                    ("person", 3, 2)]
    assert rules.evaluate(people, 2, at(12)) == []  # still over for people: same episode
    with pytest.raises(RuleError) as info:
        check_rule("count", [], {"max": {"person": -1}})
    assert info.value.field == "max" and "person" in str(info.value)
