"""Publishing work to the broker by task name, with a bounded wait.

Work is queued by name, so no action imports a worker module (the worker module
imports the action: the other way round is a circle).

A broker that refuses connections or accepts and never answers must cost the
request a few seconds and a clear error, never a hung worker: the timeouts live in
settings (CELERY_BROKER_CONNECTION_TIMEOUT, the transport's socket timeouts, the
publish retry policy) and every failure to hand the message over becomes
QueueUnavailable, which the API answers with 503."""
import socket

from celery import current_app
from kombu.exceptions import KombuError

from .errors import Unavailable

# Two kinds of queue, each with its own worker slots: a job of minutes must never
# wait behind a training of hours. Every short queue ("default" and each vertical's)
# has a long twin "<name>-long"; which one a job goes to is its producer's call
# (training jobs: the trainer's declared duration class, core.training.registry).
SHORT, LONG = "short", "long"
KINDS = (SHORT, LONG, "all")


def long_queue(name):
    return f"{name}-long"


def queue_names(kind="all"):
    """The queues workers must consume, of one kind or all: "default" and the installed
    verticals' queues (short), then their long twins."""
    from core.platform.verticals import registry

    if kind not in KINDS:
        raise ValueError(f"queue kind must be one of {', '.join(KINDS)}, not {kind!r}")
    short = list(dict.fromkeys(["default", *registry.queues()]))
    long = [long_queue(name) for name in short]
    return {SHORT: short, LONG: long, "all": short + long}[kind]


class QueueUnavailable(Unavailable):
    """The broker did not take the message; nothing was queued."""


def publish(task_name, *, args=(), queue="default"):
    """Queue the task called `task_name`. Where task_always_eager is set (tests, demos)
    it runs in place, which needs the task registered here: the apps' tasks modules are
    imported first, as a worker does at start."""
    app = current_app
    if app.conf.task_always_eager and task_name not in app.tasks:
        app.loader.import_default_modules()
    try:
        app.signature(task_name).apply_async(args=list(args), queue=queue)
    except (KombuError, OSError, socket.timeout, TimeoutError) as exc:
        raise QueueUnavailable(f"the task queue {queue!r} is unavailable ({type(exc).__name__}: {exc})") from exc
