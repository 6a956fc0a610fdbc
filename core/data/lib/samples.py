"""What a detection dataset's pages show, read from its canonical COCO document: each
sample (an image with its boxes), the filters a gallery offers, and the distributions of
classes and box sizes. Pure: stdlib only."""
from __future__ import annotations

import math
from dataclasses import dataclass, field

# COCO's area bands (pixels of the box): small < 32², medium < 96², large beyond
SIZE_BANDS = (("small", 32 * 32), ("medium", 96 * 96), ("large", math.inf))
STATES = ("labelled", "unlabelled")


def select(samples, known, *, category=None, state=None):
    """Of `samples` (each with .classes and .labelled), those showing `category` (one of
    `known`), and/or in `state` ("labelled" / "unlabelled")."""
    if state is not None and state not in STATES:
        raise ValueError(f"state must be one of {', '.join(STATES)}, got {state!r}")
    if category is not None and category not in known:
        raise ValueError(f"no class {category!r} in this dataset; classes: {', '.join(known)}")
    out = samples
    if category is not None:
        out = [s for s in out if category in s.classes]
    if state is not None:
        out = [s for s in out if s.labelled == (state == "labelled")]
    return out


@dataclass(frozen=True)
class Box:
    category: str
    x: float
    y: float
    w: float
    h: float

    @property
    def area(self):
        return self.w * self.h


@dataclass(frozen=True)
class Sample:
    id: int
    file_name: str
    width: int
    height: int
    boxes: tuple = ()
    tags: tuple = ()       # image-level classes (a classification set)

    @property
    def classes(self):
        return sorted({b.category for b in self.boxes} | set(self.tags))

    @property
    def labelled(self):
        return bool(self.boxes or self.tags)

    def as_dict(self):
        return {"id": self.id, "file_name": self.file_name, "width": self.width, "height": self.height,
                "boxes": [{"category": b.category, "bbox": [b.x, b.y, b.w, b.h]} for b in self.boxes],
                "labels": list(self.tags)}


@dataclass
class SampleIndex:
    samples: list                                   # Sample, by id
    categories: list                                # category names, by category id
    by_id: dict = field(default_factory=dict)

    def __post_init__(self):
        self.by_id = {s.id: s for s in self.samples}

    def select(self, *, category=None, state=None):
        """The samples showing `category` (a name), and/or `state` ("labelled": with a label)."""
        return select(self.samples, self.categories, category=category, state=state)

    def class_counts(self):
        """{class: (boxes, images showing it)} for every category, zero counts included."""
        boxes = dict.fromkeys(self.categories, 0)
        images = dict.fromkeys(self.categories, 0)
        for s in self.samples:
            for b in s.boxes:
                boxes[b.category] += 1
            for c in s.classes:
                images[c] += 1
        return {c: (boxes[c], images[c]) for c in self.categories}

    def size_bands(self):
        """{band: boxes} over COCO's small / medium / large areas."""
        out = {name: 0 for name, _ in SIZE_BANDS}
        for s in self.samples:
            for b in s.boxes:
                out[next(name for name, limit in SIZE_BANDS if b.area < limit)] += 1
        return out

    def unlabelled(self):
        return sum(1 for s in self.samples if not s.labelled)


def sample_index(doc: dict) -> SampleIndex:
    """The samples of a canonical COCO document (validated on import: ids unique, every
    annotation's image and category present)."""
    categories = {c["id"]: c["name"] for c in doc.get("categories", [])}
    boxes, tags = {}, {}
    for a in doc.get("annotations", []):
        if "bbox" not in a:  # an image-level label (a classification set)
            tags.setdefault(a["image_id"], []).append(categories[a["category_id"]])
            continue
        x, y, w, h = (float(v) for v in a["bbox"])
        boxes.setdefault(a["image_id"], []).append(Box(categories[a["category_id"]], x, y, w, h))
    samples = [Sample(im["id"], im["file_name"], int(im["width"]), int(im["height"]), tuple(boxes.get(im["id"], ())),
                      tuple(tags.get(im["id"], ())))
               for im in sorted(doc.get("images", []), key=lambda im: im["id"])]
    return SampleIndex(samples, [categories[k] for k in sorted(categories)])


def _label_key(sample):
    """A sample's labels as a comparable multiset: boxes rounded to a tenth of a pixel."""
    return sorted((b.category, round(b.x, 1), round(b.y, 1), round(b.w, 1), round(b.h, 1)) for b in sample.boxes) + \
        sorted(("tag", t) for t in sample.tags)


def diff(old: SampleIndex, new: SampleIndex) -> dict:
    """What changed from `old` to `new`, samples matched by file name: added, removed, and
    relabelled (the same image with other boxes or classes); each a sorted list of names."""
    before = {s.file_name: s for s in old.samples}
    after = {s.file_name: s for s in new.samples}
    return {
        "added": sorted(after.keys() - before.keys()),
        "removed": sorted(before.keys() - after.keys()),
        "relabelled": sorted(n for n in before.keys() & after.keys() if _label_key(before[n]) != _label_key(after[n])),
        "unchanged": sum(1 for n in before.keys() & after.keys() if _label_key(before[n]) == _label_key(after[n])),
    }


CSV_HEADER = ("file_name", "width", "height", "class", "x", "y", "w", "h")


def csv_rows(index: SampleIndex):
    """One row per box (x, y: top-left corner in pixels); an image without boxes is one row
    with the box columns empty, so the export lists every image."""
    yield CSV_HEADER
    for s in index.samples:
        for tag in s.tags:
            yield (s.file_name, s.width, s.height, tag, "", "", "", "")
        if not s.labelled:
            yield (s.file_name, s.width, s.height, "", "", "", "", "")
        for b in s.boxes:
            yield (s.file_name, s.width, s.height, b.category, _num(b.x), _num(b.y), _num(b.w), _num(b.h))


def _num(v):
    return int(v) if float(v).is_integer() else round(v, 3)


def voc_xml(sample: Sample, folder="JPEGImages") -> str:
    """Pascal VOC's annotation of one image (xmin/ymin/xmax/ymax, 1-based as VOC counts
    pixels), escaped."""
    from xml.sax.saxutils import escape

    objects = "".join(
        f"<object><name>{escape(b.category)}</name><pose>Unspecified</pose><truncated>0</truncated>"
        f"<difficult>0</difficult><bndbox><xmin>{_num(b.x + 1)}</xmin><ymin>{_num(b.y + 1)}</ymin>"
        f"<xmax>{_num(b.x + b.w)}</xmax><ymax>{_num(b.y + b.h)}</ymax></bndbox></object>"
        for b in sample.boxes)
    return (f"<annotation><folder>{escape(folder)}</folder><filename>{escape(sample.file_name)}</filename>"
            f"<size><width>{sample.width}</width><height>{sample.height}</height><depth>3</depth></size>"
            f"<segmented>0</segmented>{objects}</annotation>")
