"""The communication kit page: texts to copy, in Dutch and English side by side."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET

from vitaal.care.comm_kit import build_kit, package_items
from vitaal.care.web.reports.common import organisation_for
from vitaal.care.web.reports.forms import CHANNELS, CommKitForm


@require_GET
def comm_kit(request: HttpRequest, org: str) -> HttpResponse:
    organisation = organisation_for(request, org, "care.use_comm_kit")
    items = package_items(organisation)
    form = CommKitForm(
        request.GET or None, interventions=[(str(i.intervention_id), i.intervention.name) for i in items]
    )
    subject = form.chosen()
    texts = build_kit(organisation, subject, request.build_absolute_uri(reverse("core:home")))
    channel_labels = dict(CHANNELS)
    channels = [
        {"key": key, "label": channel_labels[key], "texts": [t for t in texts if t.channel == key]}
        for key in channel_labels
    ]
    return render(
        request,
        "care/reports/comm_kit.html",
        {"organisation": organisation, "form": form, "channels": channels, "has_package": bool(items)},
    )
