"""Publishing work to the broker with a bounded wait.

A broker that refuses connections or accepts and never answers must cost the
request a few seconds and a clear error, never a hung worker: the timeouts live in
settings (CELERY_BROKER_CONNECTION_TIMEOUT, the transport's socket timeouts, the
publish retry policy) and every failure to hand the message over becomes
QueueUnavailable, which the API answers with 503."""
import socket

from kombu.exceptions import KombuError

from .errors import Unavailable


class QueueUnavailable(Unavailable):
    """The broker did not take the message; nothing was queued."""


def publish(task, *, args=(), queue="default"):
    """task.apply_async (so task_always_eager still runs it in place for tests and demos)."""
    try:
        task.apply_async(args=list(args), queue=queue)
    except (KombuError, OSError, socket.timeout, TimeoutError) as exc:
        raise QueueUnavailable(f"the task queue {queue!r} is unavailable ({type(exc).__name__}: {exc})") from exc
