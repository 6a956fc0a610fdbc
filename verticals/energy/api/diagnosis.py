"""/api/v1/energy/graphs/<graph_id>/diagnose/: rank probable faults for observed alarms and
symptoms over a graph holding the dispatch fault knowledge base (fault_kb.py)."""
from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from core.kg.queries import visible_graphs

from ..queries import MAX_SYMPTOM_CHARS, MAX_SYMPTOMS, diagnose
from ..lib.diagnosis import MAX_OBSERVED, MAX_TOP


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


class DiagnoseView(APIView):
    @extend_schema(request=DiagnoseSerializer, responses=OpenApiTypes.OBJECT)
    def post(self, request, graph_id):
        """Probable faults, best first: score, coverage, evidence paths (alarm -indicates-> fault),
        expected evidence missing, and each fault's handling procedure path with its steps."""
        graph = get_object_or_404(visible_graphs(request.user).filter(vertical="energy"), pk=graph_id)
        ser = DiagnoseSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        d = ser.validated_data
        return Response(diagnose(graph, alarms=d["alarms"], absent=d["absent"], symptoms=d["symptoms"], top=d["top"],
                                 lang=d["lang"]))
