"""Plane geometry in frame pixels for zones, counting lines and routes (pure).

A counting line runs from its first point A to its second point B. Looking from A
towards B, "left" is the side a point is on when the cross product (B - A) x (P - A) is
negative in image coordinates (y grows downwards), i.e. the side on your left hand as
drawn on screen. Direction "a_to_b" counts crossings from the left side to the right
side, "b_to_a" the other way, "any" both."""
import math


def side(line, p):
    """> 0 right of A->B, < 0 left, 0 on the line (image coordinates)."""
    (ax, ay), (bx, by) = line
    return (bx - ax) * (p[1] - ay) - (by - ay) * (p[0] - ax)


def _orient(a, b, c):
    v = (b[0] - a[0]) * (c[1] - a[1]) - (b[1] - a[1]) * (c[0] - a[0])
    return 0 if abs(v) < 1e-12 else (1 if v > 0 else -1)


def segments_intersect(p1, p2, q1, q2):
    """Proper or touching intersection of segments p1-p2 and q1-q2."""
    o1, o2, o3, o4 = _orient(p1, p2, q1), _orient(p1, p2, q2), _orient(q1, q2, p1), _orient(q1, q2, p2)
    if o1 != o2 and o3 != o4:
        return True

    def on(a, b, c):
        return min(a[0], b[0]) <= c[0] <= max(a[0], b[0]) and min(a[1], b[1]) <= c[1] <= max(a[1], b[1])
    return ((o1 == 0 and on(p1, p2, q1)) or (o2 == 0 and on(p1, p2, q2)) or (o3 == 0 and on(q1, q2, p1))
            or (o4 == 0 and on(q1, q2, p2)))


def crossing(line, prev, cur):
    """'a_to_b' (left -> right), 'b_to_a' (right -> left) or None for the step prev -> cur.
    Both points must be strictly off the line, on opposite sides, and the step must pass
    between the line's ends. A trajectory that stops on the line is handled by
    LineCounter, which remembers the last point that was off it."""
    s0, s1 = side(line, prev), side(line, cur)
    if s0 == 0 or s1 == 0 or (s0 > 0) == (s1 > 0):
        return None
    if not segments_intersect(prev, cur, line[0], line[1]):
        return None  # it passed the line's extension, beyond its ends
    return "a_to_b" if s0 < 0 else "b_to_a"


class LineCounter:
    """Counts one trajectory's crossings of a line, once per crossing.

    Points within `margin` pixels of the line (0: exactly on it) are "on the line" and
    ignored: the step is judged from the last point that was clearly on one side, so a
    track that stops on the line, or jitters along it within the margin, is counted once
    when it comes off on the other side, and not at all when it goes back."""

    def __init__(self, line, margin=0.0):
        (ax, ay), (bx, by) = line
        self.line = ((float(ax), float(ay)), (float(bx), float(by)))
        self.margin = float(margin)
        self._length = math.hypot(bx - ax, by - ay) or 1.0
        self.last_off = None  # the last point clearly on one side

    def step(self, point):
        """Feed the next point; returns 'a_to_b', 'b_to_a' or None."""
        if abs(side(self.line, point)) / self._length <= self.margin:
            return None
        prev, self.last_off = self.last_off, (float(point[0]), float(point[1]))
        return None if prev is None else crossing(self.line, prev, self.last_off)


def count_crossings(line, points, margin=0.0):
    """{'a_to_b': n, 'b_to_a': m} over a whole trajectory."""
    counter, counts = LineCounter(line, margin), {"a_to_b": 0, "b_to_a": 0}
    for p in points:
        d = counter.step(p)
        if d:
            counts[d] += 1
    return counts


def point_in_polygon(p, polygon):
    """Ray casting; points on an edge count as inside."""
    x, y = p
    inside = False
    n = len(polygon)
    for i in range(n):
        (x1, y1), (x2, y2) = polygon[i], polygon[(i + 1) % n]
        if _orient((x1, y1), (x2, y2), (x, y)) == 0 and min(x1, x2) <= x <= max(x1, x2) \
                and min(y1, y2) <= y <= max(y1, y2):
            return True
        if (y1 > y) != (y2 > y):
            xin = x1 + (y - y1) * (x2 - x1) / (y2 - y1)
            if x < xin:
                inside = not inside
    return inside


def distance_to_polyline(p, polyline):
    best = math.inf
    for a, b in zip(polyline, polyline[1:]):
        dx, dy = b[0] - a[0], b[1] - a[1]
        length2 = dx * dx + dy * dy
        u = 0.0 if length2 == 0 else max(0.0, min(1.0, ((p[0] - a[0]) * dx + (p[1] - a[1]) * dy) / length2))
        best = min(best, math.hypot(p[0] - (a[0] + u * dx), p[1] - (a[1] + u * dy)))
    return best
