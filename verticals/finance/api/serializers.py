from rest_framework import serializers

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
    record = serializers.DictField(required=False)
    records = serializers.ListField(child=serializers.DictField(), required=False, allow_empty=False)

    def validate(self, attrs):
        if ("record" in attrs) == ("records" in attrs):
            raise serializers.ValidationError("send exactly one of 'record' (an object) or 'records' (a list)")
        return attrs
