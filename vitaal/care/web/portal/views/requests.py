"""The employee's own requests and referrals: request support directly, answer a
referral, follow the status, withdraw, evaluate. Status changes go through
``vitaal.care.workflow``; a refusal shows its message and changes nothing."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from vitaal.care import workflow
from vitaal.care.models import ReferralAnswer, RequestStatus, Verdict
from vitaal.care.web.portal import selectors
from vitaal.care.web.portal.forms import EvaluationForm, ReferralAnswerForm, RequestForm, WithdrawForm
from vitaal.care.web.portal.services import portal_request_submit, yearly_usage
from vitaal.care.web.portal.texts import explain, next_step


def _add_errors(form: object, exc: ValidationError) -> None:
    for message in exc.messages:
        form.add_error(None, message)  # type: ignore[attr-defined]


@require_http_methods(["GET", "POST"])
def request_create(request: HttpRequest, pk: int) -> HttpResponse:
    """Ask for one intervention directly."""
    person = selectors.portal_person(request.user)
    intervention = selectors.portal_intervention(request.user, person, pk)
    package = selectors.current_package(person)
    item = selectors.package_item_of(package, intervention)
    form = RequestForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            care_request = portal_request_submit(
                user=request.user,  # type: ignore[arg-type]
                person=person,
                intervention=intervention,
                description=form.cleaned_data["description"],
            )
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, _("Your request has been sent."))
            return redirect("care:portal_request_detail", pk=care_request.pk)
    usage = yearly_usage(person=person, intervention=intervention)
    return render(
        request,
        "care/portal/request_form.html",
        {
            "form": form,
            "intervention": intervention,
            "in_package": item is not None and item.verdict in (Verdict.IN, Verdict.DISCUSS),
            "usage": usage,
        },
        status=400 if form.is_bound and form.errors else 200,
    )


@require_GET
def request_list(request: HttpRequest) -> HttpResponse:
    person = selectors.portal_person(request.user)
    summary = selectors.portal_summary(request.user, person)
    rows = [(r, explain(r.status)) for r in summary.requests]
    return render(
        request,
        "care/portal/request_list.html",
        {
            "rows": rows,
            "open_referrals": summary.open_referrals,
            "due_ids": {r.pk for r in summary.evaluations_due},
        },
    )


@require_GET
def request_detail(request: HttpRequest, pk: int) -> HttpResponse:
    person = selectors.owner_person(request.user)
    care_request = selectors.own_request(request.user, person, pk)
    timeline = [(e, explain(e.to_status)) for e in care_request.events.all()]
    evaluation = care_request.evaluation if selectors.hasattr_evaluation(care_request) else None
    return render(
        request,
        "care/portal/request_detail.html",
        {
            "care_request": care_request,
            "timeline": timeline,
            "next_step": next_step(care_request.status),
            "can_withdraw": not care_request.is_closed,
            "can_evaluate": care_request.status == RequestStatus.COMPLETED and evaluation is None,
            "evaluation": evaluation,
            "sessions": len(care_request.sessions.all()),
        },
    )


@require_http_methods(["GET", "POST"])
def request_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    person = selectors.owner_person(request.user)
    care_request = selectors.own_request(request.user, person, pk)
    if care_request.is_closed:
        messages.info(request, _("This request has already ended, so it cannot be stopped."))
        return redirect("care:portal_request_detail", pk=care_request.pk)
    form = WithdrawForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            workflow.care_request_withdraw(
                user=request.user,  # type: ignore[arg-type]
                request=care_request,
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, _("Your request has been stopped."))
            return redirect("care:portal_request_detail", pk=care_request.pk)
    return render(
        request,
        "care/portal/request_withdraw.html",
        {"form": form, "care_request": care_request},
        status=400 if form.is_bound and form.errors else 200,
    )


@require_http_methods(["GET", "POST"])
def request_evaluate(request: HttpRequest, pk: int) -> HttpResponse:
    person = selectors.owner_person(request.user)
    care_request = selectors.own_request(request.user, person, pk)
    if care_request.status != RequestStatus.COMPLETED or selectors.hasattr_evaluation(care_request):
        messages.info(request, _("You can evaluate a request once, after it has been completed."))
        return redirect("care:portal_request_detail", pk=care_request.pk)
    form = EvaluationForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            workflow.evaluation_submit(
                user=request.user,  # type: ignore[arg-type]
                request=care_request,
                helped=form.cleaned_data["helped"],
                grade=form.cleaned_data["grade"],
                comment=form.cleaned_data["comment"].strip(),
            )
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, _("Thank you for your evaluation."))
            return redirect("care:portal_request_detail", pk=care_request.pk)
    return render(
        request,
        "care/portal/request_evaluate.html",
        {"form": form, "care_request": care_request},
        status=400 if form.is_bound and form.errors else 200,
    )


@require_http_methods(["GET", "POST"])
def referral_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A referral made to the employee: what and why, and the choice to accept it."""
    person = selectors.owner_person(request.user)
    referral = selectors.own_referral(request.user, person, pk)
    is_open = referral.answer == ReferralAnswer.OPEN
    form = ReferralAnswerForm(request.POST if request.method == "POST" else None) if is_open else None
    if request.method == "POST":
        if form is None:
            messages.error(request, _("This referral has already been answered."))
            return redirect("care:portal_referral_detail", pk=referral.pk)
        if form.is_valid():
            accept = form.cleaned_data["answer"] == "accept"
            try:
                care_request = workflow.referral_answer(
                    user=request.user,  # type: ignore[arg-type]
                    referral=referral,
                    accept=accept,
                    description=form.cleaned_data["description"].strip(),
                )
            except ValidationError as exc:
                _add_errors(form, exc)
            else:
                if care_request is not None:
                    messages.success(request, _("You accepted the referral. Your request has been sent."))
                    return redirect("care:portal_request_detail", pk=care_request.pk)
                messages.success(request, _("You declined the referral. Nobody at work is told your answer."))
                return redirect("care:portal")
    linked = getattr(referral, "care_request", None) if referral.answer == ReferralAnswer.ACCEPTED else None
    return render(
        request,
        "care/portal/referral_detail.html",
        {"referral": referral, "form": form, "linked_request": linked},
        status=400 if form is not None and form.is_bound and form.errors else 200,
    )
