"""Importing COCO detection datasets into a new, immutable dataset version.

The source is a zip (a path or a binary file object) or a folder on the server. Nothing
is stored until the whole dataset has been validated; then it is re-packed in the
canonical form (core.data.lib.packaging), stored as one artifact, and recorded as a
version in one transaction. Uploads are only ever read as zip entries, JSON and images:
nothing is unpickled, executed or extracted to a path chosen by the upload.
"""
from __future__ import annotations

import os
import posixpath
import shutil
import tempfile
import zipfile
from contextlib import contextmanager
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction

from core.hub.actions.artifacts import store_file
from core.hub.storage import ArtifactTooLarge
from core.platform import access
from core.platform.lib import roles

from ..lib import archive, coco, packaging
from ..lib.images import DEFAULT_MAX_PIXELS, decoded_size
from .datasets import add_version

GIB = 1024 ** 3
DETECTION = "detection"


def limit(name):
    defaults = {
        "DATA_IMPORT_MAX_FILES": 100_000,
        "DATA_IMPORT_MAX_BYTES": 4 * GIB,
        # Images barely compress and annotation JSON does ~10:1; a zip bomb does 1000:1.
        "DATA_IMPORT_MAX_RATIO": 100,
        "DATA_IMPORT_MAX_JSON_BYTES": 1 * GIB,
        "DATA_IMPORT_MAX_IMAGE_PIXELS": DEFAULT_MAX_PIXELS,
        "DATA_IMPORT_MAX_UPLOAD_BYTES": 2 * GIB,
    }
    return getattr(settings, name, defaults[name])


def import_temp_dir() -> Path:
    path = Path(settings.VAR_DIR) / "tmp" / "imports"
    path.mkdir(parents=True, exist_ok=True)
    return path


def _invalid(messages):
    return ValidationError({"dataset": [str(m) for m in messages]})


def is_annotation_file(name):
    base = posixpath.basename(name)
    parent = posixpath.basename(posixpath.dirname(name))
    return base.endswith(".json") and (
        base == "annotations.json" or base.startswith("instances_") or parent == "annotations")


class _ZipSource:
    def __init__(self, fh, label):
        self.label = label
        self.fh = fh
        count = archive.declared_entry_count(fh)
        max_files = limit("DATA_IMPORT_MAX_FILES")
        if count is not None and count > max_files:
            raise _invalid([f"{label}: has {count} entries, more than the {max_files} allowed"])
        try:
            self.zf = zipfile.ZipFile(fh)
        except (zipfile.BadZipFile, OSError, ValueError, EOFError) as exc:
            raise _invalid([f"{label}: not a readable zip file ({exc})"]) from None
        check = archive.check_members(self.zf.infolist(), archive=label, max_files=max_files,
                                      max_bytes=limit("DATA_IMPORT_MAX_BYTES"),
                                      max_ratio=limit("DATA_IMPORT_MAX_RATIO"))
        if check.issues:
            raise _invalid(check.issues)
        if check.too_large:
            raise ArtifactTooLarge(check.too_large)
        self.members = check.members

    def names(self):
        return self.members.keys()

    def size(self, name):
        return self.members[name].file_size

    def open(self, name):
        return self.zf.open(self.members[name])

    def close(self):
        self.zf.close()


class _FolderSource:
    def __init__(self, root: Path, label):
        self.label = label
        self.root = root
        max_files = limit("DATA_IMPORT_MAX_FILES")
        self.sizes = {}
        problems = []
        for dirpath, dirnames, filenames in os.walk(root, followlinks=False):
            rel_dir = Path(dirpath).relative_to(root).as_posix()
            for d in dirnames:
                if os.path.islink(os.path.join(dirpath, d)):
                    rel = posixpath.normpath(posixpath.join(rel_dir, d))
                    problems.append(f"{rel}: refused: symbolic links are not allowed")
            for f in filenames:
                rel = posixpath.normpath(posixpath.join(rel_dir, f))
                full = os.path.join(dirpath, f)
                if os.path.islink(full):
                    problems.append(f"{rel}: refused: symbolic links are not allowed")
                    continue
                if archive.is_junk(rel):
                    continue
                self.sizes[rel] = os.path.getsize(full)
                if len(self.sizes) > max_files:
                    raise _invalid([f"{label}: has more than the {max_files} files allowed"])
        if problems:
            raise _invalid(problems[:coco.MAX_ISSUES])

    def names(self):
        return self.sizes.keys()

    def size(self, name):
        return self.sizes[name]

    def open(self, name):
        return open(self.root / name, "rb")

    def close(self):
        pass


@contextmanager
def _opened(source, prefix):
    """(the source opened, a private temporary folder), closed and removed however the import
    ends; a caller's file object stays the caller's to close."""
    src = _open_source(source)
    tmp = Path(tempfile.mkdtemp(prefix=prefix, dir=import_temp_dir()))
    try:
        yield src, tmp
    finally:
        src.close()
        if isinstance(src, _ZipSource) and not hasattr(source, "read"):
            src.fh.close()
        shutil.rmtree(tmp, ignore_errors=True)


def _open_source(source):
    if hasattr(source, "read"):
        return _ZipSource(source, posixpath.basename(getattr(source, "name", "") or "") or "upload.zip")
    path = Path(source)
    label = path.name or str(path)
    if path.is_dir():
        return _FolderSource(path, label)
    if path.is_file():
        fh = open(path, "rb")
        try:
            return _ZipSource(fh, label)
        except BaseException:
            fh.close()
            raise
    raise _invalid([f"{label}: no such file or folder"])


def _describe(source, src):
    if hasattr(source, "read"):
        return f"COCO zip {src.label}"
    return f"COCO {'folder' if isinstance(src, _FolderSource) else 'zip'} {source}"


def _find_annotations(src):
    found = sorted(n for n in src.names() if is_annotation_file(n))
    if len(found) == 1:
        return found[0]
    if not found:
        raise _invalid([f"{src.label}: no annotation file found; expected annotations.json, instances_*.json "
                        f"or annotations/*.json"])
    raise _invalid([f"{src.label}: found {len(found)} annotation files ({', '.join(found[:10])}); "
                    f"keep exactly one"])


def _dataset_root(annotation_name):
    folder = posixpath.dirname(annotation_name)
    if posixpath.basename(folder) == "annotations":
        folder = posixpath.dirname(folder)
    return folder


def _read_all(src, name, max_bytes):
    with src.open(name) as fh:
        data = fh.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise ArtifactTooLarge(f"{name} is larger than the {max_bytes} byte limit")
    return data


def validate_source(src, progress=None):
    """Validate a dataset source. Returns (document, {file_name: member name}, stats, annotation name);
    raises ValidationError naming every problem found (up to a cap). `progress(done, total)` is
    told as the images are decoded."""
    ann = _find_annotations(src)
    max_json = limit("DATA_IMPORT_MAX_JSON_BYTES")
    if src.size(ann) > max_json:
        raise ArtifactTooLarge(f"{ann} is {src.size(ann)} bytes, more than the {max_json} byte limit")
    try:
        doc = coco.load_json(_read_all(src, ann, max_json), file=ann)
    except coco.CocoError as exc:
        raise _invalid(exc.issues) from None
    root = _dataset_root(ann)
    max_pixels = limit("DATA_IMPORT_MAX_IMAGE_PIXELS")
    max_bytes = limit("DATA_IMPORT_MAX_BYTES")
    resolved = {}
    total = src.size(ann)

    count = len(doc.get("images", [])) if isinstance(doc.get("images"), list) else 0
    checked = 0

    def image_size(file_name):
        nonlocal total, checked
        checked += 1
        if progress is not None and (checked % 25 == 0 or checked == count):
            progress(checked, count)
        candidates = [posixpath.join(root, file_name), posixpath.join(root, packaging.IMAGES_DIR, file_name)]
        names = src.names()
        member = next((c for c in candidates if c in names), None)
        if member is None:
            raise coco.ImageMissing(f"file is missing (looked for {' and '.join(candidates)})",
                                    path=candidates[-1])
        resolved[file_name] = member
        total += src.size(member)
        # Checked as it goes so a folder of huge files is refused before they are all decoded.
        if total > max_bytes:
            raise ArtifactTooLarge(f"the dataset is more than the {max_bytes} byte limit for an import")
        try:
            return decoded_size(_read_all(src, member, src.size(member)), max_pixels=max_pixels)
        except coco.ImageUnreadable as exc:
            raise coco.ImageUnreadable(str(exc), path=member) from None

    report = coco.validate(doc, image_size, annotation_file=ann,
                           image_dir=posixpath.join(root, packaging.IMAGES_DIR))
    if not report.ok:
        raise _invalid(report.messages())
    stats = dict(report.stats, source_annotations=ann)
    return doc, resolved, stats, ann


def import_coco(source, *, dataset, acting_user, source_label="", progress=None):
    """Validate a COCO detection dataset (zip path, folder path or binary zip file object),
    store its canonical zip as an artifact and add it as the dataset's next version.
    Raises ValidationError {"dataset": [...]} naming every bad file and field,
    PermissionError, or ArtifactTooLarge; in each case nothing is stored."""
    if acting_user is not None and not access.can(acting_user, roles.DEVELOP, dataset.organisation):
        raise PermissionError(f"you may not add dataset versions in {dataset.organisation}")
    if dataset.kind != DETECTION:
        raise _invalid([f"dataset {dataset.name!r} is of kind {dataset.kind!r}; COCO import needs a "
                        f"{DETECTION!r} dataset"])
    with _opened(source, "coco-") as (src, tmp):
        doc, resolved, stats, ann = validate_source(src, progress)
        zip_path = tmp / "dataset.zip"
        packaging.write_canonical_zip(zip_path, doc, lambda fn: src.open(resolved[fn]))
        with transaction.atomic():
            artifact, _ = store_file(zip_path, filename=f"{dataset.name}-coco.zip", organisation=dataset.organisation,
                                     acting_user=acting_user, content_type="application/zip",
                                     max_bytes=zip_path.stat().st_size)
            return add_version(dataset, artifact=artifact, acting_user=acting_user, num_records=stats["num_images"],
                               stats=stats, source=(source_label or _describe(source, src))[:500])


MAX_VOC_XML_BYTES = 1024 * 1024


def import_voc(source, *, dataset, acting_user, source_label="", progress=None):
    """A Pascal VOC set (zip or folder: Annotations/*.xml and the images they name, in
    JPEGImages/ or anywhere in the set) as the dataset's next version: converted to COCO and
    imported through the same checks as import_coco (every image decoded, every box inside its
    image). Every unreadable file is named; nothing is stored unless all of it is sound."""
    import json

    from ..lib import voc

    if acting_user is not None and not access.can(acting_user, roles.DEVELOP, dataset.organisation):
        raise PermissionError(f"you may not add dataset versions in {dataset.organisation}")
    if dataset.kind != DETECTION:
        raise _invalid([f"dataset {dataset.name!r} is of kind {dataset.kind!r}; a VOC import needs a "
                        f"{DETECTION!r} dataset"])
    with _opened(source, "voc-") as (src, tmp):
        names = [n for n in src.names() if n.lower().endswith(".xml")]
        if not names:
            raise _invalid([f"{src.label}: no Pascal VOC annotation (.xml) found; expected Annotations/*.xml"])
        by_base = {}
        for n in src.names():
            if not n.lower().endswith(".xml"):
                by_base.setdefault(posixpath.basename(n), []).append(n)
        parsed, issues = [], []
        for name in sorted(names):
            if src.size(name) > MAX_VOC_XML_BYTES:
                issues.append(f"{name}: {src.size(name)} bytes, more than {MAX_VOC_XML_BYTES} for one annotation")
                continue
            try:
                item = voc.parse(_read_all(src, name, MAX_VOC_XML_BYTES), name=name)
            except voc.VocError as exc:
                issues.extend(exc.issues)
                continue
            base = posixpath.basename(item["file_name"])
            found = by_base.get(base, [])
            if len(found) != 1:
                issues.append(f"{name}: names image {base!r}, " + ("which is not in the set" if not found else
                                                                   f"found {len(found)} times"))
                continue
            parsed.append((item, found[0]))
            if len(issues) >= 50:
                break
        if issues:
            raise _invalid(issues)
        doc = voc.to_coco([p for p, _ in parsed])
        (tmp / "images").mkdir()
        for item, member in parsed:
            with src.open(member) as fh, open(tmp / "images" / posixpath.basename(item["file_name"]), "wb") as out:
                shutil.copyfileobj(fh, out, 1024 * 1024)
        (tmp / "annotations.json").write_text(json.dumps(doc))
        label = source_label or f"Pascal VOC {_describe(source, src)}"
        return import_coco(tmp, dataset=dataset, acting_user=acting_user, source_label=label, progress=progress)


CLASSIFICATION = "classification"


def import_class_folders(source, *, dataset, acting_user, source_label="", progress=None):
    """A zip or folder of class folders (class/image.png) as the next version of an image-
    classification dataset: every image decoded, stored in the canonical zip with one
    image-level label each. Every bad file is named; nothing is stored on refusal."""
    from ..lib import class_folders

    if acting_user is not None and not access.can(acting_user, roles.DEVELOP, dataset.organisation):
        raise PermissionError(f"you may not add dataset versions in {dataset.organisation}")
    if dataset.kind != CLASSIFICATION:
        raise _invalid([f"dataset {dataset.name!r} is of kind {dataset.kind!r}; class folders import into a "
                        f"{CLASSIFICATION!r} dataset"])
    with _opened(source, "classes-") as (src, tmp):
        try:
            members = class_folders.layout(src.names())
        except class_folders.ClassFolderError as exc:
            raise _invalid([f"{src.label}: {m}" for m in exc.issues]) from None
        max_pixels, max_bytes = limit("DATA_IMPORT_MAX_IMAGE_PIXELS"), limit("DATA_IMPORT_MAX_BYTES")
        sizes, issues, total = {}, [], 0
        for n, name in enumerate(sorted(members), start=1):
            if progress is not None and (n % 25 == 0 or n == len(members)):
                progress(n, len(members))
            total += src.size(name)
            if total > max_bytes:
                raise ArtifactTooLarge(f"the dataset is more than the {max_bytes} byte limit for an import")
            try:
                sizes[name] = decoded_size(_read_all(src, name, src.size(name)), max_pixels=max_pixels)
            except coco.ImageUnreadable as exc:
                issues.append(f"{name}: {exc}")
                if len(issues) >= 50:
                    break
        if issues:
            raise _invalid(issues)
        doc = class_folders.document(members, sizes)
        by_file = {im["file_name"]: name for im, name in zip(doc["images"], sorted(members))}
        if len(by_file) != len(members):
            raise _invalid([f"{src.label}: two images of one class share a file name"])
        zip_path = tmp / "dataset.zip"
        packaging.write_canonical_zip(zip_path, doc, lambda fn: src.open(by_file[fn]))
        counts = {}
        for name in members.values():
            counts[name] = counts.get(name, 0) + 1
        stats = {"num_images": len(members), "num_classes": len(counts), "per_class": counts}
        with transaction.atomic():
            artifact, _ = store_file(zip_path, filename=f"{dataset.name}-classes.zip", organisation=dataset.organisation,
                                     acting_user=acting_user, content_type="application/zip",
                                     max_bytes=zip_path.stat().st_size)
            return add_version(dataset, artifact=artifact, acting_user=acting_user, num_records=len(members),
                               stats=stats, source=(source_label or _describe(source, src))[:500])


TEXT = "text"
MAX_TEXT_UPLOAD = 256 * 1024 * 1024


def import_text_jsonl(data: bytes, *, dataset, acting_user, source_label="", name="data.jsonl"):
    """A JSON Lines upload (text, optional label and entity spans) as the next version of a text
    dataset, kept in canonical form. Every bad line is named; nothing is stored on refusal."""
    from ..lib import texts

    if acting_user is not None and not access.can(acting_user, roles.DEVELOP, dataset.organisation):
        raise PermissionError(f"you may not add dataset versions in {dataset.organisation}")
    if dataset.kind != TEXT:
        raise _invalid([f"dataset {dataset.name!r} is of kind {dataset.kind!r}; JSON Lines import into a "
                        f"{TEXT!r} dataset"])
    if len(data) > MAX_TEXT_UPLOAD:
        raise ArtifactTooLarge(f"{name} is {len(data)} bytes, more than {MAX_TEXT_UPLOAD} for a text import")
    try:
        samples = texts.parse_jsonl(data, name=name)
    except texts.TextError as exc:
        raise _invalid(exc.issues) from None
    index = texts.text_index(samples)
    return _store_text(dataset, texts.canonical_jsonl(samples), index, acting_user,
                       source_label or f"JSON Lines {name!r}")


def _store_text(dataset, canonical: bytes, index, acting_user, source, derived_from=None):
    tmp = Path(tempfile.mkdtemp(prefix="text-", dir=import_temp_dir()))
    try:
        path = tmp / "data.jsonl"
        path.write_bytes(canonical)
        stats = {"num_texts": len(index.samples), "classes": index.categories, "entity_types": index.entity_types,
                 "unlabelled": index.unlabelled()}
        with transaction.atomic():
            artifact, _ = store_file(path, filename=f"{dataset.name}.jsonl", organisation=dataset.organisation,
                                     acting_user=acting_user, content_type="application/x-ndjson",
                                     max_bytes=path.stat().st_size)
            return add_version(dataset, artifact=artifact, acting_user=acting_user, num_records=len(index.samples),
                               stats=stats, source=source[:500], derived_from=derived_from)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
