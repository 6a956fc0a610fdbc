from rest_framework import serializers

from core.platform.rest.fields import OrganisationField

from ..models import Job, TrainingRun


class TrainingRunSerializer(serializers.ModelSerializer):
    class Meta:
        model = TrainingRun
        fields = ["id", "attempt", "code_revision", "params", "environment", "seed", "created_at"]


class JobSerializer(serializers.ModelSerializer):
    organisation = OrganisationField(read_only=True)
    started_by = serializers.CharField(source="started_by.username", default=None, allow_null=True)
    runs = TrainingRunSerializer(many=True, read_only=True)

    class Meta:
        model = Job
        fields = ["id", "trainer", "organisation", "params", "queue", "status", "progress", "message", "log_tail",
                  "result", "error", "attempts", "max_retries", "worker", "started_by", "created_at", "started_at",
                  "heartbeat_at", "finished_at", "runs"]


class JobCreateSerializer(serializers.Serializer):
    trainer = serializers.CharField(max_length=100)
    organisation = OrganisationField()
    params = serializers.JSONField(required=False, default=dict)
    max_retries = serializers.IntegerField(required=False, default=0, min_value=0, max_value=5)

    def validate_params(self, value):
        if not isinstance(value, dict):
            raise serializers.ValidationError("params must be a JSON object")
        return value
