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
SECRET_KEY = env("DJANGO_SECRET_KEY", "zhongtai-dev-insecure-change-me")
DEBUG = env_bool("DJANGO_DEBUG", False)
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "localhost,127.0.0.1,[::1],testserver")

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

# Ed25519 private key (PEM) that signs evidence packs and audit checkpoints. The embedded
# default creates one under var/keys/ on first use; production refuses to start without it.
SIGNING_KEY_FILE = Path(env("ZHONGTAI_SIGNING_KEY_FILE", str(VAR_DIR / "keys" / "signing-ed25519.pem")))
# Signed audit checkpoints are appended here (JSON lines), outside the database's reach;
# ZHONGTAI_AUDIT_SYSLOG=1 also sends each one to syslog.
AUDIT_CHECKPOINT_FILE = Path(env("ZHONGTAI_AUDIT_CHECKPOINT_FILE", str(VAR_DIR / "audit" / "checkpoints.jsonl")))
AUDIT_SYSLOG = env_bool("ZHONGTAI_AUDIT_SYSLOG", False)
