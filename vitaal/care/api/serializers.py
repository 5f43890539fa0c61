"""Serializers of the care API. Read serializers list their fields explicitly (a whitelist);
write serializers only validate the shape of the input, the services do the rest."""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from vitaal.care.models import (
    AccessRoute,
    CareRequest,
    ChainStage,
    DeliveryForm,
    DeliverySession,
    FinancingSource,
    HealthCheck,
    Intervention,
    Package,
    PackageItem,
    Theme,
)


def _choices(choices: Any) -> serializers.ListField:
    return serializers.ListField(child=serializers.ChoiceField(choices=choices), read_only=True)


class InterventionSerializer(serializers.ModelSerializer):
    name = serializers.CharField(read_only=True)
    theme = serializers.ChoiceField(choices=Theme.choices, read_only=True)
    stages = _choices(ChainStage.choices)
    forms = _choices(DeliveryForm.choices)
    routes = _choices(AccessRoute.choices)
    financing_sources = _choices(FinancingSource.choices)
    unique_to_package = serializers.BooleanField(source="is_unique_to_package", read_only=True)

    class Meta:
        model = Intervention
        fields = [
            "id",
            "code",
            "name",
            "name_nl",
            "name_en",
            "description_nl",
            "description_en",
            "theme",
            "stages",
            "individual",
            "collective",
            "forms",
            "duration_nl",
            "duration_en",
            "max_sessions",
            "tariff",
            "tariff_unit",
            "ceiling",
            "routes",
            "approval_required",
            "approver",
            "financing_sources",
            "unique_to_package",
        ]
        read_only_fields = fields


class PackageItemSerializer(serializers.ModelSerializer):
    intervention_code = serializers.CharField(source="intervention.code", read_only=True)
    intervention_name = serializers.CharField(source="intervention.name", read_only=True)
    symbol = serializers.CharField(read_only=True)
    financing_sources = _choices(FinancingSource.choices)

    class Meta:
        model = PackageItem
        fields = [
            "intervention",
            "intervention_code",
            "intervention_name",
            "verdict",
            "symbol",
            "rationale_nl",
            "rationale_en",
            "alternative_nl",
            "alternative_en",
            "financing_sources",
        ]
        read_only_fields = fields


class PackageSerializer(serializers.ModelSerializer):
    period = serializers.CharField(source="period_label", read_only=True)
    items = PackageItemSerializer(many=True, read_only=True)

    class Meta:
        model = Package
        fields = ["id", "year", "period", "status", "published_at", "items"]
        read_only_fields = fields


class SessionSerializer(serializers.ModelSerializer):
    class Meta:
        model = DeliverySession
        fields = ["id", "date", "duration_minutes", "cost", "note"]
        read_only_fields = fields


class EvaluationSummarySerializer(serializers.Serializer):
    helped = serializers.CharField(read_only=True)
    grade = serializers.IntegerField(read_only=True)


class OwnRequestSerializer(serializers.ModelSerializer):
    """An employee's own request, with everything that happened to it."""

    intervention_name = serializers.CharField(source="intervention.name", read_only=True)
    provider_name = serializers.SerializerMethodField()
    sessions = SessionSerializer(many=True, read_only=True)
    evaluation = serializers.SerializerMethodField()

    class Meta:
        model = CareRequest
        fields = [
            "id",
            "intervention",
            "intervention_name",
            "route",
            "status",
            "provider_name",
            "description",
            "sessions_planned",
            "closed_reason",
            "created_at",
            "updated_at",
            "sessions",
            "evaluation",
        ]
        read_only_fields = fields

    def get_provider_name(self, obj: CareRequest) -> str | None:
        return obj.provider.name if obj.provider_id and obj.provider else None

    def get_evaluation(self, obj: CareRequest) -> dict[str, Any] | None:
        evaluation = getattr(obj, "evaluation", None)
        if evaluation is None:
            return None
        return {"helped": evaluation.helped, "grade": evaluation.grade}


class OwnRequestCreateSerializer(serializers.Serializer):
    intervention = serializers.IntegerField(min_value=1)
    description = serializers.CharField(required=False, allow_blank=True, max_length=4000, default="")


class ReasonSerializer(serializers.Serializer):
    reason = serializers.CharField(required=False, allow_blank=True, max_length=2000, default="")


class HealthCheckSerializer(serializers.ModelSerializer):
    """The owner's own health check with its scores and advice."""

    who5 = serializers.ListField(child=serializers.IntegerField(), source="who5_answers", read_only=True)
    advice = serializers.SerializerMethodField()
    suggested_themes = serializers.SerializerMethodField()

    class Meta:
        model = HealthCheck
        fields = [
            "id",
            "taken_on",
            "who5",
            "work_ability",
            "who5_raw",
            "who5_percentage",
            "wellbeing_band",
            "work_ability_band",
            "poor_wellbeing",
            "depression_screen",
            "low_item",
            "advice",
            "suggested_themes",
        ]
        read_only_fields = fields

    def get_advice(self, obj: HealthCheck) -> list[str]:
        return obj.result().messages

    def get_suggested_themes(self, obj: HealthCheck) -> list[str]:
        return list(obj.result().themes)


class HealthCheckCreateSerializer(serializers.Serializer):
    who5 = serializers.ListField(
        child=serializers.IntegerField(min_value=0, max_value=5),
        min_length=5,
        max_length=5,
        help_text=_("The five WHO-5 answers, each 0 (at no time) to 5 (all of the time)."),
    )
    work_ability = serializers.IntegerField(min_value=0, max_value=10)
    taken_on = serializers.DateField(required=False)

    def validate_taken_on(self, value: Any) -> Any:
        if value > timezone.localdate():
            raise serializers.ValidationError(_("A health check cannot be dated in the future."))
        return value


class AssignmentSerializer(serializers.ModelSerializer):
    """A request as the assigned provider sees it: who, what, and the delivery so far."""

    intervention_name = serializers.CharField(source="intervention.name", read_only=True)
    organisation_name = serializers.CharField(source="organisation.name", read_only=True)
    person_name = serializers.SerializerMethodField()
    max_sessions = serializers.IntegerField(source="intervention.max_sessions", read_only=True)
    sessions = SessionSerializer(many=True, read_only=True)

    class Meta:
        model = CareRequest
        fields = [
            "id",
            "intervention",
            "intervention_name",
            "organisation_name",
            "person_name",
            "status",
            "description",
            "sessions_planned",
            "max_sessions",
            "created_at",
            "sessions",
        ]
        read_only_fields = fields

    def get_person_name(self, obj: CareRequest) -> str:
        return f"{obj.person.first_name} {obj.person.last_name}".strip()


class AcceptSerializer(serializers.Serializer):
    sessions_planned = serializers.IntegerField(required=False, allow_null=True, min_value=1, max_value=100)


class SessionCreateSerializer(serializers.Serializer):
    date = serializers.DateField()
    duration_minutes = serializers.IntegerField(min_value=1, max_value=24 * 60)
    cost = serializers.DecimalField(max_digits=9, decimal_places=2, min_value=0)
    note = serializers.CharField(required=False, allow_blank=True, max_length=2000, default="")
