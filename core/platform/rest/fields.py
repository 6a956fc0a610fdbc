"""Shared serializer fields and helpers for the core and vertical APIs."""
import re

from rest_framework import serializers

from core.platform import access

# Database integer columns are 64-bit; a larger id can never match and PostgreSQL
# answers "bigint out of range" instead of "no row".
MAX_ID = 2**63 - 1
_ASCII_DIGITS = re.compile(r"[0-9]+")


def parse_id(value):
    """The int an id written in ASCII digits stands for, or None.

    str.isdigit() accepts "²" and "١", which int() then refuses or reads as a
    different number, so ids are parsed here and nowhere else."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value if 0 <= value <= MAX_ID else None
    if isinstance(value, str) and _ASCII_DIGITS.fullmatch(value) and len(value) <= 19:
        number = int(value)
        return number if number <= MAX_ID else None
    return None


def query_int(request, name, *, default=None, minimum=None, maximum=None):
    """A query parameter as an int within bounds; anything else a 400 naming it."""
    raw = request.query_params.get(name)
    if raw is None or raw == "":
        return default
    negative = raw.startswith("-") and minimum is not None and minimum < 0
    number = parse_id(raw[1:] if negative else raw)
    if number is not None and negative:
        number = -number
    if number is None or (minimum is not None and number < minimum) or (maximum is not None and number > maximum):
        bounds = f" between {minimum} and {maximum}" if minimum is not None and maximum is not None else ""
        raise serializers.ValidationError({name: [f"{name} must be a whole number{bounds}"]})
    return number


class OrganisationField(serializers.Field):
    """Accepts an organisation id or code the user can see; anything else is a
    validation error naming the value (not a leak of which exist). Its OpenAPI schema
    is in core/api/schema.py."""

    def to_internal_value(self, data):
        user = self.context["request"].user
        visible = access.orgs_with(user)
        org = None
        if (pk := parse_id(data)) is not None:
            org = visible.filter(pk=pk).first()
        elif isinstance(data, str) and len(data) <= 200:
            org = visible.filter(code=data).first()
        if org is None:
            raise serializers.ValidationError(f"unknown organisation {str(data)[:64]!r}")
        return org

    def to_representation(self, value):
        return {"id": value.pk, "code": value.code, "name": value.name}
