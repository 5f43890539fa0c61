"""Request-wide concerns: audit context, absolute session timeout, MFA for staff roles."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

from vitaal.core import audit
from vitaal.core.access import get_actor

SESSION_LOGIN_AT = "vitaal_login_at"


def client_ip(request: HttpRequest) -> str | None:
    # Behind the reverse proxy of the deployment guide, REMOTE_ADDR is the proxy; the proxy
    # sets X-Real-IP. Only trusted in production, where the proxy is in front.
    if settings.PRODUCTION and request.META.get("HTTP_X_REAL_IP"):
        return request.META["HTTP_X_REAL_IP"]
    return request.META.get("REMOTE_ADDR")


class RequestContextMiddleware:
    """Makes who-is-asking available to services that write the access log."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        channel = "api" if request.path.startswith("/api/") else "web"
        token = audit.set_context(
            audit.RequestContext(user=request.user, ip_address=client_ip(request), channel=channel)
        )
        try:
            return self.get_response(request)
        finally:
            audit.reset_context(token)


class SessionTimeoutMiddleware:
    """Ends a session a fixed time after login, however active it was. The idle timeout
    is the session cookie's own age (renewed on every request)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated:
            started = request.session.get(SESSION_LOGIN_AT)
            now = time.time()
            if started is None:
                request.session[SESSION_LOGIN_AT] = now
            elif now - float(started) > settings.SESSION_ABSOLUTE_SECONDS:
                logout(request)
                messages.info(request, _("Your session has ended. Please log in again."))
                return redirect(settings.LOGIN_URL)
        return self.get_response(request)


# Paths a staff user without a second factor may still open: setting one up, logging out,
# the language switch and static files.
MFA_SETUP_ALLOWED_PREFIXES = ("/accounts/", "/i18n/", "/static/", "/healthz")


class MFARequiredMiddleware:
    """Staff roles must have a second factor, and must have used it in this session."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if (
            user.is_authenticated
            and not request.path.startswith(MFA_SETUP_ALLOWED_PREFIXES)
            and get_actor(user).needs_mfa()
            and not session_used_mfa(request)
        ):
            if request.path.startswith("/api/"):
                return JsonResponse({"detail": _("Two-step login is required for your role.")}, status=403)
            if not has_mfa(user):
                messages.warning(
                    request, _("Your role gives access to other people's data. Set up two-step login first.")
                )
                return redirect(reverse("mfa_activate_totp"))
            logout(request)
            return redirect(settings.LOGIN_URL)
        return self.get_response(request)


def has_mfa(user: Any) -> bool:
    from allauth.mfa.utils import is_mfa_enabled

    return bool(is_mfa_enabled(user))


def session_used_mfa(request: HttpRequest) -> bool:
    """Whether this session's login included a second factor (or TOTP was just set up)."""
    from allauth.account.internal.flows.login import get_authentication_records

    methods = get_authentication_records(request, request.user)
    return any(m.get("method") == "mfa" for m in methods)
