"""Line crossing counts exact on a scripted trajectory, both directions; zones and routes."""
import pytest

from verticals.city.lib import geometry as geo

LINE = [(100, 0), (100, 200)]  # vertical, drawn top to bottom: its left (screen) is x > 100


def test_scripted_trajectory_crosses_exactly_as_often_as_scripted():
    # a zig-zag: right of the line, across, back, across again, then along it without crossing
    xs = [140, 120, 90, 70, 95, 130, 150, 60, 60, 100, 100, 99]
    path = [(x, 100) for x in xs]
    counts = {"a_to_b": 0, "b_to_a": 0}
    for prev, cur in zip(path, path[1:]):
        d = geo.crossing(LINE, prev, cur)
        if d:
            counts[d] += 1
    # 120 -> 90 and 150 -> 60 go one way; 95 -> 130 the other; 60 -> 100 touches, 100 -> 99 leaves the line
    # from on-line (not counted: the step must start strictly on one side)
    assert counts == {"a_to_b": 2, "b_to_a": 1}


def test_passing_beyond_the_line_end_is_not_a_crossing():
    assert geo.crossing(LINE, (80, 250), (120, 250)) is None
    assert geo.crossing(LINE, (80, 150), (120, 150)) == "b_to_a"


@pytest.mark.parametrize("p, inside", [((5, 5), True), ((0, 5), True), ((11, 5), False), ((5, -1), False)])
def test_point_in_polygon(p, inside):
    assert geo.point_in_polygon(p, [(0, 0), (10, 0), (10, 10), (0, 10)]) is inside


def test_distance_to_polyline():
    assert geo.distance_to_polyline((5, 3), [(0, 0), (10, 0)]) == pytest.approx(3)
    assert geo.distance_to_polyline((13, 4), [(0, 0), (10, 0)]) == pytest.approx(5)


def test_a_stop_on_the_line_counts_once_when_it_comes_off_the_other_side():
    # right of the line (x < 100), onto it for three frames, then off to the left: one b_to_a;
    # then onto it again and back to the left where it came from: nothing
    path = [(80, 50), (90, 50), (100, 50), (100, 60), (100, 70), (120, 70), (100, 80), (130, 80)]
    assert geo.count_crossings(LINE, path) == {"a_to_b": 0, "b_to_a": 1}


def test_margin_absorbs_jitter_along_the_line():
    wobble = [(90, 10)] + [(100 + (3 if i % 2 else -3), 10 + i) for i in range(20)] + [(130, 40)]
    assert geo.count_crossings(LINE, wobble) == {"a_to_b": 9, "b_to_a": 10}  # every wobble counts
    assert geo.count_crossings(LINE, wobble, margin=5) == {"a_to_b": 0, "b_to_a": 1}  # one real crossing


def test_scripted_round_trips_in_both_directions():
    # a diagonal drawn from (0, 0) down-right to (200, 200): walking it on screen, your left
    # hand points up-right, so (150, 50) is left of it and (50, 150) right
    line = [(0, 0), (200, 200)]
    assert geo.side(line, (150, 50)) < 0 < geo.side(line, (50, 150))
    there_and_back = [(150, 50), (50, 150)] * 4 + [(150, 50)]  # 4 left->right, 4 back
    assert geo.count_crossings(line, there_and_back) == {"a_to_b": 4, "b_to_a": 4}
