"""The care coordinator's queue and the company doctor's approvals: approve, reject with a
reason, assign a provider. They see what is needed to decide: the intervention, the route,
the organisation, the employee's own description and what is left under the ceiling; not
the employee's name (the provider gets that once assigned)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from vitaal.care import finance, workflow
from vitaal.care.models import CareRequest, RequestStatus
from vitaal.care.web.work.common import (
    acting_user,
    add_errors,
    organisation_in_scope,
    refusal_messages,
    require,
    staff_request,
)
from vitaal.care.web.work.forms import AssignForm, ReasonForm, matching_providers, tariffs_for
from vitaal.core.access import get_actor
from vitaal.core.audit import log_access_many
from vitaal.core.models.audit import AccessAction
from vitaal.core.paging import paged
from vitaal.core.roles import Role

S = RequestStatus
DECIDE_PERMS = ("care.approve_carerequest", "care.assign_carerequest")
QUEUE_FIELDS = ("intervention", "organisation", "person")
QUEUE_PER_PAGE = 50


def _log_list(user: Any, rows: list[CareRequest], description: str) -> None:
    log_access_many(
        subjects=[r.person for r in rows],
        action=AccessAction.VIEW,
        object_type="care_request",
        description=description,
        user=user,
    )


@require_GET
def queue(request: HttpRequest) -> HttpResponse:
    """What waits for the care coordinator: approvals that name them, and approved
    requests that need a provider."""
    sectors = get_actor(request.user).sectors_for([Role.CARE_COORDINATOR])
    require(bool(sectors))
    base = (
        CareRequest.objects.visible_to(request.user)
        .filter(organisation__sector_id__in=sectors)
        .select_related(*QUEUE_FIELDS)
        .order_by("created_at", "pk")
    )
    # Oldest first, fifty at a time: the page stays the same size however long the queue.
    approvals = paged(
        request,
        base.filter(status=S.AWAITING_APPROVAL, intervention__approver="care_coordinator"),
        param="approvals",
        per_page=QUEUE_PER_PAGE,
    )
    to_assign = paged(request, base.filter(status=S.APPROVED), param="to_assign", per_page=QUEUE_PER_PAGE)
    _log_list(request.user, [*approvals.object_list, *to_assign.object_list], "care coordinator queue")
    return render(request, "care/work/queue.html", {"approvals": approvals, "to_assign": to_assign})


@require_GET
def doctor_approvals(request: HttpRequest, org: str) -> HttpResponse:
    """Requests in the organisation that wait for the company doctor's approval."""
    organisation = organisation_in_scope(request, org)
    require(get_actor(request.user).has_role_in_org(organisation, [Role.COMPANY_DOCTOR]))
    approvals = list(
        CareRequest.objects.visible_to(request.user)
        .filter(
            organisation=organisation,
            status=S.AWAITING_APPROVAL,
            intervention__approval_required=True,
            intervention__approver="company_doctor",
        )
        .select_related(*QUEUE_FIELDS)
        .order_by("created_at", "pk")
    )
    _log_list(request.user, approvals, "company doctor approvals")
    return render(
        request, "care/work/doctor_approvals.html", {"organisation": organisation, "approvals": approvals}
    )


def _review_context(request: HttpRequest, care_request: CareRequest, **forms: Any) -> dict[str, Any]:
    user = request.user
    can_approve = care_request.status == S.AWAITING_APPROVAL and user.has_perm(
        "care.approve_carerequest", care_request
    )
    can_assign = care_request.status == S.APPROVED and user.has_perm("care.assign_carerequest", care_request)
    providers: list[Any] = []
    tariffs: dict[int, Any] = {}
    if can_assign:
        providers = list(matching_providers(care_request))
        tariffs = tariffs_for(care_request, providers)
    assign_form = forms.get("assign_form") or AssignForm(request=care_request)
    return {
        "care_request": care_request,
        "events": list(care_request.events.all()),
        "room": finance.ceiling_room(care_request, timezone.localdate().year),
        "can_approve": can_approve,
        "can_assign": can_assign,
        "reject_form": forms.get("reject_form") or ReasonForm(),
        "assign_form": assign_form,
        "providers": [(p, tariffs.get(p.pk)) for p in providers],
        "show_name": user.has_perm("care.approve_carerequest", care_request)
        and care_request.intervention.approver == "company_doctor",
    }


@require_GET
def request_review(request: HttpRequest, pk: int) -> HttpResponse:
    care_request = staff_request(request, pk, *DECIDE_PERMS)
    return render(request, "care/work/request_review.html", _review_context(request, care_request))


def _back(care_request: CareRequest, user: Any) -> HttpResponse:
    if user.has_perm("care.assign_carerequest", care_request):
        return redirect("care:queue")
    return redirect("care:doctor_approvals", org=care_request.organisation.slug)


@require_POST
def request_approve(request: HttpRequest, pk: int) -> HttpResponse:
    care_request = staff_request(request, pk, *DECIDE_PERMS)
    try:
        workflow.care_request_approve(user=acting_user(request), request=care_request)
    except ValidationError as exc:
        refusal_messages(request, exc)
        return redirect("care:request_review", pk=pk)
    messages.success(request, _("The request has been approved."))
    return _back(care_request, request.user)


@require_POST
def request_reject(request: HttpRequest, pk: int) -> HttpResponse:
    care_request = staff_request(request, pk, *DECIDE_PERMS)
    form = ReasonForm(request.POST)
    if form.is_valid():
        try:
            workflow.care_request_reject(
                user=acting_user(request), request=care_request, reason=form.cleaned_data["reason"]
            )
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, _("The request has been rejected; the employee can read your reason."))
            return _back(care_request, request.user)
    context = _review_context(request, care_request, reject_form=form)
    return render(request, "care/work/request_review.html", context, status=400)


@require_POST
def request_assign(request: HttpRequest, pk: int) -> HttpResponse:
    care_request = staff_request(request, pk, *DECIDE_PERMS)
    form = AssignForm(request.POST, request=care_request)
    if form.is_valid():
        try:
            workflow.care_request_assign(
                user=acting_user(request), request=care_request, provider=form.cleaned_data["provider"]
            )
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(
                request,
                _("The request has been assigned to %(provider)s.")
                % {"provider": form.cleaned_data["provider"]},
            )
            return redirect("care:queue")
    context = _review_context(request, care_request, assign_form=form)
    return render(request, "care/work/request_review.html", context, status=400)
