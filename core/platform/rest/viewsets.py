"""The one shape every API viewset takes: reads scoped by organisation through
core.platform.access.scope, writes checked against the object's organisation, and a
partial-update serializer that names what may change. A vertical's viewset is a few
declarations on these bases (DESIGN.md, "One API style")."""
from rest_framework import serializers, viewsets

from core.platform import access
from core.platform.lib import roles


class OrganisationScopedViewSet(viewsets.GenericViewSet):
    """Reads: the rows of `queryset` in the subtrees where the caller holds
    `read_capability`, reached through `organisation_field` (e.g. "camera__organisation");
    with `shared_field` (e.g. "published") rows an ancestor shares are visible too.
    Writes: `check_write(obj)` requires `write_capability` in the object's organisation;
    `check_write_in(org)` does it for an organisation a create names."""

    organisation_field = "organisation"
    shared_field = None
    read_capability = roles.READ
    write_capability = roles.DEVELOP

    def get_queryset(self):
        assert self.queryset is not None, f"{type(self).__name__} declares no queryset"
        return access.scope(self.queryset.all(), self.request.user, self.read_capability,
                            field=self.organisation_field, shared=self.shared_field)

    def organisation_of(self, obj):
        for part in self.organisation_field.split("__"):
            obj = getattr(obj, part)
        return obj

    def check_write_in(self, organisation, what=None):
        access.require(self.request.user, self.write_capability, organisation,
                       what or f"change {self.get_queryset().model._meta.verbose_name_plural}")

    def check_write(self, obj, what=None):
        self.check_write_in(self.organisation_of(obj), what)


class PartialUpdateSerializer(serializers.Serializer):
    """A PATCH body: every field optional, an unknown field is refused by name (a typo
    must not be ignored silently), and an empty body is refused."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.required = False

    def validate(self, attrs):
        initial = self.initial_data if isinstance(self.initial_data, dict) else {}
        unknown = sorted(set(initial) - set(self.fields))
        if unknown:
            raise serializers.ValidationError(
                {unknown[0]: [f"cannot change {', '.join(unknown)}; changeable: {', '.join(self.fields)}"]})
        if not attrs:
            raise serializers.ValidationError(f"send at least one of {', '.join(self.fields)}")
        return attrs
