"""Helpers shared by the views of the care work area."""

from __future__ import annotations

from typing import Any, cast

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest

from vitaal.care.models import CareRequest
from vitaal.care.selectors import care_request_get
from vitaal.core.access import get_actor
from vitaal.core.models import Organisation, User


def acting_user(request: HttpRequest) -> User:
    """The logged-in user (every view here is behind the login requirement)."""
    return cast(User, request.user)


def refusal_messages(request: HttpRequest, exc: ValidationError) -> None:
    """Show a service's refusal as error messages (nothing was written)."""
    for message in exc.messages:
        messages.error(request, message)


def add_errors(form: Any, exc: ValidationError) -> None:
    """Put a service's refusal on the form, per field where the service named one."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc)


def organisation_in_scope(request: HttpRequest, slug: str) -> Organisation:
    """The organisation, or 404 when it lies outside everything the user belongs to."""
    organisation = Organisation.objects.filter(slug=slug).select_related("sector").first()
    if organisation is None or not get_actor(request.user).touches_organisation(organisation):
        raise Http404
    return organisation


def staff_request(request: HttpRequest, pk: int, *perms: str) -> CareRequest:
    """A care request for one of the work pages: 404 unless the user holds one of the
    permissions on it (existence is health data, so never 403; the employee's own
    pages are in the portal). The read is logged by the selector."""
    from vitaal.care.models import CareRequest as Model

    candidate = (
        Model.objects.visible_to(request.user)
        .select_related("intervention", "organisation", "referral", "provider", "person")
        .filter(pk=pk)
        .first()
    )
    if candidate is None or not any(request.user.has_perm(p, candidate) for p in perms):
        raise Http404
    return care_request_get(request.user, pk)


def require(condition: bool) -> None:
    if not condition:
        raise PermissionDenied
