from rest_framework import serializers

from core.api.fields import OrganisationField

from ..models import AliasChangeRequest, Artifact, ModelAlias, ModelVersion, RegisteredModel, name_validator


class ArtifactSerializer(serializers.ModelSerializer):
    organisation = OrganisationField(read_only=True)

    class Meta:
        model = Artifact
        fields = ["sha256", "size", "filename", "content_type", "organisation", "created_at"]


class ArtifactUploadSerializer(serializers.Serializer):
    file = serializers.FileField()
    organisation = OrganisationField()
    sha256 = serializers.RegexField(r"^[0-9a-fA-F]{64}$", required=False,
                                    help_text="if given, the upload is refused unless its content hashes to it")


class AliasSerializer(serializers.ModelSerializer):
    version = serializers.IntegerField(source="version.version")
    version_id = serializers.IntegerField(source="version.id")
    updated_by = serializers.CharField(source="updated_by.username", default=None)
    approved_by = serializers.CharField(source="approved_by.username", default=None)

    class Meta:
        model = ModelAlias
        fields = ["name", "version", "version_id", "updated_by", "approved_by", "updated_at"]


class ModelSerializer(serializers.ModelSerializer):
    organisation = OrganisationField()
    aliases = AliasSerializer(many=True, read_only=True)
    latest_version = serializers.SerializerMethodField()
    created_by = serializers.CharField(source="created_by.username", default=None, read_only=True)
    name = serializers.CharField(max_length=100, validators=[name_validator])

    class Meta:
        model = RegisteredModel
        fields = ["id", "name", "title", "organisation", "vertical", "model_type", "description", "published",
                  "tags", "aliases", "latest_version", "created_by", "created_at"]
        read_only_fields = ["id", "created_at"]
        validators = []  # uniqueness is checked by the action, with a clearer message

    def get_latest_version(self, obj) -> int | None:
        latest = getattr(obj, "latest_version_number", None)
        if latest is None and not hasattr(obj, "latest_version_number"):
            v = obj.versions.order_by("-version").first()
            latest = v.version if v else None
        return latest

    def validate_tags(self, value):
        if not isinstance(value, dict):
            raise serializers.ValidationError("tags must be a JSON object")
        return value


class ModelUpdateSerializer(serializers.Serializer):
    published = serializers.BooleanField()


class VersionSerializer(serializers.ModelSerializer):
    model_name = serializers.CharField(source="model.name", read_only=True)
    artifact = ArtifactSerializer(read_only=True)
    aliases = serializers.SlugRelatedField(slug_field="name", many=True, read_only=True)
    created_by = serializers.CharField(source="created_by.username", default=None, read_only=True)

    class Meta:
        model = ModelVersion
        fields = ["id", "model", "model_name", "version", "artifact", "metrics", "params", "tags", "description",
                  "aliases", "created_by", "created_at"]


class VersionCreateSerializer(serializers.Serializer):
    artifact = serializers.RegexField(r"^[0-9a-f]{64}$", help_text="SHA-256 of an uploaded artifact")
    metrics = serializers.DictField(required=False)
    params = serializers.DictField(required=False)
    tags = serializers.DictField(required=False)
    description = serializers.CharField(required=False, allow_blank=True)


class AliasMoveSerializer(serializers.Serializer):
    alias = serializers.CharField(max_length=50, validators=[name_validator])
    version = serializers.IntegerField(min_value=1, help_text="version number of this model")
    reason = serializers.CharField(required=False, allow_blank=True)


class AliasRequestSerializer(serializers.ModelSerializer):
    model_name = serializers.CharField(source="model.name")
    version_number = serializers.IntegerField(source="version.version")
    requested_by = serializers.CharField(source="requested_by.username")
    decided_by = serializers.CharField(source="decided_by.username", default=None)

    class Meta:
        model = AliasChangeRequest
        fields = ["id", "model", "model_name", "alias", "version", "version_number", "status", "reason",
                  "requested_by", "requested_at", "decided_by", "decided_at", "comment"]


class DecisionSerializer(serializers.Serializer):
    comment = serializers.CharField(required=False, allow_blank=True, default="")
