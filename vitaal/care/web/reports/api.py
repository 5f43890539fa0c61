"""API endpoints of this area, added to the shared router by vitaal/api/urls.py.

``GET /api/v1/care/usage/{org}/{year}/{quarter}/`` and
``GET /api/v1/care/usage/{org}/{period}/`` (``2025``, ``2026-Q3``, ``2026-Q3-12m``): the
usage aggregates of one organisation for a closed period, read from the period's care
release like the report page (a suppressed cell has ``value: null``), with the same
access rules and audit entry. A period still running answers 404: it has no release."""

from __future__ import annotations

from typing import Any

from django.urls import URLPattern, path
from django.utils import timezone
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.exceptions import NotFound
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.routers import SimpleRouter

from vitaal.api.base import ApiView
from vitaal.care.usage import localise
from vitaal.care.web.reports.common import log_report_read
from vitaal.core.access import get_scoped_object_or_404
from vitaal.core.models import Organisation
from vitaal.core.models.audit import AccessAction
from vitaal.core.releases import ReleasePeriod


class CellSerializer(serializers.Serializer):
    value = serializers.IntegerField(allow_null=True, help_text="The count; null when suppressed.")
    suppressed = serializers.BooleanField()
    withheld = serializers.BooleanField(
        required=False, help_text="True when the whole breakdown is not shown: everybody falls in one group."
    )


class CategorySerializer(serializers.Serializer):
    key = serializers.CharField()
    label = serializers.CharField()  # type: ignore[assignment]
    cell = CellSerializer()


class BreakdownSerializer(serializers.Serializer):
    key = serializers.CharField()
    label = serializers.CharField()  # type: ignore[assignment]
    withheld = serializers.BooleanField(help_text="True when everybody falls in one category: none is shown.")
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
    spend_for_years_only = serializers.BooleanField(
        help_text="Spend is released for closed calendar years only; true for quarters and twelve months."
    )


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
    kind = serializers.CharField(help_text="quarter, year or rolling (twelve months).")
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
    generated_on = serializers.CharField(help_text="The day the period's figures were worked out.")
    headcount = serializers.IntegerField()
    uptake = UptakeSerializer()
    users_per_1000 = serializers.FloatField(allow_null=True)
    sector_users_per_1000 = serializers.FloatField(allow_null=True)
    delivered = DeliveredSerializer()
    evaluations = EvaluationsSerializer()
    finance = FinanceSerializer()
    insurer = InsurerSerializer(allow_null=True)


class UsageAggregatesView(ApiView):
    """Usage aggregates of an organisation for one closed period (disclosure-controlled)."""

    serializer_class = UsageReportSerializer

    def _answer(self, request: Request, org: str, period: ReleasePeriod) -> Response:
        from vitaal.care.web.reports.views_usage import load_report

        organisation = get_scoped_object_or_404(
            request.user, Organisation.objects.select_related("sector"), "care.view_usage_report", slug=org
        )
        if not period.is_closed(timezone.localdate()):
            raise NotFound("This period has not ended yet; its figures are released after it ends.")
        data = load_report(period=period, organisation=organisation)
        report: dict[str, Any] = localise(data)
        log_report_read(
            request.user,
            organisation_id=organisation.pk,
            label=period.label,
            action=AccessAction.VIEW,
            description="care usage report (api)",
        )
        return Response(UsageReportSerializer(report).data)

    @extend_schema(responses={200: UsageReportSerializer}, operation_id="care_usage_retrieve")
    def get(self, request: Request, org: str, year: int, quarter: int) -> Response:
        try:
            period = ReleasePeriod.of_quarter(int(year), int(quarter))
        except ValueError as exc:
            raise NotFound from exc
        return self._answer(request, org, period)


class UsagePeriodView(UsageAggregatesView):
    """Usage aggregates of an organisation for a closed quarter, year or twelve months."""

    @extend_schema(responses={200: UsageReportSerializer}, operation_id="care_usage_period_retrieve")
    def get(self, request: Request, org: str, period: str) -> Response:  # type: ignore[override]
        try:
            chosen = ReleasePeriod.parse(period)
        except ValueError as exc:
            raise NotFound from exc
        return self._answer(request, org, chosen)


def register(router: SimpleRouter) -> list[URLPattern]:
    """Register viewsets on the shared router; return any extra URL patterns."""
    return [
        path(
            "care/usage/<slug:org>/<int:year>/<int:quarter>/",
            UsageAggregatesView.as_view(),
            name="care_usage",
        ),
        path("care/usage/<slug:org>/<str:period>/", UsagePeriodView.as_view(), name="care_usage_period"),
    ]
