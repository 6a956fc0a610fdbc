"""Evidence packs an auditor can verify: asked for by model name and version number,
carrying a README, checked offline by `manage.py verify_evidence`, and still verifiable
after the platform's signing key is rotated."""
import io
import zipfile

import pytest
from django.core.management import CommandError, call_command

from core.hub.evidence import verify_pack
from core.platform import signing
from core.platform.actions.audit import verify_chain, write_checkpoint
from tests.ui import scene


@pytest.fixture
def chain(orgs, users, settings, tmp_path):
    settings.SIGNING_KEY_FILE = tmp_path / "keys" / "signing.pem"
    return scene.branch_chain(orgs["a"], users["a_dev"], "ev")


def _pack(api, user, version):
    r = api(user).get(f"/api/v1/versions/evidence/?model={version.model.name}&version={version.version}")
    assert r.status_code == 200, r.content
    return r.content


def test_a_pack_by_model_name_and_version_number_with_a_readme(api, users, chain):
    version = chain["version"]
    data = _pack(api, users["hq_auditor"], version)
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        readme = zf.read("README.txt").decode()
        assert f"{version.model.name} version {version.version}" in readme
        assert "verify_evidence" in readme and "openssl pkeyutl -verify" in readme
        assert "README.txt" in zf.read("manifest.json").decode()  # the README is signed too
    assert verify_pack(data)[0]
    # The same pack through the id route, and names that do not resolve.
    assert api(users["hq_auditor"]).get(f"/api/v1/versions/{version.pk}/evidence/").status_code == 200
    missing = api(users["hq_auditor"]).get(f"/api/v1/versions/evidence/?model={version.model.name}&version=99")
    assert missing.status_code == 404 and "no version 99" in missing.json()["message"]
    bad = api(users["hq_auditor"]).get("/api/v1/versions/evidence/?model=x&version=²")
    assert bad.status_code == 400 and "version" in bad.json()["errors"]


def test_by_name_a_sibling_sees_nothing_and_a_viewer_may_not_export(api, users, chain):
    version = chain["version"]
    url = f"/api/v1/versions/evidence/?model={version.model.name}&version={version.version}"
    assert api(users["b_dev"]).get(url).status_code == 404
    assert api(users["b_auditor"]).get(url).status_code == 404
    assert api(users["a_viewer"]).get(url).status_code == 403


def test_a_shared_name_needs_the_organisation(api, users, orgs, chain):
    other = scene.branch_chain(orgs["b"], users["b_dev"], "ev")  # same model name in plant B
    assert other["version"].model.name == chain["version"].model.name
    url = f"/api/v1/versions/evidence/?model={other['version'].model.name}&version=1"
    r = api(users["hq_auditor"]).get(url)
    assert r.status_code == 400 and "plant-a, plant-b" in r.json()["errors"]["organisation"][0]
    assert api(users["hq_auditor"]).get(url + "&organisation=plant-b").status_code == 200


def test_verify_evidence_command(api, users, chain, tmp_path, capsys):
    pack = tmp_path / "pack.zip"
    pack.write_bytes(_pack(api, users["hq_auditor"], chain["version"]))
    call_command("verify_evidence", str(pack))
    assert "verified" in capsys.readouterr().out
    public = tmp_path / "published.pem"
    public.write_text(signing.public_key_pem())
    call_command("verify_evidence", str(pack), public_key=str(public))

    tampered = tmp_path / "tampered.zip"
    with zipfile.ZipFile(pack) as src, zipfile.ZipFile(tampered, "w") as dst:
        for item in src.infolist():
            body = src.read(item.filename)
            dst.writestr(item, body.replace(b'"records": 1200', b'"records": 9999')
                         if item.filename == "data.json" else body)
    with pytest.raises(CommandError, match="data.json was altered"):
        call_command("verify_evidence", str(tampered))
    stranger = tmp_path / "stranger.pem"
    stranger.write_text(signing.generate(tmp_path / "stranger-private.pem"))
    with pytest.raises(CommandError, match="different key"):
        call_command("verify_evidence", str(pack), public_key=str(stranger))
    with pytest.raises(CommandError, match="not a zip"):
        call_command("verify_evidence", str(public))


def test_rotation_keeps_old_packs_and_checkpoints_verifiable(api, users, chain, tmp_path, capsys):
    old_pack = _pack(api, users["hq_auditor"], chain["version"])
    write_checkpoint(by="test")
    old_id = signing.key_id()
    call_command("signing_key", rotate=True)
    out = capsys.readouterr().out
    new_id = signing.key_id()
    assert new_id != old_id and f"{old_id} -> {new_id}" in out
    ok, reason = verify_pack(old_pack)
    assert ok and old_id in reason
    new_pack = _pack(api, users["hq_auditor"], chain["version"])
    assert verify_pack(new_pack) == (True, f"intact (signed by key {new_id})")
    # The chain verifies across the rotation, which is itself audited and checkpointed with the new key.
    assert verify_chain()[1] is None
    from core.platform.models import AuditEvent

    assert AuditEvent.objects.filter(action="platform.signing_key.rotate",
                                     data__new_key_id=new_id).exists()
    # A key the platform never held is still refused.
    (signing.keyring_dir() / f"{old_id}.pem").unlink()
    assert verify_pack(old_pack) == (False, f"signed by key {old_id}, which this platform never used")


def test_version_and_lineage_pages_offer_the_pack_where_it_works(client, users, chain):
    version = chain["version"]
    pack_url = f"/api/v1/versions/{version.pk}/evidence/"
    for user, offered in ((users["hq_auditor"], True), (users["a_dev"], True), (users["a_viewer"], False)):
        client.force_login(user)
        page = client.get(f"/hub/versions/{version.pk}/").content.decode()
        assert (f'id="evidence-pack" href="{pack_url}"' in page) is offered, user
        lineage = client.get(f"/hub/lineage/deployment/{chain['deployment'].pk}/").content.decode()
        assert (f'href="{pack_url}" class="evidence-link"' in lineage) is offered, user
