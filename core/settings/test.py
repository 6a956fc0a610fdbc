"""Test settings: the database and broker still come from DATABASE_URL and
CELERY_BROKER_URL (CI points them at PostgreSQL and Redis)."""
import os
import tempfile
from pathlib import Path

_tmp = Path(tempfile.mkdtemp(prefix="zhongtai-test-"))
os.environ.setdefault("ZHONGTAI_VAR_DIR", str(_tmp))
os.environ.setdefault("ZHONGTAI_VERTICALS", "tests.dummy_vertical,verticals.manufacturing,verticals.finance,verticals.energy,verticals.city")

from .computed import *  # noqa: E402,F401,F403
from .computed import DATABASES  # noqa: E402

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    # A file, not :memory:, so a worker process in a test sees the same database.
    DATABASES["default"]["TEST"] = {"NAME": str(_tmp / "test.sqlite3")}
elif DATABASES["default"]["ENGINE"].endswith("postgresql"):
    # Django empties tables between transactional tests with TRUNCATE, which the audit
    # tables refuse unless a superuser session sets this (platform migration 0004).
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = "-c zhongtai.audit_truncate=allow"
JOB_HEARTBEAT_TIMEOUT_S = 3
JOB_HEARTBEAT_INTERVAL_S = 0.5
LOGGING = {"version": 1, "disable_existing_loggers": False}
