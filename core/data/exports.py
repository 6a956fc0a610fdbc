"""A dataset version written out for other tools: COCO (the version's own canonical zip,
verified by its hash), Pascal VOC (Annotations/*.xml + JPEGImages/*) or CSV (one row per
box). Written to a temporary file the caller streams and then drops."""
from __future__ import annotations

import csv
import io
import shutil
import tempfile
import zipfile
from pathlib import Path, PurePosixPath

from core.hub.actions.artifacts import open_verified_path

from . import gallery
from .lib.packaging import IMAGES_DIR
from .lib.samples import csv_rows, voc_xml

FORMATS = {"coco": ("application/zip", "coco.zip"), "voc": ("application/zip", "voc.zip"),
           "csv": ("text/csv; charset=utf-8", "boxes.csv")}


class UnknownFormat(ValueError):
    pass


def export(dataset_version, fmt):
    """(binary file object positioned at 0, content type, file name) of the version in `fmt`."""
    if fmt not in FORMATS:
        raise UnknownFormat(f"format must be one of {', '.join(FORMATS)}, got {fmt!r}")
    content_type, suffix = FORMATS[fmt]
    name = f"{dataset_version.dataset.name}-v{dataset_version.version}-{suffix}"
    if fmt == "coco":
        return open(open_verified_path(dataset_version.artifact), "rb"), content_type, name
    index = gallery.samples_of(dataset_version)
    out = tempfile.TemporaryFile()
    if fmt == "csv":
        text = io.TextIOWrapper(out, encoding="utf-8", newline="", write_through=True)
        csv.writer(text).writerows(csv_rows(index))
        text.detach()
    else:
        images = gallery.materialize(dataset_version) / IMAGES_DIR
        with zipfile.ZipFile(out, "w", zipfile.ZIP_STORED) as zf:
            for s in index.samples:
                stem = PurePosixPath(s.file_name).with_suffix("").as_posix()
                zf.writestr(f"Annotations/{stem}.xml", voc_xml(s))
                with open(Path(images) / s.file_name, "rb") as src, zf.open(f"JPEGImages/{s.file_name}", "w") as dst:
                    shutil.copyfileobj(src, dst, 1024 * 1024)
            zf.writestr("ImageSets/Main/all.txt", "".join(
                PurePosixPath(s.file_name).with_suffix("").as_posix() + "\n" for s in index.samples))
    out.seek(0)
    return out, content_type, name
