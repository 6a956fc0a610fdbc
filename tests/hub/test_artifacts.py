import hashlib

from django.test import override_settings

from core.hub.models import Artifact
from core.hub.storage import get_storage
from core.platform.models import AuditEvent


def _tmp_files():
    tmp = get_storage().temp_dir()
    return [p for p in tmp.iterdir()]


def test_upload_stores_once_by_sha256(upload, users):
    content = b"\x00model-bytes" * 100
    sha = hashlib.sha256(content).hexdigest()
    r = upload(users["a_dev"], "plant-a", content)
    assert r.status_code == 201, r.content
    assert r.json()["sha256"] == sha and r.json()["size"] == len(content)
    path = get_storage().local_path(sha)
    assert path.read_bytes() == content
    again = upload(users["a_dev"], "plant-a", content, filename="copy.bin")
    assert again.status_code == 200 and again.json()["sha256"] == sha
    assert Artifact.objects.count() == 1
    assert AuditEvent.objects.filter(action="artifact.store").count() == 1


def test_declared_hash_mismatch_writes_nothing(upload, users):
    before = AuditEvent.objects.count()
    r = upload(users["a_dev"], "plant-a", b"tampered", sha256="0" * 64)
    assert r.status_code == 400
    assert "hashes to" in r.json()["message"]
    assert Artifact.objects.count() == 0 and AuditEvent.objects.count() == before
    assert _tmp_files() == []
    assert not get_storage().exists(hashlib.sha256(b"tampered").hexdigest())


def test_matching_declared_hash_is_accepted(upload, users):
    r = upload(users["a_dev"], "plant-a", b"good", sha256=hashlib.sha256(b"good").hexdigest().upper())
    assert r.status_code == 201


@override_settings(ARTIFACT_MAX_UPLOAD_BYTES=1000)
def test_too_large_is_refused(upload, users):
    r = upload(users["a_dev"], "plant-a", b"x" * 5000)
    assert r.status_code == 413 and "limit" in r.json()["message"]
    assert Artifact.objects.count() == 0 and _tmp_files() == []
    big = b"y" * 200_000
    r = upload(users["a_dev"], "plant-a", big)
    assert r.status_code == 413


def test_wrong_or_unknown_org_is_refused(upload, users):
    r = upload(users["a_dev"], "plant-b", b"abc")
    assert r.status_code == 400 and "unknown organisation" in r.json()["message"]
    r = upload(users["a_viewer"], "plant-a", b"abc")
    assert r.status_code == 403
    r = upload(users["a_dev"], "nowhere", b"abc")
    assert r.status_code == 400
    assert Artifact.objects.count() == 0


def test_download_and_visibility(upload, users, api):
    sha = upload(users["a_dev"], "plant-a", b"secret weights").json()["sha256"]
    r = api(users["a_viewer"]).get(f"/api/v1/artifacts/{sha}/download/")
    assert r.status_code == 200 and b"".join(r.streaming_content) == b"secret weights"
    assert api(users["b_dev"]).get(f"/api/v1/artifacts/{sha}/").status_code == 404


def test_verify_detects_corruption(upload, users):
    import os

    from core.hub.actions.artifacts import ArtifactCorrupt, open_verified_path

    sha = upload(users["a_dev"], "plant-a", b"original").json()["sha256"]
    artifact = Artifact.objects.get(pk=sha)
    assert open_verified_path(artifact).read_bytes() == b"original"
    path = get_storage().local_path(sha)
    os.chmod(path, 0o644)
    path.write_bytes(b"modified")
    try:
        open_verified_path(artifact)
        raise AssertionError("corruption not detected")
    except ArtifactCorrupt as exc:
        assert "no longer matches" in str(exc)
