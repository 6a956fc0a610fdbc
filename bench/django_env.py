"""Django for a bench script: settings under a throw-away var dir with its own SQLite file,
so a bench never touches var/ or a configured database, and, when asked, a test database
the script destroys at the end (connection.creation.destroy_test_db(returned name))."""
import os
import tempfile
import warnings


def setup_django(*, test_db=True, extra_env=None):
    """Set Django up; returns the old database name to destroy the test database with
    (None without one)."""
    warnings.filterwarnings("ignore", message="No directory at")  # whitenoise: no collected static here
    tmp = tempfile.mkdtemp(prefix="zhongtai-bench-")
    os.environ.setdefault("ZHONGTAI_VAR_DIR", tmp)
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{tmp}/bench.sqlite3")
    os.environ["DJANGO_SETTINGS_MODULE"] = "core.settings.computed"
    for name, value in (extra_env or {}).items():
        os.environ.setdefault(name, value)
    import django

    django.setup()
    if not test_db:
        return None
    from django.db import connection
    from django.test.utils import setup_test_environment

    setup_test_environment()
    return connection.creation.create_test_db(verbosity=0, keepdb=False)
