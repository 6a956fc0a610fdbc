"""What the energy API reads and answers: grids, outage questions, fault incidents (the
plan as computed when opened), fault diagnosis requests."""
from drf_spectacular.utils import OpenApiParameter
from rest_framework import serializers

from ..actions.faults import MAX_ALARM_CHARS, MAX_ALARMS, MAX_NOTE_CHARS
from ..lib.diagnosis import MAX_OBSERVED, MAX_TOP
from ..models import FaultIncident, Grid
from ..queries import MAX_SYMPTOM_CHARS, MAX_SYMPTOMS


class GridSerializer(serializers.ModelSerializer):
    name = serializers.CharField(source="graph.name")
    organisation = serializers.CharField(source="graph.organisation.code")

    class Meta:
        model = Grid
        fields = ["id", "graph", "name", "organisation", "case", "buses", "branches", "created_at"]


class OutageSerializer(serializers.Serializer):
    tripped = serializers.ListField(child=serializers.CharField(max_length=200), min_length=1, max_length=20,
                                    help_text="element keys: line:3, trafo:0, switch:5")
    verify = serializers.BooleanField(default=True, help_text="check the plan with a pandapower power flow and try "
                                                              "the alternatives when it fails (default); false skips it")


class FaultSerializer(serializers.ModelSerializer):
    grid_name = serializers.CharField(source="grid.graph.name")
    organisation = serializers.CharField(source="grid.graph.organisation.code")
    opened_by = serializers.SlugRelatedField(slug_field="username", read_only=True)
    cleared_by = serializers.SlugRelatedField(slug_field="username", read_only=True)
    lost_bus_count = serializers.SerializerMethodField()
    restoration_s = serializers.SerializerMethodField()

    class Meta:
        model = FaultIncident
        fields = ["id", "grid", "grid_name", "organisation", "element", "title", "alarms", "status", "lost_buses",
                  "lost_bus_count", "lost_load_mw", "powerflow_ok", "opened_by", "opened_at", "cleared_by",
                  "cleared_at", "clear_note", "restoration_s"]

    def get_lost_bus_count(self, obj) -> int:
        return len(obj.lost_buses or [])

    def get_restoration_s(self, obj) -> float | None:
        return round(obj.restoration_time.total_seconds(), 3) if obj.restoration_time is not None else None


class FaultDetailSerializer(FaultSerializer):
    class Meta(FaultSerializer.Meta):
        fields = FaultSerializer.Meta.fields + ["plan"]


class OpenFaultSerializer(serializers.Serializer):
    element = serializers.CharField(max_length=200, help_text="the tripped line or transformer: line:3, trafo:0")
    alarms = serializers.ListField(child=serializers.CharField(max_length=MAX_ALARM_CHARS), required=False,
                                   default=list, max_length=MAX_ALARMS, help_text="alarms observed")
    title = serializers.CharField(max_length=200, required=False, default="", allow_blank=True)


class ClearFaultSerializer(serializers.Serializer):
    note = serializers.CharField(max_length=MAX_NOTE_CHARS, required=False, default="", allow_blank=True)


STATUS_PARAM = OpenApiParameter("status", str, enum=FaultIncident.Status.values,
                                description="only incidents in this status")


def _item():
    return serializers.CharField(max_length=300)


class DiagnoseSerializer(serializers.Serializer):
    alarms = serializers.ListField(child=_item(), required=False, default=list, max_length=MAX_OBSERVED,
                                   help_text="observed alarms or symptoms: keys, codes (ALM-ZSOC) or names, either language")
    absent = serializers.ListField(child=_item(), required=False, default=list, max_length=MAX_OBSERVED,
                                   help_text="alarms checked and not present (evidence against the faults expecting them)")
    symptoms = serializers.ListField(child=serializers.CharField(max_length=MAX_SYMPTOM_CHARS), required=False,
                                     default=list, max_length=MAX_SYMPTOMS,
                                     help_text="free text, linked to the knowledge base's alarms by name and meaning")
    top = serializers.IntegerField(min_value=1, max_value=MAX_TOP, default=5)
    lang = serializers.ChoiceField(choices=["en", "zh"], default="en")

    def validate(self, data):
        if not data["alarms"] and not data["symptoms"]:
            raise serializers.ValidationError({"alarms": ["observe at least one alarm or symptom"]})
        return data
