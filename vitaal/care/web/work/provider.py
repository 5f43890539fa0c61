"""The providers' side: assignments of their provider, accept or decline, register
sessions and costs, close with an outcome. A request not assigned to the user's provider
does not exist for them (404)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Page
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from vitaal.care import workflow
from vitaal.care.collective import provider_ids_of
from vitaal.care.models import CareRequest, RequestStatus
from vitaal.care.models.requests import CLOSED_STATUSES
from vitaal.care.web.work.common import acting_user, add_errors, refusal_messages, require, staff_request
from vitaal.care.web.work.forms import AcceptForm, CloseForm, DeclineForm, SessionForm
from vitaal.core.audit import log_access_many
from vitaal.core.models.audit import AccessAction
from vitaal.core.paging import UncountedPage, paged, paged_uncounted

S = RequestStatus
DELIVER = "care.deliver_carerequest"
# Rows per list on the assignments page (three lists on one page, also on a phone).
PER_LIST = 20


@require_GET
def assignment_list(request: HttpRequest) -> HttpResponse:
    """The provider's assignments in three lists (new, in progress, closed), each paged on
    its own: a large provider has thousands, and the page must not grow with them."""
    providers = provider_ids_of(request.user)
    require(bool(providers))
    assignments = (
        CareRequest.objects.visible_to(request.user)
        .filter(provider_id__in=providers)
        .select_related("person", "intervention", "organisation")
        # What the lists show and the access log needs; a request row is wide (texts).
        .only(
            "pk",
            "status",
            "updated_at",
            "person__first_name",
            "person__last_name",
            "person__organisation_id",
            "person__user_id",
            "organisation__name",
            "intervention__name_nl",
            "intervention__name_en",
        )
        .order_by("-updated_at", "-pk")
    )
    groups: list[tuple[str, str, Page[CareRequest] | UncountedPage]] = [
        (
            _("New assignments"),
            "new",
            paged(request, assignments.filter(status=S.ASSIGNED), param="new", per_page=PER_LIST),
        ),
        (
            _("In progress"),
            "active",
            paged(request, assignments.filter(status=S.IN_PROGRESS), param="active", per_page=PER_LIST),
        ),
        (
            _("Closed"),
            "closed",
            paged_uncounted(  # tens of thousands in a few years: not counted on every view
                request, assignments.filter(status__in=CLOSED_STATUSES), param="closed", per_page=PER_LIST
            ),
        ),
    ]
    log_access_many(
        subjects=[r.person for _title, _key, page in groups for r in page.object_list],
        action=AccessAction.VIEW,
        object_type="care_request",
        description="provider assignments",
        user=acting_user(request),
    )
    return render(request, "care/work/assignment_list.html", {"groups": groups})


def _detail_context(care_request: CareRequest, **forms: Any) -> dict[str, Any]:
    sessions = list(care_request.sessions.all())
    return {
        "care_request": care_request,
        "sessions": sessions,
        "spent": sum((s.cost for s in sessions), 0),
        "accept_form": forms.get("accept_form") or AcceptForm(request=care_request),
        "decline_form": forms.get("decline_form") or DeclineForm(),
        "session_form": forms.get("session_form") or SessionForm(initial=_session_initial(care_request)),
        "close_form": forms.get("close_form") or CloseForm(),
        "outcome": workflow.outcome_label(care_request.closed_reason)
        if care_request.status == S.COMPLETED
        else "",
    }


def _session_initial(care_request: CareRequest) -> dict[str, Any]:
    from django.utils import timezone

    tariff = None
    if care_request.provider is not None:
        own = care_request.provider.tariff_for(care_request.intervention)
        tariff = own.tariff if own is not None else None
    if tariff is None and care_request.intervention.tariff_unit == "session":
        tariff = care_request.intervention.tariff
    return {"date": timezone.localdate(), "duration_minutes": 50, "cost": tariff}


@require_GET
def assignment_detail(request: HttpRequest, pk: int) -> HttpResponse:
    care_request = staff_request(request, pk, DELIVER)
    return render(request, "care/work/assignment_detail.html", _detail_context(care_request))


def _rerender(request: HttpRequest, care_request: CareRequest, **forms: Any) -> HttpResponse:
    return render(
        request, "care/work/assignment_detail.html", _detail_context(care_request, **forms), status=400
    )


@require_POST
def assignment_accept(request: HttpRequest, pk: int) -> HttpResponse:
    care_request = staff_request(request, pk, DELIVER)
    form = AcceptForm(request.POST, request=care_request)
    if form.is_valid():
        try:
            workflow.care_request_provider_accept(
                user=acting_user(request),
                request=care_request,
                sessions_planned=form.cleaned_data["sessions_planned"],
            )
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, _("You have accepted the assignment."))
            return redirect("care:assignment_detail", pk=pk)
    return _rerender(request, care_request, accept_form=form)


@require_POST
def assignment_decline(request: HttpRequest, pk: int) -> HttpResponse:
    care_request = staff_request(request, pk, DELIVER)
    form = DeclineForm(request.POST)
    if form.is_valid():
        try:
            workflow.care_request_provider_decline(
                user=acting_user(request), request=care_request, reason=form.cleaned_data["reason"]
            )
        except ValidationError as exc:
            refusal_messages(request, exc)
            return redirect("care:assignment_detail", pk=pk)
        messages.success(request, _("You have declined; the care coordinator will find another provider."))
        return redirect("care:assignment_list")
    return _rerender(request, care_request, decline_form=form)


@require_POST
def session_add(request: HttpRequest, pk: int) -> HttpResponse:
    care_request = staff_request(request, pk, DELIVER)
    form = SessionForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            workflow.delivery_session_register(
                user=acting_user(request),
                request=care_request,
                date=data["date"],
                duration_minutes=data["duration_minutes"],
                cost=data["cost"],
                note=data["note"],
            )
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, _("The session has been registered."))
            return redirect("care:assignment_detail", pk=pk)
    return _rerender(request, care_request, session_form=form)


@require_POST
def assignment_close(request: HttpRequest, pk: int) -> HttpResponse:
    care_request = staff_request(request, pk, DELIVER)
    form = CloseForm(request.POST)
    if form.is_valid():
        try:
            workflow.care_request_complete(
                user=acting_user(request), request=care_request, outcome=form.cleaned_data["outcome"]
            )
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, _("The request has been closed. Thank you."))
            return redirect("care:assignment_detail", pk=pk)
    return _rerender(request, care_request, close_form=form)
