"""A dataset version as a folder trainers can read: <VAR_DIR>/cache/datasets/<sha256>/
holding annotations.json and images/<file_name> (the canonical layout, see lib/packaging.py).

The folder is named by the content hash, so every job on the machine shares one copy and
a new version never reuses a stale one. It appears in one rename, so a reader never sees
a half-extracted dataset, and two workers extracting at once both end with the same folder.
"""
from __future__ import annotations

import os
import shutil
import tempfile
import zipfile
from pathlib import Path

from django.conf import settings

from core.hub.actions.artifacts import open_verified_path

from .lib.coco import unsafe_path_reason
from .lib.packaging import ANNOTATIONS


class NotADataset(Exception):
    pass


def cache_root() -> Path:
    path = Path(settings.VAR_DIR) / "cache" / "datasets"
    path.mkdir(parents=True, exist_ok=True)
    return path


def materialize(dataset_version) -> Path:
    """The folder holding the version's annotations.json and images/. The artifact is hashed
    before extraction (open_verified_path); a folder already there is reused as is."""
    sha = dataset_version.artifact_id
    target = cache_root() / sha
    if (target / ANNOTATIONS).is_file():
        return target
    source = open_verified_path(dataset_version.artifact)
    tmp = Path(tempfile.mkdtemp(prefix=f".{sha[:16]}-", dir=cache_root()))
    try:
        try:
            zf = zipfile.ZipFile(source)
        except zipfile.BadZipFile:
            raise NotADataset(f"{dataset_version} is not a packaged dataset (its artifact is not a zip)") from None
        with zf:
            names = zf.namelist()
            if ANNOTATIONS not in names:
                raise NotADataset(f"{dataset_version} has no {ANNOTATIONS}; import it with import_coco")
            for info in zf.infolist():
                # Our own canonical zips only, but the check is cheap and the cache is shared.
                if unsafe_path_reason(info.filename.rstrip("/")):
                    raise NotADataset(f"{dataset_version}: unsafe entry {info.filename!r}")
                if info.is_dir():
                    continue
                dest = tmp / info.filename
                dest.parent.mkdir(parents=True, exist_ok=True)
                with zf.open(info) as src, open(dest, "wb") as out:
                    shutil.copyfileobj(src, out, 1024 * 1024)
                # Read-only: every job shares this copy, and one must not change another's data.
                os.chmod(dest, 0o444)
        try:
            os.rename(tmp, target)
        except OSError:
            if not (target / ANNOTATIONS).is_file():
                raise
            # Another process finished first with the same content; use its copy.
    finally:
        if tmp.exists():
            shutil.rmtree(tmp, ignore_errors=True)
    return target
