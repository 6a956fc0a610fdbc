"""On PostgreSQL the database itself refuses UPDATE and DELETE on audit events, so
even raw SQL from the application cannot rewrite history without dropping the trigger."""
from django.db import migrations

CREATE = """
CREATE OR REPLACE FUNCTION zhongtai_audit_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'audit events are append-only (% refused)', TG_OP;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER platform_auditevent_append_only
    BEFORE UPDATE OR DELETE ON platform_auditevent
    FOR EACH ROW EXECUTE FUNCTION zhongtai_audit_append_only();
"""
DROP = """
DROP TRIGGER IF EXISTS platform_auditevent_append_only ON platform_auditevent;
DROP FUNCTION IF EXISTS zhongtai_audit_append_only();
"""
SQLITE_CREATE = [
    """CREATE TRIGGER platform_auditevent_no_update BEFORE UPDATE ON platform_auditevent
       BEGIN SELECT RAISE(ABORT, 'audit events are append-only (UPDATE refused)'); END;""",
]
# No DELETE trigger on SQLite: Django's test flush deletes rows there (PostgreSQL
# truncates, which row triggers do not see). audit_verify still catches deletions.
SQLITE_DROP = [
    "DROP TRIGGER IF EXISTS platform_auditevent_no_update;",
    "DROP TRIGGER IF EXISTS platform_auditevent_no_delete;",
]


def forwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(CREATE, params=None)
    elif vendor == "sqlite":
        for sql in SQLITE_CREATE:
            schema_editor.execute(sql)


def backwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(DROP, params=None)
    elif vendor == "sqlite":
        for sql in SQLITE_DROP:
            schema_editor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [("platform", "0001_initial")]
    operations = [migrations.RunPython(forwards, backwards)]
