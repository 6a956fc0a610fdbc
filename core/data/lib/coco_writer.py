"""Writing a COCO detection annotations file, as the synthetic dataset generators do
(verticals.*.lib.synth): images and boxes are added one at a time (ids count up from 1 in
the order added), then written once as annotations.json, keys sorted, one-space indent and a
trailing newline, so a fixed seed gives the same bytes. Pure: no Django."""
from __future__ import annotations

import json
from pathlib import Path


class CocoWriter:
    def __init__(self):
        self.images: list[dict] = []
        self.annotations: list[dict] = []

    def add_image(self, file_name: str, width: int, height: int) -> int:
        """Adds an image (file_name relative to images/) and returns its id."""
        image_id = len(self.images) + 1
        self.images.append({"id": image_id, "file_name": file_name, "width": width, "height": height})
        return image_id

    def add_box(self, image_id: int, category_id: int, x, y, w, h) -> int:
        """Adds an axis-aligned box (x, y the top-left corner, w, h its size, pixels) and returns its id."""
        annotation_id = len(self.annotations) + 1
        self.annotations.append({"id": annotation_id, "image_id": image_id, "category_id": category_id,
                                 "bbox": [x, y, w, h], "area": w * h, "iscrowd": 0})
        return annotation_id

    @property
    def unlabelled_images(self) -> int:
        """How many images carry no box."""
        return len(self.images) - len({a["image_id"] for a in self.annotations})

    def document(self, *, info: dict, categories: list[dict]) -> dict:
        return {"info": info, "licenses": [], "images": self.images, "annotations": self.annotations,
                "categories": categories}

    def write(self, path, *, info: dict, categories: list[dict]) -> Path:
        """Writes the COCO JSON to path (UTF-8) and returns it as a Path."""
        path = Path(path)
        path.write_text(json.dumps(self.document(info=info, categories=categories), sort_keys=True, indent=1) + "\n",
                        encoding="utf-8")
        return path
