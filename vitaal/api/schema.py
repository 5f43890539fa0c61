"""Our OpenAPI generation: every operation documents the errors it can answer with, so
clients (and schemathesis) know that 401/403/404/429 are part of the contract."""

from __future__ import annotations

from typing import Any

from drf_spectacular.openapi import AutoSchema
from rest_framework import serializers


class ErrorSerializer(serializers.Serializer):
    detail = serializers.CharField(help_text="A message in the caller's language.")


ERRORS = {
    "401": "Missing, invalid or expired token.",
    "403": "The account's role does not allow this here.",
    "404": "Not found, or outside the account's organisations.",
    "429": "Too many requests; try again later.",
}


class VitaalAutoSchema(AutoSchema):
    def _get_response_bodies(self, direction: Any = "response") -> dict[str, Any]:
        responses = super()._get_response_bodies(direction)
        for code, description in ERRORS.items():
            if code not in responses:
                body = self._get_response_for_code(ErrorSerializer, code, direction=direction)
                body["description"] = description
                responses[code] = body
        if self.method in ("POST", "PUT", "PATCH") and "400" not in responses:
            body = self._get_response_for_code(ErrorSerializer, "400", direction=direction)
            body["description"] = "The input was refused; nothing was changed."
            responses["400"] = body
        return responses


# Nothing the API takes may contain a NUL character: RejectNulMiddleware answers 400 to one
# anywhere in the path, query or body, before authentication (PostgreSQL refuses NUL in
# text). The schema says so, so that clients and schemathesis know which input is valid.
NO_NUL = r"^[^\x00]*$"
NO_NUL_SCALAR = "NoNulScalar"


def no_nul_in_requests(result: dict[str, Any], generator: Any, request: Any, public: bool) -> dict[str, Any]:
    """drf-spectacular postprocessing hook: every string a client sends (path and query
    parameters, request body fields) excludes NUL. Request bodies take only the fields
    they describe (others would be ignored; a NUL in them would be refused). A serializer
    field may describe values as ``NoNulScalar`` (the records of the people import)."""
    schemas = result.setdefault("components", {}).setdefault("schemas", {})
    schemas[NO_NUL_SCALAR] = {
        "nullable": True,
        "oneOf": [
            {"type": "string", "pattern": NO_NUL},
            {"type": "number"},
            {"type": "boolean"},
        ],
        "description": "A text (without NUL characters), number or boolean.",
    }
    bodies: set[str] = set()
    for operations in result.get("paths", {}).values():
        for operation in operations.values():
            if not isinstance(operation, dict):
                continue
            for parameter in operation.get("parameters", []):
                _no_nul_strings(parameter.get("schema", {}))
            for content in operation.get("requestBody", {}).get("content", {}).values():
                ref = content.get("schema", {}).get("$ref", "")
                if ref.startswith("#/components/schemas/"):
                    bodies.add(ref.rsplit("/", 1)[1])
                else:
                    _request_schema(content.get("schema", {}))
    for name in sorted(bodies):
        _request_schema(schemas[name])
    return result


def _no_nul_strings(schema: dict[str, Any]) -> None:
    if schema.get("type") == "string" and not ({"pattern", "enum", "format"} & schema.keys()):
        schema["pattern"] = NO_NUL


def _request_schema(schema: dict[str, Any]) -> None:
    """Walk a request body's schema (no $ref into shared components is followed: enums
    and the like need no change)."""
    _no_nul_strings(schema)
    if schema.get("type") == "object":
        properties = schema.get("properties", {})
        for child in properties.values():
            _request_schema(child)
        extra = schema.get("additionalProperties")
        if extra is None or extra == {} or extra is True:
            # OpenAPI 3.0 cannot restrict the names of other fields: the body takes only
            # those it describes.
            schema["additionalProperties"] = False
        elif isinstance(extra, dict) and extra:
            _request_schema(extra)
    if isinstance(schema.get("items"), dict):
        _request_schema(schema["items"])
    for key in ("allOf", "anyOf", "oneOf"):
        for part in schema.get(key, []):
            if isinstance(part, dict) and "$ref" not in part:
                _request_schema(part)
