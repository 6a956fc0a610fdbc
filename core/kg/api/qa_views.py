"""/api/v1/kg/graphs/<id>/ask/: question answering over a knowledge graph, in Chinese
and English (see lib/qa/). The answer cites the triples it used; a question the graph
cannot answer gets answer null and "I don't know" / "不知道" (200). Bad input is 400,
an invisible graph 404, an encoder that cannot load 503.
"""
import time

from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from core.platform.rest.exceptions import FieldErrors

from .. import embeddings
from ..lib.qa.answer import answer
from ..lib.qa.text import MAX_QUESTION_CHARS, QAError
from ..queries import visible_graphs


class AskSerializer(serializers.Serializer):
    question = serializers.CharField(max_length=MAX_QUESTION_CHARS, trim_whitespace=True,
                                     help_text="a question in Chinese or English")
    lang = serializers.ChoiceField(choices=["en", "zh"], required=False,
                                   help_text="language of the answer text (default: the question's)")
    entity = serializers.CharField(max_length=200, required=False,
                                   help_text="an entity key: the subject, instead of linking it from the question")


def ask(graph, data):
    started = time.perf_counter()
    try:
        index = embeddings.qa_index(graph)
        result = answer(index, data["question"], lang=data.get("lang"), entity=data.get("entity"))
    except QAError as exc:
        raise FieldErrors({exc.field: [str(exc)]}, str(exc)) from None
    return {"graph": graph.pk, "version": index.version, "embedder": getattr(index.embed, "embedder", "custom"),
            **result, "elapsed_ms": round(1000 * (time.perf_counter() - started), 1)}


class AskView(APIView):
    @extend_schema(request=AskSerializer, responses=OpenApiTypes.OBJECT)
    def post(self, request, graph_id):
        """Answer a question over the graph, citing the triples used."""
        return self._answer(request, graph_id, request.data)

    @extend_schema(responses=OpenApiTypes.OBJECT, parameters=[
        OpenApiParameter("question", str, required=True), OpenApiParameter("lang", str, enum=["en", "zh"]),
        OpenApiParameter("entity", str, description="an entity key to take as the subject")])
    def get(self, request, graph_id):
        return self._answer(request, graph_id, request.query_params)

    def _answer(self, request, graph_id, payload):
        graph = get_object_or_404(visible_graphs(request.user), pk=graph_id)
        ser = AskSerializer(data=payload)
        ser.is_valid(raise_exception=True)
        try:
            return Response(ask(graph, ser.validated_data))
        except embeddings.EmbedderUnavailable as exc:
            return Response({"message": str(exc), "status": 503}, status=503)
