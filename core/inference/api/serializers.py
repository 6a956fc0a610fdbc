from rest_framework import serializers

from core.hub.models import name_validator
from core.platform.rest.fields import OrganisationField

from ..models import Deployment, PredictionRecord


class DeploymentSerializer(serializers.ModelSerializer):
    organisation = OrganisationField(read_only=True)
    model_name = serializers.CharField(source="model_version.model.name", read_only=True)
    version = serializers.IntegerField(source="model_version.version", read_only=True)

    class Meta:
        model = Deployment
        fields = ["id", "name", "organisation", "model_version", "model_name", "version", "profile", "config",
                  "status", "created_at"]


class DeploymentCreateSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=100, validators=[name_validator])
    organisation = OrganisationField()
    model_version = serializers.IntegerField()
    profile = serializers.CharField(max_length=64)
    config = serializers.DictField(required=False, default=dict)


class StatusSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=Deployment.Status.choices)


class PredictSerializer(serializers.Serializer):
    image = serializers.FileField(required=False, help_text="an image file (multipart)")
    tensor = serializers.ListField(required=False, help_text="a preprocessed input tensor (JSON), model shape")

    def validate(self, attrs):
        if ("image" in attrs) == ("tensor" in attrs):
            raise serializers.ValidationError("send exactly one of 'image' (multipart file) or 'tensor' (JSON)")
        return attrs


class PredictionSerializer(serializers.ModelSerializer):
    class Meta:
        model = PredictionRecord
        fields = ["id", "deployment", "model_version", "input_sha256", "output", "latency_ms", "created_at"]
