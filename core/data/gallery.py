"""What the dataset pages read from a detection version: its samples (parsed once per content
hash and kept in a small cache) and thumbnails (JPEGs written next to the materialized
version, named by the version's hash and the sample id, so every worker shares them)."""
from __future__ import annotations

import json
import os
import tempfile
import threading
from collections import OrderedDict
from pathlib import Path

from .lib.packaging import ANNOTATIONS, IMAGES_DIR
from .lib.samples import sample_index
from .materialize import cache_root, materialize

THUMB_PX = 192              # the longer side of a gallery thumbnail
KEPT_INDEXES = 8            # parsed versions kept in memory per process
_indexes: OrderedDict = OrderedDict()
_lock = threading.Lock()


class NoSample(LookupError):
    pass


def _kept(sha, build):
    """The index of content `sha`, built by `build()` the first time and kept (LRU)."""
    with _lock:
        if sha in _indexes:
            _indexes.move_to_end(sha)
            return _indexes[sha]
    index = build()
    with _lock:
        _indexes[sha] = index
        while len(_indexes) > KEPT_INDEXES:
            _indexes.popitem(last=False)
    return index


def samples_of(dataset_version):
    """The SampleIndex of an image version (the artifact verified when first materialized)."""
    return _kept(dataset_version.artifact_id, lambda: sample_index(json.loads(
        (materialize(dataset_version) / ANNOTATIONS).read_text(encoding="utf-8"))))


def texts_of(dataset_version):
    """The TextIndex of a text version (its canonical JSON Lines, verified by hash)."""
    from core.hub.actions.artifacts import open_verified_path

    from .lib.texts import parse_jsonl, text_index

    return _kept(dataset_version.artifact_id, lambda: text_index(parse_jsonl(
        Path(open_verified_path(dataset_version.artifact)).read_bytes())))


def image_path(dataset_version, sample_id) -> Path:
    sample = samples_of(dataset_version).by_id.get(sample_id)
    if sample is None:
        raise NoSample(f"{dataset_version} has no sample {sample_id}")
    return materialize(dataset_version) / IMAGES_DIR / sample.file_name


def thumbnail_path(dataset_version, sample_id) -> Path:
    """A JPEG of the sample at most THUMB_PX on its longer side, made on first request."""
    source = image_path(dataset_version, sample_id)
    folder = cache_root().parent / "thumbnails" / dataset_version.artifact_id
    target = folder / f"{int(sample_id)}.jpg"
    if target.is_file():
        return target
    from PIL import Image

    folder.mkdir(parents=True, exist_ok=True)
    with Image.open(source) as im:
        im.thumbnail((THUMB_PX, THUMB_PX))
        fd, tmp = tempfile.mkstemp(prefix=".thumb-", suffix=".jpg", dir=folder)
        with os.fdopen(fd, "wb") as out:
            im.convert("RGB").save(out, "JPEG", quality=80)
    os.replace(tmp, target)  # one rename: a reader never sees half a thumbnail
    return target
