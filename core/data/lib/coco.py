"""COCO detection datasets: validation and statistics. Pure: no Django, no image library.

The caller says how big each image really is (a mapping or a callable), so this module
can check the annotation file against the files without knowing where they live.
Every problem names the file and the field path, so a user with a 10,000-image
dataset can go straight to the line to fix.
"""
from __future__ import annotations

import json
import math
import posixpath
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

MAX_ISSUES = 50
# Boxes drawn by labelling tools often end half a pixel past the edge; one pixel of
# slack keeps real datasets importable while still catching wrong coordinates.
BOX_TOLERANCE = 1.0
# COCO's own thresholds (on box area here: the segmentation area is optional).
SMALL_AREA = 32 * 32
LARGE_AREA = 96 * 96


@dataclass(frozen=True)
class Issue:
    file: str
    field: str
    message: str

    def __str__(self):
        return f"{self.file}: {self.field}: {self.message}" if self.field else f"{self.file}: {self.message}"


class ImageMissing(Exception):
    """Raised by an image-size callable when the file is not there."""

    def __init__(self, message="file is missing", path=None):
        super().__init__(message)
        self.path = path


class ImageUnreadable(Exception):
    """Raised by an image-size callable when the file is not a decodable image."""

    def __init__(self, message="not a decodable image", path=None):
        super().__init__(message)
        self.path = path


class CocoError(Exception):
    def __init__(self, issues):
        self.issues = list(issues)
        super().__init__("; ".join(str(i) for i in self.issues))


@dataclass
class Report:
    issues: list = field(default_factory=list)
    truncated: bool = False
    stats: dict = field(default_factory=dict)
    # file_name -> (width, height) as decoded, for every image that could be read
    image_sizes: dict = field(default_factory=dict)

    @property
    def ok(self):
        return not self.issues

    def messages(self):
        out = [str(i) for i in self.issues]
        if self.truncated:
            out.append(f"stopped after {len(self.issues)} problems; fix these and import again")
        return out


class _Collector:
    def __init__(self, limit):
        self.limit = limit
        self.issues = []
        self.truncated = False

    def add(self, file, field_path, message):
        if len(self.issues) >= self.limit:
            self.truncated = True
            return
        self.issues.append(Issue(file, field_path, message))

    @property
    def full(self):
        return len(self.issues) >= self.limit


def unsafe_path_reason(name):
    """Why `name` may not be used as a relative path inside a dataset, or None if it is safe."""
    if not isinstance(name, str) or not name:
        return "must be a non-empty string"
    if "\x00" in name or any(ord(c) < 32 for c in name):
        return "contains control characters"
    if "\\" in name:
        return "uses backslashes; use '/' between folders"
    if name.startswith("/") or (len(name) > 1 and name[1] == ":"):
        return "is an absolute path"
    parts = name.split("/")
    if any(p == ".." for p in parts):
        return "goes up a folder ('..')"
    if any(p in ("", ".") for p in parts):
        return "is not a normalised relative path (empty or '.' parts)"
    return None


def load_json(data: bytes, *, file="annotations.json"):
    """Parse annotation bytes; NaN and Infinity are refused because they are not JSON
    and would make the canonical form ambiguous."""

    def no_constants(name):
        raise ValueError(f"{name} is not allowed in JSON")

    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise CocoError([Issue(file, "", f"is not UTF-8 text (byte {exc.start})")]) from None
    try:
        return json.loads(text, parse_constant=no_constants)
    except json.JSONDecodeError as exc:
        where = f"line {exc.lineno} column {exc.colno}"
        raise CocoError([Issue(file, "", f"is not valid JSON: {exc.msg} at {where}")]) from None
    except (ValueError, RecursionError) as exc:
        raise CocoError([Issue(file, "", f"is not valid JSON: {exc}")]) from None


def _is_int(v):
    return isinstance(v, int) and not isinstance(v, bool)


def _is_number(v):
    return isinstance(v, (int, float)) and not isinstance(v, bool) and math.isfinite(v)


def _fmt(v):
    return json.dumps(v) if not isinstance(v, float) else f"{v:g}"


def _percentiles(values):
    if not values:
        return {"min": None, "p50": None, "max": None}
    s = sorted(values)
    return {"min": round(s[0], 2), "p50": round(s[(len(s) - 1) // 2], 2), "max": round(s[-1], 2)}


def _sizer(images):
    if callable(images):
        return images

    def from_mapping(name):
        try:
            value = images[name]
        except KeyError:
            raise ImageMissing() from None
        if isinstance(value, str):
            raise ImageUnreadable(value)
        return value

    return from_mapping


def validate(doc, images: Mapping | Callable, *, annotation_file="annotations.json", image_dir="images",
             max_issues=MAX_ISSUES) -> Report:
    """Check a parsed COCO detection document against the real image sizes.

    images: {file_name: (width, height) or "reason it is unreadable"}, or a callable
    file_name -> (width, height) raising ImageMissing / ImageUnreadable.
    image_dir: how image files are named in messages (image_dir/file_name).
    """
    col = _Collector(max_issues)
    af = annotation_file
    size_of = _sizer(images)
    report = Report()

    if not isinstance(doc, dict):
        col.add(af, "", f"must be a JSON object with images, annotations and categories, not {type(doc).__name__}")
        report.issues, report.truncated = col.issues, col.truncated
        return report
    for key in ("images", "annotations", "categories"):
        if key not in doc:
            col.add(af, key, "missing (a COCO detection file needs images, annotations and categories)")
        elif not isinstance(doc[key], list):
            col.add(af, key, f"must be a list, not {type(doc[key]).__name__}")
    raw_images = doc.get("images") if isinstance(doc.get("images"), list) else []
    raw_anns = doc.get("annotations") if isinstance(doc.get("annotations"), list) else []
    raw_cats = doc.get("categories") if isinstance(doc.get("categories"), list) else []

    # Categories
    cats = {}
    names = {}
    for i, c in enumerate(raw_cats):
        where = f"categories[{i}]"
        if not isinstance(c, dict):
            col.add(af, where, "must be an object")
            continue
        cid, name = c.get("id"), c.get("name")
        ok = True
        if not _is_int(cid):
            col.add(af, f"{where}.id", f"must be an integer, not {_fmt(cid)}")
            ok = False
        elif cid in cats:
            col.add(af, f"{where}.id", f"duplicate category id {cid} (also categories[{cats[cid][0]}])")
            ok = False
        if not isinstance(name, str) or not name.strip():
            col.add(af, f"{where}.name", "must be a non-empty string")
            ok = False
        elif name in names:
            col.add(af, f"{where}.name", f"duplicate category name {name!r} (also categories[{names[name]}])")
            ok = False
        if ok:
            cats[cid] = (i, name)
            names[name] = i
    if isinstance(doc.get("categories"), list) and not raw_cats:
        col.add(af, "categories", "is empty; a detection dataset needs at least one category")

    # Images: structure first, then the files themselves
    imgs = {}
    file_names = {}
    for i, im in enumerate(raw_images):
        where = f"images[{i}]"
        if not isinstance(im, dict):
            col.add(af, where, "must be an object")
            continue
        iid, fn, w, h = im.get("id"), im.get("file_name"), im.get("width"), im.get("height")
        ok = True
        if not _is_int(iid):
            col.add(af, f"{where}.id", f"must be an integer, not {_fmt(iid)}")
            ok = False
        elif iid in imgs:
            col.add(af, f"{where}.id", f"duplicate image id {iid} (also images[{imgs[iid]['index']}])")
            ok = False
        reason = unsafe_path_reason(fn)
        if reason:
            col.add(af, f"{where}.file_name", f"{_fmt(fn)} {reason}")
            ok = False
        elif fn in file_names:
            col.add(af, f"{where}.file_name", f"{fn!r} is already used by images[{file_names[fn]}]")
            ok = False
        for key, v in (("width", w), ("height", h)):
            if not _is_int(v) or v <= 0:
                col.add(af, f"{where}.{key}", f"must be a positive integer, not {_fmt(v)}")
                ok = False
        if ok:
            imgs[iid] = {"index": i, "file_name": fn, "width": w, "height": h}
            file_names[fn] = i
    if isinstance(doc.get("images"), list) and not raw_images:
        col.add(af, "images", "is empty; there is nothing to import")

    for iid, im in imgs.items():
        if col.full:
            col.truncated = True
            break
        fn = im["file_name"]
        shown = posixpath.join(image_dir, fn) if image_dir else fn
        try:
            real_w, real_h = size_of(fn)
        except ImageMissing as exc:
            col.add(exc.path or shown, "", f"{exc} (named by {af} images[{im['index']}].file_name)")
            im["bad_file"] = True
            continue
        except ImageUnreadable as exc:
            col.add(exc.path or shown, "", str(exc))
            im["bad_file"] = True
            continue
        report.image_sizes[fn] = (real_w, real_h)
        for key, declared, real in (("width", im["width"], real_w), ("height", im["height"], real_h)):
            if declared != real:
                col.add(af, f"images[{im['index']}].{key}",
                        f"declared {declared} but {shown} is {real} px {'wide' if key == 'width' else 'high'}")

    # Annotations
    ann_ids = {}
    per_cat = {cid: 0 for cid in cats}
    per_cat_images = {cid: set() for cid in cats}
    annotated_images = set()
    widths, heights = [], []
    buckets = {"small": 0, "medium": 0, "large": 0}
    for i, a in enumerate(raw_anns):
        if col.full:
            col.truncated = True
            break
        where = f"annotations[{i}]"
        if not isinstance(a, dict):
            col.add(af, where, "must be an object")
            continue
        aid, iid, cid, bbox = a.get("id"), a.get("image_id"), a.get("category_id"), a.get("bbox")
        ok = True
        if not _is_int(aid):
            col.add(af, f"{where}.id", f"must be an integer, not {_fmt(aid)}")
            ok = False
        elif aid in ann_ids:
            col.add(af, f"{where}.id", f"duplicate annotation id {aid} (also annotations[{ann_ids[aid]}])")
            ok = False
        else:
            ann_ids[aid] = i
        image = None
        if not _is_int(iid):
            col.add(af, f"{where}.image_id", f"must be an integer, not {_fmt(iid)}")
            ok = False
        elif iid not in imgs:
            col.add(af, f"{where}.image_id", f"refers to image {iid}, which is not in images")
            ok = False
        else:
            image = imgs[iid]
        if not _is_int(cid):
            col.add(af, f"{where}.category_id", f"must be an integer, not {_fmt(cid)}")
            ok = False
        elif cid not in cats:
            col.add(af, f"{where}.category_id", f"refers to category {cid}, which is not in categories")
            ok = False
        if "iscrowd" in a and not (_is_int(a["iscrowd"]) and a["iscrowd"] in (0, 1)):
            col.add(af, f"{where}.iscrowd", f"must be 0 or 1, not {_fmt(a['iscrowd'])}")
            ok = False
        if "area" in a and (not _is_number(a["area"]) or a["area"] < 0):
            col.add(af, f"{where}.area", f"must be a number >= 0, not {_fmt(a['area'])}")
            ok = False
        if not isinstance(bbox, list) or len(bbox) != 4 or not all(_is_number(v) for v in bbox):
            col.add(af, f"{where}.bbox", f"must be 4 finite numbers [x, y, width, height], not {_fmt(bbox)}")
            continue
        x, y, w, h = bbox
        shown_box = "[" + ", ".join(_fmt(v) for v in bbox) + "]"
        if w <= 0 or h <= 0:
            col.add(af, f"{where}.bbox", f"box {shown_box} has no area (width and height must be > 0)")
            continue
        if image is not None:
            name = image["file_name"]
            W, H = image["width"], image["height"]
            if x < -BOX_TOLERANCE or y < -BOX_TOLERANCE:
                col.add(af, f"{where}.bbox", f"box {shown_box} starts outside image {name!r} (negative x or y)")
                ok = False
            elif x + w > W + BOX_TOLERANCE:
                col.add(af, f"{where}.bbox", f"box {shown_box} extends past image {name!r} width {W}")
                ok = False
            elif y + h > H + BOX_TOLERANCE:
                col.add(af, f"{where}.bbox", f"box {shown_box} extends past image {name!r} height {H}")
                ok = False
        if ok:
            per_cat[cid] += 1
            per_cat_images[cid].add(iid)
            annotated_images.add(iid)
            widths.append(float(w))
            heights.append(float(h))
            area = w * h
            buckets["small" if area < SMALL_AREA else "large" if area >= LARGE_AREA else "medium"] += 1

    report.issues, report.truncated = col.issues, col.truncated
    image_w = [im["width"] for im in imgs.values()]
    image_h = [im["height"] for im in imgs.values()]
    report.stats = {
        "format": "coco",
        "num_images": len(imgs),
        "num_annotations": sum(per_cat.values()),
        "num_categories": len(cats),
        "categories": [{"id": cid, "name": cats[cid][1], "annotations": per_cat[cid],
                        "images": len(per_cat_images[cid])} for cid in sorted(cats)],
        "per_category": {cats[cid][1]: per_cat[cid] for cid in sorted(cats)},
        "clean_images": len(imgs) - len(annotated_images),
        "box_width": _percentiles(widths),
        "box_height": _percentiles(heights),
        "size_buckets": buckets,
        "image_width": _percentiles(image_w),
        "image_height": _percentiles(image_h),
    }
    return report
