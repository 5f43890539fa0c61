"""API endpoints of the platform: organisations and people (HR-system sync)."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.request import Request
from rest_framework.response import Response

from vitaal.api.base import ApiGenericView, ApiReadOnlyViewSet
from vitaal.api.serializers import (
    OrganisationSerializer,
    PeopleImportRequestSerializer,
    PeopleImportResultSerializer,
    PersonSerializer,
)
from vitaal.core import audit
from vitaal.core.access import get_scoped_object_or_404
from vitaal.core.imports import people as people_import
from vitaal.core.models import Organisation, Person
from vitaal.core.models.audit import AccessAction


class OrganisationViewSet(ApiReadOnlyViewSet):
    """Organisations the caller belongs to or oversees."""

    serializer_class = OrganisationSerializer
    lookup_field = "slug"

    def get_queryset(self) -> QuerySet[Organisation]:
        return Organisation.objects.visible_to(self.request.user).order_by("name")


class PersonViewSet(ApiReadOnlyViewSet):
    """Employee records in the caller's scope, with the fields their role may see."""

    serializer_class = PersonSerializer

    def get_queryset(self) -> QuerySet[Person]:
        qs = (
            Person.objects.visible_to(self.request.user)
            .select_related("organisation", "unit", "function_group")
            .order_by("organisation_id", "employee_number")
        )
        org = self.request.query_params.get("organisation")
        if org:
            qs = qs.filter(organisation__slug=org)
        number = self.request.query_params.get("employee_number")
        if number:
            qs = qs.filter(employee_number=number)
        return qs

    def paginate_queryset(self, queryset: Any) -> Any:
        page = super().paginate_queryset(queryset)
        if page is not None:
            audit.log_access_many(
                subjects=page,
                action=AccessAction.VIEW,
                object_type="person",
                description="API people list",
            )
        return page

    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        person = get_scoped_object_or_404(
            request.user,
            Person.objects.select_related("organisation", "unit", "function_group"),
            "core.view_person",
            pk=kwargs["pk"],
        )
        audit.log_access(
            subject=person,
            action=AccessAction.VIEW,
            object_type="person",
            object_id=person.pk,
            description="API person record",
        )
        return Response(self.get_serializer(person).data)


class PeopleImportView(ApiGenericView):
    """Synchronise employee records from an HR system: the records are validated as a
    whole and applied in one transaction, or rejected with row-level errors."""

    serializer_class = PeopleImportRequestSerializer

    @extend_schema(
        request=PeopleImportRequestSerializer,
        responses={200: PeopleImportResultSerializer, 400: PeopleImportResultSerializer},
    )
    def post(self, request: Request, slug: str) -> Response:
        organisation = get_scoped_object_or_404(
            request.user, Organisation.objects.all(), "core.import_people", slug=slug
        )
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        result = people_import.people_records_import(
            organisation=organisation,
            user=request.user,
            records=serializer.validated_data["records"],
            mode=serializer.validated_data["mode"],
        )
        code = status.HTTP_200_OK if result["status"] == "applied" else status.HTTP_400_BAD_REQUEST
        return Response(PeopleImportResultSerializer(result).data, status=code)
