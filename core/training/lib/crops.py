"""Thumbnails for an evaluation report: a padded crop round each box (a detection's false
positive or miss) or the whole image (a classifier's worst example), small JPEGs written
into one zip that the hub keeps beside the evaluation record. Pure: Pillow and the
standard library, no Django.

Each row of the report that gets a picture gets its name in the zip under "image" (flat
names such as "fp-0003.jpg", the only kind the hub serves), so the page finds it."""
from __future__ import annotations

import io
import math
import zipfile
from pathlib import Path

THUMB_PX = 160        # the longer side of a thumbnail
PAD = 0.25            # context round a box: a quarter of its longer side, each way ...
MIN_PAD_PX = 12       # ... and at least this many pixels
JPEG_QUALITY = 85
COLOURS = {"fp": (230, 57, 70), "miss": (255, 159, 28), "worst": None}


def crop_box(size, box, *, pad=PAD, min_pad=MIN_PAD_PX):
    """The padded crop (left, top, right, bottom), whole pixels inside an image of `size`
    (width, height), round box [x1, y1, x2, y2]; at least one pixel each way."""
    width, height = size
    x1, y1, x2, y2 = _ordered(box)
    margin = max(min_pad, pad * max(x2 - x1, y2 - y1))
    left = int(max(0, min(width - 1, math.floor(x1 - margin))))
    top = int(max(0, min(height - 1, math.floor(y1 - margin))))
    right = int(min(width, max(left + 1, math.ceil(x2 + margin))))
    bottom = int(min(height, max(top + 1, math.ceil(y2 + margin))))
    return left, top, right, bottom


def _ordered(box):
    """(x1, y1, x2, y2) with x1 <= x2 and y1 <= y2, whatever order a model gave them in."""
    x1, y1, x2, y2 = (float(v) for v in box)
    return min(x1, x2), min(y1, y2), max(x1, x2), max(y1, y2)


def thumbnail(image, box=None, *, colour=None, size=THUMB_PX, pad=PAD, min_pad=MIN_PAD_PX):
    """A PIL image: the padded crop round `box` (the whole image without one), the box
    outlined in `colour` when given, scaled so its longer side is `size` (small crops are
    enlarged: a 10-pixel defect must be visible)."""
    from PIL import Image, ImageDraw

    image = image.convert("RGB")
    if box is not None:
        left, top, right, bottom = crop_box(image.size, box, pad=pad, min_pad=min_pad)
        image = image.crop((left, top, right, bottom))
        if colour is not None:
            x1, y1, x2, y2 = _ordered(box)
            scale = size / max(image.size)
            image = image.resize((max(1, round(image.width * scale)), max(1, round(image.height * scale))),
                                 Image.BICUBIC)
            rx1, ry1 = (x1 - left) * scale, (y1 - top) * scale
            # a box under a pixel across (an untrained model's) is still outlined, never inverted
            rx2, ry2 = max(rx1, (x2 - left) * scale - 1), max(ry1, (y2 - top) * scale - 1)
            ImageDraw.Draw(image).rectangle([rx1, ry1, rx2, ry2], outline=colour, width=2)
            return image
    scale = size / max(image.size)
    return image.resize((max(1, round(image.width * scale)), max(1, round(image.height * scale))), Image.BICUBIC)


def write_thumbnails(zip_path, rows, image_path, *, prefix, box_key="box", colour=None, size=THUMB_PX):
    """For each row (a dict of the report) whose image `image_path(row)` finds (a path, or
    None to leave the row without a picture), write a thumbnail "<prefix>-<n>.jpg" into the zip
    at `zip_path` (created or added to) and set row["image"] to its name. Each image file is
    read once however many rows point into it. Returns how many were written."""
    from PIL import Image

    if not prefix.replace("_", "").isalnum() or not prefix.islower():
        raise ValueError(f"prefix {prefix!r}: lower-case letters and digits")
    by_path = {}
    for n, row in enumerate(rows):
        path = image_path(row)
        if path is not None:
            by_path.setdefault(str(path), []).append((n, row))
    written = 0
    with zipfile.ZipFile(zip_path, "a", compression=zipfile.ZIP_STORED) as zf:
        taken = set(zf.namelist())
        for path, items in by_path.items():
            if not Path(path).is_file():
                continue
            with Image.open(path) as image:
                image.load()
                for n, row in items:
                    name = f"{prefix}-{n:04d}.jpg"
                    if name in taken:
                        raise ValueError(f"{zip_path} already holds {name}")
                    thumb = thumbnail(image, row.get(box_key), colour=colour, size=size)
                    buf = io.BytesIO()
                    thumb.save(buf, format="JPEG", quality=JPEG_QUALITY)
                    zf.writestr(name, buf.getvalue())
                    taken.add(name)
                    row["image"] = name
                    written += 1
    return written
