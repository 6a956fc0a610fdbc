import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, transaction

from core.platform.actions.audit import record, verify_chain
from core.platform.lib.hashchain import GENESIS, event_hash
from core.platform.models import AppendOnlyError, AuditEvent


def _disable_guard():
    """What an attacker with database rights would do first: drop the append-only trigger."""
    with connection.cursor() as cur:
        if connection.vendor == "postgresql":
            # Deferred foreign-key checks count as pending trigger events and block ALTER.
            cur.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cur.execute("ALTER TABLE platform_auditevent DISABLE TRIGGER platform_auditevent_append_only")
        else:
            cur.execute("DROP TRIGGER IF EXISTS platform_auditevent_no_update")


def test_events_form_a_chain(db):
    e1 = record("test.one", acting_user=None, data={"x": 1})
    e2 = record("test.two", acting_user=None, data={"y": [1, 2]})
    assert e1.seq == 1 and e1.prev_hash == GENESIS
    assert e2.prev_hash == e1.hash
    assert e2.hash == event_hash(e1.hash, AuditEvent.objects.get(seq=2).payload())
    assert verify_chain() == (2, None)


def test_model_refuses_update_and_delete(db):
    e = record("test.one", acting_user=None)
    e.action = "test.changed"
    with pytest.raises(AppendOnlyError):
        e.save()
    with pytest.raises(AppendOnlyError):
        e.delete()


def test_database_refuses_raw_update(db):
    record("test.one", acting_user=None)
    with pytest.raises(Exception) as info:
        with transaction.atomic():
            with connection.cursor() as cur:
                cur.execute("UPDATE platform_auditevent SET action = 'forged'")
    assert "append-only" in str(info.value)
    assert AuditEvent.objects.get().action == "test.one"


def test_verify_reports_first_altered_event(db, capsys):
    for i in range(5):
        record("test.event", acting_user=None, data={"i": i})
    call_command("audit_verify")
    assert "5 events verified" in capsys.readouterr().out
    _disable_guard()
    with connection.cursor() as cur:
        cur.execute("UPDATE platform_auditevent SET data = %s WHERE seq = 3", ['{"i": 99}'])
    count, broken = verify_chain()
    assert broken[0] == 3 and "altered" in broken[1]
    with pytest.raises(CommandError, match="broken at event 3"):
        call_command("audit_verify")


def test_verify_reports_deleted_event(db):
    for i in range(4):
        record("test.event", acting_user=None, data={"i": i})
    _disable_guard()
    with connection.cursor() as cur:
        cur.execute("DELETE FROM platform_auditevent WHERE seq = 4")
    _, broken = verify_chain()
    assert broken is not None and broken[0] == 4 and "deleted" in broken[1]
    with connection.cursor() as cur:
        cur.execute("DELETE FROM platform_auditevent WHERE seq = 2")
    _, broken = verify_chain()
    assert broken[0] == 3 and "gap" in broken[1]


def test_actions_are_audited_with_actor(users, orgs):
    event = AuditEvent.objects.filter(action="membership.grant", data__user="a_dev").get()
    assert event.actor_name == "system" and event.organisation == orgs["a"]
    assert verify_chain()[1] is None
