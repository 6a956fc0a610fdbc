import stat

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from django.core.management.base import CommandError

from core.platform import signing


@pytest.fixture
def key_file(settings, tmp_path):
    settings.SIGNING_KEY_FILE = tmp_path / "keys" / "signing.pem"
    return settings.SIGNING_KEY_FILE


def test_key_is_created_private_on_first_use(key_file):
    assert not key_file.exists()
    sig = signing.sign(b"hello")
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    assert signing.verify(b"hello", sig) and not signing.verify(b"hellO", sig)
    assert signing.verify(b"hello", sig, signing.public_key_pem())
    assert "PRIVATE" not in signing.public_key_pem() and "BEGIN PUBLIC KEY" in signing.public_key_pem()


def test_production_refuses_a_missing_key(key_file, settings):
    settings.SIGNING_KEY_AUTOCREATE = False
    with pytest.raises(ImproperlyConfigured, match="does not exist"):
        signing.sign(b"x")
    assert not key_file.exists()


def test_a_signature_by_another_key_or_garbage_fails(key_file, tmp_path):
    sig = signing.sign(b"data")
    other = signing.generate(tmp_path / "other.pem")
    assert not signing.verify(b"data", sig, other)
    assert not signing.verify(b"data", "not base64!!")
    assert signing.key_id(other) != signing.key_id()


def test_generate_never_overwrites(key_file, capsys):
    call_command("signing_key", generate=str(key_file))
    assert "BEGIN PUBLIC KEY" in capsys.readouterr().out
    before = key_file.read_bytes()
    with pytest.raises(CommandError, match="already exists"):
        call_command("signing_key", generate=str(key_file))
    assert key_file.read_bytes() == before


def test_a_key_of_the_wrong_kind_is_refused(key_file):
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import ec

    key_file.parent.mkdir(parents=True)
    key_file.write_bytes(ec.generate_private_key(ec.SECP256R1()).private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()))
    with pytest.raises(ImproperlyConfigured, match="not an Ed25519"):
        signing.sign(b"x")


def test_the_public_key_is_published(api, users, key_file):
    r = api(users["a_viewer"]).get("/api/v1/audit/public-key/")
    assert r.status_code == 200
    body = r.json()
    assert body["algorithm"] == "Ed25519" and body["public_key_pem"] == signing.public_key_pem()
    assert body["key_id"] == signing.key_id()
    assert api().get("/api/v1/audit/public-key/").status_code in (401, 403)
