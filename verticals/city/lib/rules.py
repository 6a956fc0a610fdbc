"""Analysis rules over tracks (pure). A rule is {"id", "kind", "geometry", "params",
"severity", "name"}; check_rule validates one and returns its normalised params.

Every kind takes `classes` (which track classes it looks at; empty or absent: all, for the
muck kinds: both muck-truck classes; a track belongs when at least half of its class votes
are in the list, so a muck truck seen partly covered and partly uncovered is one) and
optional `hours`
("HH:MM-HH:MM", may wrap midnight) plus `weekdays` (0 = Monday) outside which it is
silent. A rule fires at most once per track and episode: a zone rule re-arms when the
track leaves the zone, a line rule fires on each crossing.

Kinds (geometry in frame pixels, points are a track's bottom centre):
    zone_entry       polygon; min_seconds (0): in the zone at least that long
    line_crossing    line [[x1, y1], [x2, y2]]; direction a_to_b | b_to_a | any (see geometry.py);
                     margin_px (0): points this close to the line count as on it (jitter)
    loitering        polygon; seconds: staying inside longer than that
    count            polygon or [] (whole frame); max: fires when more than max tracks of
                     the classes are inside at once (once per episode of overcrowding);
                     or max {"class": limit, ...}: each class against its own limit
    muck_restricted  polygon and/or hours: a muck truck inside the zone during the hours
                     (no polygon: anywhere in view during the hours; hours required then)
    muck_uncovered   min_frames (3), share (0.6): a muck truck seen uncovered in at least
                     min_frames frames and share of its observations
    muck_route       permitted route polyline; tolerance_px (40), min_frames (5): a muck
                     truck farther than the tolerance from the route for min_frames frames
"""
from dataclasses import dataclass, field
from datetime import datetime

from . import geometry as geo

MUCK_CLASSES = ("muck_truck", "muck_truck_uncovered")
UNCOVERED = "muck_truck_uncovered"
KINDS = ("zone_entry", "line_crossing", "loitering", "count", "muck_restricted", "muck_uncovered", "muck_route")
DIRECTIONS = ("a_to_b", "b_to_a", "any")


class RuleError(ValueError):
    def __init__(self, field, message):
        self.field = field
        super().__init__(f"{field}: {message}")


@dataclass
class Hit:
    rule_id: object
    kind: str
    track_id: int | None
    cls: str
    title: str
    severity: int = 2
    details: dict = field(default_factory=dict)


def _points(value, field, *, min_len, max_len=200):
    if not isinstance(value, (list, tuple)) or not min_len <= len(value) <= max_len:
        raise RuleError(field, f"expected a list of {min_len} to {max_len} [x, y] points")
    out = []
    for i, p in enumerate(value):
        if not isinstance(p, (list, tuple)) or len(p) != 2:
            raise RuleError(field, f"point {i} is not [x, y]")
        try:
            x, y = float(p[0]), float(p[1])
        except (TypeError, ValueError):
            raise RuleError(field, f"point {i} has a non-numeric coordinate") from None
        if x != x or y != y or abs(x) > 1e5 or abs(y) > 1e5:
            raise RuleError(field, f"point {i} is out of range")
        out.append([x, y])
    return out


def _minutes(text, field):
    try:
        hh, mm = str(text).split(":")
        h, m = int(hh), int(mm)
    except ValueError:
        raise RuleError(field, f"{text!r} is not HH:MM") from None
    if not (0 <= h <= 24 and 0 <= m < 60) or h * 60 + m > 24 * 60:
        raise RuleError(field, f"{text!r} is not a time of day")
    return h * 60 + m


def parse_hours(text):
    """'22:00-06:00' -> (start, end) minutes of the day; the window wraps when start > end."""
    if not isinstance(text, str) or text.count("-") != 1:
        raise RuleError("hours", f"{text!r} is not HH:MM-HH:MM")
    a, b = text.split("-")
    start, end = _minutes(a.strip(), "hours"), _minutes(b.strip(), "hours")
    if start == end:
        raise RuleError("hours", "the window is empty (start equals end)")
    return start, end


def in_hours(params, local_time: datetime):
    if params.get("weekdays") is not None and local_time.weekday() not in params["weekdays"]:
        return False
    if not params.get("hours"):
        return True
    start, end = parse_hours(params["hours"])
    now = local_time.hour * 60 + local_time.minute
    return start <= now < end if start < end else (now >= start or now < end)


def _number(params, key, default, *, low, high, integer=False):
    value = params.get(key, default)
    try:
        value = int(value) if integer else float(value)
    except (TypeError, ValueError):
        raise RuleError(key, f"{value!r} is not a number") from None
    if not low <= value <= high:
        raise RuleError(key, f"{value} is outside {low}..{high}")
    return value


def check_rule(kind, geometry, params):
    if kind not in KINDS:
        raise RuleError("kind", f"unknown rule kind {kind!r}; one of {', '.join(KINDS)}")
    if not isinstance(params, dict):
        raise RuleError("params", "expected an object")
    if geometry is not None and not isinstance(geometry, (list, tuple)):
        raise RuleError("geometry", "expected a list of [x, y] points")
    p = {}
    default_classes = list(MUCK_CLASSES) if kind.startswith("muck_") else []
    classes = params.get("classes", default_classes)
    if not isinstance(classes, list) or not all(isinstance(c, str) and c for c in classes):
        raise RuleError("classes", "expected a list of class names")
    p["classes"] = classes
    if params.get("hours") not in (None, ""):
        parse_hours(params["hours"])
        p["hours"] = params["hours"].replace(" ", "")
    if params.get("weekdays") is not None:
        days = params["weekdays"]
        if not isinstance(days, list) or not all(isinstance(d, int) and 0 <= d <= 6 for d in days) or not days:
            raise RuleError("weekdays", "expected a non-empty list of 0 (Monday) .. 6 (Sunday)")
        p["weekdays"] = sorted(set(days))
    if kind in ("zone_entry", "loitering"):
        _points(geometry, "geometry", min_len=3)
    if kind == "zone_entry":
        p["min_seconds"] = _number(params, "min_seconds", 0, low=0, high=86400)
    if kind == "loitering":
        p["seconds"] = _number(params, "seconds", 60, low=1, high=86400)
    if kind == "line_crossing":
        _points(geometry, "geometry", min_len=2, max_len=2)
        direction = params.get("direction", "any")
        if direction not in DIRECTIONS:
            raise RuleError("direction", f"{direction!r}; one of {', '.join(DIRECTIONS)}")
        p["direction"] = direction
        p["margin_px"] = _number(params, "margin_px", 0, low=0, high=1000)
    if kind == "count":
        if geometry:
            _points(geometry, "geometry", min_len=3)
        if "max" not in params:
            raise RuleError("max", "is required: the most tracks allowed in the area at once")
        if isinstance(params["max"], dict):
            limits = params["max"]
            if not limits or not all(isinstance(c, str) and c for c in limits):
                raise RuleError("max", "expected a number or {class: limit, ...} with at least one class")
            try:
                p["max"] = {c: _number(limits, c, None, low=0, high=10000, integer=True) for c in sorted(limits)}
            except RuleError as exc:
                raise RuleError("max", str(exc)) from None
            p["classes"] = sorted(set(classes) | set(limits)) if classes else sorted(limits)
        else:
            p["max"] = _number(params, "max", None, low=0, high=10000, integer=True)
    if kind == "muck_restricted":
        if geometry:
            _points(geometry, "geometry", min_len=3)
        elif not p.get("hours"):
            raise RuleError("hours", "a restriction needs a zone, hours, or both")
    if kind == "muck_uncovered":
        p["min_frames"] = _number(params, "min_frames", 3, low=1, high=10000, integer=True)
        p["share"] = _number(params, "share", 0.6, low=0.0, high=1.0)
    if kind == "muck_route":
        _points(geometry, "geometry", min_len=2)
        p["tolerance_px"] = _number(params, "tolerance_px", 40, low=1, high=10000)
        p["min_frames"] = _number(params, "min_frames", 5, low=1, high=10000, integer=True)
    return p


class _Rule:
    def __init__(self, spec):
        self.id, self.kind, self.name = spec.get("id"), spec["kind"], spec.get("name") or spec["kind"]
        self.severity = int(spec.get("severity", 2))
        self.p = check_rule(self.kind, spec.get("geometry") or [], spec.get("params") or {})
        g = spec.get("geometry") or []
        self.geometry = [tuple(map(float, pt)) for pt in g]
        self.state = {}  # track id -> per-track state

    def applies(self, track):
        classes = self.p["classes"]
        if not classes or track.cls in classes:
            return True
        votes = sum(track.cls_votes.values())
        return votes > 0 and 2 * sum(n for c, n in track.cls_votes.items() if c in classes) >= votes

    def inside(self, point):
        return not self.geometry or geo.point_in_polygon(point, self.geometry)

    def hit(self, track, title, **details):
        return Hit(rule_id=self.id, kind=self.kind, track_id=track.track_id if track else None,
                   cls=track.cls if track else "", title=title, severity=self.severity, details=details)


class RuleSet:
    # Per-track state of a track unseen this long (seconds of stream time) is forgotten: the
    # tracker dropped it long before (its ids are never reused), and a long-running stream
    # must not accumulate state for every object that ever passed.
    forget_after_s = 600.0

    def __init__(self, rules):
        self.rules = [_Rule(spec) for spec in rules]
        self._last_seen = {}  # track id -> t
        self._last_prune = None

    def evaluate(self, tracks, t, local_time):
        """The hits of this frame's tracks at stream time t (seconds) and local wall time
        local_time (for the rules' hours and weekdays)."""
        hits = []
        for tr in tracks:
            self._last_seen[tr.track_id] = t
        for rule in self.rules:
            active = in_hours(rule.p, local_time)
            evaluate = getattr(self, f"_{rule.kind}")
            hits.extend(evaluate(rule, [tr for tr in tracks if rule.applies(tr)], t, active))
        if self._last_prune is None or t - self._last_prune >= 60:
            self._prune(t)
        return hits

    def _prune(self, t):
        self._last_prune = t
        gone = {tid for tid, seen in self._last_seen.items() if t - seen > self.forget_after_s}
        for tid in gone:
            del self._last_seen[tid]
        for rule in self.rules:
            for tid in gone & rule.state.keys():
                del rule.state[tid]

    # Each evaluator keeps per-track state in rule.state even while the rule is outside its
    # hours, so a crossing or a dwell that started before the window is judged correctly.

    def _zone(self, rule, tracks, t, active, *, min_seconds, title):
        out = []
        for tr in tracks:
            st = rule.state.setdefault(tr.track_id, {"since": None, "fired": False})
            if rule.inside(tr.point):
                st["since"] = t if st["since"] is None else st["since"]
                if active and not st["fired"] and t - st["since"] >= min_seconds:
                    st["fired"] = True
                    out.append(rule.hit(tr, title(tr, t - st["since"]), seconds=round(t - st["since"], 1),
                                        point=[round(v, 1) for v in tr.point]))
            else:
                st.update(since=None, fired=False)
        return out

    def _zone_entry(self, rule, tracks, t, active):
        return self._zone(rule, tracks, t, active, min_seconds=rule.p["min_seconds"],
                          title=lambda tr, s: f"{tr.cls} in {rule.name}")

    def _loitering(self, rule, tracks, t, active):
        return self._zone(rule, tracks, t, active, min_seconds=rule.p["seconds"],
                          title=lambda tr, s: f"{tr.cls} loitering in {rule.name} for {s:.0f} s")

    def _muck_restricted(self, rule, tracks, t, active):
        return self._zone(rule, tracks, t, active, min_seconds=0,
                          title=lambda tr, s: f"muck truck in restricted {rule.name}")

    def _line_crossing(self, rule, tracks, t, active):
        out = []
        for tr in tracks:
            counter = rule.state.get(tr.track_id)
            if counter is None:
                counter = rule.state[tr.track_id] = geo.LineCounter(rule.geometry, rule.p["margin_px"])
            direction = counter.step(tr.point)
            if direction and active and rule.p["direction"] in ("any", direction):
                out.append(rule.hit(tr, f"{tr.cls} crossed {rule.name} ({direction})", direction=direction))
        return out

    def _count(self, rule, tracks, t, active):
        inside = [tr for tr in tracks if rule.inside(tr.point)]
        limits = rule.p["max"]
        if isinstance(limits, dict):  # each class against its own limit, a track by its majority class
            groups = [(cls, limit, [tr for tr in inside if tr.cls == cls]) for cls, limit in limits.items()]
        else:
            groups = [("", limits, inside)]
        out = []
        for cls, limit, members in groups:
            st = rule.state.setdefault(f"_count:{cls}", {"over": False})
            over = len(members) > limit
            if over and active and not st["over"]:
                by_class = {}
                for tr in members:
                    by_class[tr.cls] = by_class.get(tr.cls, 0) + 1
                what = f"{len(members)} {cls}" if cls else str(len(members))
                out.append(Hit(rule_id=rule.id, kind=rule.kind, track_id=None, cls=cls, severity=rule.severity,
                               title=f"{what} in {rule.name} (limit {limit})",
                               details={"count": len(members), "limit": limit, "by_class": by_class,
                                        "tracks": [tr.track_id for tr in members]}))
            # an episode that began outside the hours is not reported when they start
            st["over"] = over and (active or st["over"])
        return out

    def _muck_uncovered(self, rule, tracks, t, active):
        out = []
        for tr in tracks:
            st = rule.state.setdefault(tr.track_id, {"fired": False})
            seen = sum(tr.cls_votes.values())
            uncovered = tr.cls_votes.get(UNCOVERED, 0)
            if (active and not st["fired"] and uncovered >= rule.p["min_frames"]
                    and uncovered / seen >= rule.p["share"]):
                st["fired"] = True
                out.append(rule.hit(tr, "muck truck with an uncovered load", uncovered_frames=uncovered,
                                    frames=seen))
        return out

    def _muck_route(self, rule, tracks, t, active):
        out = []
        for tr in tracks:
            st = rule.state.setdefault(tr.track_id, {"off": 0, "fired": False})
            distance = geo.distance_to_polyline(tr.point, rule.geometry)
            st["off"] = st["off"] + 1 if distance > rule.p["tolerance_px"] else 0
            if active and not st["fired"] and st["off"] >= rule.p["min_frames"]:
                st["fired"] = True
                out.append(rule.hit(tr, f"muck truck off its permitted route ({distance:.0f} px away)",
                                    distance_px=round(distance, 1)))
        return out
