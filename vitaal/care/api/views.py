"""The care API: the catalog and package (read), an employee's own requests and health
checks, and a provider's assignments with delivery registration.

The same rules as the web pages: reads go through ``visible_to`` and narrower querysets,
writes through ``vitaal.care.workflow`` and ``vitaal.care.services`` (which check the
``care.*`` permissions and write the access log). Whatever lies outside the caller's view
answers 404 (the existence of a request is health data too); a role that has no business
with an endpoint at all gets 403. Refused input answers 400 with a ``detail`` message
and changes nothing.
"""

from __future__ import annotations

from typing import Any, cast

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import BasePermission
from rest_framework.request import Request
from rest_framework.response import Response

from vitaal.api.base import DEFAULT_PERMISSIONS, ApiLoginNotRequiredMixin, ApiReadOnlyViewSet
from vitaal.care import services, workflow
from vitaal.care.api.serializers import (
    AcceptSerializer,
    AssignmentSerializer,
    HealthCheckCreateSerializer,
    HealthCheckSerializer,
    InterventionSerializer,
    OwnRequestCreateSerializer,
    OwnRequestSerializer,
    PackageSerializer,
    ReasonSerializer,
    SessionCreateSerializer,
    SessionSerializer,
)
from vitaal.care.models import (
    AccessRoute,
    CareRequest,
    ChainStage,
    DeliveryForm,
    HealthCheck,
    Intervention,
    Package,
    Theme,
)
from vitaal.care.web.catalog.forms import CatalogFilterForm
from vitaal.core import audit
from vitaal.core.access import get_actor
from vitaal.core.models import User
from vitaal.core.models.audit import AccessAction
from vitaal.core.roles import Role

ID_PATTERN = r"\d+"


def _user(request: Request) -> User:
    """The authenticated caller (every view here requires authentication)."""
    return cast(User, request.user)


def _flatten(errors: Any) -> list[str]:
    if isinstance(errors, dict):
        out: list[str] = []
        for value in errors.values():
            out.extend(_flatten(value))
        return out
    if isinstance(errors, list | tuple):
        out = []
        for value in errors:
            out.extend(_flatten(value))
        return out
    return [str(errors)]


def refused(exc: DjangoValidationError) -> Response:
    """A service's refusal as a 400 (or 403 when the role may not do it)."""
    codes = {getattr(e, "code", None) for e in exc.error_list} if hasattr(exc, "error_list") else set()
    code = status.HTTP_403_FORBIDDEN if "not_allowed" in codes else status.HTTP_400_BAD_REQUEST
    return Response({"detail": " ".join(_flatten(exc.messages))}, status=code)


def invalid(serializer: serializers.Serializer) -> Response:
    return Response({"detail": " ".join(_flatten(serializer.errors))}, status=status.HTTP_400_BAD_REQUEST)


class StatusSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    status = serializers.CharField()


class HasOwnRecord(BasePermission):
    """Lists and new entries of one's own care data need an employee record."""

    message = gettext_lazy("Only employees have their own care requests and health checks.")

    def has_permission(self, request: Request, view: Any) -> bool:
        if getattr(view, "action", None) not in ("list", "create"):
            return True  # single objects: outside one's own they are simply not found
        return get_actor(request.user).person is not None


class IsProvider(BasePermission):
    message = gettext_lazy("Only care providers have assignments.")

    def has_permission(self, request: Request, view: Any) -> bool:
        return bool(get_actor(request.user).sectors_for([Role.PROVIDER]))


# --- Catalog and package ----------------------------------------------------------------


CATALOG_FILTERS = [
    OpenApiParameter("q", str, description="Text in the name, description or code."),
    OpenApiParameter("theme", str, enum=[v for v, _l in Theme.choices]),
    OpenApiParameter("stage", str, enum=[v for v, _l in ChainStage.choices]),
    OpenApiParameter("form", str, enum=[v for v, _l in DeliveryForm.choices]),
    OpenApiParameter("route", str, enum=[v for v, _l in AccessRoute.choices]),
    OpenApiParameter(
        "unique",
        str,
        enum=["yes", "no"],
        description="yes: only what no other scheme pays for; no: what another scheme also covers.",
    ),
]


@extend_schema_view(list=extend_schema(parameters=CATALOG_FILTERS))
class InterventionViewSet(ApiReadOnlyViewSet):
    """The catalog of the caller's sector (active entries; the sector admin also sees
    inactive ones), with the same filters as the catalog page."""

    serializer_class = InterventionSerializer
    lookup_value_regex = ID_PATTERN

    def get_queryset(self) -> QuerySet[Intervention]:
        qs: QuerySet[Intervention] = Intervention.objects.visible_to(self.request.user).order_by(
            "theme", "name_nl", "pk"
        )
        if self.action == "list":
            # Filter values that do not fit are left out, as on the catalog page.
            form = CatalogFilterForm(self.request.query_params)
            form.is_valid()
            qs = form.filter(qs)
        return qs


class PackageViewSet(ApiReadOnlyViewSet):
    """The sector's published packages with each intervention's verdict and rationale
    (drafts only for the sector admin)."""

    serializer_class = PackageSerializer
    lookup_value_regex = ID_PATTERN

    def get_queryset(self) -> QuerySet[Package]:
        return (
            Package.objects.visible_to(self.request.user)
            .prefetch_related("items__intervention")
            .order_by("-year", "pk")
        )


# --- The employee's own data ------------------------------------------------------------


class OwnRequestViewSet(
    ApiLoginNotRequiredMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    """The caller's own care requests: list, submit directly, withdraw."""

    serializer_class = OwnRequestSerializer
    permission_classes = [*DEFAULT_PERMISSIONS, HasOwnRecord]
    lookup_value_regex = ID_PATTERN

    def get_queryset(self) -> QuerySet[CareRequest]:
        return (
            CareRequest.objects.filter(person__user_id=_user(self.request).pk)
            .select_related("intervention", "provider", "evaluation")
            .prefetch_related("sessions")
            .order_by("-created_at", "-pk")
        )

    @extend_schema(request=OwnRequestCreateSerializer, responses={201: OwnRequestSerializer})
    def create(self, request: Request) -> Response:
        data = OwnRequestCreateSerializer(data=request.data)
        if not data.is_valid():
            return invalid(data)
        person = get_actor(request.user).person
        intervention = (
            Intervention.objects.visible_to(request.user)
            .filter(pk=data.validated_data["intervention"])
            .first()
        )
        if intervention is None or person is None:
            return Response(
                {"detail": _("This intervention is not in your sector's catalog.")},
                status=status.HTTP_400_BAD_REQUEST,
            )
        try:
            care_request = workflow.care_request_submit(
                user=_user(request),
                person=person,
                intervention=intervention,
                description=data.validated_data["description"],
            )
        except DjangoValidationError as exc:
            return refused(exc)
        return Response(
            OwnRequestSerializer(self.get_queryset().get(pk=care_request.pk)).data,
            status=status.HTTP_201_CREATED,
        )

    @extend_schema(request=ReasonSerializer, responses={200: OwnRequestSerializer})
    @action(detail=True, methods=["post"])
    def withdraw(self, request: Request, pk: str | None = None) -> Response:
        care_request = self.get_object()
        data = ReasonSerializer(data=request.data)
        if not data.is_valid():
            return invalid(data)
        try:
            workflow.care_request_withdraw(
                user=_user(request), request=care_request, reason=data.validated_data["reason"]
            )
        except DjangoValidationError as exc:
            return refused(exc)
        return Response(OwnRequestSerializer(self.get_queryset().get(pk=care_request.pk)).data)


class OwnHealthCheckViewSet(
    ApiLoginNotRequiredMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    """The caller's own health checks. Nobody else, whatever their role, ever gets one."""

    serializer_class = HealthCheckSerializer
    permission_classes = [*DEFAULT_PERMISSIONS, HasOwnRecord]
    lookup_value_regex = ID_PATTERN

    def get_queryset(self) -> QuerySet[HealthCheck]:
        return HealthCheck.objects.visible_to(self.request.user).order_by("-taken_on", "-created_at", "-pk")

    @extend_schema(request=HealthCheckCreateSerializer, responses={201: HealthCheckSerializer})
    def create(self, request: Request) -> Response:
        person = get_actor(request.user).person
        if person is None or not request.user.has_perm("care.add_healthcheck"):
            return Response({"detail": str(HasOwnRecord.message)}, status=status.HTTP_403_FORBIDDEN)
        data = HealthCheckCreateSerializer(data=request.data)
        if not data.is_valid():
            return invalid(data)
        try:
            check = services.health_check_record(
                person=person,
                who5=data.validated_data["who5"],
                work_ability=data.validated_data["work_ability"],
                taken_on=data.validated_data.get("taken_on"),
            )
        except DjangoValidationError as exc:
            return refused(exc)
        return Response(HealthCheckSerializer(check).data, status=status.HTTP_201_CREATED)


# --- Providers --------------------------------------------------------------------------


class AssignmentViewSet(
    ApiLoginNotRequiredMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    """Requests assigned to the caller's provider: accept or decline them, register the
    sessions delivered. Every read is written to the access log."""

    serializer_class = AssignmentSerializer
    permission_classes = [*DEFAULT_PERMISSIONS, IsProvider]
    lookup_value_regex = ID_PATTERN

    def get_queryset(self) -> QuerySet[CareRequest]:
        user = _user(self.request)
        sectors = get_actor(user).sectors_for([Role.PROVIDER])
        ids = CareRequest.objects.filter(
            organisation__sector_id__in=sectors, provider__members__user_id=user.pk
        ).values("pk")
        return (
            CareRequest.objects.filter(pk__in=ids)
            .select_related("person", "organisation", "intervention")
            .prefetch_related("sessions")
            .order_by("-created_at", "-pk")
        )

    def paginate_queryset(self, queryset: Any) -> Any:
        page = super().paginate_queryset(queryset)
        if page is not None:
            audit.log_access_many(
                subjects=[r.person for r in page],
                action=AccessAction.VIEW,
                object_type="care_request",
                description="API assignment list",
                user=self.request.user,
            )
        return page

    def get_object(self) -> CareRequest:
        care_request: CareRequest = super().get_object()
        audit.log_access(
            subject=care_request.person,
            action=AccessAction.VIEW,
            object_type="care_request",
            object_id=care_request.pk,
            description="API assignment opened",
            user=self.request.user,
        )
        return care_request

    def _reloaded(self, care_request: CareRequest) -> Response:
        return Response(AssignmentSerializer(self.get_queryset().get(pk=care_request.pk)).data)

    @extend_schema(request=AcceptSerializer, responses={200: AssignmentSerializer})
    @action(detail=True, methods=["post"])
    def accept(self, request: Request, pk: str | None = None) -> Response:
        care_request = self.get_object()
        data = AcceptSerializer(data=request.data)
        if not data.is_valid():
            return invalid(data)
        try:
            workflow.care_request_provider_accept(
                user=_user(request),
                request=care_request,
                sessions_planned=data.validated_data.get("sessions_planned"),
            )
        except DjangoValidationError as exc:
            return refused(exc)
        return self._reloaded(care_request)

    @extend_schema(request=ReasonSerializer, responses={200: StatusSerializer})
    @action(detail=True, methods=["post"])
    def decline(self, request: Request, pk: str | None = None) -> Response:
        """Hand the request back to the care coordinator; it leaves your list."""
        care_request = self.get_object()
        data = ReasonSerializer(data=request.data)
        if not data.is_valid():
            return invalid(data)
        try:
            declined = workflow.care_request_provider_decline(
                user=_user(request), request=care_request, reason=data.validated_data["reason"]
            )
        except DjangoValidationError as exc:
            return refused(exc)
        return Response({"id": declined.pk, "status": declined.status})

    @extend_schema(request=None, responses={200: AssignmentSerializer})
    @action(detail=True, methods=["post"])
    def complete(self, request: Request, pk: str | None = None) -> Response:
        """Close the request once delivery is done; the employee is then asked to evaluate."""
        care_request = self.get_object()
        try:
            workflow.care_request_complete(user=_user(request), request=care_request)
        except DjangoValidationError as exc:
            return refused(exc)
        return self._reloaded(care_request)

    @extend_schema(methods=["GET"], request=None, responses={200: SessionSerializer(many=True)})
    @extend_schema(methods=["POST"], request=SessionCreateSerializer, responses={201: SessionSerializer})
    @action(detail=True, methods=["get", "post"], pagination_class=None)
    def sessions(self, request: Request, pk: str | None = None) -> Response:
        """The sessions delivered for this assignment; POST registers one with its cost."""
        care_request = self.get_object()
        if request.method == "GET":
            return Response(SessionSerializer(care_request.sessions.all(), many=True).data)
        data = SessionCreateSerializer(data=request.data)
        if not data.is_valid():
            return invalid(data)
        try:
            session = workflow.delivery_session_register(
                user=_user(request), request=care_request, **data.validated_data
            )
        except DjangoValidationError as exc:
            return refused(exc)
        return Response(SessionSerializer(session).data, status=status.HTTP_201_CREATED)
