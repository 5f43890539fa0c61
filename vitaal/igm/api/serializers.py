"""Serializers of the igm API. Meter results are aggregates only: no serializer here
knows the IndividualRating model, so no response can carry one person's ratings."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from vitaal.igm.models import (
    Action,
    DevelopmentLine,
    Framework,
    Goal,
    ImprovementPoint,
    Instrument,
    Item,
    MeterSession,
    Plan,
    PlanLine,
    RatingScale,
    ScaleLevel,
    StoredSignal,
)


class DevelopmentLineSerializer(serializers.ModelSerializer):
    class Meta:
        model = DevelopmentLine
        fields = ["code", "order", "name_nl", "name_en", "scope_nl", "scope_en", "examples_nl", "examples_en"]


class ScaleLevelSerializer(serializers.ModelSerializer):
    class Meta:
        model = ScaleLevel
        fields = ["value", "label_nl", "label_en", "description_nl", "description_en"]


class RatingScaleSerializer(serializers.ModelSerializer):
    levels = ScaleLevelSerializer(many=True, read_only=True)

    class Meta:
        model = RatingScale
        fields = [
            "code",
            "name_nl",
            "name_en",
            "not_applicable_nl",
            "not_applicable_en",
            "dont_know_nl",
            "dont_know_en",
            "levels",
        ]


class FrameworkSerializer(serializers.ModelSerializer):
    lines = DevelopmentLineSerializer(many=True, read_only=True)
    scales = RatingScaleSerializer(many=True, read_only=True)

    class Meta:
        model = Framework
        fields = [
            "id",
            "code",
            "version",
            "name_nl",
            "name_en",
            "description_nl",
            "description_en",
            "is_default",
            "lines",
            "scales",
        ]


class ItemSerializer(serializers.ModelSerializer):
    line: serializers.SlugRelatedField = serializers.SlugRelatedField(slug_field="code", read_only=True)

    class Meta:
        model = Item
        fields = ["code", "order", "line", "text_nl", "text_en", "weight"]


class InstrumentSerializer(serializers.ModelSerializer):
    framework = serializers.SerializerMethodField()
    scale = RatingScaleSerializer(read_only=True)
    items = ItemSerializer(many=True, read_only=True)

    class Meta:
        model = Instrument
        fields = [
            "id",
            "code",
            "version",
            "variant",
            "name_nl",
            "name_en",
            "description_nl",
            "description_en",
            "framework",
            "scale",
            "items",
        ]

    def get_framework(self, obj: Instrument) -> str:
        return f"{obj.framework.code}/{obj.framework.version}"


class MeterSessionSerializer(serializers.ModelSerializer):
    organisation: serializers.SlugRelatedField = serializers.SlugRelatedField(
        slug_field="slug", read_only=True
    )
    unit = serializers.SerializerMethodField()
    instrument = serializers.SerializerMethodField()

    class Meta:
        model = MeterSession
        fields = [
            "id",
            "organisation",
            "unit",
            "instrument",
            "title",
            "mode",
            "purpose",
            "status",
            "date",
            "cycle_number",
        ]

    def get_unit(self, obj: MeterSession) -> str | None:
        return (obj.unit.code or obj.unit.name) if obj.unit_id and obj.unit else None

    def get_instrument(self, obj: MeterSession) -> str:
        return f"{obj.instrument.code}/{obj.instrument.version}"


class LineScoreSerializer(serializers.Serializer):
    line = serializers.CharField()
    score = serializers.FloatField(allow_null=True, help_text="Weighted mean on the instrument's scale.")
    score_100 = serializers.FloatField(allow_null=True, help_text="The same on 0-100.")
    answered = serializers.IntegerField(help_text="Items of the line with a level answer.")
    items = serializers.IntegerField()


class MeterSessionResultSerializer(MeterSessionSerializer):
    """A session with its line scores. An individual-mode session below the rater
    threshold has no scores, with the reason in ``withheld_reason``."""

    raters = serializers.SerializerMethodField()
    minimum_raters = serializers.SerializerMethodField()
    withheld_reason = serializers.SerializerMethodField()
    line_scores = serializers.SerializerMethodField()

    class Meta(MeterSessionSerializer.Meta):
        fields = [
            *MeterSessionSerializer.Meta.fields,
            "raters",
            "minimum_raters",
            "withheld_reason",
            "line_scores",
        ]

    def _results(self) -> Any:
        return self.context["results"]

    def get_raters(self, obj: MeterSession) -> int:
        return int(self._results().raters)

    def get_minimum_raters(self, obj: MeterSession) -> int:
        return int(self._results().minimum_raters)

    def get_withheld_reason(self, obj: MeterSession) -> str | None:
        reason = self._results().withheld_reason
        return str(reason) if reason else None

    @extend_schema_field(LineScoreSerializer(many=True))
    def get_line_scores(self, obj: MeterSession) -> list[dict[str, Any]]:
        return [
            {
                "line": s.line,
                "score": None if s.score is None else round(s.score, 2),
                "score_100": None if s.score_100 is None else round(s.score_100, 1),
                "answered": s.answered,
                "items": s.items,
            }
            for s in self._results().line_scores
        ]


def _name(user: Any) -> str | None:
    return (user.get_full_name() or user.email) if user is not None else None


class ActionSerializer(serializers.ModelSerializer):
    owner = serializers.SerializerMethodField()

    class Meta:
        model = Action
        fields = ["id", "title", "owner", "due_date", "hours", "money", "status", "done_date"]

    def get_owner(self, obj: Action) -> str | None:
        return _name(obj.owner)


class GoalSerializer(serializers.ModelSerializer):
    owner = serializers.SerializerMethodField()
    actions = ActionSerializer(many=True, read_only=True)

    class Meta:
        model = Goal
        fields = [
            "id",
            "specific",
            "indicator_name",
            "indicator_code",
            "target_value",
            "target_unit",
            "target_text",
            "owner",
            "realistic",
            "deadline",
            "actions",
        ]

    def get_owner(self, obj: Goal) -> str | None:
        return _name(obj.owner)


class ImprovementPointSerializer(serializers.ModelSerializer):
    goals = GoalSerializer(many=True, read_only=True)

    class Meta:
        model = ImprovementPoint
        fields = ["id", "order", "title", "description", "goals"]


class PlanLineSerializer(serializers.ModelSerializer):
    line: serializers.SlugRelatedField = serializers.SlugRelatedField(slug_field="code", read_only=True)
    points = ImprovementPointSerializer(many=True, read_only=True)

    class Meta:
        model = PlanLine
        fields = ["line", "priority", "points"]


class PlanSerializer(serializers.ModelSerializer):
    organisation = serializers.SerializerMethodField()
    cycle = serializers.IntegerField(source="cycle.number", read_only=True)
    unit = serializers.SerializerMethodField()
    lines = PlanLineSerializer(many=True, read_only=True)

    class Meta:
        model = Plan
        fields = [
            "id",
            "organisation",
            "cycle",
            "unit",
            "status",
            "summary_nl",
            "summary_en",
            "submitted_at",
            "signed_off_at",
            "lines",
        ]

    def get_organisation(self, obj: Plan) -> str:
        return str(obj.cycle.organisation.slug)

    def get_unit(self, obj: Plan) -> str | None:
        return (obj.unit.code or obj.unit.name) if obj.unit_id and obj.unit else None


class SignalSerializer(serializers.ModelSerializer):
    organisation = serializers.SerializerMethodField()
    cycle = serializers.IntegerField(source="cycle.number", read_only=True)
    message = serializers.CharField(read_only=True)

    class Meta:
        model = StoredSignal
        fields = [
            "id",
            "organisation",
            "cycle",
            "kind",
            "severity",
            "subject_type",
            "subject_id",
            "message",
            "computed_for",
        ]

    def get_organisation(self, obj: StoredSignal) -> str:
        return str(obj.cycle.organisation.slug)
