"""Error pages: HTML for people, JSON for API clients (everything under /api/)."""

from __future__ import annotations

import sys
from typing import Any

from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template import loader
from django.utils.translation import gettext as _
from django.views import defaults


def _is_api(request: HttpRequest) -> bool:
    return request.path.startswith("/api/")


def bad_request(request: HttpRequest, exception: Any) -> HttpResponse:
    if _is_api(request):
        return JsonResponse({"detail": _("The request could not be understood.")}, status=400)
    return defaults.bad_request(request, exception)


def permission_denied(request: HttpRequest, exception: Any) -> HttpResponse:
    if _is_api(request):
        return JsonResponse({"detail": _("Your role does not allow this.")}, status=403)
    return defaults.permission_denied(request, exception)


def page_not_found(request: HttpRequest, exception: Any) -> HttpResponse:
    if _is_api(request):
        return JsonResponse({"detail": _("Not found.")}, status=404)
    return defaults.page_not_found(request, exception)


def _database_unavailable() -> bool:
    """Django calls the 500 handler while it handles the exception, so it is still at hand:
    a lost or refused database connection is passing (a restart, a failover)."""
    return isinstance(sys.exc_info()[1], OperationalError | InterfaceError)


def service_unavailable(request: HttpRequest) -> HttpResponse:
    """503 with Retry-After: the database could not be reached; the transaction of the
    request was never committed, so the same action can simply be tried again."""
    if _is_api(request):
        response: HttpResponse = JsonResponse(
            {"detail": _("The service is briefly unavailable. Nothing was changed; try again in a minute.")},
            status=503,
        )
    else:
        # Static and bilingual like the 500 page: rendering must not need the database.
        response = HttpResponse(loader.get_template("503.html").render(), status=503)
    response["Retry-After"] = "30"
    return response


def server_error(request: HttpRequest) -> HttpResponse:
    if _database_unavailable():
        return service_unavailable(request)
    if _is_api(request):
        return JsonResponse(
            {"detail": _("Something went wrong on our side. Nothing was changed.")}, status=500
        )
    return defaults.server_error(request)
