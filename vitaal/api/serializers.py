from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from vitaal.core.access import PERSON_FIELD_ORDER, person_fields_for
from vitaal.core.imports.people_validation import COLUMNS as PEOPLE_COLUMNS
from vitaal.core.models import Organisation, Person


class OrganisationSerializer(serializers.ModelSerializer):
    class Meta:
        model = Organisation
        fields = ["slug", "name", "size_class"]


class PersonSerializer(serializers.ModelSerializer):
    """Only the fields the asking user's role may see are filled; the rest are left out
    of the response altogether (DESIGN rule 1: a whitelist per role)."""

    id = serializers.IntegerField(read_only=True)
    organisation: serializers.SlugRelatedField = serializers.SlugRelatedField(
        slug_field="slug", read_only=True
    )
    unit = serializers.SerializerMethodField()
    function_group = serializers.SerializerMethodField()

    class Meta:
        model = Person
        fields = ["id", "organisation", *PERSON_FIELD_ORDER]
        extra_kwargs = {f: {"required": False} for f in fields}

    def get_unit(self, obj: Person) -> str | None:
        return (obj.unit.code or obj.unit.name) if obj.unit_id and obj.unit else None

    def get_function_group(self, obj: Person) -> str | None:
        return obj.function_group.code if obj.function_group_id and obj.function_group else None

    def to_representation(self, instance: Person) -> dict[str, Any]:
        data = super().to_representation(instance)
        allowed = set(person_fields_for(self.context["request"].user, instance)) | {
            "id",
            "organisation",
        }
        return {k: v for k, v in data.items() if k in allowed}


@extend_schema_field(
    {
        "type": "object",
        "description": "One employee: the columns of the people import (docs), each a text, number or empty.",
        "properties": {column: {"$ref": "#/components/schemas/NoNulScalar"} for column in PEOPLE_COLUMNS},
    }
)
class PeopleRecordField(serializers.DictField):
    """A record of the people import (validated by the import itself)."""


class PeopleImportRequestSerializer(serializers.Serializer):
    mode = serializers.ChoiceField(
        choices=["partial", "full"],
        default="partial",
        help_text=_("full: people missing from the records are marked as leavers"),
    )
    records = serializers.ListField(child=PeopleRecordField(), allow_empty=False, max_length=200_000)


class ImportErrorSerializer(serializers.Serializer):
    row = serializers.IntegerField()
    column = serializers.CharField()
    message = serializers.CharField()


class PeopleImportResultSerializer(serializers.Serializer):
    status = serializers.CharField()
    created = serializers.IntegerField()
    updated = serializers.IntegerField()
    unchanged = serializers.IntegerField()
    leavers = serializers.IntegerField()
    errors = ImportErrorSerializer(many=True)  # type: ignore[assignment]
