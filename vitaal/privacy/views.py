"""Pages for the employee (full export, erasure request) and for the privacy handler
(erasure requests, the retention table and its runs). Access: the employee through their
own Person only; the handler is the privacy officer of the person's sector."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from vitaal.core.access import (
    get_actor,
    get_scoped_object_or_404,
    require_perm,
    require_recent_authentication,
)
from vitaal.core.audit import AccessAction, log_access_many
from vitaal.core.models import Person
from vitaal.core.spreadsheets import xlsx_response
from vitaal.privacy import erasure, export
from vitaal.privacy.forms import DecisionForm, ErasureRequestForm
from vitaal.privacy.models import ErasureRequest, ErasureStatus, RetentionRun
from vitaal.privacy.retention import BY_KEY, TABLE, TABLE_VERSION


def _own_person(request: HttpRequest, perm: str) -> Person:
    require_perm(request.user, perm)
    person = get_actor(request.user).person
    assert person is not None  # the permission requires one
    return person


def _filename(extension: str) -> str:
    return f"my-data-{timezone.localdate():%Y%m%d}.{extension}"


@require_GET
def export_json(request: HttpRequest) -> HttpResponse:
    person = _own_person(request, "privacy.export_own_data")
    require_recent_authentication(request)
    content = export.to_json(person, export.collect(person))
    export.log_export(user=request.user, person=person, file_format="json")  # type: ignore[arg-type]
    response = HttpResponse(content, content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{_filename("json")}"'
    response["Cache-Control"] = "no-store"
    return response


@require_GET
def export_xlsx(request: HttpRequest) -> HttpResponse:
    person = _own_person(request, "privacy.export_own_data")
    require_recent_authentication(request)
    content = export.to_xlsx(export.collect(person))
    export.log_export(user=request.user, person=person, file_format="xlsx")  # type: ignore[arg-type]
    return xlsx_response(content, _filename("xlsx"))


@require_http_methods(["GET", "POST"])
def my_erasure(request: HttpRequest) -> HttpResponse:
    person = _own_person(request, "privacy.request_erasure")
    own = list(ErasureRequest.objects.filter(person=person))
    waiting = any(r.status == ErasureStatus.REQUESTED for r in own)
    form = ErasureRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            erasure.erasure_file(person=person, reason=form.cleaned_data["reason"])
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Your request has been sent. You will see the answer on this page."))
            return redirect("privacy:my_erasure")
    plan = erasure.plan_for(person)
    decided = [(r, erasure.shown(r.outcome)) for r in own if r.status != ErasureStatus.REQUESTED]
    return render(
        request,
        "privacy/my_erasure.html",
        {
            "form": form,
            "waiting": waiting,
            "plan": plan,
            "lines": erasure.shown(plan.lines),
            "decided": decided,
        },
    )


@require_GET
def erasure_list(request: HttpRequest) -> HttpResponse:
    require_perm(request.user, "privacy.view_retention")
    requests = (
        ErasureRequest.objects.visible_to(request.user)
        .select_related("person", "organisation", "decided_by")
        .order_by("status", "-created_at")
    )
    status = request.GET.get("status")
    if status in ErasureStatus.values:
        requests = requests.filter(status=status)
    page = Paginator(requests, 50).get_page(request.GET.get("page"))
    # Who asked for erasure is personal data too: each person shown is a logged read.
    log_access_many(
        subjects=[r.person for r in page.object_list],
        action=AccessAction.VIEW,
        object_type="erasure_request",
        description="erasure request list",
        user=request.user,
    )
    return render(
        request,
        "privacy/erasure_list.html",
        {"page": page, "statuses": ErasureStatus.choices, "status": status},
    )


def _handled(request: HttpRequest, pk: int) -> ErasureRequest:
    return get_scoped_object_or_404(
        request.user,
        ErasureRequest.objects.select_related("person", "organisation", "decided_by"),
        "privacy.handle_erasure",
        pk=pk,
    )


@require_GET
def erasure_detail(request: HttpRequest, pk: int) -> HttpResponse:
    item = _handled(request, pk)
    context: dict[str, object] = {"item": item, "form": DecisionForm()}
    if item.status == ErasureStatus.REQUESTED:
        plan = erasure.plan_for(item.person, item)
        erasure.log_preview(erasure=item, handler=request.user)  # type: ignore[arg-type]
        context.update(plan=plan, lines=erasure.shown(plan.lines))
    else:
        context["lines"] = erasure.shown(item.outcome)
    return render(request, "privacy/erasure_detail.html", context)


def _decide(request: HttpRequest, pk: int, decide: Callable[..., Any], done: str) -> HttpResponse:
    """Carry out or refuse an erasure request: the handler's recent login, the note, the
    service's refusal messages or ``done``."""
    item = _handled(request, pk)
    require_recent_authentication(request)
    form = DecisionForm(request.POST)
    note = form.cleaned_data["note"] if form.is_valid() else ""
    try:
        decide(erasure=item, handler=request.user, note=note)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, done)
    return redirect("privacy:erasure_detail", pk=item.pk)


@require_POST
def erasure_execute_view(request: HttpRequest, pk: int) -> HttpResponse:
    return _decide(request, pk, erasure.erasure_execute, _("The erasure has been carried out."))


@require_POST
def erasure_refuse_view(request: HttpRequest, pk: int) -> HttpResponse:
    return _decide(request, pk, erasure.erasure_refuse, _("The request has been refused."))


@require_GET
def retention_overview(request: HttpRequest) -> HttpResponse:
    require_perm(request.user, "privacy.view_retention")
    runs = [
        (
            run,
            [
                (BY_KEY[key].title if key in BY_KEY else key, c.get("deleted", 0), c.get("anonymised", 0))
                for key, c in run.counts.items()
            ],
        )
        for run in RetentionRun.objects.all()[:30]
    ]
    return render(
        request,
        "privacy/retention.html",
        {"table": TABLE, "version": TABLE_VERSION, "runs": runs},
    )
