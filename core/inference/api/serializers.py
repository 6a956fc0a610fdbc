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
    """One kind of input per call, as the deployed model's task takes it; the task's codec
    checks the content (columns, lengths, counts) and names what it refuses."""

    image = serializers.FileField(required=False, help_text="an image file (multipart): detection, classification")
    tensor = serializers.ListField(required=False, help_text="a preprocessed input tensor (JSON), model shape")
    records = serializers.JSONField(required=False, help_text="tabular models: a record {column: value} or a list")
    texts = serializers.JSONField(required=False, help_text="text classification: a text or a list of texts")
    history = serializers.JSONField(required=False, help_text="forecasting: the recent records, oldest first")
    future = serializers.JSONField(required=False, help_text="forecasting: known-ahead columns per step forecast")

    KINDS = ("image", "tensor", "records", "texts", "history")

    def validate(self, attrs):
        sent = [k for k in self.KINDS if k in attrs]
        if len(sent) != 1:
            raise serializers.ValidationError(
                "send exactly one of 'image' (multipart file), 'tensor', 'records', 'texts' or 'history' (JSON)")
        if "future" in attrs and sent != ["history"]:
            raise serializers.ValidationError("'future' goes with 'history' (a forecast)")
        return attrs


class PredictionSerializer(serializers.ModelSerializer):
    class Meta:
        model = PredictionRecord
        fields = ["id", "deployment", "model_version", "input_sha256", "output", "latency_ms", "created_at"]
