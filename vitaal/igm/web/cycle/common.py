"""Shared helpers of the cycle area's views: loading scoped objects, turning service
errors into form errors, and serving stored files through an access check."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest

from vitaal.core.access import get_actor, get_scoped_object_or_404
from vitaal.core.models import Organisation
from vitaal.igm.models import Cycle


def organisation_or_404(request: HttpRequest, org: str, perm: str) -> Organisation:
    return get_scoped_object_or_404(
        request.user, Organisation.objects.select_related("sector"), perm, slug=org
    )


def cycle_or_404(request: HttpRequest, org: str, number: int, perm: str = "igm.view_cycle") -> Cycle:
    return get_scoped_object_or_404(
        request.user,
        Cycle.objects.select_related("organisation__sector", "framework", "previous"),
        perm,
        organisation__slug=org,
        number=number,
    )


def check_inside(request: HttpRequest, obj: Any, perm: str, perm_obj: Any) -> None:
    """404 outside the user's organisations, 403 without ``perm`` on ``perm_obj``."""
    if obj is None or not get_actor(request.user).touches_organisation(obj.organisation):
        raise Http404
    if not request.user.has_perm(perm, perm_obj):
        raise PermissionDenied


def add_errors(form: forms.BaseForm, exc: ValidationError) -> None:
    """Show a service's ValidationError on the form: on the field it names when the form
    has that field, otherwise above the form."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            for error in errors:
                form.add_error(field if field in form.fields else None, error)
    else:
        for message in exc.messages:
            form.add_error(None, message)


def error_text(exc: ValidationError) -> str:
    return " ".join(str(m) for m in exc.messages)


def stored_file_response(obj: Any) -> FileResponse:
    """The stored file as a download, never rendered inline by the browser."""
    if not obj.file:
        raise Http404
    try:
        handle = obj.file.open("rb")
    except FileNotFoundError as exc:
        raise Http404 from exc
    response = FileResponse(
        handle, as_attachment=True, filename=obj.original_name or "file", content_type=obj.content_type
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
