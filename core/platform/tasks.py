"""Thin Celery wrappers around platform actions."""
import logging

from celery import shared_task

from .actions.audit import ChainBroken, write_checkpoint

log = logging.getLogger(__name__)


@shared_task(name="core.platform.audit_checkpoint")
def audit_checkpoint_task():
    try:
        checkpoint = write_checkpoint(by="celery beat")
    except ChainBroken as exc:
        # Loud, and again on every tick until someone looks: a broken chain is an incident.
        log.critical("%s", exc)
        raise
    return {"seq": checkpoint["seq"], "hash": checkpoint["hash"]}
