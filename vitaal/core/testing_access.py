"""The URL access table's vocabulary, shared by every app's table module.

Each area of the product keeps its own table (``ACCESS``) in a module listed in
``TABLE_MODULES``; ``vitaal/core/tests/test_url_access.py`` requests every URL pattern as
every role and compares the answer with the table. A table module may define
``prepare(cast)`` to create the objects its URLs need (it runs inside the test's
transaction, after the cast is built)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from vitaal.core.testing import ORG_ROLES, SECTOR_ROLES, Cast

TABLE_MODULES = [
    "vitaal.core.tests.access_core",
    "vitaal.igm.tests.access_cycle",
    "vitaal.igm.tests.access_plans",
    "vitaal.igm.tests.access_network",
    "vitaal.care.tests.access_portal",
    "vitaal.care.tests.access_work",
    "vitaal.care.tests.access_reports",
    "vitaal.care.tests.access_api",
    "vitaal.surveys.tests.access_surveys",
    "vitaal.indicators.tests.access_indicators",
    "vitaal.privacy.tests.access_privacy",
]

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
