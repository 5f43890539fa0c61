"""Every URL pattern, requested as every role (and anonymous), against one explicit
access table. A URL pattern missing from the table fails the test: new views must
declare who may use them. The table is split per area (``TABLE_MODULES``)."""

from __future__ import annotations

import importlib
from types import ModuleType
from typing import Any

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from vitaal.core.public import PUBLIC_URL_NAMES
from vitaal.core.testing import Cast, login
from vitaal.core.testing_access import ALL_ROLES, TABLE_MODULES, Access

MODULES: dict[str, ModuleType] = {name: importlib.import_module(name) for name in TABLE_MODULES}
ACCESS: dict[str, Access] = {}
for _module in MODULES.values():
    duplicated = set(ACCESS) & set(_module.ACCESS)
    assert not duplicated, f"{_module.__name__} repeats {duplicated}"
    ACCESS.update(_module.ACCESS)

# allauth's own pages: only what an anonymous visitor gets is asserted here; the logged-in
# flows (MFA, password change) are covered by test_accounts and the browser tests.
ALLAUTH_ANONYMOUS: dict[str, int] = {
    "account_login": 200,
    "account_logout": 302,
    "account_inactive": 200,
    "account_signup": 200,  # answers "sign-up is closed"
    "account_reauthenticate": 302,
    "account_email": 302,
    "account_email_verification_sent": 200,
    "account_change_password": 302,
    "account_set_password": 302,
    "account_reset_password": 200,
    "account_confirm_login_code": 302,
    "account_confirm_email": 200,
    "account_reset_password_from_key_done": 200,
    "account_reset_password_from_key": 200,
    "account_reset_password_done": 200,
    "mfa_index": 302,
    "mfa_authenticate": 302,
    "mfa_reauthenticate": 302,
    "mfa_activate_totp": 302,
    "mfa_deactivate_totp": 302,
    "mfa_view_recovery_codes": 302,
    "mfa_generate_recovery_codes": 302,
    "mfa_download_recovery_codes": 302,
}
ALLAUTH_KWARGS = {
    "account_confirm_email": {"key": "invalid-key"},
    "account_reset_password_from_key": {"uidb36": "zz", "key": "invalid-key"},
}

# Exempt with a reason: Django's admin is for platform operators (superusers with MFA);
# every cast role is refused by its own login page (asserted in test_admin_refuses_cast).
EXEMPT_PREFIXES = {"beheer/": "Django admin, superusers only"}


def all_url_names() -> set[str]:
    names: set[str] = set()

    def walk(patterns: list[Any], prefix: str, ns: str | None) -> None:
        for p in patterns:
            if isinstance(p, URLResolver):
                sub_ns = ns
                if p.namespace:
                    sub_ns = f"{ns}:{p.namespace}" if ns else p.namespace
                walk(p.url_patterns, prefix + str(p.pattern), sub_ns)
            elif isinstance(p, URLPattern):
                route = prefix + str(p.pattern)
                if any(route.startswith(x) for x in EXEMPT_PREFIXES):
                    continue
                assert p.name, f"URL pattern {route!r} has no name, so it cannot be in the access table"
                names.add(f"{ns}:{p.name}" if ns else p.name)

    walk(get_resolver().url_patterns, "", None)
    return names


def test_every_url_is_in_the_access_table() -> None:
    names = all_url_names()
    listed = set(ACCESS) | set(ALLAUTH_ANONYMOUS)
    assert names - listed == set(), "URLs missing from the access table"
    assert listed - names == set(), "access table lists URLs that no longer exist"


def test_public_pages_are_exactly_the_listed_ones() -> None:
    answering_anonymous = {n for n, s in ACCESS.items() if s.anonymous < 300 or n == "set_language"}
    answering_anonymous |= {n for n, code in ALLAUTH_ANONYMOUS.items() if code == 200}
    assert answering_anonymous == set(PUBLIC_URL_NAMES)


@pytest.mark.django_db
@pytest.mark.parametrize("module", TABLE_MODULES)
def test_every_url_as_every_role(client, cast: Cast, module: str) -> None:
    table = MODULES[module]
    if hasattr(table, "prepare"):
        table.prepare(cast)
    failures = []
    checked = 0
    for name, spec in table.ACCESS.items():
        url = reverse(name, kwargs=spec.kwargs(cast))
        for role in ALL_ROLES:
            client.logout()
            if role != "anonymous":
                login(client, cast.user(role))
            call = getattr(client, spec.method)
            kwargs: dict[str, Any] = {}
            if spec.data is not None:
                kwargs["data"] = spec.data
            if spec.content_type:
                kwargs["content_type"] = spec.content_type
            response = call(url, **kwargs)
            checked += 1
            if response.status_code != spec.expected(role):
                failures.append(f"{name} as {role}: {response.status_code} (expected {spec.expected(role)})")
    assert not failures, "\n".join(failures)
    print(f"\nURL x role pairs checked in {module}: {checked}")


@pytest.mark.django_db
def test_allauth_pages_as_anonymous(client) -> None:
    failures = []
    for name, expected in ALLAUTH_ANONYMOUS.items():
        response = client.get(reverse(name, kwargs=ALLAUTH_KWARGS.get(name, {})))
        if response.status_code != expected:
            failures.append(f"{name} as anonymous: {response.status_code} (expected {expected})")
    assert not failures, "\n".join(failures)


@pytest.mark.django_db
def test_admin_refuses_cast(client, cast: Cast) -> None:
    for role in ALL_ROLES[1:]:
        client.logout()
        login(client, cast.user(role))
        response = client.get("/beheer/")
        assert response.status_code == 302 and "/beheer/login/" in response["Location"], role


def test_anonymous_redirects_go_to_login(client, db) -> None:
    response = client.get(reverse("core:home"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))
