"""Every URL pattern, requested as every role (and anonymous), against one explicit
access table. A URL pattern missing from the table fails the test: new views must
declare who may use them."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from vitaal.core.models import ImportJob
from vitaal.core.public import PUBLIC_URL_NAMES
from vitaal.core.testing import ORG_ROLES, SECTOR_ROLES, Cast, login

ALL_ROLES = ["anonymous", *ORG_ROLES, *[f"{r}_b" for r in ORG_ROLES], *SECTOR_ROLES]
PEOPLE_READERS = {"hr", "org_admin", "company_doctor", "manager"}
HAS_PERSON = {"employee", "manager", "employee_b", "manager_b"}
LOGGED_IN = set(ALL_ROLES) - {"anonymous"}


@dataclass
class Access:
    """Expected answers for one URL. ``ok`` roles get ``success``; for organisation-scoped
    URLs (``org=True``) the roles of organisation B get 404; everybody else logged in gets
    ``denied``; anonymous gets ``anonymous``."""

    kwargs: Callable[[Cast], dict[str, Any]] = lambda c: {}
    ok: set[str] = field(default_factory=set)
    method: str = "get"
    data: dict[str, Any] | None = None
    success: int = 200
    denied: int = 403
    anonymous: int = 302
    org: bool = False
    content_type: str | None = None

    def expected(self, role: str) -> int:
        if role == "anonymous":
            return self.anonymous
        if role in self.ok:
            return self.success
        if self.org and role.endswith("_b"):
            return 404
        return self.denied


def org_a(c: Cast) -> dict[str, Any]:
    return {"org": c.a.organisation.slug}


ACCESS: dict[str, Access] = {
    # public
    "healthz": Access(ok=LOGGED_IN, anonymous=200),
    "set_language": Access(method="post", data={"language": "en"}, ok=LOGGED_IN, success=302, anonymous=302),
    # start page and self service
    "core:home": Access(ok=LOGGED_IN),
    "core:me": Access(ok=HAS_PERSON),
    "core:me_access_log": Access(ok=HAS_PERSON),
    "core:me_language": Access(method="post", data={"preferred_language": "en"}, ok=LOGGED_IN, success=302),
    # organisation pages
    "core:organisation_detail": Access(
        kwargs=org_a,
        org=True,
        ok={
            "org_admin",
            "coordinator",
            "management",
            "hr",
            "company_doctor",
            "works_council",
            "advisor",
            "manager",
            "sector_admin",
        },
    ),
    "core:person_list": Access(kwargs=org_a, org=True, ok=PEOPLE_READERS),
    "core:person_detail": Access(
        kwargs=lambda c: {**org_a(c), "pk": c.a.colleague.pk},
        org=True,
        ok={"hr", "org_admin", "company_doctor"},
    ),
    "core:person_import": Access(kwargs=org_a, org=True, ok={"hr", "org_admin"}),
    "core:person_import_review": Access(
        kwargs=lambda c: {
            **org_a(c),
            "job": ImportJob.objects.get(organisation=c.a.organisation).pk,
        },
        org=True,
        ok={"hr", "org_admin"},
    ),
    "core:person_export": Access(kwargs=org_a, org=True, ok={"hr", "org_admin"}),
    "core:person_account_deactivate": Access(
        kwargs=lambda c: {**org_a(c), "pk": c.a.colleague.pk},
        org=True,
        method="post",
        ok={"org_admin"},
        success=302,
    ),
    "core:accesslog_list": Access(kwargs=org_a, org=True, ok={"org_admin", "sector_admin"}),
    # API (DRF answers 401 to anonymous callers; token auth is tested in the API tests)
    "api-schema": Access(ok=LOGGED_IN, anonymous=401),
    "api-docs": Access(ok=LOGGED_IN, anonymous=401),
    "api:organisation-list": Access(ok=LOGGED_IN, anonymous=401),
    "api:organisation-detail": Access(
        kwargs=lambda c: {"slug": c.a.organisation.slug},
        ok=set(ORG_ROLES) | set(SECTOR_ROLES),
        denied=404,
        anonymous=401,
    ),
    "api:person-list": Access(ok=LOGGED_IN, anonymous=401),
    "api:person-detail": Access(
        kwargs=lambda c: {"pk": c.a.colleague.pk},
        org=True,
        ok={"hr", "org_admin", "company_doctor"},
        anonymous=401,
    ),
    "api:people_import": Access(
        kwargs=lambda c: {"slug": c.a.organisation.slug},
        org=True,
        method="post",
        data={},
        content_type="application/json",
        ok={"hr", "org_admin"},
        success=400,
        anonymous=401,
    ),
}

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
def test_every_url_as_every_role(client, cast: Cast) -> None:
    ImportJob.objects.create(
        organisation=cast.a.organisation,
        status=ImportJob.Status.REJECTED,
        filename="x.csv",
        content=b"",
        content_sha256="0" * 64,
    )
    failures = []
    checked = 0
    for name, spec in ACCESS.items():
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
    for name, expected in ALLAUTH_ANONYMOUS.items():
        client.logout()
        response = client.get(reverse(name, kwargs=ALLAUTH_KWARGS.get(name, {})))
        checked += 1
        if response.status_code != expected:
            failures.append(f"{name} as anonymous: {response.status_code} (expected {expected})")
    assert not failures, "\n".join(failures)
    print(f"\nURL x role pairs checked: {checked}")


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
