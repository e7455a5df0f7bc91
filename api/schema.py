"""The OpenAPI document says what the API does: fields read and written differently, and the
error answers every operation can give, added once here instead of on each view."""

from drf_spectacular.extensions import OpenApiSerializerFieldExtension
from drf_spectacular.plumbing import build_basic_type, build_object_type
from drf_spectacular.types import OpenApiTypes

ERROR = {"$ref": "#/components/schemas/Error"}
METHODS = ("get", "post", "put", "patch", "delete")
COMMON_ERRORS = {
    "400": "Invalid input: `errors` names each field.",
    "401": "No or invalid credentials.",
    "403": "The caller's role or unit does not allow this.",
    "404": "No such object.",
    "415": "A body in a media type the operation does not read.",
}


class UnitFieldExtension(OpenApiSerializerFieldExtension):
    """`unit` is written as the unit's code and read as {code, name}."""

    target_class = "api.serializers.UnitField"

    def map_serializer_field(self, auto_schema, direction):
        if direction == "request":
            return build_basic_type(OpenApiTypes.STR)
        return build_object_type(
            properties={
                "code": build_basic_type(OpenApiTypes.STR),
                "name": build_basic_type(OpenApiTypes.STR),
            },
            required=["code", "name"],
            # Read-only in the answer: drf-spectacular then lists it as required there.
            readOnly=True,
        )


def document_common_errors(result, generator, request, public):
    """Postprocessing hook: each operation lists the errors any operation of its kind answers
    with: 401 and 403 when it needs a signed-in caller, 404 when its path names an object or
    it pages, 400 when it reads query, header or body input, and 415 when it reads a body."""
    for path, item in result["paths"].items():
        for method in METHODS:
            operation = item.get(method)
            if operation is None:
                continue
            codes = []
            if {} not in operation.get("security", [{}]):
                codes += ["401", "403"]
            parameters = operation.get("parameters", [])
            # A paginated list answers a page past its end as not found, like a missing object.
            if "{" in path or any(p["in"] == "query" and p["name"] == "page" for p in parameters):
                codes.append("404")
            reads_input = any(p["in"] != "path" for p in parameters)
            if reads_input or "requestBody" in operation:
                codes.append("400")
            if "requestBody" in operation:
                codes.append("415")
            responses = operation.setdefault("responses", {})
            for code in codes:
                responses.setdefault(
                    code,
                    {
                        "description": COMMON_ERRORS[code],
                        "content": {"application/json": {"schema": ERROR}},
                    },
                )
    return result
