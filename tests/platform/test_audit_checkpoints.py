"""Signed checkpoints catch what hashes alone cannot: a truncated tail with the head
rolled back, and a chain altered and re-hashed by someone who holds the database."""
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from core.platform import audit_checkpoints, signing
from core.platform.actions.audit import ChainBroken, record, verify, verify_chain, write_checkpoint
from core.platform.lib.hashchain import body_hash, encode_body
from core.platform.models import AuditEvent, AuditHead

from .test_audit import disable_guard


@pytest.fixture(autouse=True)
def checkpoint_file(settings, tmp_path):
    settings.AUDIT_CHECKPOINT_FILE = tmp_path / "audit" / "checkpoints.jsonl"
    settings.SIGNING_KEY_FILE = tmp_path / "keys" / "signing.pem"
    return settings.AUDIT_CHECKPOINT_FILE


def _events(n):
    return [record("test.event", acting_user=None, data={"i": i}) for i in range(n)]


def test_checkpoint_is_a_signed_line_and_verify_counts_what_came_after(db, checkpoint_file, capsys):
    events = _events(3)
    call_command("audit_verify")
    assert "no signed checkpoint yet" in capsys.readouterr().out
    call_command("audit_checkpoint")
    assert "checkpoint signed: event 3" in capsys.readouterr().out
    line = json.loads(checkpoint_file.read_text().splitlines()[-1])
    assert line["seq"] == 3 and line["hash"] == events[-1].hash and line["key_id"] == signing.key_id()
    assert audit_checkpoints.signature_problem(line, signing.public_key_pem()) is None
    _events(2)
    call_command("audit_verify")
    out = capsys.readouterr().out
    assert "5 events verified" in out and "latest signed checkpoint: event 3" in out
    assert "2 events after it" in out
    assert verify().after_checkpoint == 2


def test_tail_deleted_and_head_rolled_back_is_caught(db):
    events = _events(5)
    write_checkpoint(by="test")
    disable_guard()
    with connection.cursor() as cur:
        cur.execute("DELETE FROM platform_auditevent WHERE seq > 3")
    AuditHead.objects.filter(pk=1).update(last_seq=3, last_hash=events[2].hash)
    _, broken = verify_chain()
    assert broken == (4, "the chain ends at event 3 but a signed checkpoint covers event 5: events deleted")


def _rehash_from(seq):
    """The forger's move: rewrite every event from `seq` on, with recomputed bodies and hashes."""
    prev = AuditEvent.objects.get(seq=seq - 1).hash if seq > 1 else "0" * 64
    with connection.cursor() as cur:
        for event in AuditEvent.objects.filter(seq__gte=seq).order_by("seq"):
            fields = json.loads(event.body)
            fields.pop("v")
            fields["data"] = {"i": 99} if event.seq == seq else fields["data"]
            body = encode_body(fields)
            new_hash = body_hash(prev, body)
            cur.execute("UPDATE platform_auditevent SET body = %s, data = %s, prev_hash = %s, hash = %s "
                        "WHERE seq = %s", [body, json.dumps(fields["data"]), prev, new_hash, event.seq])
            prev = new_hash
    AuditHead.objects.filter(pk=1).update(last_hash=prev)


def test_a_rehashed_chain_passes_the_hashes_but_not_the_checkpoint(db, checkpoint_file):
    _events(4)
    write_checkpoint(by="test")
    disable_guard()
    _rehash_from(2)
    checkpoint_file.rename(checkpoint_file.with_suffix(".hidden"))
    assert verify_chain() == (4, None), "hashes alone cannot see a re-hashed chain"
    checkpoint_file.with_suffix(".hidden").rename(checkpoint_file)
    assert verify_chain()[1] == (4, "the event differs from the signed checkpoint (chain rewritten)")
    with pytest.raises(ChainBroken, match="not signing"):
        write_checkpoint(by="test")
    with pytest.raises(CommandError, match="chain rewritten"):
        call_command("audit_checkpoint")


def test_a_forged_checkpoint_line_is_refused(db, checkpoint_file):
    _events(2)
    write_checkpoint(by="test")
    lines = checkpoint_file.read_text().splitlines()
    forged = json.loads(lines[-1])
    forged["seq"] = 1
    checkpoint_file.write_text("\n".join([*lines, json.dumps(forged)]) + "\n")
    assert "signature does not hold" in verify_chain()[1][1]
    checkpoint_file.write_text("\n".join([*lines, "{not json"]) + "\n")
    assert "not valid JSON" in verify_chain()[1][1]


def test_a_checkpoint_from_another_key_is_named(db, checkpoint_file, settings, tmp_path):
    _events(1)
    write_checkpoint(by="test")
    settings.SIGNING_KEY_FILE = tmp_path / "other.pem"
    assert "signed by key" in verify_chain()[1][1]


def test_new_checkpoints_check_only_events_since_the_last_one(db):
    _events(3)
    first = write_checkpoint(by="test")
    _events(2)
    second = write_checkpoint(by="test")
    assert (first["seq"], second["seq"]) == (3, 5)
    assert verify(since_checkpoint=True).checked == 0
    assert verify().checked == 5


def test_checkpoints_go_to_syslog_when_asked(db, settings, monkeypatch):
    sent = []
    monkeypatch.setattr("syslog.syslog", lambda priority, message: sent.append(message))
    _events(1)
    write_checkpoint(by="test")
    assert sent == []
    settings.AUDIT_SYSLOG = True
    write_checkpoint(by="test")
    assert len(sent) == 1 and sent[0].startswith("checkpoint ") and '"seq":1' in sent[0]


def test_beat_signs_checkpoints_on_a_schedule(db, checkpoint_file):
    from core.celery import app
    from core.platform.tasks import audit_checkpoint_task

    entry = app.conf.beat_schedule["audit-checkpoint"]
    assert entry["task"] == audit_checkpoint_task.name and entry["schedule"] > 0
    _events(2)
    assert audit_checkpoint_task() == {"seq": 2, "hash": AuditEvent.objects.get(seq=2).hash}
    assert json.loads(checkpoint_file.read_text())["by"] == "celery beat"


def test_auditors_sign_and_see_checkpoints_through_the_api(api, users):
    r = api(users["a_viewer"]).post("/api/v1/audit/events/checkpoint/")
    assert r.status_code == 403 and r.json()["status"] == 403
    r = api(users["hq_auditor"]).post("/api/v1/audit/events/checkpoint/")
    assert r.status_code == 201 and r.json()["by"] == "hq_auditor"
    seq = r.json()["seq"]
    record("test.after", acting_user=None)
    body = api(users["hq_auditor"]).get("/api/v1/audit/events/verify/").json()
    assert body["intact"] is True and body["checkpoint"]["seq"] == seq and body["events_after_checkpoint"] == 1


def test_a_broken_chain_gets_no_checkpoint_through_the_api(api, users):
    disable_guard()
    with connection.cursor() as cur:
        cur.execute("UPDATE platform_auditevent SET action = 'forged' WHERE seq = 1")
    r = api(users["hq_auditor"]).post("/api/v1/audit/events/checkpoint/")
    assert r.status_code == 409 and "broken at event 1" in r.json()["message"]
