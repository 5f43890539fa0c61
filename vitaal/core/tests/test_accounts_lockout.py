"""Login lockout (django-axes): per account *and* client address, plus a looser limit per
address; the client address is taken from X-Forwarded-For only behind a trusted proxy.
Every login here is a real one, through allauth's login form."""

from __future__ import annotations

from typing import Any

import pytest
from axes.models import AccessAttempt
from django.test import Client, RequestFactory
from django.urls import reverse

from vitaal.core.middleware import client_ip
from vitaal.core.testing import TEST_PASSWORD

pytestmark = pytest.mark.django_db

ATTACKER = "203.0.113.9"
OTHER = "198.51.100.7"
PROXY = "10.0.0.1"


@pytest.fixture(autouse=True)
def _axes_on(settings):
    settings.AXES_ENABLED = True
    settings.AXES_FAILURE_LIMIT = 5
    settings.LOGIN_IP_FAILURE_LIMIT = 50
    settings.TRUSTED_PROXIES = []


def post_login(email: str, password: str, **meta: Any) -> int:
    """One login attempt from a fresh browser; the status code (302 = logged in). ``meta``
    is the request's REMOTE_ADDR and headers."""
    client = Client(**meta)
    return client.post(reverse("account_login"), {"login": email, "password": password}).status_code


def fail(email: str, times: int, **meta: Any) -> None:
    for _ in range(times):
        # The failure that reaches a limit is answered with the lockout page.
        assert post_login(email, "wrong-password-1", **meta) in (200, 429)


def test_failures_from_one_address_do_not_lock_out_anybody_else(cast):
    victim, bystander = cast.user("employee"), cast.user("employee_b")
    fail("made-up@example.org", 6, REMOTE_ADDR=ATTACKER)
    fail(victim.email, 6, REMOTE_ADDR=ATTACKER)
    # Neither the attacked account nor anyone else is locked elsewhere.
    assert post_login(bystander.email, TEST_PASSWORD, REMOTE_ADDR=OTHER) == 302
    assert post_login(victim.email, TEST_PASSWORD, REMOTE_ADDR=OTHER) == 302
    # Failures are counted per account, not against one shared empty username.
    assert set(AccessAttempt.objects.values_list("username", flat=True)) == {
        "made-up@example.org",
        victim.email,
    }


def test_the_attacked_account_is_locked_from_the_attacking_address(cast):
    victim = cast.user("employee")
    fail(victim.email, 5, REMOTE_ADDR=ATTACKER)
    assert post_login(victim.email, TEST_PASSWORD, REMOTE_ADDR=ATTACKER) == 429


def test_changing_the_case_of_the_address_does_not_restart_the_count(cast):
    victim = cast.user("employee")
    for variant in (victim.email, victim.email.upper(), f" {victim.email.title()} "):
        fail(variant, 2, REMOTE_ADDR=ATTACKER)
    assert post_login(victim.email, TEST_PASSWORD, REMOTE_ADDR=ATTACKER) == 429


def test_one_address_spraying_many_accounts_is_locked_out(cast, settings):
    settings.LOGIN_IP_FAILURE_LIMIT = 8
    own, other = cast.user("employee"), cast.user("employee_b")
    for n in range(8):
        fail(f"guess{n}@example.org", 1, REMOTE_ADDR=ATTACKER)
    # Locked from this address, even for an account with no failures of its own ...
    assert post_login(own.email, TEST_PASSWORD, REMOTE_ADDR=ATTACKER) == 429
    # ... and not elsewhere.
    assert post_login(other.email, TEST_PASSWORD, REMOTE_ADDR=OTHER) == 302


def test_a_successful_login_does_not_reset_the_address_count(cast, settings):
    settings.LOGIN_IP_FAILURE_LIMIT = 8
    own = cast.user("employee")
    for n in range(7):
        fail(f"guess{n}@example.org", 1, REMOTE_ADDR=ATTACKER)
    # The attacker logging into an account of their own must not wipe the record.
    assert post_login(own.email, TEST_PASSWORD, REMOTE_ADDR=ATTACKER) == 302
    fail("guess-again@example.org", 1, REMOTE_ADDR=ATTACKER)
    assert post_login(own.email, TEST_PASSWORD, REMOTE_ADDR=ATTACKER) == 429


def test_behind_a_trusted_proxy_the_forwarded_client_is_locked(cast, settings):
    settings.TRUSTED_PROXIES = [PROXY]
    victim = cast.user("employee")
    fail(victim.email, 5, REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=ATTACKER)
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {ATTACKER}
    assert post_login(victim.email, TEST_PASSWORD, REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=ATTACKER) == 429
    # Another client behind the same proxy logs in to the same account.
    assert post_login(victim.email, TEST_PASSWORD, REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=OTHER) == 302


def test_forwarded_header_from_an_untrusted_source_is_ignored(cast, settings):
    settings.TRUSTED_PROXIES = [PROXY]
    victim = cast.user("employee")
    # A client sending a fresh X-Forwarded-For each time does not escape its count.
    for n in range(5):
        fail(victim.email, 1, REMOTE_ADDR=ATTACKER, HTTP_X_FORWARDED_FOR=f"192.0.2.{n + 1}")
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {ATTACKER}
    assert post_login(victim.email, TEST_PASSWORD, REMOTE_ADDR=ATTACKER, HTTP_X_FORWARDED_FOR=OTHER) == 429


@pytest.mark.parametrize(
    ("trusted", "remote", "forwarded", "expected"),
    [
        ([], PROXY, ATTACKER, PROXY),  # no trusted proxies: the header is ignored
        ([PROXY], PROXY, ATTACKER, ATTACKER),
        (["10.0.0.0/8"], PROXY, ATTACKER, ATTACKER),  # networks work too
        ([PROXY], OTHER, ATTACKER, OTHER),  # not from the proxy: ignored
        # The client wrote the left part; the proxy appended what it saw on the right.
        ([PROXY], PROXY, f"6.6.6.6, {ATTACKER}", ATTACKER),
        # Two trusted proxies in a row: skip both.
        (["10.0.0.0/8"], PROXY, f"6.6.6.6, {ATTACKER}, 10.0.0.2", ATTACKER),
        ([PROXY], PROXY, "not-an-address", PROXY),
        ([PROXY], PROXY, "", PROXY),
        (["2001:db8::/32"], "2001:db8::1", "2001:db8:ffff::5, 2a00:1450::1", "2a00:1450::1"),
    ],
)
def test_client_address(settings, trusted, remote, forwarded, expected):
    settings.TRUSTED_PROXIES = trusted
    request = RequestFactory().get("/", REMOTE_ADDR=remote, HTTP_X_FORWARDED_FOR=forwarded)
    assert client_ip(request) == expected


def test_x_real_ip_is_used_from_a_trusted_proxy_without_forwarded_for(settings):
    settings.TRUSTED_PROXIES = [PROXY]
    trusted = RequestFactory().get("/", REMOTE_ADDR=PROXY, HTTP_X_REAL_IP=ATTACKER)
    assert client_ip(trusted) == ATTACKER
    direct = RequestFactory().get("/", REMOTE_ADDR=OTHER, HTTP_X_REAL_IP=ATTACKER)
    assert client_ip(direct) == OTHER
