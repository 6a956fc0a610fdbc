"""The Celery app. Queues come from the core plus every installed vertical's manifest."""
import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "core.settings.computed")

app = Celery("zhongtai")
app.config_from_object("django.conf:settings", namespace="CELERY")


def _task_packages():
    # Called when the app finalizes, once settings are loaded: each installed vertical's tasks.py too.
    from django.conf import settings

    return ["core.platform", "core.training", "core.inference", "core.data", "core.hub", *settings.ZHONGTAI_VERTICALS]


app.autodiscover_tasks(_task_packages)
app.conf.beat_schedule = {
    "reap-lost-jobs": {"task": "core.training.reap_lost_jobs", "schedule": 30.0},
}


@app.on_after_configure.connect
def _schedule_audit_checkpoints(sender, **kwargs):
    # Events after the last signed checkpoint rest on the database alone, so sign often.
    from django.conf import settings

    sender.conf.beat_schedule["audit-checkpoint"] = {
        "task": "core.platform.audit_checkpoint", "schedule": float(settings.AUDIT_CHECKPOINT_INTERVAL_S)}


@app.on_after_configure.connect
def _ensure_filesystem_broker_folders(sender, **kwargs):
    from pathlib import Path

    options = sender.conf.broker_transport_options or {}
    for key in ("data_folder_in", "data_folder_out", "processed_folder", "control_folder"):
        if options.get(key):
            Path(options[key]).mkdir(parents=True, exist_ok=True)


@app.on_after_finalize.connect
def _declare_vertical_queues(sender, **kwargs):
    from kombu import Queue

    from core.platform.queueing import queue_names

    sender.conf.task_queues = [Queue(name) for name in queue_names("all")]

