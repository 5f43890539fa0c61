"""The Django admin's login page, replaced: it checked a password on its own, outside the
site's login (no two-step login, no demo-password rule). Visitors go to the one login
everybody uses; the admin itself stays for platform operators (staff superusers)."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme


@login_not_required
def admin_login(request: HttpRequest) -> HttpResponse:
    target = request.GET.get("next", "")
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        target = reverse("admin:index")
    if not request.user.is_authenticated:
        return redirect(f"{reverse('account_login')}?{urlencode({'next': target})}")
    if request.user.is_active and request.user.is_staff:
        return redirect(target)
    # Logged in without admin rights: sending them to a login page again would loop.
    raise PermissionDenied
