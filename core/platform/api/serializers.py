from django.contrib.auth import get_user_model
from rest_framework import serializers

from core.platform.lib import roles
from core.platform.models import AuditEvent, Membership, Organisation


class OrganisationSerializer(serializers.ModelSerializer):
    parent = serializers.PrimaryKeyRelatedField(read_only=True, allow_null=True)

    class Meta:
        model = Organisation
        fields = ["id", "name", "code", "kind", "parent", "path", "created_at"]


class OrganisationCreateSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=200)
    code = serializers.SlugField(max_length=64)
    kind = serializers.ChoiceField(choices=Organisation.Kind.choices)
    parent = serializers.IntegerField(required=False, allow_null=True)


class MembershipSerializer(serializers.ModelSerializer):
    organisation = OrganisationSerializer(read_only=True)

    class Meta:
        model = Membership
        fields = ["organisation", "role"]


class MeSerializer(serializers.ModelSerializer):
    memberships = MembershipSerializer(many=True, read_only=True)

    class Meta:
        model = get_user_model()
        fields = ["id", "username", "email", "is_superuser", "memberships"]


class GrantRoleSerializer(serializers.Serializer):
    username = serializers.CharField()
    role = serializers.ChoiceField(choices=roles.ROLES)


class AuditEventSerializer(serializers.ModelSerializer):
    class Meta:
        model = AuditEvent
        fields = ["seq", "at", "actor_name", "organisation", "action", "object_type", "object_id", "data",
                  "prev_hash", "hash"]
