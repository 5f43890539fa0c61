"""Accounts: MFA for staff roles, session timeouts, deactivation, password rules, lockout."""

from __future__ import annotations

import time

import pytest
from allauth.mfa.totp.internal.auth import (
    TOTP,
    format_hotp_value,
    hotp_value,
    yield_hotp_counters_from_time,
)
from django.contrib.sessions.models import Session
from django.core.exceptions import ValidationError
from django.urls import reverse

from vitaal.core.middleware import SESSION_LOGIN_AT
from vitaal.core.models import UserSession
from vitaal.core.passwords import BreachedPasswordValidator
from vitaal.core.services import user_deactivate
from vitaal.core.testing import TEST_PASSWORD, login

pytestmark = pytest.mark.django_db


def current_code(secret: str) -> str:
    counter = next(iter(yield_hotp_counters_from_time()))
    return format_hotp_value(hotp_value(secret, counter))


def test_staff_without_mfa_is_sent_to_set_it_up(client, cast):
    login(client, cast.user("hr"), mfa=False)
    response = client.get(reverse("core:home"))
    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_activate_totp")


def test_staff_with_mfa_who_skipped_it_is_logged_out(client, cast):
    user = cast.user("org_admin")
    TOTP.activate(user, "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP")
    login(client, user, mfa=False)
    response = client.get(reverse("core:home"))
    assert response.status_code == 302
    assert reverse("account_login") in response["Location"]
    assert "_auth_user_id" not in client.session


def test_only_the_employee_needs_no_mfa(client, cast):
    login(client, cast.user("employee"), mfa=False)
    assert client.get(reverse("core:home")).status_code == 200
    for role in ("manager", "works_council", "provider", "coordinator", "management"):
        client.logout()
        login(client, cast.user(role), mfa=False)
        response = client.get(reverse("core:home"))
        assert response.status_code == 302 and response["Location"] == reverse("mfa_activate_totp"), role


def test_real_login_with_password_and_totp(client, cast):
    user = cast.user("hr")
    secret = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
    TOTP.activate(user, secret)
    response = client.post(reverse("account_login"), {"login": user.email, "password": TEST_PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_authenticate")
    response = client.post(reverse("mfa_authenticate"), {"code": current_code(secret)})
    assert response.status_code == 302
    assert client.get(reverse("core:home")).status_code == 200
    assert UserSession.objects.filter(user=user).count() == 1


def test_wrong_totp_code_does_not_log_in(client, cast):
    user = cast.user("hr")
    TOTP.activate(user, "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP")
    client.post(reverse("account_login"), {"login": user.email, "password": TEST_PASSWORD})
    response = client.post(reverse("mfa_authenticate"), {"code": "123456"})
    assert response.status_code == 200
    assert client.get(reverse("core:home")).status_code == 302


def test_absolute_session_timeout(client, cast, settings):
    login(client, cast.user("employee"))
    assert client.get(reverse("core:home")).status_code == 200
    session = client.session
    session[SESSION_LOGIN_AT] = time.time() - settings.SESSION_ABSOLUTE_SECONDS - 5
    session.save()
    response = client.get(reverse("core:home"))
    assert response.status_code == 302
    assert client.get(reverse("core:home")).status_code == 302


def test_idle_timeout_is_the_session_cookie_age(settings):
    assert settings.SESSION_SAVE_EVERY_REQUEST is True
    assert settings.SESSION_COOKIE_AGE <= 30 * 60


def test_deactivating_a_user_ends_all_sessions(client, cast):
    from django.test import Client

    user = cast.user("employee")
    other = Client()
    for c in (client, other):
        login(c, user)
        UserSession.objects.create(user=user, session_key=c.session.session_key)
    ended = user_deactivate(user=user, by=cast.user("org_admin"))
    assert ended == 2
    assert not Session.objects.filter(session_key__in=[client.session.session_key]).exists()
    assert client.get(reverse("core:home")).status_code == 302
    assert other.get(reverse("core:home")).status_code == 302


def test_org_admin_deactivates_through_the_page_after_reauthentication(client, cast):
    employee = cast.a.people["employee"]
    url = reverse("core:person_account_deactivate", args=["a", employee.pk])
    login(client, cast.user("org_admin"), recent=False)
    response = client.post(url)
    assert response.status_code == 302 and reverse("account_reauthenticate") in response["Location"]
    employee.user.refresh_from_db()
    assert employee.user.is_active
    login(client, cast.user("org_admin"), recent=True)
    assert client.post(url).status_code == 302
    employee.user.refresh_from_db()
    assert not employee.user.is_active


@pytest.mark.parametrize("password", ["Wachtwoord2024!", "W3lk0m!!", "P@ssword123", "zomer2025"])
def test_breached_passwords_are_refused(password):
    with pytest.raises(ValidationError):
        BreachedPasswordValidator().validate(password)


def test_ordinary_password_passes_breach_check():
    BreachedPasswordValidator().validate("Fietsbel-Appelboom-73")


def test_signup_is_closed(client, db):
    response = client.post(
        reverse("account_signup"),
        {"email": "new@example.org", "password1": "x" * 14, "password2": "x" * 14},
    )
    from vitaal.core.models import User

    assert not User.objects.filter(email="new@example.org").exists()
    assert response.status_code == 200


def test_login_is_locked_after_repeated_failures(client, cast, settings):
    settings.AXES_ENABLED = True
    settings.AXES_FAILURE_LIMIT = 3
    user = cast.user("employee")
    for _ in range(3):
        client.post(reverse("account_login"), {"login": user.email, "password": "wrong-password-1"})
    response = client.post(reverse("account_login"), {"login": user.email, "password": TEST_PASSWORD})
    assert response.status_code == 429
    assert client.get(reverse("core:home")).status_code == 302
