"""The canonical form of a COCO dataset: one zip whose bytes depend only on the content.

Layout:  annotations.json        canonical JSON (sorted keys; images, annotations and
                                 categories sorted by id; UTF-8; no insignificant spaces)
         images/<file_name>      each image named in annotations.json, bytes as given

Same content -> same bytes -> same SHA-256, so a dataset version's content hash does not
change with the order of a user's zip, its timestamps, its compression or its junk files.
Pure: stdlib only.
"""
from __future__ import annotations

import json
import shutil
import zipfile
from collections.abc import Callable

ANNOTATIONS = "annotations.json"
IMAGES_DIR = "images"
FIXED_DATE = (1980, 1, 1, 0, 0, 0)  # the earliest a zip can record
FILE_MODE = 0o100644


def canonical_document(doc: dict) -> dict:
    out = dict(doc)
    for key in ("images", "annotations", "categories"):
        if isinstance(out.get(key), list):
            out[key] = sorted(out[key], key=lambda item: item["id"])
    return out


def canonical_json(doc: dict) -> bytes:
    return json.dumps(canonical_document(doc), sort_keys=True, separators=(",", ":"), ensure_ascii=False,
                      allow_nan=False).encode("utf-8")


def _entry(name):
    info = zipfile.ZipInfo(name, date_time=FIXED_DATE)
    # Stored, not deflated: images are compressed already, and deflate output may differ
    # between zlib builds, which would change the hash of identical content.
    info.compress_type = zipfile.ZIP_STORED
    info.create_system = 3
    info.external_attr = FILE_MODE << 16
    return info


def write_canonical_zip(out_path, doc: dict, open_image: Callable[[str], object]) -> list[str]:
    """Write the canonical zip of `doc` to out_path. open_image(file_name) returns a binary
    file object (closed here) with the image's bytes. Returns the entry names written."""
    file_names = sorted(im["file_name"] for im in doc["images"])
    names = [ANNOTATIONS] + [f"{IMAGES_DIR}/{fn}" for fn in file_names]
    with zipfile.ZipFile(out_path, "w", allowZip64=True) as zf:
        zf.writestr(_entry(ANNOTATIONS), canonical_json(doc))
        for fn in file_names:
            with open_image(fn) as src, zf.open(_entry(f"{IMAGES_DIR}/{fn}"), "w") as dst:
                shutil.copyfileobj(src, dst, 1024 * 1024)
    return names
