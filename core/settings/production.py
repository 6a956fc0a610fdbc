"""Production: DJANGO_SETTINGS_MODULE=core.settings.production.

The computed settings with HTTPS on by default (each still overridable from the
environment), and a refusal to start, with the reason, when a secret is missing:
DJANGO_SECRET_KEY, DJANGO_ALLOWED_HOSTS and the Ed25519 signing key file."""
import stat
import sys

from django.core.exceptions import ImproperlyConfigured

from .computed import *  # noqa: F401,F403
from .defaults import INSECURE_SECRET_KEY, SECRET_KEY, SIGNING_KEY_FILE, env, env_bool, env_list

DEBUG = env_bool("DJANGO_DEBUG", False)
if DEBUG:
    raise ImproperlyConfigured("DJANGO_DEBUG is on: production never runs in debug mode (it shows settings and code).")

if not env("DJANGO_SECRET_KEY"):
    raise ImproperlyConfigured(
        "DJANGO_SECRET_KEY is not set. Generate one with\n"
        "  python -c 'import secrets; print(secrets.token_urlsafe(64))'\n"
        "and give every web process and worker the same value.")
if SECRET_KEY == INSECURE_SECRET_KEY or len(SECRET_KEY) < 50 or len(set(SECRET_KEY)) < 5:
    raise ImproperlyConfigured(
        "DJANGO_SECRET_KEY is the development default or too weak (needs 50+ characters, 5+ distinct).")

ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "")
if not ALLOWED_HOSTS:
    raise ImproperlyConfigured("DJANGO_ALLOWED_HOSTS is not set: name the host(s) users reach, e.g. ai.example.internal.")

SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", True)
SECURE_HSTS_SECONDS = int(env("DJANGO_SECURE_HSTS_SECONDS", str(365 * 24 * 3600)))
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("DJANGO_SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
SECURE_HSTS_PRELOAD = env_bool("DJANGO_SECURE_HSTS_PRELOAD", True)
SESSION_COOKIE_SECURE = env_bool("DJANGO_SESSION_COOKIE_SECURE", True)
CSRF_COOKIE_SECURE = env_bool("DJANGO_CSRF_COOKIE_SECURE", True)

# The key is made once, by an operator, never on first use by whichever process runs first.
SIGNING_KEY_AUTOCREATE = False


def _check_signing_key(path):
    fix = f"create it with: manage.py signing_key --generate {path}"
    if not path.is_file():
        raise ImproperlyConfigured(f"The signing key file {path} (ZHONGTAI_SIGNING_KEY_FILE) does not exist; {fix}")
    if path.stat().st_mode & stat.S_IRWXO:
        raise ImproperlyConfigured(f"The signing key file {path} is readable by every user; chmod 600 it.")
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
    from cryptography.hazmat.primitives.serialization import load_pem_private_key

    try:
        key = load_pem_private_key(path.read_bytes(), password=None)
    except (ValueError, TypeError) as exc:
        raise ImproperlyConfigured(f"The signing key file {path} is not an unencrypted PEM private key ({exc}); {fix}")
    if not isinstance(key, Ed25519PrivateKey):
        raise ImproperlyConfigured(f"The signing key file {path} holds a {type(key).__name__}, not an Ed25519 key; {fix}")


# The one command that makes the key has to start without it.
if sys.argv[1:2] != ["signing_key"]:
    _check_signing_key(SIGNING_KEY_FILE)
