"""URL access table of the core app (start page, self service, people, API basics)."""

from __future__ import annotations

from vitaal.core.models import ImportJob
from vitaal.core.testing import ORG_ROLES, SECTOR_ROLES, Cast
from vitaal.core.testing_access import HAS_PERSON, LOGGED_IN, PEOPLE_READERS, Access, org_a


def prepare(cast: Cast) -> None:
    ImportJob.objects.create(
        organisation=cast.a.organisation,
        status=ImportJob.Status.REJECTED,
        filename="x.csv",
        content=b"",
        content_sha256="0" * 64,
    )


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
    # The org admin reads the personnel entries, the privacy officer everything; the sector
    # admin no longer reads the log (test_accesslog_visibility checks which entries).
    "core:accesslog_list": Access(kwargs=org_a, org=True, ok={"org_admin", "privacy_officer"}),
    "core:sector_accesslog_list": Access(ok={"privacy_officer"}),
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
