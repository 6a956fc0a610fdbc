from rest_framework import serializers

from core.platform.rest.fields import OrganisationField
from core.platform.rest.viewsets import PartialUpdateSerializer

from ..models import Inspection, Station


class StationSerializer(serializers.ModelSerializer):
    organisation = OrganisationField(read_only=True)
    model_version = serializers.IntegerField(source="deployment.model_version_id", read_only=True)

    class Meta:
        model = Station
        fields = ["id", "code", "name", "line", "organisation", "deployment", "model_version", "reject_threshold",
                  "guard_level", "display_threshold", "created_at"]
        read_only_fields = ["display_threshold"]  # changed through the settings PATCH, audited


class StationCreateSerializer(serializers.Serializer):
    code = serializers.SlugField(max_length=64)
    name = serializers.CharField(max_length=200)
    line = serializers.CharField(max_length=100, required=False, allow_blank=True, default="")
    organisation = OrganisationField()
    deployment = serializers.IntegerField()
    reject_threshold = serializers.FloatField(default=0.5)
    guard_level = serializers.FloatField(required=False, allow_null=True, default=None)


class StationSettingsSerializer(PartialUpdateSerializer):
    reject_threshold = serializers.FloatField()
    guard_level = serializers.FloatField(allow_null=True, help_text="null turns the guard off")
    display_threshold = serializers.FloatField(
        allow_null=True, help_text="boxes under it are not drawn (verdicts unchanged); null: max(0.3, reject threshold)")


class InspectSerializer(serializers.Serializer):
    image = serializers.FileField()
    truth = serializers.ChoiceField(choices=Inspection.Truth.choices, required=False)


class InspectionSerializer(serializers.ModelSerializer):
    station = serializers.SlugRelatedField(slug_field="code", read_only=True)
    lineage = serializers.SerializerMethodField()

    class Meta:
        model = Inspection
        fields = ["id", "station", "verdict", "threshold", "guard_level", "max_score", "defects", "defect_counts", "model_version",
                  "prediction", "image", "image_width", "image_height", "source", "created_at", "truth",
                  "reviewed_at", "review_note", "lineage"]

    def get_lineage(self, obj) -> str:
        return f"/api/v1/lineage/prediction/{obj.prediction_id}/?direction=upstream&depth=5"


class ReviewSerializer(serializers.Serializer):
    truth = serializers.ChoiceField(choices=Inspection.Truth.choices)
    note = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")
