"""What a detection dataset's pages show, read from its canonical COCO document: each
sample (an image with its boxes), the filters a gallery offers, and the distributions of
classes and box sizes. Pure: stdlib only."""
from __future__ import annotations

import math
from dataclasses import dataclass, field

# COCO's area bands (pixels of the box): small < 32², medium < 96², large beyond
SIZE_BANDS = (("small", 32 * 32), ("medium", 96 * 96), ("large", math.inf))
STATES = ("labelled", "unlabelled")


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

    @property
    def classes(self):
        return sorted({b.category for b in self.boxes})

    def as_dict(self):
        return {"id": self.id, "file_name": self.file_name, "width": self.width, "height": self.height,
                "boxes": [{"category": b.category, "bbox": [b.x, b.y, b.w, b.h]} for b in self.boxes]}


@dataclass
class SampleIndex:
    samples: list                                   # Sample, by id
    categories: list                                # category names, by category id
    by_id: dict = field(default_factory=dict)

    def __post_init__(self):
        self.by_id = {s.id: s for s in self.samples}

    def select(self, *, category=None, state=None):
        """The samples showing `category` (a name), and/or `state` ("labelled": with a box)."""
        if state is not None and state not in STATES:
            raise ValueError(f"state must be one of {', '.join(STATES)}, got {state!r}")
        if category is not None and category not in self.categories:
            raise ValueError(f"no class {category!r} in this dataset; classes: {', '.join(self.categories)}")
        out = self.samples
        if category is not None:
            out = [s for s in out if any(b.category == category for b in s.boxes)]
        if state == "labelled":
            out = [s for s in out if s.boxes]
        elif state == "unlabelled":
            out = [s for s in out if not s.boxes]
        return out

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
        return sum(1 for s in self.samples if not s.boxes)


def sample_index(doc: dict) -> SampleIndex:
    """The samples of a canonical COCO document (validated on import: ids unique, every
    annotation's image and category present)."""
    categories = {c["id"]: c["name"] for c in doc.get("categories", [])}
    boxes = {}
    for a in doc.get("annotations", []):
        x, y, w, h = (float(v) for v in a["bbox"])
        boxes.setdefault(a["image_id"], []).append(Box(categories[a["category_id"]], x, y, w, h))
    samples = [Sample(im["id"], im["file_name"], int(im["width"]), int(im["height"]), tuple(boxes.get(im["id"], ())))
               for im in sorted(doc.get("images", []), key=lambda im: im["id"])]
    return SampleIndex(samples, [categories[k] for k in sorted(categories)])
