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
