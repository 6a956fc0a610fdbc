"""Query parameters the city APIs share."""
from datetime import datetime

from django.utils import timezone
from django.utils.dateparse import parse_datetime

from core.platform.rest.exceptions import FieldErrors


def datetime_param(raw, name):
    """An ISO 8601 date-time from a query parameter, timezone-aware (without an offset it is
    local time, as an HTML datetime-local field sends it); None when absent; 400 naming the
    parameter when malformed."""
    if raw is None or not str(raw).strip():
        return None
    value = None
    # An unencoded '+' of a UTC offset arrives as a space.
    for text in (raw.strip(), raw.strip().replace(" ", "+")):
        for parse in (parse_datetime, datetime.fromisoformat):
            try:
                value = value or parse(text)
            except ValueError:  # well formed but impossible, e.g. month 13
                pass
    if value is None:
        raise FieldErrors({name: [f"{name} must be an ISO 8601 date-time, e.g. 2024-05-01T08:00:00Z"]},
                          f"{name}: not an ISO 8601 date-time")
    return timezone.make_aware(value) if timezone.is_naive(value) else value
