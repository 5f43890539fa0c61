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
