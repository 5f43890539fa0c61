"""Process watch (the stored signals per organisation), the IGM progress report (HTML and
PDF) and the opt-in for the weekly digest."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from vitaal.core.access import get_actor
from vitaal.igm.access import CYCLE_READ_ORG_ROLES, CYCLE_READ_UNIT_ROLES
from vitaal.igm.models import DigestPreference, StoredSignal
from vitaal.igm.report import build_progress_report, report_context
from vitaal.igm.services.documents import html_to_pdf

from . import forms
from .common import current_user, form_data, scoped_organisation


@require_GET
def signal_list(request: HttpRequest, org: str) -> HttpResponse:
    organisation = scoped_organisation(request, org, "igm.view_storedsignal")
    signals = list(
        StoredSignal.objects.filter(cycle__organisation=organisation, cycle__status="active")
        .select_related("cycle")
        .order_by("severity", "kind", "subject_id")
    )
    severity_order = {"alert": 0, "warning": 1, "info": 2}
    signals.sort(key=lambda s: (severity_order.get(s.severity, 3), s.kind, s.subject_id))
    return render(request, "igm/plans/signal_list.html", {"organisation": organisation, "signals": signals})


@require_GET
def progress_report(request: HttpRequest, org: str) -> HttpResponse:
    organisation = scoped_organisation(request, org, "igm.view_cycle")
    report = build_progress_report(organisation, timezone.localdate(), request.user)
    return render(request, "igm/report/progress.html", report_context(report))


@require_GET
def progress_report_pdf(request: HttpRequest, org: str) -> HttpResponse:
    organisation = scoped_organisation(request, org, "igm.view_cycle")
    report = build_progress_report(organisation, timezone.localdate(), request.user)
    html = render_to_string("igm/report/progress_pdf.html", report_context(report), request=request)
    response = HttpResponse(html_to_pdf(html), content_type="application/pdf")
    filename = f"igm-progress-{organisation.slug}-{report.today.isoformat()}.pdf"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def may_get_digest(user: object) -> bool:
    """Readers of a cycle at the organisation level, or management of a unit."""
    actor = get_actor(user)  # type: ignore[arg-type]
    return bool(actor.orgs_for(CYCLE_READ_ORG_ROLES) or actor.units_for(CYCLE_READ_UNIT_ROLES))


@require_http_methods(["GET", "POST"])
def digest_settings(request: HttpRequest) -> HttpResponse:
    if not may_get_digest(request.user):
        raise PermissionDenied
    preference = DigestPreference.objects.filter(user=current_user(request)).first()
    form = forms.DigestForm(form_data(request), initial={"weekly": bool(preference and preference.weekly)})
    if request.method == "POST" and form.is_valid():
        DigestPreference.objects.update_or_create(
            user=current_user(request), defaults={"weekly": form.cleaned_data["weekly"]}
        )
        if form.cleaned_data["weekly"]:
            messages.success(request, _("You will get a weekly e-mail about open signals."))
        else:
            messages.success(request, _("You will no longer get the weekly e-mail."))
        return redirect("igm:digest_settings")
    return render(request, "igm/plans/digest_settings.html", {"form": form})
