"""The kinds of failure an action can report, one class per HTTP answer.

App exceptions subclass these, so the API's error handler maps only the kinds and
never imports an app (it sits above every app; the apps sit above the platform)."""


class BadInput(ValueError):
    """The caller sent something unusable: 400. `field`, when given, names the input at fault."""

    field = None

    def __init__(self, message="", *, field=None):
        super().__init__(message)
        if field is not None:
            self.field = field


class NotFound(LookupError):
    """The thing asked about does not exist, or the caller may not see it: 404."""


class Conflict(RuntimeError):
    """The request is sound but the object's state refuses it now: 409."""


class TooLarge(Exception):
    """The input is over a configured size limit: 413."""


class Unavailable(Exception):
    """A service the request needs is down; retrying later may succeed: 503."""

    retry_after_s = 30
