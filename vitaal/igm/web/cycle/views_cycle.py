"""The IGM overview of an organisation and the pages of its improvement cycle: start and
close, phases and their checklist, groups, the coordinator, meetings, works council advice."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Prefetch, Q
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from vitaal.igm.models import (
    Cycle,
    CycleStatus,
    MeterSession,
    Phase,
    PhaseStep,
    SessionPurpose,
    SessionStatus,
    StepAttachment,
    StepStatus,
    WorksCouncilAdvice,
)
from vitaal.igm.services import cycle as cycle_services
from vitaal.igm.web.cycle import forms as f
from vitaal.igm.web.cycle.common import (
    add_errors,
    check_inside,
    cycle_or_404,
    error_text,
    organisation_or_404,
    stored_file_response,
)

FINISHED = (StepStatus.DONE, StepStatus.SKIPPED)
OPEN_STEPS_SHOWN = 12


def _phases_with_progress(cycle: Cycle) -> list[Phase]:
    return list(
        Phase.objects.filter(cycle=cycle)
        .annotate(
            steps_total=Count("steps"),
            steps_finished=Count("steps", filter=Q(steps__status__in=FINISHED)),
        )
        .order_by("number")
    )


@require_GET
def overview(request: HttpRequest, org: str) -> HttpResponse:
    """Where the organisation stands: the current cycle's phases, open steps, and the
    meter sessions the user may see."""
    organisation = organisation_or_404(request, org, "igm.view_cycle")
    cycles = list(Cycle.objects.filter(organisation=organisation).order_by("-number"))
    current = next((c for c in cycles if c.status == CycleStatus.ACTIVE), None)
    phases: list[Phase] = []
    open_steps: list[PhaseStep] = []
    open_total = 0
    if current is not None:
        phases = _phases_with_progress(current)
        open_qs = PhaseStep.objects.filter(phase__cycle=current).exclude(status__in=FINISHED)
        open_total = open_qs.count()
        open_steps = list(
            open_qs.select_related("phase", "owner").order_by("due_date", "phase__number", "order")[
                :OPEN_STEPS_SHOWN
            ]
        )
    sessions = list(
        MeterSession.objects.visible_to(request.user)
        .filter(organisation=organisation)
        .select_related("unit", "instrument")
        .order_by("-date", "-pk")
    )
    today = timezone.localdate()
    return render(
        request,
        "igm/overview.html",
        {
            "organisation": organisation,
            "current": current,
            "past_cycles": [c for c in cycles if c is not current],
            "phases": phases,
            "open_steps": open_steps,
            "open_total": open_total,
            "sessions": sessions,
            "today": today,
            "can_start_cycle": current is None and request.user.has_perm("igm.add_cycle", organisation),
            "can_add_session": request.user.has_perm("igm.add_metersession", organisation),
        },
    )


@require_http_methods(["GET", "POST"])
def cycle_start(request: HttpRequest, org: str) -> HttpResponse:
    organisation = organisation_or_404(request, org, "igm.add_cycle")
    form = f.CycleStartForm(request.POST or None, organisation=organisation)
    active = Cycle.objects.filter(organisation=organisation, status=CycleStatus.ACTIVE).first()
    previous = (
        Cycle.objects.filter(organisation=organisation, status=CycleStatus.CLOSED).order_by("-number").first()
    )
    if request.method == "POST" and form.is_valid():
        try:
            cycle = cycle_services.cycle_start(
                organisation=organisation,
                started_on=form.cleaned_data["started_on"],
                framework=form.cleaned_data["framework"],
                coordinator=form.cleaned_data["coordinator"],
            )
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, _("Cycle %(n)s has started.") % {"n": cycle.number})
            return redirect("igm:cycle_detail", org=organisation.slug, number=cycle.number)
    return render(
        request,
        "igm/cycle/cycle_start.html",
        {"organisation": organisation, "form": form, "active": active, "previous": previous},
    )


@require_GET
def cycle_detail(request: HttpRequest, org: str, number: int) -> HttpResponse:
    cycle = cycle_or_404(request, org, number)
    phases = list(
        Phase.objects.filter(cycle=cycle)
        .select_related("registration")
        .prefetch_related(
            Prefetch(
                "steps",
                queryset=PhaseStep.objects.select_related("owner").annotate(
                    n_attachments=Count("attachments")
                ),
            )
        )
        .order_by("number")
    )
    previous_evaluations: list[MeterSession] = []
    if cycle.previous is not None:
        previous_evaluations = list(
            MeterSession.objects.visible_to(request.user)
            .filter(
                organisation=cycle.organisation,
                cycle_number=cycle.previous.number,
                purpose=SessionPurpose.EVALUATION,
                status=SessionStatus.CLOSED,
            )
            .select_related("unit", "instrument")
        )
    user = request.user
    return render(
        request,
        "igm/cycle/cycle_detail.html",
        {
            "organisation": cycle.organisation,
            "cycle": cycle,
            "phases": phases,
            "members": cycle.group_members.select_related("user").order_by("group", "from_date"),
            "coordinators": cycle.coordinator_assignments.select_related("user").order_by(
                "-from_date", "-pk"
            ),
            "meetings": cycle.meetings.select_related("phase").annotate(n_attendees=Count("attendees")),
            "advice": cycle.works_council_advice.select_related("recorded_by").order_by("-requested_on"),
            "previous_evaluations": previous_evaluations,
            "can_change": cycle.is_active and user.has_perm("igm.change_cycle", cycle),
            "can_advise": user.has_perm("igm.advise_cycle", cycle),
            "close_form": f.CycleCloseForm(initial={"closed_on": timezone.localdate()}),
        },
    )


@require_POST
def cycle_close(request: HttpRequest, org: str, number: int) -> HttpResponse:
    cycle = cycle_or_404(request, org, number, "igm.change_cycle")
    form = f.CycleCloseForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Enter the date the cycle was closed."))
    else:
        try:
            cycle_services.cycle_close(cycle=cycle, closed_on=form.cleaned_data["closed_on"])
        except ValidationError as exc:
            messages.error(request, error_text(exc))
        else:
            messages.success(request, _("Cycle %(n)s is closed.") % {"n": cycle.number})
    return redirect("igm:cycle_detail", org=org, number=number)


def _form_page(
    request: HttpRequest, cycle: Cycle, form: Any, title: str, *, extra: dict[str, Any] | None = None
) -> HttpResponse:
    return render(
        request,
        "igm/cycle/cycle_form.html",
        {"organisation": cycle.organisation, "cycle": cycle, "form": form, "title": title, **(extra or {})},
    )


def _back(cycle: Cycle, anchor: str = "") -> HttpResponse:
    url = reverse("igm:cycle_detail", args=[cycle.organisation.slug, cycle.number])
    return redirect(f"{url}#{anchor}" if anchor else url)


@require_http_methods(["GET", "POST"])
def phase_edit(request: HttpRequest, org: str, number: int, phase: int) -> HttpResponse:
    cycle = cycle_or_404(request, org, number, "igm.change_cycle")
    obj = get_object_or_404(Phase, cycle=cycle, number=phase)
    initial = {"planned_start": obj.planned_start, "planned_end": obj.planned_end, "status": obj.status}
    form = f.PhaseForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            cycle_services.phase_update(phase=obj, **form.cleaned_data)
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, _("The phase has been saved."))
            return _back(cycle, f"phase-{obj.number}")
    return _form_page(request, cycle, form, _("Plan phase: %(phase)s") % {"phase": obj.get_number_display()})


def _step(cycle: Cycle, pk: int) -> PhaseStep:
    return get_object_or_404(PhaseStep.objects.select_related("phase", "owner"), pk=pk, phase__cycle=cycle)


@require_http_methods(["GET", "POST"])
def step_edit(request: HttpRequest, org: str, number: int, pk: int) -> HttpResponse:
    cycle = cycle_or_404(request, org, number)
    step = _step(cycle, pk)
    can_change = cycle.is_active and request.user.has_perm("igm.change_cycle", cycle)
    if request.method == "POST" and not can_change:
        raise PermissionDenied
    initial = {
        "status": step.status,
        "owner": step.owner,
        "due_date": step.due_date,
        "done_date": step.done_date,
        "notes": step.notes,
    }
    form = f.StepForm(request.POST or None, initial=initial, organisation=cycle.organisation)
    if request.method == "POST" and form.is_valid():
        try:
            cycle_services.step_update(cycle=cycle, step=step, **form.cleaned_data)
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, _("The step has been saved."))
            return _back(cycle, f"step-{step.pk}")
    return render(
        request,
        "igm/cycle/step_detail.html",
        {
            "organisation": cycle.organisation,
            "cycle": cycle,
            "step": step,
            "form": form if can_change else None,
            "attachment_form": f.AttachmentForm() if can_change else None,
            "attachments": step.attachments.select_related("added_by"),
        },
    )


@require_POST
def step_attachment_add(request: HttpRequest, org: str, number: int, pk: int) -> HttpResponse:
    cycle = cycle_or_404(request, org, number, "igm.change_cycle")
    step = _step(cycle, pk)
    form = f.AttachmentForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, _("Choose a file to attach."))
    else:
        try:
            cycle_services.step_attachment_add(
                cycle=cycle,
                step=step,
                upload=form.cleaned_data["file"],
                description=form.cleaned_data["description"],
                added_by=request.user,  # type: ignore[arg-type]
            )
        except ValidationError as exc:
            messages.error(request, error_text(exc))
        else:
            messages.success(request, _("The file has been attached."))
    return redirect("igm:step_edit", org=org, number=number, pk=step.pk)


def _attachment(request: HttpRequest, org: str, number: int, pk: int, perm: str) -> StepAttachment:
    attachment = get_object_or_404(
        StepAttachment.objects.select_related("step__phase__cycle__organisation"),
        pk=pk,
        step__phase__cycle__organisation__slug=org,
        step__phase__cycle__number=number,
    )
    check_inside(request, attachment, perm, attachment.step.phase.cycle)
    return attachment


@require_GET
def step_attachment_download(request: HttpRequest, org: str, number: int, pk: int) -> HttpResponseBase:
    return stored_file_response(_attachment(request, org, number, pk, "igm.view_cycle"))


@require_POST
def step_attachment_remove(request: HttpRequest, org: str, number: int, pk: int) -> HttpResponse:
    attachment = _attachment(request, org, number, pk, "igm.change_cycle")
    step_pk = attachment.step_id
    if request.POST.get("confirm") != "1":
        messages.error(request, _("Confirm that the file should be removed."))
        return redirect("igm:step_edit", org=org, number=number, pk=step_pk)
    try:
        cycle_services.step_attachment_remove(attachment=attachment)
    except ValidationError as exc:
        messages.error(request, error_text(exc))
    else:
        messages.success(request, _("The file has been removed."))
    return redirect("igm:step_edit", org=org, number=number, pk=step_pk)


@require_http_methods(["GET", "POST"])
def group_member_add(request: HttpRequest, org: str, number: int) -> HttpResponse:
    cycle = cycle_or_404(request, org, number, "igm.change_cycle")
    form = f.GroupMemberForm(
        request.POST or None, organisation=cycle.organisation, initial={"from_date": timezone.localdate()}
    )
    if request.method == "POST" and form.is_valid():
        try:
            cycle_services.group_member_add(cycle=cycle, **form.cleaned_data)
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, _("The member has been added."))
            return _back(cycle, "groups")
    return _form_page(request, cycle, form, _("Add a member to the steering or project group"))


@require_http_methods(["GET", "POST"])
def coordinator_change(request: HttpRequest, org: str, number: int) -> HttpResponse:
    cycle = cycle_or_404(request, org, number, "igm.change_cycle")
    form = f.CoordinatorForm(
        request.POST or None, organisation=cycle.organisation, initial={"on_date": timezone.localdate()}
    )
    if request.method == "POST" and form.is_valid():
        try:
            cycle_services.cycle_coordinator_change(cycle=cycle, **form.cleaned_data)
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(
                request, _("The coordinator has been changed; the previous one stays on record.")
            )
            return _back(cycle, "coordinator")
    return _form_page(request, cycle, form, _("Change the coordinator"))


@require_http_methods(["GET", "POST"])
def meeting_add(request: HttpRequest, org: str, number: int) -> HttpResponse:
    cycle = cycle_or_404(request, org, number, "igm.change_cycle")
    form = f.MeetingForm(
        request.POST or None,
        organisation=cycle.organisation,
        phases=Phase.objects.filter(cycle=cycle).order_by("number"),
        initial={"date": timezone.localdate()},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            cycle_services.meeting_record(
                cycle=cycle,
                date=data["date"],
                kind=data["kind"],
                phase=data["phase"],
                attendees=list(data["attendees"]),
                management_present=form.management_value(),
                minutes=data["minutes"],
            )
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, _("The meeting has been recorded."))
            return _back(cycle, "meetings")
    return _form_page(request, cycle, form, _("Record a meeting"))


@require_http_methods(["GET", "POST"])
def advice_edit(request: HttpRequest, org: str, number: int, pk: int | None = None) -> HttpResponse:
    """Record a request for works council advice or consent, or its answer."""
    cycle = cycle_or_404(request, org, number, "igm.advise_cycle")
    advice = get_object_or_404(WorksCouncilAdvice, pk=pk, cycle=cycle) if pk is not None else None
    if advice is not None:
        initial = {
            k: getattr(advice, k) for k in ("subject", "kind", "requested_on", "given_on", "outcome", "note")
        }
    else:
        initial = {"requested_on": timezone.localdate()}
    form = f.AdviceForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            cycle_services.works_council_advice_record(
                cycle=cycle,
                advice=advice,
                recorded_by=request.user,  # type: ignore[arg-type]
                **form.cleaned_data,
            )
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, _("The works council's advice has been recorded."))
            return _back(cycle, "advice")
    title = _("Works council advice or consent")
    return _form_page(request, cycle, form, title)
