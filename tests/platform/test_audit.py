import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, transaction
from django.utils import timezone

from core.platform.actions.audit import record, verify_chain
from core.platform.lib.hashchain import GENESIS, body_hash, event_hash
from core.platform.models import AppendOnlyError, AuditEvent, AuditHead


def disable_guard():
    """What an attacker with database rights would do first: drop the append-only triggers."""
    with connection.cursor() as cur:
        if connection.vendor == "postgresql":
            # Deferred foreign-key checks count as pending trigger events and block ALTER.
            cur.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cur.execute("ALTER TABLE platform_auditevent DISABLE TRIGGER platform_auditevent_append_only")
            cur.execute("ALTER TABLE platform_audithead DISABLE TRIGGER platform_audithead_forward_only")
        else:
            cur.execute("DROP TRIGGER IF EXISTS platform_auditevent_no_update")


def test_events_form_a_chain(db):
    e1 = record("test.one", acting_user=None, data={"x": 1})
    e2 = record("test.two", acting_user=None, data={"y": [1, 2]})
    assert e1.seq == 1 and e1.prev_hash == GENESIS
    assert e2.prev_hash == e1.hash
    stored = AuditEvent.objects.get(seq=2)
    assert stored.version == 2 and e2.hash == body_hash(e1.hash, stored.body)
    assert json.loads(stored.body)["data"] == {"y": [1, 2]}
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
    disable_guard()
    with connection.cursor() as cur:
        cur.execute("UPDATE platform_auditevent SET data = %s WHERE seq = 3", ['{"i": 99}'])
    count, broken = verify_chain()
    assert broken[0] == 3 and "'data'" in broken[1] and "altered" in broken[1]
    with pytest.raises(CommandError, match="broken at event 3"):
        call_command("audit_verify")


@pytest.mark.parametrize("column, value", [
    ("actor_id", "NULL"), ("organisation_id", "NULL"), ("action", "'test.forged'"), ("object_id", "'999'"),
    ("object_type", "'x.y'"), ("actor_name", "'someone'"), ("at", "at + interval '1 second'"),
])
def test_every_column_is_covered_by_the_hash(users, orgs, column, value):
    if column == "at" and connection.vendor != "postgresql":
        value = "datetime(at, '+1 second')"
    event = record("test.event", acting_user=users["a_dev"], organisation=orgs["a"], obj=orgs["a"], data={"k": 1})
    assert verify_chain()[1] is None
    disable_guard()
    with connection.cursor() as cur:
        cur.execute(f"UPDATE platform_auditevent SET {column} = {value} WHERE seq = %s", [event.seq])
    seq, reason = verify_chain()[1]
    assert seq == event.seq and "altered" in reason


def test_the_body_itself_cannot_be_rewritten(db):
    record("test.event", acting_user=None, data={"amount": 10})
    disable_guard()
    with connection.cursor() as cur:
        cur.execute("UPDATE platform_auditevent SET body = replace(body, '10', '11')")
    assert verify_chain()[1] == (1, "stored hash does not match the event's content (event altered)")


ROUND_TRIP = {
    "mape": 1e16, "huge": 1.2345678901234567e300, "tiny": 5e-324, "third": 1 / 3, "neg": -2.5e-7, "zero": -0.0,
    "int": 2**62, "bool": True, "none": None, "text": "中台 ☃ \U0001F600 \"quoted\" \\ back\nslash",
    "nested": {"b": [1, 2.5, {"deep": [False, "é"]}], "a": {}}, "list": [], "nan": float("nan"),
}


def test_numbers_unicode_and_nesting_round_trip_without_false_alarm(db):
    """JSONB stores 1e16 as 10000000000000000 and re-orders keys: what was hashed is
    the stored body, so reading the data column back changes nothing."""
    event = record("test.metrics", acting_user=None, data=ROUND_TRIP)
    stored = AuditEvent.objects.get(seq=event.seq)
    assert stored.data["mape"] == 1e16 and stored.data["nan"] == "nan"
    assert stored.data["text"] == ROUND_TRIP["text"] and stored.data["nested"] == ROUND_TRIP["nested"]
    assert stored.body.isascii()
    record("test.after", acting_user=None)
    assert verify_chain() == (2, None)


def test_a_data_value_of_the_wrong_type_is_caught(db):
    record("test.flag", acting_user=None, data={"approved": False, "n": 1})
    disable_guard()
    with connection.cursor() as cur:
        cur.execute("UPDATE platform_auditevent SET data = %s", ['{"approved": 0, "n": 1}'])
    assert "'data'" in verify_chain()[1][1]


def test_version_1_events_still_verify_and_cannot_follow_version_2(db):
    """Events written before bodies existed hashed the columns; they stay valid."""
    legacy = AuditEvent(seq=1, at=timezone.now(), actor_name="system", action="legacy.one", data={"x": 1},
                        prev_hash=GENESIS)
    legacy.hash = event_hash(GENESIS, legacy.payload())
    legacy.save()
    AuditHead.objects.create(pk=1, last_seq=1, last_hash=legacy.hash)
    new = record("test.new", acting_user=None)
    assert new.version == 2 and new.prev_hash == legacy.hash
    assert verify_chain() == (2, None)
    # A forger who writes the old format (no actor id, no body) after a new event is named.
    forged = AuditEvent(seq=3, at=timezone.now(), actor_name="system", action="forged", prev_hash=new.hash)
    forged.hash = event_hash(new.hash, forged.payload())
    forged.save()
    AuditHead.objects.filter(pk=1).update(last_seq=3, last_hash=forged.hash)
    assert verify_chain()[1] == (3, "a version 1 event after a version 2 event (forged or downgraded)")


def test_verify_reports_deleted_event(db):
    for i in range(4):
        record("test.event", acting_user=None, data={"i": i})
    disable_guard()
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
