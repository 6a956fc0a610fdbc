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


def keyring_dir() -> Path:
    """Public keys this platform has signed with, one `<key_id>.pem` each: a rotated-out
    key stays here (its private half is gone) so what it signed still verifies."""
    configured = getattr(settings, "SIGNING_KEYRING_DIR", None)
    return Path(configured) if configured else Path(settings.SIGNING_KEY_FILE).parent / "trusted-public-keys"


def _keep_public(public_pem: str) -> Path:
    path = keyring_dir() / f"{key_id(public_pem)}.pem"
    path.parent.mkdir(mode=0o755, parents=True, exist_ok=True)
    if not path.exists():
        path.write_text(public_pem)
    return path


def trusted_public_pem(wanted_key_id: str) -> str | None:
    """The public key named `wanted_key_id`, if it is this platform's current key or one
    it has rotated out; None for any other key."""
    current = public_key_pem()
    if key_id(current) == wanted_key_id:
        return current
    if not isinstance(wanted_key_id, str) or not wanted_key_id.isalnum():
        return None
    path = keyring_dir() / f"{wanted_key_id}.pem"
    if not path.is_file():
        return None
    kept = path.read_text()
    return kept if key_id(kept) == wanted_key_id else None


def rotate() -> tuple[str, str]:
    """A new signing key replaces the current one in place (atomically: a process that
    reads the file sees the old key or the new one). The old public half stays in the
    keyring, the old private half is gone. Returns (old key id, new key id)."""
    path = Path(settings.SIGNING_KEY_FILE)
    old_public = public_key_pem()
    _keep_public(old_public)
    fresh = path.with_name(path.name + ".new")
    fresh.unlink(missing_ok=True)
    new_public = generate(fresh)
    os.replace(fresh, path)
    _cache.clear()
    _keep_public(new_public)
    return key_id(old_public), key_id(new_public)


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
    try:
        stat = path.stat()
        # A rotated key (a new file in place) is picked up without a restart.
        cache_key = (path, stat.st_ino, stat.st_mtime_ns)
    except OSError:
        cache_key = None
    cached = _cache.get(cache_key)
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
    stat = path.stat()
    _cache[(path, stat.st_ino, stat.st_mtime_ns)] = key
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
