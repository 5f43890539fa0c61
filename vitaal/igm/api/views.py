"""The igm API: frameworks and instruments (shared reference data), and, scoped like the
web pages, meter sessions with their line scores, plans of approach and process-watch
signals. Reads of organisation data are written to the access log."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db.models import Prefetch, QuerySet
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework.request import Request
from rest_framework.response import Response

from vitaal.api.base import ApiReadOnlyViewSet
from vitaal.core import audit
from vitaal.core.access import get_scoped_object_or_404
from vitaal.core.models.audit import AccessAction
from vitaal.igm.access import scope_cycles, scope_plans
from vitaal.igm.api.serializers import (
    FrameworkSerializer,
    InstrumentSerializer,
    MeterSessionResultSerializer,
    MeterSessionSerializer,
    PlanSerializer,
    SignalSerializer,
)
from vitaal.igm.models import (
    Action,
    Cycle,
    Framework,
    Goal,
    ImprovementPoint,
    Instrument,
    Item,
    MeterSession,
    Plan,
    PlanLine,
    RatingScale,
    StoredSignal,
)
from vitaal.igm.selectors import session_results, sessions_visible_to

ORGANISATION_FILTER = OpenApiParameter(
    "organisation", str, description="Only this organisation (its slug).", required=False
)


def _log_list(rows: Iterable[Any], object_type: str, description: str, org_of: Any) -> None:
    """One access-log entry per organisation whose data a list page showed."""
    for org_id in sorted({org_of(r) for r in rows}):
        audit.log_access(
            subject=None,
            action=AccessAction.VIEW,
            object_type=object_type,
            description=description,
            organisation_id=org_id,
        )


class FrameworkViewSet(ApiReadOnlyViewSet):
    """Published frameworks with their development lines and rating scales."""

    serializer_class = FrameworkSerializer

    def get_queryset(self) -> QuerySet[Framework]:
        return (
            Framework.objects.filter(published=True)
            .prefetch_related(
                "lines",
                Prefetch("scales", queryset=RatingScale.objects.prefetch_related("levels")),
            )
            .order_by("code", "version")
        )


class InstrumentViewSet(ApiReadOnlyViewSet):
    """Published IGM-meter instruments with their items (line, weight) and rating scale."""

    serializer_class = InstrumentSerializer

    def get_queryset(self) -> QuerySet[Instrument]:
        return (
            Instrument.objects.filter(published=True)
            .select_related("framework", "scale")
            .prefetch_related(
                "scale__levels",
                Prefetch("items", queryset=Item.objects.select_related("line").order_by("order")),
            )
            .order_by("code", "version")
        )


@extend_schema_view(list=extend_schema(parameters=[ORGANISATION_FILTER]))
class MeterSessionViewSet(ApiReadOnlyViewSet):
    """Meter sessions the caller may read. The detail adds the line scores: aggregates
    only, withheld for an individual session with too few raters. Individual ratings are
    never part of the API."""

    serializer_class = MeterSessionSerializer

    def get_queryset(self) -> QuerySet[MeterSession]:
        qs = sessions_visible_to(self.request.user).order_by("organisation_id", "-date", "pk")
        org = self.request.query_params.get("organisation")
        if org:
            qs = qs.filter(organisation__slug=org)
        return qs

    def paginate_queryset(self, queryset: Any) -> Any:
        page = super().paginate_queryset(queryset)
        if page is not None:
            _log_list(page, "igm_meter_session", "API meter session list", lambda s: s.organisation_id)
        return page

    @extend_schema(responses=MeterSessionResultSerializer)
    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        session = get_scoped_object_or_404(
            request.user,
            MeterSession.objects.select_related("organisation__sector", "unit", "instrument__scale"),
            "igm.view_metersession",
            pk=kwargs["pk"],
        )
        results = session_results(session=session, user=request.user)
        audit.log_access(
            subject=None,
            action=AccessAction.VIEW,
            object_type="igm_meter_session",
            object_id=session.pk,
            description="API meter session scores",
            organisation_id=session.organisation_id,
        )
        data = MeterSessionResultSerializer(session, context={"request": request, "results": results}).data
        return Response(data)


def _plan_queryset() -> QuerySet[Plan]:
    goals = Goal.objects.select_related("owner").prefetch_related(
        Prefetch("actions", queryset=Action.objects.select_related("owner").order_by("due_date", "pk"))
    )
    points = ImprovementPoint.objects.prefetch_related(Prefetch("goals", queryset=goals.order_by("pk")))
    lines = PlanLine.objects.select_related("line").prefetch_related(
        Prefetch("points", queryset=points.order_by("order", "pk"))
    )
    return Plan.objects.select_related("cycle__organisation", "unit").prefetch_related(
        Prefetch("lines", queryset=lines.order_by("priority", "pk"))
    )


@extend_schema_view(list=extend_schema(parameters=[ORGANISATION_FILTER]))
class PlanViewSet(ApiReadOnlyViewSet):
    """Plans of approach the caller may read, with prioritised lines, improvement points,
    SMART goals and actions."""

    serializer_class = PlanSerializer

    def get_queryset(self) -> QuerySet[Plan]:
        qs = scope_plans(_plan_queryset(), self.request.user).order_by(
            "cycle__organisation_id", "cycle_id", "pk"
        )
        org = self.request.query_params.get("organisation")
        if org:
            qs = qs.filter(cycle__organisation__slug=org)
        return qs

    def paginate_queryset(self, queryset: Any) -> Any:
        page = super().paginate_queryset(queryset)
        if page is not None:
            _log_list(page, "igm_plan", "API plan list", lambda p: p.cycle.organisation_id)
        return page

    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        plan = get_scoped_object_or_404(request.user, _plan_queryset(), "igm.view_plan", pk=kwargs["pk"])
        audit.log_access(
            subject=None,
            action=AccessAction.VIEW,
            object_type="igm_plan",
            object_id=plan.pk,
            description="API plan",
            organisation_id=plan.cycle.organisation_id,
        )
        return Response(self.get_serializer(plan).data)


@extend_schema_view(list=extend_schema(parameters=[ORGANISATION_FILTER]))
class SignalViewSet(ApiReadOnlyViewSet):
    """Process-watch signals of the cycles the caller may read, as last computed."""

    serializer_class = SignalSerializer

    def get_queryset(self) -> QuerySet[StoredSignal]:
        cycles = scope_cycles(Cycle.objects.all(), self.request.user).values("pk")
        qs = (
            StoredSignal.objects.filter(cycle_id__in=cycles)
            .select_related("cycle__organisation")
            .order_by("cycle__organisation_id", "cycle_id", "kind", "subject_id")
        )
        org = self.request.query_params.get("organisation")
        if org:
            qs = qs.filter(cycle__organisation__slug=org)
        return qs

    def paginate_queryset(self, queryset: Any) -> Any:
        page = super().paginate_queryset(queryset)
        if page is not None:
            _log_list(page, "igm_signal", "API signal list", lambda s: s.cycle.organisation_id)
        return page

    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        signal = get_scoped_object_or_404(
            request.user,
            StoredSignal.objects.select_related("cycle__organisation"),
            "igm.view_storedsignal",
            pk=kwargs["pk"],
        )
        audit.log_access(
            subject=None,
            action=AccessAction.VIEW,
            object_type="igm_signal",
            object_id=signal.pk,
            description="API signal",
            organisation_id=signal.cycle.organisation_id,
        )
        return Response(self.get_serializer(signal).data)
