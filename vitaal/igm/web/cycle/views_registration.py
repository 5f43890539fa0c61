"""Phase registration (annex A of the TNO pilot report): per phase a record kept as a
draft, submitted, and verified by the organisation's contact person, after which it is
frozen. Advisors read and write the registrations of the organisations they guide."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from vitaal.core.access import get_scoped_object_or_404
from vitaal.igm.models import Phase, PhaseRegistration
from vitaal.igm.services import registration as registration_services
from vitaal.igm.web.cycle.common import add_errors, error_text
from vitaal.igm.web.cycle.forms import REGISTRATION_SECTIONS, RegistrationForm


def _phase(request: HttpRequest, org: str, number: int, phase: int, perm: str = "igm.view_cycle") -> Phase:
    return get_scoped_object_or_404(
        request.user,
        Phase.objects.select_related("cycle__organisation", "registration"),
        perm,
        cycle__organisation__slug=org,
        cycle__number=number,
        number=phase,
    )


def _registration(phase: Phase) -> PhaseRegistration | None:
    try:
        return phase.registration
    except PhaseRegistration.DoesNotExist:
        return None


def _sections(registration: PhaseRegistration) -> list[tuple[Any, list[tuple[Any, Any]]]]:
    out = []
    for title, names in REGISTRATION_SECTIONS:
        rows = []
        for name in names:
            field = PhaseRegistration._meta.get_field(name)
            value: Any = getattr(registration, name)
            if name == "enthusiasm":
                value = registration.get_enthusiasm_display() if value else ""
            elif name == "shareable":
                value = _("Yes") if value else _("No")
            rows.append((field.verbose_name, value))  # type: ignore[union-attr]
        out.append((title, rows))
    return out


@require_GET
def registration_detail(request: HttpRequest, org: str, number: int, phase: int) -> HttpResponse:
    obj = _phase(request, org, number, phase)
    registration = _registration(obj)
    user = request.user
    can_edit = (
        user.has_perm("igm.change_phaseregistration", registration)
        if registration is not None
        else obj.cycle.is_active and user.has_perm("igm.change_cycle", obj)
    )
    return render(
        request,
        "igm/cycle/registration_detail.html",
        {
            "organisation": obj.cycle.organisation,
            "cycle": obj.cycle,
            "phase": obj,
            "registration": registration,
            "sections": _sections(registration) if registration is not None else [],
            "can_edit": can_edit,
            "can_submit": registration is not None
            and registration.status == "draft"
            and user.has_perm("igm.change_phaseregistration", registration),
            "can_verify": registration is not None
            and registration.status == "submitted"
            and user.has_perm("igm.verify_phaseregistration", registration),
        },
    )


@require_http_methods(["GET", "POST"])
def registration_edit(request: HttpRequest, org: str, number: int, phase: int) -> HttpResponse:
    obj = _phase(request, org, number, phase, "igm.change_cycle")
    registration = _registration(obj)
    if registration is not None and not request.user.has_perm("igm.change_phaseregistration", registration):
        raise PermissionDenied
    form = RegistrationForm(request.POST or None, instance=registration or PhaseRegistration(phase=obj))
    if request.method == "POST" and form.is_valid():
        values = {name: form.cleaned_data[name] for name in PhaseRegistration.CONTENT_FIELDS}
        try:
            registration_services.phase_registration_save(phase=obj, values=values, recorded_by=request.user)  # type: ignore[arg-type]
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, _("The registration has been saved as a draft."))
            return redirect("igm:registration_detail", org=org, number=number, phase=phase)
    sections = [(title, [form[name] for name in names]) for title, names in REGISTRATION_SECTIONS]
    return render(
        request,
        "igm/cycle/registration_form.html",
        {
            "organisation": obj.cycle.organisation,
            "cycle": obj.cycle,
            "phase": obj,
            "form": form,
            "sections": sections,
            "registration": registration,
        },
    )


@require_POST
def registration_submit(request: HttpRequest, org: str, number: int, phase: int) -> HttpResponse:
    obj = _phase(request, org, number, phase)
    registration = _registration(obj)
    if registration is None or not request.user.has_perm("igm.change_phaseregistration", registration):
        raise PermissionDenied
    try:
        registration_services.phase_registration_submit(registration=registration)
    except ValidationError as exc:
        messages.error(request, error_text(exc))
    else:
        messages.success(request, _("The registration has been submitted to the contact person."))
    return redirect("igm:registration_detail", org=org, number=number, phase=phase)


@require_POST
def registration_verify(request: HttpRequest, org: str, number: int, phase: int) -> HttpResponse:
    obj = _phase(request, org, number, phase)
    registration = _registration(obj)
    if registration is None or not request.user.has_perm("igm.verify_phaseregistration", registration):
        raise PermissionDenied
    try:
        registration_services.phase_registration_verify(registration=registration, by=request.user)  # type: ignore[arg-type]
    except ValidationError as exc:
        messages.error(request, error_text(exc))
    else:
        messages.success(request, _("The registration is verified and can no longer be changed."))
    return redirect("igm:registration_detail", org=org, number=number, phase=phase)
