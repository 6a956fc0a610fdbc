"""OpenAPI schema of the shared fields: OrganisationField takes an id or a code and
answers an object, so its schema differs by direction."""
from drf_spectacular.extensions import OpenApiSerializerFieldExtension


class OrganisationFieldExtension(OpenApiSerializerFieldExtension):
    target_class = "core.platform.rest.fields.OrganisationField"

    def map_serializer_field(self, auto_schema, direction):
        if direction == "request":
            return {"type": "string", "description": "organisation id or code"}
        return {"type": "object", "required": ["id", "code", "name"],
                "properties": {"id": {"type": "integer"}, "code": {"type": "string"}, "name": {"type": "string"}}}
