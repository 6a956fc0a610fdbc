"""Settings read from the environment (12-factor). Everything has a default that runs
embedded on one machine: SQLite under var/, a Celery broker on the file system."""
import os
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent.parent


def env(name, default=None):
    return os.environ.get(name, default)


def env_bool(name, default=False):
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name, default=""):
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


VAR_DIR = Path(env("ZHONGTAI_VAR_DIR", str(BASE_DIR / "var")))
# The embedded default runs without a secret; core.settings.production refuses this value.
INSECURE_SECRET_KEY = "zhongtai-dev-insecure-change-me"
SECRET_KEY = env("DJANGO_SECRET_KEY", INSECURE_SECRET_KEY)
DEBUG = env_bool("DJANGO_DEBUG", False)
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "localhost,127.0.0.1,[::1],testserver")

# HTTPS. Off by default because the embedded server speaks plain HTTP on localhost;
# core.settings.production turns them on, and each can be overridden here.
SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", False)
SECURE_HSTS_SECONDS = int(env("DJANGO_SECURE_HSTS_SECONDS", "0"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("DJANGO_SECURE_HSTS_INCLUDE_SUBDOMAINS", False)
SECURE_HSTS_PRELOAD = env_bool("DJANGO_SECURE_HSTS_PRELOAD", False)
SESSION_COOKIE_SECURE = env_bool("DJANGO_SESSION_COOKIE_SECURE", False)
CSRF_COOKIE_SECURE = env_bool("DJANGO_CSRF_COOKIE_SECURE", False)
# Idle sessions end after this many seconds (default 8 h, a working day).
SESSION_COOKIE_AGE = int(env("DJANGO_SESSION_COOKIE_AGE", str(8 * 3600)))
# Origins (scheme://host[:port]) allowed to POST with a session when the proxy's host differs.
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS", "")
# Behind a TLS-terminating proxy: trust its X-Forwarded-Proto (and X-Forwarded-Host) headers.
# Only set these when the proxy overwrites the headers; otherwise a client can forge them.
SECURE_PROXY_SSL_HEADER_ENABLED = env_bool("DJANGO_SECURE_PROXY_SSL_HEADER", False)
USE_X_FORWARDED_HOST = env_bool("DJANGO_USE_X_FORWARDED_HOST", False)
# Proxies in front of the web processes that append to X-Forwarded-For; 0 = clients connect
# directly. Login throttling keys on the client address this gives.
TRUSTED_PROXY_COUNT = int(env("ZHONGTAI_TRUSTED_PROXY_COUNT", "0"))

# Login throttling: after this many failed logins for one username from one address, that
# pair is locked out for the cool-off (API and login page alike).
LOGIN_FAILURE_LIMIT = int(env("ZHONGTAI_LOGIN_FAILURE_LIMIT", "5"))
LOGIN_COOLOFF_MINUTES = int(env("ZHONGTAI_LOGIN_COOLOFF_MINUTES", "15"))
# API tokens older than this are refused (401); obtaining a token again issues a fresh one.
TOKEN_TTL_HOURS = float(env("ZHONGTAI_TOKEN_TTL_HOURS", "24"))

DATABASE_URL = env("DATABASE_URL", f"sqlite:///{VAR_DIR / 'zhongtai.sqlite3'}")
CELERY_BROKER_URL = env("CELERY_BROKER_URL", "filesystem://")

# Verticals are switched on here, never by editing core: a comma-separated list of
# Django app modules whose AppConfig subclasses core.platform.verticals.VerticalConfig.
ZHONGTAI_VERTICALS = env_list("ZHONGTAI_VERTICALS", "verticals.manufacturing,verticals.finance,verticals.energy,verticals.city")

# Uploads above this are refused before they are stored (bytes).
ARTIFACT_MAX_UPLOAD_BYTES = int(env("ZHONGTAI_ARTIFACT_MAX_UPLOAD_BYTES", str(512 * 1024 * 1024)))
ARTIFACT_STORAGE_ROOT = Path(env("ZHONGTAI_ARTIFACT_ROOT", str(VAR_DIR / "artifacts")))

# A running job whose heartbeat is older than this is taken as lost with its worker.
JOB_HEARTBEAT_TIMEOUT_S = int(env("ZHONGTAI_JOB_HEARTBEAT_TIMEOUT_S", "120"))
JOB_HEARTBEAT_INTERVAL_S = float(env("ZHONGTAI_JOB_HEARTBEAT_INTERVAL_S", "10"))

# Hyper-parameter studies (core.training.actions.studies): the most one study may ask for
# (trials, seconds, trials at once), and the organisation's quota: the trial budgets of its
# running studies together. A study over any of them is refused before anything is queued.
STUDY_MAX_TRIALS = int(env("ZHONGTAI_STUDY_MAX_TRIALS", "200"))
STUDY_MAX_SECONDS = int(env("ZHONGTAI_STUDY_MAX_SECONDS", str(24 * 3600)))
STUDY_MAX_PARALLELISM = int(env("ZHONGTAI_STUDY_MAX_PARALLELISM", "8"))
STUDY_TRIAL_QUOTA_PER_ORGANISATION = int(env("ZHONGTAI_STUDY_TRIAL_QUOTA_PER_ORGANISATION", "500"))

# Ed25519 private key (PEM) that signs evidence packs and audit checkpoints. The embedded
# default creates one under var/keys/ on first use; production refuses to start without it.
SIGNING_KEY_FILE = Path(env("ZHONGTAI_SIGNING_KEY_FILE", str(VAR_DIR / "keys" / "signing-ed25519.pem")))
# Public keys of rotated-out signing keys (what they signed stays verifiable); default: beside the key.
SIGNING_KEYRING_DIR = env("ZHONGTAI_SIGNING_KEYRING_DIR") or None
SIGNING_KEY_AUTOCREATE = True
# Signed audit checkpoints are appended here (JSON lines), outside the database's reach;
# ZHONGTAI_AUDIT_SYSLOG=1 also sends each one to syslog.
AUDIT_CHECKPOINT_FILE = Path(env("ZHONGTAI_AUDIT_CHECKPOINT_FILE", str(VAR_DIR / "audit" / "checkpoints.jsonl")))
AUDIT_SYSLOG = env_bool("ZHONGTAI_AUDIT_SYSLOG", False)
# Celery beat signs a checkpoint this often (seconds); events after the last one are not yet signed.
AUDIT_CHECKPOINT_INTERVAL_S = int(env("ZHONGTAI_AUDIT_CHECKPOINT_INTERVAL_S", "300"))
