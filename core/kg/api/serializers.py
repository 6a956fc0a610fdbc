from rest_framework import serializers

from core.hub.models import name_validator
from core.platform.rest.fields import OrganisationField

from ..models import Entity, Graph, Relation


class GraphSerializer(serializers.ModelSerializer):
    organisation = OrganisationField()
    name = serializers.CharField(max_length=100, validators=[name_validator])
    vertical = serializers.CharField(max_length=32, help_text="the vertical whose ontology types the graph")

    class Meta:
        model = Graph
        fields = ["id", "name", "organisation", "vertical", "description", "version", "created_at", "updated_at"]
        read_only_fields = ["id", "version", "created_at", "updated_at"]
        validators = []  # uniqueness is checked by the action, with a clearer message


class EntitySerializer(serializers.ModelSerializer):
    class Meta:
        model = Entity
        fields = ["id", "key", "cls", "name", "attributes", "source", "created_at"]
        read_only_fields = ["id", "created_at"]


class EntityCreateSerializer(serializers.Serializer):
    key = serializers.CharField(max_length=200)
    cls = serializers.CharField(max_length=64)
    name = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")
    attributes = serializers.DictField(required=False, default=dict)
    source = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")


class RelationSerializer(serializers.ModelSerializer):
    src = serializers.CharField(source="src.key")
    dst = serializers.CharField(source="dst.key")

    class Meta:
        model = Relation
        fields = ["id", "type", "src", "dst", "attributes", "source", "created_at"]


class RelationCreateSerializer(serializers.Serializer):
    type = serializers.CharField(max_length=64)
    src = serializers.CharField(max_length=200, help_text="the source entity's key")
    dst = serializers.CharField(max_length=200, help_text="the target entity's key")
    attributes = serializers.DictField(required=False, default=dict)
    source = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")


class ImportSerializer(serializers.Serializer):
    file = serializers.FileField(required=False, help_text="one JSON document {entities: [...], relations: [...]}")
    entities = serializers.FileField(required=False, help_text="entities CSV: key, cls, name, attribute columns")
    relations = serializers.FileField(required=False, help_text="relations CSV: src, type, dst, attribute columns")
    source = serializers.CharField(max_length=500, required=False, allow_blank=True, default="",
                                   help_text="provenance recorded on every fact; defaults to the file names")
