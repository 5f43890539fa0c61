"""Employee records: list, detail, HR import, export, and ending an account."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from vitaal.core import audit
from vitaal.core.access import (
    get_scoped_object_or_404,
    person_fields_for,
    require_perm,
    require_recent_authentication,
)
from vitaal.core.forms import PeopleImportForm, PersonFilterForm
from vitaal.core.imports import people as people_import
from vitaal.core.models import ImportJob, Organisation, Person
from vitaal.core.models.audit import AccessAction
from vitaal.core.services import user_deactivate
from vitaal.core.spreadsheets import xlsx_response


def _organisation(request: HttpRequest, slug: str, perm: str) -> Organisation:
    return get_scoped_object_or_404(request.user, Organisation.objects.all(), perm, slug=slug)


def person_rows(person: Person, fields: list[str]) -> list[tuple[str, Any]]:
    """(label, value) pairs of the whitelisted fields, for display."""
    rows = []
    for name in fields:
        f = Person._meta.get_field(name)
        label = str(getattr(f, "verbose_name", name))
        value = getattr(person, name)
        if name == "gender":
            value = person.get_gender_display()
        rows.append((label, value))
    return rows


@require_GET
def person_list(request: HttpRequest, org: str) -> HttpResponse:
    organisation = _organisation(request, org, "core.list_people")
    form = PersonFilterForm(request.GET or None, organisation=organisation, user=request.user)
    people: QuerySet[Person] = (
        Person.objects.visible_to(request.user)
        .filter(organisation=organisation)
        .select_related("unit", "function_group")
        .order_by("last_name", "first_name", "pk")
    )
    if form.is_valid():
        people = form.filter(people)
    else:
        people = people.filter(Q(employment_end__isnull=True) | Q(employment_end__gte=timezone.localdate()))
    page = Paginator(people, 50).get_page(request.GET.get("page"))
    audit.log_access_many(
        subjects=page.object_list,
        action=AccessAction.VIEW,
        object_type="person",
        description="people list",
    )
    return render(
        request,
        "core/person_list.html",
        {
            "organisation": organisation,
            "page": page,
            "form": form,
            "can_import": request.user.has_perm("core.import_people", organisation),
            "querystring": _querystring_without_page(request),
        },
    )


def _querystring_without_page(request: HttpRequest) -> str:
    params = request.GET.copy()
    params.pop("page", None)
    return params.urlencode()


@require_GET
def person_detail(request: HttpRequest, org: str, pk: int) -> HttpResponse:
    person = get_scoped_object_or_404(
        request.user,
        Person.objects.select_related("organisation", "unit", "function_group", "user"),
        "core.view_person",
        pk=pk,
        organisation__slug=org,
    )
    fields = person_fields_for(request.user, person)
    audit.log_access(
        subject=person,
        action=AccessAction.VIEW,
        object_type="person",
        object_id=person.pk,
        description="person record",
    )
    return render(
        request,
        "core/person_detail.html",
        {
            "organisation": person.organisation,
            "person": person,
            "rows": person_rows(person, fields),
            "can_deactivate": person.user is not None
            and person.user.is_active
            and request.user.has_perm("core.manage_accounts", person.organisation)
            and person.user_id != request.user.pk,
        },
    )


@require_http_methods(["GET", "POST"])
def person_import(request: HttpRequest, org: str) -> HttpResponse:
    organisation = _organisation(request, org, "core.import_people")
    if request.method == "POST":
        form = PeopleImportForm(request.POST, request.FILES)
        if form.is_valid():
            upload = form.cleaned_data["file"]
            job = people_import.people_import_create(
                organisation=organisation,
                user=request.user,
                filename=upload.name,
                content=upload.read(),
                mode=form.cleaned_data["mode"],
            )
            return redirect("core:person_import_review", org=organisation.slug, job=job.pk)
    else:
        form = PeopleImportForm()
    jobs = ImportJob.objects.filter(organisation=organisation, kind=ImportJob.Kind.PEOPLE).defer("content")[
        :10
    ]
    return render(
        request,
        "core/person_import.html",
        {
            "organisation": organisation,
            "form": form,
            "jobs": jobs,
            "columns": people_import.COLUMN_HELP,
        },
    )


@require_http_methods(["GET", "POST"])
def person_import_review(request: HttpRequest, org: str, job: int) -> HttpResponse:
    organisation = _organisation(request, org, "core.import_people")
    try:
        import_job = ImportJob.objects.defer("content").get(pk=job, organisation=organisation)
    except ImportJob.DoesNotExist as exc:
        raise Http404 from exc
    if request.method == "POST":
        if import_job.status != ImportJob.Status.VALIDATED:
            messages.error(request, _("This import can no longer be applied."))
        elif "cancel" in request.POST:
            people_import.people_import_cancel(job=import_job, user=request.user)
            messages.info(request, _("The import has been cancelled. Nothing was changed."))
        elif import_job.summary.get("rows", 0) > settings.VITAAL_IMPORT_INLINE_ROWS:
            people_import.people_import_queue(job=import_job, user=request.user)
            messages.info(
                request, _("The import is being applied in the background. This page shows when it is done.")
            )
        else:
            import_job = people_import.people_import_apply(job=import_job, user=request.user)
            if import_job.status == ImportJob.Status.APPLIED:
                messages.success(request, _("The import has been applied."))
            else:
                messages.error(request, _("The import could not be applied. Nothing was changed."))
        return redirect("core:person_import_review", org=organisation.slug, job=import_job.pk)
    return render(
        request, "core/person_import_review.html", {"organisation": organisation, "job": import_job}
    )


@require_GET
def person_export(request: HttpRequest, org: str) -> HttpResponse:
    """The people in the user's scope as a spreadsheet (only whitelisted fields)."""
    organisation = _organisation(request, org, "core.import_people")
    require_recent_authentication(request)
    people = list(
        Person.objects.visible_to(request.user)
        .filter(organisation=organisation)
        .select_related("unit", "function_group", "organisation")
        .order_by("employee_number")
    )
    audit.log_access_many(
        subjects=people,
        action=AccessAction.EXPORT,
        object_type="person",
        description="people export",
    )
    content = people_import.people_export_xlsx(people=people, user=request.user)
    return xlsx_response(content, f"{organisation.slug}-people-{timezone.localdate():%Y%m%d}.xlsx")


@require_POST
def person_account_deactivate(request: HttpRequest, org: str, pk: int) -> HttpResponse:
    person = get_scoped_object_or_404(
        request.user,
        Person.objects.select_related("organisation", "user"),
        "core.view_person",
        pk=pk,
        organisation__slug=org,
    )
    require_perm(request.user, "core.manage_accounts", person.organisation)
    require_recent_authentication(request)
    if person.user is None or person.user_id == request.user.pk:
        messages.error(request, _("This account cannot be deactivated here."))
    else:
        ended = user_deactivate(user=person.user, by=request.user)
        messages.success(
            request,
            ngettext(
                "The account has been deactivated and %(n)s active session was ended.",
                "The account has been deactivated and %(n)s active sessions were ended.",
                ended,
            )
            % {"n": ended},
        )
    return redirect("core:person_detail", org=org, pk=pk)
