"""allauth integration: track sessions so that deactivation can end them."""

from __future__ import annotations

from typing import Any

from allauth.account.adapter import DefaultAccountAdapter
from django.conf import settings
from django.http import HttpRequest


class AccountAdapter(DefaultAccountAdapter):
    def is_open_for_signup(self, request: HttpRequest) -> bool:
        # Accounts come from the HR import and org admins, never from self-service signup.
        return False

    def login(self, request: HttpRequest, user: Any) -> None:
        super().login(request, user)
        from vitaal.core.models import UserSession

        if request.session.session_key is None:
            request.session.save()
        UserSession.objects.update_or_create(session_key=request.session.session_key, defaults={"user": user})
        if user.preferred_language:
            request.session["_language"] = user.preferred_language
        # The password was entered a moment ago: that counts as a fresh confirmation for
        # the next few minutes (ACCOUNT_REAUTHENTICATION_TIMEOUT), so a staff member who is
        # sent to set up two-step login is not asked for it again straight away.
        from allauth.account.internal.flows.login import record_authentication

        record_authentication(request, user, "password", reauthenticated=True)

    def get_login_redirect_url(self, request: HttpRequest) -> str:
        return str(settings.LOGIN_REDIRECT_URL and "/")


def record_mfa_on_activation(
    sender: Any, request: HttpRequest | None = None, user: Any = None, **kwargs: Any
) -> None:
    if request is None or user is None:
        return
    from allauth.account.internal.flows.login import record_authentication

    record_authentication(request, user, "mfa", activated=True)
