"""Helpers shared by the views of the plans area: scoped look-ups and turning a service's
ValidationError into form errors or a message."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest

from vitaal.core.access import get_scoped_object_or_404
from vitaal.core.models import Organisation, User
from vitaal.igm.models import Cycle, Plan


def scoped_organisation(request: HttpRequest, org: str, perm: str) -> Organisation:
    return get_scoped_object_or_404(
        request.user, Organisation.objects.select_related("sector"), perm, slug=org
    )


def active_cycle(organisation: Organisation) -> Cycle | None:
    return (
        Cycle.objects.active()
        .filter(organisation=organisation)
        .select_related("framework", "organisation")
        .first()
    )


def require_active_cycle(organisation: Organisation) -> Cycle:
    cycle = active_cycle(organisation)
    if cycle is None:
        raise Http404
    return cycle


def scoped_plan(request: HttpRequest, org: str, pk: int, perm: str) -> Plan:
    return get_scoped_object_or_404(
        request.user,
        Plan.objects.filter(cycle__organisation__slug=org).select_related(
            "cycle__organisation", "cycle__framework", "unit", "signed_off_by"
        ),
        perm,
        pk=pk,
    )


def errors_to_form(form: forms.BaseForm, exc: ValidationError) -> None:
    """Attach a service's errors to the form: per field where the form has that field,
    else as a non-field error."""
    if hasattr(exc, "error_dict"):
        for name, errors in exc.error_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, exc)


def error_message(request: HttpRequest, exc: ValidationError) -> None:
    for text in exc.messages:
        messages.error(request, text)


def current_user(request: HttpRequest) -> User:
    """The logged-in user (every page here is behind the login middleware)."""
    return cast(User, request.user)


def form_data(request: HttpRequest) -> Any:
    """The POST data for a bound form (even when empty), None on GET."""
    return request.POST if request.method == "POST" else None
