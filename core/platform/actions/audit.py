import datetime
import json
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from .. import audit_checkpoints
from ..lib.hashchain import GENESIS, body_hash, encode_body, first_broken_link, plain_json
from ..models import AuditEvent, AuditHead


def record(action, *, acting_user, organisation=None, obj=None, object_type="", object_id="", data=None):
    """Append one event to the chain. Joins the caller's transaction so the event
    exists exactly when the change it describes does."""
    if obj is not None:
        object_type = object_type or f"{obj._meta.app_label}.{obj._meta.model_name}"
        object_id = object_id or str(obj.pk)
    actor = acting_user if acting_user is not None and acting_user.is_authenticated else None
    with transaction.atomic():
        head, _ = AuditHead.objects.select_for_update().get_or_create(pk=1, defaults={"last_hash": GENESIS})
        fields = {
            "seq": head.last_seq + 1,
            "at": timezone.now().isoformat(),
            "actor_id": actor.pk if actor else None,
            "actor": actor.get_username() if actor else "system",
            "organisation": organisation.pk if organisation is not None else None,
            "action": action,
            "object_type": object_type,
            "object_id": str(object_id),
            "data": plain_json(data or {}),
        }
        body = encode_body(fields)
        hashed = json.loads(body)
        event = AuditEvent(
            seq=hashed["seq"],
            at=datetime.datetime.fromisoformat(hashed["at"]),
            actor=actor,
            actor_name=hashed["actor"],
            organisation=organisation,
            action=action,
            object_type=object_type,
            object_id=hashed["object_id"],
            data=hashed["data"],
            body=body,
            prev_hash=head.last_hash,
            hash=body_hash(head.last_hash, body),
        )
        event.save()
        AuditHead.objects.filter(pk=1).update(last_seq=event.seq, last_hash=event.hash)
    return event


@dataclass
class Verification:
    checked: int = 0                 # events read
    broken: tuple | None = None      # (seq, reason) of the first problem
    last_seq: int = 0                # the chain's last event
    last_hash: str = GENESIS
    checkpoint: dict | None = None   # the latest signed checkpoint, if any

    @property
    def after_checkpoint(self):
        """Events no signed checkpoint covers yet."""
        return self.last_seq - (self.checkpoint["seq"] if self.checkpoint else 0)


class ChainBroken(Exception):
    pass


def _events_after(seq, batch_size):
    last = seq
    while True:
        batch = list(AuditEvent.objects.filter(seq__gt=last).order_by("seq")[:batch_size])
        if not batch:
            return
        yield from batch
        last = batch[-1].seq


def verify(*, since_checkpoint=False, batch_size=2000) -> Verification:
    """Checks the chain from the first event (or, when `since_checkpoint`, from the
    latest signed checkpoint on), then that it still holds the checkpointed event
    with its signed hash and reaches at least that far, then the head row."""
    result = Verification()
    checkpoint, problem = audit_checkpoints.latest()
    if problem:
        result.broken = (checkpoint["seq"] if checkpoint and isinstance(checkpoint.get("seq"), int) else 0,
                         problem)
        return result
    result.checkpoint = checkpoint
    start_seq, start_prev, seen_v2 = 1, GENESIS, False
    if since_checkpoint and checkpoint and checkpoint["seq"] > 0:
        anchor = AuditEvent.objects.filter(seq=checkpoint["seq"]).first()
        if anchor is None or anchor.hash != checkpoint["hash"]:
            result.broken = (checkpoint["seq"], "the event a signed checkpoint covers is missing or differs "
                                                "(chain rewritten or truncated)")
            return result
        start_seq, start_prev, seen_v2 = anchor.seq + 1, anchor.hash, anchor.body is not None
        result.last_seq, result.last_hash = anchor.seq, anchor.hash
    signed_hash_seen = None

    def links():
        nonlocal signed_hash_seen
        for event in _events_after(start_seq - 1, batch_size):
            result.checked += 1
            if checkpoint and event.seq == checkpoint["seq"]:
                signed_hash_seen = event.hash
            yield event.chain_link()
            result.last_seq, result.last_hash = event.seq, event.hash

    result.broken = first_broken_link(links(), start_seq, start_prev, seen_v2)
    if result.broken is None and checkpoint and start_seq <= checkpoint["seq"]:
        if result.last_seq < checkpoint["seq"]:
            result.broken = (result.last_seq + 1, f"the chain ends at event {result.last_seq} but a signed "
                                                  f"checkpoint covers event {checkpoint['seq']}: events deleted")
        elif signed_hash_seen != checkpoint["hash"] and checkpoint["seq"] > 0:
            result.broken = (checkpoint["seq"], "the event differs from the signed checkpoint (chain rewritten)")
    if result.broken is None:
        head = AuditHead.objects.filter(pk=1).first()
        if head and head.last_seq != result.last_seq:
            result.broken = (result.last_seq + 1, f"chain ends at event {result.last_seq} but the head records "
                                                  f"{head.last_seq}: events deleted")
    return result


def verify_chain(batch_size=2000):
    """Returns (checked_count, None) when intact, else (checked_count, (seq, reason))."""
    result = verify(batch_size=batch_size)
    return result.checked, result.broken


def write_checkpoint(*, by: str) -> dict:
    """Signs the head of the chain as it stands, after checking the events since the
    last checkpoint (never sign a chain that is already broken), and appends the
    checkpoint to the file (and syslog). Raises ChainBroken instead of signing."""
    result = verify(since_checkpoint=True)
    if result.broken is not None:
        seq, reason = result.broken
        raise ChainBroken(f"not signing: the audit chain is broken at event {seq}: {reason}")
    checkpoint = audit_checkpoints.make(result.last_seq, result.last_hash, by=by)
    audit_checkpoints.append(checkpoint)
    return checkpoint
