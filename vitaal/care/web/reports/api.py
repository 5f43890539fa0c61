"""API endpoints of this area, added to the shared router by vitaal/api/urls.py.

``GET /api/v1/care/usage/{org}/{year}/{quarter}/``: the usage aggregates of one
organisation and quarter, every count through disclosure control (a suppressed cell has
``value: null``), with the same access rules and audit entry as the report page."""

from __future__ import annotations

from typing import Any

from django.urls import URLPattern, path
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.exceptions import NotFound
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.routers import SimpleRouter

from vitaal.api.base import ApiView
from vitaal.care.usage import Quarter, localise
from vitaal.care.web.reports.common import log_report_read
from vitaal.core.access import get_scoped_object_or_404
from vitaal.core.models import Organisation
from vitaal.core.models.audit import AccessAction


class CellSerializer(serializers.Serializer):
    value = serializers.IntegerField(allow_null=True, help_text="The count; null when suppressed.")
    suppressed = serializers.BooleanField()


class CategorySerializer(serializers.Serializer):
    key = serializers.CharField()
    label = serializers.CharField()  # type: ignore[assignment]
    cell = CellSerializer()


class BreakdownSerializer(serializers.Serializer):
    key = serializers.CharField()
    label = serializers.CharField()  # type: ignore[assignment]
    rows = CategorySerializer(many=True)


class UptakeSerializer(serializers.Serializer):
    total = CellSerializer()
    breakdowns = BreakdownSerializer(many=True)


class CostRowSerializer(CategorySerializer):
    cost = serializers.CharField(allow_null=True)


class DeliveredSerializer(serializers.Serializer):
    total = CellSerializer()
    cost_total = serializers.CharField(allow_null=True)
    rows = CostRowSerializer(many=True)


class EvaluationRowSerializer(CategorySerializer):
    mean_grade = serializers.FloatField(allow_null=True)
    helped_pct = serializers.FloatField(allow_null=True)


class EvaluationsSerializer(serializers.Serializer):
    total = CellSerializer()
    mean_grade = serializers.FloatField(allow_null=True)
    helped_pct = serializers.FloatField(allow_null=True)
    rows = EvaluationRowSerializer(many=True)


class FinanceSerializer(serializers.Serializer):
    year = serializers.IntegerField()
    contributions = serializers.CharField()
    company_budget = serializers.CharField()
    approved_budget = serializers.CharField()
    committed = serializers.CharField(allow_null=True)
    actual = serializers.CharField(allow_null=True)
    remaining = serializers.CharField(allow_null=True)
    spend_hidden = serializers.BooleanField()


class InsurerBreakdownSerializer(serializers.Serializer):
    key = serializers.CharField()
    label = serializers.CharField()  # type: ignore[assignment]
    rows = CostRowSerializer(many=True)


class InsurerSerializer(serializers.Serializer):
    insurers = serializers.ListField(child=serializers.CharField())
    total = CellSerializer()
    cost_total = serializers.CharField(allow_null=True)
    breakdowns = InsurerBreakdownSerializer(many=True)


class PeriodSerializer(serializers.Serializer):
    label = serializers.CharField()  # type: ignore[assignment]
    year = serializers.IntegerField()
    quarter = serializers.IntegerField()
    start = serializers.CharField()
    end = serializers.CharField()


class OrganisationRefSerializer(serializers.Serializer):
    name = serializers.CharField()
    slug = serializers.CharField()


class UsageReportSerializer(serializers.Serializer):
    kind = serializers.CharField()
    sector = serializers.CharField()
    organisation = OrganisationRefSerializer()
    period = PeriodSerializer()
    threshold = serializers.IntegerField(help_text="The minimum group size applied.")
    generated_at = serializers.CharField()
    stored = serializers.BooleanField(help_text="True for the frozen quarterly report.")
    headcount = serializers.IntegerField()
    uptake = UptakeSerializer()
    users_per_1000 = serializers.FloatField(allow_null=True)
    sector_users_per_1000 = serializers.FloatField(allow_null=True)
    delivered = DeliveredSerializer()
    evaluations = EvaluationsSerializer()
    finance = FinanceSerializer()
    insurer = InsurerSerializer(allow_null=True)


class UsageAggregatesView(ApiView):
    """Usage aggregates of an organisation for one quarter (disclosure-controlled)."""

    serializer_class = UsageReportSerializer

    @extend_schema(responses={200: UsageReportSerializer}, operation_id="care_usage_retrieve")
    def get(self, request: Request, org: str, year: int, quarter: int) -> Response:
        from vitaal.care.web.reports.views_usage import load_report

        organisation = get_scoped_object_or_404(
            request.user, Organisation.objects.select_related("sector"), "care.view_usage_report", slug=org
        )
        try:
            period = Quarter(int(year), int(quarter))
        except ValueError as exc:
            raise NotFound from exc
        data, stored = load_report(quarter=period, organisation=organisation)
        report: dict[str, Any] = localise(data)
        report["stored"] = stored is not None
        log_report_read(
            request.user,
            organisation_id=organisation.pk,
            label=period.label,
            action=AccessAction.VIEW,
            description="care usage report (api)",
        )
        return Response(UsageReportSerializer(report).data)


def register(router: SimpleRouter) -> list[URLPattern]:
    """Register viewsets on the shared router; return any extra URL patterns."""
    return [
        path(
            "care/usage/<slug:org>/<int:year>/<int:quarter>/",
            UsageAggregatesView.as_view(),
            name="care_usage",
        )
    ]
