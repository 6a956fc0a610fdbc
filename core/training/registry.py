"""The trainer registry (filled from verticals' trainers.py, see core.platform.verticals).
A trainer is a callable taking a JobContext and returning a JSON-able result dict.

A trainer is short (minutes: scorecards, fraud, regressions, forecasts) unless its
registration wraps it in long_running (detector trainings, whole pipelines: hours).
Long jobs go to their queue's long twin, which has its own worker slots, so a
10-second scorecard never waits behind two detector trainings.

A trainer may also declare a submission check (checked_by): submit_job calls it before
the job exists, so bad parameters (a target column that is not there) are a 400 at the
door rather than a failed job minutes later in the worker."""
from core.platform.queueing import LONG, SHORT, long_queue
from core.platform.verticals import registry

_DURATION_ATTR = "duration_class"
_CHECK_ATTR = "submission_check"


def long_running(fn):
    """Declare a trainer long (used in a TRAINERS registration); returns the trainer."""
    setattr(fn, _DURATION_ATTR, LONG)
    return fn


def checked_by(check):
    """Declare a trainer's submission check (used in a TRAINERS registration):
    check(params, *, organisation, acting_user) raises django's ValidationError naming
    the parameter at fault. Returns a decorator that returns the trainer itself."""
    def declare(fn):
        setattr(fn, _CHECK_ATTR, check)
        return fn
    return declare


def submission_check(name: str):
    """The trainer's submission check, or None."""
    return getattr(get_trainer(name), _CHECK_ATTR, None)


def get_trainer(name: str):
    try:
        return registry["trainers"][name]
    except KeyError:
        known = ", ".join(sorted(registry["trainers"])) or "none"
        raise LookupError(f"no trainer named {name!r}; registered: {known}") from None


def trainer_names():
    return sorted(registry["trainers"])


def duration_class(name: str) -> str:
    return getattr(get_trainer(name), _DURATION_ATTR, SHORT)


def queue_for(name: str) -> str:
    """The queue a job of trainer `name` goes to: its vertical's first queue ("default"
    for the core's own trainers), or that queue's long twin for a long trainer."""
    vertical = registry["verticals"].get(name.split(".", 1)[0])
    base = vertical.celery_queues[0] if vertical is not None and vertical.celery_queues else "default"
    return long_queue(base) if duration_class(name) == LONG else base
