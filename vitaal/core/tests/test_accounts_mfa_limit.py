"""Guessing the two-step code: limited per account, while wrong passwords stay with the
axes lockout (per account and address). The limiter keeps its record in the cache, so the
cache is emptied around every test."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from allauth.mfa.totp.internal.auth import TOTP
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from vitaal.core.testing import TEST_PASSWORD

from .test_accounts_mfa import SECRET, code_for

pytestmark = pytest.mark.django_db

LIMIT = 5  # settings.ACCOUNT_RATE_LIMITS["login_failed"]: 5 per 15 minutes per account


@pytest.fixture(autouse=True)
def _empty_cache() -> Iterator[None]:
    cache.clear()
    yield
    cache.clear()


def at_code_step(user) -> Client:
    client = Client()
    response = client.post(reverse("account_login"), {"login": user.email, "password": TEST_PASSWORD})
    assert response.status_code == 302 and response["Location"] == reverse("mfa_authenticate")
    return client


def wrong_code(right: str) -> str:
    return f"{(int(right) + 1) % 1_000_000:06d}"


def test_after_too_many_wrong_codes_even_the_right_one_is_refused(cast):
    victim, other = cast.user("hr"), cast.user("hr_b")
    TOTP.activate(victim, SECRET)
    TOTP.activate(other, SECRET)
    right = code_for(SECRET)
    client = at_code_step(victim)
    for _ in range(LIMIT):
        response = client.post(reverse("mfa_authenticate"), {"code": wrong_code(right)})
        assert response.context["form"].has_error("code", "incorrect_code")
    # A fresh login does not start a fresh count: the limit is on the account.
    client = at_code_step(victim)
    refused = client.post(reverse("mfa_authenticate"), {"code": right})
    assert refused.context["form"].has_error("code", "too_many_login_attempts")
    assert client.get(reverse("core:home")).status_code == 302
    # Another account, with the same code, is not affected.
    other_client = at_code_step(other)
    assert other_client.post(reverse("mfa_authenticate"), {"code": right}).status_code == 302
    assert other_client.get(reverse("core:home")).status_code == 200


def test_a_few_wrong_codes_then_the_right_one_logs_in(cast):
    user = cast.user("hr")
    TOTP.activate(user, SECRET)
    right = code_for(SECRET)
    client = at_code_step(user)
    for _ in range(LIMIT - 1):
        assert client.post(reverse("mfa_authenticate"), {"code": wrong_code(right)}).status_code == 200
    assert client.post(reverse("mfa_authenticate"), {"code": right}).status_code == 302
    assert client.get(reverse("core:home")).status_code == 200


def test_wrong_passwords_are_not_counted_by_the_code_limit(cast, settings):
    # axes is off here, so only allauth could refuse: it must not, for passwords (that
    # limit is per account from anywhere, so anybody could lock a colleague out).
    settings.AXES_ENABLED = False
    user = cast.user("employee")
    for _ in range(3 * LIMIT):
        response = Client().post(reverse("account_login"), {"login": user.email, "password": "wrong-1"})
        assert response.context["form"].errors  # refused for the password ...
        assert not response.context["form"].has_error(None, "too_many_login_attempts")  # ... only
    response = Client().post(reverse("account_login"), {"login": user.email, "password": TEST_PASSWORD})
    assert response.status_code == 302
