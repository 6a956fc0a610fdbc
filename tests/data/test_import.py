"""Importing COCO datasets: canonical content hash, nothing half-written, the API, materialize."""
import io
import json
import os
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.test import override_settings

from core.data.actions import importers
from core.data.actions.datasets import create_dataset
from core.data.actions.importers import import_coco, import_temp_dir
from core.data.lib import packaging
from core.data.materialize import cache_root, materialize
from core.data.models import DatasetVersion
from core.hub.models import Artifact
from core.hub.storage import get_storage
from core.platform.models import AuditEvent

from .conftest import small_doc, write_coco, zip_folder


def leftovers():
    return list(import_temp_dir().iterdir()) + list(get_storage().temp_dir().iterdir())


def test_import_folder_makes_a_version_with_stats(tmp_path, det_dataset, users):
    folder = write_coco(tmp_path / "c")
    dv = import_coco(folder, dataset=det_dataset, acting_user=users["a_dev"])
    assert dv.version == 1 and dv.num_records == 3 and dv.created_by == users["a_dev"]
    assert dv.stats["per_category"] == {"scratch": 2, "black_spot": 1}
    assert dv.stats["clean_images"] == 1 and dv.stats["num_annotations"] == 3
    assert dv.stats["size_buckets"] == {"small": 1, "medium": 2, "large": 0}
    assert dv.source == f"COCO folder {folder}"
    assert len(dv.content_hash) == 64 and get_storage().exists(dv.content_hash)
    event = AuditEvent.objects.filter(action="dataset_version.create").latest("seq")
    assert event.data["sha256"] == dv.content_hash and event.actor == users["a_dev"]
    assert leftovers() == []


def test_canonical_zip_layout_is_fixed(tmp_path, det_dataset, users):
    dv = import_coco(write_coco(tmp_path / "c"), dataset=det_dataset, acting_user=users["a_dev"])
    with zipfile.ZipFile(get_storage().local_path(dv.content_hash)) as zf:
        infos = zf.infolist()
        assert [i.filename for i in infos] == [
            "annotations.json", "images/img_001.png", "images/img_002.png", "images/img_003.png"]
        assert {i.date_time for i in infos} == {(1980, 1, 1, 0, 0, 0)}
        assert {i.external_attr >> 16 for i in infos} == {0o100644}
        doc = json.loads(zf.read("annotations.json"))
        assert zf.read("annotations.json") == packaging.canonical_json(small_doc())
    assert [im["id"] for im in doc["images"]] == [1, 2, 3]


def test_same_content_gives_the_same_hash_whatever_the_packing(tmp_path, det_dataset, users):
    dev = users["a_dev"]
    folder = write_coco(tmp_path / "c")
    first = import_coco(folder, dataset=det_dataset, acting_user=dev)
    # a zip of the same folder, entries reversed, stored not deflated, under a wrapper folder, with junk
    zipped = zip_folder(folder, tmp_path / "other.zip", reverse=True, prefix="export/",
                        compression=zipfile.ZIP_STORED, extra={"__MACOSX/._img": "x", "export/.DS_Store": "x"})
    second = import_coco(zipped, dataset=det_dataset, acting_user=dev)
    # the same document with its lists shuffled and keys in another order
    doc = small_doc()
    doc["images"].reverse()
    doc["annotations"].reverse()
    same_images = {p.name: p.read_bytes() for p in (folder / "images").iterdir()}
    shuffled = write_coco(tmp_path / "d", {k: doc[k] for k in reversed(list(doc))}, images=same_images)
    with open(zip_folder(shuffled, tmp_path / "d.zip"), "rb") as fh:
        third = import_coco(fh, dataset=det_dataset, acting_user=dev)
    assert first.content_hash == second.content_hash == third.content_hash
    assert [first.version, second.version, third.version] == [1, 2, 3]
    assert Artifact.objects.count() == 1
    assert third.source == "COCO zip d.zip"
    # and different content gives a different hash
    changed = small_doc()
    changed["annotations"][0]["bbox"] = [5, 4, 10, 8]
    fourth = import_coco(write_coco(tmp_path / "e", changed), dataset=det_dataset, acting_user=dev)
    assert fourth.content_hash != first.content_hash


def test_layouts_users_export(tmp_path, det_dataset, users):
    # images next to the JSON, file names with sub-folders, CVAT-style annotations/instances_default.json
    doc = small_doc()
    doc["images"][0]["file_name"] = "line1/img_001.png"
    folder = write_coco(tmp_path / "c", doc, annotation_name="annotations/instances_default.json", image_dir="")
    dv = import_coco(zip_folder(folder, tmp_path / "c.zip"), dataset=det_dataset, acting_user=users["a_dev"])
    assert dv.stats["source_annotations"] == "annotations/instances_default.json"
    root = materialize(dv)
    assert (root / "images" / "line1" / "img_001.png").is_file()


def test_failed_import_leaves_nothing(tmp_path, det_dataset, users):
    before = AuditEvent.objects.count()
    doc = small_doc()
    doc["annotations"][0]["bbox"] = [60, 0, 30, 10]
    with pytest.raises(ValidationError):
        import_coco(write_coco(tmp_path / "bad", doc), dataset=det_dataset, acting_user=users["a_dev"])
    assert DatasetVersion.objects.count() == 0 and Artifact.objects.count() == 0
    assert AuditEvent.objects.count() == before and leftovers() == []


def test_failure_while_recording_rolls_back_the_artifact(tmp_path, det_dataset, users, monkeypatch):
    def boom(*args, **kwargs):
        raise RuntimeError("database went away")

    monkeypatch.setattr(importers, "add_version", boom)
    before = AuditEvent.objects.count()
    with pytest.raises(RuntimeError):
        import_coco(write_coco(tmp_path / "c"), dataset=det_dataset, acting_user=users["a_dev"])
    assert DatasetVersion.objects.count() == 0 and Artifact.objects.count() == 0
    assert AuditEvent.objects.count() == before and leftovers() == []


def test_permission_and_kind(tmp_path, det_dataset, users, orgs):
    folder = write_coco(tmp_path / "c")
    for who in ("a_viewer", "b_dev"):
        with pytest.raises(PermissionError):
            import_coco(folder, dataset=det_dataset, acting_user=users[who])
    tabular = create_dataset(name="heat", organisation=orgs["a"], kind="tabular", acting_user=users["a_dev"])
    with pytest.raises(ValidationError, match="needs a 'detection' dataset"):
        import_coco(folder, dataset=tabular, acting_user=users["a_dev"])
    assert DatasetVersion.objects.count() == 0


def test_materialize_round_trip(tmp_path, det_dataset, users):
    folder = write_coco(tmp_path / "c")
    dv = import_coco(folder, dataset=det_dataset, acting_user=users["a_dev"])
    root = materialize(dv)
    assert root == cache_root() / dv.content_hash
    assert json.loads((root / "annotations.json").read_text()) == json.loads(packaging.canonical_json(small_doc()))
    for name in ("img_001.png", "img_002.png", "img_003.png"):
        assert (root / "images" / name).read_bytes() == (folder / "images" / name).read_bytes()
        assert not os.access(root / "images" / name, os.W_OK) or os.geteuid() == 0
        assert (root / "images" / name).stat().st_mode & 0o777 == 0o444
    mtime = (root / "annotations.json").stat().st_mtime_ns
    assert materialize(dv) == root and (root / "annotations.json").stat().st_mtime_ns == mtime
    assert [p.name for p in cache_root().iterdir()] == [dv.content_hash]


def test_materialize_refuses_a_corrupted_artifact(tmp_path, det_dataset, users):
    from core.hub.actions.artifacts import ArtifactCorrupt

    dv = import_coco(write_coco(tmp_path / "c"), dataset=det_dataset, acting_user=users["a_dev"])
    path = get_storage().local_path(dv.content_hash)
    os.chmod(path, 0o644)
    path.write_bytes(b"PK tampered")
    with pytest.raises(ArtifactCorrupt):
        materialize(dv)
    assert not (cache_root() / dv.content_hash).exists()
    assert [p for p in cache_root().iterdir()] == []


def test_materialize_refuses_a_version_that_is_not_a_packaged_dataset(orgs, users):
    from core.data.actions.datasets import add_version
    from core.data.materialize import NotADataset
    from core.hub.actions.artifacts import store_artifact

    ds = create_dataset(name="heat", organisation=orgs["a"], kind="tabular", acting_user=users["a_dev"])
    artifact, _ = store_artifact(io.BytesIO(b"a,b\n1,2\n"), filename="heat.csv", organisation=orgs["a"],
                                 acting_user=users["a_dev"])
    dv = add_version(ds, artifact=artifact, acting_user=users["a_dev"])
    with pytest.raises(NotADataset, match="not a packaged dataset"):
        materialize(dv)
    assert list(cache_root().iterdir()) == []


# The API


def _upload(api, user, ds, data: bytes, name="data.zip", **extra):
    f = io.BytesIO(data)
    f.name = name
    return api(user).post(f"/api/v1/datasets/{ds.pk}/import-coco/", {"file": f, **extra}, format="multipart")


def test_api_import_201_and_versions_list(tmp_path, det_dataset, users, api):
    data = zip_folder(write_coco(tmp_path / "c"), tmp_path / "c.zip").read_bytes()
    r = _upload(api, users["a_dev"], det_dataset, data, name="line3-2024.zip")
    assert r.status_code == 201, r.content
    body = r.json()
    assert body["version"] == 1 and body["num_records"] == 3 and len(body["content_hash"]) == 64
    assert body["stats"]["per_category"] == {"scratch": 2, "black_spot": 1}
    assert body["source"] == "COCO zip 'line3-2024.zip' uploaded by a_dev"
    listed = api(users["a_viewer"]).get(f"/api/v1/datasets/{det_dataset.pk}/versions/").json()
    assert listed[0]["stats"]["num_images"] == 3 and listed[0]["content_hash"] == body["content_hash"]
    r = _upload(api, users["a_dev"], det_dataset, data, source="camera 3, March")
    assert r.status_code == 201 and r.json()["source"] == "camera 3, March"
    assert r.json()["content_hash"] == body["content_hash"] and r.json()["version"] == 2


def test_api_400_names_file_and_field(tmp_path, det_dataset, users, api):
    doc = small_doc()
    doc["annotations"][1]["bbox"] = [30, 10, 40, 20]
    data = zip_folder(write_coco(tmp_path / "c", doc), tmp_path / "c.zip").read_bytes()
    r = _upload(api, users["a_dev"], det_dataset, data)
    assert r.status_code == 400
    body = r.json()
    expected = "annotations.json: annotations[1].bbox: box [30, 10, 40, 20] extends past image 'img_001.png' width 64"
    assert body["errors"]["dataset"] == [expected] and expected in body["message"]
    r = _upload(api, users["a_dev"], det_dataset, b"not a zip at all")
    assert r.status_code == 400 and "not a readable zip file" in r.json()["message"]
    r = api(users["a_dev"]).post(f"/api/v1/datasets/{det_dataset.pk}/import-coco/", {}, format="multipart")
    assert r.status_code == 400 and "file" in r.json()["errors"]
    assert DatasetVersion.objects.count() == 0 and Artifact.objects.count() == 0 and leftovers() == []


def test_api_403_and_404(tmp_path, det_dataset, users, api):
    data = zip_folder(write_coco(tmp_path / "c"), tmp_path / "c.zip").read_bytes()
    r = _upload(api, users["a_viewer"], det_dataset, data)
    assert r.status_code == 403 and "may not add dataset versions" in r.json()["message"]
    assert _upload(api, users["b_dev"], det_dataset, data).status_code == 404
    assert _upload(api, None, det_dataset, data).status_code in (401, 403)
    assert DatasetVersion.objects.count() == 0


def test_api_413(tmp_path, det_dataset, users, api):
    data = zip_folder(write_coco(tmp_path / "c"), tmp_path / "c.zip").read_bytes()
    with override_settings(DATA_IMPORT_MAX_UPLOAD_BYTES=100):
        r = _upload(api, users["a_dev"], det_dataset, data + b"\0" * (70 * 1024))
        assert r.status_code == 413 and "byte limit for a dataset import" in r.json()["message"]
        r = _upload(api, users["a_dev"], det_dataset, data)  # under the slack for form overhead
        assert r.status_code == 413 and r.json()["status"] == 413
    with override_settings(DATA_IMPORT_MAX_BYTES=300):
        r = _upload(api, users["a_dev"], det_dataset, data)
        assert r.status_code == 413 and "300 byte limit" in r.json()["message"]
    assert DatasetVersion.objects.count() == 0 and Artifact.objects.count() == 0 and leftovers() == []


def test_api_schema_lists_the_import(api, users):
    paths = api(users["a_viewer"]).get("/api/schema/?format=json").json()["paths"]
    assert "/api/v1/datasets/{id}/import-coco/" in paths
