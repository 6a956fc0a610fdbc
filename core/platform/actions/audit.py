import json

from django.db import transaction
from django.utils import timezone

from ..lib.hashchain import GENESIS, canonical, event_hash
from ..models import AuditEvent, AuditHead


def _normalise(data):
    # Hash what the database will give back: plain JSON types only.
    return json.loads(canonical(data or {}))


def record(action, *, acting_user, organisation=None, obj=None, object_type="", object_id="", data=None):
    """Append one event to the chain. Joins the caller's transaction so the event
    exists exactly when the change it describes does."""
    if obj is not None:
        object_type = object_type or f"{obj._meta.app_label}.{obj._meta.model_name}"
        object_id = object_id or str(obj.pk)
    with transaction.atomic():
        head, _ = AuditHead.objects.select_for_update().get_or_create(pk=1, defaults={"last_hash": GENESIS})
        event = AuditEvent(
            seq=head.last_seq + 1,
            at=timezone.now(),
            actor=acting_user if acting_user is not None and acting_user.is_authenticated else None,
            actor_name=(acting_user.get_username() if acting_user is not None and acting_user.is_authenticated else "system"),
            organisation=organisation,
            action=action,
            object_type=object_type,
            object_id=str(object_id),
            data=_normalise(data),
            prev_hash=head.last_hash,
        )
        event.hash = event_hash(event.prev_hash, event.payload())
        event.save()
        AuditHead.objects.filter(pk=1).update(last_seq=event.seq, last_hash=event.hash)
    return event


def verify_chain(batch_size=2000):
    """Returns (checked_count, None) when intact, else (checked_count, (seq, reason))."""
    from ..lib.hashchain import first_broken_link

    def rows():
        last = 0
        while True:
            batch = list(AuditEvent.objects.filter(seq__gt=last).order_by("seq")[:batch_size])
            if not batch:
                return
            for e in batch:
                yield e.seq, e.prev_hash, e.payload(), e.hash
            last = batch[-1].seq

    counted = 0

    def counting():
        nonlocal counted
        for row in rows():
            counted += 1
            yield row

    broken = first_broken_link(counting())
    if broken is None:
        head = AuditHead.objects.filter(pk=1).first()
        if head and head.last_seq != counted:
            broken = (counted + 1, f"chain ends at event {counted} but the head records {head.last_seq}: events deleted")
    return counted, broken
