"""Shared serializer fields and helpers for the core and vertical APIs."""
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from core.platform import access


@extend_schema_field(OpenApiTypes.STR)
class OrganisationField(serializers.Field):
    """Accepts an organisation id or code the user can see; anything else is a
    validation error naming the value (not a leak of which exist)."""

    def to_internal_value(self, data):
        user = self.context["request"].user
        visible = access.orgs_with(user)
        org = None
        if isinstance(data, int) or (isinstance(data, str) and data.isdigit()):
            org = visible.filter(pk=int(data)).first()
        elif isinstance(data, str):
            org = visible.filter(code=data).first()
        if org is None:
            raise serializers.ValidationError(f"unknown organisation {data!r}")
        return org

    def to_representation(self, value):
        return {"id": value.pk, "code": value.code, "name": value.name}
