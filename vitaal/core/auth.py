"""allauth and django-axes integration: sessions tracked so that deactivation can end
them, the published demo password refused outside demo mode, and the login lockout keyed
on the account and the client's real address."""

from __future__ import annotations

from typing import Any

from allauth.account.adapter import DefaultAccountAdapter
from axes.attempts import get_cool_off_threshold
from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_failure_limit
from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Sum
from django.http import HttpRequest


class AccountAdapter(DefaultAccountAdapter):
    def is_open_for_signup(self, request: HttpRequest) -> bool:
        # Accounts come from the HR import and org admins, never from self-service signup.
        return False

    def authenticate(self, request: HttpRequest, **credentials: Any) -> Any:
        from vitaal.core.demo import DEMO_PASSWORD, demo_mode

        # The demo password is printed in the README. A database built by `vitaal demo`
        # (the benchmark's, a copy someone restored) must not open with it anywhere else.
        if credentials.get("password") == DEMO_PASSWORD and not demo_mode():
            self.authentication_failed(request, **credentials)
            return None
        return super().authenticate(request, **credentials)

    def pre_authenticate(self, request: HttpRequest, **credentials: Any) -> None:
        # allauth counts wrong passwords and wrong two-step codes under one limit,
        # "login_failed", per account from any address. For the code that limit is wanted
        # (settings.ACCOUNT_RATE_LIMITS); for the password it would let anybody lock a
        # colleague out, so the password step is left to axes (per account and address).
        self._login_failed_rl_usage = None

    def get_client_ip(self, request: HttpRequest) -> str:
        from vitaal.core.middleware import client_ip

        return client_ip(request) or super().get_client_ip(request)

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


def axes_username(request: HttpRequest | None, credentials: dict[str, Any] | None) -> str | None:
    """The account a login attempt is for, as django-axes should count it.

    allauth authenticates with ``email=...`` (our login method), axes's own
    ``user_logged_in`` handler passes ``login=...`` (``AXES_USERNAME_FORM_FIELD``) and the
    login form posts ``login``. Without this every failure was counted against one shared
    empty username, so five wrong passwords for any address locked out everybody.
    Normalised, so that changing the case does not start a fresh count."""
    value: Any = None
    for key in ("email", settings.AXES_USERNAME_FORM_FIELD, "username"):
        if credentials and credentials.get(key):
            value = credentials[key]
            break
    if value is None and request is not None:
        value = request.POST.get(settings.AXES_USERNAME_FORM_FIELD)
    if not value:
        return None
    return str(value).strip().lower() or None


class LockoutHandler(AxesDatabaseHandler):
    """axes's database handler plus a second, looser limit per client address.

    ``AXES_LOCKOUT_PARAMETERS`` locks an account *from one address* after
    ``AXES_FAILURE_LIMIT`` failures, so nobody can lock out someone else's account from
    elsewhere. That alone would let one address try a few passwords on every account
    (password spraying); ``LOGIN_IP_FAILURE_LIMIT`` failures from one address, whatever
    the accounts, lock that address out as well. axes compares one count with one limit,
    so the address's count is scaled onto the account limit: with L = the account limit
    and M = the address limit, floor(n * L / M) >= L exactly when n >= M."""

    def get_failures(self, request: Any, credentials: dict[str, Any] | None = None) -> int:
        per_account = super().get_failures(request, credentials)
        limit = get_failure_limit(request, credentials)
        address_limit = settings.LOGIN_IP_FAILURE_LIMIT
        if not address_limit:
            return int(per_account)
        return max(int(per_account), self.address_failures(request) * limit // address_limit)

    def address_failures(self, request: Any) -> int:
        address = getattr(request, "axes_ip_address", None)
        if not address:
            return 0
        total = AccessAttempt.objects.filter(
            ip_address=address, attempt_time__gte=get_cool_off_threshold(request)
        ).aggregate(n=Sum("failures_since_start"))["n"]
        return int(total or 0)
