from rest_framework import serializers
from rest_framework.reverse import reverse

from core.inference.models import Deployment
from core.platform.rest.fields import OrganisationField

from ..models import ModelRiskRecord


class RiskRecordSerializer(serializers.ModelSerializer):
    model_name = serializers.CharField(source="model.name", read_only=True)
    organisation = serializers.CharField(source="model.organisation.code", read_only=True)
    owner = serializers.CharField(source="owner.username", read_only=True)
    champion = serializers.SerializerMethodField()
    overdue = serializers.SerializerMethodField()

    class Meta:
        model = ModelRiskRecord
        fields = ["id", "model", "model_name", "organisation", "owner", "purpose", "risk_tier", "status",
                  "last_validated", "next_revalidation", "retired_reason", "champion", "overdue", "updated_at"]

    def get_champion(self, obj) -> int | None:
        alias = next((a for a in obj.model.aliases.all() if a.name == "champion"), None)
        return alias.version.version if alias else None

    def get_overdue(self, obj) -> bool:
        import datetime

        return bool(obj.next_revalidation and obj.next_revalidation < datetime.date.today()
                    and obj.status != "retired")


class RiskRegisterSerializer(serializers.Serializer):
    model = serializers.IntegerField()
    owner = serializers.CharField(required=False)
    risk_tier = serializers.ChoiceField(choices=ModelRiskRecord.Tier.choices, default="medium")
    purpose = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")


class StatusChangeSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=ModelRiskRecord.Status.choices)
    reason = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")


class ScoreSerializer(serializers.Serializer):
    record = serializers.DictField(
        required=False, help_text="One applicant's record, field: value. Its fields depend on the deployment's "
                                  "scorecard: GET the deployment's input-schema for their names, types and ranges.")
    records = serializers.ListField(
        child=serializers.DictField(), required=False, allow_empty=False,
        help_text="A batch of records (at most 10000), each as `record`; the answer lists a result per record.")

    def validate(self, attrs):
        if ("record" in attrs) == ("records" in attrs):
            raise serializers.ValidationError("send exactly one of 'record' (an object) or 'records' (a list)")
        return attrs


class ScorecardDeploymentSerializer(serializers.ModelSerializer):
    organisation = OrganisationField(read_only=True)
    model = serializers.CharField(source="model_version.model.name", read_only=True, help_text="the model's name")
    model_id = serializers.IntegerField(source="model_version.model_id", read_only=True)
    version = serializers.IntegerField(source="model_version.version", read_only=True,
                                       help_text="the model version the deployment serves")
    input_schema = serializers.SerializerMethodField(help_text="URL of the JSON Schema of a record it scores")
    score = serializers.SerializerMethodField(help_text="URL to POST records to for scoring")

    class Meta:
        model = Deployment
        fields = ["id", "name", "model", "model_id", "version", "organisation", "status", "input_schema", "score"]
        read_only_fields = fields

    def _url(self, obj, action):
        return reverse(f"api:finance-deployment-{action}", args=[obj.pk], request=self.context.get("request"))

    def get_input_schema(self, obj) -> str:
        return self._url(obj, "input-schema")

    def get_score(self, obj) -> str:
        return self._url(obj, "score")
