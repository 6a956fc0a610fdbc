"""On PostgreSQL the audit tables defend themselves against the application's own
database role: it may read and append, nothing else (platform migration 0004 and the
README's owner-role SQL)."""
import pytest
from django.db import connection, transaction

from core.platform.actions.audit import record, verify_chain
from core.platform.models import AuditHead

pytestmark = pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL roles and triggers")

# The README's grants for an application role when a superuser ran the migrations.
APP_ROLE_SQL = """
GRANT CONNECT ON DATABASE {db} TO {role};
GRANT USAGE ON SCHEMA public TO {role};
GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {role};
GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {role};
REVOKE ALL ON platform_auditevent, platform_audithead FROM {role};
GRANT SELECT, INSERT ON platform_auditevent TO {role};
GRANT SELECT, INSERT, UPDATE ON platform_audithead TO {role};
"""


def _refused(sql, match):
    with pytest.raises(Exception, match=match):
        with transaction.atomic(), connection.cursor() as cur:
            cur.execute(sql)


def test_truncate_is_refused_even_to_the_owner(db):
    record("test.event", acting_user=None)
    with connection.cursor() as cur:
        cur.execute("SET CONSTRAINTS ALL IMMEDIATE")  # or TRUNCATE stops at the pending foreign-key checks
        # The test settings allow TRUNCATE for Django's flush; a plain session does not.
        cur.execute("SET LOCAL zhongtai.audit_truncate = ''")
    _refused("TRUNCATE platform_auditevent", "TRUNCATE of platform_auditevent refused")
    _refused("TRUNCATE platform_audithead", "TRUNCATE of platform_audithead refused")
    _refused("TRUNCATE platform_auditevent CASCADE", "refused")
    with connection.cursor() as cur:
        cur.execute("SET LOCAL zhongtai.audit_truncate = 'allow'")
        cur.execute("SET LOCAL ROLE zhongtai_audit_owner")
    # The setting only lets a superuser through (who could disable the trigger anyway).
    _refused("TRUNCATE platform_auditevent", "TRUNCATE of platform_auditevent refused")
    with connection.cursor() as cur:
        cur.execute("RESET ROLE")
    assert verify_chain() == (1, None)


def test_the_head_only_moves_forward(db):
    for _ in range(3):
        record("test.event", acting_user=None)
    _refused("UPDATE platform_audithead SET last_seq = 2", "only moves forward")
    _refused("DELETE FROM platform_audithead", "DELETE refused")
    assert AuditHead.objects.get().last_seq == 3
    assert record("test.more", acting_user=None).seq == 4


def test_migration_hands_the_tables_to_the_owner_role(db):
    with connection.cursor() as cur:
        cur.execute("SELECT tablename, tableowner FROM pg_tables WHERE tablename IN "
                    "('platform_auditevent', 'platform_audithead')")
        assert dict(cur.fetchall()) == {"platform_auditevent": "zhongtai_audit_owner",
                                        "platform_audithead": "zhongtai_audit_owner"}
        cur.execute("SELECT rolcanlogin FROM pg_roles WHERE rolname = 'zhongtai_audit_owner'")
        assert cur.fetchone() == (False,)


@pytest.fixture
def app_role(transactional_db):
    db = connection.settings_dict["NAME"]
    role = f"zt_app_{db}"[:63]
    with connection.cursor() as cur:
        cur.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", [role])
        if cur.fetchone():
            cur.execute(f'DROP OWNED BY "{role}"; DROP ROLE "{role}"')
        cur.execute(f'CREATE ROLE "{role}" LOGIN NOSUPERUSER NOCREATEROLE NOCREATEDB')
        cur.execute(APP_ROLE_SQL.format(db=f'"{db}"', role=f'"{role}"'))
    yield role
    with connection.cursor() as cur:
        cur.execute("RESET ROLE")
        cur.execute(f'DROP OWNED BY "{role}"; DROP ROLE "{role}"')


def test_the_application_role_may_append_and_nothing_else(app_role):
    import psycopg

    # The app's own code path, running with the application role's rights.
    with connection.cursor() as cur:
        cur.execute(f'SET ROLE "{app_role}"')
    first = record("test.as_app", acting_user=None, data={"n": 1})
    second = record("test.as_app", acting_user=None, data={"n": 2})
    assert (first.seq, second.seq) == (1, 2)
    with connection.cursor() as cur:
        cur.execute("RESET ROLE")

    s = connection.settings_dict
    with psycopg.connect(host=s["HOST"] or "127.0.0.1", port=s["PORT"] or 5432, dbname=s["NAME"], user=app_role,
                         autocommit=True) as app:
        assert app.execute("SELECT rolsuper FROM pg_roles WHERE rolname = current_user").fetchone() == (False,)
        assert app.execute("SELECT count(*) FROM platform_auditevent").fetchone() == (2,)
        refused = {
            "ALTER TABLE platform_auditevent DISABLE TRIGGER platform_auditevent_append_only": "must be owner",
            "ALTER TABLE platform_auditevent DISABLE TRIGGER ALL": "must be owner",
            "ALTER TABLE platform_audithead DISABLE TRIGGER platform_audithead_forward_only": "must be owner",
            "TRUNCATE platform_auditevent": "permission denied",
            "TRUNCATE platform_audithead": "permission denied",
            "UPDATE platform_auditevent SET action = 'forged' WHERE seq = 1": "permission denied",
            "DELETE FROM platform_auditevent WHERE seq = 2": "permission denied",
            "DELETE FROM platform_audithead": "permission denied",
            "UPDATE platform_audithead SET last_seq = 1": "only moves forward",
            "DROP TABLE platform_auditevent": "must be owner",
            "DROP TRIGGER platform_auditevent_append_only ON platform_auditevent": "must be owner",
            "SET session_replication_role = replica": "permission denied",
            "SET ROLE zhongtai_audit_owner": "permission denied",
        }
        for sql, message in refused.items():
            with pytest.raises(psycopg.Error, match=message):
                app.execute(sql)
    assert verify_chain() == (2, None)
