"""PostgreSQL: the audit tables stop trusting the application's own role.

- TRUNCATE of either audit table is refused by a statement trigger (row triggers do
  not see it). Only a superuser session that set `zhongtai.audit_truncate = allow`
  gets through: the test settings do, because Django empties tables between
  transactional tests with TRUNCATE. That opens nothing new: a superuser can disable
  any trigger anyway (ALTER TABLE, session_replication_role).
- The head row may not be deleted nor moved backwards, so deleting the tail of the
  chain also means disabling a second trigger.
- When the migrating role is a superuser, the tables and trigger functions are
  handed to the NOLOGIN role `zhongtai_audit_owner`, and their former owner (the
  application's role, when it created them) keeps only SELECT and INSERT on the
  events and SELECT, INSERT, UPDATE on the head. A role that is neither owner nor
  superuser cannot ALTER TABLE ... DISABLE TRIGGER, TRUNCATE, UPDATE or DELETE.
  Otherwise the migration says so and the README gives the SQL for the DBA.
Roles are cluster-wide and several databases may run this, so every step tolerates
the role already existing."""
from django.db import migrations

OWNER = "zhongtai_audit_owner"

TRIGGERS = """
CREATE OR REPLACE FUNCTION zhongtai_audit_no_truncate() RETURNS trigger AS $$
BEGIN
    IF current_setting('zhongtai.audit_truncate', true) = 'allow'
       AND (SELECT rolsuper FROM pg_roles WHERE rolname = current_user) THEN
        RETURN NULL;
    END IF;
    RAISE EXCEPTION 'audit tables are append-only (TRUNCATE of % refused)', TG_TABLE_NAME;
END;
$$ LANGUAGE plpgsql;

CREATE OR REPLACE FUNCTION zhongtai_audit_head_forward_only() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        RAISE EXCEPTION 'the audit head is append-only (DELETE refused)';
    END IF;
    IF NEW.last_seq < OLD.last_seq OR NEW.id <> OLD.id THEN
        RAISE EXCEPTION 'the audit head only moves forward (% -> % refused)', OLD.last_seq, NEW.last_seq;
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER platform_auditevent_no_truncate BEFORE TRUNCATE ON platform_auditevent
    FOR EACH STATEMENT EXECUTE FUNCTION zhongtai_audit_no_truncate();
CREATE TRIGGER platform_audithead_no_truncate BEFORE TRUNCATE ON platform_audithead
    FOR EACH STATEMENT EXECUTE FUNCTION zhongtai_audit_no_truncate();
CREATE TRIGGER platform_audithead_forward_only BEFORE UPDATE OR DELETE ON platform_audithead
    FOR EACH ROW EXECUTE FUNCTION zhongtai_audit_head_forward_only();
"""

DROP_TRIGGERS = """
DROP TRIGGER IF EXISTS platform_auditevent_no_truncate ON platform_auditevent;
DROP TRIGGER IF EXISTS platform_audithead_no_truncate ON platform_audithead;
DROP TRIGGER IF EXISTS platform_audithead_forward_only ON platform_audithead;
DROP FUNCTION IF EXISTS zhongtai_audit_no_truncate();
DROP FUNCTION IF EXISTS zhongtai_audit_head_forward_only();
"""

CREATE_OWNER = f"""
DO $$
BEGIN
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '{OWNER}') THEN
        CREATE ROLE {OWNER} NOLOGIN;
    END IF;
EXCEPTION WHEN duplicate_object OR unique_violation THEN
    NULL;  -- another database's migration created it at the same moment
END
$$;
"""

TABLES = ("platform_auditevent", "platform_audithead")
FUNCTIONS = ("zhongtai_audit_append_only()", "zhongtai_audit_no_truncate()", "zhongtai_audit_head_forward_only()")


def _quote(cursor, name):
    cursor.execute("SELECT quote_ident(%s)", [name])
    return cursor.fetchone()[0]


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return  # SQLite keeps its UPDATE trigger (0002); it has no roles.
    schema_editor.execute(TRIGGERS, params=None)
    with schema_editor.connection.cursor() as cur:
        cur.execute("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")
        if not cur.fetchone()[0]:
            print(f"\n  audit tables: the migrating role is not a superuser, so they stay with their owner; "
                  f"create the role {OWNER} and hand them over as the README's audit section shows.")
            return
        cur.execute("SELECT tableowner FROM pg_tables WHERE schemaname = current_schema() AND tablename = %s",
                    [TABLES[0]])
        former_owner = cur.fetchone()[0]
        cur.execute("SELECT rolsuper FROM pg_roles WHERE rolname = %s", [former_owner])
        former_is_super = cur.fetchone()[0]
        cur.execute(CREATE_OWNER)
        for table in TABLES:
            cur.execute(f"ALTER TABLE {table} OWNER TO {OWNER}")
        for function in FUNCTIONS:
            cur.execute(f"ALTER FUNCTION {function} OWNER TO {OWNER}")
        if former_owner != OWNER and not former_is_super:
            # The application's role created the tables: it keeps what record() needs, nothing more.
            role = _quote(cur, former_owner)
            cur.execute(f"REVOKE ALL ON platform_auditevent, platform_audithead FROM {role}")
            cur.execute(f"GRANT SELECT, INSERT ON platform_auditevent TO {role}")
            cur.execute(f"GRANT SELECT, INSERT, UPDATE ON platform_audithead TO {role}")


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cur:
        cur.execute("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")
        if cur.fetchone()[0]:
            for table in TABLES:
                cur.execute(f"ALTER TABLE {table} OWNER TO CURRENT_USER")
            cur.execute("ALTER FUNCTION zhongtai_audit_append_only() OWNER TO CURRENT_USER")
    schema_editor.execute(DROP_TRIGGERS, params=None)


class Migration(migrations.Migration):
    dependencies = [("platform", "0003_auditevent_body")]
    operations = [migrations.RunPython(forwards, backwards)]
