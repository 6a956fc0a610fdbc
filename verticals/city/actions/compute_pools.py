"""Compute pools: how many calls an accelerator type runs at once and how many may wait
(audited). A pool whose accelerator this host lacks is accepted and runs simulated."""
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from core.hub.models import name_validator
from core.platform import access
from core.platform.actions.audit import record
from core.platform.lib import roles

from . import dispatchers
from ..models import ComputePool

MAX_CAPACITY = 1024
MAX_QUEUE = 100_000


def _user(acting_user):
    return acting_user if acting_user is not None and acting_user.is_authenticated else None


def _clean_pool_fields(accelerator, capacity, max_queue):
    errors = {}
    if accelerator not in ComputePool.Accelerator.values:
        errors["accelerator"] = f"accelerator must be one of {', '.join(ComputePool.Accelerator.values)}"
    if not isinstance(capacity, int) or isinstance(capacity, bool) or not 1 <= capacity <= MAX_CAPACITY:
        errors["capacity"] = f"capacity must be a whole number from 1 to {MAX_CAPACITY}"
    if not isinstance(max_queue, int) or isinstance(max_queue, bool) or not 0 <= max_queue <= MAX_QUEUE:
        errors["max_queue"] = f"max_queue must be a whole number from 0 to {MAX_QUEUE}"
    if errors:
        raise ValidationError(errors)


def create_pool(*, organisation, name, accelerator, acting_user, capacity=1, max_queue=32, enabled=True):
    """A pool of `capacity` concurrent calls on one accelerator type; `max_queue` more
    may wait. A pool whose accelerator this host lacks is accepted and runs simulated."""
    access.require(acting_user, roles.DEVELOP, organisation, "create compute pools")
    try:
        name_validator(name)
    except ValidationError as exc:
        raise ValidationError({"name": exc.messages}) from None
    _clean_pool_fields(accelerator, capacity, max_queue)
    if ComputePool.objects.filter(organisation=organisation, name=name).exists():
        raise ValidationError({"name": f"{organisation} already has a compute pool named {name!r}"})
    try:
        with transaction.atomic():
            pool = ComputePool.objects.create(organisation=organisation, name=name, accelerator=accelerator,
                                              capacity=capacity, max_queue=max_queue, enabled=bool(enabled),
                                              created_by=_user(acting_user))
            record("city.pool.create", acting_user=acting_user, organisation=organisation, obj=pool,
                   data={"name": name, "accelerator": accelerator, "capacity": capacity, "max_queue": max_queue,
                         "enabled": bool(enabled), "simulated": dispatchers.absent_reason(accelerator)})
    except IntegrityError:
        raise ValidationError({"name": f"{organisation} already has a compute pool named {name!r}"}) from None
    return pool


POOL_FIELDS = ("accelerator", "capacity", "max_queue", "enabled")


def update_pool(pool, *, acting_user, **changes):
    """Change accelerator, capacity, max_queue or enabled. Each process's dispatcher takes
    the change on its next call; calls already running or queued finish where they are."""
    access.require(acting_user, roles.DEVELOP, pool.organisation, "change compute pools")
    unknown = sorted(set(changes) - set(POOL_FIELDS))
    if unknown:
        raise ValidationError({unknown[0]: f"cannot change {', '.join(unknown)}; changeable: {', '.join(POOL_FIELDS)}"})
    merged = {f: changes.get(f, getattr(pool, f)) for f in POOL_FIELDS}
    _clean_pool_fields(merged["accelerator"], merged["capacity"], merged["max_queue"])
    merged["enabled"] = bool(merged["enabled"])
    before = {f: getattr(pool, f) for f in POOL_FIELDS}
    with transaction.atomic():
        for f, v in merged.items():
            setattr(pool, f, v)
        pool.save(update_fields=list(POOL_FIELDS))
        record("city.pool.update", acting_user=acting_user, organisation=pool.organisation, obj=pool,
               data={"before": before, "after": merged})
    return pool
