"""The platform's Ed25519 signing key: it signs evidence packs and audit checkpoints.

The private half lives in a file (settings.SIGNING_KEY_FILE), never in the database,
so whoever controls the database cannot forge a signature. The public half is shown
to anyone (API, audit page, inside every pack) so a signature can be checked offline,
e.g. `openssl pkeyutl -verify -pubin -inkey public_key.pem -rawin -in manifest.json
-sigfile <(base64 -d manifest.sig)`."""
import base64
import hashlib
import os
from pathlib import Path

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

ALGORITHM = "Ed25519"
_cache = {}


def generate(path) -> str:
    """Writes a new private key to `path` (mode 0600; refuses to overwrite) and
    returns its public key in PEM."""
    path = Path(path)
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    key = Ed25519PrivateKey.generate()
    pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                            serialization.NoEncryption())
    # O_EXCL: two processes starting at once must not each write a different key.
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as f:
        f.write(pem)
    return _public_pem(key.public_key())


def _private_key() -> Ed25519PrivateKey:
    path = Path(settings.SIGNING_KEY_FILE)
    cached = _cache.get(path)
    if cached is not None:
        return cached
    if not path.exists():
        if not getattr(settings, "SIGNING_KEY_AUTOCREATE", True):
            raise ImproperlyConfigured(
                f"the signing key file {path} does not exist; create it with "
                f"`python manage.py signing_key --generate PATH` and point ZHONGTAI_SIGNING_KEY_FILE at it")
        try:
            generate(path)
        except FileExistsError:
            pass  # another process created it first; use theirs
    try:
        key = serialization.load_pem_private_key(path.read_bytes(), password=None)
    except (OSError, ValueError) as exc:
        raise ImproperlyConfigured(f"cannot read the signing key {path}: {exc}") from exc
    if not isinstance(key, Ed25519PrivateKey):
        raise ImproperlyConfigured(f"the signing key {path} is not an Ed25519 private key")
    _cache[path] = key
    return key


def _public_pem(public_key: Ed25519PublicKey) -> str:
    return public_key.public_bytes(serialization.Encoding.PEM,
                                   serialization.PublicFormat.SubjectPublicKeyInfo).decode()


def public_key_pem() -> str:
    return _public_pem(_private_key().public_key())


def key_id(public_pem: str | None = None) -> str:
    """A short fingerprint of a public key (SHA-256 of its raw 32 bytes), to name it."""
    public_key = _load_public(public_pem) if public_pem else _private_key().public_key()
    raw = public_key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return hashlib.sha256(raw).hexdigest()[:16]


def sign(data: bytes) -> str:
    """The signature of `data`, base64."""
    return base64.b64encode(_private_key().sign(data)).decode()


def _load_public(public_pem: str) -> Ed25519PublicKey:
    key = serialization.load_pem_public_key(public_pem.encode() if isinstance(public_pem, str) else public_pem)
    if not isinstance(key, Ed25519PublicKey):
        raise ValueError("not an Ed25519 public key")
    return key


def verify(data: bytes, signature: str, public_pem: str | None = None) -> bool:
    """True when `signature` (base64) is a signature of `data` by the given public
    key, or by the platform's own key when none is given."""
    try:
        public_key = _load_public(public_pem) if public_pem else _private_key().public_key()
        public_key.verify(base64.b64decode(signature, validate=True), data)
    except (InvalidSignature, ValueError, TypeError):
        return False
    return True
