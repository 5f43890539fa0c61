"""Request-wide concerns: refusing NUL bytes, the client's address behind trusted proxies,
audit context, absolute session timeout, MFA for staff roles."""

from __future__ import annotations

import functools
import ipaddress
import json
import time
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.core.exceptions import ImproperlyConfigured
from django.http import HttpRequest, HttpResponse, JsonResponse, QueryDict
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import translation
from django.utils.datastructures import MultiValueDict
from django.utils.translation import gettext as _

from vitaal.core import audit
from vitaal.core.access import get_actor

SESSION_LOGIN_AT = "vitaal_login_at"

IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network
IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address


@functools.lru_cache(maxsize=8)
def _trusted_networks(entries: tuple[str, ...]) -> tuple[IPNetwork, ...]:
    networks = []
    for entry in entries:
        try:
            networks.append(ipaddress.ip_network(entry.strip(), strict=False))
        except ValueError as exc:
            raise ImproperlyConfigured(
                f"TRUSTED_PROXIES: {entry!r} is not an IP address or network (e.g. 10.0.0.0/24)"
            ) from exc
    return tuple(networks)


def is_trusted_proxy(address: IPAddress) -> bool:
    networks = _trusted_networks(tuple(str(e) for e in settings.TRUSTED_PROXIES))
    return any(address in network for network in networks)


def client_ip(request: HttpRequest) -> str | None:
    """The address of the client, for the access log and the login lockout.

    REMOTE_ADDR is the client unless it is one of ``TRUSTED_PROXIES``: then the client is
    taken from X-Forwarded-For, read from the right (each trusted proxy appends the address
    it saw) up to the first address that is not a trusted proxy; what lies further left was
    written by the client and could be anything. X-Real-IP is the fallback for a proxy
    that sets only that. A client talking to the app server directly cannot choose its
    address this way: its own REMOTE_ADDR is not trusted.
    """
    remote = request.META.get("REMOTE_ADDR") or None
    try:
        remote_ip = ipaddress.ip_address(remote or "")
    except ValueError:
        return remote
    if not is_trusted_proxy(remote_ip):
        return remote
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    hops = [hop.strip() for hop in forwarded.split(",") if hop.strip()]
    if not hops and request.META.get("HTTP_X_REAL_IP"):
        hops = [request.META["HTTP_X_REAL_IP"].strip()]
    client = remote
    for hop in reversed(hops):
        try:
            address = ipaddress.ip_address(hop)
        except ValueError:
            break  # not an address: nothing left of it can be believed
        client = str(address)
        if not is_trusted_proxy(address):
            break
    return client


def _strings(value: Any) -> Iterator[str]:
    """Every string in a decoded JSON document, keys included."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield str(key)
            yield from _strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)


def _has_nul(values: Iterable[str]) -> bool:
    return any("\x00" in value for value in values)


def request_has_nul(request: HttpRequest) -> bool:
    """Whether the path, query string, cookies, form fields (names and values; not the
    content of uploaded files) or a JSON body contain a NUL character once decoded."""
    if "\x00" in request.path:
        return True
    if _has_nul(request.GET.keys()) or _has_nul(v for vs in request.GET.lists() for v in vs[1]):
        return True
    if _has_nul(request.COOKIES.keys()) or _has_nul(request.COOKIES.values()):
        return True
    if request.method in ("POST", "PUT", "PATCH"):
        content_type = request.content_type or ""
        if content_type in ("multipart/form-data", "application/x-www-form-urlencoded"):
            # Django parses the form once and keeps it, so the view reads the same data.
            if request.method == "POST":
                form, files = request.POST, request.FILES
            elif content_type == "application/x-www-form-urlencoded":
                # Only POST is parsed by Django; DRF parses PUT/PATCH forms from the body.
                form, files = QueryDict(request.body, encoding=request.encoding), MultiValueDict()
            else:
                form, files = QueryDict(), MultiValueDict()
            if _has_nul(form.keys()) or _has_nul(v for vs in form.lists() for v in vs[1]):
                return True
            # File names need no check: Django drops unprintable characters from them.
            if _has_nul(files.keys()):
                return True
        elif content_type == "application/json" or content_type.endswith("+json"):
            try:
                document = json.loads(request.body)
            except ValueError:
                return False  # malformed JSON is the view's (or DRF's) to refuse
            return _has_nul(_strings(document))
    return False


class RejectNulMiddleware:
    """Answers 400 to a request carrying a NUL character anywhere a view or the session
    could pass it to the database: PostgreSQL refuses NUL in text, which would otherwise
    surface as a 500 from whichever query the value reached first. Runs before the session
    is loaded (a session cookie is such a value too)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request_has_nul(request):
            # LocaleMiddleware has not run yet: pick the language the same way it would.
            with translation.override(translation.get_language_from_request(request)):
                message = _("The request contains a NUL character, which is not allowed.")
            if request.path.startswith("/api/"):
                return JsonResponse({"detail": message}, status=400)
            return HttpResponse(message, status=400, content_type="text/plain; charset=utf-8")
        return self.get_response(request)


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
