"""SYNTHETIC sensor readings for the demo map: air quality (PM2.5), noise, sea water level
and traffic counts with a plausible daily cycle. These are not measurements; sensors made
from them are named "Synthetic ..." so nobody mistakes them for real data. Also where to
put such sensors: real Helsinki places picked deterministically from the imported map
features. Pure: no Django."""
import hashlib
import math
import random
from datetime import datetime, timedelta

KINDS = {
    "air_quality": {"unit": "µg/m³", "label": "PM2.5"},
    "noise": {"unit": "dB(A)", "label": "Noise"},
    "water_level": {"unit": "cm", "label": "Water level"},
    "traffic_count": {"unit": "vehicles/10 min", "label": "Traffic count"},
}

# Which map features each kind is placed on: by road class or by POI category.
PLACEMENT = {
    "air_quality": ("roads", ("primary", "secondary", "trunk")),
    "noise": ("pois", ("amenity=bar", "amenity=pub", "amenity=nightclub", "amenity=restaurant")),
    "water_level": ("pois", ("amenity=ferry_terminal", "amenity=life_ring", "amenity=life_boat")),
    "traffic_count": ("roads", ("primary", "trunk", "secondary")),
}


def _bump(hour, centre, width):
    """A smooth peak of height 1 at `centre` o'clock, wrapping round midnight."""
    d = min(abs(hour - centre), 24 - abs(hour - centre))
    return math.exp(-0.5 * (d / width) ** 2)


def rush(hour):
    """Traffic intensity over the day in 0..1: morning and afternoon peaks, quiet night."""
    return min(1.0, 0.08 + 0.85 * _bump(hour, 8.0, 1.4) + 0.95 * _bump(hour, 16.5, 1.8)
               + 0.45 * _bump(hour, 12.5, 3.0))


def value_at(kind, at: datetime, rng: random.Random, *, base_shift=0.0):
    """One plausible reading of `kind` at local time `at`; rng adds the noise."""
    hour = at.hour + at.minute / 60 + at.second / 3600
    if kind == "air_quality":  # street-canyon PM2.5 follows traffic, plus a background
        v = 5.0 + base_shift + 14.0 * rush(hour) + rng.gauss(0, 1.2)
        return round(max(v, 0.5), 1)
    if kind == "noise":  # LAeq: ~45 dB at night, ~68 dB in the busy day
        v = 46.0 + base_shift + 22.0 * rush(hour) + 4.0 * _bump(hour, 22.0, 1.5) + rng.gauss(0, 1.5)
        return round(v, 1)
    if kind == "water_level":  # the Baltic's small semi-diurnal swing around mean sea level
        hours = at.timestamp() / 3600
        v = base_shift + 6.0 * math.sin(2 * math.pi * hours / 12.42) + 2.0 * math.sin(2 * math.pi * hours / 24) \
            + rng.gauss(0, 0.6)
        return round(v, 1)
    if kind == "traffic_count":  # vehicles per 10 minutes past a counting point
        v = (140.0 + base_shift * 10) * rush(hour) + rng.gauss(0, 6)
        return float(max(int(round(v)), 0))
    raise ValueError(f"unknown sensor kind {kind!r}; kinds: {', '.join(KINDS)}")


def _rng(seed, code):
    # Same seed and sensor code -> the same series, whatever else was generated before.
    return random.Random(int.from_bytes(hashlib.sha256(f"{seed}:{code}".encode()).digest()[:8], "big"))


def series(kind, code, start: datetime, end: datetime, step: timedelta, *, seed=0):
    """[(time, value)] from start to end inclusive, every `step`; deterministic per code."""
    if step.total_seconds() <= 0:
        raise ValueError("the step must be positive")
    rng = _rng(seed, code)
    shift = rng.uniform(-1.5, 1.5)
    out, at = [], start
    while at <= end:
        out.append((at, value_at(kind, at, rng, base_shift=shift)))
        at += step
    return out


def _anchor(geometry):
    """A point on the feature: the point itself, or a line's middle vertex."""
    coords = geometry["coordinates"]
    if geometry["type"] == "Point":
        return coords[0], coords[1]
    if geometry["type"] == "LineString":
        mid = coords[len(coords) // 2]
        return mid[0], mid[1]
    if geometry["type"] == "MultiLineString":
        return _anchor({"type": "LineString", "coordinates": coords[0]})
    if geometry["type"] == "Polygon":
        return _anchor({"type": "LineString", "coordinates": coords[0]})
    raise ValueError(f"no anchor for a {geometry['type']}")


def pick_sites(kind, features, count):
    """`count` (lon, lat, name, osm_id) sites for a `kind` from candidate features (dicts with
    osm_id, name, category, geometry), spread evenly over the matches in osm_id order, so
    the same map always gives the same sites. Falls back to any named feature."""
    _, categories = PLACEMENT[kind]
    ordered = sorted(features, key=lambda f: (f["osm_id"] or 0, f["name"]))
    matches = [f for f in ordered if f["category"] in categories]
    if len(matches) < count:
        matches += [f for f in ordered if f["name"] and f not in matches][:count - len(matches)]
    if not matches:
        return []
    picked = []
    for i in range(min(count, len(matches))):
        f = matches[i * len(matches) // count]
        lon, lat = _anchor(f["geometry"])
        picked.append((lon, lat, f["name"], f["osm_id"]))
    return picked
