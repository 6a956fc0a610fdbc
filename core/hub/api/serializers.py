from drf_spectacular.utils import extend_schema_field, extend_schema_serializer
from rest_framework import serializers

from core.platform.rest.fields import OrganisationField

from ..models import (AliasChangeRequest, ArtifactHolding, Evaluation, ModelAlias, ModelVersion, RegisteredModel,
                      name_validator)


class ArtifactSerializer(serializers.ModelSerializer):
    """An organisation's record of an artifact (ArtifactHolding): the shared bytes'
    hash and size, with that organisation's own filename."""
    sha256 = serializers.CharField(source="artifact_id", read_only=True)
    size = serializers.IntegerField(source="artifact.size", read_only=True)
    organisation = OrganisationField(read_only=True)

    class Meta:
        model = ArtifactHolding
        fields = ["sha256", "size", "filename", "content_type", "organisation", "created_at"]


@extend_schema_field(ArtifactSerializer)
class VersionArtifactField(serializers.Field):
    """A version's artifact as its model's organisation holds it."""

    def __init__(self, **kwargs):
        super().__init__(source="*", read_only=True, **kwargs)

    def to_representation(self, version):
        holdings = [h for h in version.artifact.holdings.all() if h.organisation_id == version.model.organisation_id]
        if holdings:
            return ArtifactSerializer(holdings[0]).data
        return {"sha256": version.artifact_id, "size": version.artifact.size, "filename": "", "content_type": "",
                "organisation": None, "created_at": None}


class ArtifactUploadSerializer(serializers.Serializer):
    file = serializers.FileField()
    organisation = OrganisationField()
    sha256 = serializers.RegexField(r"^[0-9a-fA-F]{64}$", required=False,
                                    help_text="if given, the upload is refused unless its content hashes to it")


class AliasSerializer(serializers.ModelSerializer):
    version = serializers.IntegerField(source="version.version")
    version_id = serializers.IntegerField(source="version.id")
    updated_by = serializers.CharField(source="updated_by.username", default=None, allow_null=True)
    approved_by = serializers.CharField(source="approved_by.username", default=None, allow_null=True)

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
    artifact = VersionArtifactField()
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


# Not "AliasRequest": that name is the request-body component of AliasSerializer.
@extend_schema_serializer(component_name="AliasChangeRequest")
class AliasRequestSerializer(serializers.ModelSerializer):
    model_name = serializers.CharField(source="model.name")
    version_number = serializers.IntegerField(source="version.version")
    requested_by = serializers.CharField(source="requested_by.username")
    decided_by = serializers.CharField(source="decided_by.username", default=None, allow_null=True)

    class Meta:
        model = AliasChangeRequest
        fields = ["id", "model", "model_name", "alias", "version", "version_number", "status", "reason",
                  "requested_by", "requested_at", "decided_by", "decided_at", "comment"]


class DecisionSerializer(serializers.Serializer):
    comment = serializers.CharField(required=False, allow_blank=True, default="")


class EvaluationSerializer(serializers.ModelSerializer):
    """An evaluation record of a model version: its headline numbers (summary) and the report
    its page draws (shape by kind: core/hub/lib/evaluation_schema.py)."""
    model_name = serializers.CharField(source="model_version.model.name", read_only=True)
    version = serializers.IntegerField(source="model_version.version", read_only=True)
    dataset_version = serializers.IntegerField(source="dataset_version_id", read_only=True, allow_null=True,
                                               help_text="the dataset version evaluated on (id), if any")
    images = serializers.CharField(source="images_id", read_only=True, allow_null=True,
                                   help_text="SHA-256 of the zip of thumbnails the report names, if any")
    created_by = serializers.CharField(source="created_by.username", default=None, read_only=True)

    class Meta:
        model = Evaluation
        fields = ["id", "model_version", "model_name", "version", "kind", "dataset_version", "split", "summary",
                  "report", "images", "created_by", "created_at"]
        read_only_fields = fields


class EvaluationSummarySerializer(EvaluationSerializer):
    class Meta(EvaluationSerializer.Meta):
        fields = [f for f in EvaluationSerializer.Meta.fields if f != "report"]
        read_only_fields = fields
