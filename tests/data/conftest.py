import io
import json
import zipfile
from pathlib import Path

import pytest
from PIL import Image

from core.data.actions.datasets import create_dataset


def png_bytes(width, height, value=128):
    buf = io.BytesIO()
    Image.new("RGB", (width, height), (value, value, value)).save(buf, format="PNG")
    return buf.getvalue()


def small_doc():
    """Three small images, two categories, one clean image."""
    return {
        "info": {"description": "test"},
        "images": [
            {"id": 1, "file_name": "img_001.png", "width": 64, "height": 48},
            {"id": 2, "file_name": "img_002.png", "width": 64, "height": 48},
            {"id": 3, "file_name": "img_003.png", "width": 40, "height": 40},
        ],
        "annotations": [
            {"id": 1, "image_id": 1, "category_id": 1, "bbox": [4, 4, 10, 8], "area": 80, "iscrowd": 0},
            {"id": 2, "image_id": 1, "category_id": 2, "bbox": [20, 10, 40, 36], "area": 1440, "iscrowd": 0},
            {"id": 3, "image_id": 2, "category_id": 1, "bbox": [0, 0, 64, 48]},
        ],
        "categories": [{"id": 1, "name": "scratch"}, {"id": 2, "name": "black_spot"}],
    }


def write_coco(folder: Path, doc=None, *, images=None, annotation_name="annotations.json", image_dir="images"):
    """A COCO folder: the annotation file plus one PNG per image entry (sizes as declared),
    unless `images` maps file names to the bytes to write instead."""
    doc = small_doc() if doc is None else doc
    folder.mkdir(parents=True, exist_ok=True)
    (folder / annotation_name).parent.mkdir(parents=True, exist_ok=True)
    (folder / annotation_name).write_text(json.dumps(doc))
    if images is None:
        images = {im["file_name"]: png_bytes(im["width"], im["height"], 40 + 20 * i)
                  for i, im in enumerate(doc["images"])}
    for name, data in images.items():
        path = folder / image_dir / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    return folder


def zip_folder(folder: Path, out: Path, *, reverse=False, prefix="", extra=None, compression=zipfile.ZIP_DEFLATED):
    """Zip a folder (optionally in reverse order, under a wrapper folder, with extra entries)."""
    files = sorted(p for p in folder.rglob("*") if p.is_file())
    if reverse:
        files.reverse()
    with zipfile.ZipFile(out, "w", compression) as zf:
        for p in files:
            zf.write(p, prefix + p.relative_to(folder).as_posix())
        for name, data in (extra or {}).items():
            zf.writestr(name, data)
    return out


@pytest.fixture
def det_dataset(orgs, users):
    return create_dataset(name="separator", organisation=orgs["a"], kind="detection", acting_user=users["a_dev"])


@pytest.fixture(autouse=True)
def own_var_dir(settings, tmp_path):
    """Artifacts, caches and temp files in a folder of this test's own, so one test's files
    (which outlive its rolled-back database) cannot satisfy or spoil another's checks."""
    settings.VAR_DIR = tmp_path / "var"
    settings.ARTIFACT_STORAGE_ROOT = tmp_path / "var" / "artifacts"
